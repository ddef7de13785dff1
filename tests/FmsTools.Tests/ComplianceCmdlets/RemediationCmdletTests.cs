using System;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// Invoke-FmsRemediation in a real runspace against the demo organization (clock frozen: nothing converges on its own);
    /// each test has its own sandbox because remediation changes it. Following convergence over sandbox time is tested on
    /// the engine: <see cref="RemediationConvergenceTests"/>.
    /// </summary>
    public sealed class RemediationCmdletTests
    {
        private const string Region = ComplianceSandbox.UsEast1;

        private static SandboxRunspace Frozen() => new SandboxRunspace(options: FrozenDemoRunspace.Options);

        private static void RemediationOff(SandboxRunspace env, params string[] policyNames)
        {
            foreach (var name in policyNames) ComplianceSandbox.SetRemediation(env.Sandbox, name, Region, enabled: false);
        }

        [Fact]
        public void WhatIf_on_every_demo_policy_plans_every_violator_and_makes_no_mutating_call()
        {
            using var env = Frozen();
            RemediationOff(env, DemoOrganization.WafPolicyName, DemoOrganization.DnsFirewallPolicyName);
            var mark = env.Mark;
            var text = env.Host.Text.Length;

            var result = env.Run("Get-FmsPolicy | Invoke-FmsRemediation -WhatIf").ShouldSucceed();

            Assert.Empty(env.MutatingSince(mark));
            var results = result.OutputOf<RemediationResult>().ToList();
            // Network Firewall route violations need EC2 route changes FMS only suggests: NotSupported, naming the EC2 API.
            var routeResources = DemoOrganization.ExpectedViolations(Region).Where(v => !v.FmsRemediates).Select(v => v.ResourceId).ToHashSet();
            Assert.All(results, r => Assert.Equal(routeResources.Contains(r.ResourceId) ? RemediationOutcome.NotSupported : RemediationOutcome.Planned, r.OutcomeValue));
            Assert.All(results.Where(r => r.OutcomeValue == RemediationOutcome.NotSupported), r => Assert.Contains("ec2:", r.MissingCapability));
            // One result per violating resource (multi-step NACL remediations folded) plus one per policy to turn remediation on.
            var resources = results.Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            Assert.Equal(ComplianceSandbox.Expected(Region).Select(k => string.Join("|", k.Split('|').Take(4))).ToHashSet(),
                resources.Select(r => string.Join("|", r.PolicyName, r.Region, r.AccountId, r.ResourceId)).ToHashSet());
            Assert.Equal(resources.Count, resources.Select(r => r.PolicyId + r.AccountId + r.ResourceId).Distinct().Count());
            var enables = results.Where(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).Select(r => r.PolicyName).OrderBy(x => x);
            Assert.Equal(new[] { DemoOrganization.DnsFirewallPolicyName, DemoOrganization.WafPolicyName }, enables);
            // One "What if" per policy, naming what changes.
            var whatIf = env.Host.WhatIfSince(text);
            Assert.Equal(DemoOrganization.PolicyNames.Count, whatIf.Count);
            var waf = Assert.Single(whatIf, c => c.Target.StartsWith(DemoOrganization.WafPolicyName + " ", StringComparison.Ordinal));
            Assert.StartsWith("Turn on automatic remediation (PutPolicy RemediationEnabled=true): FMS then changes", waf.Action);
            var nacl = results.Single(r => r.PolicyName == DemoOrganization.NetworkAclPolicyName && r.ResourceId.Length > 0 && r.AccountId == DemoOrganization.ProdApi);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.NetworkAclPolicyName, Region).Single(v => v.AccountId == DemoOrganization.ProdApi).ResourceId, nacl.ResourceId);
        }

        [Fact]
        public void Declining_the_confirmation_changes_nothing()
        {
            using var env = Frozen();
            RemediationOff(env, DemoOrganization.ShieldPolicyName);
            var mark = env.Mark;
            var prompts = env.Host.Prompts.Count;

            // ConfirmImpact High: PowerShell asks without -Confirm; the test host answers No.
            var result = env.Run($"Get-FmsPolicy -Name {DemoOrganization.ShieldPolicyName} | Invoke-FmsRemediation").ShouldSucceed();

            var (target, action) = Assert.Single(env.Host.PromptsSince(prompts));
            Assert.StartsWith(DemoOrganization.ShieldPolicyName + " (", target);
            Assert.StartsWith("Turn on automatic remediation", action);
            Assert.Empty(env.MutatingSince(mark));
            var results = result.OutputOf<RemediationResult>().ToList();
            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue));
        }

        [Fact]
        public void Wait_follows_compliance_until_Timeout_and_reports_resources_still_non_compliant()
        {
            // The sandbox clock stands still, so FMS never converges: -Wait gives up after -Timeout (one second of real time).
            using var env = Frozen();
            RemediationOff(env, DemoOrganization.DnsFirewallPolicyName);
            var mark = env.Mark;

            var result = env.Run($"Get-FmsPolicy -Name {DemoOrganization.DnsFirewallPolicyName} | Invoke-FmsRemediation -Force -Wait -Timeout 00:00:01").ShouldSucceed();

            var results = result.OutputOf<RemediationResult>().ToList();
            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).OutcomeValue);
            var resources = results.Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.DnsFirewallPolicyName, Region).Select(v => v.ResourceId).OrderBy(x => x),
                resources.Select(r => r.ResourceId).OrderBy(x => x));
            Assert.All(resources, r => Assert.Equal(RemediationOutcome.StillNonCompliant, r.OutcomeValue));
            Assert.Equal(new[] { "PutPolicy" }, env.MutatingSince(mark).Select(e => e.Operation));
            // It closed its progress bar.
            Assert.Contains(result.Progress, p => p.Activity == "Waiting for Firewall Manager remediation" && p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void Without_Wait_remediation_is_turned_on_and_resources_are_pending()
        {
            using var env = Frozen();
            RemediationOff(env, DemoOrganization.ContentAuditPolicyName);
            var violations = env.Run($"$v = Get-FmsViolation -PolicyId {ComplianceSandbox.PolicyId(DemoOrganization.ContentAuditPolicyName)} -AccountId {DemoOrganization.SandboxBob}; $v")
                .ShouldSucceed().OutputOf<FmsViolation>().ToList();
            Assert.NotEmpty(violations);
            var mark = env.Mark;

            var results = env.Run("$v | Invoke-FmsRemediation -Force").ShouldSucceed().OutputOf<RemediationResult>().ToList();

            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).OutcomeValue);
            var resources = results.Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            // Only the piped violations are planned, not the policy's other accounts.
            Assert.Equal(violations.Select(v => v.ResourceId).OrderBy(x => x), resources.Select(r => r.ResourceId).OrderBy(x => x));
            Assert.All(resources, r => Assert.Equal(RemediationOutcome.Pending, r.OutcomeValue));
            Assert.Equal(new[] { "PutPolicy" }, env.MutatingSince(mark).Select(e => e.Operation));
            Assert.True(env.Run($"(Get-FmsPolicy -Name {DemoOrganization.ContentAuditPolicyName}).RemediationEnabled").ShouldSucceed().OutputOf<bool>().Single());
        }

        [Fact]
        public void Actions_FMS_cannot_carry_out_are_NotSupported_with_the_exact_missing_capability()
        {
            using var env = Frozen();
            var policyId = ComplianceSandbox.PolicyId(DemoOrganization.NetworkFirewallPolicyName);
            // A route violation as GetViolationDetails describes one: FMS suggests EC2 actions it cannot take itself.
            var violation = new FmsViolation
            {
                PolicyId = policyId, PolicyName = DemoOrganization.NetworkFirewallPolicyName, PolicyType = "NETWORK_FIREWALL", Region = Region,
                AccountId = DemoOrganization.ProdApi, AccountName = "prod-api", ResourceId = "vpc-0123456789abcdef0", ResourceType = "AWS::EC2::VPC",
                Reason = "INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE", IsEnriched = true,
                PossibleRemediationActions = new[]
                {
                    new FmsRemediationOption("Route internet traffic through the firewall endpoint", new[]
                    {
                        new FmsRemediationActionStep(1, "EC2CreateRouteTableAction", "Create a route table for the internet gateway", "vpc-0123456789abcdef0", false),
                        new FmsRemediationActionStep(2, "EC2CreateRouteAction", "Route 10.0.1.0/24 to the firewall endpoint", "rtb-0123456789abcdef0", false),
                    }, isDefaultAction: true),
                },
            };
            env.Session.Set("violation", violation);
            var mark = env.Mark;
            var prompts = env.Host.Prompts.Count;
            var text = env.Host.Text.Length;

            // Without -Force (ConfirmImpact High would ask) and with -WhatIf: nothing FmsTools could do, so nothing to confirm.
            var result = env.Run("Invoke-FmsRemediation -Violation $violation").ShouldSucceed();
            Assert.Equal(prompts, env.Host.Prompts.Count);
            env.Run("$violation | Invoke-FmsRemediation -WhatIf").ShouldSucceed();
            Assert.Empty(env.Host.WhatIfSince(text));
            Assert.Empty(env.MutatingSince(mark));

            var outcome = Assert.Single(result.OutputOf<RemediationResult>());
            Assert.Equal(RemediationOutcome.NotSupported, outcome.OutcomeValue);
            Assert.Equal("vpc-0123456789abcdef0", outcome.ResourceId);
            Assert.Contains("EC2CreateRouteTableAction needs ec2:CreateRouteTable", outcome.MissingCapability);
            Assert.Contains("EC2CreateRouteAction needs ec2:CreateRoute", outcome.MissingCapability);
            Assert.Contains("-MemberRoleName", outcome.MissingCapability);
        }
    }
}
