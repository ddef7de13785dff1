using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Exceptions files and the SARIF, NUnit and Markdown exports in a real runspace against the demo organization:
    /// the violations of demo-waf-baseline are accepted exactly, then one is left out, then they expire.
    /// </summary>
    public sealed class ComplianceExceptionHostTests : IClassFixture<SandboxCmdletFixture>, IDisposable
    {
        private readonly SandboxCmdletFixture _sandbox;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fms-exceptions-" + Guid.NewGuid().ToString("N"));

        public ComplianceExceptionHostTests(SandboxCmdletFixture sandbox)
        {
            _sandbox = sandbox;
            Directory.CreateDirectory(_folder);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Set("folder", _folder);
            session.Run("$null = $sandbox | Connect-Fms; $global:FmsExceptionPath = $null").ShouldSucceed();
            return session;
        }

        /// <summary>Writes an exceptions file accepting every violator of demo-waf-baseline (skipping the first <paramref name="skip"/>), expiring on today + <paramref name="days"/>.</summary>
        private static string WriteExceptions(PowerShellSession session, string name, int days = 0, int skip = 0)
            => session.Run($@"
                $violations = @((Test-FmsCompliance -PolicyName demo-waf-baseline).Violations | Sort-Object ResourceId | Select-Object -Skip {skip})
                $expires = [DateTime]::UtcNow.AddDays({days}).ToString('yyyy-MM-dd')
                $entries = @($violations | ForEach-Object {{ [ordered]@{{ policy = $_.PolicyName; account = $_.AccountId; resource = $_.ResourceId;
                    violationReason = $_.Reason; owner = 'team-web'; reason = 'WAF rollout planned'; expires = $expires }} }})
                $path = Join-Path $folder '{name}'
                ConvertTo-Json -InputObject $entries -Depth 3 | Set-Content -LiteralPath $path
                $path").ShouldSucceed().Output.Single().ToString();

        [Fact]
        public void An_exceptions_file_turns_Assert_green_for_exactly_the_excepted_violations_and_red_again_after_expiry()
        {
            using var session = Connected();
            var red = session.Run("Assert-FmsCompliance -PolicyName demo-waf-baseline");
            Assert.StartsWith("FmsNotCompliant,", red.Error.FullyQualifiedErrorId, StringComparison.Ordinal);

            var all = WriteExceptions(session, "all.json");
            var green = session.Run($"Assert-FmsCompliance -PolicyName demo-waf-baseline -ExceptionPath '{all}' -PassThru").ShouldSucceed();
            var evidence = Assert.Single(green.OutputOf<FmsComplianceTestResult>());
            Assert.True(evidence.IsCompliant);
            Assert.Equal(4, evidence.ExceptedViolations.Count);
            Assert.All(evidence.ExceptedViolations, v => Assert.Equal(("team-web", "WAF rollout planned"), (v.ExceptionOwner, v.ExceptionReason)));
            Assert.Equal(3, evidence.Excepted.Count);
            Assert.Empty(green.Warnings);

            // One violator left out of the file: red again, and the message lists only that one.
            var allButOne = WriteExceptions(session, "all-but-one.json", skip: 1);
            var first = session.Run("((Test-FmsCompliance -PolicyName demo-waf-baseline).Violations | Sort-Object ResourceId | Select-Object -First 1).ResourceId")
                .ShouldSucceed().Output.Single().ToString();
            var partly = session.Run($"Assert-FmsCompliance -PolicyName demo-waf-baseline -ExceptionPath '{allButOne}'");
            Assert.StartsWith("FmsNotCompliant,", partly.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            var message = partly.Error.Exception.Message;
            Assert.Contains(first, message);
            Assert.Contains("1 violating resources (3 more excepted)", message);

            // Expired yesterday: red again, with a warning naming the entry.
            var expired = WriteExceptions(session, "expired.json", days: -1);
            var again = session.Run($"Assert-FmsCompliance -PolicyName demo-waf-baseline -ExceptionPath '{expired}'");
            Assert.StartsWith("FmsNotCompliant,", again.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains(again.Warnings, w => w.StartsWith("Exception expired.json[0] (owner team-web) expired on ", StringComparison.Ordinal));
        }

        [Fact]
        public void The_session_default_applies_to_Test_FmsCompliance_and_an_empty_ExceptionPath_turns_it_off()
        {
            using var session = Connected();
            var all = WriteExceptions(session, "all.json");
            session.Set("all", all);
            var result = session.Run(@"
                $global:FmsExceptionPath = $all
                (Test-FmsCompliance -PolicyName demo-waf-baseline).IsCompliant
                (Test-FmsCompliance -PolicyName demo-waf-baseline -ExceptionPath '').IsCompliant
                $global:FmsExceptionPath = $null").ShouldSucceed();
            Assert.Equal(new object[] { true, false }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void A_stale_exception_is_a_warning_and_listed_on_the_evidence()
        {
            using var session = Connected();
            var path = Path.Combine(_folder, "stale.json");
            File.WriteAllText(path, "[{\"policy\":\"demo-waf-baseline\",\"account\":\"*\",\"resource\":\"arn:aws:elasticloadbalancing:us-east-1:310000000002:loadbalancer/app/gone/1\","
                                    + "\"owner\":\"team-x\",\"reason\":\"decommissioned\",\"expires\":\"2999-12-31\"}]");
            var result = session.Run($"Test-FmsCompliance -PolicyName demo-waf-baseline -ExceptionPath '{path}'").ShouldSucceed();
            var evidence = Assert.Single(result.OutputOf<FmsComplianceTestResult>());
            Assert.False(evidence.IsCompliant);
            Assert.Equal("team-x", Assert.Single(evidence.StaleExceptions).Owner);
            Assert.Contains(result.Warnings, w => w.StartsWith("Exception stale.json[0] (owner team-x) is stale", StringComparison.Ordinal));
        }

        [Fact]
        public void An_invalid_file_stops_the_command_naming_each_entry_and_field()
        {
            using var session = Connected();
            var path = Path.Combine(_folder, "invalid.json");
            File.WriteAllText(path, "[{\"policy\":\"p\",\"account\":\"*\",\"resource\":\"r\",\"owner\":\"o\",\"reason\":\"x\",\"expires\":\"31/12/2026\"},{\"policy\":\"p\"}]");
            var result = session.Run($"Assert-FmsCompliance -ExceptionPath '{path}'");
            Assert.StartsWith("ExceptionFileInvalid,", result.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, result.Error.CategoryInfo.Category);
            var message = result.Error.Exception.Message;
            Assert.Contains("[0].expires: '31/12/2026' must be a date as yyyy-MM-dd", message);
            foreach (var field in new[] { "account", "resource", "owner", "reason", "expires" }) Assert.Contains($"[1].{field}: is required", message);

            var missing = session.Run($"Get-FmsComplianceReport -ExceptionPath '{Path.Combine(_folder, "none.json")}'");
            Assert.StartsWith("ExceptionFileNotFound,", missing.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Empty(missing.Output);
        }

        [Fact]
        public void Sarif_NUnit_and_Markdown_exports_show_accepted_violations()
        {
            using var session = Connected();
            var all = WriteExceptions(session, "all.json");
            var target = Path.Combine(_folder, "report.sarif");
            var files = session.Run($"Get-FmsComplianceReport -AsReport -ExceptionPath '{all}' | Export-FmsComplianceReport -Path '{target}' -Format Sarif, NUnit, Markdown, JUnit")
                .ShouldSucceed().OutputOf<ComplianceReportFile>().ToList();
            Assert.Equal(new[] { "report.sarif", "report.nunit.xml", "report.md", "report.junit.xml" }, files.Select(f => f.Name));

            using var sarif = JsonDocument.Parse(File.ReadAllText(target));
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(files[0].Violators, results.Count);
            var suppressed = results.Where(r => r.TryGetProperty("suppressions", out _)).ToList();
            Assert.Equal(4, suppressed.Count);
            Assert.All(suppressed, r => Assert.Equal("demo-waf-baseline", r.GetProperty("properties").GetProperty("policyName").GetString()));

            var nunit = XDocument.Load(Path.Combine(_folder, "report.nunit.xml"));
            var waf = nunit.Descendants("test-suite").Single(s => ((string)s.Attribute("name")!).StartsWith("demo-waf-baseline ", StringComparison.Ordinal));
            Assert.All(waf.Elements("test-case"), c => Assert.Equal("Passed", (string)c.Attribute("result")!));
            Assert.Equal("Failed", (string)nunit.Root!.Attribute("result")!);

            var markdown = File.ReadAllText(Path.Combine(_folder, "report.md"));
            Assert.Contains("### Accepted violations", markdown);
            Assert.Contains("| team-web | WAF rollout planned |", markdown);

            var junit = XDocument.Load(Path.Combine(_folder, "report.junit.xml"));
            var wafSuite = junit.Descendants("testsuite").Single(s => ((string)s.Attribute("name")!).StartsWith("demo-waf-baseline ", StringComparison.Ordinal));
            Assert.Equal("0", (string)wafSuite.Attribute("failures")!);
        }
    }
}
