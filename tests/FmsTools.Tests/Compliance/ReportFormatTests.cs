using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Compliance.Exceptions;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>The SARIF, NUnit and Markdown exports, with an exceptions file applied to part of the report.</summary>
    public class ReportFormatTests
    {
        private static FmsComplianceStatus Row(string policyId, string policyName, string account, FmsComplianceState state, params (string Resource, string Reason)[] violators)
        {
            var row = new FmsComplianceStatus
            {
                PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1", AccountId = account,
                AccountName = "acct | " + account, StatusValue = state, ViolatorCount = violators.Length, DetailRetrieved = violators.Length > 0,
            };
            row.Violations = violators.Select(v => new FmsViolation
            {
                PolicyId = policyId, PolicyName = policyName, Region = "us-east-1", AccountId = account, AccountName = row.AccountName,
                ResourceId = v.Resource, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = v.Reason, ReasonDescription = ViolationReasons.Describe(v.Reason),
            }).ToList();
            row.ViolationsByReason = violators.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Count());
            return row;
        }

        /// <summary>
        /// pol-1: 111 compliant, 222 two violators (one excepted), 333 one violator excepted (a wholly excepted row);
        /// pol-2: 111 not evaluated, 222 150 violators of which one is listed. One stale exception.
        /// </summary>
        private static ComplianceReport Report()
        {
            var exceptions = new ComplianceExceptionSet(ComplianceExceptionFile.Parse(@"[
                {""policy"":""first"",""account"":""222222222222"",""resource"":""arn:lb/a"",""owner"":""team-a"",""reason"":""being replaced"",""expires"":""2030-01-31""},
                {""policy"":""first"",""account"":""333333333333"",""resource"":""*"",""owner"":""team-b"",""reason"":""sandbox account"",""expires"":""2030-01-31""},
                {""policy"":""first"",""account"":""444444444444"",""resource"":""*"",""owner"":""team-c"",""reason"":""gone"",""expires"":""2030-01-31""}]", "ex.json"),
                new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc));
            var rows = new[]
            {
                Row("pol-1", "first", "111111111111", FmsComplianceState.Compliant),
                Row("pol-1", "first", "222222222222", FmsComplianceState.NonCompliant, ("arn:lb/a", "RESOURCE_MISSING_WEB_ACL"), ("arn:lb/b", "RESOURCE_INCORRECT_WEB_ACL")),
                Row("pol-1", "first", "333333333333", FmsComplianceState.NonCompliant, ("arn:lb/c", "RESOURCE_MISSING_WEB_ACL")),
                Row("pol-2", "second", "111111111111", FmsComplianceState.Unknown),
                Row("pol-2", "second", "222222222222", FmsComplianceState.NonCompliant, ("lb|d`x", "RESOURCE_MISSING_WEB_ACL")),
            };
            rows[4].ViolatorCount = 150;
            rows[4].EvaluationLimitExceeded = true;
            var aggregator = new ComplianceReportAggregator(new[] { "us-east-1" }, null, new ManualClock().ToEngineClock());
            foreach (var row in rows)
            {
                exceptions.Apply(row);
                aggregator.Add(row);
            }
            var report = aggregator.Complete();
            report.SetExceptionOutcome(exceptions);
            return report;
        }

        private static string Export(ComplianceReport report, ComplianceReportFormat format)
        {
            var writer = new StringWriter();
            ComplianceReportExporter.Export(report, format, writer, new ComplianceExportOptions { ToolVersion = "0.1.0" });
            return writer.ToString();
        }

        [Fact]
        public void Summary_counts_excepted_rows_and_resources()
        {
            using var report = Report();
            Assert.Equal((3L, 1L, 153L, 2L), (report.Summary.NonCompliantEvaluations, report.Summary.ExceptedEvaluations, report.Summary.NonCompliantResources, report.Summary.ExceptedResources));
            Assert.Equal("ex.json[2]", Assert.Single(report.StaleExceptions).Location);
        }

        [Fact]
        public void Sarif_has_a_rule_per_reason_with_help_and_a_result_per_violating_resource()
        {
            using var report = Report();
            using var sarif = JsonDocument.Parse(Export(report, ComplianceReportFormat.Sarif));
            var root = sarif.RootElement;
            Assert.Equal("2.1.0", root.GetProperty("version").GetString());
            Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
            var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
            var driver = run.GetProperty("tool").GetProperty("driver");
            Assert.Equal("FmsTools", driver.GetProperty("name").GetString());
            var rules = driver.GetProperty("rules").EnumerateArray().ToList();
            Assert.Equal(new[] { "RESOURCE_INCORRECT_WEB_ACL", "RESOURCE_MISSING_WEB_ACL", SarifReportWriter.UnlistedRuleId }, rules.Select(r => r.GetProperty("id").GetString()));
            foreach (var rule in rules)
            {
                Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("help").GetProperty("text").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            }
            Assert.Contains("no web ACL", rules[1].GetProperty("help").GetProperty("text").GetString());

            var results = run.GetProperty("results").EnumerateArray().ToList();
            // 4 listed violators + 1 result for the 149 violators FMS did not list.
            Assert.Equal(5, results.Count);
            foreach (var result in results)
            {
                var ruleId = result.GetProperty("ruleId").GetString();
                Assert.Equal(ruleId, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
                Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetProperty("text").GetString()));
                var uri = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                Assert.True(Uri.IsWellFormedUriString(uri, UriKind.Relative), uri);
            }
            var byResource = results.Where(r => r.GetProperty("ruleId").GetString() != SarifReportWriter.UnlistedRuleId)
                .ToDictionary(r => r.GetProperty("properties").GetProperty("resourceId").GetString()!);
            Assert.Equal(new[] { "arn:lb/a", "arn:lb/b", "arn:lb/c", "lb|d`x" }, byResource.Keys.OrderBy(k => k, StringComparer.Ordinal));
            var suppression = Assert.Single(byResource["arn:lb/a"].GetProperty("suppressions").EnumerateArray());
            Assert.Equal(("external", "accepted"), (suppression.GetProperty("kind").GetString(), suppression.GetProperty("status").GetString()));
            Assert.Contains("being replaced (owner team-a, expires 2030-01-31", suppression.GetProperty("justification").GetString());
            Assert.False(byResource["arn:lb/b"].TryGetProperty("suppressions", out _));
            // Fingerprints tell the violators apart.
            Assert.Equal(5, results.Select(r => r.GetProperty("partialFingerprints").GetProperty("fmsViolation/v1").GetString()).Distinct().Count());
            var notification = Assert.Single(run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").EnumerateArray());
            Assert.Contains("Stale exception ex.json[2]", notification.GetProperty("message").GetProperty("text").GetString());
        }

        [Fact]
        public void NUnit_has_a_fixture_per_policy_and_a_case_per_account_and_excepted_accounts_pass()
        {
            using var report = Report();
            var document = XDocument.Parse(Export(report, ComplianceReportFormat.NUnit));
            var run = document.Root!;
            Assert.Equal("test-run", run.Name.LocalName);
            Assert.Equal(("5", "Failed", "2", "2", "1"),
                ((string)run.Attribute("total")!, (string)run.Attribute("result")!, (string)run.Attribute("passed")!, (string)run.Attribute("failed")!, (string)run.Attribute("skipped")!));
            var assembly = Assert.Single(run.Elements("test-suite"));
            Assert.Equal("Assembly", (string)assembly.Attribute("type")!);
            var fixtures = assembly.Elements("test-suite").ToList();
            Assert.Equal(new[] { "TestFixture", "TestFixture" }, fixtures.Select(f => (string)f.Attribute("type")!));
            var cases = fixtures.SelectMany(f => f.Elements("test-case")).ToDictionary(c => (string)c.Attribute("fullname")!);
            Assert.Equal(5, cases.Count);
            var results = cases.ToDictionary(c => c.Key.Substring(c.Key.IndexOf("us-east-1.", StringComparison.Ordinal)) + "/" + c.Key.Split('.')[3], c => (string)c.Value.Attribute("result")!);
            Assert.Equal("Passed", results["us-east-1.111111111111/first"]);
            Assert.Equal("Failed", results["us-east-1.222222222222/first"]);
            Assert.Equal("Passed", results["us-east-1.333333333333/first"]);
            Assert.Equal("Skipped", results["us-east-1.111111111111/second"]);
            Assert.Equal("Failed", results["us-east-1.222222222222/second"]);
            var excepted = cases.Values.Single(c => c.Attribute("fullname")!.Value.EndsWith("first.us-east-1.333333333333", StringComparison.Ordinal));
            Assert.Contains("accepted by team-b until 2030-01-31: sandbox account", excepted.Element("output")!.Value);
            var failing = cases.Values.Single(c => c.Attribute("fullname")!.Value.EndsWith("first.us-east-1.222222222222", StringComparison.Ordinal));
            var stack = failing.Element("failure")!.Element("stack-trace")!.Value;
            Assert.Contains("arn:lb/b", stack);
            Assert.DoesNotContain("arn:lb/a", stack);
            Assert.Equal("1 non-compliant resources: RESOURCE_INCORRECT_WEB_ACL=1; RESOURCE_MISSING_WEB_ACL=1", failing.Element("failure")!.Element("message")!.Value);
        }

        [Fact]
        public void Markdown_gives_the_verdict_totals_violators_accepted_violations_and_exceptions_to_review()
        {
            using var report = Report();
            var markdown = Export(report, ComplianceReportFormat.Markdown);
            var lines = markdown.Split('\n');
            Assert.StartsWith("## :x: ", lines[0]);
            Assert.Contains("NOT compliant", lines[0]);
            Assert.Contains("| 2 | 3 | 5 | 1 | 2 | 1 | 1 | 151 | 2 |", markdown);
            Assert.Contains("### Violating resources", markdown);
            Assert.Contains("### Accepted violations", markdown);
            Assert.Contains("| first | acct \\| 222222222222 (222222222222) | `arn:lb/a` | RESOURCE\\_MISSING\\_WEB\\_ACL | team-a | being replaced | 2030-01-31 |", markdown);
            // Every table row has as many cells as its header: pipes in values are escaped.
            foreach (var table in markdown.Split("\n\n").Where(b => b.Contains("|---")))
            {
                var rows = table.Split('\n').Where(l => l.StartsWith("|", StringComparison.Ordinal)).ToList();
                var cells = rows.Select(r => System.Text.RegularExpressions.Regex.Split(r, @"(?<!\\)\|").Length).Distinct().ToList();
                Assert.Single(cells);
            }
            Assert.Contains("**Stale** ex.json\\[2\\] (owner team-c)", markdown);
        }

        [Fact]
        public void Markdown_of_a_compliant_report_says_so()
        {
            var aggregator = new ComplianceReportAggregator(new[] { "us-east-1" }, null, new ManualClock().ToEngineClock());
            aggregator.Add(Row("pol-1", "first", "111111111111", FmsComplianceState.Compliant));
            using var report = aggregator.Complete();
            var markdown = Export(report, ComplianceReportFormat.Markdown);
            Assert.StartsWith("## :white_check_mark: ", markdown);
            Assert.DoesNotContain("### Violating resources", markdown);
        }
    }
}
