using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Compliance;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Get-FmsComplianceStatus and Get-FmsViolation against the demo organization's documented ground truth.</summary>
    public sealed class ComplianceStatusCmdletTests : IClassFixture<FrozenDemoRunspace>
    {
        private readonly SandboxRunspace _env;

        public ComplianceStatusCmdletTests(FrozenDemoRunspace fixture) { _env = fixture.Env; }

        private List<T> Output<T>(string script) => _env.Run(script).ShouldSucceed().OutputOf<T>().ToList();

        [Theory]
        [InlineData(ComplianceSandbox.UsEast1)]
        [InlineData(ComplianceSandbox.EuWest1)]
        public void Every_policy_by_account_counts_each_reason_as_the_ground_truth_does(string region)
        {
            var rows = Output<FmsComplianceStatus>($"Get-FmsComplianceStatus -Region {region}");

            Assert.Equal(DemoOrganization.Policies(region).Count, rows.Select(r => r.PolicyId).Distinct().Count());
            Assert.Equal(rows.Count, rows.Select(r => r.PolicyId + "/" + r.AccountId).Distinct().Count());
            var expected = DemoOrganization.ExpectedViolations(region);
            foreach (var group in expected.GroupBy(v => (v.PolicyName, v.AccountId)))
            {
                var row = Assert.Single(rows, r => r.PolicyName == group.Key.PolicyName && r.AccountId == group.Key.AccountId);
                Assert.Equal(FmsComplianceState.NonCompliant, row.StatusValue);
                Assert.Equal(group.Count(), row.ViolatorCount);
                var byReason = group.GroupBy(v => v.ViolationReason).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(byReason.OrderBy(p => p.Key), row.ViolationsByReason.OrderBy(p => p.Key));
                Assert.True(row.DetailRetrieved);
                Assert.Equal(region, row.Region);
            }
            // Every other row is compliant: nothing beyond the ground truth is reported.
            var nonCompliantKeys = new HashSet<string>(expected.Select(v => v.PolicyName + "/" + v.AccountId));
            Assert.All(rows.Where(r => !nonCompliantKeys.Contains(r.PolicyName + "/" + r.AccountId)), r =>
            {
                Assert.Equal(FmsComplianceState.Compliant, r.StatusValue);
                Assert.Equal(0, r.ViolatorCount);
                Assert.False(r.DetailRetrieved);
            });
            Assert.Equal(ComplianceSandbox.Expected(region), new HashSet<string>(rows.SelectMany(r => r.Violations).Select(ComplianceSandbox.Key)));
        }

        [Fact]
        public void Rows_carry_account_names_and_organizational_unit_paths()
        {
            var rows = Output<FmsComplianceStatus>($"Get-FmsComplianceStatus -PolicyName {DemoOrganization.WafPolicyName}");
            var euWeb = Assert.Single(rows, r => r.AccountId == DemoOrganization.ProdEuWeb);
            Assert.Equal("prod-eu-web", euWeb.AccountName);
            Assert.Equal("Root/Production/Production-EU", euWeb.OrganizationalUnitPath);
            Assert.Equal("WAFV2", euWeb.PolicyType);
        }

        [Fact]
        public void Policies_from_the_pipeline_are_read_in_their_own_region_and_AccountId_filters()
        {
            // The session is connected to us-east-1; the piped policy lives in eu-west-1 and is read there.
            var row = Assert.Single(Output<FmsComplianceStatus>(
                $"Get-FmsPolicy -Region eu-west-1 -Name {DemoOrganization.ShieldPolicyName} | Get-FmsComplianceStatus -AccountId {DemoOrganization.ProdApi}"));
            Assert.Equal(ComplianceSandbox.EuWest1, row.Region);
            Assert.Equal(DemoOrganization.ProdApi, row.AccountId);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1).Count(v => v.AccountId == DemoOrganization.ProdApi),
                row.ViolatorCount);
        }

        [Fact]
        public void NoDetail_reads_only_ListComplianceStatus_and_Status_filters()
        {
            var mark = _env.Mark;
            var rows = Output<FmsComplianceStatus>("Get-FmsComplianceStatus -PolicyName 'demo-sg-*' -NoDetail -Status NonCompliant");
            Assert.Empty(_env.CallsSince(mark, "GetComplianceDetail"));
            Assert.NotEmpty(rows);
            Assert.All(rows, r =>
            {
                Assert.StartsWith("demo-sg-", r.PolicyName);
                Assert.Equal(FmsComplianceState.NonCompliant, r.StatusValue);
                Assert.False(r.DetailRetrieved);
            });
            var expectedAccounts = DemoOrganization.ExpectedViolations(ComplianceSandbox.UsEast1).Where(v => v.PolicyName.StartsWith("demo-sg-"))
                .Select(v => v.PolicyName + "/" + v.AccountId).Distinct().OrderBy(x => x);
            Assert.Equal(expectedAccounts, rows.Select(r => r.PolicyName + "/" + r.AccountId).OrderBy(x => x));
        }

        [Fact]
        public void An_unknown_policy_is_an_item_error_and_the_other_inputs_still_run()
        {
            var byName = _env.Run("Get-FmsComplianceStatus -PolicyName no-such-policy");
            var error = Assert.Single(byName.Errors);
            Assert.Equal("PolicyNotFound", error.ErrorId());
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("no-such-policy", error.Message());
            Assert.Empty(byName.Output);

            var byId = _env.Run($"Get-FmsComplianceStatus -PolicyId 00000000-0000-0000-0000-000000000000, {ComplianceSandbox.PolicyId(DemoOrganization.NetworkAclPolicyName)}");
            Assert.Null(byId.Terminating);
            Assert.Equal("PolicyNotFound", Assert.Single(byId.Errors).ErrorId());
            Assert.Equal(2, byId.OutputOf<FmsComplianceStatus>().Count()); // the NACL policy covers prod-web and prod-api
        }

        [Fact]
        public void Violations_follow_status_rows_from_the_pipeline_and_compliant_rows_cost_no_call()
        {
            _env.Run($"$rows = Get-FmsComplianceStatus -PolicyName {DemoOrganization.DnsFirewallPolicyName} -NoDetail").ShouldSucceed();
            var nonCompliant = Output<FmsComplianceStatus>("$rows").Count(r => r.StatusValue == FmsComplianceState.NonCompliant);
            var mark = _env.Mark;
            var violations = Output<FmsViolation>("$rows | Get-FmsViolation");
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.DnsFirewallPolicyName, ComplianceSandbox.UsEast1),
                new HashSet<string>(violations.Select(ComplianceSandbox.Key)));
            // One GetComplianceDetail per non-compliant row only.
            Assert.Equal(nonCompliant, _env.CallsSince(mark, "GetComplianceDetail").Count);
            Assert.All(violations, v => Assert.False(v.IsEnriched));
        }

        [Fact]
        public void IncludeDetail_adds_what_is_wrong_and_the_possible_remediation_actions()
        {
            var violations = Output<FmsViolation>(
                $"Get-FmsViolation -PolicyId {ComplianceSandbox.PolicyId(DemoOrganization.ContentAuditPolicyName)} -AccountId {DemoOrganization.SandboxBob} -IncludeDetail");
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.ContentAuditPolicyName, ComplianceSandbox.UsEast1).Where(v => v.AccountId == DemoOrganization.SandboxBob).ToList();
            Assert.Equal(expected.Select(v => v.ResourceId).OrderBy(x => x), violations.Select(v => v.ResourceId).OrderBy(x => x));
            Assert.All(violations, v =>
            {
                Assert.True(v.IsEnriched);
                Assert.Equal("sandbox-bob", v.AccountName);
                Assert.NotEmpty(v.Details);
                Assert.NotEmpty(v.PossibleRemediationActions);
                Assert.NotNull(v.DefaultRemediation);
            });
        }

        [Fact]
        public void IncludeDetail_over_piped_rows_leaves_the_rows_violations_untouched()
        {
            var rows = Output<FmsComplianceStatus>($"$rows = @(Get-FmsComplianceStatus -PolicyName {DemoOrganization.ContentAuditPolicyName} -Status NonCompliant); $rows");
            var held = rows.SelectMany(r => r.Violations).ToList();
            Assert.NotEmpty(held);
            Assert.All(held, v => Assert.False(v.IsEnriched));

            var detailed = Output<FmsViolation>("$rows | Get-FmsViolation -IncludeDetail");
            Assert.Equal(held.Count, detailed.Count);
            Assert.All(detailed, v => { Assert.True(v.IsEnriched); Assert.NotEmpty(v.Details); });
            Assert.All(detailed, v => Assert.DoesNotContain(held, h => ReferenceEquals(h, v)));

            // The piped rows are as they were: a later run without -IncludeDetail shows no details.
            Assert.All(held, v => { Assert.False(v.IsEnriched); Assert.Empty(v.Details); Assert.Empty(v.PossibleRemediationActions); });
            var plain = Output<FmsViolation>("Get-FmsViolation -InputObject $rows");
            Assert.Equal(held.Count, plain.Count);
            Assert.All(plain, v => { Assert.False(v.IsEnriched); Assert.Empty(v.Details); });
        }

        [Fact]
        public void Reason_filters_violations_with_wildcards()
        {
            var violations = Output<FmsViolation>($"Get-FmsComplianceStatus -PolicyName {DemoOrganization.WafPolicyName} | Get-FmsViolation -Reason '*MISSING_WEB_ACL'");
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.WafPolicyName, ComplianceSandbox.UsEast1).Where(v => v.ViolationReason == "RESOURCE_MISSING_WEB_ACL").ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(v => v.ResourceId).OrderBy(x => x), violations.Select(v => v.ResourceId).OrderBy(x => x));
        }
    }
}
