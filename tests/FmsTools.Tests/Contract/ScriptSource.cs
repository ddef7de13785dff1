using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace FmsTools.Tests.Contract
{
    /// <summary>A script, or a code block of a markdown file, to check.</summary>
    public sealed class ScriptSource
    {
        public ScriptSource(string path, string text, int firstLine, bool mustRunOnWindowsPowerShell)
        {
            Path = path;
            Text = text;
            FirstLine = firstLine;
            MustRunOnWindowsPowerShell = mustRunOnWindowsPowerShell;
        }

        /// <summary>The path shown in findings, relative to the repository.</summary>
        public string Path { get; }

        public string Text { get; }

        /// <summary>The line of the file on which <see cref="Text"/> starts (a code block's first line).</summary>
        public int FirstLine { get; }

        public bool MustRunOnWindowsPowerShell { get; }

        public bool IsMarkdown => Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);

        /// <summary>The folder of the path: scripts of one folder see each other's functions (tests dot-source Common.ps1).</summary>
        public string Folder
        {
            get
            {
                var slash = Path.Replace('\\', '/').LastIndexOf('/');
                return slash < 0 ? "" : Path.Substring(0, slash);
            }
        }

        private static readonly Regex Prompt = new Regex(@"^PS( [^>]*)?> ?", RegexOptions.CultureInvariant);
        private static readonly Regex Continuation = new Regex(@"^>> ?", RegexOptions.CultureInvariant);

        /// <summary>
        /// A block written as a session: commands after PS&gt; prompts, and what they print. A command goes on over the
        /// next lines (with or without a &gt;&gt; prompt) for as long as PowerShell's parser says its input is incomplete,
        /// as the console decides when to prompt for more; every other line is output, and stays as an empty line so that
        /// line numbers hold.
        /// </summary>
        private static IEnumerable<string> SessionCode(List<string> block)
        {
            for (var i = 0; i < block.Count;)
            {
                var prompt = Prompt.Match(block[i]);
                if (!prompt.Success)
                {
                    yield return "";
                    i++;
                    continue;
                }
                var command = new List<string> { block[i].Substring(prompt.Length) };
                for (i++; i < block.Count && !Prompt.IsMatch(block[i]) && (Continuation.IsMatch(block[i]) || IsIncomplete(command)); i++)
                    command.Add(Continuation.Replace(block[i], ""));
                foreach (var line in command) yield return line;
            }
        }

        private static bool IsIncomplete(List<string> lines)
        {
            System.Management.Automation.Language.Parser.ParseInput(string.Join("\n", lines), out _, out var errors);
            return errors.Any(e => e.IncompleteInput);
        }

        /// <summary>
        /// The ```powershell code blocks of a markdown file, with PS&gt; and &gt;&gt; prompts removed, and in a block
        /// written as a session (<see cref="SessionCode"/>) the output lines blanked. About topics
        /// (about_*.md) are compiled to plain-text help, so their code blocks carry no language: all of them count.
        /// </summary>
        public static IEnumerable<ScriptSource> MarkdownBlocks(string displayPath, string markdown)
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n');
            var bareFencesArePowerShell = System.IO.Path.GetFileName(displayPath).StartsWith("about_", StringComparison.OrdinalIgnoreCase);
            for (var i = 0; i < lines.Length; i++)
            {
                var fence = Regex.Match(lines[i], @"^\s*```\s*(?<lang>[\w+-]*)\s*$");
                if (!fence.Success) continue;
                var language = fence.Groups["lang"].Value;
                var isPowerShell = Regex.IsMatch(language, @"^(powershell|pwsh|ps1|ps|posh)$", RegexOptions.IgnoreCase)
                                   || (language.Length == 0 && bareFencesArePowerShell);
                if (!isPowerShell)
                {
                    // Skip the block, so its closing fence is not taken for an opening one.
                    for (i++; i < lines.Length && !Regex.IsMatch(lines[i], @"^\s*```\s*$"); i++) { }
                    continue;
                }
                var body = new StringBuilder();
                var first = i + 2;
                var block = new List<string>();
                for (i++; i < lines.Length && !Regex.IsMatch(lines[i], @"^\s*```\s*$"); i++) block.Add(lines[i]);
                foreach (var line in block.Any(l => Prompt.IsMatch(l)) ? SessionCode(block) : block) body.Append(line).Append('\n');
                yield return new ScriptSource(displayPath, body.ToString(), first, mustRunOnWindowsPowerShell: true);
            }
        }

        /// <summary>Does a script declare that it needs PowerShell 6 or later (#Requires -Version 6+ or -PSEdition Core)?</summary>
        public static bool RequiresPowerShell7(string text)
        {
            var version = Regex.Match(text, @"^#requires\s+-version\s+(\d+)", RegexOptions.IgnoreCase | RegexOptions.Multiline);
            if (version.Success && int.Parse(version.Groups[1].Value) >= 6) return true;
            return Regex.IsMatch(text, @"^#requires\s+-PSEdition\s+Core", RegexOptions.IgnoreCase | RegexOptions.Multiline);
        }

        /// <summary>Windows PowerShell 5.1 reads a script without a byte order mark as the ANSI code page: non-ASCII text breaks.</summary>
        public static ContractViolation? CheckEncoding(string displayPath, byte[] bytes)
        {
            var hasBom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            if (hasBom) return null;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] < 0x80) continue;
                var line = 1 + bytes.Take(i).Count(b => b == (byte)'\n');
                return new ContractViolation("Compat51.Encoding", $"{displayPath}:{line}",
                    "Non-ASCII text in a script without a UTF-8 byte order mark: Windows PowerShell 5.1 reads it as ANSI (an em dash becomes a closing quote). Use ASCII or save with a BOM.");
            }
            return null;
        }
    }

    /// <summary>A broken rule on a line of one script or code block (the line counted from the block's start).</summary>
    public sealed record ScriptFinding(string Rule, int Line, string Detail);
}
