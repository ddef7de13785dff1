using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Compliance.Exceptions;
using FmsTools.Engine.History;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>The HTML report's heatmap, charts, trend and resource table read back from the page, and the JSON round trip of the exception lists.</summary>
    public class HtmlReportTests
    {
        private static readonly DateTime Today = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc);

        private static FmsComplianceStatus Row(string policyId, string policyName, string account, string ou, FmsComplianceState state, params string[] resources)
        {
            var row = new FmsComplianceStatus
            {
                PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1", AccountId = account, AccountName = "acct-" + account,
                OrganizationalUnitPath = ou, StatusValue = state, ViolatorCount = resources.Length, DetailRetrieved = resources.Length > 0,
            };
            row.Violations = resources.Select(r => new FmsViolation
            {
                PolicyId = policyId, PolicyName = policyName, Region = "us-east-1", AccountId = account, AccountName = row.AccountName,
                ResourceId = r, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL",
            }).ToList();
            if (resources.Length > 0) row.ViolationsByReason = new Dictionary<string, int> { ["RESOURCE_MISSING_WEB_ACL"] = resources.Length };
            return row;
        }

        /// <summary>
        /// pol-1: 111 compliant, 222 two violators, 333 one violator accepted (Excepted); pol-2: 111 not evaluated,
        /// 222 one violator whose exception expired yesterday; pol-2 does not cover 333. One stale exception.
        /// </summary>
        private static ComplianceReport Report()
        {
            var exceptions = new ComplianceExceptionSet(ComplianceExceptionFile.Parse(@"[
                {""policy"":""first"",""account"":""333333333333"",""resource"":""*"",""owner"":""team-b"",""reason"":""sandbox account"",""expires"":""2030-01-31""},
                {""policy"":""second"",""account"":""222222222222"",""resource"":""arn:lb/d"",""owner"":""team-c"",""reason"":""was temporary"",""expires"":""2025-01-01""},
                {""policy"":""first"",""account"":""444444444444"",""resource"":""*"",""owner"":""team-d"",""reason"":""gone"",""expires"":""2030-01-31""}]", "ex.json"), Today);
            var rows = new[]
            {
                Row("pol-1", "first", "111111111111", "Root/Prod", FmsComplianceState.Compliant),
                Row("pol-1", "first", "222222222222", "Root/Prod", FmsComplianceState.NonCompliant, "arn:lb/a", "arn:lb/b"),
                Row("pol-1", "first", "333333333333", "Root/Dev", FmsComplianceState.NonCompliant, "arn:lb/c"),
                Row("pol-2", "second", "111111111111", "Root/Prod", FmsComplianceState.Unknown),
                Row("pol-2", "second", "222222222222", "Root/Prod", FmsComplianceState.NonCompliant, "arn:lb/d"),
            };
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

        private static string Html(ComplianceReport report, ComplianceExportOptions? options = null)
        {
            var writer = new StringWriter();
            ComplianceReportExporter.Export(report, ComplianceReportFormat.Html, writer, options);
            return writer.ToString();
        }

        private static XElement Page(string html) => XDocument.Parse(html.Substring(html.IndexOf("<html", StringComparison.Ordinal))).Root!;

        private static string Attr(XElement e, string name) => e.Attribute(name)?.Value ?? "";

        private static IEnumerable<XElement> WithClass(XElement root, string name, string css)
            => root.Descendants(name).Where(e => Attr(e, "class").Split(' ').Contains(css));

        [Fact]
        public void Heatmap_has_a_cell_per_policy_and_account_in_the_state_of_its_row()
        {
            using var report = Report();
            var page = Page(Html(report));
            var cells = WithClass(page, "td", "hm").ToDictionary(td => Attr(td, "data-policy") + "/" + Attr(td, "data-account"));
            var expected = new Dictionary<string, (string Status, string Text)>
            {
                ["pol-1/111111111111"] = ("Compliant", "✓"), ["pol-1/222222222222"] = ("NonCompliant", "2"), ["pol-1/333333333333"] = ("Excepted", "E"),
                ["pol-2/111111111111"] = ("Unknown", "?"), ["pol-2/222222222222"] = ("NonCompliant", "1"), ["pol-2/333333333333"] = ("NotInScope", "·"),
            };
            Assert.Equal(expected.Keys.OrderBy(k => k), cells.Keys.OrderBy(k => k));
            foreach (var pair in expected)
            {
                Assert.Equal(pair.Value.Status, Attr(cells[pair.Key], "data-status"));
                Assert.Equal(pair.Value.Text, cells[pair.Key].Value);
                Assert.Contains("s-" + pair.Value.Status, Attr(cells[pair.Key], "class"));
            }
            // Columns are the report's accounts, rows its policies, in the report's order.
            var heatmap = page.Descendants("table").Single(t => Attr(t, "id") == "heatmap");
            Assert.Equal(report.AccountRows.Select(a => a.AccountId), WithClass(heatmap, "th", "acct").Select(th => Attr(th, "data-account")));
            Assert.Equal(report.PolicyRows.Select(p => p.PolicyId), WithClass(heatmap, "th", "pol").Select(th => Attr(th, "data-policy")));
        }

        [Fact]
        public void Charts_show_compliance_per_policy_and_per_organizational_unit()
        {
            using var report = Report();
            var page = Page(Html(report));
            XElement Chart(string id) => page.Descendants("svg").Single(s => Attr(s, "id") == id);
            var policyBars = WithClass(Chart("policy-chart"), "g", "bar").Select(g => (Attr(g, "data-label"), Attr(g, "data-percent"))).ToList();
            // first: 111 compliant, 222 and 333 non-compliant -> 33.3 %; second: 222 non-compliant, 111 not evaluated -> 0 %.
            Assert.Equal(new[] { ("first (us-east-1)", "33.3"), ("second (us-east-1)", "0") }, policyBars);
            var ouBars = WithClass(Chart("ou-chart"), "g", "bar").Select(g => (Attr(g, "data-label"), Attr(g, "data-percent"))).ToList();
            // Root/Dev: 333 (first non-compliant); Root/Prod: 111 (first compliant, second unknown) and 222 (both non-compliant) -> 1 of 3.
            Assert.Equal(new[] { ("Root/Dev", "0"), ("Root/Prod", "33.3") }, ouBars);
            Assert.DoesNotContain(page.Descendants("svg"), s => s.Name.NamespaceName.Length > 0);
        }

        [Fact]
        public void Trend_draws_earlier_readings_in_time_order_and_the_report_last()
        {
            using var report = Report();
            var options = new ComplianceExportOptions
            {
                History =
                {
                    new ComplianceTrendPoint { Time = report.GeneratedAt.AddDays(-1), CompliantEvaluations = 3, NonCompliantEvaluations = 1, Source = "b" },
                    new ComplianceTrendPoint { Time = report.GeneratedAt.AddDays(-7), CompliantEvaluations = 1, NonCompliantEvaluations = 3, Source = "a" },
                    new ComplianceTrendPoint { Time = report.GeneratedAt.AddDays(1), CompliantEvaluations = 4, Source = "later than the report" },
                },
            };
            var page = Page(Html(report, options));
            var points = WithClass(page.Descendants("svg").Single(s => Attr(s, "id") == "trend-chart"), "g", "point")
                .Select(g => (Attr(g, "data-time"), Attr(g, "data-percent"))).ToList();
            Assert.Equal(new[] { ("2024-12-26T03:04:05Z", "25"), ("2025-01-01T03:04:05Z", "75"), ("2025-01-02T03:04:05Z", "25") }, points);
            Assert.DoesNotContain("id=\"trend-chart\"", Html(report));
        }

        [Fact]
        public void Resource_rows_carry_status_and_search_text_and_the_page_names_no_url()
        {
            using var report = Report();
            var html = Html(report);
            var page = Page(html);
            var rows = page.Descendants("table").Single(t => Attr(t, "id") == "resources").Descendants("tbody").Single().Elements("tr").ToList();
            Assert.Equal(new[] { "arn:lb/a", "arn:lb/b", "arn:lb/c", "arn:lb/d" }, rows.Select(r => Attr(r, "data-resource")).OrderBy(x => x));
            Assert.Equal(new[] { "arn:lb/c" }, rows.Where(r => Attr(r, "data-status") == "excepted").Select(r => Attr(r, "data-resource")));
            Assert.Equal("acct-333333333333 333333333333 us-east-1 first arn:lb/c aws::elasticloadbalancingv2::loadbalancer resource_missing_web_acl",
                Attr(rows.Single(r => Attr(r, "data-resource") == "arn:lb/c"), "data-search"));
            Assert.Empty(page.Descendants("select"));
            var script = Assert.Single(page.Descendants("script"));
            Assert.Empty(script.Attributes());
            Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(page.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
        }

        [Fact]
        public void Saved_json_keeps_the_stale_and_expired_exception_lists()
        {
            using var report = Report();
            Assert.Equal("ex.json[2]", Assert.Single(report.StaleExceptions).Location);
            Assert.Equal("ex.json[1]", Assert.Single(report.ExpiredExceptions).Location);
            var writer = new StringWriter();
            ComplianceReportExporter.WriteJson(report, writer);
            using var back = ComplianceReportExporter.ReadJson(new StringReader(writer.ToString()));
            foreach (var (before, after) in new[] { (report.StaleExceptions, back.StaleExceptions), (report.ExpiredExceptions, back.ExpiredExceptions) })
            {
                var a = Assert.Single(before);
                var b = Assert.Single(after);
                Assert.Equal((a.Index, a.Policy, a.Account, a.Resource, a.ViolationReason, a.Owner, a.Reason, a.Expires, a.Source, a.Location),
                    (b.Index, b.Policy, b.Account, b.Resource, b.ViolationReason, b.Owner, b.Reason, b.Expires, b.Source, b.Location));
            }
            // A report saved before the lists were written reads back with none.
            using var old = ComplianceReportExporter.ReadJson(new StringReader(writer.ToString().Replace("\"staleExceptions\"", "\"x1\"").Replace("\"expiredExceptions\"", "\"x2\"")));
            Assert.Empty(old.StaleExceptions);
            Assert.Empty(old.ExpiredExceptions);
        }

        [Fact]
        public void History_reads_saved_reports_and_watch_snapshots_and_refuses_other_json()
        {
            using var report = Report();
            var folder = Directory.CreateTempSubdirectory("fms-history-").FullName;
            try
            {
                var saved = Path.Combine(folder, "saved.json");
                using (var writer = new StreamWriter(saved)) ComplianceReportExporter.WriteJson(report, writer);
                var point = ComplianceHistory.Load(saved);
                Assert.Equal((report.GeneratedAt, 1L, 3L, 1L, 1L, "saved.json"),
                    (point.Time, point.CompliantEvaluations, point.NonCompliantEvaluations, point.UnknownEvaluations, point.ExceptedEvaluations, point.Source));

                var snapshotPath = Path.Combine(folder, "snapshot.json");
                ComplianceSnapshot.From(report.Rows, new DateTime(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc)).Save(snapshotPath);
                var fromSnapshot = ComplianceHistory.Load(snapshotPath);
                Assert.Equal((new DateTime(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc), 1L, 3L, 1L, 25.0),
                    (fromSnapshot.Time, fromSnapshot.CompliantEvaluations, fromSnapshot.NonCompliantEvaluations, fromSnapshot.UnknownEvaluations, fromSnapshot.CompliancePercent));

                var other = Path.Combine(folder, "other.json");
                File.WriteAllText(other, "{\"schema\":\"something-else\"}");
                Assert.Contains("other.json", Assert.Throws<InvalidDataException>(() => ComplianceHistory.Load(other)).Message);
                File.WriteAllText(other, "not json");
                Assert.Throws<InvalidDataException>(() => ComplianceHistory.Load(other));
            }
            finally { Directory.Delete(folder, true); }
        }
    }
}
