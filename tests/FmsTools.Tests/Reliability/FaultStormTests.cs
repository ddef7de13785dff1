using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using FmsTools.Tests.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// Fault storms against the sandbox: 30% throttling, 5% 5xx (InternalFailure, ServiceUnavailable), 1% connection resets,
    /// 1% lost responses and latency spikes, all from a fixed seed. Reads must return exactly what a fault-free run returned;
    /// writes must happen once or report failure, never twice.
    /// </summary>
    public sealed class FaultStormTests
    {
        private readonly ITestOutputHelper _output;

        public FaultStormTests(ITestOutputHelper output) { _output = output; }

        /// <summary>
        /// Rules are consulted in order and a request gets at most one failure, so each rate is conditional on the earlier
        /// rules not firing; these values give the effective shares of all requests named in the comments.
        /// </summary>
        internal static void AddStorm(FaultInjector faults, bool includeLostResponses = true)
        {
            var left = 1.0;
            void Share(FaultKind kind, double share)
            {
                faults.Add(new FaultRule { Operation = "*", Kind = kind, Rate = share / left });
                left -= share;
            }
            Share(FaultKind.Throttling, 0.30);
            Share(FaultKind.InternalFailure, 0.025);
            Share(FaultKind.ServiceUnavailable, 0.025);
            Share(FaultKind.ConnectionReset, 0.01);
            if (includeLostResponses) Share(FaultKind.ResponseLost, 0.01);
            faults.Add(new FaultRule { Operation = "*", Kind = FaultKind.Latency, Rate = 0.02, LatencyMs = 120 });
        }

        /// <summary>
        /// Read cmdlets in the storm: label and the script (PowerShell text; the session holds $setId, $taggedArn, $adminId,
        /// $demoIds, $rows and $demoPolicies).
        /// </summary>
        private static readonly (string Label, string Script)[] ReadCases =
        {
            ("Get-FmsPolicy", "Get-FmsPolicy"),
            ("Get-FmsPolicy -Detailed", "Get-FmsPolicy -Detailed"),
            ("Get-FmsPolicy -Name storm-*", "Get-FmsPolicy -Name storm-1*"),
            ("Get-FmsAppsList", "Get-FmsAppsList"),
            ("Get-FmsAppsList -Default", "Get-FmsAppsList -Default"),
            ("Get-FmsProtocolsList", "Get-FmsProtocolsList"),
            ("Get-FmsProtocolsList -Default", "Get-FmsProtocolsList -Default"),
            ("Get-FmsResourceSet", "Get-FmsResourceSet"),
            ("Get-FmsResourceSetResource", "Get-FmsResourceSetResource -ResourceSetId $setId"),
            ("Get-FmsTag", "Get-FmsTag -ResourceArn $taggedArn"),
            ("Get-FmsAdminAccount", "Get-FmsAdminAccount"),
            // -IncludeScope belongs to -All, which only the management account may call.
            ("Get-FmsAdminAccount -All -IncludeScope", "Get-FmsAdminAccount -All -IncludeScope @mgmt"),
            ("Get-FmsAdminScope", "Get-FmsAdminScope -AdminAccount $adminId"),
            ("Get-FmsNotificationChannel", "Get-FmsNotificationChannel"),
            ("Get-FmsComplianceStatus", "Get-FmsComplianceStatus -PolicyId $demoIds"),
            ("Get-FmsComplianceStatus -NoDetail", "Get-FmsComplianceStatus -PolicyId $demoIds -NoDetail"),
            // The same rows every run: -IncludeDetail enriches copies and leaves the piped rows as they were.
            ("Get-FmsViolation", "Get-FmsViolation -InputObject $rows"),
            ("Get-FmsViolation -IncludeDetail", "Get-FmsViolation -InputObject $rows -IncludeDetail"),
            ("Get-FmsComplianceReport", "Get-FmsComplianceReport -PolicyId $demoIds"),
            ("Get-FmsCostEstimate", "Get-FmsCostEstimate -Policy $demoPolicies"),
        };

        /// <summary>Get-* cmdlets that read nothing from the service, so a storm cannot affect them.</summary>
        private static readonly string[] ReadsWithoutServiceCalls = { "Get-FmsContext", "Get-FmsSandboxRequest", "Get-FmsChangeHistory" };

        [Fact]
        public void Every_read_cmdlet_is_in_the_storm_table()
        {
            var covered = ReadCases.Select(c => c.Label.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
            var missing = CmdletCatalog.All().Where(c => c.Verb == "Get" && !covered.Contains(c.Name) && !ReadsWithoutServiceCalls.Contains(c.Name))
                .Select(c => c.Name).ToList();
            Assert.True(missing.Count == 0, "Read cmdlets without a fault-storm case: " + string.Join(", ", missing));
        }

        [Fact]
        public async System.Threading.Tasks.Task Reads_under_a_fault_storm_return_exactly_the_fault_free_results()
        {
            var watch = Stopwatch.StartNew();
            using var sandbox = new ReliabilitySandbox(configure: o =>
            {
                o.Quotas.PoliciesPerAdminAndRegion = 200;
                o.Quotas.ResourcesPerResourceSet = 300;
                o.FaultSeed = 20240601;
                o.RequestLogCapacity = 50000;
            });
            // State big enough that every list pages (the module asks for 100 per page).
            using (var client = SigV4TestClient.Admin(sandbox.Host))
            {
                for (var i = 0; i < 105; i++)
                {
                    var response = await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("storm-" + i));
                    Assert.Equal(200, response.Status);
                }
            }
            var set = Assert.Single(sandbox.Read<FmsResourceSet>("$set = Set-FmsResourceSet -Name storm-set -ResourceType AWS::EC2::VPC -PassThru; $set"));
            for (var batch = 0; batch < 3; batch++)
            {
                sandbox.Set("uris", Enumerable.Range(batch * 50, 50).Select(i => $"arn:aws:ec2:us-east-1:310000000001:vpc/vpc-{i:x17}").ToArray());
                sandbox.RunClean("Add-FmsResourceSetResource -ResourceSetId $set.Id -Uri $uris");
            }
            var tagged = Assert.Single(sandbox.Read<FmsPolicy>("$tagged = Get-FmsPolicy -Name storm-7; $tagged"));
            sandbox.RunClean("Set-FmsTag -ResourceArn $tagged.Arn -Tag @{ owner = 'secops'; env = 'prod'; tier = '1' }");
            sandbox.RunClean("$setId = $set.Id; $taggedArn = $tagged.Arn; $adminId = $sandbox.AdminAccountId");

            // Compliance of the demo policies (the storm-* ones have no resources in scope worth reading 105 times).
            sandbox.RunClean("$demoPolicies = @(Get-FmsPolicy | Where-Object { -not $_.Name.StartsWith('storm-') }); $demoIds = @($demoPolicies.PolicyId)");
            var rows = sandbox.Read<Engine.Compliance.FmsComplianceStatus>("$rows = @(Get-FmsComplianceStatus -PolicyId $demoIds); $rows");
            Assert.Contains(rows, r => r.StatusValue == Engine.Compliance.FmsComplianceState.NonCompliant);
            var cases = ReadCases;
            var baseline = cases.Select(c => OutputJson.Of(sandbox.RunClean(c.Script).Objects())).ToList();
            Assert.Contains(baseline, b => b.Count > 100);
            for (var i = 0; i < cases.Length; i++) _output.WriteLine($"baseline {cases[i].Label}: {baseline[i].Count} objects");

            var mark = sandbox.Mark;
            AddStorm(sandbox.Host.Faults);
            var compared = 0;
            var rounds = Heavy.Pick(2, 10);
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < cases.Length; i++)
                {
                    var run = sandbox.Run(cases[i].Script);
                    Assert.True(run.AllErrors().Count == 0, cases[i].Label + " under the storm: " + string.Join("; ", run.AllErrors().Select(PowerShellResult.Describe)));
                    var stormed = OutputJson.Of(run.Objects());
                    // The report reads policies and accounts concurrently and streams rows as they complete: same rows, any order.
                    if (cases[i].Label.StartsWith("Get-FmsComplianceReport", StringComparison.Ordinal))
                    {
                        stormed.Sort(StringComparer.Ordinal);
                        baseline[i].Sort(StringComparer.Ordinal);
                    }
                    var firstDifference = Enumerable.Range(0, Math.Min(stormed.Count, baseline[i].Count)).FirstOrDefault(k => stormed[k] != baseline[i][k]);
                    Assert.True(baseline[i].SequenceEqual(stormed),
                        $"{cases[i].Label}: {stormed.Count} objects under the storm, {baseline[i].Count} without faults, or different content; first difference at {firstDifference}:"
                        + $"{Environment.NewLine}fault-free: {baseline[i].ElementAtOrDefault(firstDifference)}{Environment.NewLine}storm:      {stormed.ElementAtOrDefault(firstDifference)}");
                    compared += stormed.Count;
                }
            }
            sandbox.Host.Faults.Clear();

            var entries = sandbox.EntriesSince(mark);
            var injected = entries.Where(e => e.Injected).GroupBy(e => e.Outcome).ToDictionary(g => g.Key, g => g.Count());
            _output.WriteLine($"read storm: {entries.Count} requests, {entries.Count(e => e.Injected)} faults injected "
                              + $"({string.Join(", ", injected.Select(p => p.Key + " " + p.Value))}), {compared} objects compared, "
                              + $"{cases.Length * rounds} cmdlet runs, {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.DoesNotContain(entries, e => e.Mutating);
            Assert.True(injected.GetValueOrDefault("ThrottlingException") > 50, "The storm throttled too little to prove anything.");
            Assert.True(injected.GetValueOrDefault("InternalFailure") + injected.GetValueOrDefault("ServiceUnavailable") > 5);
            Assert.True(injected.GetValueOrDefault("ConnectionReset") + injected.GetValueOrDefault("ResponseLost") > 0);
        }

        [Fact]
        public void Writes_under_a_fault_storm_apply_once_or_report_failure_never_twice()
        {
            using var sandbox = new ReliabilitySandbox(configure: o =>
            {
                o.FaultSeed = 77;
                o.Quotas.CustomAppsLists = 100;
            });
            // The module checks the 20-policies-per-region quota before creating; the demo has 10 in the home region.
            var creates = 9;
            var updates = Heavy.Pick(8, 10);
            var demoPolicies = sandbox.Read<FmsPolicy>("Get-FmsPolicy").Take(updates).ToList();
            // A higher share of lost responses than the read storm, so the unknown-outcome path is certain to be hit.
            sandbox.Host.Faults.Add(new FaultRule { Operation = "PutPolicy", Kind = FaultKind.ResponseLost, Rate = 0.15 });
            sandbox.Host.Faults.Add(new FaultRule { Operation = "PutAppsList", Kind = FaultKind.ResponseLost, Rate = 0.15 });
            AddStorm(sandbox.Host.Faults);

            var mark = sandbox.Mark;
            var policyRuns = new List<(string Name, PowerShellResult Run)>();
            var listRuns = new List<(string Name, PowerShellResult Run)>();
            for (var i = 0; i < creates; i++)
            {
                var name = "write-storm-" + i;
                policyRuns.Add((name, sandbox.Run($"New-FmsWafPolicy -Name {name} -ManagedRuleGroup AWS/AWSManagedRulesCommonRuleSet -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer")));
                listRuns.Add((name, sandbox.Run($"Set-FmsAppsList -Name {name} -App @{{ Name = 'https'; Protocol = 'tcp'; Port = 443 }}")));
            }
            var createEntries = sandbox.EntriesSince(mark);
            var updateMark = sandbox.Mark;
            var updateRuns = demoPolicies.Select((p, i) => (Policy: p, Description: "storm update " + i,
                Run: sandbox.Run($"Set-FmsPolicy -PolicyId '{p.PolicyId}' -Description 'storm update {i}'"))).ToList();
            var updateEntries = sandbox.EntriesSince(updateMark);
            sandbox.Host.Faults.Clear();

            var policies = sandbox.Read<FmsPolicy>("Get-FmsPolicy -Detailed");
            var lists = sandbox.Read<FmsAppsList>("Get-FmsAppsList");
            var unknown = 0;
            var failedCleanly = 0;
            foreach (var (name, run, count) in policyRuns.Select(r => (r.Name, r.Run, policies.Count(p => p.Name == r.Name)))
                         .Concat(listRuns.Select(r => (r.Name, r.Run, lists.Count(l => l.Name == r.Name)))))
            {
                Assert.True(count <= 1, $"'{name}' exists {count} times: a create was applied twice.");
                if (run.AllErrors().Count == 0)
                {
                    Assert.True(count == 1, $"'{name}' was reported created but does not exist.");
                    continue;
                }
                var error = Assert.Single(run.AllErrors());
                if (error.ErrorId() == "OutcomeUnknown")
                {
                    unknown++;
                    Assert.Contains("may have been applied", error.Message());
                }
                else
                {
                    failedCleanly++;
                    Assert.True(count == 0, $"'{name}' failed with {PowerShellResult.Describe(error)} yet exists.");
                }
            }
            // The request log tells which creates reached the sandbox and took effect: exactly one object per applied call.
            var appliedPolicyCreates = createEntries.Count(e => e.Operation == "PutPolicy" && (e.Outcome == "Success" || e.Outcome == "ResponseLost"));
            var appliedListCreates = createEntries.Count(e => e.Operation == "PutAppsList" && (e.Outcome == "Success" || e.Outcome == "ResponseLost"));
            Assert.Equal(policies.Count(p => p.Name.StartsWith("write-storm-", StringComparison.Ordinal)), appliedPolicyCreates);
            Assert.Equal(lists.Count(l => l.Name.StartsWith("write-storm-", StringComparison.Ordinal)), appliedListCreates);
            Assert.True(unknown > 0, "No lost response hit a create; the seed no longer exercises the unknown-outcome path.");

            foreach (var (policy, description, run) in updateRuns)
            {
                var now = policies.Single(p => p.PolicyId == policy.PolicyId);
                Assert.DoesNotContain(run.AllErrors(), e => e.ErrorId() == "ConcurrentModification");
                if (run.AllErrors().Count == 0) Assert.Equal(description, now.Description);
                else Assert.Equal("OutcomeUnknown", Assert.Single(run.AllErrors()).ErrorId());
            }
            var appliedUpdates = updateEntries.Count(e => e.Operation == "PutPolicy" && (e.Outcome == "Success" || e.Outcome == "ResponseLost"));
            Assert.Equal(updateRuns.Count(u => policies.Single(p => p.PolicyId == u.Policy.PolicyId).Description == u.Description), appliedUpdates);

            _output.WriteLine($"write storm: {creates * 2} creates and {updates} updates, {createEntries.Count + updateEntries.Count} requests, "
                              + $"{createEntries.Concat(updateEntries).Count(e => e.Injected)} faults injected, {unknown} reported OutcomeUnknown, "
                              + $"{failedCleanly} other failures, 0 applied twice");
        }

        [Theory]
        [InlineData(FaultKind.ResponseLost, 1)]
        [InlineData(FaultKind.ConnectionReset, 0)]
        public void A_create_whose_answer_is_lost_is_reported_as_maybe_applied_and_never_sent_twice(FaultKind kind, int expectedObjects)
        {
            using var sandbox = new ReliabilitySandbox(configure: o => o.Quotas.CustomAppsLists = 20);
            sandbox.RunClean("Get-FmsAdminAccount"); // a pooled connection, as in a session: the SDK resends quietly on those
            var cases = new (string Operation, string Create, string Count)[]
            {
                ("PutPolicy", "New-FmsWafPolicy -Name lost-policy -ManagedRuleGroup AWS/AWSManagedRulesCommonRuleSet -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer",
                    "Get-FmsPolicy -Name lost-policy"),
                ("PutAppsList", "Set-FmsAppsList -Name lost-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }", "Get-FmsAppsList -Name lost-apps"),
                ("PutProtocolsList", "Set-FmsProtocolsList -Name lost-protocols -Protocol tcp", "Get-FmsProtocolsList -Name lost-protocols"),
                ("PutResourceSet", "Set-FmsResourceSet -Name lost-set -ResourceType AWS::EC2::VPC", "Get-FmsResourceSet -Name lost-set"),
            };
            foreach (var (operation, create, count) in cases)
            {
                sandbox.Host.Faults.FailNext(operation, 1, kind);
                var mark = sandbox.Mark;
                var run = sandbox.Run(create);
                var error = Assert.Single(run.AllErrors());
                Assert.Equal("OutcomeUnknown", error.ErrorId());
                Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
                Assert.Contains(operation + " may have been applied", error.Message());
                var sent = sandbox.EntriesSince(mark).Where(e => e.Operation == operation).ToList();
                Assert.Equal(kind.ToString(), Assert.Single(sent).Outcome);
                Assert.Equal(expectedObjects, sandbox.RunClean(count).Output.Count);
            }
        }

        [Fact]
        public void Reads_whose_answer_is_lost_are_resent_transparently()
        {
            using var sandbox = new ReliabilitySandbox();
            var expected = OutputJson.Of(sandbox.RunClean("Get-FmsPolicy -Detailed").Objects());
            sandbox.Host.Faults.FailNext("ListPolicies", 2, FaultKind.ResponseLost);
            sandbox.Host.Faults.FailNext("GetPolicy", 3, FaultKind.ResponseLost);
            sandbox.Host.Faults.FailNext("ListTagsForResource", 1, FaultKind.ConnectionReset);
            var mark = sandbox.Mark;
            var run = sandbox.RunClean("Get-FmsPolicy -Detailed");
            Assert.Equal(expected, OutputJson.Of(run.Objects()));
            Assert.Equal(6, sandbox.EntriesSince(mark).Count(e => e.Injected));
        }
    }
}
