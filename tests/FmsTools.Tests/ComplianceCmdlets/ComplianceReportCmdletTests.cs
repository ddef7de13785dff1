using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml;
using System.Xml.Linq;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Get-FmsComplianceReport and Export-FmsComplianceReport over the demo organization in two regions.</summary>
    public sealed class ComplianceReportCmdletTests : IClassFixture<FrozenDemoRunspace>
    {
        private const string BothRegions = "-Region us-east-1, eu-west-1";
        private static readonly string[] Regions = { ComplianceSandbox.UsEast1, ComplianceSandbox.EuWest1 };
        private readonly SandboxRunspace _env;

        public ComplianceReportCmdletTests(FrozenDemoRunspace fixture) { _env = fixture.Env; }

        /// <summary>The report over both regions, also kept in <c>$report</c> for the export tests; disposed by the caller.</summary>
        private ComplianceReport Report()
            => Assert.Single(_env.Run($"$report = Get-FmsComplianceReport {BothRegions} -AsReport; $report").ShouldSucceed().OutputOf<ComplianceReport>());

        /// <summary>Policy × account rows the demo has that are non-compliant.</summary>
        private static long NonCompliantRowsExpected()
            => Regions.SelectMany(DemoOrganization.ExpectedViolations).Select(v => v.Region + v.PolicyName + v.AccountId).Distinct().Count();

        /// <summary>A folder of the test's own for exported files.</summary>
        private static string Folder() => ComplianceSandbox.TempDirectory();

        [Fact]
        public void The_report_over_two_regions_equals_the_ground_truth_with_names_and_ou_paths()
        {
            var result = _env.Run($"Get-FmsComplianceReport {BothRegions}").ShouldSucceed();
            var rows = result.OutputOf<FmsComplianceStatus>().ToList();

            Assert.Equal(ComplianceSandbox.Expected(Regions), new HashSet<string>(rows.SelectMany(r => r.Violations).Select(ComplianceSandbox.Key)));
            Assert.Equal(Regions.Sum(r => DemoOrganization.ExpectedViolations(r).Count), rows.Sum(r => r.ViolatorCount));
            Assert.Equal(NonCompliantRowsExpected(), rows.Count(r => r.StatusValue == FmsComplianceState.NonCompliant));
            // 9 policies in us-east-1 and 8 in eu-west-1; the CloudFront policy only in us-east-1 and counted once.
            Assert.Equal(17, rows.Select(r => r.Region + "/" + r.PolicyId).Distinct().Count());
            var cloudFront = rows.Where(r => r.PolicyName == DemoOrganization.WafCloudFrontPolicyName).ToList();
            Assert.NotEmpty(cloudFront);
            Assert.All(cloudFront, r => { Assert.Equal(ComplianceSandbox.UsEast1, r.Region); Assert.True(r.IsGlobal); });
            Assert.Equal(cloudFront.Count, cloudFront.Select(r => r.AccountId).Distinct().Count());
            // Compliant accounts are never drilled into.
            Assert.All(rows.Where(r => r.StatusValue == FmsComplianceState.Compliant), r => Assert.False(r.DetailRetrieved));
            Assert.All(rows, r => Assert.NotEqual(r.AccountId, r.AccountName));
            Assert.Contains(rows, r => r.AccountId == DemoOrganization.SandboxBob && r.OrganizationalUnitPath == "Root/Sandbox");

            Assert.NotEmpty(result.Progress);
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
            Assert.Contains(result.Progress, p => p.PercentComplete > 0 && p.PercentComplete < 100);
        }

        [Fact]
        public void Drilling_calls_GetComplianceDetail_once_per_non_compliant_row_only()
        {
            var mark = _env.Mark;
            var rows = _env.Run($"Get-FmsComplianceReport {BothRegions}").ShouldSucceed().OutputOf<FmsComplianceStatus>().ToList();
            Assert.Equal(rows.Count(r => r.StatusValue == FmsComplianceState.NonCompliant), _env.CallsSince(mark, "GetComplianceDetail").Count);
            Assert.Empty(_env.CallsSince(mark, "GetViolationDetails"));
            Assert.Empty(_env.MutatingSince(mark));
        }

        [Fact]
        public void AsReport_returns_one_report_whose_figures_equal_the_ground_truth()
        {
            using var report = Report();
            var expected = Regions.SelectMany(DemoOrganization.ExpectedViolations).ToList();
            Assert.Equal(expected.Count, report.Summary.NonCompliantResources);
            Assert.Equal(NonCompliantRowsExpected(), report.Summary.NonCompliantEvaluations);
            Assert.Equal(17, report.Summary.Policies);
            Assert.Equal(report.RowCount, report.Summary.Evaluations);
            Assert.Equal(expected.GroupBy(v => v.ViolationReason).ToDictionary(g => g.Key, g => (long)g.Count()).OrderBy(p => p.Key),
                report.Summary.ViolationsByReason.OrderBy(p => p.Key));
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().Count(), report.Summary.NonCompliantAccounts);
            Assert.Equal(Regions, report.Regions);
        }

        [Fact]
        public void AccountId_and_PolicyId_narrow_the_report()
        {
            var policyId = ComplianceSandbox.PolicyId(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1);
            var rows = _env.Run($"Get-FmsComplianceReport {BothRegions} -PolicyId {policyId} -AccountId {DemoOrganization.ProdApi}, {DemoOrganization.ProdWeb}")
                .ShouldSucceed().OutputOf<FmsComplianceStatus>().ToList();
            Assert.Equal(new[] { DemoOrganization.ProdWeb, DemoOrganization.ProdApi }.OrderBy(x => x), rows.Select(r => r.AccountId).OrderBy(x => x));
            Assert.All(rows, r => Assert.Equal(policyId, r.PolicyId));
        }

        [Fact]
        public void A_failed_part_is_one_error_record_and_no_warning()
        {
            var policyId = ComplianceSandbox.PolicyId(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1);
            const string missing = "00000000-0000-0000-0000-000000000000";
            var result = _env.Run($"Get-FmsComplianceReport {BothRegions} -PolicyId {policyId}, {missing}");

            Assert.Null(result.Terminating);
            Assert.NotEmpty(result.OutputOf<FmsComplianceStatus>());
            Assert.All(result.OutputOf<FmsComplianceStatus>(), r => Assert.Equal(policyId, r.PolicyId));
            var error = Assert.Single(result.Errors);
            Assert.Equal("PolicyNotFound", error.ErrorId());
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains(missing, error.Message());
            Assert.DoesNotContain(result.Warnings, w => w.Contains(missing));
        }

        [Fact]
        public void When_no_region_can_be_listed_the_first_failure_terminates_and_the_others_are_reported_once()
        {
            // A member account's keys: it is not the FMS administrator, so no region's policies can be listed.
            const string key = "AKIAREPORTMEMBER0001";
            _env.Sandbox.AddCredential(new FmsTools.Sandbox.SandboxCredential(key, "report-member-secret", DemoOrganization.ProdWeb));

            var result = _env.Run($"Get-FmsComplianceReport {BothRegions} -AccessKey {key} -SecretKey report-member-secret");

            Assert.NotNull(result.Terminating);
            var terminating = result.Terminating!.ErrorRecord;
            Assert.Equal("ListPoliciesFailed", terminating.ErrorId());
            var other = Assert.Single(result.Errors);
            Assert.Equal("ListPoliciesFailed", other.ErrorId());
            // One failure per region, each reported once: one as the terminating error, the other as a record.
            Assert.Equal(Regions.OrderBy(r => r), new[] { terminating.Message(), other.Message() }
                .Select(m => Regions.Single(r => m.Contains(" in " + r + ":"))).OrderBy(r => r));
            Assert.DoesNotContain(result.Warnings, w => w.StartsWith("Could not list Firewall Manager policies", StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ Export

        [Fact]
        public void Html_is_self_contained_and_shows_the_right_counts()
        {
            using var report = Report();
            var path = Path.Combine(Folder(), "fms-report.html");
            _env.Session.Set("path", path);
            var file = Assert.Single(_env.Run("$report | Export-FmsComplianceReport -Path $path -Format Html").ShouldSucceed().OutputOf<ComplianceReportFile>());
            Assert.Equal(path, file.FullName);
            Assert.Equal(ComplianceReportFormat.Html, file.FormatValue);
            Assert.Equal(new FileInfo(path).Length, file.Length);
            Assert.False(file.Overwritten);

            var html = File.ReadAllText(path);
            // One inline script of the page's own (filters and sorting), none loaded from anywhere.
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<script", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
            Assert.Contains("<script>//<![CDATA[", html);
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            var page = ReportPage.Parse(html);
            var expected = Regions.SelectMany(DemoOrganization.ExpectedViolations).ToList();
            Assert.Equal(expected.Count.ToString(), page.Card("non-compliant resources"));
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().Count().ToString(), page.Card("non-compliant accounts"));
            Assert.Equal("17", page.Card("policies"));
            Assert.Equal(expected.Count, page.NonCompliantResourceRows.Count);
            Assert.Equal(17, page.PolicyRows.Count);
            var waf = page.PolicyRows.Single(r => r[0].StartsWith(DemoOrganization.WafPolicyName) && r[2] == ComplianceSandbox.UsEast1);
            Assert.Equal(DemoOrganization.ExpectedViolations(DemoOrganization.WafPolicyName, ComplianceSandbox.UsEast1).Count.ToString(), waf[7]);
        }

        [Fact]
        public void JUnit_has_a_test_case_per_policy_and_account_and_a_failure_per_non_compliant_row()
        {
            using var report = Report();
            var path = Path.Combine(Folder(), "compliance.xml");
            _env.Session.Set("path", path);
            // The format from the extension.
            var file = Assert.Single(_env.Run("$report | Export-FmsComplianceReport -Path $path").ShouldSucceed().OutputOf<ComplianceReportFile>());
            Assert.Equal(ComplianceReportFormat.JUnit, file.FormatValue);

            var xml = XDocument.Load(path);
            var cases = xml.Descendants("testcase").ToList();
            Assert.Equal(report.RowCount, cases.Count);
            Assert.Equal(NonCompliantRowsExpected(), cases.Count(c => c.Element("failure") != null));
            Assert.Equal(report.RowCount.ToString(), xml.Root!.Attribute("tests")!.Value);
            Assert.Equal(NonCompliantRowsExpected().ToString(), xml.Root.Attribute("failures")!.Value);
            Assert.Equal(17, xml.Descendants("testsuite").Count());
            // The failure names the resources and reasons.
            var bob = cases.Single(c => c.Attribute("classname")!.Value.EndsWith(DemoOrganization.ContentAuditPolicyName)
                                        && c.Attribute("name")!.Value.Contains(DemoOrganization.SandboxBob) && c.Attribute("name")!.Value.EndsWith(ComplianceSandbox.UsEast1));
            foreach (var v in DemoOrganization.ExpectedViolations(DemoOrganization.ContentAuditPolicyName, ComplianceSandbox.UsEast1).Where(v => v.AccountId == DemoOrganization.SandboxBob))
                Assert.Contains(v.ResourceId + ": " + v.ViolationReason, bob.Element("failure")!.Value);
        }

        [Fact]
        public void Streamed_rows_are_aggregated_into_the_same_report_and_several_formats_write_several_files()
        {
            var directory = Folder();
            _env.Session.Set("folder", directory);
            var rows = _env.Run($"$rows = Get-FmsComplianceReport {BothRegions}; $rows").ShouldSucceed().OutputOf<FmsComplianceStatus>().ToList();
            var files = _env.Run("$rows | Export-FmsComplianceReport -Path (Join-Path $folder org) -Format Csv, Json, JUnit")
                .ShouldSucceed().OutputOf<ComplianceReportFile>().ToList();
            Assert.Equal(new[] { "org.csv", "org.json", "org.xml" }, files.Select(f => f.Name).OrderBy(x => x));
            Assert.All(files, f =>
            {
                Assert.Equal(rows.Count, f.Rows);
                Assert.Equal(NonCompliantRowsExpected(), f.NonCompliantRows);
                Assert.Equal(rows.Sum(r => r.ViolatorCount), f.Violators);
            });

            var csv = File.ReadAllLines(Path.Combine(directory, "org.csv"));
            Assert.Equal(rows.Count + 1, csv.Length);
            Assert.StartsWith("PolicyId,PolicyName", csv[0]);
            Assert.Equal(NonCompliantRowsExpected(), csv.Count(l => l.Contains(",NonCompliant,")));

            using (var reader = new StreamReader(Path.Combine(directory, "org.json")))
            using (var restored = ComplianceReportExporter.ReadJson(reader))
            {
                Assert.Equal(rows.Count, restored.RowCount);
                Assert.Equal(ComplianceSandbox.Expected(Regions), new HashSet<string>(restored.NonCompliantResources.Select(ComplianceSandbox.Key)));
                Assert.Equal(Regions, restored.Regions.OrderBy(r => r == ComplianceSandbox.UsEast1 ? 0 : 1));
            }
        }

        [Fact]
        public void An_existing_file_is_kept_without_Force_replaced_with_it_and_WhatIf_writes_nothing()
        {
            using var report = Report();
            var directory = Folder();
            var path = Path.Combine(directory, "report.csv");
            File.WriteAllText(path, "keep me");
            _env.Session.Set("path", path);

            var refused = _env.Run("$report | Export-FmsComplianceReport -Path $path");
            var error = Assert.Single(refused.Errors);
            Assert.Equal("ReportFileExists", error.ErrorId());
            Assert.Empty(refused.Output);
            Assert.Equal("keep me", File.ReadAllText(path));

            var text = _env.Host.Text.Length;
            var whatIf = _env.Run("$report | Export-FmsComplianceReport -Path $path -Force -WhatIf").ShouldSucceed();
            Assert.Empty(whatIf.Output);
            var (target, action) = Assert.Single(_env.Host.WhatIfSince(text));
            Assert.Contains("Replace the existing file", action);
            Assert.Contains("report.csv", target);
            Assert.Equal("keep me", File.ReadAllText(path));

            var fresh = Path.Combine(directory, "new.html");
            _env.Session.Set("fresh", fresh);
            _env.Run("$report | Export-FmsComplianceReport -Path $fresh -WhatIf").ShouldSucceed();
            Assert.False(File.Exists(fresh));

            var forced = _env.Run("$report | Export-FmsComplianceReport -Path $path -Force").ShouldSucceed();
            Assert.True(Assert.Single(forced.OutputOf<ComplianceReportFile>()).Overwritten);
            Assert.StartsWith("PolicyId,", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(directory)); // no temporary file left beside it
        }

        [Fact]
        public void An_unknown_extension_without_Format_stops_with_a_clear_error()
        {
            using var report = Report();
            var path = Path.Combine(Folder(), "report.txt");
            _env.Session.Set("path", path);
            var result = _env.Run("$report | Export-FmsComplianceReport -Path $path");
            Assert.NotNull(result.Terminating);
            Assert.Equal("ReportFormatUnknown", result.Error.ErrorId());
            Assert.Contains(".txt", result.Error.Message());
            Assert.False(File.Exists(path));
        }
    }

    /// <summary>The report page read as XML (the exporter writes well-formed XHTML-compatible markup).</summary>
    internal sealed class ReportPage
    {
        private readonly XDocument _document;

        private ReportPage(XDocument document) { _document = document; }

        public static ReportPage Parse(string html)
        {
            using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
            return new ReportPage(XDocument.Load(reader));
        }

        /// <summary>The number on the summary card with this label.</summary>
        public string Card(string label)
            => _document.Descendants("div").Single(d => (string?)d.Attribute("class") == "card" && d.Elements().Last().Value == label).Elements().First().Value;

        public List<string[]> PolicyRows => RowsAfter("Policies");

        public List<string[]> NonCompliantResourceRows => RowsAfter("Non-compliant resources");

        private List<string[]> RowsAfter(string heading)
        {
            var h2 = _document.Descendants("h2").Single(h => h.Value == heading);
            // The section's first table (tables sit in a scrolling div, the resources after their search and filters).
            var table = h2.ElementsAfterSelf().TakeWhile(e => e.Name != "h2").SelectMany(e => e.DescendantsAndSelf("table")).FirstOrDefault();
            if (table == null) return new List<string[]>();
            return table.Element("tbody")!.Elements("tr").Select(tr => tr.Elements("td").Select(td => td.Value).ToArray()).ToList();
        }
    }
}
