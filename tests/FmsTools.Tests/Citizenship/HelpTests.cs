using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FmsTools.BuildTools;
using FmsTools.Tests.Build;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Get-Help coverage: the MAML fmsbuild compiles from docs/ describes every cmdlet fully, and the about topics
    /// compile into plain about-topic text and are laid out with the module.
    /// </summary>
    public sealed class HelpTests : IDisposable
    {
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        public static readonly string[] AboutTopics = { "about_FmsTools", "about_FmsTools_Sandbox" };

        private readonly string _help = Path.Combine(Path.GetTempPath(), "fms-help-" + Guid.NewGuid().ToString("N"));

        public HelpTests()
        {
            Directory.CreateDirectory(_help);
            Program.CompileHelp(RepoPaths.Root, Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"), _help);
        }

        public void Dispose() => Directory.Delete(_help, recursive: true);

        private static string Text(XElement? element)
            => element == null ? "" : string.Join(" ", element.Descendants(Maml + "para").Select(p => p.Value)).Trim();

        [Fact]
        public void The_compiled_MAML_describes_every_cmdlet_with_synopsis_description_examples_and_parameters()
        {
            var maml = XDocument.Load(Path.Combine(_help, Program.MamlFileName));
            var commands = maml.Descendants(Command + "command")
                .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value, c => c);
            var cmdlets = CommandMetadataReader.Read(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"));
            Assert.NotEmpty(cmdlets);
            // The attributes, read by reflection, must agree on which cmdlets there are.
            Assert.Equal(DeclaredCmdlets().Select(c => c.Name), cmdlets.Select(c => c.Name));
            foreach (var cmdlet in cmdlets)
            {
                Assert.True(commands.TryGetValue(cmdlet.Name, out var command), $"{cmdlet.Name} is missing from the MAML");
                Assert.False(string.IsNullOrWhiteSpace(Text(command!.Element(Command + "details")!.Element(Maml + "description"))), $"{cmdlet.Name}: no synopsis");
                Assert.False(string.IsNullOrWhiteSpace(Text(command.Element(Maml + "description"))), $"{cmdlet.Name}: no description");
                var examples = command.Descendants(Command + "example").ToList();
                Assert.True(examples.Count >= 2, $"{cmdlet.Name}: fewer than two examples");
                Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "code")?.Value), $"{cmdlet.Name}: an example without code"));
                var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter")
                    .ToDictionary(p => p.Element(Maml + "name")!.Value, p => Text(p.Element(Maml + "description")), StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in cmdlet.Parameters)
                {
                    Assert.True(parameters.TryGetValue(parameter.Name, out var description), $"{cmdlet.Name} -{parameter.Name} is missing from the MAML");
                    Assert.False(string.IsNullOrWhiteSpace(description), $"{cmdlet.Name} -{parameter.Name} has no description");
                    Assert.DoesNotContain("{{", description);
                }
                Assert.Equal(cmdlet.SupportsShouldProcess, parameters.ContainsKey("WhatIf"));
                Assert.Equal(cmdlet.SupportsShouldProcess, parameters.ContainsKey("Confirm"));

                var syntaxItems = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
                Assert.Equal(cmdlet.ParameterSets.Count, syntaxItems.Count);
                for (var i = 0; i < syntaxItems.Count; i++)
                {
                    var names = syntaxItems[i].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToList();
                    Assert.Equal(cmdlet.ParameterSets[i].Parameters.Select(p => p.Name), names);
                    Assert.Equal(cmdlet.SupportsShouldProcess, names.Contains("WhatIf") && names.Contains("Confirm"));
                }
            }
        }

        /// <summary>The cmdlets as their attributes declare them, read by reflection: what PowerShell's metadata must agree with.</summary>
        private static IEnumerable<(string Name, bool SupportsShouldProcess, List<(string Name, string[] Aliases)> Parameters)> DeclaredCmdlets()
            => typeof(FmsTools.Infrastructure.FmsCmdlet).Assembly.GetTypes()
                .Select(t => (Type: t, Cmdlet: t.GetCustomAttribute<CmdletAttribute>()))
                .Where(x => x.Cmdlet != null && !x.Type.IsAbstract)
                .Select(x => (x.Cmdlet!.VerbName + "-" + x.Cmdlet.NounName, x.Cmdlet.SupportsShouldProcess,
                    x.Type.GetProperties().Where(p => p.IsDefined(typeof(ParameterAttribute)))
                        // A parameter a derived cmdlet redeclares with 'new' replaces the base one.
                        .GroupBy(p => p.Name).Select(g => g.OrderByDescending(p => Depth(p.DeclaringType)).First())
                        .Select(p => (p.Name, p.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray())).ToList()))
                .OrderBy(c => c.Item1, StringComparer.OrdinalIgnoreCase);

        private static int Depth(Type? type)
        {
            var depth = 0;
            for (; type != null; type = type.BaseType) depth++;
            return depth;
        }

        [Fact]
        public void The_cmdlets_metadata_is_PowerShells_own_with_WhatIf_and_Confirm_where_ShouldProcess_is_declared()
        {
            var cmdlets = CommandMetadataReader.Read(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll")).ToDictionary(c => c.Name);
            foreach (var declared in DeclaredCmdlets())
            {
                var cmdlet = cmdlets[declared.Name];
                Assert.Equal(declared.SupportsShouldProcess, cmdlet.SupportsShouldProcess);
                foreach (var set in cmdlet.ParameterSets)
                {
                    Assert.EndsWith("[<CommonParameters>]", set.Syntax);
                    Assert.Equal(declared.SupportsShouldProcess, set.Syntax.EndsWith("[-WhatIf] [-Confirm] [<CommonParameters>]", StringComparison.Ordinal));
                }
                // Every parameter the attributes declare, with their aliases, and nothing else but -WhatIf and -Confirm.
                Assert.Equal(declared.Parameters.Select(p => p.Name).OrderBy(n => n),
                    cmdlet.Parameters.Where(p => !p.IsShouldProcessParameter).Select(p => p.Name).OrderBy(n => n));
                foreach (var p in declared.Parameters)
                    Assert.Equal(p.Aliases, cmdlet.Parameter(p.Name)!.Aliases);
            }
            var remove = cmdlets["Remove-FmsPolicy"];
            Assert.Equal("Remove-FmsPolicy [-PolicyId] <string> [-Region <string>] [-DeleteAllPolicyResources] [-Force] [-PassThru] [-ProfileName <string>] "
                         + "[-ProfileLocation <string>] [-EndpointUrl <string>] [-Credential <Object>] [-AccessKey <string>] "
                         + "[-SecretKey <SecretString>] [-SessionToken <SecretString>] [-WhatIf] [-Confirm] [<CommonParameters>]",
                remove.SyntaxLine(Assert.Single(remove.ParameterSets)));
            var policyId = remove.Parameter("PolicyId")!;
            Assert.Equal("True (ByPropertyName)", Assert.Single(policyId.Sets).PipelineInput);
            Assert.Equal("0", policyId.Sets[0].PositionText);
            Assert.True(policyId.Sets[0].Mandatory);
            Assert.Equal("True (ByPropertyName)", Assert.Single(remove.Parameter("Region")!.Sets).PipelineInput);
            Assert.Equal(new[] { "wi" }, remove.Parameter("WhatIf")!.Aliases);
            Assert.Equal(new[] { "cf" }, remove.Parameter("Confirm")!.Aliases);
            Assert.Equal(new[] { "Html", "JUnit", "Csv", "Json", "Sarif", "NUnit", "Markdown" }, cmdlets["Export-FmsComplianceReport"].Parameter("Format")!.AcceptedValues);
            Assert.Equal("50", cmdlets["Assert-FmsCompliance"].Parameter("MaxListed")!.DefaultValue);
            Assert.Equal("None", cmdlets["Assert-FmsCompliance"].Parameter("PolicyName")!.DefaultValue);
            Assert.True(cmdlets["Assert-FmsCompliance"].Parameter("PolicyName")!.SupportsWildcards);
        }

        [Fact]
        public void The_docs_are_up_to_date_with_the_cmdlets_metadata()
        {
            var stale = Program.PlanDocs(RepoPaths.Root, Path.Combine(RepoPaths.TestOutput, "FmsTools.dll")).Where(d => d.IsStale).ToList();
            Assert.True(stale.Count == 0,
                "These docs differ from the cmdlets' metadata (SYNTAX, the parameters' yaml blocks, INPUTS/OUTPUTS or the front matter): "
                + string.Join(", ", stale.Select(d => Path.GetFileName(d.Path)))
                + ".\nUpdate them with: dotnet build/FmsTools.BuildTools/bin/" + RepoPaths.Configuration + "/net10.0/fmsbuild.dll docs --configuration " + RepoPaths.Configuration
                + "\nFirst difference:\n" + (stale.Count == 0 ? "" : FirstDifference(stale[0].Current, stale[0].Updated)));
        }

        private static string FirstDifference(string current, string updated)
        {
            var a = current.Replace("\r\n", "\n").Split('\n');
            var b = updated.Split('\n');
            var i = 0;
            while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
            return $"line {i + 1}: is '{(i < a.Length ? a[i] : "")}', should be '{(i < b.Length ? b[i] : "")}'";
        }

        [Fact]
        public void The_docs_follow_platyPS_markdown_schema_2_0_0()
        {
            var yamlKeys = new[] { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" };
            foreach (var cmdlet in CommandMetadataReader.Read(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll")))
            {
                var path = RepoPaths.InRepo("docs", cmdlet.Name + ".md");
                var text = File.ReadAllText(path);
                var file = MarkdownHelpFile.Parse(text);
                var front = file.FrontMatter.ToDictionary(p => p.Key, p => p.Value);
                Assert.True(text.StartsWith("---\n", StringComparison.Ordinal), $"{cmdlet.Name}: no front matter");
                Assert.Equal(Program.MamlFileName, front["external help file"]);
                Assert.Equal("FmsTools", front["Module Name"]);
                Assert.Equal("2.0.0", front["schema"]);
                Assert.StartsWith("https://", front["online version"]);
                Assert.Equal(cmdlet.Name, file.Title);
                Assert.Equal(MarkdownHelpWriter.SectionOrder, file.Sections.Select(s => s.Title));
                Assert.DoesNotContain("{{", text);

                var syntax = file.Section("SYNTAX")!;
                Assert.Equal(cmdlet.ParameterSets.Select(s => s.Name + (s.IsDefault ? " (Default)" : "")), syntax.Subsections.Select(s => s.Title));
                Assert.All(file.Section("EXAMPLES")!.Subsections, e => Assert.Matches("^Example [0-9]+", e.Title));

                var parameters = file.Section("PARAMETERS")!.Subsections;
                Assert.Equal(HelpDocument.CommonParametersHeading, parameters.Last().Title);
                Assert.Equal(cmdlet.Parameters.Select(p => "-" + p.Name).OrderBy(n => n), parameters.Take(parameters.Count - 1).Select(s => s.Title).OrderBy(n => n));
                foreach (var p in parameters.Take(parameters.Count - 1))
                {
                    var blocks = Regex.Matches(p.Text, "```yaml\n(?<y>.*?)\n```", RegexOptions.Singleline);
                    Assert.True(blocks.Count > 0, $"{cmdlet.Name} {p.Title}: no yaml block");
                    foreach (Match block in blocks)
                    {
                        var keys = block.Groups["y"].Value.Split('\n').Where(l => l.Contains(':')).Select(l => l.Substring(0, l.IndexOf(':'))).Where(k => k != "Accepted values");
                        Assert.Equal(yamlKeys, keys);
                    }
                }
                Assert.All(file.Section("INPUTS")!.Subsections.Concat(file.Section("OUTPUTS")!.Subsections), s => Assert.DoesNotContain(" ", s.Title));
                foreach (var line in file.Section("RELATED LINKS")!.Text.Split('\n').Where(l => l.Trim().Length > 0))
                    Assert.Matches(@"^\[[^\]]+\]\([^)]+\)$", line);
            }
        }

        [Theory]
        [InlineData("about_FmsTools")]
        [InlineData("about_FmsTools_Sandbox")]
        public void About_topics_compile_into_plain_about_topic_text(string topic)
        {
            Assert.True(File.Exists(RepoPaths.InRepo("docs", topic + ".md")), $"docs/{topic}.md is missing");
            var lines = File.ReadAllLines(Path.Combine(_help, topic + ".help.txt"));

            Assert.Equal("TOPIC", lines[0]);
            Assert.Equal("    " + topic, lines[1]);
            var headings = lines.Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).ToList();
            Assert.Equal(new[] { "TOPIC", "SHORT DESCRIPTION", "LONG DESCRIPTION" }, headings.Take(3));
            Assert.Contains("SEE ALSO", headings);
            Assert.All(headings, h => Assert.Equal(h.ToUpperInvariant(), h));
            var shortDescription = lines[Array.IndexOf(lines, "SHORT DESCRIPTION") + 1];
            Assert.StartsWith("    ", shortDescription);
            Assert.True(shortDescription.Trim().Length > 10, "the short description is what Get-Help lists");
            Assert.All(lines, l => Assert.True(l.Length <= AboutTopic.Width, $"line longer than {AboutTopic.Width}: '{l}'"));
            Assert.All(lines, l => Assert.DoesNotContain("```", l));
            Assert.All(lines, l => Assert.False(l.TrimStart().StartsWith("#", StringComparison.Ordinal), $"markdown heading left: '{l}'"));
        }

        [Fact]
        public void About_topic_text_wraps_long_lines_and_keeps_code_apart()
        {
            var text = AboutTopic.ToText("# about_X\n\n## SHORT DESCRIPTION\nShort.\n\n## LONG DESCRIPTION\n"
                                          + string.Join(" ", Enumerable.Repeat("**word**", 30)) + "\n\n```\nGet-FmsPolicy | Export-FmsPolicy -Path ./p\n```\n- a list item that is long enough to need a second line when it is wrapped at eighty\n");
            var lines = text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            Assert.All(lines, l => Assert.True(l.Length <= AboutTopic.Width));
            Assert.Contains("        Get-FmsPolicy | Export-FmsPolicy -Path ./p", lines);
            Assert.DoesNotContain(lines, l => l.Contains("**"));
            var item = Array.FindIndex(lines, l => l.StartsWith("    - a list item", StringComparison.Ordinal));
            Assert.StartsWith("      ", lines[item + 1]);
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Both_about_topics_are_laid_out_with_the_module()
        {
            var layout = Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR") ?? "";
            foreach (var topic in AboutTopics)
            {
                var file = Path.Combine(layout, "en-US", topic + ".help.txt");
                Assert.True(File.Exists(file), $"{file} is missing");
                Assert.StartsWith("TOPIC", File.ReadAllText(file));
            }
        }
    }
}
