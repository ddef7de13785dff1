using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using FmsTools.BuildTools;

namespace FmsTools.Tests.Contract
{
    /// <summary>A parameter as a caller can write it: its name, aliases and the parameter sets it belongs to.</summary>
    public sealed class SurfaceParameter
    {
        public SurfaceParameter(string name, IEnumerable<string>? aliases = null, IEnumerable<string>? sets = null)
        {
            Name = name;
            Aliases = (aliases ?? Enumerable.Empty<string>()).ToList();
            Sets = sets?.ToList();
        }

        public string Name { get; }
        public List<string> Aliases { get; }

        /// <summary>The named sets the parameter belongs to; null when it belongs to all of them.</summary>
        public List<string>? Sets { get; }

        /// <summary>A switch: -Name or -Name:$false, never -Name $false (that $false goes to another parameter).</summary>
        public bool IsSwitch { get; set; }
    }

    /// <summary>What a command accepts: its parameters, and whether the common parameters and -WhatIf/-Confirm apply.</summary>
    public sealed class CommandSurface
    {
        public CommandSurface(string name)
        {
            Name = name;
        }

        public string Name { get; }
        public List<SurfaceParameter> Parameters { get; } = new List<SurfaceParameter>();
        public bool CommonParameters { get; set; } = true;
        public bool SupportsShouldProcess { get; set; }

        /// <summary>Parameters that choose the set and of which exactly one is required (Should's operators).</summary>
        public HashSet<string> Selectors { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The cmdlet's declaration, for pipeline binding checks (null for functions and Should).</summary>
        public CmdletDeclaration? Cmdlet { get; private set; }

        public static CommandSurface FromCmdlet(CmdletDeclaration cmdlet)
        {
            var surface = new CommandSurface(cmdlet.Name) { SupportsShouldProcess = cmdlet.SupportsShouldProcess, Cmdlet = cmdlet };
            foreach (var p in cmdlet.Parameters)
            {
                var sets = p.Sets.Select(s => s.SetName).ToList();
                surface.Parameters.Add(new SurfaceParameter(p.Name, p.Aliases, sets.Count == 0 || sets.Contains("__AllParameterSets") ? null : sets) { IsSwitch = p.IsSwitch });
            }
            return surface;
        }
    }

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
    }

    /// <summary>
    /// Static checks of the PowerShell that users and CI run but this machine cannot: every Verb-Fms* command named in
    /// a script or a documentation code block exists in the module; every -Parameter written after it is one of its
    /// parameters, an alias or a common parameter (an unambiguous prefix is legal but reported as a style error); the
    /// parameters of one call share a parameter set; @splatted hashtables hold only real parameters; Pester's Should
    /// is called with exactly one known operator (including the module's own -BeFmsCompliant) and that operator's
    /// parameters; and scripts that Windows PowerShell 5.1 runs use no PowerShell 7 syntax, commands or parameters.
    /// </summary>
    public static class ScriptContract
    {
        public static readonly string[] CommonParameterNames =
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable",
            "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction",
        };

        private static readonly Dictionary<string, string> CommonAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["vb"] = "Verbose", ["db"] = "Debug", ["ea"] = "ErrorAction", ["wa"] = "WarningAction", ["infa"] = "InformationAction",
            ["ev"] = "ErrorVariable", ["wv"] = "WarningVariable", ["iv"] = "InformationVariable", ["ov"] = "OutVariable",
            ["ob"] = "OutBuffer", ["pv"] = "PipelineVariable", ["proga"] = "ProgressAction", ["wi"] = "WhatIf", ["cf"] = "Confirm",
        };

        private static readonly Regex ModuleCommandName = new Regex(@"^[A-Za-z]+-Fms[A-Za-z0-9]*$", RegexOptions.CultureInvariant);

        /// <summary>Commands that Windows PowerShell 5.1 does not have.</summary>
        private static readonly Dictionary<string, string> CommandsNotIn51 = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Get-Error"] = "7.0", ["Test-Json"] = "6.1", ["Join-String"] = "6.2", ["ConvertFrom-Markdown"] = "6.1", ["Show-Markdown"] = "6.1",
            ["Get-Uptime"] = "6.0", ["Remove-Service"] = "6.0", ["Remove-Alias"] = "6.0", ["Get-ExperimentalFeature"] = "6.2",
            ["Enable-ExperimentalFeature"] = "6.2", ["Get-SecureRandom"] = "7.4",
            ["ConvertTo-CliXml"] = "7.5", ["ConvertFrom-CliXml"] = "7.5", ["Get-PSSubsystem"] = "7.3",
        };

        /// <summary>Parameters of built-in commands that Windows PowerShell 5.1 does not have.</summary>
        private static readonly Dictionary<string, string[]> ParametersNotIn51 = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["ForEach-Object"] = new[] { "Parallel", "ThrottleLimit", "AsJob", "TimeoutSeconds", "UseNewRunspace" },
            ["ConvertFrom-Json"] = new[] { "AsHashtable", "Depth", "NoEnumerate", "DateKind" },
            ["ConvertTo-Json"] = new[] { "AsArray", "EnumsAsStrings", "EscapeHandling" },
            ["Get-Content"] = new[] { "AsByteStream" },
            ["Set-Content"] = new[] { "AsByteStream" },
            ["Add-Content"] = new[] { "AsByteStream" },
            ["Invoke-RestMethod"] = new[] { "SkipCertificateCheck", "Authentication", "Token", "SkipHttpErrorCheck", "StatusCodeVariable", "ResponseHeadersVariable", "SslProtocol", "MaximumRetryCount", "RetryIntervalSec", "Form", "Resume", "NoProxy", "SkipHeaderValidation", "HttpVersion", "ConnectionTimeoutSeconds", "OperationTimeoutSeconds", "AllowInsecureRedirect" },
            ["Invoke-WebRequest"] = new[] { "SkipCertificateCheck", "Authentication", "Token", "SkipHttpErrorCheck", "SslProtocol", "MaximumRetryCount", "RetryIntervalSec", "Form", "Resume", "NoProxy", "SkipHeaderValidation", "HttpVersion", "ConnectionTimeoutSeconds", "OperationTimeoutSeconds", "AllowInsecureRedirect" },
            ["Split-Path"] = new[] { "LeafBase", "Extension" },
            ["Join-Path"] = new[] { "AdditionalChildPath" },
            ["Where-Object"] = new[] { "Not" },
            ["Sort-Object"] = new[] { "Top", "Bottom", "Stable" },
            ["Measure-Object"] = new[] { "AllStats", "StandardDeviation" },
            ["Get-Date"] = new[] { "AsUTC", "UnixTimeSeconds" },
            ["Select-String"] = new[] { "Raw", "NoEmphasis", "Culture" },
            ["Start-Sleep"] = new[] { "Duration" },
            ["Get-Random"] = new[] { "Shuffle" },
            ["Test-Connection"] = new[] { "TargetName", "TcpPort", "Ping", "Traceroute", "MtuSize", "Repeat", "Detailed" },
            ["Get-Unique"] = new[] { "CaseInsensitive" },
        };

        /// <summary>Automatic variables that do not exist in Windows PowerShell 5.1 (under Set-StrictMode, reading them throws).</summary>
        private static readonly string[] VariablesNotIn51 = { "IsWindows", "IsLinux", "IsMacOS", "IsCoreCLR", "PSStyle", "PSNativeCommandArgumentPassing" };

        /// <summary>Pester 5's Should: one switch per operator (each its own parameter set) and the operators' own parameters.</summary>
        public static CommandSurface PesterShould(IEnumerable<(string Operator, string[] Aliases, string[] Parameters)> extraOperators)
        {
            var operators = new List<(string Operator, string[] Aliases, string[] Parameters)>
            {
                ("Be", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("BeExactly", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("BeGreaterThan", new[] { "GT" }, new[] { "ExpectedValue" }),
                ("BeLessThan", new[] { "LT" }, new[] { "ExpectedValue" }),
                ("BeGreaterOrEqual", new[] { "GE" }, new[] { "ExpectedValue" }),
                ("BeLessOrEqual", new[] { "LE" }, new[] { "ExpectedValue" }),
                ("BeIn", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("BeLike", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("BeLikeExactly", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("BeNullOrEmpty", Array.Empty<string>(), Array.Empty<string>()),
                ("BeOfType", new[] { "HaveType" }, new[] { "ExpectedType" }),
                ("BeTrue", Array.Empty<string>(), Array.Empty<string>()),
                ("BeFalse", Array.Empty<string>(), Array.Empty<string>()),
                ("Contain", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("Exist", Array.Empty<string>(), Array.Empty<string>()),
                ("FileContentMatch", Array.Empty<string>(), new[] { "ExpectedContent" }),
                ("FileContentMatchExactly", Array.Empty<string>(), new[] { "ExpectedContent" }),
                ("FileContentMatchMultiline", Array.Empty<string>(), new[] { "ExpectedContent" }),
                ("FileContentMatchMultilineExactly", Array.Empty<string>(), new[] { "ExpectedContent" }),
                ("HaveCount", Array.Empty<string>(), new[] { "ExpectedValue" }),
                ("HaveParameter", Array.Empty<string>(), new[] { "ParameterName", "Type", "DefaultValue", "Mandatory", "InParameterSet", "HasArgumentCompleter", "Alias" }),
                ("Match", Array.Empty<string>(), new[] { "RegularExpression" }),
                ("MatchExactly", Array.Empty<string>(), new[] { "RegularExpression" }),
                ("Throw", Array.Empty<string>(), new[] { "ExpectedMessage", "ErrorId", "ExceptionType", "PassThru" }),
                ("Invoke", Array.Empty<string>(), new[] { "CommandName", "Times", "ParameterFilter", "ExclusiveFilter", "ModuleName", "Scope", "Exactly" }),
                ("InvokeVerifiable", Array.Empty<string>(), Array.Empty<string>()),
            };
            operators.AddRange(extraOperators);
            var surface = new CommandSurface("Should");
            surface.Parameters.Add(new SurfaceParameter("ActualValue"));
            surface.Parameters.Add(new SurfaceParameter("Not"));
            surface.Parameters.Add(new SurfaceParameter("Because"));
            surface.Parameters.Add(new SurfaceParameter("CallerSessionState"));
            var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (op, aliases, parameters) in operators)
            {
                surface.Parameters.Add(new SurfaceParameter(op, aliases, new[] { op }));
                surface.Selectors.Add(op);
                foreach (var p in parameters.Where(p => !surface.Parameters.Any(s => s.Sets == null && s.Name.Equals(p, StringComparison.OrdinalIgnoreCase))))
                {
                    if (!byName.TryGetValue(p, out var sets)) byName[p] = sets = new List<string>();
                    sets.Add(op);
                }
            }
            foreach (var (p, sets) in byName) surface.Parameters.Add(new SurfaceParameter(p, null, sets));
            return surface;
        }

        /// <summary>The functions a script module exports (Export-ModuleMember -Function), and its Should operators.</summary>
        public static (List<CommandSurface> Functions, List<(string Operator, string[] Aliases, string[] Parameters)> ShouldOperators) ReadScriptModule(string path)
        {
            var text = File.ReadAllText(path);
            var model = PowerShellScriptModel.Parse(text);
            var exported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var use in model.Commands.Where(c => c.Name.Equals("Export-ModuleMember", StringComparison.OrdinalIgnoreCase)))
                foreach (var arg in use.Arguments.Where(a => a.Kind is PsTokenKind.Word or PsTokenKind.String))
                    exported.Add(arg.Text);
            var functions = new List<CommandSurface>();
            foreach (var f in model.Functions.Where(f => exported.Contains(f.Name)))
            {
                var surface = new CommandSurface(f.Name) { CommonParameters = f.IsAdvanced };
                surface.Parameters.AddRange(f.Parameters.Select(p => new SurfaceParameter(p)));
                functions.Add(surface);
            }
            var operators = new List<(string, string[], string[])>();
            foreach (var use in model.Commands.Where(c => c.Name.Equals("Add-ShouldOperator", StringComparison.OrdinalIgnoreCase)))
            {
                string? ValueOf(string parameter)
                {
                    var index = use.Arguments.FindIndex(a => a.Kind == PsTokenKind.Parameter && a.Text.Equals(parameter, StringComparison.OrdinalIgnoreCase));
                    return index >= 0 && index + 1 < use.Arguments.Count ? use.Arguments[index + 1].Text : null;
                }
                var name = ValueOf("Name");
                var test = ValueOf("Test");
                if (name == null) continue;
                var testFunction = test != null && test.StartsWith("function:", StringComparison.OrdinalIgnoreCase)
                    ? model.Functions.FirstOrDefault(f => f.Name.Equals(test.Substring("function:".Length), StringComparison.OrdinalIgnoreCase))
                    : null;
                var parameters = (testFunction?.Parameters ?? new List<string>())
                    .Where(p => !new[] { "ActualValue", "Negate", "Not", "Because", "CallerSessionState" }.Contains(p, StringComparer.OrdinalIgnoreCase)).ToArray();
                var alias = ValueOf("Alias");
                operators.Add((name, alias == null ? Array.Empty<string>() : new[] { alias }, parameters));
            }
            return (functions, operators);
        }

        /// <summary>
        /// The ```powershell code blocks of a markdown file, with PS&gt; and &gt;&gt; prompts removed. About topics
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
                for (i++; i < lines.Length && !Regex.IsMatch(lines[i], @"^\s*```\s*$"); i++)
                {
                    var line = Regex.Replace(lines[i], @"^(PS( [^>]*)?> ?|>> ?)", "");
                    body.Append(line).Append('\n');
                }
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

        public static IReadOnlyList<ContractViolation> Check(IEnumerable<ScriptSource> sources, IEnumerable<CommandSurface> moduleCommands, CommandSurface should)
        {
            var commands = moduleCommands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            var violations = new List<ContractViolation>();
            var parsed = sources.Select(s => (Source: s, Model: PowerShellScriptModel.Parse(s.Text))).ToList();
            // Functions that scripts of one folder define are visible to each other (tests dot-source Common.ps1).
            var functionsByFolder = parsed.GroupBy(p => FolderOf(p.Source.Path), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => new HashSet<string>(g.SelectMany(p => p.Model.Functions).Select(f => f.Name), StringComparer.OrdinalIgnoreCase),
                    StringComparer.OrdinalIgnoreCase);
            foreach (var (source, model) in parsed)
            {
                var found = new List<PsFinding>();
                found.AddRange(model.Findings.Where(f => source.MustRunOnWindowsPowerShell || !f.Rule.StartsWith("Compat51.", StringComparison.Ordinal)));
                var localFunctions = new HashSet<string>(model.Functions.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
                if (!source.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) localFunctions.UnionWith(functionsByFolder[FolderOf(source.Path)]);
                foreach (var use in model.Commands)
                {
                    if (use.Name.Equals("Should", StringComparison.OrdinalIgnoreCase)) CheckUse(use, should, model, found);
                    else if (ModuleCommandName.IsMatch(use.Name) || commands.ContainsKey(use.Name))
                    {
                        if (commands.TryGetValue(use.Name, out var surface)) CheckUse(use, surface, model, found);
                        else if (!localFunctions.Contains(use.Name))
                            found.Add(new PsFinding("Command.Unknown", use.NameToken.Line, $"'{use.Name}' is not a command of the module."));
                    }
                    if (source.MustRunOnWindowsPowerShell) CheckWindowsPowerShell(use, found);
                }
                foreach (var (producer, consumer) in model.Pipes)
                {
                    if (consumer.Name.Equals("Should", StringComparison.OrdinalIgnoreCase)
                        && consumer.Parameters.Any(p => p.Text.Equals("Throw", StringComparison.OrdinalIgnoreCase)))
                        found.Add(new PsFinding("Pester.ThrowNeedsScriptBlock", consumer.NameToken.Line,
                            $"Should -Throw takes a scriptblock: {producer.Name} runs before Should does, so wrap it: {{ {producer.Name} ... }} | Should -Throw."));
                    if (!commands.TryGetValue(producer.Name, out var from) || !commands.TryGetValue(consumer.Name, out var to)) continue;
                    if (from.Cmdlet == null || to.Cmdlet == null) continue;
                    var outputs = from.Cmdlet.OutputTypes.Where(o => o.Type != null).ToList();
                    if (outputs.Count > 0 && !outputs.Any(o => ModuleContract.Binds(o.Type!, to.Cmdlet)))
                        found.Add(new PsFinding("Pipeline.NoBinding", consumer.NameToken.Line,
                            $"{from.Name} writes {string.Join(" or ", outputs.Select(o => o.Type!.Name))}, which no parameter of {to.Name} takes from the pipeline."));
                }
                if (source.Path.EndsWith(".Tests.ps1", StringComparison.OrdinalIgnoreCase)) CheckPesterPhases(model, found);
                if (source.MustRunOnWindowsPowerShell)
                {
                    foreach (var v in model.Variables.Where(v => VariablesNotIn51.Contains(PowerShellScriptModel.VariableKey(v.Text), StringComparer.OrdinalIgnoreCase)))
                        found.Add(new PsFinding("Compat51.Variable", v.Line, $"${v.Text} does not exist in Windows PowerShell 5.1."));
                }
                foreach (var f in found)
                    violations.Add(new ContractViolation(f.Rule, $"{source.Path}:{source.FirstLine + f.Line - 1}", f.Detail));
            }
            return violations;
        }

        private static readonly string[] PesterRunBlocks = { "It", "BeforeAll", "BeforeEach", "AfterAll", "AfterEach" };

        private enum Phase { Discovery, Run, Deferred }

        // Pester 5 runs a file twice: Discovery runs the Describe/Context bodies and BeforeDiscovery; Run runs It and the
        // Before/After blocks. A scriptblock stored in a variable or defined as a function runs whenever it is called.
        private static Phase PhaseOf(string[] owners)
        {
            for (var i = owners.Length - 1; i >= 0; i--)
            {
                if (PesterRunBlocks.Contains(owners[i], StringComparer.OrdinalIgnoreCase)) return Phase.Run;
                if (owners[i] == PowerShellScriptModel.DeferredBlock || owners[i] == PowerShellScriptModel.FunctionBody) return Phase.Deferred;
            }
            return Phase.Discovery;
        }

        /// <summary>
        /// A variable that only Discovery assigns (in a Describe body, at the top of the file or in BeforeDiscovery) is not
        /// there when an It or BeforeAll reads it in the Run phase: Pester 5's most common mistake. Keys of hashtable
        /// literals are left alone, since -ForEach data turns them into variables of the Run phase.
        /// </summary>
        private static void CheckPesterPhases(PowerShellScriptModel model, List<PsFinding> found)
        {
            string Key(PsToken t) => PowerShellScriptModel.VariableKey(t.Text);
            var discovery = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var elsewhere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (token, owners) in model.Assignments)
                (PhaseOf(owners) == Phase.Discovery ? discovery : elsewhere).Add(Key(token));
            var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (token, owners) in model.Reads)
            {
                var name = Key(token);
                if (PhaseOf(owners) != Phase.Run || !discovery.Contains(name) || elsewhere.Contains(name) || model.HashtableKeys.Contains(name)) continue;
                if (reported.Add(name))
                    found.Add(new PsFinding("Pester.DiscoveryVariable", token.Line,
                        $"${token.Text} is assigned only during Discovery (a Describe body, the file's top level or BeforeDiscovery), so it is not set when this block runs: assign it in BeforeAll, or pass it with -ForEach."));
            }
        }

        private static string FolderOf(string path)
        {
            var slash = path.Replace('\\', '/').LastIndexOf('/');
            return slash < 0 ? "" : path.Substring(0, slash);
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

        private enum Resolution { Exact, Prefix, Ambiguous, Unknown }

        private static (Resolution Kind, string Name, SurfaceParameter? Parameter, List<string> Candidates) Resolve(CommandSurface surface, string written)
        {
            var names = new List<(string Written, string Canonical, SurfaceParameter? Parameter)>();
            foreach (var p in surface.Parameters)
            {
                names.Add((p.Name, p.Name, p));
                foreach (var a in p.Aliases) names.Add((a, p.Name, p));
            }
            if (surface.CommonParameters)
            {
                foreach (var c in CommonParameterNames) names.Add((c, c, null));
                foreach (var (alias, target) in CommonAliases.Where(a => a.Value != "WhatIf" && a.Value != "Confirm")) names.Add((alias, target, null));
                if (surface.SupportsShouldProcess)
                {
                    names.Add(("WhatIf", "WhatIf", null));
                    names.Add(("Confirm", "Confirm", null));
                    names.Add(("wi", "WhatIf", null));
                    names.Add(("cf", "Confirm", null));
                }
            }
            var exact = names.FirstOrDefault(n => n.Written.Equals(written, StringComparison.OrdinalIgnoreCase));
            if (exact.Canonical != null) return (Resolution.Exact, exact.Canonical, exact.Parameter, new List<string>());
            var matches = names.Where(n => n.Written.StartsWith(written, StringComparison.OrdinalIgnoreCase)).ToList();
            var distinct = matches.Select(m => m.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (distinct.Count == 1) return (Resolution.Prefix, distinct[0], matches[0].Parameter, distinct);
            if (distinct.Count > 1) return (Resolution.Ambiguous, written, null, distinct);
            return (Resolution.Unknown, written, null, new List<string>());
        }

        private static void CheckUse(PsCommandUse use, CommandSurface surface, PowerShellScriptModel model, List<PsFinding> found)
        {
            var findingsBefore = found.Count;
            var bound = new List<(string Name, SurfaceParameter? Parameter, int Line)>();
            foreach (var p in use.Parameters)
            {
                var (kind, name, parameter, candidates) = Resolve(surface, p.Text);
                switch (kind)
                {
                    case Resolution.Unknown:
                        var hint = (p.Text.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) || p.Text.Equals("Confirm", StringComparison.OrdinalIgnoreCase)) && !surface.SupportsShouldProcess
                            ? $" ({surface.Name} does not support ShouldProcess)" : "";
                        found.Add(new PsFinding("Parameter.Unknown", p.Line, $"{surface.Name} has no parameter -{p.Text}{hint}."));
                        continue;
                    case Resolution.Ambiguous:
                        found.Add(new PsFinding("Parameter.Ambiguous", p.Line, $"-{p.Text} of {surface.Name} is ambiguous: it could be {string.Join(", ", candidates.Select(c => "-" + c))}."));
                        continue;
                    case Resolution.Prefix:
                        found.Add(new PsFinding("Style.ParameterPrefix", p.Line, $"-{p.Text} of {surface.Name} abbreviates -{name}: write the full name."));
                        break;
                }
                if (p.UnusualDash) found.Add(new PsFinding("Style.UnusualDash", p.Line, $"-{p.Text} of {surface.Name} starts with a typographic dash; use '-'."));
                if (bound.Any(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    found.Add(new PsFinding("Parameter.Duplicate", p.Line, $"-{name} of {surface.Name} is given more than once."));
                bound.Add((name, parameter, p.Line));
                var next = NextArgument(use, p);
                if (VariableNameParameters.Contains(name) && next != null && next.Kind == PsTokenKind.Variable && !p.HasColon)
                    found.Add(new PsFinding("Parameter.VariableName", p.Line,
                        $"-{name} takes a variable's name: write -{name} {next.Text.TrimStart('+')} (or +{next.Text} to append), not ${next.Text}, which passes that variable's value."));
                var isSwitch = parameter?.IsSwitch == true || SwitchCommonParameters.Contains(name);
                if (isSwitch && next != null && next.Kind == PsTokenKind.Variable && !p.HasColon
                    && (next.Text.Equals("true", StringComparison.OrdinalIgnoreCase) || next.Text.Equals("false", StringComparison.OrdinalIgnoreCase)))
                    found.Add(new PsFinding("Parameter.SwitchValue", p.Line,
                        $"-{name} of {surface.Name} is a switch: write -{name}:${next.Text}; with a space ${next.Text} becomes a positional argument."));
            }
            var setChecked = new List<(string Name, SurfaceParameter? Parameter, int Line)>(bound);
            foreach (var splat in use.Splats)
            {
                if (!model.Hashtables.TryGetValue(PowerShellScriptModel.VariableKey(splat.Text), out var table)) continue;
                foreach (var key in table.Keys.Concat(table.LaterKeys))
                {
                    var (kind, name, parameter, candidates) = Resolve(surface, key);
                    if (kind == Resolution.Unknown || kind == Resolution.Ambiguous)
                    {
                        found.Add(new PsFinding("Splat.UnknownParameter", splat.Line,
                            $"@{splat.Text} holds '{key}', which {surface.Name} {(kind == Resolution.Unknown ? "has no parameter for" : "cannot tell apart (" + string.Join(", ", candidates) + ")")}."));
                        continue;
                    }
                    if (kind == Resolution.Prefix)
                        found.Add(new PsFinding("Style.ParameterPrefix", splat.Line, $"@{splat.Text} key '{key}' abbreviates -{name} of {surface.Name}: write the full name."));
                    if (bound.Any(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                        found.Add(new PsFinding("Parameter.Duplicate", splat.Line, $"-{name} of {surface.Name} is given and also splatted by @{splat.Text}."));
                    // Keys added after the literal may be conditional: they take part in name checks, not in set checks.
                    if (table.Assignments == 1 && table.Keys.Contains(key)) setChecked.Add((name, parameter, splat.Line));
                }
            }
            CheckSets(use, surface, setChecked, found);
            if (surface.Cmdlet != null && !use.HasPipelineInput && use.Splats.Count == 0 && !found.Skip(findingsBefore).Any())
                CheckMandatory(use, surface, surface.Cmdlet, bound, found);
        }

        /// <summary>
        /// A call with no pipeline input, no splat and no positional argument must satisfy some parameter set's
        /// mandatory parameters by name; otherwise PowerShell prompts, and under -NonInteractive (CI) fails.
        /// </summary>
        private static void CheckMandatory(PsCommandUse use, CommandSurface surface, CmdletDeclaration cmdlet,
            List<(string Name, SurfaceParameter? Parameter, int Line)> bound, List<PsFinding> found)
        {
            var elements = use.Elements();
            for (var e = 0; e < elements.Count; e++)
            {
                var head = elements[e][0];
                if (head.Kind == PsTokenKind.Operator) continue;
                if (head.Kind != PsTokenKind.Parameter) return; // a positional argument may be the mandatory one
                if (head.HasColon) continue;
                var resolved = Resolve(surface, head.Text);
                var isSwitch = resolved.Parameter?.IsSwitch == true || SwitchCommonParameters.Contains(resolved.Name);
                if (!isSwitch) e++;
            }
            var names = new HashSet<string>(bound.Select(b => b.Name), StringComparer.OrdinalIgnoreCase);
            var sets = cmdlet.Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != "__AllParameterSets").Distinct().ToList();
            // The default set may be named only by the [Cmdlet] attribute (Connect-Fms's "Aws" set has no parameter of its own).
            if (cmdlet.DefaultParameterSetName != null && !sets.Contains(cmdlet.DefaultParameterSetName)) sets.Add(cmdlet.DefaultParameterSetName);
            if (sets.Count == 0) sets.Add("__AllParameterSets");
            ParameterSetInfo? InSet(CmdletParameter p, string set)
                => p.Sets.FirstOrDefault(x => x.SetName == set) ?? p.Sets.FirstOrDefault(x => x.SetName == "__AllParameterSets");
            var missingBySet = new List<(string Set, List<string> Missing)>();
            foreach (var set in sets)
            {
                // The set must hold every parameter the call names (common parameters belong to all sets).
                if (cmdlet.Parameters.Any(p => names.Contains(p.Name) && InSet(p, set) == null)) continue;
                var missing = cmdlet.Parameters.Where(p => InSet(p, set)?.Mandatory == true && !names.Contains(p.Name)).Select(p => p.Name).ToList();
                if (missing.Count == 0) return;
                missingBySet.Add((set, missing));
            }
            if (missingBySet.Count == 0) return; // no set fits at all: CheckSets reports that
            found.Add(new PsFinding("ParameterSet.MissingMandatory", use.NameToken.Line,
                $"{surface.Name} is called without a mandatory parameter: " + string.Join("; or ", missingBySet.Select(m =>
                    (m.Set == "__AllParameterSets" ? "" : m.Set + " needs ") + string.Join(", ", m.Missing.Select(x => "-" + x)))) + "."));
        }

        private static readonly HashSet<string> VariableNameParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "PipelineVariable",
        };

        private static readonly HashSet<string> SwitchCommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Verbose", "Debug", "WhatIf", "Confirm" };

        // The token written right after a parameter (its value, when it takes one), if it is separated by whitespace.
        private static PsToken? NextArgument(PsCommandUse use, PsToken parameter)
        {
            var index = use.Arguments.IndexOf(parameter);
            return index >= 0 && index + 1 < use.Arguments.Count && use.Arguments[index + 1].SpaceBefore ? use.Arguments[index + 1] : null;
        }

        private static void CheckSets(PsCommandUse use, CommandSurface surface, List<(string Name, SurfaceParameter? Parameter, int Line)> bound, List<PsFinding> found)
        {
            var restricted = bound.Where(b => b.Parameter?.Sets != null).ToList();
            if (surface.Selectors.Count > 0)
            {
                var selectors = bound.Where(b => surface.Selectors.Contains(b.Name)).ToList();
                if (selectors.Count == 0 && use.Splats.Count == 0)
                {
                    found.Add(new PsFinding("ParameterSet.NoOperator", use.NameToken.Line, $"{surface.Name} needs one operator, such as -Be or -BeFmsCompliant."));
                    return;
                }
            }
            if (restricted.Count < 2) return;
            IEnumerable<string> candidates = restricted[0].Parameter!.Sets!;
            foreach (var b in restricted.Skip(1)) candidates = candidates.Intersect(b.Parameter!.Sets!, StringComparer.OrdinalIgnoreCase);
            if (candidates.Any()) return;
            var described = string.Join(", ", restricted.Select(b => $"-{b.Name} ({string.Join("/", b.Parameter!.Sets!)})"));
            found.Add(new PsFinding("ParameterSet.Conflict", restricted.Max(b => b.Line), $"{surface.Name}: no parameter set has all of {described}."));
        }

        private static void CheckWindowsPowerShell(PsCommandUse use, List<PsFinding> found)
        {
            if (CommandsNotIn51.TryGetValue(use.Name, out var since))
                found.Add(new PsFinding("Compat51.Command", use.NameToken.Line, $"{use.Name} needs PowerShell {since}."));
            if (ParametersNotIn51.TryGetValue(use.Name, out var parameters))
            {
                foreach (var p in use.Parameters)
                {
                    var match = parameters.FirstOrDefault(n => n.Equals(p.Text, StringComparison.OrdinalIgnoreCase));
                    if (match != null)
                        found.Add(new PsFinding("Compat51.Parameter", p.Line, $"{use.Name} -{match} does not exist in Windows PowerShell 5.1."));
                }
            }
            if (use.Name.Equals("Join-Path", StringComparison.OrdinalIgnoreCase))
            {
                // Join-Path [-Path] <string[]> [-ChildPath] <string> [-Resolve] [-Credential <pscredential>]: two positions in 5.1.
                var elements = use.Elements();
                var positional = 0;
                for (var e = 0; e < elements.Count; e++)
                {
                    var head = elements[e][0];
                    if (head.Kind == PsTokenKind.Parameter)
                    {
                        var takesValue = !"Resolve".StartsWith(head.Text, StringComparison.OrdinalIgnoreCase) && !head.HasColon;
                        if (takesValue) e++;
                        continue;
                    }
                    if (head.Kind == PsTokenKind.Operator) continue;
                    positional++;
                }
                if (positional > 2)
                    found.Add(new PsFinding("Compat51.JoinPath", use.NameToken.Line, "Join-Path takes one child path in Windows PowerShell 5.1; nest the calls or use [System.IO.Path]::Combine."));
            }
        }
    }
}
