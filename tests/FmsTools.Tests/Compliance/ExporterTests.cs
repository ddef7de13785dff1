using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class ExporterTests
    {
        private const string Hostile = "<script>alert('x')</script> & \"quoted\", comma\r\nnew line";

        private static FmsComplianceStatus Row(string policyId, string policyName, string account, FmsComplianceState state, params (string Resource, string Reason)[] violators)
        {
            var row = new FmsComplianceStatus
            {
                PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1", AccountId = account,
                AccountName = account == "222222222222" ? Hostile : "acct-" + account, OrganizationalUnitPath = "Root/Prod <b>", StatusValue = state,
                ViolatorCount = violators.Length, LastUpdated = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                IssueInfo = new Dictionary<string, string> { ["AWSCONFIG"] = "Config <off>" },
            };
            if (violators.Length > 0)
            {
                row.DetailRetrieved = true;
                row.Violations = violators.Select(v => new FmsViolation
                {
                    PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1", AccountId = account, AccountName = row.AccountName,
                    ResourceId = v.Resource, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = v.Reason,
                    ReasonDescription = ViolationReasons.Describe(v.Reason), Metadata = new Dictionary<string, string> { ["k"] = "=cmd|' /C calc'!A0" },
                }).ToList();
                row.ViolationsByReason = violators.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Count());
            }
            return row;
        }

        private static ComplianceReport Report()
        {
            var aggregator = new ComplianceReportAggregator(new[] { "us-east-1", "eu-west-1" }, null, new ManualClock().ToEngineClock());
            aggregator.Add(Row("pol-1", Hostile, "111111111111", FmsComplianceState.Compliant));
            aggregator.Add(Row("pol-1", Hostile, "222222222222", FmsComplianceState.NonCompliant, ("arn:lb/<img src=http://evil/x>", "RESOURCE_MISSING_WEB_ACL"), ("lb-2", "RESOURCE_INCORRECT_WEB_ACL")));
            aggregator.Add(Row("pol-2", "second", "111111111111", FmsComplianceState.Unknown));
            aggregator.Add(Row("pol-2", "second", "222222222222", FmsComplianceState.NonCompliant, ("lb-3", "RESOURCE_MISSING_WEB_ACL")));
            return aggregator.Complete();
        }

        private static string Export(ComplianceReport report, ComplianceReportFormat format)
        {
            var writer = new StringWriter();
            ComplianceReportExporter.Export(report, format, writer);
            return writer.ToString();
        }

        [Fact]
        public void Html_is_well_formed_self_contained_and_encodes_every_value()
        {
            using var report = Report();
            var html = Export(report, ComplianceReportFormat.Html);

            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
            using (var reader = XmlReader.Create(new StringReader(html), settings)) { while (reader.Read()) { } }
            var document = XDocument.Parse(html.Substring(html.IndexOf("<html", StringComparison.Ordinal)));

            // The hostile values stay text: the only script is the page's own inline one (no src), and no <img> gets through.
            Assert.Single(document.Descendants("script"), s => !s.HasAttributes);
            Assert.Equal(1, html.Split("<script").Length - 1);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", html);
            Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "link" or "img" or "iframe" or "object");
            Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
            Assert.DoesNotContain("url(", html);
            Assert.Single(document.Descendants("style"));
            // Summary, tables and the generation time are there.
            Assert.Contains("2025-01-02T03:04:05Z", html);
            var tables = document.Descendants("table").ToList();
            Assert.True(tables.Count >= 4);
            var text = document.Root!.Value;
            Assert.Contains("lb-3", text);
            Assert.Contains("arn:lb/<img src=http://evil/x>", text);
            Assert.Contains(Hostile.Replace("\r\n", "\n"), text.Replace("\r\n", "\n"));
        }

        [Fact]
        public void JUnit_has_a_suite_per_policy_a_case_per_account_and_failures_listing_violators()
        {
            using var report = Report();
            var xml = Export(report, ComplianceReportFormat.JUnit);
            var document = XDocument.Parse(xml);
            var root = document.Root!;
            Assert.Equal("testsuites", root.Name.LocalName);
            Assert.Equal("4", root.Attribute("tests")!.Value);
            Assert.Equal("2", root.Attribute("failures")!.Value);
            var suites = root.Elements("testsuite").ToList();
            Assert.Equal(2, suites.Count);
            foreach (var suite in suites)
            {
                var cases = suite.Elements("testcase").ToList();
                Assert.Equal(int.Parse(suite.Attribute("tests")!.Value), cases.Count);
                Assert.Equal(int.Parse(suite.Attribute("failures")!.Value), cases.Count(c => c.Element("failure") != null));
                Assert.Equal(int.Parse(suite.Attribute("skipped")!.Value), cases.Count(c => c.Element("skipped") != null));
                Assert.All(cases, c => { Assert.NotNull(c.Attribute("classname")); Assert.NotNull(c.Attribute("name")); });
            }
            var failures = root.Descendants("failure").ToList();
            Assert.Equal(2, failures.Count);
            Assert.Contains(failures, f => f.Value.Contains("arn:lb/<img src=http://evil/x>") && f.Value.Contains("lb-2") && f.Value.Contains("RESOURCE_INCORRECT_WEB_ACL"));
            Assert.Contains(failures, f => f.Value.Contains("lb-3"));
            Assert.Contains(suites, s => s.Attribute("name")!.Value.Contains("<script>"));
        }

        private static List<List<string>> ParseCsv(string text)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else cell.Append(c);
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = new List<string>(); i++; }
                else cell.Append(c);
            }
            Assert.False(quoted);
            Assert.Empty(row);
            return rows;
        }

        [Fact]
        public void Csv_quotes_per_RFC_4180_and_has_one_row_per_policy_and_account()
        {
            using var report = Report();
            var csv = Export(report, ComplianceReportFormat.Csv);
            var rows = ParseCsv(csv);
            Assert.Equal(5, rows.Count);
            var header = rows[0];
            Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
            var nameColumn = header.IndexOf("AccountName");
            Assert.Contains(rows, r => r[nameColumn] == Hostile);
            Assert.Contains("\"" + Hostile.Replace("\"", "\"\"") + "\"", csv);
            Assert.Equal("RESOURCE_INCORRECT_WEB_ACL=1; RESOURCE_MISSING_WEB_ACL=1", rows.Single(r => r[header.IndexOf("PolicyId")] == "pol-1" && r[header.IndexOf("Status")] == "NonCompliant")[header.IndexOf("ViolationsByReason")]);

            var violations = new StringWriter();
            ComplianceReportExporter.WriteViolationsCsv(report, violations);
            var violationRows = ParseCsv(violations.ToString());
            Assert.Equal(4, violationRows.Count);
            Assert.All(violationRows.Skip(1), r => Assert.Equal("k==cmd|' /C calc'!A0", r[violationRows[0].IndexOf("Metadata")]));
            Assert.Contains(violationRows, r => r[violationRows[0].IndexOf("ResourceId")] == "arn:lb/<img src=http://evil/x>");
        }

        [Fact]
        public void Csv_cells_are_quoted_only_when_needed()
        {
            Assert.Equal("plain", ComplianceReportExporter.CsvCell("plain", true));
            Assert.Equal("\"a,b\"", ComplianceReportExporter.CsvCell("a,b", true));
            Assert.Equal("\"say \"\"hi\"\"\"", ComplianceReportExporter.CsvCell("say \"hi\"", true));
            Assert.Equal("\"line\nbreak\"", ComplianceReportExporter.CsvCell("line\nbreak", true));
            Assert.Equal("'=1+1", ComplianceReportExporter.CsvCell("=1+1", true));
            Assert.Equal("=1+1", ComplianceReportExporter.CsvCell("=1+1", false));
        }

        [Fact]
        public void Json_is_camelCase_and_round_trips()
        {
            using var report = Report();
            var json = Export(report, ComplianceReportFormat.Json);
            Assert.Contains("\"generatedAt\"", json);
            Assert.Contains("\"nonCompliantEvaluations\": 2", json);
            Assert.Contains("\"violationsByReason\"", json);
            Assert.DoesNotContain("\"PolicyId\"", json);

            using var back = ComplianceReportExporter.ReadJson(new StringReader(json));
            Assert.Equal(report.GeneratedAt, back.GeneratedAt);
            Assert.Equal(report.Regions, back.Regions);
            Assert.Equal(report.Summary.NonCompliantResources, back.Summary.NonCompliantResources);
            Assert.Equal(report.Summary.NonCompliantAccounts, back.Summary.NonCompliantAccounts);
            Assert.Equal(report.PolicyRows.Select(p => (p.PolicyId, p.Accounts, p.NonCompliantAccounts)), back.PolicyRows.Select(p => (p.PolicyId, p.Accounts, p.NonCompliantAccounts)));
            var original = report.Rows.ToList();
            var copy = back.Rows.ToList();
            Assert.Equal(original.Count, copy.Count);
            for (var i = 0; i < original.Count; i++)
            {
                Assert.Equal(original[i].AccountName, copy[i].AccountName);
                Assert.Equal(original[i].Status, copy[i].Status);
                Assert.Equal(original[i].LastUpdated, copy[i].LastUpdated);
                Assert.Equal(original[i].ReasonSummary, copy[i].ReasonSummary);
                Assert.Equal(original[i].IssueSummary, copy[i].IssueSummary);
                Assert.Equal(original[i].Violations.Select(v => v.ResourceId + v.Reason), copy[i].Violations.Select(v => v.ResourceId + v.Reason));
            }
            // A second export of the copy is byte for byte the same: the format is stable.
            Assert.Equal(json, Export(back, ComplianceReportFormat.Json));
        }
    }
}
