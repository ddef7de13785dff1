using System;
using System.Collections.Generic;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public class MemoryTests
    {
        private static FmsComplianceStatus Row(int policy, int account)
        {
            var nonCompliant = account % 5 == 0;
            var row = new FmsComplianceStatus
            {
                PolicyId = "policy-" + policy, PolicyName = "Policy number " + policy, PolicyType = "WAFV2", Region = "us-east-1",
                AccountId = TestData.Account(account), AccountName = "account-" + account, OrganizationalUnitPath = "Root/Production/Web",
                StatusValue = nonCompliant ? FmsComplianceState.NonCompliant : FmsComplianceState.Compliant, ViolatorCount = nonCompliant ? 2 : 0,
                LastUpdated = DateTime.UtcNow,
            };
            if (nonCompliant)
            {
                row.ViolationsByReason = new Dictionary<string, int> { ["RESOURCE_MISSING_WEB_ACL"] = 2 };
                row.Violations = new[]
                {
                    new FmsViolation { PolicyId = row.PolicyId, AccountId = row.AccountId, ResourceId = "arn:aws:elasticloadbalancing:us-east-1:" + row.AccountId + ":loadbalancer/app/a/" + account, Reason = "RESOURCE_MISSING_WEB_ACL", ReasonDescription = ViolationReasons.Describe("RESOURCE_MISSING_WEB_ACL") },
                    new FmsViolation { PolicyId = row.PolicyId, AccountId = row.AccountId, ResourceId = "arn:aws:elasticloadbalancing:us-east-1:" + row.AccountId + ":loadbalancer/app/b/" + account, Reason = "RESOURCE_MISSING_WEB_ACL", ReasonDescription = ViolationReasons.Describe("RESOURCE_MISSING_WEB_ACL") },
                };
            }
            return row;
        }

        /// <summary>Bytes still reachable after aggregating policies × 10,000 accounts (the aggregator kept alive).</summary>
        private static long RetainedAfter(int policies, out long rows)
        {
            var before = GC.GetTotalMemory(true);
            using var aggregator = new ComplianceReportAggregator(new[] { "us-east-1" });
            for (var p = 0; p < policies; p++)
                for (var a = 0; a < 10_000; a++)
                    aggregator.Add(Row(p, a));
            var after = GC.GetTotalMemory(true);
            using var report = aggregator.Complete();
            rows = report.RowCount;
            GC.KeepAlive(aggregator);
            return after - before;
        }

        [Fact]
        public void Aggregating_10000_accounts_retains_memory_per_account_not_per_row()
        {
            var oneRowPerAccount = RetainedAfter(1, out var fewRows);
            var fiveRowsPerAccount = RetainedAfter(5, out var manyRows);
            Assert.Equal(10_000, fewRows);
            Assert.Equal(50_000, manyRows);
            // 40,000 more rows (each with a row object, strings and, for one in five, two violators: well over 1 KB
            // each if kept) may add only the per-policy summaries and slack: far less than 40 bytes per extra row.
            var extra = fiveRowsPerAccount - oneRowPerAccount;
            Assert.True(extra < 40L * 40_000, $"retained {oneRowPerAccount:N0} bytes for 10,000 rows and {fiveRowsPerAccount:N0} for 50,000");
            // And the per-account summaries stay small: under 400 bytes per account.
            Assert.True(oneRowPerAccount < 400L * 10_000, $"retained {oneRowPerAccount:N0} bytes for 10,000 accounts");
        }
    }
}
