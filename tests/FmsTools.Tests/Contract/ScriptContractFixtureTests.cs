using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The script contract's proofs: fixture scripts in tests/Fixtures/ScriptContract mark each deliberate defect with
    /// "# expect: Rule" on the line it must be reported for, and must produce exactly those violations; correct code
    /// (strings, comments, here-strings, splats, continuations) in them must be left alone.
    /// </summary>
    [Collection(ScriptContractFiles.Collection)]
    public class ScriptContractFixtureTests
    {
        /// <summary>Every rule the script contract reports.</summary>
        public static readonly string[] Rules =
        {
            "Syntax.Error", "Command.Unknown", "Parameter.Unknown", "Parameter.Ambiguous", "Style.ParameterPrefix", "Style.UnusualDash",
            "Parameter.Duplicate", "Parameter.Positional", "Parameter.MissingArgument", "Parameter.VariableName", "Parameter.SwitchValue",
            "ParameterSet.Conflict", "ParameterSet.NoOperator", "ParameterSet.MissingMandatory", "Splat.UnknownParameter", "Pipeline.NoBinding",
            "Compat51.PipelineChain", "Compat51.Ternary", "Compat51.NullCoalescing", "Compat51.LeadingPipe", "Compat51.Parameter", "Compat51.Command",
            "Compat51.JoinPath", "Compat51.Variable", "Compat51.Encoding", "Pester.DiscoveryVariable", "Pester.ThrowNeedsScriptBlock",
        };

        public static IEnumerable<object[]> Fixtures => new[]
        {
            new object[] { "Defects.ps1" },
            new object[] { "Clean.ps1" },
            new object[] { "Windows51.ps1" },
            new object[] { "Defects.md" },
            new object[] { "Phases.Tests.ps1" },
            new object[] { "about_Fixture.md" },
        };

        private static string PathOf(string fixture) => RepoPaths.InRepo("tests", "Fixtures", "ScriptContract", fixture);

        private static HashSet<(string Subject, string Rule)> ExpectedIn(string path)
        {
            var expected = new HashSet<(string, string)>();
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = Regex.Match(lines[i], @"#\s*expect:\s*(?<rules>[\w.]+(\s*,\s*[\w.]+)*)");
                if (!m.Success) continue;
                foreach (var rule in m.Groups["rules"].Value.Split(',').Select(r => r.Trim()))
                    expected.Add(($"{ScriptContractFiles.Relative(path)}:{i + 1}", rule));
            }
            return expected;
        }

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void Each_fixture_reports_exactly_its_marked_defects(string name)
        {
            var path = PathOf(name);
            var expected = ExpectedIn(path);
            var reported = ScriptContractFiles.Check(new[] { path });
            var actual = reported.Select(v => (v.Subject, v.Rule)).ToHashSet();
            var missing = expected.Where(e => !actual.Contains(e)).ToList();
            var unexpected = reported.Where(v => !expected.Contains((v.Subject, v.Rule))).ToList();
            Assert.True(missing.Count == 0 && unexpected.Count == 0,
                "Missing:\n" + string.Join("\n", missing.Select(m => $"[{m.Rule}] {m.Subject}"))
                + "\nUnexpected:\n" + string.Join("\n", unexpected));
        }

        [Fact]
        public void The_defect_fixtures_cover_every_rule()
        {
            var marked = Fixtures.Select(f => (string)f[0]).SelectMany(f => ExpectedIn(PathOf(f))).Select(e => e.Rule).ToHashSet();
            foreach (var rule in Rules)
                Assert.True(marked.Contains(rule), $"No fixture proves that {rule} can fail.");
            Assert.Empty(marked.Except(Rules));
        }

        [Fact]
        public void Every_rule_the_script_contract_reports_is_listed()
        {
            // The rules are read from the checker's source, so a rule added without a fixture defect is noticed.
            var rules = new[] { "ScriptContract.cs", "ScriptCall.cs", "WindowsPowerShellRules.cs", "PesterRules.cs", "ScriptSource.cs" }
                .SelectMany(f => Regex.Matches(File.ReadAllText(RepoPaths.InRepo("tests", "FmsTools.Tests", "Contract", f)), "\"([A-Z][A-Za-z0-9]*\\.[A-Z][A-Za-z0-9]*)\""))
                .Select(m => m.Groups[1].Value).ToHashSet();
            Assert.True(rules.Count > 20, $"Only {rules.Count} rules were found in the script contract's source.");
            Assert.Equal(Rules.OrderBy(r => r, StringComparer.Ordinal), rules.OrderBy(r => r, StringComparer.Ordinal));
        }

        [Fact]
        public void The_clean_fixture_holds_no_marked_defect()
        {
            Assert.Empty(ExpectedIn(PathOf("Clean.ps1")));
        }
    }
}
