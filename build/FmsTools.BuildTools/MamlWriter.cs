using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace FmsTools.BuildTools
{
    /// <summary>Compiles markdown help plus the cmdlets' metadata into one MAML file (FmsTools.dll-Help.xml).</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<(CmdletDeclaration Cmdlet, HelpDocument Help)> items)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
            foreach (var (cmdlet, help) in items)
                root.Add(CommandElement(cmdlet, help));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement CommandElement(CmdletDeclaration cmdlet, HelpDocument help)
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
            foreach (var set in ParameterSetNames(cmdlet))
            {
                var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", cmdlet.Name));
                foreach (var p in cmdlet.Parameters.Where(p => p.Sets.Any(s => s.SetName == set || s.SetName == "__AllParameterSets")))
                    item.Add(ParameterElement(p, help, p.Sets.First(s => s.SetName == set || s.SetName == "__AllParameterSets")));
                syntax.Add(item);
            }
            command.Add(syntax);

            var parameters = new XElement(Command + "parameters");
            foreach (var p in cmdlet.Parameters)
                parameters.Add(ParameterElement(p, help, p.Sets[0]));
            command.Add(parameters);

            command.Add(new XElement(Command + "inputTypes",
                help.Inputs.Select(i => new XElement(Command + "inputType", TypeElement(i)))));
            command.Add(new XElement(Command + "returnValues",
                help.Outputs.Select(o => new XElement(Command + "returnValue", TypeElement(o)))));
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
            command.Add(new XElement(Command + "relatedLinks",
                help.RelatedLinks.Select(l => new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", LinkText(l)),
                    new XElement(Maml + "uri", LinkUri(l))))));
            return command;
        }

        private static IEnumerable<string> ParameterSetNames(CmdletDeclaration cmdlet)
        {
            var sets = cmdlet.Parameters.SelectMany(p => p.Sets).Select(s => s.SetName)
                .Where(s => s != "__AllParameterSets").Distinct().ToList();
            return sets.Count == 0 ? new[] { "__AllParameterSets" } : (IEnumerable<string>)sets;
        }

        private static XElement ParameterElement(CmdletParameter p, HelpDocument help, ParameterSetInfo set)
        {
            var pipeline = set.ValueFromPipeline && set.ValueFromPipelineByPropertyName ? "True (ByValue, ByPropertyName)"
                : set.ValueFromPipeline ? "True (ByValue)" : set.ValueFromPipelineByPropertyName ? "True (ByPropertyName)" : "False";
            help.Parameters.TryGetValue(p.Name, out var text);
            return new XElement(Command + "parameter",
                new XAttribute("required", set.Mandatory ? "true" : "false"),
                new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"),
                new XAttribute("globbing", "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", set.Position == int.MinValue ? "named" : set.Position.ToString()),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(text ?? ""),
                p.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"),
                    new XAttribute("variableLength", "false"), FriendlyTypeName(p.Type)),
                new XElement(Dev + "type", new XElement(Maml + "name", FriendlyTypeName(p.Type)), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", "None"));
        }

        private static XElement TypeElement(string entry)
        {
            var idx = entry.IndexOf(": ", StringComparison.Ordinal);
            var name = idx < 0 ? entry : entry.Substring(0, idx);
            var text = idx < 0 ? "" : entry.Substring(idx + 2);
            return new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"),
                Description(text));
        }

        private static XElement Description(string text) => new XElement(Maml + "description", Paragraphs(text));

        private static IEnumerable<XElement> Paragraphs(string text)
            => text.Replace("\r\n", "\n").Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => new XElement(Maml + "para", p.Replace('\n', ' ').Trim()));

        private static string LinkText(string line)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"\[(?<t>[^\]]+)\]");
            return m.Success ? m.Groups["t"].Value : line.TrimStart('-', ' ');
        }

        private static string LinkUri(string line)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"\((?<u>https?://[^)]+)\)");
            return m.Success ? m.Groups["u"].Value : "";
        }

        public static string FriendlyTypeName(Type t)
        {
            if (t.IsArray) return FriendlyTypeName(t.GetElementType()!) + "[]";
            if (t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1")
                return FriendlyTypeName(t.GetGenericArguments()[0]);
            if (t.FullName == "System.Management.Automation.SwitchParameter") return "SwitchParameter";
            return t.Namespace == "System" ? t.Name : t.FullName ?? t.Name;
        }
    }
}
