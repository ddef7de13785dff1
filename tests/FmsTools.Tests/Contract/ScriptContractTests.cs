using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The PowerShell this machine cannot run (Pester tests, build.ps1, examples, the script modules, and every
    /// ```powershell block of docs/ and README.md) parsed by PowerShell and bound against the module of this test build.
    /// The fixtures (<see cref="ScriptContractFixtureTests"/>) prove that every check can fail.
    /// </summary>
    [Collection(ScriptContractFiles.Collection)]
    public class ScriptContractTests
    {
        [Fact]
        public void Every_script_of_the_repository_calls_the_module_correctly()
        {
            var scripts = ScriptContractFiles.RepositoryScripts();
            Assert.Contains(scripts, s => ScriptContractFiles.Relative(s) == "build.ps1");
            Assert.Contains(scripts, s => ScriptContractFiles.Relative(s).StartsWith("tests/pester/", StringComparison.Ordinal));
            Assert.Contains(scripts, s => ScriptContractFiles.Relative(s) == "src/FmsTools/Pester/FmsTools.Pester.psm1");
            Assert.Contains(scripts, s => ScriptContractFiles.Relative(s) == "FmsTools.psd1");
            var violations = ScriptContractFiles.Check(scripts);
            Assert.True(violations.Count == 0, "Script contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void Every_powershell_example_in_the_docs_and_readme_calls_the_module_correctly()
        {
            var markdown = ScriptContractFiles.RepositoryMarkdown();
            Assert.True(markdown.SelectMany(ScriptContractFiles.SourcesOf).Count() > 100,
                "The docs hold well over a hundred PowerShell examples; did the fence detection break?");
            var violations = ScriptContractFiles.Check(markdown);
            Assert.True(violations.Count == 0, "Documentation contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_checks_see_the_module_commands_in_scripts_and_docs()
        {
            // Walking the wrong part of the AST would make the two tests above pass vacuously.
            var session = ScriptContractSession.Shared;
            Assert.True(session.ModuleCommands.Count > 50, "Get-Command -Module FmsTools found too few commands.");
            var calls = ScriptContractFiles.RepositoryScripts().Concat(ScriptContractFiles.RepositoryMarkdown()).SelectMany(ScriptContractFiles.SourcesOf)
                .SelectMany(s => ScriptContract.Parse(s).Ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
                .Where(c => session.ModuleCommands.ContainsKey(ScriptContract.NameOf(c) ?? "")).ToList();
            Assert.True(calls.Count > 300, $"Only {calls.Count} module command calls were found.");
            Assert.True(calls.Sum(c => c.CommandElements.OfType<CommandParameterAst>().Count()) > 500, "Too few -Parameters were found after module commands.");
            Assert.Contains(calls, c => ScriptContract.NameOf(c) == "Register-FmsShouldOperator");
            Assert.Contains(calls, c => c.CommandElements.OfType<VariableExpressionAst>().Any(v => v.Splatted));
        }

        [Fact]
        public void Should_is_bound_against_Pesters_operators_and_the_modules_own()
        {
            var should = ScriptContractSession.Shared.Should;
            // One parameter set per operator: Pester 5.9.1's 26 and the module's -BeFmsCompliant.
            Assert.Equal(PesterShould.Pester5Operators.Count + 1, should.ParameterSets.Count);
            var compliant = Assert.Single(should.ParameterSets, s => s.Name == "BeFmsCompliant");
            Assert.Equal(new[] { "ActualValue", "BeFmsCompliant", "Not", "Because", "CallerSessionState" },
                compliant.Parameters.Select(p => p.Name).Where(n => !System.Management.Automation.Cmdlet.CommonParameters.Contains(n)));
            Assert.Equal(new[] { "GE" }, should.Parameters["BeGreaterOrEqual"].Aliases);
        }

        [Fact]
        public void The_static_pipeline_check_lets_every_pair_that_runs_through()
        {
            // Pipeline.NoBinding compares types (PowerShell has no static verdict on pipeline input); the declared pairs
            // run for real in Host/PipelinePairTests, so none of them may be reported. The fixture proves the other side.
            var session = ScriptContractSession.Shared;
            var refused = new List<string>();
            foreach (var (producerName, consumerName) in PipelineTable.Pairs)
            {
                var producer = Assert.IsAssignableFrom<System.Management.Automation.CmdletInfo>(session.ModuleCommands[producerName]);
                var consumer = session.ModuleCommands[consumerName];
                var outputs = producer.OutputType.Where(o => o.Type != null).ToList();
                Assert.NotEmpty(outputs);
                if (!outputs.Any(o => PipelineBinding.Binds(o.Type, consumer))) refused.Add(producerName + " | " + consumerName);
            }
            Assert.Empty(refused);
        }

        [Fact]
        public void A_script_that_requires_PowerShell_7_may_use_its_syntax()
        {
            var text = "#Requires -Version 7.2\n$a = $b ? 1 : 2\nGet-FmsPolicy && Get-FmsContext\n";
            var source = new ScriptSource("inline.ps1", text, 1, !ScriptSource.RequiresPowerShell7(text));
            Assert.Empty(ScriptContract.Check(new[] { source }, ScriptContractSession.Shared));
            var plain = new ScriptSource("inline.ps1", text.Substring(text.IndexOf('\n') + 1), 1, true);
            Assert.Equal(new[] { "Compat51.Ternary", "Compat51.PipelineChain" }, ScriptContract.Check(new[] { plain }, ScriptContractSession.Shared).Select(v => v.Rule));
        }

        [Fact]
        public void Non_ascii_text_needs_a_byte_order_mark()
        {
            var dash = System.Text.Encoding.UTF8.GetBytes("# ok\nWrite-Host 'a \u2014 b'\n");
            Assert.Equal("x.ps1:2", ScriptSource.CheckEncoding("x.ps1", dash)!.Subject);
            Assert.Null(ScriptSource.CheckEncoding("x.ps1", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(dash).ToArray()));
            Assert.Null(ScriptSource.CheckEncoding("x.ps1", System.Text.Encoding.ASCII.GetBytes("Write-Host 'plain'\n")));
        }

        [Theory]
        [InlineData("Get-FmsPolicy -Name 'x -Bogus' # -Bogus\n")]
        [InlineData("Get-FmsPolicy `\n  -Name x `\n  -Detailed\n")]
        [InlineData("Get-FmsPolicy -Name @'\n-Bogus\n'@ -Detailed\n")]
        [InlineData("Get-FmsPolicy -Name \"$(Get-Date -Format o) -Bogus\" -Detailed\n")]
        [InlineData("<# Get-FmsPolicy -Bogus #> Get-FmsPolicy -Detailed:$true\n")]
        [InlineData("Get-FmsPolicy -Name ('a' -replace 'b', 'c') -Detailed\n")]
        [InlineData("Get-FmsPolicy -Name 'it''s -Bogus' -Detailed\n")]
        [InlineData("$h = @{ Name = 'x' }\n$h | Get-FmsPolicy @h -Detailed\n")]
        public void Correct_calls_are_left_alone(string script)
        {
            var violations = ScriptContract.Check(new[] { new ScriptSource("inline.ps1", script, 1, true) }, ScriptContractSession.Shared);
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }

        [Theory]
        [InlineData("Get-FmsPolicy -Name 'x' -Bogus 'y'\n", "Parameter.Unknown", 1)]
        [InlineData("Get-FmsPolicy `\n  -Name x `\n  -Bogus\n", "Parameter.Unknown", 3)]
        [InlineData("Write-Host \"$(Get-FmsPolicy -Bogus)\"\n", "Parameter.Unknown", 1)]
        [InlineData("$h = @{ Name = 'x' }\n$h.Bogus = 1\nGet-FmsPolicy @h\n", "Splat.UnknownParameter", 3)]
        [InlineData("$h = @{ Name = 'x' }\nGet-FmsPolicy -Name 'y' @h\n", "Parameter.Duplicate", 2)]
        public void A_defect_is_reported_on_the_line_it_is_written(string script, string rule, int line)
        {
            var violation = Assert.Single(ScriptContract.Check(new[] { new ScriptSource("inline.ps1", script, 1, true) }, ScriptContractSession.Shared));
            Assert.Equal((rule, $"inline.ps1:{line}"), (violation.Rule, violation.Subject));
        }
    }

    /// <summary>The files the script contract reads, and the one runspace its tests share (one test at a time).</summary>
    [CollectionDefinition(Collection)]
    public sealed class ScriptContractFiles
    {
        public const string Collection = "Script contract";

        private static readonly string[] SkippedDirectories = { "bin", "obj", "out", "artifacts", ".git", "node_modules", "Fixtures" };

        public static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

        /// <summary>Every .ps1, .psm1 and .psd1 of the repository (not build outputs, not the fixtures).</summary>
        public static List<string> RepositoryScripts()
            => new[] { "*.ps1", "*.psm1", "*.psd1" }
                .SelectMany(pattern => Directory.EnumerateFiles(RepoPaths.Root, pattern, SearchOption.AllDirectories))
                .Where(f => !Relative(f).Split('/').Any(part => SkippedDirectories.Contains(part, StringComparer.OrdinalIgnoreCase)))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        public static List<string> RepositoryMarkdown()
            => Directory.EnumerateFiles(RepoPaths.InRepo("docs"), "*.md")
                .Append(RepoPaths.InRepo("README.md"))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();

        public static IEnumerable<ScriptSource> SourcesOf(string path)
        {
            var text = File.ReadAllText(path);
            if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return ScriptSource.MarkdownBlocks(Relative(path), text);
            return new[] { new ScriptSource(Relative(path), text, 1, !ScriptSource.RequiresPowerShell7(text)) };
        }

        /// <summary>The script contract over files, with the byte order mark check of the scripts Windows PowerShell runs.</summary>
        public static List<ContractViolation> Check(IEnumerable<string> files)
        {
            var list = files.ToList();
            var violations = ScriptContract.Check(list.SelectMany(SourcesOf), ScriptContractSession.Shared).ToList();
            foreach (var file in list.Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)))
            {
                if (ScriptSource.RequiresPowerShell7(File.ReadAllText(file))) continue;
                var encoding = ScriptSource.CheckEncoding(Relative(file), File.ReadAllBytes(file));
                if (encoding != null) violations.Add(encoding);
            }
            return violations;
        }
    }
}
