using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FmsTools.BuildTools
{
    /// <summary>
    /// Compiles the docs' prose plus the cmdlets' metadata into one MAML file (FmsTools.dll-Help.xml), shaped as platyPS's
    /// New-ExternalHelp writes it. Get-Help shows only what the MAML says, so the syntax, the parameter metadata and the
    /// input and output types all come from PowerShell's own description of each cmdlet (<see cref="CommandMetadataReader"/>):
    /// every parameter set, -WhatIf and -Confirm where the cmdlet supports ShouldProcess, accepted values, aliases, positions,
    /// pipeline input and default values. The docs give the text.
    /// </summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<(CommandHelpInfo Command, HelpDocument Help)> items)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
            foreach (var (command, help) in items)
                root.Add(CommandElement(command, help));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement CommandElement(CommandHelpInfo cmdlet, HelpDocument help)
        {
            var command = new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(Command + "details",
                    new XElement(Command + "name", cmdlet.Name),
                    new XElement(Command + "verb", cmdlet.Verb),
                    new XElement(Command + "noun", cmdlet.Noun),
                    Description(help.Synopsis)),
                Description(help.Description));

            var syntax = new XElement(Command + "syntax");
            foreach (var set in cmdlet.ParameterSets)
            {
                var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", cmdlet.Name));
                foreach (var p in set.Parameters)
                    item.Add(ParameterElement(p, p.Sets.Single(s => s.SetName == set.Name), DescriptionOf(p, help), inSyntax: true));
                syntax.Add(item);
            }
            command.Add(syntax);

            // The parameters in the order the doc describes them; the ones it does not, in Get-Command's order.
            var parameters = new XElement(Command + "parameters");
            var ordered = help.ParameterOrder.Select(cmdlet.Parameter).Where(p => p != null).Select(p => p!).ToList();
            ordered.AddRange(cmdlet.Parameters.Where(p => !ordered.Contains(p)));
            foreach (var p in ordered)
                parameters.Add(ParameterElement(p, Representative(cmdlet, p), DescriptionOf(p, help), inSyntax: false));
            command.Add(parameters);

            command.Add(new XElement(Command + "inputTypes",
                cmdlet.InputTypes.Select(MarkdownHelpWriter.ElementTypeName).Distinct().DefaultIfEmpty("None")
                    .Select(t => new XElement(Command + "inputType", TypeElement(t), Description(TextFor(help.Inputs, t))))));
            command.Add(new XElement(Command + "returnValues",
                cmdlet.OutputTypes.DefaultIfEmpty("System.Object")
                    .Select(t => new XElement(Command + "returnValue", TypeElement(t), Description(TextFor(help.Outputs, t))))));
            if (help.Notes.Length > 0)
                command.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))));

            var examples = new XElement(Command + "examples");
            foreach (var e in help.Examples)
            {
                examples.Add(new XElement(Command + "example",
                    new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks))));
            }
            command.Add(examples);

            // Get-Help -Online opens the first link with a URI: the doc's online version.
            var links = new XElement(Command + "relatedLinks");
            if (help.OnlineVersion.Length > 0)
                links.Add(Link("Online Version:", help.OnlineVersion));
            foreach (var link in help.RelatedLinks)
                links.Add(Link(link.Text, IsAbsolute(link.Uri) ? link.Uri : ""));
            command.Add(links);
            return command;
        }

        private static bool IsAbsolute(string uri) => Regex.IsMatch(uri, "^https?://", RegexOptions.IgnoreCase);

        private static XElement Link(string text, string uri)
            => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

        private static string TextFor(List<HelpTypeEntry> entries, string typeName)
            => entries.FirstOrDefault(e => e.TypeName.Equals(typeName, StringComparison.OrdinalIgnoreCase))?.Description ?? "";

        private static string DescriptionOf(CommandParameterHelp p, HelpDocument help)
        {
            if (help.Parameters.TryGetValue(p.Name, out var text) && text.Length > 0) return text;
            return p.Name == "WhatIf" ? MarkdownHelpWriter.WhatIfDescription : p.Name == "Confirm" ? MarkdownHelpWriter.ConfirmDescription : "";
        }

        /// <summary>
        /// The PARAMETERS section has one entry per parameter: it shows the parameter as the default parameter set has it
        /// (or its first set), as PowerShell's generated help does.
        /// </summary>
        private static ParameterSetUse Representative(CommandHelpInfo cmdlet, CommandParameterHelp p)
        {
            var defaultSet = cmdlet.ParameterSets.FirstOrDefault(s => s.IsDefault)?.Name;
            return p.Sets.FirstOrDefault(s => s.SetName == defaultSet) ?? p.Sets[0];
        }

        private static XElement ParameterElement(CommandParameterHelp p, ParameterSetUse use, string description, bool inSyntax)
        {
            var element = new XElement(Command + "parameter",
                new XAttribute("required", use.Mandatory ? "true" : "false"),
                new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"),
                new XAttribute("globbing", p.SupportsWildcards ? "true" : "false"),
                new XAttribute("pipelineInput", use.PipelineInput),
                new XAttribute("position", use.Position?.ToString() ?? "named"),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(description));
            if (inSyntax && p.AcceptedValues.Count > 0)
            {
                element.Add(new XElement(Command + "parameterValueGroup",
                    p.AcceptedValues.Select(v => new XElement(Command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
            }
            // A switch shows as [-Name] in the syntax and as -Name [<SwitchParameter>] under PARAMETERS.
            if (!p.IsSwitch)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"),
                    new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"), p.TypeName));
            else if (!inSyntax)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "false"),
                    new XAttribute("variableLength", "false"), p.TypeName));
            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.TypeName), new XElement(Maml + "uri")));
            element.Add(new XElement(Dev + "defaultValue", p.DefaultValue));
            return element;
        }

        private static XElement TypeElement(string name)
            => new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

        private static XElement Description(string text) => new XElement(Maml + "description", Paragraphs(text));

        /// <summary>
        /// Markdown paragraphs become maml:para elements, their lines joined; each item of a markdown list is a paragraph
        /// of its own, so Get-Help shows a list as a list.
        /// </summary>
        internal static IEnumerable<XElement> Paragraphs(string text)
        {
            var paragraphs = new List<string>();
            var current = new List<string>();
            void Flush()
            {
                if (current.Count > 0) paragraphs.Add(string.Join(" ", current));
                current.Clear();
            }
            foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0) Flush();
                else
                {
                    if (Regex.IsMatch(line, @"^([-*] |[0-9]+\. )")) Flush();
                    current.Add(line);
                }
            }
            Flush();
            return paragraphs.Select(p => new XElement(Maml + "para", p));
        }
    }
}
