using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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

    /// <summary>
    /// A cmdlet's help as written in docs/&lt;Verb-Noun&gt;.md (platyPS-style headings: SYNOPSIS,
    /// DESCRIPTION, EXAMPLES with ### Example N, PARAMETERS with ### -Name, INPUTS, OUTPUTS, NOTES,
    /// RELATED LINKS). The build compiles it into MAML; the contract tests check its coverage.
    /// </summary>
    public sealed class HelpDocument
    {
        public string Name { get; set; } = "";
        public string Synopsis { get; set; } = "";
        public string Description { get; set; } = "";
        public List<HelpExample> Examples { get; } = new List<HelpExample>();
        public Dictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public List<string> Inputs { get; } = new List<string>();
        public List<string> Outputs { get; } = new List<string>();
        public string Notes { get; set; } = "";
        public List<string> RelatedLinks { get; } = new List<string>();

        public static HelpDocument Load(string path) => Parse(File.ReadAllText(path));

        public static HelpDocument Parse(string markdown)
        {
            var doc = new HelpDocument();
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            var i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                // front matter
                i = 1;
                while (i < lines.Length && lines[i].Trim() != "---") i++;
                i++;
            }
            string? section = null;
            string? sub = null;
            var buffer = new List<string>();

            void Flush()
            {
                var text = string.Join("\n", buffer).Trim();
                buffer.Clear();
                if (section == null) return;
                switch (section)
                {
                    case "SYNOPSIS": doc.Synopsis = text; break;
                    case "DESCRIPTION": doc.Description = text; break;
                    case "NOTES": doc.Notes = text; break;
                    case "EXAMPLES":
                        if (sub != null) doc.Examples.Add(ParseExample(sub, text));
                        break;
                    case "PARAMETERS":
                        if (sub != null) doc.Parameters[sub.TrimStart('-')] = StripYaml(text);
                        break;
                    case "INPUTS":
                        if (sub != null) doc.Inputs.Add(sub + (text.Length > 0 ? ": " + text : ""));
                        break;
                    case "OUTPUTS":
                        if (sub != null) doc.Outputs.Add(sub + (text.Length > 0 ? ": " + text : ""));
                        break;
                    case "RELATED LINKS":
                        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                            doc.RelatedLinks.Add(line);
                        break;
                }
            }

            var inFence = false;
            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
                if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && doc.Name.Length == 0)
                {
                    doc.Name = line.Substring(2).Trim();
                    continue;
                }
                if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
                {
                    Flush();
                    section = line.Substring(3).Trim().ToUpperInvariant();
                    sub = null;
                    continue;
                }
                if (!inFence && line.StartsWith("### ", StringComparison.Ordinal))
                {
                    Flush();
                    sub = line.Substring(4).Trim();
                    continue;
                }
                buffer.Add(line);
            }
            Flush();
            return doc;
        }

        private static HelpExample ParseExample(string title, string text)
        {
            var match = Regex.Match(text, "```[a-zA-Z]*\\n(?<code>.*?)\\n```", RegexOptions.Singleline);
            var code = match.Success ? match.Groups["code"].Value.Trim() : "";
            var remarks = match.Success ? text.Remove(match.Index, match.Length).Trim() : text;
            return new HelpExample { Title = title, Code = code, Remarks = remarks };
        }

        // platyPS puts a yaml block with the parameter's metadata under each parameter; the build knows
        // that metadata from the assembly, so only the prose is kept.
        private static string StripYaml(string text)
            => Regex.Replace(text, "```yaml\\n.*?\\n```", "", RegexOptions.Singleline).Trim();
    }
}
