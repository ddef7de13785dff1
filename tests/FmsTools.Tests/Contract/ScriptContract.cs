using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// Static checks of the PowerShell that users and CI run but this machine cannot, on PowerShell's own parse of it
    /// (Parser.ParseInput: its syntax errors, its AST and tokens). Every Verb-Fms* command a script or a documentation
    /// code block names exists in the module; every call of a module command, and of Pester's Should, is bound by
    /// PowerShell's StaticParameterBinder against the module's real metadata (<see cref="ScriptCall"/>); a pipeline
    /// between two module cmdlets passes something the consumer takes; Pester 5's Discovery/Run scoping holds; and scripts
    /// that Windows PowerShell 5.1 runs use no PowerShell 7 syntax, commands, parameters or variables
    /// (<see cref="WindowsPowerShellRules"/>).
    /// </summary>
    public static class ScriptContract
    {
        private static readonly Regex ModuleCommandName = new Regex(@"^[A-Za-z]+-Fms[A-Za-z0-9]*$", RegexOptions.CultureInvariant);

        /// <summary>A source as PowerShell parses it.</summary>
        public sealed record Parsed(ScriptSource Source, ScriptBlockAst Ast, Token[] Tokens, ParseError[] Errors);

        public static Parsed Parse(ScriptSource source)
        {
            var ast = Parser.ParseInput(source.Text, out var tokens, out var errors);
            return new Parsed(source, ast, tokens, errors);
        }

        /// <summary>The command a call names, without a module qualifier (FmsTools\Get-FmsPolicy is Get-FmsPolicy); null for &amp; $block.</summary>
        public static string? NameOf(CommandAst call)
        {
            var name = call.GetCommandName();
            if (name == null) return null;
            var slash = name.LastIndexOf('\\');
            return slash >= 0 && !name.Contains('/') && !name.StartsWith(".", StringComparison.Ordinal) ? name.Substring(slash + 1) : name;
        }

        /// <summary>A variable's name without its scope ($script:conn and $conn are conn).</summary>
        public static string NameOf(VariablePath path)
        {
            var colon = path.UserPath.IndexOf(':');
            return colon >= 0 && !path.IsDriveQualified ? path.UserPath.Substring(colon + 1) : path.UserPath;
        }

        public static IReadOnlyList<ContractViolation> Check(IEnumerable<ScriptSource> sources, ScriptContractSession session)
        {
            var parsed = sources.Select(Parse).ToList();
            // Functions that scripts of one folder define are visible to each other (tests dot-source Common.ps1).
            var functionsByFolder = parsed.Where(p => !p.Source.IsMarkdown).GroupBy(p => p.Source.Folder, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => new HashSet<string>(g.SelectMany(p => FunctionsOf(p.Ast)), StringComparer.OrdinalIgnoreCase),
                    StringComparer.OrdinalIgnoreCase);
            var violations = new List<ContractViolation>();
            foreach (var p in parsed)
            {
                var local = new HashSet<string>(FunctionsOf(p.Ast), StringComparer.OrdinalIgnoreCase);
                if (!p.Source.IsMarkdown) local.UnionWith(functionsByFolder[p.Source.Folder]);
                var found = CheckOne(p, session, local);
                violations.AddRange(found.OrderBy(f => f.Line)
                    .Select(f => new ContractViolation(f.Rule, $"{p.Source.Path}:{p.Source.FirstLine + f.Line - 1}", f.Detail)));
            }
            return violations;
        }

        private static IEnumerable<string> FunctionsOf(Ast ast)
            => ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name);

        private static List<ScriptFinding> CheckOne(Parsed p, ScriptContractSession session, HashSet<string> localFunctions)
        {
            var found = p.Errors.Select(e => new ScriptFinding("Syntax.Error", e.Extent.StartLineNumber, e.Message)).ToList();
            if (p.Source.MustRunOnWindowsPowerShell) WindowsPowerShellRules.CheckSyntax(p.Tokens, p.Ast, found);
            var tables = SplatTables.Read(p.Ast);
            foreach (var call in p.Ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            {
                var name = NameOf(call);
                if (name == null) continue;
                // The parser's verdict comes first: a call it could not read whole is not bound.
                var readWhole = !p.Errors.Any(e => e.Extent.StartOffset >= call.Extent.StartOffset && e.Extent.StartOffset <= call.Extent.EndOffset);
                var command = name.Equals("Should", StringComparison.OrdinalIgnoreCase) ? session.Should
                    : session.ModuleCommands.TryGetValue(name, out var info) ? info : null;
                if (command != null && readWhole)
                    found.AddRange(ScriptCall.Check(call, command, session, tables));
                else if (command == null && ModuleCommandName.IsMatch(name) && !localFunctions.Contains(name))
                    found.Add(new ScriptFinding("Command.Unknown", call.Extent.StartLineNumber, $"'{name}' is not a command of the module."));
                if (p.Source.MustRunOnWindowsPowerShell && readWhole) WindowsPowerShellRules.CheckCommand(call, name, session, found);
            }
            foreach (var pipeline in p.Ast.FindAll(a => a is PipelineAst, true).Cast<PipelineAst>())
            {
                PesterRules.CheckThrow(pipeline, found);
                CheckPipeline(pipeline, session, found);
            }
            if (p.Source.Path.EndsWith(".Tests.ps1", StringComparison.OrdinalIgnoreCase)) PesterRules.CheckPhases(p.Ast, found);
            return found;
        }

        /// <summary>Two module cmdlets next to each other in a pipeline: what the first declares it writes, the second must take.</summary>
        private static void CheckPipeline(PipelineAst pipeline, ScriptContractSession session, List<ScriptFinding> found)
        {
            for (var i = 1; i < pipeline.PipelineElements.Count; i++)
            {
                if (pipeline.PipelineElements[i - 1] is not CommandAst producerCall || pipeline.PipelineElements[i] is not CommandAst consumerCall) continue;
                if (!session.ModuleCommands.TryGetValue(NameOf(producerCall) ?? "", out var producer) || producer is not CmdletInfo
                    || !session.ModuleCommands.TryGetValue(NameOf(consumerCall) ?? "", out var consumer) || consumer is not CmdletInfo)
                    continue;
                var outputs = producer.OutputType.Where(o => o.Type != null).ToList();
                if (outputs.Count > 0 && !outputs.Any(o => PipelineBinding.Binds(o.Type, consumer)))
                    found.Add(new ScriptFinding("Pipeline.NoBinding", consumerCall.Extent.StartLineNumber,
                        $"{producer.Name} writes {string.Join(" or ", outputs.Select(o => o.Type.Name))}, which no parameter of {consumer.Name} takes from the pipeline."));
            }
        }
    }
}
