using System;
using System.IO;
using System.Linq;
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
            using var inspector = new ModuleInspector(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"));
            var cmdlets = inspector.GetCmdlets();
            Assert.NotEmpty(cmdlets);
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
                }
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
