using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FmsTools.BuildTools
{
    /// <summary>
    /// Brings docs/&lt;Cmdlet&gt;.md up to date with the cmdlet's metadata in platyPS's markdown schema 2.0.0: the front
    /// matter, the SYNTAX section (PowerShell's own syntax of every parameter set, as Get-Command -Syntax prints it), the
    /// yaml block of every parameter, the -WhatIf/-Confirm and CommonParameters sections, and the INPUTS/OUTPUTS
    /// headings. What people wrote (synopsis, description, examples, parameter descriptions, notes, the text under each
    /// input and output type) is kept line for line. fmsbuild docs runs it; a test fails while a doc is not up to date.
    /// </summary>
    public static class MarkdownHelpWriter
    {
        public const string SchemaVersion = "2.0.0";
        public const string ModuleName = "FmsTools";
        public const int SyntaxWidth = 110;

        public const string WhatIfDescription = "Shows what would happen if the cmdlet runs. The cmdlet is not run.";
        public const string ConfirmDescription = "Prompts you for confirmation before running the cmdlet.";

        public const string CommonParametersText =
            "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, "
            + "-OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. "
            + "For more information, see [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).";

        /// <summary>The sections in platyPS's order; other ## sections a doc has are kept after them.</summary>
        public static readonly string[] SectionOrder =
            { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        /// <summary>The placeholder written for a parameter the doc does not describe yet (the help tests refuse it).</summary>
        public static string Placeholder(string parameter) => "{{ Fill " + parameter + " Description }}";

        /// <summary>Returns the markdown with every generated part rewritten from <paramref name="command"/>.</summary>
        /// <param name="onlineVersion">The URL of this doc online, for Get-Help -Online.</param>
        /// <exception cref="InvalidOperationException">The doc describes a parameter, an input or an output type the cmdlet does not have: its text would be lost.</exception>
        public static string Update(string markdown, CommandHelpInfo command, string onlineVersion)
        {
            var file = MarkdownHelpFile.Parse(markdown);
            if (!string.Equals(file.Title, command.Name, StringComparison.Ordinal))
                throw new InvalidOperationException($"{command.Name}: the doc's title is '# {file.Title}'.");
            var problems = new List<string>();
            var output = new StringBuilder();

            output.Append("---\n");
            output.Append("external help file: ").Append(Program.MamlFileName).Append('\n');
            output.Append("Module Name: ").Append(ModuleName).Append('\n');
            output.Append("online version:").Append(onlineVersion.Length > 0 ? " " + onlineVersion : "").Append('\n');
            output.Append("schema: ").Append(SchemaVersion).Append('\n');
            foreach (var pair in file.FrontMatter.Where(p => !IsGeneratedKey(p.Key)))
                output.Append(pair.Key).Append(": ").Append(pair.Value).Append('\n');
            output.Append("---\n\n");
            output.Append("# ").Append(command.Name).Append("\n\n");

            var sections = SectionOrder.Select(t => file.Section(t) ?? new MarkdownSection { Title = t })
                .Concat(file.Sections.Where(s => !SectionOrder.Contains(s.Title.ToUpperInvariant())));
            foreach (var section in sections)
            {
                output.Append("## ").Append(section.Title.ToUpperInvariant()).Append('\n');
                var body = section.Title.ToUpperInvariant() switch
                {
                    "SYNTAX" => Syntax(command),
                    "PARAMETERS" => Parameters(command, section, problems),
                    "INPUTS" => TypeEntries(command.Name, "INPUTS", command.InputTypes.Select(ElementTypeName).Distinct().DefaultIfEmpty("None"), section, problems),
                    "OUTPUTS" => TypeEntries(command.Name, "OUTPUTS", command.OutputTypes.DefaultIfEmpty("System.Object"), section, problems),
                    "RELATED LINKS" => RelatedLinks(section),
                    _ => Kept(section.Lines),
                };
                output.Append(body);
                output.Append('\n');
            }
            if (problems.Count > 0)
                throw new InvalidOperationException(string.Join("\n", problems));
            return output.ToString().TrimEnd('\n') + "\n";
        }

        private static bool IsGeneratedKey(string key)
            => new[] { "external help file", "Module Name", "online version", "schema" }.Contains(key, StringComparer.OrdinalIgnoreCase);

        /// <summary>The lines of a section as written, without blank lines at the end.</summary>
        private static string Kept(IEnumerable<string> lines)
        {
            var list = lines.ToList();
            while (list.Count > 0 && list[list.Count - 1].Trim().Length == 0) list.RemoveAt(list.Count - 1);
            return list.Count == 0 ? "" : string.Join("\n", list) + "\n";
        }

        private static string Syntax(CommandHelpInfo command)
        {
            var text = new StringBuilder("\n");
            foreach (var set in command.ParameterSets)
            {
                text.Append("### ").Append(set.Name).Append(set.IsDefault ? " (Default)" : "").Append("\n\n");
                text.Append("```\n").Append(Wrap(command.SyntaxLine(set))).Append("\n```\n\n");
            }
            return text.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>Breaks a syntax line between parameters, as platyPS does: continuation lines start with a space.</summary>
        public static string Wrap(string syntax)
        {
            var chunks = System.Text.RegularExpressions.Regex.Split(syntax, @" (?=[\[-])");
            var lines = new List<string>();
            var current = new StringBuilder();
            foreach (var chunk in chunks)
            {
                if (current.Length > 0 && current.Length + 1 + chunk.Length > SyntaxWidth)
                {
                    lines.Add(current.ToString());
                    current.Clear().Append(' ');
                }
                else if (current.Length > 0) current.Append(' ');
                current.Append(chunk);
            }
            lines.Add(current.ToString());
            return string.Join("\n", lines);
        }

        /// <summary>Undoes <see cref="Wrap"/>: one syntax line per parameter set again.</summary>
        public static string Unwrap(string wrapped) => wrapped.Replace("\r\n", "\n").Replace("\n ", " ").Trim();

        private static string Parameters(CommandHelpInfo command, MarkdownSection section, List<string> problems)
        {
            var written = section.Subsections.Where(s => s.Title.StartsWith("-", StringComparison.Ordinal))
                .ToDictionary(s => s.Title.Substring(1).Trim(), s => HelpDocument.StripYaml(s.Text), StringComparer.OrdinalIgnoreCase);
            foreach (var name in written.Keys.Where(n => command.Parameter(n) == null))
                problems.Add($"{command.Name}: the doc describes -{name}, which the cmdlet does not have; remove or rename its section.");

            // The doc's order for what it describes; what it lacks after that, in Get-Command's order (-WhatIf, -Confirm last).
            var order = section.Subsections.Select(s => s.Title.StartsWith("-", StringComparison.Ordinal) ? command.Parameter(s.Title.Substring(1).Trim()) : null)
                .Where(p => p != null && !p.IsShouldProcessParameter).Select(p => p!).ToList();
            order.AddRange(command.Parameters.Where(p => !p.IsShouldProcessParameter && !order.Contains(p)));
            order.AddRange(command.Parameters.Where(p => p.IsShouldProcessParameter));

            var text = new StringBuilder();
            var preamble = Kept(section.Preamble.SkipWhile(l => l.Trim().Length == 0));
            text.Append('\n');
            if (preamble.Length > 0) text.Append(preamble).Append('\n');
            foreach (var p in order)
            {
                var description = written.TryGetValue(p.Name, out var d) && d.Length > 0 ? d
                    : p.Name == "WhatIf" ? WhatIfDescription : p.Name == "Confirm" ? ConfirmDescription : Placeholder(p.Name);
                text.Append("### -").Append(p.Name).Append('\n').Append(description).Append("\n\n");
                foreach (var block in YamlBlocks(command, p)) text.Append(block).Append("\n\n");
            }
            text.Append("### ").Append(HelpDocument.CommonParametersHeading).Append('\n').Append(CommonParametersText).Append("\n\n");
            return text.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>
        /// The parameter's metadata as platyPS writes it: one yaml block for the parameter sets that agree on it ("(All)"
        /// when that is every set), one more for each set where it is, say, mandatory while elsewhere it is not.
        /// </summary>
        public static IEnumerable<string> YamlBlocks(CommandHelpInfo command, CommandParameterHelp p)
        {
            var groups = new List<List<ParameterSetUse>>();
            foreach (var use in p.Sets)
            {
                var group = groups.FirstOrDefault(g => g[0].SameMetadataAs(use));
                if (group == null) groups.Add(new List<ParameterSetUse> { use });
                else group.Add(use);
            }
            foreach (var group in groups)
            {
                var sets = group.Count == command.ParameterSets.Count ? "(All)" : string.Join(", ", group.Select(u => u.SetName));
                var yaml = new StringBuilder("```yaml\n");
                yaml.Append("Type: ").Append(p.TypeName).Append('\n');
                yaml.Append("Parameter Sets: ").Append(sets).Append('\n');
                yaml.Append("Aliases:").Append(p.Aliases.Count == 0 ? "" : " " + string.Join(", ", p.Aliases)).Append('\n');
                if (p.AcceptedValues.Count > 0) yaml.Append("Accepted values: ").Append(string.Join(", ", p.AcceptedValues)).Append('\n');
                yaml.Append('\n');
                yaml.Append("Required: ").Append(group[0].Mandatory ? "True" : "False").Append('\n');
                yaml.Append("Position: ").Append(group[0].PositionText).Append('\n');
                yaml.Append("Default value: ").Append(p.DefaultValue).Append('\n');
                yaml.Append("Accept pipeline input: ").Append(group[0].PipelineInput).Append('\n');
                yaml.Append("Accept wildcard characters: ").Append(p.SupportsWildcards ? "True" : "False").Append('\n');
                yaml.Append("```");
                yield return yaml.ToString();
            }
        }

        /// <summary>An array parameter takes its elements from the pipeline: the input type is the element type.</summary>
        public static string ElementTypeName(string typeName) => typeName.EndsWith("[]", StringComparison.Ordinal) ? typeName.Substring(0, typeName.Length - 2) : typeName;

        private static string TypeEntries(string command, string title, IEnumerable<string> types, MarkdownSection section, List<string> problems)
        {
            var written = section.Subsections.ToDictionary(s => s.Title, s => Kept(s.Lines.SkipWhile(l => l.Trim().Length == 0)), StringComparer.OrdinalIgnoreCase);
            var list = types.ToList();
            foreach (var name in written.Keys.Where(n => !list.Contains(n, StringComparer.OrdinalIgnoreCase)))
                problems.Add($"{command}: {title} lists {name}, which the cmdlet's metadata does not give ({string.Join(", ", list)}); move its text.");
            var text = new StringBuilder("\n");
            foreach (var type in list)
            {
                text.Append("### ").Append(type).Append('\n');
                if (written.TryGetValue(type, out var description) && description.Length > 0) text.Append(description);
                text.Append('\n');
            }
            return text.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>platyPS reads RELATED LINKS as one [text](uri) link per paragraph.</summary>
        private static string RelatedLinks(MarkdownSection section)
        {
            var links = HelpDocument.ParseLinks(section.Text).ToList();
            if (links.Count == 0) return "";
            return "\n" + string.Join("\n\n", links.Select(l => l.Uri.Length > 0 ? $"[{l.Text}]({l.Uri})" : l.Text)) + "\n";
        }
    }
}
