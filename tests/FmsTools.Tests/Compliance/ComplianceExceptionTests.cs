using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Compliance.Exceptions;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class ComplianceExceptionTests
    {
        private static readonly DateTime Today = new DateTime(2026, 12, 7, 15, 0, 0, DateTimeKind.Utc);

        private static string Entry(string policy = "waf-baseline", string account = "111111111111", string resource = "lb-1", string? reason = null,
            string expires = "2026-12-07")
            => "{\"policy\":\"" + policy + "\",\"account\":\"" + account + "\",\"resource\":\"" + resource + "\","
               + (reason == null ? "" : "\"violationReason\":\"" + reason + "\",")
               + "\"owner\":\"team-web\",\"reason\":\"legacy ALB, decommissioned in Q1\",\"expires\":\"" + expires + "\"}";

        private static FmsComplianceStatus Row(string account, params (string Resource, string Reason)[] violators)
            => new FmsComplianceStatus
            {
                PolicyId = "11111111-2222-3333-4444-555555555555", PolicyName = "waf-baseline", Region = "us-east-1", AccountId = account,
                StatusValue = violators.Length == 0 ? FmsComplianceState.Compliant : FmsComplianceState.NonCompliant, ViolatorCount = violators.Length,
                DetailRetrieved = true,
                Violations = violators.Select(v => new FmsViolation
                {
                    PolicyId = "11111111-2222-3333-4444-555555555555", PolicyName = "waf-baseline", Region = "us-east-1", AccountId = account,
                    ResourceId = v.Resource, Reason = v.Reason,
                }).ToList(),
            };

        private static ComplianceExceptionSet Set(string json, DateTime? now = null)
            => new ComplianceExceptionSet(ComplianceExceptionFile.Parse(json, "/x/fms-exceptions.json"), now ?? Today);

        [Fact]
        public void A_valid_file_loads_every_field()
        {
            var entries = ComplianceExceptionFile.Parse("[" + Entry(reason: "RESOURCE_MISSING_WEB_ACL") + "]", "/x/fms-exceptions.json");
            var entry = Assert.Single(entries);
            Assert.Equal(("waf-baseline", "111111111111", "lb-1", "RESOURCE_MISSING_WEB_ACL", "team-web", "legacy ALB, decommissioned in Q1"),
                (entry.Policy, entry.Account, entry.Resource, entry.ViolationReason, entry.Owner, entry.Reason));
            Assert.Equal(new DateTime(2026, 12, 7), entry.Expires);
            Assert.Equal("fms-exceptions.json[0]", entry.Location);
        }

        [Fact]
        public void Every_finding_names_the_entry_index_and_the_field()
        {
            var json = "[" + Entry() + ","
                       + "{\"policy\":\"p\",\"account\":\"12345\",\"resource\":\"r\",\"owner\":\"\",\"reason\":\"why\",\"expires\":\"2026-13-01\",\"Owner\":\"x\"},"
                       + "{\"policy\":\"p\",\"account\":\"*\",\"resource\":7,\"violationReason\":\"missing web acl\"},"
                       + "\"text\"]";
            var error = Assert.Throws<ComplianceExceptionFileException>(() => ComplianceExceptionFile.Parse(json, "f.json"));
            var found = error.Findings.Select(f => (f.Index, f.Field)).ToList();
            Assert.Equal(new[]
            {
                (1, "owner"), (1, "expires"), (1, "Owner"), (1, "account"),
                (2, "resource"), (2, "owner"), (2, "reason"), (2, "expires"), (2, "violationReason"),
                (3, ""),
            }.OrderBy(x => x).ToList(), found.OrderBy(x => x).ToList());
            Assert.Contains("[1].expires: '2026-13-01' must be a date as yyyy-MM-dd", error.Message);
            Assert.Contains("[1].account: '12345' must be a 12-digit account id", error.Message);
            Assert.Contains("[2].resource: must be a string, not a number", error.Message);
            Assert.Contains("[3]: must be an object, not a string", error.Message);
        }

        [Theory]
        [InlineData("{}", "must be a JSON array of exception objects, not an object")]
        [InlineData("[", "is not JSON")]
        public void A_file_that_is_not_an_array_is_one_finding(string json, string expected)
        {
            var error = Assert.Throws<ComplianceExceptionFileException>(() => ComplianceExceptionFile.Parse(json, "f.json"));
            var finding = Assert.Single(error.Findings);
            Assert.Equal(-1, finding.Index);
            Assert.Contains(expected, finding.Message);
        }

        [Fact]
        public void The_published_schema_has_the_rules_the_loader_checks()
        {
            using var schema = JsonDocument.Parse(File.ReadAllText(RepoPaths.InRepo("src", "FmsTools", "Data", "fms-exceptions.schema.json")));
            var items = schema.RootElement.GetProperty("items");
            Assert.Equal("array", schema.RootElement.GetProperty("type").GetString());
            Assert.False(items.GetProperty("additionalProperties").GetBoolean());
            Assert.Equal(ComplianceExceptionFile.RequiredProperties.OrderBy(p => p), items.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).OrderBy(p => p));
            Assert.Equal(ComplianceExceptionFile.AllowedProperties.OrderBy(p => p), items.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(p => p));
            // The schema's patterns accept and reject what the loader does.
            var account = new System.Text.RegularExpressions.Regex(items.GetProperty("properties").GetProperty("account").GetProperty("pattern").GetString()!);
            foreach (var (value, valid) in new[] { ("111111111111", true), ("*", true), ("1111*", true), ("12345", false), ("abc", false) })
            {
                Assert.Equal(valid, account.IsMatch(value));
                var findings = new List<ComplianceExceptionFinding>();
                ComplianceExceptionFile.Check("[" + Entry(account: value) + "]", "f.json", findings);
                Assert.Equal(valid, findings.Count == 0);
            }
        }

        [Fact]
        public void A_matching_violation_is_excepted_with_owner_reason_and_expiry_and_the_row_no_longer_fails()
        {
            var set = Set("[" + Entry() + "]");
            var row = Row("111111111111", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            set.Apply(row);

            var violation = Assert.Single(row.Violations);
            Assert.True(violation.Excepted);
            Assert.Equal(("team-web", "legacy ALB, decommissioned in Q1", "fms-exceptions.json[0]"), (violation.ExceptionOwner, violation.ExceptionReason, violation.ExceptionEntry));
            Assert.Equal(new DateTime(2026, 12, 7), violation.ExceptionExpires);
            Assert.Equal(1, row.ExceptedViolatorCount);
            Assert.True(row.IsExcepted);
            Assert.Empty(set.Unused);
        }

        [Fact]
        public void An_exception_fails_again_the_day_after_it_expires()
        {
            var json = "[" + Entry(expires: "2026-12-07") + "]";
            var onTheDay = Row("111111111111", ("lb-1", "X"));
            Set(json, new DateTime(2026, 12, 7, 23, 59, 59, DateTimeKind.Utc)).Apply(onTheDay);
            Assert.True(onTheDay.IsExcepted);

            var dayAfter = Row("111111111111", ("lb-1", "X"));
            var set = Set(json, new DateTime(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc));
            set.Apply(dayAfter);
            Assert.False(dayAfter.IsExcepted);
            Assert.False(dayAfter.Violations[0].Excepted);
            var expired = Assert.Single(set.ExpiredMatches);
            Assert.Equal((0, 1), (expired.Key.Index, expired.Value));
            Assert.Contains("expired on 2026-12-07", Assert.Single(set.Describe()));
            Assert.Empty(set.Unused);
        }

        [Fact]
        public void Only_some_violations_excepted_leaves_the_row_failing_with_the_rest()
        {
            var row = Row("111111111111", ("lb-1", "X"), ("lb-2", "X"));
            Set("[" + Entry() + "]").Apply(row);
            Assert.False(row.IsExcepted);
            Assert.Equal(1, row.ExceptedViolatorCount);
            Assert.Equal(new[] { true, false }, row.Violations.Select(v => v.Excepted));
        }

        [Fact]
        public void A_row_with_unlisted_violators_is_never_wholly_excepted()
        {
            var row = Row("111111111111", ("lb-1", "X"));
            row.ViolatorCount = 150;
            row.EvaluationLimitExceeded = true;
            Set("[" + Entry(resource: "*") + "]").Apply(row);
            Assert.True(row.Violations[0].Excepted);
            Assert.False(row.IsExcepted);
        }

        [Theory]
        [InlineData("waf-*", "111111111111", "lb-1", null, true)]
        [InlineData("WAF-BASELINE", "111111111111", "lb-1", null, true)]
        [InlineData("11111111-2222-3333-4444-555555555555", "111111111111", "lb-1", null, true)]
        [InlineData("other", "111111111111", "lb-1", null, false)]
        [InlineData("waf-baseline", "2222*", "lb-1", null, false)]
        [InlineData("waf-baseline", "*", "lb-?", null, true)]
        [InlineData("waf-baseline", "*", "LB-1", null, false)]
        [InlineData("waf-baseline", "*", "lb-1", "RESOURCE_MISSING_*", true)]
        [InlineData("waf-baseline", "*", "lb-1", "RESOURCE_INCORRECT_WEB_ACL", false)]
        [InlineData("waf-baseline", "*", "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/lb-1", null, true)]
        public void Policy_account_resource_and_reason_must_all_match(string policy, string account, string resource, string? reason, bool expected)
        {
            var row = Row("111111111111", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            var set = Set("[" + Entry(policy, account, resource, reason) + "]");
            set.Apply(row);
            Assert.Equal(expected, row.IsExcepted);
            Assert.Equal(expected ? 0 : 1, set.Unused.Count);
        }

        [Fact]
        public void An_exception_matching_nothing_is_reported_as_stale()
        {
            var set = Set("[" + Entry() + "," + Entry(resource: "lb-gone") + "]");
            set.Apply(Row("111111111111", ("lb-1", "X")));
            set.Apply(Row("222222222222"));
            var stale = Assert.Single(set.Unused);
            Assert.Equal(1, stale.Index);
            Assert.Contains("fms-exceptions.json[1] (owner team-web) is stale", Assert.Single(set.Describe()));
        }

        [Fact]
        public void Applying_again_replaces_earlier_marks_without_touching_the_original_violations()
        {
            var row = Row("111111111111", ("lb-1", "X"));
            var original = row.Violations[0];
            Set("[" + Entry() + "]").Apply(row);
            Set("[" + Entry(resource: "lb-other") + "]").Apply(row);
            Assert.False(row.Violations[0].Excepted);
            Assert.Equal("", row.Violations[0].ExceptionOwner);
            Assert.Equal(0, row.ExceptedViolatorCount);
            Assert.False(original.Excepted);
        }
    }
}
