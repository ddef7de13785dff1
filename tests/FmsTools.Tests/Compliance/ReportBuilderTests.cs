using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Organization;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class ReportBuilderTests
    {
        /// <summary>3 policies × 250 accounts; every 7th account violates (2 × missing web ACL, 1 × incorrect).</summary>
        private static FakeFms World(int policies = 3, int accounts = 250, string region = "us-east-1")
        {
            var fms = new FakeFms(region) { PolicyPageSize = 2, CompliancePageSize = 100 };
            for (var p = 0; p < policies; p++)
            {
                var policy = fms.AddPolicy("policy-" + p);
                for (var a = 0; a < accounts; a++)
                {
                    if (a % 7 == 0)
                        fms.AddAccount(policy, TestData.Account(a), ("lb-" + a + "-1", "RESOURCE_MISSING_WEB_ACL"), ("lb-" + a + "-2", "RESOURCE_MISSING_WEB_ACL"),
                            ("lb-" + a + "-3", "RESOURCE_INCORRECT_WEB_ACL"));
                    else fms.AddAccount(policy, TestData.Account(a));
                }
            }
            return fms;
        }

        private static int NonCompliant(int accounts) => Enumerable.Range(0, accounts).Count(a => a % 7 == 0);

        [Fact]
        public async Task Calls_per_operation_are_exactly_the_minimum_and_only_non_compliant_accounts_are_drilled_into()
        {
            var fms = World();
            var builder = new ComplianceReportBuilder(_ => fms.Client);
            var rows = await builder.BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();

            Assert.Equal(3 * 250, rows.Count);
            Assert.Equal(2, fms.CallsOf("ListPolicies"));                     // 3 policies, 2 per page
            Assert.Equal(3 * 3, fms.CallsOf("ListComplianceStatus"));         // 250 accounts, 100 per page
            Assert.Equal(3 * NonCompliant(250), fms.CallsOf("GetComplianceDetail"));
            Assert.Equal(0, fms.CallsOf("GetPolicy"));
            Assert.Equal(0, fms.CallsOf("GetViolationDetails"));
            Assert.Equal(2 + 9 + 3 * NonCompliant(250), fms.TotalCalls);

            var stats = builder.Statistics;
            Assert.Equal(fms.CallsOf("ListPolicies"), stats.CallsByOperation["ListPolicies"]);
            Assert.Equal(fms.CallsOf("ListComplianceStatus"), stats.CallsByOperation["ListComplianceStatus"]);
            Assert.Equal(fms.CallsOf("GetComplianceDetail"), stats.CallsByOperation["GetComplianceDetail"]);
            Assert.Equal(fms.TotalCalls, stats.TotalCalls);
            Assert.Equal(3 * NonCompliant(250), stats.NonCompliantRows);
            Assert.All(rows.Where(r => r.StatusValue == FmsComplianceState.Compliant), r => Assert.False(r.DetailRetrieved));
            Assert.All(rows.Where(r => r.StatusValue == FmsComplianceState.NonCompliant), r => Assert.True(r.DetailRetrieved));
        }

        [Fact]
        public async Task Counts_by_reason_come_from_the_violators()
        {
            var fms = World(policies: 1, accounts: 8);
            var rows = await new ComplianceReportBuilder(_ => fms.Client).BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            var row = rows.Single(r => r.AccountId == TestData.Account(7));
            Assert.Equal(FmsComplianceState.NonCompliant, row.StatusValue);
            Assert.Equal(3, row.ViolatorCount);
            Assert.Equal(2, row.ViolationsByReason["RESOURCE_MISSING_WEB_ACL"]);
            Assert.Equal(1, row.ViolationsByReason["RESOURCE_INCORRECT_WEB_ACL"]);
            Assert.Equal(2, row.ViolationsByReason.Count);
            Assert.Equal(new[] { "lb-7-1", "lb-7-2", "lb-7-3" }, row.Violations.Select(v => v.ResourceId).OrderBy(x => x));
            Assert.Equal(ViolationReasons.Describe("RESOURCE_MISSING_WEB_ACL"), row.Violations.First(v => v.Reason == "RESOURCE_MISSING_WEB_ACL").ReasonDescription);
            Assert.Equal(new DateTime(2025, 1, 1, 1, 0, 0, DateTimeKind.Utc), row.ExpiredAt);
            var compliant = rows.Single(r => r.AccountId == TestData.Account(1));
            Assert.Empty(compliant.ViolationsByReason);
            Assert.Equal(0, compliant.ViolatorCount);
        }

        [Fact]
        public async Task Account_filter_limits_rows_and_drill_down()
        {
            var fms = World(policies: 2, accounts: 250);
            var wanted = new[] { TestData.Account(0), TestData.Account(1), TestData.Account(14), TestData.Account(200) };
            var rows = await new ComplianceReportBuilder(_ => fms.Client)
                .BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" }, AccountIds = wanted }).ToListAsync();
            Assert.Equal(2 * 4, rows.Count);
            Assert.All(rows, r => Assert.Contains(r.AccountId, wanted));
            Assert.Equal(2 * 2, fms.CallsOf("GetComplianceDetail")); // accounts 0 and 14 violate
        }

        [Fact]
        public async Task First_row_arrives_before_the_last_page_is_requested()
        {
            var fms = World(policies: 1, accounts: 50);
            fms.CompliancePageSize = 10;
            var builder = new ComplianceReportBuilder(_ => fms.Client);
            await using var rows = builder.BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" }, MaxPendingRows = 3 }).GetAsyncEnumerator();
            Assert.True(await rows.MoveNextAsync());
            var pagesWhenFirstRowArrived = fms.CallsOf("ListComplianceStatus");
            Assert.InRange(pagesWhenFirstRowArrived, 1, 2);
            var count = 1;
            while (await rows.MoveNextAsync()) count++;
            Assert.Equal(50, count);
            Assert.Equal(5, fms.CallsOf("ListComplianceStatus"));
        }

        [Fact]
        public async Task Producers_never_run_further_ahead_than_the_pending_bound()
        {
            var fms = World(policies: 1, accounts: 400);
            fms.CompliancePageSize = 10;
            const int pending = 8;
            var builder = new ComplianceReportBuilder(_ => fms.Client);
            var consumed = 0;
            await foreach (var row in builder.BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" }, MaxPendingRows = pending }))
            {
                consumed++;
                // Rows requested from the service can exceed rows consumed by at most the queue, the in-flight details and one page.
                var requested = fms.CallsOf("ListComplianceStatus") * 10;
                Assert.True(requested <= consumed + 2 * pending + 2 * 10, $"{requested} statuses fetched after {consumed} rows consumed");
            }
            Assert.Equal(400, consumed);
        }

        [Fact]
        public async Task Global_CloudFront_policies_are_counted_once_across_regions()
        {
            var east = World(policies: 1, accounts: 20, region: "us-east-1");
            var west = World(policies: 1, accounts: 20, region: "eu-west-1");
            var global = east.AddPolicy("cloudfront", resourceType: PolicyReference.CloudFrontResourceType);
            for (var a = 0; a < 20; a++) east.AddAccount(global, TestData.Account(a));
            // The same global policy also shows up in the other region's listing.
            west.Policies.Add(global);
            west.Statuses[global.PolicyId!] = east.Statuses[global.PolicyId!];

            var clients = new Dictionary<string, IFmsClient> { ["us-east-1"] = east.Client, ["eu-west-1"] = west.Client };
            var builder = new ComplianceReportBuilder(r => clients[r]);
            var rows = await builder.BuildAsync(new ComplianceReportRequest { Regions = { "eu-west-1", "us-east-1" } }).ToListAsync();

            var globalRows = rows.Where(r => r.PolicyId == global.PolicyId).ToList();
            Assert.Equal(20, globalRows.Count);
            Assert.All(globalRows, r => { Assert.Equal("us-east-1", r.Region); Assert.True(r.IsGlobal); });
            Assert.Equal(20 + 20 + 20, rows.Count);
            // The global policy is read once, from us-east-1; eu-west-1 reads only its own policy's single page.
            Assert.Equal(2, east.CallsOf("ListComplianceStatus"));
            Assert.Equal(1, west.CallsOf("ListComplianceStatus"));
            Assert.Equal(3, builder.Statistics.Policies);
            Assert.Equal(rows.Count, rows.Select(r => r.Region + r.PolicyId + r.AccountId).Distinct().Count());
        }

        [Fact]
        public async Task Rows_carry_account_names_and_OU_paths_and_progress_is_reported()
        {
            var fms = World(policies: 1, accounts: 10);
            var directory = OrganizationDirectory.FromAccounts(Enumerable.Range(0, 10)
                .Select(a => new OrganizationAccount(TestData.Account(a), "acct-" + a, "Root/Production/Web")));
            var reporter = new RecordingReporter();
            var rows = await new ComplianceReportBuilder(_ => fms.Client, directory, reporter)
                .BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            Assert.All(rows, r => Assert.Equal("Root/Production/Web", r.OrganizationalUnitPath));
            Assert.Equal("acct-3", rows.Single(r => r.AccountId == TestData.Account(3)).AccountName);
            var progress = reporter.ProgressRecords.ToList();
            Assert.NotEmpty(progress);
            Assert.True(progress.Last().Completed);
            Assert.Equal(100, progress.Last().PercentComplete);
            Assert.Contains(progress, p => !p.Completed && p.PercentComplete > 0 && p.PercentComplete < 100);
            var percents = progress.Select(p => p.PercentComplete).ToList();
            Assert.Equal(percents.OrderBy(p => p), percents);
        }

        [Fact]
        public async Task A_failing_policy_is_reported_as_an_error_and_the_others_complete()
        {
            var fms = World(policies: 2, accounts: 5);
            var broken = fms.Policies[0].PolicyId!;
            fms.Statuses.Remove(broken);
            var reporter = new RecordingReporter();
            var builder = new ComplianceReportBuilder(_ => fms.Client, null, reporter);
            var rows = await builder.BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            Assert.Equal(5, rows.Count);
            var error = Assert.Single(builder.Statistics.Errors);
            Assert.Equal("ComplianceStatusFailed", error.ErrorId);
            // Statistics.Errors is the one report of a failed part; a warning as well would say it twice.
            Assert.Empty(reporter.Warnings);
        }
    }
}
