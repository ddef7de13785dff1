using System;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Test-FmsCompliance and Assert-FmsCompliance (the Pester building blocks) against the demo organization.</summary>
    public sealed class ComplianceCheckCmdletTests
    {
        private const string Region = ComplianceSandbox.UsEast1;

        [Fact]
        public void Test_returns_the_evidence_and_Quiet_just_the_boolean()
        {
            using var sandbox = new ComplianceSandbox();
            var evidence = Assert.Single(sandbox.RunClean(new TestFmsCompliance { PolicyName = new[] { DemoOrganization.ContentAuditPolicyName } })
                .OutputOf<FmsComplianceTestResult>());
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.ContentAuditPolicyName, Region);
            Assert.False(evidence.IsCompliant);
            Assert.Equal(1, evidence.Policies);
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().OrderBy(x => x), evidence.NonCompliant.Select(r => r.AccountId).OrderBy(x => x));
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.ContentAuditPolicyName, Region), evidence.Violations.Select(ComplianceSandbox.Key).ToHashSet());
            Assert.Equal(evidence.Rows.Count, evidence.Evaluations);
            Assert.StartsWith("NOT compliant", evidence.Summary);

            var quiet = sandbox.RunClean(new TestFmsCompliance { PolicyName = new[] { DemoOrganization.ContentAuditPolicyName }, QuietFlag = true });
            Assert.Equal(new object?[] { false }, quiet.Output);

            // An account the policy finds nothing wrong in.
            var clean = sandbox.RunClean(new TestFmsCompliance
            {
                PolicyName = new[] { DemoOrganization.ContentAuditPolicyName }, AccountId = new[] { DemoOrganization.LogArchive }, QuietFlag = true,
            });
            Assert.Equal(new object?[] { true }, clean.Output);
        }

        [Fact]
        public void Policies_and_rows_from_the_pipeline_are_evaluated_together()
        {
            using var sandbox = new ComplianceSandbox();
            var policies = sandbox.RunClean(new GetFmsPolicy { Name = new[] { "demo-waf-*" } }).OutputOf<FmsPolicy>().ToList();
            Assert.Equal(2, policies.Count);
            var host = CmdletRunner.RunPipeline(sandbox.Connect(new TestFmsCompliance()), policies, (c, p) => c.Policy = new[] { p });
            var evidence = Assert.Single(host.OutputOf<FmsComplianceTestResult>());
            Assert.Equal(2, evidence.Policies);
            var expected = ComplianceSandbox.ExpectedFor(DemoOrganization.WafPolicyName, Region);
            expected.UnionWith(ComplianceSandbox.ExpectedFor(DemoOrganization.WafCloudFrontPolicyName, Region));
            Assert.Equal(expected, evidence.Violations.Select(ComplianceSandbox.Key).ToHashSet());

            // Rows without detail are drilled into so the evidence names the violators.
            var rows = sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = new[] { DemoOrganization.DnsFirewallPolicyName }, NoDetailFlag = true })
                .OutputOf<FmsComplianceStatus>().ToList();
            var fromRows = CmdletRunner.RunPipeline(sandbox.Connect(new TestFmsCompliance()), rows, (c, r) => c.InputObject = new[] { r });
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.DnsFirewallPolicyName, Region),
                Assert.Single(fromRows.OutputOf<FmsComplianceTestResult>()).Violations.Select(ComplianceSandbox.Key).ToHashSet());
        }

        [Fact]
        public void Assert_throws_a_terminating_error_listing_policy_account_resource_and_reason()
        {
            using var sandbox = new ComplianceSandbox();
            var error = Assert.Throws<TerminatingErrorException>(() =>
                sandbox.Run(new AssertFmsCompliance { PolicyName = new[] { DemoOrganization.UsageAuditPolicyName } })).Error;
            Assert.Equal("FmsNotCompliant", error.ErrorId);
            var evidence = Assert.IsType<FmsComplianceTestResult>(error.TargetObject);
            Assert.False(evidence.IsCompliant);
            foreach (var v in DemoOrganization.ExpectedViolations(DemoOrganization.UsageAuditPolicyName, Region))
                Assert.Contains($"{v.PolicyName} | {v.Region} | {v.AccountId} (", error.Message);
            foreach (var v in DemoOrganization.ExpectedViolations(DemoOrganization.UsageAuditPolicyName, Region))
                Assert.Contains($"{v.ResourceType} {v.ResourceId}: {v.ViolationReason}", error.Message);

            var limited = Assert.Throws<TerminatingErrorException>(() =>
                sandbox.Run(new AssertFmsCompliance { PolicyName = new[] { DemoOrganization.SecurityGroupCommonPolicyName }, MaxListed = 2 })).Error;
            var total = DemoOrganization.ExpectedViolations(DemoOrganization.SecurityGroupCommonPolicyName, Region).Count;
            Assert.Contains($"... and {total - 2} more", limited.Message);
        }

        [Fact]
        public void Assert_is_silent_when_compliant_and_PassThru_writes_the_evidence()
        {
            using var sandbox = new ComplianceSandbox();
            var names = new[] { DemoOrganization.DnsFirewallPolicyName };
            sandbox.Host.Clock.Advance(TimeSpan.FromMinutes(5)); // the demo policies remediate: everything converges
            var silent = sandbox.RunClean(new AssertFmsCompliance { PolicyName = names });
            Assert.Empty(silent.Output);
            var passThru = sandbox.RunClean(new AssertFmsCompliance { PolicyName = names, PassThruFlag = true });
            var evidence = Assert.Single(passThru.OutputOf<FmsComplianceTestResult>());
            Assert.True(evidence.IsCompliant);
            Assert.True(evidence.Evaluations > 0);
            Assert.Empty(evidence.Violations);
        }

        [Fact]
        public void Inputs_that_cannot_be_evaluated_never_pass()
        {
            using var sandbox = new ComplianceSandbox();
            var assert = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new AssertFmsCompliance { PolicyName = new[] { "misspelled-policy" } })).Error;
            Assert.Equal("FmsComplianceNotEvaluated", assert.ErrorId);

            var quiet = sandbox.Run(new TestFmsCompliance { PolicyName = new[] { "misspelled-policy" }, QuietFlag = true });
            Assert.Equal("PolicyNotFound", Assert.Single(quiet.Errors).ErrorId);
            Assert.Equal(new object?[] { false }, quiet.Output);
        }
    }
}
