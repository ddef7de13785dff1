using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
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

        /// <summary>Read cmdlets in the storm: label and a factory (fresh object per run).</summary>
        private static List<(string Label, Func<FmsCmdlet> Create)> ReadCases(string resourceSetId, string taggedArn, string adminAccountId,
            string[] compliancePolicyIds, Engine.Compliance.FmsComplianceStatus[] complianceRows, FmsPolicy[] compliancePolicies)
            => new List<(string, Func<FmsCmdlet>)>
            {
                ("Get-FmsPolicy", () => new GetFmsPolicy()),
                ("Get-FmsPolicy -Detailed", () => new GetFmsPolicy { DetailedFlag = true }),
                ("Get-FmsPolicy -Name storm-*", () => new GetFmsPolicy { Name = new[] { "storm-1*" } }),
                ("Get-FmsAppsList", () => new GetFmsAppsList()),
                ("Get-FmsAppsList -Default", () => new GetFmsAppsList { DefaultFlag = true }),
                ("Get-FmsProtocolsList", () => new GetFmsProtocolsList()),
                ("Get-FmsProtocolsList -Default", () => new GetFmsProtocolsList { DefaultFlag = true }),
                ("Get-FmsResourceSet", () => new GetFmsResourceSet()),
                ("Get-FmsResourceSetResource", () => new GetFmsResourceSetResource { ResourceSetId = resourceSetId }),
                ("Get-FmsTag", () => new GetFmsTag { ResourceArn = taggedArn }),
                ("Get-FmsAdminAccount", () => new GetFmsAdminAccount()),
                ("Get-FmsAdminAccount -IncludeScope", () => new GetFmsAdminAccount { IncludeScopeFlag = true }),
                ("Get-FmsAdminScope", () => new GetFmsAdminScope { AdminAccount = adminAccountId }),
                ("Get-FmsNotificationChannel", () => new GetFmsNotificationChannel()),
                ("Get-FmsComplianceStatus", () => new GetFmsComplianceStatus { PolicyId = compliancePolicyIds }),
                ("Get-FmsComplianceStatus -NoDetail", () => new GetFmsComplianceStatus { PolicyId = compliancePolicyIds, NoDetailFlag = true }),
                // The same rows every run: -IncludeDetail enriches copies and leaves the piped rows as they were.
                ("Get-FmsViolation", () => new GetFmsViolation { InputObject = complianceRows }),
                ("Get-FmsViolation -IncludeDetail", () => new GetFmsViolation { InputObject = complianceRows, IncludeDetailFlag = true }),
                ("Get-FmsComplianceReport", () => new GetFmsComplianceReport { PolicyId = compliancePolicyIds }),
                ("Get-FmsCostEstimate", () => new GetFmsCostEstimate { Policy = compliancePolicies }),
            };

        /// <summary>Get-* cmdlets that read nothing from the service, so a storm cannot affect them.</summary>
        private static readonly string[] ReadsWithoutServiceCalls = { "Get-FmsContext", "Get-FmsSandboxRequest", "Get-FmsChangeHistory" };

        [Fact]
        public void Every_read_cmdlet_is_in_the_storm_table()
        {
            var covered = ReadCases("x", "x", "x", new string[0], new Engine.Compliance.FmsComplianceStatus[0], new FmsPolicy[0]).Select(c => c.Label.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
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
            var set = sandbox.RunClean(new SetFmsResourceSet { Name = "storm-set", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .Output.OfType<FmsResourceSet>().Single();
            for (var batch = 0; batch < 3; batch++)
            {
                var uris = Enumerable.Range(batch * 50, 50).Select(i => $"arn:aws:ec2:us-east-1:310000000001:vpc/vpc-{i:x17}").ToArray();
                sandbox.RunClean(new AddFmsResourceSetResource { ResourceSetId = set.Id, Uri = uris });
            }
            var tagged = sandbox.RunClean(new GetFmsPolicy { Name = new[] { "storm-7" } }).Output.OfType<FmsPolicy>().Single();
            sandbox.RunClean(new SetFmsTag { ResourceArn = tagged.Arn, Tag = new Hashtable { ["owner"] = "secops", ["env"] = "prod", ["tier"] = "1" } });

            // Compliance of the demo policies (the storm-* ones have no resources in scope worth reading 105 times).
            var demoPolicies = sandbox.RunClean(new GetFmsPolicy()).Output.OfType<FmsPolicy>().Where(p => !p.Name.StartsWith("storm-", StringComparison.Ordinal)).ToArray();
            var demoIds = demoPolicies.Select(p => p.PolicyId!).ToArray();
            var rows = sandbox.RunClean(new GetFmsComplianceStatus { PolicyId = demoIds }).Output.OfType<Engine.Compliance.FmsComplianceStatus>().ToArray();
            Assert.Contains(rows, r => r.StatusValue == Engine.Compliance.FmsComplianceState.NonCompliant);
            var cases = ReadCases(set.Id!, tagged.Arn!, sandbox.Host.AdminAccountId, demoIds, rows, demoPolicies);
            var baseline = cases.Select(c => OutputJson.Of(sandbox.RunClean(c.Create()).Output)).ToList();
            Assert.Contains(baseline, b => b.Count > 100);
            for (var i = 0; i < cases.Count; i++) _output.WriteLine($"baseline {cases[i].Label}: {baseline[i].Count} objects");

            var mark = sandbox.Mark;
            AddStorm(sandbox.Host.Faults);
            var compared = 0;
            var rounds = Heavy.Pick(2, 10);
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < cases.Count; i++)
                {
                    var run = sandbox.Run(cases[i].Create());
                    Assert.True(run.AllErrors.Count == 0, cases[i].Label + " under the storm: " + string.Join("; ", run.AllErrors)
                        + " after " + string.Join(" | ", run.Host.Verbose.Where(v => v.Contains("Exception") || v.Contains("retr")).TakeLast(3)));
                    var stormed = OutputJson.Of(run.Output);
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
                              + $"{cases.Count * rounds} cmdlet runs, {watch.Elapsed.TotalSeconds:0.0} s");
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
            var demoPolicies = sandbox.RunClean(new GetFmsPolicy()).Output.OfType<FmsPolicy>().Take(updates).ToList();
            // A higher share of lost responses than the read storm, so the unknown-outcome path is certain to be hit.
            sandbox.Host.Faults.Add(new FaultRule { Operation = "PutPolicy", Kind = FaultKind.ResponseLost, Rate = 0.15 });
            sandbox.Host.Faults.Add(new FaultRule { Operation = "PutAppsList", Kind = FaultKind.ResponseLost, Rate = 0.15 });
            AddStorm(sandbox.Host.Faults);

            var mark = sandbox.Mark;
            var policyRuns = new List<(string Name, CmdletRun Run)>();
            var listRuns = new List<(string Name, CmdletRun Run)>();
            for (var i = 0; i < creates; i++)
            {
                var name = "write-storm-" + i;
                policyRuns.Add((name, sandbox.Run(new NewFmsWafPolicy
                {
                    Name = name,
                    ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" },
                    ResourceType = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer" },
                })));
                listRuns.Add((name, sandbox.Run(new SetFmsAppsList { Name = name, App = new[] { new FmsApp("https", "tcp", 443) } })));
            }
            var createEntries = sandbox.EntriesSince(mark);
            var updateMark = sandbox.Mark;
            var updateRuns = demoPolicies.Select((p, i) => (Policy: p, Description: "storm update " + i,
                Run: sandbox.Run(new SetFmsPolicy { PolicyId = p.PolicyId, Description = "storm update " + i }))).ToList();
            var updateEntries = sandbox.EntriesSince(updateMark);
            sandbox.Host.Faults.Clear();

            var policies = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output.OfType<FmsPolicy>().ToList();
            var lists = sandbox.RunClean(new GetFmsAppsList()).Output.OfType<FmsAppsList>().ToList();
            var unknown = 0;
            var failedCleanly = 0;
            foreach (var (name, run, count) in policyRuns.Select(r => (r.Name, r.Run, policies.Count(p => p.Name == r.Name)))
                         .Concat(listRuns.Select(r => (r.Name, r.Run, lists.Count(l => l.Name == r.Name)))))
            {
                Assert.True(count <= 1, $"'{name}' exists {count} times: a create was applied twice.");
                if (run.AllErrors.Count == 0)
                {
                    Assert.True(count == 1, $"'{name}' was reported created but does not exist.");
                    continue;
                }
                var error = Assert.Single(run.AllErrors);
                if (error.ErrorId == "OutcomeUnknown")
                {
                    unknown++;
                    Assert.Contains("may have been applied", error.Message);
                }
                else
                {
                    failedCleanly++;
                    Assert.True(count == 0, $"'{name}' failed with {error} yet exists.");
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
                Assert.DoesNotContain(run.AllErrors, e => e.ErrorId == "ConcurrentModification");
                if (run.AllErrors.Count == 0) Assert.Equal(description, now.Description);
                else Assert.Equal("OutcomeUnknown", Assert.Single(run.AllErrors).ErrorId);
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
            sandbox.RunClean(new GetFmsAdminAccount()); // a pooled connection, as in a session: the SDK resends quietly on those
            var cases = new (string Operation, Func<FmsCmdlet> Create, Func<int> Count)[]
            {
                ("PutPolicy", () => new NewFmsWafPolicy { Name = "lost-policy", ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" },
                        ResourceType = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer" } },
                    () => sandbox.RunClean(new GetFmsPolicy { Name = new[] { "lost-policy" } }).Output.Count),
                ("PutAppsList", () => new SetFmsAppsList { Name = "lost-apps", App = new[] { new FmsApp("https", "tcp", 443) } },
                    () => sandbox.RunClean(new GetFmsAppsList { Name = new[] { "lost-apps" } }).Output.Count),
                ("PutProtocolsList", () => new SetFmsProtocolsList { Name = "lost-protocols", Protocol = new[] { "tcp" } },
                    () => sandbox.RunClean(new GetFmsProtocolsList { Name = new[] { "lost-protocols" } }).Output.Count),
                ("PutResourceSet", () => new SetFmsResourceSet { Name = "lost-set", ResourceType = new[] { "AWS::EC2::VPC" } },
                    () => sandbox.RunClean(new GetFmsResourceSet { Name = new[] { "lost-set" } }).Output.Count),
            };
            foreach (var (operation, create, count) in cases)
            {
                sandbox.Host.Faults.FailNext(operation, 1, kind);
                var mark = sandbox.Mark;
                var run = sandbox.Run(create());
                var error = Assert.Single(run.AllErrors);
                Assert.Equal("OutcomeUnknown", error.ErrorId);
                Assert.Equal(Engine.Diagnostics.FmsErrorCategory.ConnectionError, error.Category);
                Assert.Contains(operation + " may have been applied", error.Message);
                var sent = sandbox.EntriesSince(mark).Where(e => e.Operation == operation).ToList();
                Assert.Equal(kind.ToString(), Assert.Single(sent).Outcome);
                Assert.Equal(expectedObjects, count());
            }
        }

        [Fact]
        public void Reads_whose_answer_is_lost_are_resent_transparently()
        {
            using var sandbox = new ReliabilitySandbox();
            var expected = OutputJson.Of(sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output);
            sandbox.Host.Faults.FailNext("ListPolicies", 2, FaultKind.ResponseLost);
            sandbox.Host.Faults.FailNext("GetPolicy", 3, FaultKind.ResponseLost);
            sandbox.Host.Faults.FailNext("ListTagsForResource", 1, FaultKind.ConnectionReset);
            var mark = sandbox.Mark;
            var run = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true });
            Assert.Equal(expected, OutputJson.Of(run.Output));
            Assert.Equal(6, sandbox.EntriesSince(mark).Count(e => e.Injected));
        }
    }
}
