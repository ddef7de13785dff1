using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FmsTools.BuildTools
{
    /// <summary>
    /// fmsbuild layout --publish DIR --out DIR [--repo DIR]: lays out the importable module at
    /// &lt;out&gt;/FmsTools/&lt;version&gt;/ (manifest stamped with the version, FmsTools.psm1 and FmsTools.Loader.dll,
    /// Format/Types ps1xml, MAML help and about topics; the assemblies under Dependencies/). fmsbuild version prints the product version.
    /// fmsbuild docs [--assembly FmsTools.dll] [--check]: rewrites the generated parts of docs/&lt;Cmdlet&gt;.md (front matter,
    /// SYNTAX, the parameters' yaml blocks, -WhatIf/-Confirm and CommonParameters, INPUTS/OUTPUTS headings) from the built
    /// assembly; with --check it only lists the docs that are out of date and exits 1 when there are any.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if (args.Length == 0) return Usage();
                var options = ParseOptions(args.Skip(1));
                var repo = options.TryGetValue("repo", out var r) ? r : FindRepoRoot(Directory.GetCurrentDirectory());
                switch (args[0])
                {
                    case "version":
                        Console.WriteLine(ReadVersion(repo));
                        return 0;
                    case "layout":
                        var dest = Layout(repo, Require(options, "publish"), Require(options, "out"),
                            options.TryGetValue("version", out var v) ? v : null);
                        // ReadyToRun images for PowerShell 7 (build.ps1 publishes build/FmsTools.ReadyToRun per rid).
                        if (options.TryGetValue("readytorun", out var readyToRun))
                            foreach (var image in ReadyToRunLayout.Copy(readyToRun, Path.Combine(dest, DependenciesFolder)))
                                Console.WriteLine("ReadyToRun: " + image);
                        // The module folder is the last line (build.ps1 reads it).
                        Console.WriteLine(dest);
                        return 0;
                    case "docs":
                        return Docs(repo, options);
                    default:
                        return Usage();
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidOperationException || e is ArgumentException || e is FormatException)
            {
                Console.Error.WriteLine("fmsbuild: " + e.Message);
                return 1;
            }
        }

        private static int Usage()
        {
            Console.Error.WriteLine("usage: fmsbuild version | layout --publish <dir> --out <dir> [--repo <dir>] [--version <x.y.z>] [--readytorun <dir>]"
                                    + " | docs [--assembly <FmsTools.dll>] [--configuration Release|Debug] [--check] [--repo <dir>]");
            return 2;
        }

        /// <summary>Where the module's isolated assemblies live, relative to the module folder.</summary>
        public const string DependenciesFolder = "Dependencies";

        /// <summary>
        /// Lays out the module: the manifest, FmsTools.psm1 (the root module), FmsTools.Loader.dll, the ps1xml files
        /// and en-US help at the top; FmsTools.dll and everything it depends on under Dependencies/, where PowerShell
        /// 7's default load context never looks, so FmsTools.Loader can load them into the module's own context.
        /// </summary>
        /// <param name="version">The version to stamp instead of Directory.Build.props' (build.ps1 -Version).</param>
        public static string Layout(string repo, string publishDir, string outDir, string? version = null)
        {
            version ??= ReadVersion(repo);
            var dest = Path.Combine(Path.GetFullPath(outDir), "FmsTools", version);
            if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true);
            Directory.CreateDirectory(dest);
            var dependencies = Path.Combine(dest, DependenciesFolder);
            Directory.CreateDirectory(dependencies);

            // Assemblies: everything the publish produced, except the compile-time PowerShell stubs.
            foreach (var file in Directory.GetFiles(publishDir))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith("System.Management.Automation", StringComparison.OrdinalIgnoreCase)) continue;
                if (name.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)) continue;
                if (name.EndsWith(".ps1xml", StringComparison.OrdinalIgnoreCase)) continue;
                if (!(name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)
                      || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                    continue;
                File.Copy(file, Path.Combine(dependencies, name), overwrite: true);
            }
            foreach (var sub in Directory.GetDirectories(publishDir))
            {
                // Data files shipped with the module (e.g. price tables) keep their folders, next to the assembly that reads them.
                var name = Path.GetFileName(sub);
                if (name == "runtimes" || name == "ref") continue;
                CopyDirectory(sub, Path.Combine(dependencies, name));
            }
            foreach (var ps1xml in Directory.GetFiles(Path.Combine(repo, "src", "FmsTools", "Format"), "*.ps1xml"))
                File.Copy(ps1xml, Path.Combine(dest, Path.GetFileName(ps1xml)), overwrite: true);
            // Script modules the manifest loads as NestedModules (the Pester integration).
            var scripts = Path.Combine(repo, "src", "FmsTools", "Pester");
            if (Directory.Exists(scripts))
                foreach (var psm1 in Directory.GetFiles(scripts, "*.psm1"))
                    File.Copy(psm1, Path.Combine(dest, Path.GetFileName(psm1)), overwrite: true);

            // The PowerShell 7 loader travels with fmsbuild (a project reference), so it is built with the same sources.
            var loader = Path.Combine(AppContext.BaseDirectory, "FmsTools.Loader.dll");
            if (!File.Exists(loader)) throw new InvalidOperationException($"FmsTools.Loader.dll is missing next to fmsbuild ({loader}); rebuild build/FmsTools.BuildTools.");
            File.Copy(loader, Path.Combine(dest, "FmsTools.Loader.dll"), overwrite: true);
            File.Copy(Path.Combine(repo, "src", "FmsTools.Loader", "FmsTools.psm1"), Path.Combine(dest, "FmsTools.psm1"), overwrite: true);

            var manifest = File.ReadAllText(Path.Combine(repo, "FmsTools.psd1"));
            manifest = StampVersion(manifest, version);
            File.WriteAllText(Path.Combine(dest, "FmsTools.psd1"), manifest);

            var help = Path.Combine(dest, "en-US");
            Directory.CreateDirectory(help);
            CompileHelp(repo, Path.Combine(dependencies, "FmsTools.dll"), help);
            // Get-Help looks for a cmdlet's MAML in its module's base; the cmdlets' (nested, binary) module is
            // FmsTools.dll in Dependencies/, the about topics belong to the module folder. Both get the MAML.
            var dependencyHelp = Path.Combine(dependencies, "en-US");
            Directory.CreateDirectory(dependencyHelp);
            File.Copy(Path.Combine(help, MamlFileName), Path.Combine(dependencyHelp, MamlFileName), overwrite: true);
            foreach (var license in new[] { "LICENSE", "README.md" })
                if (File.Exists(Path.Combine(repo, license)))
                    File.Copy(Path.Combine(repo, license), Path.Combine(dest, license), overwrite: true);
            return dest;
        }

        public const string MamlFileName = "FmsTools.dll-Help.xml";

        /// <summary>docs/&lt;Verb-Noun&gt;.md → FmsTools.dll-Help.xml; docs/about_*.md → about_*.help.txt.</summary>
        public static void CompileHelp(string repo, string moduleAssembly, string helpDir)
        {
            var docs = Path.Combine(repo, "docs");
            var items = new List<(CommandHelpInfo, HelpDocument)>();
            foreach (var cmdlet in CommandMetadataReader.Read(moduleAssembly))
            {
                var path = Path.Combine(docs, cmdlet.Name + ".md");
                if (!File.Exists(path))
                    throw new InvalidOperationException($"{cmdlet.Name} has no help: expected {path} (fmsbuild docs writes a skeleton).");
                items.Add((cmdlet, HelpDocument.Load(path)));
            }
            MamlWriter.Write(items).Save(Path.Combine(helpDir, MamlFileName));
            if (Directory.Exists(docs))
            {
                foreach (var about in Directory.GetFiles(docs, "about_*.md"))
                {
                    var text = File.ReadAllText(about);
                    File.WriteAllText(Path.Combine(helpDir, Path.GetFileNameWithoutExtension(about) + ".help.txt"), AboutTopic.ToText(text));
                }
            }
        }

        /// <summary>A doc as it is and as the cmdlet's metadata says it should be.</summary>
        public sealed class DocUpdate
        {
            public string Path { get; set; } = "";
            public string Current { get; set; } = "";
            public string Updated { get; set; } = "";
            public bool IsStale => !string.Equals(Current.Replace("\r\n", "\n"), Updated, StringComparison.Ordinal);
        }

        /// <summary>
        /// What fmsbuild docs would write for every cmdlet of <paramref name="moduleAssembly"/>: docs/&lt;Cmdlet&gt;.md with its
        /// generated parts from the metadata (a skeleton with placeholders for a cmdlet that has no doc yet).
        /// </summary>
        public static IReadOnlyList<DocUpdate> PlanDocs(string repo, string moduleAssembly)
        {
            var projectUri = ProjectUri(repo);
            var result = new List<DocUpdate>();
            foreach (var cmdlet in CommandMetadataReader.Read(moduleAssembly))
            {
                var path = Path.Combine(repo, "docs", cmdlet.Name + ".md");
                var current = File.Exists(path) ? File.ReadAllText(path) : "";
                var source = current.Length > 0 ? current : Skeleton(cmdlet.Name);
                var online = projectUri.Length == 0 ? "" : projectUri.TrimEnd('/') + "/blob/main/docs/" + cmdlet.Name + ".md";
                result.Add(new DocUpdate { Path = path, Current = current, Updated = MarkdownHelpWriter.Update(source, cmdlet, online) });
            }
            return result;
        }

        private static string Skeleton(string name)
            => $"# {name}\n\n## SYNOPSIS\n{{{{ Fill in the Synopsis }}}}\n\n## DESCRIPTION\n{{{{ Fill in the Description }}}}\n\n"
               + "## EXAMPLES\n\n### Example 1\n```powershell\nPS> {{ Add example code here }}\n```\n{{ Add example description here }}\n";

        /// <summary>The manifest's PrivateData.PSData.ProjectUri: the docs' online versions live under it.</summary>
        public static string ProjectUri(string repo)
        {
            var manifest = File.ReadAllText(Path.Combine(repo, "FmsTools.psd1"));
            var m = Regex.Match(manifest, @"(?m)^\s*ProjectUri\s*=\s*'(?<u>[^']+)'");
            return m.Success ? m.Groups["u"].Value : "";
        }

        private static int Docs(string repo, Dictionary<string, string> options)
        {
            var configuration = options.TryGetValue("configuration", out var c) && c.Length > 0 ? c : "Release";
            var assembly = options.TryGetValue("assembly", out var a) && a.Length > 0 ? a
                : Path.Combine(repo, "src", "FmsTools", "bin", configuration, "netstandard2.0", "FmsTools.dll");
            var stale = PlanDocs(repo, assembly).Where(d => d.IsStale).ToList();
            if (options.ContainsKey("check"))
            {
                foreach (var d in stale) Console.WriteLine("out of date: " + d.Path);
                if (stale.Count > 0) Console.Error.WriteLine($"fmsbuild: {stale.Count} doc(s) differ from the cmdlets' metadata; run 'fmsbuild docs' to update them.");
                return stale.Count == 0 ? 0 : 1;
            }
            foreach (var d in stale)
            {
                File.WriteAllText(d.Path, d.Updated);
                Console.WriteLine("updated: " + d.Path);
            }
            return 0;
        }

        public static string ReadVersion(string repo)
        {
            var props = File.ReadAllText(Path.Combine(repo, "Directory.Build.props"));
            var m = Regex.Match(props, "<FmsToolsVersion>(?<v>[^<]+)</FmsToolsVersion>");
            if (!m.Success) throw new FormatException("Directory.Build.props has no <FmsToolsVersion>.");
            return m.Groups["v"].Value.Trim();
        }

        public static string StampVersion(string manifest, string version)
        {
            var stamped = Regex.Replace(manifest, @"(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "${1}'" + version + "'");
            if (stamped == manifest && !manifest.Contains("'" + version + "'"))
                throw new FormatException("FmsTools.psd1 has no ModuleVersion line to stamp.");
            return stamped;
        }

        public static string FindRepoRoot(string start)
        {
            var dir = new DirectoryInfo(start);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FmsTools.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run inside the FmsTools repository or pass --repo.");
        }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
            foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
        }

        private static Dictionary<string, string> ParseOptions(IEnumerable<string> args)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? key = null;
            foreach (var a in args)
            {
                if (a.StartsWith("--", StringComparison.Ordinal)) { key = a.Substring(2); result[key] = ""; }
                else if (key != null) { result[key] = a; key = null; }
                else throw new ArgumentException($"unexpected argument '{a}'");
            }
            return result;
        }

        private static string Require(Dictionary<string, string> options, string name)
            => options.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");
    }

    /// <summary>
    /// about_ topics are plain text in PowerShell: "TOPIC" and the topic name first, upper-case section titles,
    /// text indented four spaces and wrapped within 80 columns, code indented eight, no markdown markup.
    /// </summary>
    public static class AboutTopic
    {
        public const int Width = 80;

        public static string ToText(string markdown)
        {
            var output = new List<string>();
            var inCode = false;
            foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = !inCode;
                    AddBlank(output);
                    continue;
                }
                if (inCode)
                {
                    output.Add(line.Length == 0 ? "" : "        " + line);
                    continue;
                }
                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    output.Add("TOPIC");
                    output.Add("    " + line.Substring(2).Trim());
                    continue;
                }
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    AddBlank(output);
                    output.Add(line.Substring(3).Trim().ToUpperInvariant());
                    continue;
                }
                if (line.Length == 0)
                {
                    AddBlank(output);
                    continue;
                }
                // List items keep their marker; their continuation lines line up with the item's text.
                var text = Plain(line.Trim());
                var hanging = 0;
                var marker = System.Text.RegularExpressions.Regex.Match(text, @"^(- |[0-9]+\. )");
                if (marker.Success) hanging = marker.Length;
                var continuation = line.Length - line.TrimStart().Length;
                var indent = 4 + (continuation > 0 && !marker.Success ? Math.Min(continuation, 6) : 0);
                output.AddRange(Wrap(text, indent, hanging));
            }
            while (output.Count > 0 && output[output.Count - 1].Length == 0) output.RemoveAt(output.Count - 1);
            return string.Join(Environment.NewLine, output) + Environment.NewLine;
        }

        private static void AddBlank(List<string> output)
        {
            if (output.Count > 0 && output[output.Count - 1].Length != 0) output.Add("");
        }

        // Markdown emphasis and inline code have no meaning in a plain-text topic.
        private static string Plain(string text) => text.Replace("**", "").Replace("`", "");

        private static IEnumerable<string> Wrap(string text, int indent, int hanging)
        {
            var lines = new List<string>();
            var current = new System.Text.StringBuilder(new string(' ', indent));
            var lineStart = true;
            foreach (var word in text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!lineStart && current.Length + 1 + word.Length > Width)
                {
                    lines.Add(current.ToString());
                    current = new System.Text.StringBuilder(new string(' ', indent + hanging));
                    lineStart = true;
                }
                if (!lineStart) current.Append(' ');
                current.Append(word);
                lineStart = false;
            }
            if (!lineStart) lines.Add(current.ToString());
            return lines;
        }
    }
}
