using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>Two organizations' reports as one: the organization on every row and in every export format.</summary>
    public class MergeReportTests
    {
        /// <summary>The same policy and account ids in both organizations (two demo sandboxes look like this), different outcomes.</summary>
        private static ComplianceReport OneOrganization(FmsComplianceState state, string ou)
        {
            var aggregator = new ComplianceReportAggregator(new[] { "us-east-1" }, null, new ManualClock().ToEngineClock());
            var row = new FmsComplianceStatus
            {
                PolicyId = "pol-1", PolicyName = "waf", PolicyType = "WAFV2", Region = "us-east-1", AccountId = "111111111111", AccountName = "web",
                OrganizationalUnitPath = ou, StatusValue = state,
            };
            if (state == FmsComplianceState.NonCompliant)
            {
                row.ViolatorCount = 1;
                row.Violations = new[]
                {
                    new FmsViolation { PolicyId = "pol-1", PolicyName = "waf", Region = "us-east-1", AccountId = "111111111111", ResourceId = "arn:lb/x", Reason = "RESOURCE_MISSING_WEB_ACL" },
                };
                row.ViolationsByReason = new System.Collections.Generic.Dictionary<string, int> { ["RESOURCE_MISSING_WEB_ACL"] = 1 };
            }
            aggregator.Add(row);
            return aggregator.Complete();
        }

        private static ComplianceReport Merged()
        {
            using var prod = OneOrganization(FmsComplianceState.NonCompliant, "Root/Prod");
            using var lab = OneOrganization(FmsComplianceState.Compliant, "Root/Lab");
            return ComplianceReportMerger.Merge(new[]
            {
                new ComplianceReportSource(prod, "o-prod000001", "Production"), new ComplianceReportSource(lab, "o-lab0000002", "Lab"),
            }, new ManualClock().ToEngineClock());
        }

        private static string Export(ComplianceReport report, ComplianceReportFormat format)
        {
            var writer = new StringWriter();
            ComplianceReportExporter.Export(report, format, writer, new ComplianceExportOptions { ToolVersion = "0.1.0" });
            return writer.ToString();
        }

        [Fact]
        public void Rows_policies_and_accounts_are_counted_per_organization()
        {
            using var merged = Merged();
            Assert.Equal(new[] { ("o-lab0000002", "Lab"), ("o-prod000001", "Production") }, merged.Organizations.Select(o => (o.Id, o.Name)));
            Assert.Equal((2, 2, 2L, 1L, 1L), (merged.Summary.Policies, merged.Summary.Accounts, merged.Summary.Evaluations, merged.Summary.NonCompliantEvaluations, merged.Summary.NonCompliantResources));
            Assert.Equal(new[] { ("Lab", 1, 0), ("Production", 0, 1) }, merged.PolicyRows.Select(p => (p.Organization, p.CompliantAccounts, p.NonCompliantAccounts)));
            Assert.Equal(new[] { ("o-lab0000002", "Compliant"), ("o-prod000001", "NonCompliant") }, merged.AccountRows.Select(a => (a.OrganizationId, a.Status)));
            var violation = Assert.Single(merged.NonCompliantResources);
            Assert.Equal(("o-prod000001", "Production"), (violation.OrganizationId, violation.Organization));

            // Merging a merged report again keeps the organizations its rows carry.
            using var again = ComplianceReportMerger.Merge(new[] { new ComplianceReportSource(merged, "ignored", "ignored") });
            Assert.Equal(new[] { "o-lab0000002", "o-prod000001" }, again.Organizations.Select(o => o.Id));
        }

        [Fact]
        public void Merging_leaves_the_source_reports_rows_alone()
        {
            var writer = new StringWriter();
            using (var prod = OneOrganization(FmsComplianceState.NonCompliant, "Root/Prod")) ComplianceReportExporter.WriteJson(prod, writer);
            using var saved = ComplianceReportExporter.ReadJson(new StringReader(writer.ToString()));
            using var merged = ComplianceReportMerger.Merge(new[] { new ComplianceReportSource(saved, "o-prod000001", "") });
            Assert.Equal("", Assert.Single(saved.Rows).OrganizationId);
            Assert.Equal(("o-prod000001", "o-prod000001"), (Assert.Single(merged.Rows).OrganizationId, merged.Rows.Single().Organization));
        }

        [Fact]
        public void Every_format_carries_the_organization()
        {
            using var merged = Merged();
            var csv = Export(merged, ComplianceReportFormat.Csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("OrganizationId,Organization,PolicyId,", csv[0]);
            Assert.Equal(new[] { "o-lab0000002,Lab,pol-1", "o-prod000001,Production,pol-1" }, csv.Skip(1).Select(l => string.Join(",", l.Split(',').Take(3))).OrderBy(x => x));
            var violationCsv = new StringWriter();
            ComplianceReportExporter.WriteViolationsCsv(merged, violationCsv);
            Assert.StartsWith("o-prod000001,Production,pol-1,", violationCsv.ToString().Split("\r\n")[1]);

            using (var json = JsonDocument.Parse(Export(merged, ComplianceReportFormat.Json)))
                Assert.Equal(new[] { "o-lab0000002", "o-prod000001" }, json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("organizationId").GetString()).OrderBy(x => x));

            var junit = XDocument.Parse(Export(merged, ComplianceReportFormat.JUnit));
            Assert.Equal(new[] { "Lab: waf (pol-1) us-east-1", "Production: waf (pol-1) us-east-1" }, junit.Descendants("testsuite").Select(s => s.Attribute("name")!.Value));
            // Each suite holds its own organization's account only, although the account ids are equal.
            Assert.All(junit.Descendants("testsuite"), s => Assert.Single(s.Elements("testcase")));
            Assert.Single(junit.Descendants("failure"));

            var nunit = XDocument.Parse(Export(merged, ComplianceReportFormat.NUnit));
            Assert.Equal(new[] { "o-lab0000002", "o-prod000001" }, nunit.Descendants("property").Where(p => p.Attribute("name")!.Value == "organizationId").Select(p => p.Attribute("value")!.Value));

            using (var sarif = JsonDocument.Parse(Export(merged, ComplianceReportFormat.Sarif)))
            {
                var result = Assert.Single(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
                Assert.Equal("o-prod000001", result.GetProperty("properties").GetProperty("organizationId").GetString());
                Assert.Equal("Production", result.GetProperty("properties").GetProperty("organization").GetString());
            }

            var markdown = Export(merged, ComplianceReportFormat.Markdown);
            Assert.Contains("organizations Lab (o-lab0000002), Production (o-prod000001)", markdown);
            Assert.Contains("| waf | Production: 111111111111 | us-east-1 |", markdown);

            var html = XDocument.Parse(Export(merged, ComplianceReportFormat.Html).Substring(Export(merged, ComplianceReportFormat.Html).IndexOf("<html", StringComparison.Ordinal))).Root!;
            var options = html.Descendants("select").Single(s => s.Attribute("id")!.Value == "org").Elements("option").Select(o => (o.Attribute("value")!.Value, o.Value));
            Assert.Equal(new[] { ("", "All organizations"), ("o-lab0000002", "Lab (o-lab0000002)"), ("o-prod000001", "Production (o-prod000001)") }, options);
            // The heatmap: a policy's cells in the other organization's account column are not in scope.
            var cells = html.Descendants("td").Where(td => (td.Attribute("class")?.Value ?? "").StartsWith("hm ")).ToList();
            Assert.Equal(4, cells.Count);
            Assert.Equal(new[] { "Compliant", "NonCompliant", "NotInScope", "NotInScope" }, cells.Select(c => c.Attribute("data-status")!.Value).OrderBy(x => x));
            var row = html.Descendants("tr").Single(r => r.Attribute("data-resource") != null);
            Assert.Equal("o-prod000001", row.Attribute("data-org")!.Value);
        }
    }
}
