using System.Linq;
using System.Management.Automation;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Test-FmsCompliance and Assert-FmsCompliance (the Pester building blocks) against the demo organization.</summary>
    public sealed class ComplianceCheckCmdletTests : IClassFixture<FrozenDemoRunspace>
    {
        private const string Region = ComplianceSandbox.UsEast1;
        private readonly SandboxRunspace _env;

        public ComplianceCheckCmdletTests(FrozenDemoRunspace fixture) { _env = fixture.Env; }

        private FmsComplianceTestResult Evidence(string script) => Assert.Single(_env.Run(script).ShouldSucceed().OutputOf<FmsComplianceTestResult>());

        private string Quiet(string script) => CmdletCaseRunner.Text(_env.Run(script).ShouldSucceed().Output);

        [Fact]
        public void Test_returns_the_evidence_and_Quiet_just_the_boolean()
        {
            var evidence = Evidence($"Test-FmsCompliance -PolicyName {DemoOrganization.ContentAuditPolicyName}");
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.ContentAuditPolicyName, Region);
            Assert.False(evidence.IsCompliant);
            Assert.Equal(1, evidence.Policies);
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().OrderBy(x => x), evidence.NonCompliant.Select(r => r.AccountId).OrderBy(x => x));
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.ContentAuditPolicyName, Region), evidence.Violations.Select(ComplianceSandbox.Key).ToHashSet());
            Assert.Equal(evidence.Rows.Count, evidence.Evaluations);
            Assert.StartsWith("NOT compliant", evidence.Summary);

            var quiet = _env.Run($"Test-FmsCompliance -PolicyName {DemoOrganization.ContentAuditPolicyName} -Quiet").ShouldSucceed();
            Assert.Equal(new[] { false }, quiet.OutputOf<bool>());
            Assert.Single(quiet.Output);

            // An account the policy finds nothing wrong in.
            Assert.Equal("True", Quiet($"Test-FmsCompliance -PolicyName {DemoOrganization.ContentAuditPolicyName} -AccountId {DemoOrganization.LogArchive} -Quiet"));
        }

        [Fact]
        public void Policies_and_rows_from_the_pipeline_are_evaluated_together()
        {
            var evidence = Evidence("Get-FmsPolicy -Name 'demo-waf-*' | Test-FmsCompliance");
            Assert.Equal(2, evidence.Policies);
            var expected = ComplianceSandbox.ExpectedFor(DemoOrganization.WafPolicyName, Region);
            expected.UnionWith(ComplianceSandbox.ExpectedFor(DemoOrganization.WafCloudFrontPolicyName, Region));
            Assert.Equal(expected, evidence.Violations.Select(ComplianceSandbox.Key).ToHashSet());

            // Rows without detail are drilled into so the evidence names the violators.
            var fromRows = Evidence($"Get-FmsComplianceStatus -PolicyName {DemoOrganization.DnsFirewallPolicyName} -NoDetail | Test-FmsCompliance");
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.DnsFirewallPolicyName, Region), fromRows.Violations.Select(ComplianceSandbox.Key).ToHashSet());
        }

        [Fact]
        public void Assert_throws_a_terminating_error_listing_policy_account_resource_and_reason()
        {
            var result = _env.Run($"Assert-FmsCompliance -PolicyName {DemoOrganization.UsageAuditPolicyName}; 'not reached'");
            Assert.NotNull(result.Terminating);
            Assert.Empty(result.Output);
            var error = result.Error;
            Assert.Equal("FmsNotCompliant", error.ErrorId());
            var evidence = Assert.IsType<FmsComplianceTestResult>(error.TargetObject);
            Assert.False(evidence.IsCompliant);
            foreach (var v in DemoOrganization.ExpectedViolations(DemoOrganization.UsageAuditPolicyName, Region))
            {
                Assert.Contains($"{v.PolicyName} | {v.Region} | {v.AccountId} (", error.Message());
                Assert.Contains($"{v.ResourceType} {v.ResourceId}: {v.ViolationReason}", error.Message());
            }

            var limited = _env.Run($"Assert-FmsCompliance -PolicyName {DemoOrganization.SecurityGroupCommonPolicyName} -MaxListed 2");
            Assert.NotNull(limited.Terminating);
            var total = DemoOrganization.ExpectedViolations(DemoOrganization.SecurityGroupCommonPolicyName, Region).Count;
            Assert.Contains($"... and {total - 2} more", limited.Error.Message());
        }

        [Fact]
        public void Assert_is_silent_when_compliant_and_PassThru_writes_the_evidence()
        {
            // A sandbox of its own whose clock moves on: the demo policies remediate, everything converges.
            using var env = new SandboxRunspace(options: FrozenDemoRunspace.Options);
            env.Sandbox.Clock.Advance(System.TimeSpan.FromMinutes(5));
            var assert = "Assert-FmsCompliance -PolicyName " + DemoOrganization.DnsFirewallPolicyName;

            var silent = env.Run(assert).ShouldSucceed();
            Assert.Empty(silent.Output);
            var evidence = Assert.Single(env.Run(assert + " -PassThru").ShouldSucceed().OutputOf<FmsComplianceTestResult>());
            Assert.True(evidence.IsCompliant);
            Assert.True(evidence.Evaluations > 0);
            Assert.Empty(evidence.Violations);
            Assert.Equal("True", CmdletCaseRunner.Text(env.Run("Test-FmsCompliance -PolicyName " + DemoOrganization.DnsFirewallPolicyName + " -Quiet").ShouldSucceed().Output));

            // Rows piped from the frozen demo's compliant accounts pass too.
            const string compliant = "Get-FmsComplianceStatus -PolicyName " + DemoOrganization.DnsFirewallPolicyName + " -Status Compliant";
            Assert.Empty(_env.Run(compliant + " | Assert-FmsCompliance").ShouldSucceed().Output);
            Assert.True(Evidence(compliant + " | Assert-FmsCompliance -PassThru").IsCompliant);
        }

        [Fact]
        public void Inputs_that_cannot_be_evaluated_never_pass()
        {
            var assert = _env.Run("Assert-FmsCompliance -PolicyName misspelled-policy");
            Assert.NotNull(assert.Terminating);
            Assert.Equal("FmsComplianceNotEvaluated", assert.Error.ErrorId());

            var quiet = _env.Run("Test-FmsCompliance -PolicyName misspelled-policy -Quiet");
            Assert.Null(quiet.Terminating);
            var error = Assert.Single(quiet.Errors);
            Assert.Equal("PolicyNotFound", error.ErrorId());
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(new[] { false }, quiet.OutputOf<bool>());
        }
    }
}
