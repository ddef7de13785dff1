using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Compliance;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// The remediation engine (planner and executor, what Invoke-FmsRemediation -Wait runs) against the demo organization,
    /// following FMS's convergence over sandbox time: the executor's clock advances the frozen sandbox clock by each poll
    /// interval it waits (<see cref="ComplianceSandbox.SandboxDrivenClock()"/>). Each test has its own sandbox.
    /// </summary>
    public sealed class RemediationConvergenceTests
    {
        private const string Region = ComplianceSandbox.UsEast1;
        private const string WaitActivity = "Waiting for Firewall Manager remediation";

        /// <summary>The FMS administrator's clients of a sandbox, one per region (the executor's client lookup).</summary>
        private sealed class Clients : IDisposable
        {
            private readonly ComplianceSandbox _sandbox;
            private readonly Dictionary<string, SigV4TestClient> _http = new Dictionary<string, SigV4TestClient>(StringComparer.Ordinal);

            public Clients(ComplianceSandbox sandbox) { _sandbox = sandbox; }

            public IFmsClient For(string region)
            {
                lock (_http)
                {
                    if (!_http.TryGetValue(region, out var client)) _http[region] = client = SigV4TestClient.Admin(_sandbox.Host, region);
                    return new FmsClient(client);
                }
            }

            /// <summary>A fresh compliance service (nothing cached) of one region.</summary>
            public ComplianceService Service(string region) => new ComplianceService(For(region), region);

            public void Dispose()
            {
                foreach (var client in _http.Values) client.Dispose();
            }
        }

        /// <summary>What the cmdlet plans for these policies: the read-only plan with violation details and the policies' ManagedServiceData.</summary>
        private static async Task<RemediationPlan> PlanAsync(Clients clients, IReadOnlyList<PolicyReference> policies, string region)
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var policy in policies)
            {
                var response = await clients.For(region).GetPolicyAsync(new GetPolicyRequest { PolicyId = policy.PolicyId });
                var managed = response.Policy?.SecurityServicePolicyData?.ManagedServiceData;
                if (managed != null) data[policy.PolicyId] = managed;
            }
            return await new RemediationPlanner().PlanAsync(clients.Service(region), policies, includeViolationDetails: true,
                options: new RemediationPlanningOptions { ManagedServiceDataByPolicyId = data });
        }

        private static async Task<List<FmsComplianceStatus>> StatusAsync(ComplianceService service, IEnumerable<PolicyReference> policies)
        {
            var rows = new List<FmsComplianceStatus>();
            foreach (var policy in policies)
                await foreach (var row in service.GetComplianceStatusAsync(policy, new ComplianceQuery { IncludeViolators = true }))
                    rows.Add(row);
            return rows;
        }

        /// <summary>The results of each violating resource (a NACL or route remediation has several ordered steps).</summary>
        private static List<List<RemediationResult>> PerResource(IEnumerable<RemediationResult> results)
            => results.Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation)
                .GroupBy(r => string.Join("|", r.Step.Region, r.Step.PolicyId, r.Step.AccountId, r.Step.ResourceType, r.Step.ResourceId))
                .Select(g => g.ToList()).ToList();

        [Fact]
        public async Task Remediation_turns_the_demo_policies_on_follows_convergence_and_leaves_no_violation()
        {
            using var sandbox = new ComplianceSandbox();
            using var clients = new Clients(sandbox);
            var names = new[]
            {
                DemoOrganization.WafPolicyName, DemoOrganization.DnsFirewallPolicyName, DemoOrganization.ContentAuditPolicyName,
                DemoOrganization.SecurityGroupCommonPolicyName, DemoOrganization.ShieldPolicyName,
            };
            foreach (var name in names) sandbox.SetRemediation(name, Region, enabled: false);
            var policies = (await clients.Service(Region).GetPoliciesAsync()).Where(p => names.Contains(p.PolicyName)).ToList();
            Assert.Equal(names.Length, policies.Count);
            Assert.All(policies, p => Assert.False(p.RemediationEnabled));
            var before = await StatusAsync(clients.Service(Region), policies);
            Assert.Equal(names.Sum(n => DemoOrganization.ExpectedViolations(n, Region).Count), before.Sum(r => r.ViolatorCount));

            var plan = await PlanAsync(clients, policies, Region);
            var mark = sandbox.Mark;
            var started = sandbox.Host.Clock.UtcNow;
            var reporter = new RecordingReporter();
            var results = await new RemediationExecutor(clients.For, reporter, sandbox.SandboxDrivenClock()).ExecuteAsync(plan,
                new RemediationExecutionOptions { WaitForCompliance = true, Timeout = TimeSpan.FromMinutes(15), PollInterval = TimeSpan.FromMinutes(1) });

            var enabled = results.Where(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).ToList();
            Assert.Equal(names.OrderBy(n => n), enabled.Select(r => r.PolicyName).OrderBy(n => n));
            Assert.All(enabled, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            var resources = PerResource(results);
            Assert.Equal(names.Sum(n => DemoOrganization.ExpectedViolations(n, Region).Count), resources.Count);
            Assert.All(resources.SelectMany(r => r), r => Assert.True(r.OutcomeValue == RemediationOutcome.Remediated, r.ToString()));
            // The only changes were one PutPolicy per policy.
            var mutating = sandbox.MutatingCallsSince(mark);
            Assert.Equal(names.Length, mutating.Count);
            Assert.All(mutating, e => Assert.Equal("PutPolicy", e.Operation));
            Assert.Contains(reporter.ProgressRecords, p => p.Activity == WaitActivity && p.Completed);
            // It waited sandbox time until FMS converged (two minutes after the change), well within the timeout.
            Assert.InRange(sandbox.Host.Clock.UtcNow - started, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));

            var after = await StatusAsync(clients.Service(Region), policies);
            Assert.NotEmpty(after);
            Assert.All(after, r => Assert.Equal(FmsComplianceState.Compliant, r.StatusValue));
            Assert.All((await clients.Service(Region).GetPoliciesAsync()).Where(p => names.Contains(p.PolicyName)), p => Assert.True(p.RemediationEnabled));
        }

        [Theory]
        [InlineData(ComplianceSandbox.UsEast1)]
        [InlineData(ComplianceSandbox.EuWest1)]
        public async Task Policies_that_already_remediate_are_followed_to_zero_violations_without_any_change(string region)
        {
            using var sandbox = new ComplianceSandbox();
            using var clients = new Clients(sandbox);
            var policies = await clients.Service(region).GetPoliciesAsync();
            Assert.Equal(DemoOrganization.Policies(region).Count, policies.Count);
            Assert.All(policies, p => Assert.True(p.RemediationEnabled));

            var plan = await PlanAsync(clients, policies, region);
            var mark = sandbox.Mark;
            var results = await new RemediationExecutor(clients.For, clock: sandbox.SandboxDrivenClock()).ExecuteAsync(plan,
                new RemediationExecutionOptions { WaitForCompliance = true, Timeout = TimeSpan.FromMinutes(15) });

            Assert.Empty(sandbox.MutatingCallsSince(mark));
            Assert.DoesNotContain(results, r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation);
            var resources = PerResource(results);
            Assert.Equal(DemoOrganization.ExpectedViolations(region).Select(v => v.PolicyName + v.AccountId + v.ResourceId).Distinct().Count(), resources.Count);
            // FMS fixes everything except Network Firewall routes, which it only monitors (and FmsTools cannot change: no EC2 client).
            var monitorOnly = DemoOrganization.ExpectedViolations(region).Where(v => !v.FmsRemediates).ToList();
            var routeResources = monitorOnly.Select(v => v.ResourceId).ToHashSet();
            Assert.All(resources.SelectMany(r => r),
                r => Assert.True(r.OutcomeValue == (routeResources.Contains(r.ResourceId) ? RemediationOutcome.NotSupported : RemediationOutcome.Remediated), r.ToString()));

            var report = await StatusAsync(clients.Service(region), policies);
            Assert.Equal(DemoOrganization.Policies(region).Count, report.Select(r => r.PolicyId).Distinct().Count());
            Assert.All(report.Where(r => !monitorOnly.Any(v => v.AccountId == r.AccountId && v.PolicyName == r.PolicyName)), r => Assert.Equal(FmsComplianceState.Compliant, r.StatusValue));
            Assert.Equal(monitorOnly.Count, report.Sum(r => r.ViolatorCount));
        }

        [Fact]
        public async Task Without_convergence_in_time_resources_are_still_non_compliant()
        {
            using var sandbox = new ComplianceSandbox();
            using var clients = new Clients(sandbox);
            sandbox.SetRemediation(DemoOrganization.DnsFirewallPolicyName, Region, enabled: false);
            var policies = (await clients.Service(Region).GetPoliciesAsync()).Where(p => p.PolicyName == DemoOrganization.DnsFirewallPolicyName).ToList();
            var plan = await PlanAsync(clients, policies, Region);
            var started = sandbox.Host.Clock.UtcNow;

            // The sandbox converges two minutes after the change; the executor gives up after one.
            var results = await new RemediationExecutor(clients.For, clock: sandbox.SandboxDrivenClock()).ExecuteAsync(plan,
                new RemediationExecutionOptions { WaitForCompliance = true, Timeout = TimeSpan.FromMinutes(1), PollInterval = TimeSpan.FromSeconds(20) });

            var resources = PerResource(results);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.DnsFirewallPolicyName, Region).Count, resources.Count);
            Assert.All(resources.SelectMany(r => r), r => Assert.Equal(RemediationOutcome.StillNonCompliant, r.OutcomeValue));
            // It waited out the timeout in sandbox time and gave up before FMS would have converged.
            Assert.InRange(sandbox.Host.Clock.UtcNow - started, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1.5));
        }
    }
}
