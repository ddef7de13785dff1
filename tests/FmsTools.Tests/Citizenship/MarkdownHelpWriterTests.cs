using System;
using System.Linq;
using System.Xml.Linq;
using FmsTools.BuildTools;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>fmsbuild docs: what it rewrites from the metadata and what it keeps of what people wrote.</summary>
    public sealed class MarkdownHelpWriterTests
    {
        private const string Online = "https://example.test/docs/Remove-FmsWidget.md";

        /// <summary>A cmdlet with two parameter sets, a parameter whose metadata differs between them, and ShouldProcess.</summary>
        private static CommandHelpInfo Widget()
        {
            var command = new CommandHelpInfo { Name = "Remove-FmsWidget", Verb = "Remove", Noun = "FmsWidget", SupportsShouldProcess = true };
            command.OutputTypes.Add("FmsTools.Widget");
            var id = new CommandParameterHelp { Name = "Id", Type = typeof(string[]) };
            id.Sets.Add(new ParameterSetUse { SetName = "ById", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true });
            var input = new CommandParameterHelp { Name = "InputObject", Type = typeof(Uri) };
            input.Sets.Add(new ParameterSetUse { SetName = "ByObject", Mandatory = true, ValueFromPipeline = true });
            var mode = new CommandParameterHelp { Name = "Mode", Type = typeof(string), DefaultValue = "Soft" };
            mode.AcceptedValues.AddRange(new[] { "Soft", "Hard" });
            mode.Sets.Add(new ParameterSetUse { SetName = "ById" });
            mode.Sets.Add(new ParameterSetUse { SetName = "ByObject", Mandatory = true });
            var whatIf = new CommandParameterHelp { Name = "WhatIf", Type = typeof(System.Management.Automation.SwitchParameter), IsShouldProcessParameter = true, DefaultValue = "False" };
            whatIf.Aliases.Add("wi");
            var confirm = new CommandParameterHelp { Name = "Confirm", Type = typeof(System.Management.Automation.SwitchParameter), IsShouldProcessParameter = true, DefaultValue = "False" };
            confirm.Aliases.Add("cf");
            foreach (var set in new[] { "ById", "ByObject" })
            {
                whatIf.Sets.Add(new ParameterSetUse { SetName = set });
                confirm.Sets.Add(new ParameterSetUse { SetName = set });
            }
            command.Parameters.AddRange(new[] { id, input, mode, whatIf, confirm });
            var byId = new CommandParameterSetHelp { Name = "ById", IsDefault = true, Syntax = "[-Id] <string[]> [-Mode <string>] [-WhatIf] [-Confirm] [<CommonParameters>]" };
            byId.Parameters.AddRange(new[] { id, mode, whatIf, confirm });
            var byObject = new CommandParameterSetHelp { Name = "ByObject", Syntax = "-InputObject <uri> -Mode <string> [-WhatIf] [-Confirm] [<CommonParameters>]" };
            byObject.Parameters.AddRange(new[] { input, mode, whatIf, confirm });
            command.ParameterSets.AddRange(new[] { byId, byObject });
            return command;
        }

        private const string OldDoc = "# Remove-FmsWidget\n\n## SYNOPSIS\nRemoves widgets.\n\n## SYNTAX\n\n```\nRemove-FmsWidget -Id <String>\n```\n\n"
                                      + "## DESCRIPTION\nFirst line\nsecond line of the same paragraph.\n\n"
                                      + "## EXAMPLES\n\n### Example 1: One\n```powershell\nPS> Remove-FmsWidget -Id a\n```\nRemoves a.\n\n"
                                      + "## PARAMETERS\n\n### -Mode\nHow to remove.\n\n```yaml\nType: Int32\nRequired: True\n```\n\n### -Id\nThe ids.\n\n"
                                      + "### -Confirm\nAsks first.\n\n### CommonParameters\nold text\n\n"
                                      + "## INPUTS\n\n### System.String\nIds by property name.\n\n## OUTPUTS\n\n### FmsTools.Widget\nWith -PassThru.\n\n"
                                      + "## RELATED LINKS\n- [Get-FmsWidget](Get-FmsWidget.md)\n- [About](https://example.test/about)\n";

        [Fact]
        public void Updating_rewrites_the_generated_parts_and_keeps_the_prose_line_for_line()
        {
            var updated = MarkdownHelpWriter.Update(OldDoc, Widget(), Online);
            var doc = HelpDocument.Parse(updated);
            var file = MarkdownHelpFile.Parse(updated);

            Assert.StartsWith("---\nexternal help file: FmsTools.dll-Help.xml\nModule Name: FmsTools\nonline version: " + Online + "\nschema: 2.0.0\n---\n\n# Remove-FmsWidget\n", updated);
            Assert.Equal(MarkdownHelpWriter.SectionOrder, file.Sections.Select(s => s.Title));
            Assert.Contains("## DESCRIPTION\nFirst line\nsecond line of the same paragraph.\n", updated);
            Assert.Contains("### ById (Default)\n\n```\nRemove-FmsWidget [-Id] <string[]> [-Mode <string>] [-WhatIf] [-Confirm] [<CommonParameters>]\n```", updated);
            Assert.Contains("### ByObject\n\n```\nRemove-FmsWidget -InputObject <uri> -Mode <string> [-WhatIf] [-Confirm] [<CommonParameters>]\n```", updated);
            Assert.DoesNotContain("Type: Int32", updated);

            // The doc's order first, then what it lacked, -WhatIf and -Confirm last; its descriptions kept.
            Assert.Equal(new[] { "Mode", "Id", "InputObject", "WhatIf", "Confirm" }, doc.ParameterOrder);
            Assert.Equal("How to remove.", doc.Parameters["Mode"]);
            Assert.Equal("Asks first.", doc.Parameters["Confirm"]);
            Assert.Equal(MarkdownHelpWriter.WhatIfDescription, doc.Parameters["WhatIf"]);
            Assert.Equal(MarkdownHelpWriter.Placeholder("InputObject"), doc.Parameters["InputObject"]);

            // -Mode is optional in one set and mandatory in the other: two yaml blocks.
            Assert.Contains("```yaml\nType: String\nParameter Sets: ById\nAliases:\nAccepted values: Soft, Hard\n\nRequired: False\nPosition: Named\nDefault value: Soft\n"
                            + "Accept pipeline input: False\nAccept wildcard characters: False\n```", updated);
            Assert.Contains("Parameter Sets: ByObject\nAliases:\nAccepted values: Soft, Hard\n\nRequired: True\n", updated);
            Assert.Contains("```yaml\nType: String[]\nParameter Sets: ById\nAliases:\n\nRequired: True\nPosition: 0\nDefault value: None\nAccept pipeline input: True (ByPropertyName)\n", updated);
            Assert.Contains("```yaml\nType: SwitchParameter\nParameter Sets: (All)\nAliases: wi\n\nRequired: False\nPosition: Named\nDefault value: False\n", updated);
            Assert.Contains("### CommonParameters\n" + MarkdownHelpWriter.CommonParametersText + "\n", updated);
            Assert.DoesNotContain("old text", updated);

            Assert.Equal(new[] { "System.String", "System.Uri" }, doc.Inputs.Select(i => i.TypeName));
            Assert.Equal("Ids by property name.", doc.Inputs[0].Description);
            Assert.Equal("With -PassThru.", Assert.Single(doc.Outputs).Description);
            Assert.Contains("## NOTES\n\n## RELATED LINKS\n\n[Get-FmsWidget](Get-FmsWidget.md)\n\n[About](https://example.test/about)\n", updated);

            // Updating an up-to-date doc changes nothing.
            Assert.Equal(updated, MarkdownHelpWriter.Update(updated, Widget(), Online));
        }

        [Fact]
        public void A_doc_that_describes_a_parameter_or_input_the_cmdlet_does_not_have_is_refused_rather_than_losing_its_text()
        {
            var extraParameter = OldDoc.Replace("### -Id\nThe ids.", "### -Id\nThe ids.\n\n### -Colour\nGone.");
            var error = Assert.Throws<InvalidOperationException>(() => MarkdownHelpWriter.Update(extraParameter, Widget(), Online));
            Assert.Contains("-Colour", error.Message);

            var extraInput = OldDoc.Replace("### System.String\n", "### System.Int32\nNumbers.\n\n### System.String\n");
            error = Assert.Throws<InvalidOperationException>(() => MarkdownHelpWriter.Update(extraInput, Widget(), Online));
            Assert.Contains("System.Int32", error.Message);
        }

        [Fact]
        public void Long_syntax_wraps_between_parameters_and_unwraps_to_the_same_line()
        {
            var line = "Get-FmsThing " + string.Join(" ", Enumerable.Range(1, 20).Select(i => $"[-Parameter{i} <string[]>]")) + " [<CommonParameters>]";
            var wrapped = MarkdownHelpWriter.Wrap(line);
            var lines = wrapped.Split('\n');
            Assert.True(lines.Length > 2);
            Assert.All(lines, l => Assert.True(l.Length <= MarkdownHelpWriter.SyntaxWidth, l));
            Assert.All(lines.Skip(1), l => Assert.StartsWith(" [", l));
            Assert.Equal(line, MarkdownHelpWriter.Unwrap(wrapped));
        }

        [Fact]
        public void The_MAML_takes_syntax_and_parameter_metadata_from_the_cmdlet_and_text_from_the_doc()
        {
            var command = Widget();
            var doc = HelpDocument.Parse(MarkdownHelpWriter.Update(OldDoc, command, Online)
                .Replace(MarkdownHelpWriter.Placeholder("InputObject"), "A widget.\n\n- first item\n- second item"));
            XNamespace c = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
            var element = MamlWriter.Write(new[] { (command, doc) }).Descendants(c + "command").Single();

            var items = element.Element(c + "syntax")!.Elements(c + "syntaxItem").ToList();
            Assert.Equal(new[] { "Id", "Mode", "WhatIf", "Confirm" }, items[0].Elements(c + "parameter").Select(p => p.Element(maml + "name")!.Value));
            var mode = items[1].Elements(c + "parameter").Single(p => p.Element(maml + "name")!.Value == "Mode");
            Assert.Equal("true", mode.Attribute("required")!.Value);
            Assert.Equal(new[] { "Soft", "Hard" }, mode.Element(c + "parameterValueGroup")!.Elements(c + "parameterValue").Select(v => v.Value));
            var whatIf = items[1].Elements(c + "parameter").Single(p => p.Element(maml + "name")!.Value == "WhatIf");
            Assert.Null(whatIf.Element(c + "parameterValue"));
            Assert.Equal("wi", whatIf.Attribute("aliases")!.Value);

            var parameters = element.Element(c + "parameters")!.Elements(c + "parameter").ToDictionary(p => p.Element(maml + "name")!.Value);
            Assert.Equal(new[] { "Mode", "Id", "InputObject", "WhatIf", "Confirm" }, parameters.Keys);
            Assert.Equal("false", parameters["Mode"].Attribute("required")!.Value); // as the default set has it
            Assert.Equal("Soft", parameters["Mode"].Element(XNamespace.Get("http://schemas.microsoft.com/maml/dev/2004/10") + "defaultValue")!.Value);
            Assert.Equal("True (ByValue)", parameters["InputObject"].Attribute("pipelineInput")!.Value);
            Assert.Equal(new[] { "A widget.", "- first item", "- second item" }, parameters["InputObject"].Element(maml + "description")!.Elements(maml + "para").Select(p => p.Value));
            Assert.Equal("SwitchParameter", parameters["Confirm"].Element(c + "parameterValue")!.Value);

            Assert.Equal(new[] { "System.String", "System.Uri" }, element.Element(c + "inputTypes")!.Elements().Select(i => i.Descendants(maml + "name").First().Value));
            var links = element.Element(c + "relatedLinks")!.Elements(maml + "navigationLink").ToList();
            Assert.Equal(Online, links[0].Element(maml + "uri")!.Value);
            Assert.Equal(new[] { "", "https://example.test/about" }, links.Skip(1).Select(l => l.Element(maml + "uri")!.Value));
        }
    }
}
