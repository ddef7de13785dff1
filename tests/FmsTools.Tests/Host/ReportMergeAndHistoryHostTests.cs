using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Reports;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Merge-FmsComplianceReport over two demo sandboxes (two organizations with the same account and policy ids) and
    /// Export-FmsComplianceReport -History, in a real runspace.
    /// </summary>
    public sealed class ReportMergeAndHistoryHostTests : IClassFixture<SandboxCmdletFixture>, IDisposable
    {
        private readonly SandboxCmdletFixture _prod;
        private readonly SandboxHost _lab = SandboxHost.Start(new SandboxOptions { Demo = true });
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fms-merge-" + Guid.NewGuid().ToString("N"));

        public ReportMergeAndHistoryHostTests(SandboxCmdletFixture prod)
        {
            _prod = prod;
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            _lab.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private PowerShellSession Session()
        {
            var session = new PowerShellSession();
            session.Set("prod", _prod.Host);
            session.Set("lab", _lab);
            session.Set("folder", _folder);
            session.Run("$global:FmsExceptionPath = $null\n"
                        + "$null = $prod | Connect-Fms; $null = Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'prod.json') -Force\n"
                        + "$null = $lab | Connect-Fms; $null = Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'lab.json') -Force").ShouldSucceed();
            return session;
        }

        [Fact]
        public void Two_organizations_become_one_report_in_every_format_with_the_organization_on_each_row()
        {
            using var session = Session();
            var files = session.Run("$all = Merge-FmsComplianceReport -Path (Join-Path $folder 'prod.json'), (Join-Path $folder 'lab.json') -OrganizationId o-prod000001, o-lab0000002 -OrganizationName Production, Lab\n"
                                    + "try { $all | Export-FmsComplianceReport -Path (Join-Path $folder 'all') -Format Html, Csv, Json, Sarif, Markdown, JUnit, NUnit } finally { $all.Dispose() }")
                .ShouldSucceed().OutputOf<ComplianceReportFile>().ToList();
            Assert.Equal(7, files.Count);
            var perOrganization = DemoOrganization.ExpectedViolations("us-east-1").Count;
            string Read(string name) => File.ReadAllText(Path.Combine(_folder, name));

            using (var json = JsonDocument.Parse(Read("all.json")))
            {
                var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
                var byOrg = rows.GroupBy(r => r.GetProperty("organizationId").GetString()).ToDictionary(g => g.Key!, g => g.Count());
                Assert.Equal(new[] { "o-lab0000002", "o-prod000001" }, byOrg.Keys.OrderBy(k => k));
                Assert.Equal(byOrg["o-lab0000002"], byOrg["o-prod000001"]);
                Assert.All(rows.SelectMany(r => r.GetProperty("violations").EnumerateArray()),
                    v => Assert.Equal(v.GetProperty("organizationId").GetString() == "o-prod000001" ? "Production" : "Lab", v.GetProperty("organization").GetString()));
                Assert.Equal(2 * perOrganization, json.RootElement.GetProperty("summary").GetProperty("nonCompliantResources").GetInt64());
            }
            var csv = Read("all.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("OrganizationId,Organization,", csv[0]);
            Assert.Equal(csv.Length - 1, csv.Skip(1).Count(l => l.StartsWith("o-prod000001,Production,") || l.StartsWith("o-lab0000002,Lab,")));
            using (var sarif = JsonDocument.Parse(Read("all.sarif")))
            {
                var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                    .Where(r => r.GetProperty("ruleId").GetString() != "FMS_UNLISTED_VIOLATORS").ToList();
                Assert.Equal(2 * perOrganization, results.Count);
                Assert.Equal(perOrganization, results.Count(r => r.GetProperty("properties").GetProperty("organizationId").GetString() == "o-lab0000002"));
            }
            var junit = XDocument.Parse(Read("all.junit.xml"));
            Assert.All(junit.Descendants("testsuite"), s => Assert.Matches("^(Production|Lab): ", s.Attribute("name")!.Value));
            Assert.Contains("organizationId", Read("all.nunit.xml"));
            Assert.Contains("organizations Lab (o-lab0000002), Production (o-prod000001)", Read("all.md"));
            var html = Read("all.html");
            Assert.Contains("<option value=\"o-prod000001\">Production (o-prod000001)</option>", html);
            Assert.Equal(2 * perOrganization, Regex.Matches(html, "<tr data-resource=").Count);
        }

        [Fact]
        public void Piped_reports_get_org1_org2_and_bad_organization_lists_are_refused_before_merging()
        {
            using var session = Session();
            var merged = session.Run("$p = Merge-FmsComplianceReport -Path (Join-Path $folder 'prod.json'); $l = Merge-FmsComplianceReport -Path (Join-Path $folder 'lab.json')\n"
                                     + "$m = $p, $l | Merge-FmsComplianceReport; try { ($m.Organizations | ForEach-Object Id) -join ',' } finally { $m.Dispose() }")
                .ShouldSucceed();
            // A report merged from one saved file already carries its organization (the file name): merging again keeps it.
            Assert.Equal("lab,prod", merged.Output.Single().ToString());

            var duplicate = session.Run("Merge-FmsComplianceReport -Path (Join-Path $folder 'prod.json'), (Join-Path $folder 'lab.json') -OrganizationId same, same");
            Assert.StartsWith("OrganizationIdDuplicate,", duplicate.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            var tooMany = session.Run("Merge-FmsComplianceReport -Path (Join-Path $folder 'prod.json') -OrganizationName a, b");
            Assert.StartsWith("OrganizationCountMismatch,", tooMany.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            var missing = session.Run("Merge-FmsComplianceReport -Path (Join-Path $folder 'nope.json')");
            Assert.StartsWith("ReportFileNotFound,", missing.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(_folder, "broken.json"), "{\"schema\":\"x\"}");
            var broken = session.Run("Merge-FmsComplianceReport -Path (Join-Path $folder 'broken.json')");
            Assert.StartsWith("ReportFileInvalid,", broken.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
        }

        [Fact]
        public void History_of_a_snapshot_and_a_saved_report_draws_a_trend_and_a_missing_file_stops_before_writing()
        {
            using var session = Session();
            var file = Assert.Single(session.Run("$null = $prod | Connect-Fms\n"
                                                 + "Watch-FmsCompliance -Once -SnapshotPath (Join-Path $folder 'snapshot.json') | Out-Null\n"
                                                 + "Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'trend.html') "
                                                 + "-History (Join-Path $folder 'snapshot.json'), (Get-Item (Join-Path $folder 'prod.json'))")
                .ShouldSucceed().OutputOf<ComplianceReportFile>());
            var html = File.ReadAllText(file.FullName);
            Assert.Contains("id=\"trend-chart\"", html);
            Assert.Equal(3, Regex.Matches(html, "<g class=\"point\"").Count);

            var missing = session.Run("Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'never.html') -History (Join-Path $folder 'nope.json')");
            Assert.StartsWith("HistoryFileNotFound,", missing.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_folder, "never.html")));
            var wrong = session.Run("Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'never.html') -History 42");
            Assert.StartsWith("HistoryItemInvalid,", wrong.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
        }

        [Fact]
        public void A_saved_report_keeps_its_stale_exceptions()
        {
            using var session = Session();
            File.WriteAllText(Path.Combine(_folder, "stale.json"),
                "[{\"policy\":\"demo-waf-baseline\",\"account\":\"310000000001\",\"resource\":\"no-such-resource\",\"owner\":\"secops\",\"reason\":\"left over\",\"expires\":\"2099-12-31\"}]");
            var result = session.Run("$null = $prod | Connect-Fms\n"
                                     + "$null = Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $folder 'with-stale.json') -ExceptionPath (Join-Path $folder 'stale.json') -WarningAction SilentlyContinue\n"
                                     + "$back = Merge-FmsComplianceReport -Path (Join-Path $folder 'with-stale.json'); try { $back.StaleExceptions | ForEach-Object { $_.Location + ' ' + $_.Owner } } finally { $back.Dispose() }")
                .ShouldSucceed();
            Assert.Equal("stale.json[0] secops", Assert.Single(result.Output).ToString());
        }
    }
}
