using System.Collections.Generic;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Get-FmsComplianceStatus and Get-FmsViolation against the demo organization's documented ground truth.</summary>
    public sealed class ComplianceStatusCmdletTests : IClassFixture<ComplianceSandbox>
    {
        private readonly ComplianceSandbox _sandbox;

        public ComplianceStatusCmdletTests(ComplianceSandbox sandbox) { _sandbox = sandbox; }

        [Theory]
        [InlineData(ComplianceSandbox.UsEast1)]
        [InlineData(ComplianceSandbox.EuWest1)]
        public void Every_policy_by_account_counts_each_reason_as_the_ground_truth_does(string region)
        {
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus { Region = region }).OutputOf<FmsComplianceStatus>().ToList();

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
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = new[] { DemoOrganization.WafPolicyName } }).OutputOf<FmsComplianceStatus>().ToList();
            var euWeb = Assert.Single(rows, r => r.AccountId == DemoOrganization.ProdEuWeb);
            Assert.Equal("prod-eu-web", euWeb.AccountName);
            Assert.Equal("Root/Production/Production-EU", euWeb.OrganizationalUnitPath);
            Assert.Equal("WAFV2", euWeb.PolicyType);
        }

        [Fact]
        public void Policies_from_the_pipeline_are_read_in_their_own_region_and_AccountId_filters()
        {
            var policies = _sandbox.RunClean(new GetFmsPolicy { Region = ComplianceSandbox.EuWest1, Name = new[] { DemoOrganization.ShieldPolicyName } })
                .OutputOf<FmsPolicy>().ToList();
            var policy = Assert.Single(policies);
            Assert.Equal(ComplianceSandbox.EuWest1, policy.Region);

            // The status cmdlet connects to us-east-1 but reads the eu-west-1 policy where it lives.
            var cmdlet = _sandbox.Connect(new GetFmsComplianceStatus { AccountId = new[] { DemoOrganization.ProdApi } });
            var host = CmdletRunner.RunPipeline(cmdlet, policies, (c, p) => c.Policy = new[] { p });
            Assert.Empty(host.Errors);
            var row = Assert.Single(host.OutputOf<FmsComplianceStatus>());
            Assert.Equal(ComplianceSandbox.EuWest1, row.Region);
            Assert.Equal(DemoOrganization.ProdApi, row.AccountId);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1).Count(v => v.AccountId == DemoOrganization.ProdApi),
                row.ViolatorCount);
        }

        [Fact]
        public void NoDetail_reads_only_ListComplianceStatus_and_Status_filters()
        {
            var mark = _sandbox.Mark;
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus
            {
                PolicyName = new[] { "demo-sg-*" }, NoDetailFlag = true, Status = FmsComplianceState.NonCompliant,
            }).OutputOf<FmsComplianceStatus>().ToList();
            Assert.Empty(_sandbox.CallsSince(mark, "GetComplianceDetail"));
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
        public void An_unknown_policy_name_is_an_item_error_and_the_other_inputs_still_run()
        {
            var host = _sandbox.Run(new GetFmsComplianceStatus { PolicyName = new[] { "no-such-policy" } });
            var error = Assert.Single(host.Errors);
            Assert.Equal("PolicyNotFound", error.ErrorId);
            Assert.Empty(host.Output);

            var byId = _sandbox.Run(new GetFmsComplianceStatus
            {
                PolicyId = new[] { "00000000-0000-0000-0000-000000000000", ComplianceSandbox.PolicyId(DemoOrganization.NetworkAclPolicyName) },
            });
            Assert.Equal("PolicyNotFound", Assert.Single(byId.Errors).ErrorId);
            Assert.Equal(2, byId.OutputOf<FmsComplianceStatus>().Count()); // the NACL policy covers prod-web and prod-api
        }

        [Fact]
        public void Violations_follow_status_rows_from_the_pipeline_and_match_the_ground_truth()
        {
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = new[] { DemoOrganization.DnsFirewallPolicyName }, NoDetailFlag = true })
                .OutputOf<FmsComplianceStatus>().ToList();
            var mark = _sandbox.Mark;
            var cmdlet = _sandbox.Connect(new GetFmsViolation());
            var host = CmdletRunner.RunPipeline(cmdlet, rows, (c, r) => c.InputObject = new[] { r });
            Assert.Empty(host.Errors);
            var violations = host.OutputOf<FmsViolation>().ToList();
            Assert.Equal(ComplianceSandbox.ExpectedFor(DemoOrganization.DnsFirewallPolicyName, ComplianceSandbox.UsEast1),
                new HashSet<string>(violations.Select(ComplianceSandbox.Key)));
            // Compliant rows cost no call: one GetComplianceDetail per non-compliant row only.
            Assert.Equal(rows.Count(r => r.StatusValue == FmsComplianceState.NonCompliant), _sandbox.CallsSince(mark, "GetComplianceDetail").Count);
            Assert.All(violations, v => Assert.False(v.IsEnriched));
        }

        [Fact]
        public void IncludeDetail_adds_what_is_wrong_and_the_possible_remediation_actions()
        {
            var violations = _sandbox.RunClean(new GetFmsViolation
            {
                PolicyId = ComplianceSandbox.PolicyId(DemoOrganization.ContentAuditPolicyName),
                AccountId = new[] { DemoOrganization.SandboxBob },
                IncludeDetailFlag = true,
            }).OutputOf<FmsViolation>().ToList();
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
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = new[] { DemoOrganization.ContentAuditPolicyName } })
                .OutputOf<FmsComplianceStatus>().Where(r => r.StatusValue == FmsComplianceState.NonCompliant).ToList();
            var held = rows.SelectMany(r => r.Violations).ToList();
            Assert.NotEmpty(held);
            Assert.All(held, v => Assert.False(v.IsEnriched));

            var detailed = _sandbox.RunClean(new GetFmsViolation { InputObject = rows.ToArray(), IncludeDetailFlag = true }).OutputOf<FmsViolation>().ToList();
            Assert.Equal(held.Count, detailed.Count);
            Assert.All(detailed, v => { Assert.True(v.IsEnriched); Assert.NotEmpty(v.Details); });
            Assert.All(detailed, v => Assert.DoesNotContain(held, h => ReferenceEquals(h, v)));

            // The piped rows are as they were: a later run without -IncludeDetail shows no details.
            Assert.All(held, v => { Assert.False(v.IsEnriched); Assert.Empty(v.Details); Assert.Empty(v.PossibleRemediationActions); });
            var plain = _sandbox.RunClean(new GetFmsViolation { InputObject = rows.ToArray() }).OutputOf<FmsViolation>().ToList();
            Assert.Equal(held.Count, plain.Count);
            Assert.All(plain, v => { Assert.False(v.IsEnriched); Assert.Empty(v.Details); });
        }

        [Fact]
        public void Reason_filters_violations_with_wildcards()
        {
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus { PolicyName = new[] { DemoOrganization.WafPolicyName } }).OutputOf<FmsComplianceStatus>().ToList();
            var cmdlet = _sandbox.Connect(new GetFmsViolation { Reason = new[] { "*MISSING_WEB_ACL" } });
            var host = CmdletRunner.RunPipeline(cmdlet, rows, (c, r) => c.InputObject = new[] { r });
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.WafPolicyName, ComplianceSandbox.UsEast1).Where(v => v.ViolationReason == "RESOURCE_MISSING_WEB_ACL").ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(v => v.ResourceId).OrderBy(x => x), host.OutputOf<FmsViolation>().Select(v => v.ResourceId).OrderBy(x => x));
        }
    }
}
