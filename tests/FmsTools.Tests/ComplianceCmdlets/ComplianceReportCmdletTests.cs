using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using FmsTools.Commands;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>Get-FmsComplianceReport and Export-FmsComplianceReport over the demo organization in two regions.</summary>
    public sealed class ComplianceReportCmdletTests : IClassFixture<ComplianceSandbox>
    {
        private static readonly string[] BothRegions = { ComplianceSandbox.UsEast1, ComplianceSandbox.EuWest1 };
        private readonly ComplianceSandbox _sandbox;

        public ComplianceReportCmdletTests(ComplianceSandbox sandbox) { _sandbox = sandbox; }

        private List<FmsComplianceStatus> ReportRows(RecordingCommandHost? host = null)
            => _sandbox.RunClean(new GetFmsComplianceReport { Region = BothRegions }, host).OutputOf<FmsComplianceStatus>().ToList();

        private ComplianceReport Report()
            => Assert.Single(_sandbox.RunClean(new GetFmsComplianceReport { Region = BothRegions, AsReportFlag = true }).Output.Cast<ComplianceReport>());

        /// <summary>Policy × account rows the demo has: policies per region times accounts each policy covers (read from the service's own listing).</summary>
        private static long NonCompliantRowsExpected()
            => BothRegions.SelectMany(DemoOrganization.ExpectedViolations).Select(v => v.Region + v.PolicyName + v.AccountId).Distinct().Count();

        [Fact]
        public void The_report_over_two_regions_equals_the_ground_truth_with_names_and_ou_paths()
        {
            var host = new RecordingCommandHost();
            var rows = ReportRows(host);

            Assert.Equal(ComplianceSandbox.Expected(BothRegions), new HashSet<string>(rows.SelectMany(r => r.Violations).Select(ComplianceSandbox.Key)));
            Assert.Equal(BothRegions.Sum(r => DemoOrganization.ExpectedViolations(r).Count), rows.Sum(r => r.ViolatorCount));
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

            Assert.NotEmpty(host.Progress);
            Assert.True(host.Progress.Last().Completed);
            Assert.Contains(host.Progress, p => p.PercentComplete > 0 && p.PercentComplete < 100);
        }

        [Fact]
        public void Drilling_calls_GetComplianceDetail_once_per_non_compliant_row_only()
        {
            var mark = _sandbox.Mark;
            var rows = ReportRows();
            Assert.Equal(rows.Count(r => r.StatusValue == FmsComplianceState.NonCompliant), _sandbox.CallsSince(mark, "GetComplianceDetail").Count);
            Assert.Empty(_sandbox.CallsSince(mark, "GetViolationDetails"));
            Assert.Empty(_sandbox.MutatingCallsSince(mark));
        }

        [Fact]
        public void AsReport_returns_one_report_whose_figures_equal_the_ground_truth()
        {
            using var report = Report();
            var expected = BothRegions.SelectMany(DemoOrganization.ExpectedViolations).ToList();
            Assert.Equal(expected.Count, report.Summary.NonCompliantResources);
            Assert.Equal(NonCompliantRowsExpected(), report.Summary.NonCompliantEvaluations);
            Assert.Equal(17, report.Summary.Policies);
            Assert.Equal(report.RowCount, report.Summary.Evaluations);
            Assert.Equal(expected.GroupBy(v => v.ViolationReason).ToDictionary(g => g.Key, g => (long)g.Count()).OrderBy(p => p.Key),
                report.Summary.ViolationsByReason.OrderBy(p => p.Key));
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().Count(), report.Summary.NonCompliantAccounts);
            Assert.Equal(BothRegions, report.Regions);
        }

        [Fact]
        public void AccountId_and_PolicyId_narrow_the_report()
        {
            var policyId = ComplianceSandbox.PolicyId(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1);
            var rows = _sandbox.RunClean(new GetFmsComplianceReport
            {
                Region = BothRegions, PolicyId = new[] { policyId }, AccountId = new[] { DemoOrganization.ProdApi, DemoOrganization.ProdWeb },
            }).OutputOf<FmsComplianceStatus>().ToList();
            Assert.Equal(new[] { DemoOrganization.ProdWeb, DemoOrganization.ProdApi }.OrderBy(x => x), rows.Select(r => r.AccountId).OrderBy(x => x));
            Assert.All(rows, r => Assert.Equal(policyId, r.PolicyId));
        }

        [Fact]
        public void A_failed_part_is_one_error_record_and_no_warning()
        {
            var policyId = ComplianceSandbox.PolicyId(DemoOrganization.ShieldPolicyName, ComplianceSandbox.EuWest1);
            const string missing = "00000000-0000-0000-0000-000000000000";
            var host = _sandbox.Run(new GetFmsComplianceReport { Region = BothRegions, PolicyId = new[] { policyId, missing } });

            Assert.NotEmpty(host.OutputOf<FmsComplianceStatus>());
            Assert.All(host.OutputOf<FmsComplianceStatus>(), r => Assert.Equal(policyId, r.PolicyId));
            var error = Assert.Single(host.Errors);
            Assert.Equal("PolicyNotFound", error.ErrorId);
            Assert.Contains(missing, error.Message);
            Assert.DoesNotContain(host.Warnings, w => w.Contains(missing));
        }

        [Fact]
        public void When_no_region_can_be_listed_the_first_failure_terminates_and_the_others_are_reported_once()
        {
            const string key = "AKIAREPORTMEMBER0001";
            _sandbox.Host.AddCredential(new FmsTools.Sandbox.SandboxCredential(key, "report-member-secret", DemoOrganization.ProdWeb));
            var cmdlet = _sandbox.Connect(new GetFmsComplianceReport { Region = BothRegions });
            cmdlet.AccessKey = key;
            cmdlet.SecretKey = "report-member-secret";
            var host = new RecordingCommandHost();

            var terminating = Assert.Throws<TerminatingErrorException>(() => CmdletRunner.Run(cmdlet, host));

            Assert.Equal("ListPoliciesFailed", terminating.Error.ErrorId);
            var other = Assert.Single(host.Errors);
            Assert.Equal("ListPoliciesFailed", other.ErrorId);
            // One failure per region, each reported once: one as the terminating error, the other as a record.
            Assert.Equal(BothRegions.OrderBy(r => r), new[] { terminating.Error.Message, other.Message }
                .Select(m => BothRegions.Single(r => m.Contains(" in " + r + ":"))).OrderBy(r => r));
            Assert.DoesNotContain(host.Warnings, w => w.StartsWith("Could not list Firewall Manager policies", StringComparison.Ordinal));
        }

        // ------------------------------------------------------------------ Export

        private RecordingCommandHost Export(ExportFmsComplianceReport cmdlet, ComplianceReport report, RecordingCommandHost? host = null)
            => CmdletRunner.Run(Set(cmdlet, c => c.Report = report), host);

        private static T Set<T>(T value, Action<T> set) { set(value); return value; }

        [Fact]
        public void Html_is_self_contained_and_shows_the_right_counts()
        {
            using var report = Report();
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "fms-report.html");
            var host = Export(new ExportFmsComplianceReport { Path = path, Format = new[] { ComplianceReportFormat.Html } }, report);
            Assert.Empty(host.Errors);
            var file = Assert.Single(host.OutputOf<ComplianceReportFile>());
            Assert.Equal(path, file.FullName);
            Assert.Equal(ComplianceReportFormat.Html, file.FormatValue);
            Assert.Equal(new FileInfo(path).Length, file.Length);
            Assert.False(file.Overwritten);

            var html = File.ReadAllText(path);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            var page = ReportPage.Parse(html);
            var expected = BothRegions.SelectMany(DemoOrganization.ExpectedViolations).ToList();
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
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "compliance.xml");
            var host = Export(new ExportFmsComplianceReport { Path = path }, report); // format from the extension
            Assert.Equal(ComplianceReportFormat.JUnit, Assert.Single(host.OutputOf<ComplianceReportFile>()).FormatValue);

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
            var rows = ReportRows();
            var directory = ComplianceSandbox.TempDirectory();
            var cmdlet = new ExportFmsComplianceReport
            {
                Path = Path.Combine(directory, "org"),
                Format = new[] { ComplianceReportFormat.Csv, ComplianceReportFormat.Json, ComplianceReportFormat.JUnit },
            };
            var host = CmdletRunner.RunPipeline(cmdlet, rows, (c, r) => c.InputObject = new[] { r });
            Assert.Empty(host.Errors);
            var files = host.OutputOf<ComplianceReportFile>().ToList();
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
                Assert.Equal(ComplianceSandbox.Expected(BothRegions), new HashSet<string>(restored.NonCompliantResources.Select(ComplianceSandbox.Key)));
                Assert.Equal(BothRegions, restored.Regions.OrderBy(r => r == ComplianceSandbox.UsEast1 ? 0 : 1));
            }
        }

        [Fact]
        public void An_existing_file_is_kept_without_Force_replaced_with_it_and_WhatIf_writes_nothing()
        {
            using var report = Report();
            var directory = ComplianceSandbox.TempDirectory();
            var path = Path.Combine(directory, "report.csv");
            File.WriteAllText(path, "keep me");

            var refused = Export(new ExportFmsComplianceReport { Path = path }, report);
            Assert.Equal("ReportFileExists", Assert.Single(refused.Errors).ErrorId);
            Assert.Empty(refused.Output);
            Assert.Equal("keep me", File.ReadAllText(path));

            var whatIf = Export(new ExportFmsComplianceReport { Path = path, ForceFlag = true }, report, new RecordingCommandHost { WhatIf = true });
            Assert.Empty(whatIf.Output);
            Assert.Contains("Replace the existing file", Assert.Single(whatIf.ShouldProcessCalls).Action);
            Assert.Equal("keep me", File.ReadAllText(path));

            var fresh = Path.Combine(directory, "new.html");
            Export(new ExportFmsComplianceReport { Path = fresh }, report, new RecordingCommandHost { WhatIf = true });
            Assert.False(File.Exists(fresh));

            var forced = Export(new ExportFmsComplianceReport { Path = path, ForceFlag = true }, report);
            Assert.True(Assert.Single(forced.OutputOf<ComplianceReportFile>()).Overwritten);
            Assert.StartsWith("PolicyId,", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(directory)); // no temporary file left beside it
        }

        [Fact]
        public void An_unknown_extension_without_Format_stops_with_a_clear_error()
        {
            using var report = Report();
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "report.txt");
            var error = Assert.Throws<TerminatingErrorException>(() => Export(new ExportFmsComplianceReport { Path = path }, report));
            Assert.Equal("ReportFormatUnknown", error.Error.ErrorId);
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
            var table = h2.ElementsAfterSelf().FirstOrDefault();
            if (table == null || table.Name != "table") return new List<string[]>();
            return table.Element("tbody")!.Elements("tr").Select(tr => tr.Elements("td").Select(td => td.Value).ToArray()).ToList();
        }
    }
}
