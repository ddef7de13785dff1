using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Policies;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Invoke-FmsRemediation against the demo organization; each test has its own sandbox because remediation changes it.</summary>
    public sealed class RemediationCmdletTests
    {
        private const string Region = ComplianceSandbox.UsEast1;

        private static List<FmsPolicy> DemoPolicies(ComplianceSandbox sandbox, string region = Region)
            => sandbox.RunClean(new GetFmsPolicy { Region = region }).OutputOf<FmsPolicy>().ToList();

        private static RecordingCommandHost Remediate(ComplianceSandbox sandbox, IEnumerable<FmsPolicy> policies, InvokeFmsRemediation cmdlet, RecordingCommandHost? host = null)
            => CmdletRunner.RunPipeline(sandbox.Connect(cmdlet), policies, (c, p) => c.Policy = new[] { p }, host);

        [Fact]
        public void WhatIf_on_every_demo_policy_plans_every_violator_and_makes_no_mutating_call()
        {
            using var sandbox = new ComplianceSandbox();
            foreach (var name in new[] { DemoOrganization.WafPolicyName, DemoOrganization.DnsFirewallPolicyName })
                sandbox.SetRemediation(name, Region, enabled: false);
            var policies = DemoPolicies(sandbox);
            var mark = sandbox.Mark;

            var host = Remediate(sandbox, policies, new InvokeFmsRemediation(), new RecordingCommandHost { WhatIf = true });

            Assert.Empty(sandbox.MutatingCallsSince(mark));
            Assert.Empty(host.Errors);
            var results = host.OutputOf<RemediationResult>().ToList();
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
            // One question per policy, naming what changes.
            Assert.Equal(DemoOrganization.PolicyNames.Count, host.ShouldProcessCalls.Count);
            var waf = host.ShouldProcessCalls.Single(c => c.Target.StartsWith(DemoOrganization.WafPolicyName + " "));
            Assert.StartsWith("Turn on automatic remediation (PutPolicy RemediationEnabled=true): FMS then changes", waf.Action);
            var nacl = results.Single(r => r.PolicyName == DemoOrganization.NetworkAclPolicyName && r.ResourceId.Length > 0 && r.AccountId == DemoOrganization.ProdApi);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.NetworkAclPolicyName, Region).Single(v => v.AccountId == DemoOrganization.ProdApi).ResourceId, nacl.ResourceId);
        }

        [Fact]
        public void Declining_the_confirmation_changes_nothing()
        {
            using var sandbox = new ComplianceSandbox();
            sandbox.SetRemediation(DemoOrganization.ShieldPolicyName, Region, enabled: false);
            var policies = DemoPolicies(sandbox).Where(p => p.Name == DemoOrganization.ShieldPolicyName).ToList();
            var mark = sandbox.Mark;
            var host = Remediate(sandbox, policies, new InvokeFmsRemediation(), new RecordingCommandHost { ConfirmRequested = true, ConfirmAnswer = false });
            Assert.Single(host.Prompts);
            Assert.Empty(sandbox.MutatingCallsSince(mark));
            Assert.All(host.OutputOf<RemediationResult>(), r => Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue));
        }

        [Fact]
        public void Remediation_turns_the_demo_policies_on_follows_convergence_and_leaves_no_violation()
        {
            using var sandbox = new ComplianceSandbox();
            var names = new[]
            {
                DemoOrganization.WafPolicyName, DemoOrganization.DnsFirewallPolicyName, DemoOrganization.ContentAuditPolicyName,
                DemoOrganization.SecurityGroupCommonPolicyName, DemoOrganization.ShieldPolicyName,
            };
            foreach (var name in names) sandbox.SetRemediation(name, Region, enabled: false);
            var policies = DemoPolicies(sandbox).Where(p => names.Contains(p.Name)).ToList();
            Assert.All(policies, p => Assert.False(p.RemediationEnabled));
            var before = sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = names }).OutputOf<FmsComplianceStatus>().Sum(r => r.ViolatorCount);
            Assert.Equal(names.Sum(n => DemoOrganization.ExpectedViolations(n, Region).Count), before);

            var mark = sandbox.Mark;
            var host = Remediate(sandbox, policies, new InvokeFmsRemediation
            {
                ForceFlag = true, WaitFlag = true, Timeout = TimeSpan.FromMinutes(15), PollInterval = TimeSpan.FromMinutes(1), Clock = sandbox.SandboxDrivenClock(),
            });

            Assert.Empty(host.Errors);
            var results = host.OutputOf<RemediationResult>().ToList();
            var enabled = results.Where(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).ToList();
            Assert.Equal(names.OrderBy(n => n), enabled.Select(r => r.PolicyName).OrderBy(n => n));
            Assert.All(enabled, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            var resources = results.Except(enabled).ToList();
            Assert.Equal(names.Sum(n => DemoOrganization.ExpectedViolations(n, Region).Count), resources.Count);
            Assert.All(resources, r => Assert.True(r.OutcomeValue == RemediationOutcome.Remediated, r.ToString()));
            // The only changes were one PutPolicy per policy.
            var mutating = sandbox.MutatingCallsSince(mark);
            Assert.Equal(names.Length, mutating.Count);
            Assert.All(mutating, e => Assert.Equal("PutPolicy", e.Operation));
            Assert.Contains(host.Progress, p => p.Activity == "Waiting for Firewall Manager remediation" && p.Completed);

            var after = sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = names }).OutputOf<FmsComplianceStatus>().ToList();
            Assert.NotEmpty(after);
            Assert.All(after, r => Assert.Equal(FmsComplianceState.Compliant, r.StatusValue));
            Assert.All(DemoPolicies(sandbox).Where(p => names.Contains(p.Name)), p => Assert.True(p.RemediationEnabled));
        }

        [Theory]
        [InlineData(ComplianceSandbox.UsEast1)]
        [InlineData(ComplianceSandbox.EuWest1)]
        public void Policies_that_already_remediate_are_followed_to_zero_violations_without_any_change(string region)
        {
            using var sandbox = new ComplianceSandbox();
            var policies = DemoPolicies(sandbox, region);
            Assert.All(policies, p => Assert.True(p.RemediationEnabled));
            var mark = sandbox.Mark;
            var host = Remediate(sandbox, policies, new InvokeFmsRemediation
            {
                ForceFlag = true, WaitFlag = true, Timeout = TimeSpan.FromMinutes(15), Clock = sandbox.SandboxDrivenClock(),
            });
            Assert.Empty(host.Errors);
            Assert.Empty(sandbox.MutatingCallsSince(mark));
            var results = host.OutputOf<RemediationResult>().ToList();
            Assert.DoesNotContain(results, r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation);
            Assert.Equal(DemoOrganization.ExpectedViolations(region).Select(v => v.PolicyName + v.AccountId + v.ResourceId).Distinct().Count(), results.Count);
            // FMS fixes everything except Network Firewall routes, which it only monitors (and FmsTools cannot change: no EC2 client).
            var monitorOnly = DemoOrganization.ExpectedViolations(region).Where(v => !v.FmsRemediates).ToList();
            var routeResources = monitorOnly.Select(v => v.ResourceId).ToHashSet();
            Assert.All(results, r => Assert.True(r.OutcomeValue == (routeResources.Contains(r.ResourceId) ? RemediationOutcome.NotSupported : RemediationOutcome.Remediated), r.ToString()));

            var report = sandbox.RunClean(new GetFmsComplianceReport { Region = new[] { region } }).OutputOf<FmsComplianceStatus>().ToList();
            Assert.Equal(DemoOrganization.Policies(region).Count, report.Select(r => r.PolicyId).Distinct().Count());
            Assert.All(report.Where(r => !monitorOnly.Any(v => v.AccountId == r.AccountId && v.PolicyName == r.PolicyName)), r => Assert.Equal(FmsComplianceState.Compliant, r.StatusValue));
            Assert.Equal(monitorOnly.Count, report.Sum(r => r.ViolatorCount));
        }

        [Fact]
        public void Without_convergence_in_time_resources_are_still_non_compliant()
        {
            using var sandbox = new ComplianceSandbox();
            sandbox.SetRemediation(DemoOrganization.DnsFirewallPolicyName, Region, enabled: false);
            var policies = DemoPolicies(sandbox).Where(p => p.Name == DemoOrganization.DnsFirewallPolicyName).ToList();
            // The sandbox converges two minutes after the change; the cmdlet gives up after one.
            var host = Remediate(sandbox, policies, new InvokeFmsRemediation
            {
                ForceFlag = true, WaitFlag = true, Timeout = TimeSpan.FromMinutes(1), PollInterval = TimeSpan.FromSeconds(20), Clock = sandbox.SandboxDrivenClock(),
            });
            var resources = host.OutputOf<RemediationResult>().Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.DnsFirewallPolicyName, Region).Count, resources.Count);
            Assert.All(resources, r => Assert.Equal(RemediationOutcome.StillNonCompliant, r.OutcomeValue));
        }

        [Fact]
        public void Without_Wait_remediation_is_turned_on_and_resources_are_pending()
        {
            using var sandbox = new ComplianceSandbox();
            sandbox.SetRemediation(DemoOrganization.ContentAuditPolicyName, Region, enabled: false);
            var violations = sandbox.RunClean(new GetFmsViolation
            {
                PolicyId = ComplianceSandbox.PolicyId(DemoOrganization.ContentAuditPolicyName), AccountId = new[] { DemoOrganization.SandboxBob },
            }).OutputOf<FmsViolation>().ToList();
            Assert.NotEmpty(violations);
            var cmdlet = sandbox.Connect(new InvokeFmsRemediation { ForceFlag = true });
            var host = CmdletRunner.RunPipeline(cmdlet, violations, (c, v) => c.Violation = new[] { v });
            Assert.Empty(host.Errors);
            var results = host.OutputOf<RemediationResult>().ToList();
            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).OutcomeValue);
            var resources = results.Where(r => r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            // Only the piped violations are planned, not the policy's other accounts.
            Assert.Equal(violations.Select(v => v.ResourceId).OrderBy(x => x), resources.Select(r => r.ResourceId).OrderBy(x => x));
            Assert.All(resources, r => Assert.Equal(RemediationOutcome.Pending, r.OutcomeValue));
        }

        [Fact]
        public void Actions_FMS_cannot_carry_out_are_NotSupported_with_the_exact_missing_capability()
        {
            using var sandbox = new ComplianceSandbox();
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
            var mark = sandbox.Mark;
            var host = sandbox.Run(new InvokeFmsRemediation { Violation = new[] { violation }, ForceFlag = true });
            Assert.Empty(host.Errors);
            Assert.Empty(host.ShouldProcessCalls); // nothing FmsTools could do, so nothing to confirm
            Assert.Empty(sandbox.MutatingCallsSince(mark));
            var result = Assert.Single(host.OutputOf<RemediationResult>());
            Assert.Equal(RemediationOutcome.NotSupported, result.OutcomeValue);
            Assert.Equal("vpc-0123456789abcdef0", result.ResourceId);
            Assert.Contains("EC2CreateRouteTableAction needs ec2:CreateRouteTable", result.MissingCapability);
            Assert.Contains("EC2CreateRouteAction needs ec2:CreateRoute", result.MissingCapability);
            Assert.Contains("no EC2 client", result.MissingCapability);
        }
    }
}
