using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FmsTools.BuildTools;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The PowerShell this machine cannot run (Pester tests, build.ps1, examples, the script modules, and every
    /// ```powershell block of docs/ and README.md) checked statically against the built module. Fixture scripts with
    /// deliberate defects, each marked on its line with "# expect: Rule", prove that every check can fail and that
    /// correct code (strings, comments, here-strings, splats, continuations) is left alone.
    /// </summary>
    public class ScriptContractTests
    {
        private static readonly string[] SkippedDirectories = { "bin", "obj", "out", "artifacts", ".git", "node_modules", "Fixtures" };

        private static readonly Lazy<(List<CommandSurface> Module, CommandSurface Should)> Surfaces = new Lazy<(List<CommandSurface>, CommandSurface)>(() =>
        {
            // Not disposed: the pipeline checks read the cmdlets' types from this MetadataLoadContext for the whole run.
            var inspector = new ModuleInspector(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"));
            var module = inspector.GetCmdlets().Select(CommandSurface.FromCmdlet).ToList();
            var (functions, operators) = ScriptContract.ReadScriptModule(RepoPaths.InRepo("src", "FmsTools", "Pester", "FmsTools.Pester.psm1"));
            module.AddRange(functions);
            return (module, ScriptContract.PesterShould(operators));
        });

        private static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

        /// <summary>Every .ps1, .psm1 and .psd1 of the repository (not build outputs, not the fixtures).</summary>
        internal static List<string> RepositoryScripts()
            => new[] { "*.ps1", "*.psm1", "*.psd1" }
                .SelectMany(pattern => Directory.EnumerateFiles(RepoPaths.Root, pattern, SearchOption.AllDirectories))
                .Where(f => !Relative(f).Split('/').Any(part => SkippedDirectories.Contains(part, StringComparer.OrdinalIgnoreCase)))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        internal static List<string> RepositoryMarkdown()
            => Directory.EnumerateFiles(RepoPaths.InRepo("docs"), "*.md")
                .Append(RepoPaths.InRepo("README.md"))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        private static IEnumerable<ScriptSource> SourcesOf(string path)
        {
            var text = File.ReadAllText(path);
            if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return ScriptContract.MarkdownBlocks(Relative(path), text);
            return new[] { new ScriptSource(Relative(path), text, 1, !ScriptContract.RequiresPowerShell7(text)) };
        }

        private static List<ContractViolation> CheckFiles(IEnumerable<string> files)
        {
            var (module, should) = Surfaces.Value;
            var list = files.ToList();
            var violations = ScriptContract.Check(list.SelectMany(SourcesOf), module, should).ToList();
            foreach (var file in list.Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)))
            {
                if (ScriptContract.RequiresPowerShell7(File.ReadAllText(file))) continue;
                var encoding = ScriptContract.CheckEncoding(Relative(file), File.ReadAllBytes(file));
                if (encoding != null) violations.Add(encoding);
            }
            return violations;
        }

        [Fact]
        public void Every_script_of_the_repository_calls_the_module_correctly()
        {
            var scripts = RepositoryScripts();
            Assert.Contains(scripts, s => Relative(s) == "build.ps1");
            Assert.Contains(scripts, s => Relative(s).StartsWith("tests/pester/", StringComparison.Ordinal));
            Assert.Contains(scripts, s => Relative(s) == "src/FmsTools/Pester/FmsTools.Pester.psm1");
            Assert.Contains(scripts, s => Relative(s) == "FmsTools.psd1");
            var violations = CheckFiles(scripts);
            Assert.True(violations.Count == 0, "Script contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void Every_powershell_example_in_the_docs_and_readme_calls_the_module_correctly()
        {
            var markdown = RepositoryMarkdown();
            Assert.True(markdown.SelectMany(SourcesOf).Count() > 100, "The docs hold well over a hundred PowerShell examples; did the fence detection break?");
            var violations = CheckFiles(markdown);
            Assert.True(violations.Count == 0, "Documentation contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_checks_see_the_module_commands_in_scripts_and_docs()
        {
            // A tokenizer that lost commands would make the two tests above pass vacuously.
            var (module, _) = Surfaces.Value;
            var names = new HashSet<string>(module.Select(m => m.Name), StringComparer.OrdinalIgnoreCase);
            var seen = RepositoryScripts().Concat(RepositoryMarkdown()).SelectMany(SourcesOf)
                .SelectMany(s => PowerShellScriptModel.Parse(s.Text).Commands)
                .Where(c => names.Contains(c.Name)).ToList();
            Assert.True(seen.Count > 300, $"Only {seen.Count} module command calls were found.");
            Assert.True(seen.Sum(c => c.Parameters.Count) > 500, "Too few -Parameters were found after module commands.");
            Assert.Contains(seen, c => c.Name == "Register-FmsShouldOperator");
            Assert.Contains(seen, c => c.Splats.Count > 0);
        }

        // ---- The fixtures: each defect is marked "# expect: Rule" on the line it must be reported for. ----

        public static IEnumerable<object[]> Fixtures => new[]
        {
            new object[] { "Defects.ps1" },
            new object[] { "Clean.ps1" },
            new object[] { "Windows51.ps1" },
            new object[] { "Defects.md" },
            new object[] { "Phases.Tests.ps1" },
            new object[] { "about_Fixture.md" },
        };

        private static HashSet<(string Subject, string Rule)> ExpectedIn(string path)
        {
            var expected = new HashSet<(string, string)>();
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = Regex.Match(lines[i], @"#\s*expect:\s*(?<rules>[\w.]+(\s*,\s*[\w.]+)*)");
                if (!m.Success) continue;
                foreach (var rule in m.Groups["rules"].Value.Split(',').Select(r => r.Trim()))
                    expected.Add(($"{Relative(path)}:{i + 1}", rule));
            }
            return expected;
        }

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void Each_fixture_reports_exactly_its_marked_defects(string name)
        {
            var path = RepoPaths.InRepo("tests", "Fixtures", "ScriptContract", name);
            var expected = ExpectedIn(path);
            var reported = CheckFiles(new[] { path });
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
            var marked = Fixtures.Select(f => (string)f[0])
                .SelectMany(f => ExpectedIn(RepoPaths.InRepo("tests", "Fixtures", "ScriptContract", f)))
                .Select(e => e.Rule).ToHashSet();
            foreach (var rule in new[]
                     {
                         "Command.Unknown", "Parameter.Unknown", "Parameter.Ambiguous", "Style.ParameterPrefix", "Parameter.Duplicate",
                         "ParameterSet.Conflict", "ParameterSet.NoOperator", "ParameterSet.MissingMandatory", "Splat.UnknownParameter", "Syntax.Error", "Pipeline.NoBinding",
                         "Compat51.PipelineChain", "Compat51.Ternary", "Compat51.NullCoalescing", "Compat51.LeadingPipe",
                         "Compat51.Parameter", "Compat51.Command", "Compat51.JoinPath", "Compat51.Variable", "Pester.DiscoveryVariable", "Pester.ThrowNeedsScriptBlock", "Parameter.VariableName", "Parameter.SwitchValue",
                     })
                Assert.True(marked.Contains(rule), $"No fixture proves that {rule} can fail.");
        }

        [Fact]
        public void The_clean_fixture_holds_no_marked_defect()
        {
            Assert.Empty(ExpectedIn(RepoPaths.InRepo("tests", "Fixtures", "ScriptContract", "Clean.ps1")));
        }

        [Fact]
        public void A_script_that_requires_PowerShell_7_may_use_its_syntax()
        {
            var (module, should) = Surfaces.Value;
            var text = "#Requires -Version 7.2\n$a = $b ? 1 : 2\nGet-FmsPolicy && Get-FmsContext\n";
            var source = new ScriptSource("inline.ps1", text, 1, !ScriptContract.RequiresPowerShell7(text));
            Assert.Empty(ScriptContract.Check(new[] { source }, module, should));
            var plain = new ScriptSource("inline.ps1", text.Substring(text.IndexOf('\n') + 1), 1, true);
            Assert.Equal(new[] { "Compat51.Ternary", "Compat51.PipelineChain" }, ScriptContract.Check(new[] { plain }, module, should).Select(v => v.Rule));
        }

        [Fact]
        public void Non_ascii_text_needs_a_byte_order_mark()
        {
            var dash = System.Text.Encoding.UTF8.GetBytes("# ok\nWrite-Host 'a \u2014 b'\n");
            Assert.Equal("x.ps1:2", ScriptContract.CheckEncoding("x.ps1", dash)!.Subject);
            Assert.Null(ScriptContract.CheckEncoding("x.ps1", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(dash).ToArray()));
            Assert.Null(ScriptContract.CheckEncoding("x.ps1", System.Text.Encoding.ASCII.GetBytes("Write-Host 'plain'\n")));
        }

        [Theory]
        [InlineData("Get-FmsPolicy -Name 'x -Bogus' # -Bogus\n", new[] { "Name" })]
        [InlineData("Get-FmsPolicy `\n  -Name x `\n  -Detailed\n", new[] { "Name", "Detailed" })]
        [InlineData("Get-FmsPolicy -Name @'\n-Bogus\n'@ -Detailed\n", new[] { "Name", "Detailed" })]
        [InlineData("Get-FmsPolicy -Name \"$(Get-Date -Format o) -Bogus\" -Detailed\n", new[] { "Name", "Detailed" })]
        [InlineData("<# Get-FmsPolicy -Bogus #> Get-FmsPolicy -Detailed:$true\n", new[] { "Detailed" })]
        [InlineData("Get-FmsPolicy -Name ('a' -replace 'b', 'c') -Detailed\n", new[] { "Name", "Detailed" })]
        [InlineData("Get-FmsPolicy -Name 'it''s -Bogus' -Detailed\n", new[] { "Name", "Detailed" })]
        public void Only_real_parameter_tokens_are_read(string script, string[] parameters)
        {
            var use = PowerShellScriptModel.Parse(script).Commands.Single(c => c.Name == "Get-FmsPolicy" && c.Parameters.Count > 0);
            Assert.Equal(parameters, use.Parameters.Select(p => p.Text));
        }
    }
}
