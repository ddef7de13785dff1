using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>The exported HTML report as a real browser renders it.</summary>
    public sealed class BrowserReportTests : IClassFixture<FrozenDemoRunspace>
    {
        private static readonly string[] BothRegions = { ComplianceSandbox.UsEast1, ComplianceSandbox.EuWest1 };
        private readonly SandboxRunspace _env;

        public BrowserReportTests(FrozenDemoRunspace fixture) { _env = fixture.Env; }

        [RequiresFact(Prerequisite.Chromium)]
        public void Headless_chromium_shows_the_ground_truth_counts_of_the_exported_report()
        {
            var directory = ComplianceSandbox.TempDirectory();
            var path = Path.Combine(directory, "fms-report.html");
            _env.Session.Set("path", path);
            var file = Assert.Single(_env.Run("$report = Get-FmsComplianceReport -Region us-east-1, eu-west-1 -AsReport\n"
                         + "try { $report | Export-FmsComplianceReport -Path $path -Title 'Demo organization compliance' } finally { $report.Dispose() }")
                .ShouldSucceed().OutputOf<ComplianceReportFile>());
            Assert.Equal(path, file.FullName);

            var dom = DumpDom(path, Path.Combine(directory, "profile"));

            var expected = BothRegions.SelectMany(DemoOrganization.ExpectedViolations).ToList();
            Assert.Contains("<title>Demo organization compliance</title>", dom);
            Assert.Equal(expected.Count.ToString(), Card(dom, "non-compliant resources"));
            Assert.Equal(expected.Select(v => v.AccountId).Distinct().Count().ToString(), Card(dom, "non-compliant accounts"));
            Assert.Equal("17", Card(dom, "policies"));
            // One table row per non-compliant resource, each naming its resource id.
            foreach (var v in expected) Assert.Contains(">" + v.ResourceId + "<", dom);
        }

        private static string Card(string dom, string label)
        {
            var match = Regex.Match(dom, "<div class=\"n[^\"]*\">([^<]*)</div><div class=\"l\">" + Regex.Escape(label) + "</div>");
            Assert.True(match.Success, "No card '" + label + "' in the rendered page.");
            return match.Groups[1].Value;
        }

        /// <summary>Renders the page in headless Chromium with a throw-away profile and returns the DOM it built.</summary>
        private static string DumpDom(string file, string profile)
        {
            Directory.CreateDirectory(profile);
            var psi = new ProcessStartInfo(Prerequisites.Chromium)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", new Uri(file).AbsoluteUri,
                     })
                psi.ArgumentList.Add(argument);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("Chromium did not finish within 120 s: " + stderr.Result);
            }
            var dom = stdout.Result;
            Assert.True(process.ExitCode == 0 && dom.Length > 0, $"Chromium exited {process.ExitCode}: {stderr.Result}");
            return dom;
        }
    }
}
