using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FmsTools.BuildTools
{
    /// <summary>One example of a cmdlet's help: a title, the code and what it does.</summary>
    public sealed class HelpExample
    {
        public string Title { get; set; } = "";
        public string Code { get; set; } = "";
        public string Remarks { get; set; } = "";
    }

    /// <summary>An INPUTS or OUTPUTS entry: the type (### heading) and what the help says of it.</summary>
    public sealed class HelpTypeEntry
    {
        public string TypeName { get; set; } = "";
        public string Description { get; set; } = "";
    }

    /// <summary>A RELATED LINKS entry: [Text](Uri).</summary>
    public sealed class HelpLink
    {
        public string Text { get; set; } = "";
        public string Uri { get; set; } = "";
    }

    /// <summary>
    /// A cmdlet's help as written in docs/&lt;Verb-Noun&gt;.md in platyPS's markdown schema 2.0.0: YAML front matter,
    /// # Name, then SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES (### Example N), PARAMETERS (### -Name, its description and
    /// a yaml block of metadata; ### CommonParameters), INPUTS, OUTPUTS, NOTES, RELATED LINKS. The build compiles the prose
    /// into MAML; SYNTAX and the yaml blocks are generated from the cmdlets' metadata (MarkdownHelpWriter) and the MAML
    /// takes that metadata from the assembly itself, so they are not read here.
    /// </summary>
    public sealed class HelpDocument
    {
        public const string CommonParametersHeading = "CommonParameters";

        /// <summary>The front matter's key: value pairs (external help file, Module Name, online version, schema).</summary>
        public Dictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Name { get; set; } = "";
        public string Synopsis { get; set; } = "";
        public string Description { get; set; } = "";
        public List<HelpExample> Examples { get; } = new List<HelpExample>();

        /// <summary>Parameter name (without the dash) → its description, for every ### -Name under PARAMETERS.</summary>
        public Dictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The parameters in the order the help lists them.</summary>
        public List<string> ParameterOrder { get; } = new List<string>();

        public List<HelpTypeEntry> Inputs { get; } = new List<HelpTypeEntry>();
        public List<HelpTypeEntry> Outputs { get; } = new List<HelpTypeEntry>();
        public string Notes { get; set; } = "";
        public List<HelpLink> RelatedLinks { get; } = new List<HelpLink>();

        /// <summary>The front matter's online version: the page Get-Help -Online opens.</summary>
        public string OnlineVersion => Metadata.TryGetValue("online version", out var v) ? v : "";

        public static HelpDocument Load(string path) => Parse(File.ReadAllText(path));

        public static HelpDocument Parse(string markdown)
        {
            var doc = new HelpDocument();
            var md = MarkdownHelpFile.Parse(markdown);
            foreach (var pair in md.FrontMatter) doc.Metadata[pair.Key] = pair.Value;
            doc.Name = md.Title;
            foreach (var section in md.Sections)
            {
                switch (section.Title.ToUpperInvariant())
                {
                    case "SYNOPSIS": doc.Synopsis = section.Text; break;
                    case "DESCRIPTION": doc.Description = section.Text; break;
                    case "NOTES": doc.Notes = section.Text; break;
                    case "EXAMPLES":
                        foreach (var sub in section.Subsections) doc.Examples.Add(ParseExample(sub.Title, sub.Text));
                        break;
                    case "PARAMETERS":
                        foreach (var sub in section.Subsections.Where(s => s.Title.StartsWith("-", StringComparison.Ordinal)))
                        {
                            var name = sub.Title.Substring(1).Trim();
                            doc.Parameters[name] = StripYaml(sub.Text);
                            doc.ParameterOrder.Add(name);
                        }
                        break;
                    case "INPUTS":
                        doc.Inputs.AddRange(section.Subsections.Select(s => new HelpTypeEntry { TypeName = s.Title, Description = s.Text }));
                        break;
                    case "OUTPUTS":
                        doc.Outputs.AddRange(section.Subsections.Select(s => new HelpTypeEntry { TypeName = s.Title, Description = s.Text }));
                        break;
                    case "RELATED LINKS":
                        doc.RelatedLinks.AddRange(ParseLinks(section.Text));
                        break;
                }
            }
            return doc;
        }

        private static HelpExample ParseExample(string title, string text)
        {
            var match = Regex.Match(text, "```[a-zA-Z]*\\n(?<code>.*?)\\n```", RegexOptions.Singleline);
            var code = match.Success ? match.Groups["code"].Value.Trim() : "";
            var remarks = match.Success ? text.Remove(match.Index, match.Length).Trim() : text;
            return new HelpExample { Title = title, Code = code, Remarks = remarks };
        }

        internal static IEnumerable<HelpLink> ParseLinks(string text)
        {
            foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                var m = Regex.Match(line, @"\[(?<t>[^\]]+)\]\((?<u>[^)]*)\)");
                yield return m.Success
                    ? new HelpLink { Text = m.Groups["t"].Value, Uri = m.Groups["u"].Value }
                    : new HelpLink { Text = line.TrimStart('-', '*', ' ') };
            }
        }

        /// <summary>The description of a parameter: its section without the yaml blocks of metadata.</summary>
        public static string StripYaml(string text)
            => Regex.Replace(text, "```yaml\\n.*?\\n```", "", RegexOptions.Singleline).Trim();
    }

    /// <summary>A ## section or ### subsection of a markdown help file: its heading and its lines.</summary>
    public sealed class MarkdownSection
    {
        public string Title { get; set; } = "";

        /// <summary>The lines after the heading, up to the next heading of the same or a higher level.</summary>
        public List<string> Lines { get; } = new List<string>();

        /// <summary>The ### subsections (for a ## section); lines before the first one are in <see cref="Preamble"/>.</summary>
        public List<MarkdownSection> Subsections { get; } = new List<MarkdownSection>();

        public List<string> Preamble { get; } = new List<string>();

        public string Text => string.Join("\n", Lines).Trim();
    }

    /// <summary>
    /// The block structure of a markdown help file: front matter, the # title, and ## sections with their ###
    /// subsections. Headings inside fenced code blocks are code, not structure.
    /// </summary>
    public sealed class MarkdownHelpFile
    {
        public List<KeyValuePair<string, string>> FrontMatter { get; } = new List<KeyValuePair<string, string>>();
        public string Title { get; set; } = "";
        public List<MarkdownSection> Sections { get; } = new List<MarkdownSection>();

        public MarkdownSection? Section(string title) => Sections.FirstOrDefault(s => s.Title.Equals(title, StringComparison.OrdinalIgnoreCase));

        public static MarkdownHelpFile Parse(string markdown)
        {
            var file = new MarkdownHelpFile();
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            var i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++)
                {
                    var colon = lines[i].IndexOf(':');
                    if (colon > 0) file.FrontMatter.Add(new KeyValuePair<string, string>(lines[i].Substring(0, colon).Trim(), lines[i].Substring(colon + 1).Trim()));
                }
                i++;
            }
            MarkdownSection? section = null;
            MarkdownSection? sub = null;
            var inFence = false;
            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && file.Title.Length == 0 && section == null)
                {
                    file.Title = line.Substring(2).Trim();
                    continue;
                }
                if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = new MarkdownSection { Title = line.Substring(3).Trim() };
                    file.Sections.Add(section);
                    sub = null;
                    continue;
                }
                if (!inFence && section != null && line.StartsWith("### ", StringComparison.Ordinal))
                {
                    sub = new MarkdownSection { Title = line.Substring(4).Trim() };
                    section.Subsections.Add(sub);
                    section.Lines.Add(line);
                    continue;
                }
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
                if (section == null) continue;
                section.Lines.Add(line);
                if (sub != null) sub.Lines.Add(line);
                else section.Preamble.Add(line);
            }
            return file;
        }
    }
}
