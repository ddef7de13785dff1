using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using FmsTools.BuildTools;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Help as a PowerShell user meets it: a fresh pwsh imports the laid-out module (FMSTOOLS_LAYOUT_DIR) and runs
    /// Get-Command and Get-Help for every exported cmdlet (HelpInHost.ps1 reports what they return). Get-Help's SYNTAX must
    /// show every parameter set Get-Command reports, -WhatIf and -Confirm exactly where the cmdlet supports ShouldProcess,
    /// and [&lt;CommonParameters&gt;]; PARAMETERS, INPUTS and OUTPUTS must agree with the cmdlet's metadata; every example must
    /// parse with PowerShell's parser and bind, statically, to real commands and parameters; and the examples that name
    /// the module's types must run against a demo sandbox.
    /// </summary>
    public sealed class HelpInHostTests
    {
        /// <summary>
        /// Commands of other modules that examples use on purpose (they are not installed with FmsTools, so the fresh
        /// pwsh cannot resolve them): Pester in a test, AWS.Tools for credentials.
        /// </summary>
        public static readonly Dictionary<string, string> CommandsOfOtherModules = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["It"] = "Pester",
            ["Should"] = "Pester",
            ["Get-AWSCredential"] = "AWS.Tools.Common",
        };

        private static readonly Lazy<JsonElement> Report = new Lazy<JsonElement>(RunProbe);

        private static IEnumerable<JsonElement> Commands => Report.Value.GetProperty("Commands").EnumerateArray();

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Get_Help_shows_the_modules_own_help_for_every_exported_cmdlet()
        {
            var layout = Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR")!;
            Assert.Equal(Path.GetFullPath(layout).TrimEnd('/', '\\'), Report.Value.GetProperty("ModuleBase").GetString()!.TrimEnd('/', '\\'));
            var names = Commands.Select(c => c.GetProperty("Name").GetString()!).ToList();
            var expected = CommandMetadataReader.Read(Path.Combine(layout, Program.DependenciesFolder, "FmsTools.dll")).Select(c => c.Name);
            Assert.Equal(expected.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
            foreach (var command in Commands)
            {
                var help = command.GetProperty("Help");
                Assert.True(help.GetProperty("FromModule").GetBoolean(), $"{Name(command)}: Get-Help did not find the module's MAML (it made help from the metadata)");
                Assert.False(string.IsNullOrWhiteSpace(help.GetProperty("Synopsis").GetString()), $"{Name(command)}: no synopsis");
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void SYNTAX_shows_every_parameter_set_as_Get_Command_reports_it()
        {
            foreach (var command in Commands)
            {
                var sets = command.GetProperty("ParameterSets").EnumerateArray().ToList();
                var rendered = Strings(command.GetProperty("Help").GetProperty("RenderedSyntax"));
                Assert.True(sets.Count == rendered.Count,
                    $"{Name(command)}: Get-Command reports {sets.Count} parameter sets, Get-Help's SYNTAX shows {rendered.Count}:\n" + string.Join("\n", rendered));
                for (var i = 0; i < sets.Count; i++)
                {
                    // Get-Command writes <string>, help writes <String> and lists accepted values as {A | B}: the shape is
                    // compared here (names, order, brackets, positions), the types and values below.
                    var expected = Shape(sets[i].GetProperty("Syntax").GetString()!);
                    Assert.True(expected == Shape(rendered[i]),
                        $"{Name(command)} set {sets[i].GetProperty("Name").GetString()}:\n Get-Command: {sets[i].GetProperty("Syntax").GetString()}\n Get-Help:    {rendered[i]}");
                }
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void SYNTAX_shows_WhatIf_and_Confirm_exactly_where_the_cmdlet_supports_ShouldProcess_and_CommonParameters_everywhere()
        {
            var shouldProcess = 0;
            foreach (var command in Commands)
            {
                var supports = command.GetProperty("SupportsShouldProcess").GetBoolean();
                if (supports) shouldProcess++;
                foreach (var line in Strings(command.GetProperty("Help").GetProperty("RenderedSyntax")))
                {
                    Assert.True(supports == line.Contains(" [-WhatIf]", StringComparison.Ordinal), $"{Name(command)} (ShouldProcess {supports}): {line}");
                    Assert.True(supports == line.Contains(" [-Confirm]", StringComparison.Ordinal), $"{Name(command)} (ShouldProcess {supports}): {line}");
                    Assert.True(line.EndsWith(" [<CommonParameters>]", StringComparison.Ordinal), $"{Name(command)}: {line}");
                }
            }
            Assert.True(shouldProcess > 0, "no cmdlet supports ShouldProcess: the check above proved nothing");
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Syntax_items_carry_each_parameters_type_and_accepted_values()
        {
            foreach (var command in Commands)
            {
                var sets = command.GetProperty("ParameterSets").EnumerateArray().ToList();
                var items = command.GetProperty("Help").GetProperty("SyntaxItems").EnumerateArray().ToList();
                Assert.Equal(sets.Count, items.Count);
                for (var i = 0; i < sets.Count; i++)
                {
                    var parameters = sets[i].GetProperty("Parameters").EnumerateArray().ToDictionary(p => p.GetProperty("Name").GetString()!, StringComparer.OrdinalIgnoreCase);
                    foreach (var item in items[i].EnumerateArray())
                    {
                        var name = item.GetProperty("Name").GetString()!;
                        Assert.True(parameters.TryGetValue(name, out var p), $"{Name(command)}: the syntax shows -{name}, which the set does not have");
                        var subject = $"{Name(command)} -{name} (set {sets[i].GetProperty("Name").GetString()})";
                        Assert.True((p.GetProperty("Mandatory").GetBoolean() ? "true" : "false") == item.GetProperty("Required").GetString(), subject + ": required");
                        var position = p.GetProperty("Position").GetInt32();
                        Assert.True((position == int.MinValue ? "named" : position.ToString()) == item.GetProperty("Position").GetString(), subject + ": position");
                        Assert.True((p.GetProperty("IsSwitch").GetBoolean() ? "" : p.GetProperty("Type").GetString()) == item.GetProperty("Value").GetString(), subject + ": value type");
                        Assert.True(Strings(p.GetProperty("AcceptedValues")).SequenceEqual(Strings(item.GetProperty("Values"))), subject + ": accepted values");
                    }
                }
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void PARAMETERS_describe_every_parameter_with_its_aliases_position_pipeline_input_and_type()
        {
            foreach (var command in Commands)
            {
                var help = command.GetProperty("Help").GetProperty("Parameters").EnumerateArray()
                    .ToDictionary(p => p.GetProperty("Name").GetString()!, StringComparer.OrdinalIgnoreCase);
                var sets = command.GetProperty("ParameterSets").EnumerateArray().ToList();
                var defaultSet = sets.FirstOrDefault(s => s.GetProperty("IsDefault").GetBoolean());
                var uses = sets.SelectMany(s => s.GetProperty("Parameters").EnumerateArray().Select(p => (Set: s, P: p)))
                    .GroupBy(u => u.P.GetProperty("Name").GetString()!, StringComparer.OrdinalIgnoreCase);
                Assert.Equal(uses.Count(), help.Count);
                foreach (var use in uses)
                {
                    var subject = $"{Name(command)} -{use.Key}";
                    Assert.True(help.TryGetValue(use.Key, out var h), subject + " is missing from PARAMETERS");
                    var description = h.GetProperty("Description").GetString()!;
                    Assert.False(string.IsNullOrWhiteSpace(description), subject + " has no description");
                    Assert.DoesNotContain("{{", description);
                    // One entry per parameter: as the default set has it, else as its first set does.
                    var p = use.FirstOrDefault(u => defaultSet.ValueKind != JsonValueKind.Undefined && u.Set.GetProperty("Name").GetString() == defaultSet.GetProperty("Name").GetString()).P;
                    if (p.ValueKind == JsonValueKind.Undefined) p = use.First().P;
                    var aliases = Strings(p.GetProperty("Aliases"));
                    Assert.Equal(aliases.Count == 0 ? "none" : string.Join(", ", aliases), h.GetProperty("Aliases").GetString());
                    Assert.Equal(p.GetProperty("Mandatory").GetBoolean() ? "true" : "false", h.GetProperty("Required").GetString());
                    var position = p.GetProperty("Position").GetInt32();
                    Assert.Equal(position == int.MinValue ? "named" : position.ToString(), h.GetProperty("Position").GetString());
                    var byValue = p.GetProperty("ValueFromPipeline").GetBoolean();
                    var byName = p.GetProperty("ValueFromPipelineByPropertyName").GetBoolean();
                    Assert.Equal(byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False",
                        h.GetProperty("PipelineInput").GetString());
                    Assert.Equal(p.GetProperty("SupportsWildcards").GetBoolean() ? "true" : "false", h.GetProperty("Globbing").GetString());
                    Assert.Equal(p.GetProperty("Type").GetString(), h.GetProperty("Type").GetString());
                    if (p.GetProperty("IsSwitch").GetBoolean()) Assert.Equal("False", h.GetProperty("DefaultValue").GetString());
                    else Assert.False(string.IsNullOrEmpty(h.GetProperty("DefaultValue").GetString()), subject + " has no default value");
                }
                if (command.GetProperty("SupportsShouldProcess").GetBoolean())
                {
                    Assert.Equal("wi", help["WhatIf"].GetProperty("Aliases").GetString());
                    Assert.Equal("cf", help["Confirm"].GetProperty("Aliases").GetString());
                }
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void INPUTS_are_the_pipeline_parameters_types_and_OUTPUTS_the_OutputType()
        {
            foreach (var command in Commands)
            {
                var inputs = command.GetProperty("ParameterSets").EnumerateArray().SelectMany(s => s.GetProperty("Parameters").EnumerateArray())
                    .Where(p => p.GetProperty("ValueFromPipeline").GetBoolean() || p.GetProperty("ValueFromPipelineByPropertyName").GetBoolean())
                    .Select(p => p.GetProperty("TypeFullName").GetString()!.TrimEnd('[', ']')).Distinct().OrderBy(t => t).ToList();
                if (inputs.Count == 0) inputs.Add("None");
                var help = command.GetProperty("Help");
                Assert.Equal(inputs, Strings(help.GetProperty("InputTypes")).OrderBy(t => t));
                Assert.Equal(Strings(command.GetProperty("OutputTypes")), Strings(help.GetProperty("ReturnTypes")));
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Get_Help_Online_opens_the_cmdlets_page_in_the_docs()
        {
            foreach (var command in Commands)
            {
                var uri = command.GetProperty("Help").GetProperty("OnlineUri").GetString()!;
                Assert.Matches("^https://", uri);
                Assert.EndsWith("/docs/" + Name(command) + ".md", uri);
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Every_example_parses_and_names_only_real_commands_parameters_and_types()
        {
            var problems = new List<string>();
            var examples = 0;
            foreach (var command in Commands)
            {
                foreach (var example in command.GetProperty("Help").GetProperty("Examples").EnumerateArray())
                {
                    examples++;
                    Assert.Contains(Name(command), Strings(example.GetProperty("Commands")));
                    foreach (var problem in Strings(example.GetProperty("Problems")))
                    {
                        var unknown = Regex.Match(problem, "^names '(?<name>[^']+)', which is not a command$");
                        if (unknown.Success && CommandsOfOtherModules.ContainsKey(unknown.Groups["name"].Value)) continue;
                        problems.Add($"{Name(command)} {example.GetProperty("Title").GetString()}: {problem}");
                    }
                }
            }
            Assert.True(examples >= 2 * Commands.Count(), "fewer than two examples per cmdlet reached Get-Help");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Examples_that_name_the_modules_types_run_against_the_sandbox()
        {
            var runs = Report.Value.GetProperty("ExampleRuns").EnumerateArray().ToList();
            var naming = Commands.SelectMany(c => c.GetProperty("Help").GetProperty("Examples").EnumerateArray()
                .Where(e => Strings(e.GetProperty("Types")).Any(t => t.StartsWith("FmsTools.", StringComparison.Ordinal)))
                .Select(e => Name(c) + " " + e.GetProperty("Title").GetString())).ToList();
            Assert.Contains("Set-FmsAppsList Example 2: Add one app to an existing list", naming);
            Assert.Equal(naming, runs.Select(r => r.GetProperty("Command").GetString() + " " + r.GetProperty("Example").GetString()));
            foreach (var run in runs)
                Assert.True(run.GetProperty("Errors").GetArrayLength() == 0,
                    $"{run.GetProperty("Command").GetString()} {run.GetProperty("Example").GetString()}:\n" + string.Join("\n", Strings(run.GetProperty("Errors"))));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_docs_SYNTAX_is_what_Get_Command_prints_for_every_parameter_set()
        {
            foreach (var command in Commands)
            {
                var doc = MarkdownHelpFile.Parse(File.ReadAllText(RepoPaths.InRepo("docs", Name(command) + ".md")));
                var syntax = doc.Section("SYNTAX")!;
                var sets = command.GetProperty("ParameterSets").EnumerateArray().ToList();
                Assert.Equal(sets.Select(s => s.GetProperty("Name").GetString() + (s.GetProperty("IsDefault").GetBoolean() ? " (Default)" : "")),
                    syntax.Subsections.Select(s => s.Title));
                for (var i = 0; i < sets.Count; i++)
                {
                    var code = Regex.Match(syntax.Subsections[i].Text, "```\\n(?<c>.*?)\\n```", RegexOptions.Singleline).Groups["c"].Value;
                    Assert.Equal(sets[i].GetProperty("Syntax").GetString(), MarkdownHelpWriter.Unwrap(code));
                }
            }
        }

        private static string Name(JsonElement command) => command.GetProperty("Name").GetString()!;

        private static List<string> Strings(JsonElement array)
            => array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : new List<string>();

        /// <summary>A syntax line with every &lt;type&gt; and {value | list} replaced by a placeholder.</summary>
        internal static string Shape(string syntax) => Regex.Replace(Regex.Replace(syntax.Trim(), @"<(?!CommonParameters>)[^<>]+>", "<T>"), @"\{[^{}]+\}", "<T>");

        private static JsonElement RunProbe()
        {
            var layout = Path.GetFullPath(Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR")!);
            var output = Path.Combine(Path.GetTempPath(), "fms-help-host-" + Guid.NewGuid().ToString("N") + ".json");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                // The repository's PowerShell 7.6.10 (.config/dotnet-tools.json), a process of its own: nothing of this
                // test process is loaded there.
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", RepoPaths.InRepo("tests", "FmsTools.Tests", "Citizenship", "HelpInHost.ps1"),
                         "-ModuleDirectory", layout, "-OutFile", output })
                start.ArgumentList.Add(arg);
            start.Environment["NO_COLOR"] = "1";
            try
            {
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(300_000))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("pwsh did not finish HelpInHost.ps1 within 5 minutes");
                }
                if (process.ExitCode != 0 || !File.Exists(output))
                    throw new InvalidOperationException($"pwsh exited {process.ExitCode} (run 'dotnet tool restore' if it is not installed):\n{stderr.Result}\n{stdout.Result}");
                using var json = JsonDocument.Parse(File.ReadAllText(output));
                return json.RootElement.Clone();
            }
            finally
            {
                File.Delete(output);
            }
        }
    }
}
