using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// Pester 5 mistakes that PowerShell accepts: a variable only Discovery assigns, read where Run executes; and a
    /// command piped into Should -Throw (it runs, and throws, before Should does).
    /// </summary>
    internal static class PesterRules
    {
        private static readonly string[] RunBlocks = { "It", "BeforeAll", "BeforeEach", "AfterAll", "AfterEach" };

        private enum Phase { Discovery, Run, Deferred }

        /// <summary>
        /// Pester 5 runs a file twice: Discovery runs the file's top level and the bodies of Describe, Context and
        /// BeforeDiscovery; Run runs It and the Before/After blocks. A scriptblock stored (assigned, a hashtable value) or a
        /// function body runs whenever it is called. The innermost of these decides.
        /// </summary>
        private static Phase PhaseOf(Ast node)
        {
            for (var p = node.Parent; p != null; p = p.Parent)
            {
                if (p is FunctionDefinitionAst) return Phase.Deferred;
                if (p is not ScriptBlockExpressionAst block) continue;
                if (block.Parent is not CommandAst command) return Phase.Deferred;
                if (RunBlocks.Contains(command.GetCommandName(), StringComparer.OrdinalIgnoreCase)) return Phase.Run;
            }
            return Phase.Discovery;
        }

        /// <summary>
        /// A variable that only Discovery assigns (in a Describe body, at the top of the file or in BeforeDiscovery) is not
        /// there when an It or BeforeAll reads it in the Run phase: Pester 5's most common mistake. Keys of hashtable
        /// literals are left alone, since -ForEach data turns them into variables of the Run phase.
        /// </summary>
        public static void CheckPhases(Ast script, List<ScriptFinding> found)
        {
            var targets = new HashSet<VariableExpressionAst>();
            var discovery = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var elsewhere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Assigned(VariableExpressionAst variable)
            {
                targets.Add(variable);
                (PhaseOf(variable) == Phase.Discovery ? discovery : elsewhere).Add(ScriptContract.NameOf(variable.VariablePath));
            }
            foreach (var assignment in script.FindAll(a => a is AssignmentStatementAst, true).Cast<AssignmentStatementAst>())
            {
                var left = assignment.Left is ConvertExpressionAst convert ? convert.Child : assignment.Left;
                if (left is VariableExpressionAst variable) Assigned(variable);
            }
            foreach (var loop in script.FindAll(a => a is ForEachStatementAst, true).Cast<ForEachStatementAst>())
                Assigned(loop.Variable);
            var forEachData = new HashSet<string>(script.FindAll(a => a is HashtableAst, true).Cast<HashtableAst>()
                .SelectMany(h => h.KeyValuePairs).Select(kv => kv.Item1).OfType<StringConstantExpressionAst>().Select(k => k.Value), StringComparer.OrdinalIgnoreCase);

            var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var read in script.FindAll(a => a is VariableExpressionAst, true).Cast<VariableExpressionAst>()
                         .Where(v => !targets.Contains(v) && !v.VariablePath.IsDriveQualified).OrderBy(v => v.Extent.StartOffset))
            {
                var name = ScriptContract.NameOf(read.VariablePath);
                if (PhaseOf(read) != Phase.Run || !discovery.Contains(name) || elsewhere.Contains(name) || forEachData.Contains(name)) continue;
                if (reported.Add(name))
                    found.Add(new ScriptFinding("Pester.DiscoveryVariable", read.Extent.StartLineNumber,
                        $"${name} is assigned only during Discovery (a Describe body, the file's top level or BeforeDiscovery), so it is not set when this block runs: assign it in BeforeAll, or pass it with -ForEach."));
            }
        }

        /// <summary>Should -Throw takes a scriptblock: a command piped into it runs, and throws, before Should does.</summary>
        public static void CheckThrow(PipelineAst pipeline, List<ScriptFinding> found)
        {
            for (var i = 1; i < pipeline.PipelineElements.Count; i++)
            {
                if (pipeline.PipelineElements[i] is not CommandAst should || !string.Equals(should.GetCommandName(), "Should", StringComparison.OrdinalIgnoreCase)
                    || !should.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName.Equals("Throw", StringComparison.OrdinalIgnoreCase))
                    || pipeline.PipelineElements[i - 1] is not CommandAst producer)
                    continue;
                var name = producer.GetCommandName() ?? producer.Extent.Text;
                found.Add(new ScriptFinding("Pester.ThrowNeedsScriptBlock", should.Extent.StartLineNumber,
                    $"Should -Throw takes a scriptblock: {name} runs before Should does, so wrap it: {{ {name} ... }} | Should -Throw."));
            }
        }
    }
}
