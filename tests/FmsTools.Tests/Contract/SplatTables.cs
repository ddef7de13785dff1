using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The hashtables a script splats: each variable assigned a hashtable literal ($h = @{ A = 1 }), with the keys the
    /// literal holds and the keys added later ($h.B = 2, $h['C'] = 3), perhaps conditionally. Scopes are one here:
    /// $script:h and $h are the same table.
    /// </summary>
    internal sealed class SplatTables
    {
        private sealed class Table
        {
            public readonly HashSet<string> Keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            public readonly HashSet<string> LaterKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            public int Assignments;
            public bool IsLiteral = true;
        }

        private readonly Dictionary<string, Table> _tables = new Dictionary<string, Table>(StringComparer.OrdinalIgnoreCase);

        public static SplatTables Read(Ast script)
        {
            var tables = new SplatTables();
            foreach (var assignment in script.FindAll(a => a is AssignmentStatementAst, true).Cast<AssignmentStatementAst>())
            {
                switch (assignment.Left)
                {
                    case VariableExpressionAst variable:
                        tables.Assigned(variable, assignment);
                        break;
                    case ConvertExpressionAst { Child: VariableExpressionAst variable }:
                        tables.Assigned(variable, assignment);
                        break;
                    case MemberExpressionAst { Expression: VariableExpressionAst variable, Member: StringConstantExpressionAst member }:
                        tables.Get(variable).LaterKeys.Add(member.Value);
                        break;
                    case IndexExpressionAst { Target: VariableExpressionAst variable, Index: StringConstantExpressionAst index }:
                        tables.Get(variable).LaterKeys.Add(index.Value);
                        break;
                }
            }
            return tables;
        }

        private void Assigned(VariableExpressionAst variable, AssignmentStatementAst assignment)
        {
            var table = Get(variable);
            table.Assignments++;
            var literal = assignment.Operator == TokenKind.Equals ? HashtableOf(assignment.Right) : null;
            if (literal == null)
            {
                table.IsLiteral = false;
                return;
            }
            foreach (var (key, _) in literal.KeyValuePairs)
            {
                if (key is StringConstantExpressionAst constant) table.Keys.Add(constant.Value);
                else table.IsLiteral = false; // a computed key: the table's keys are not all known
            }
        }

        private static HashtableAst? HashtableOf(StatementAst statement) => statement switch
        {
            CommandExpressionAst { Expression: HashtableAst h } => h,
            PipelineAst { PipelineElements: { Count: 1 } elements } when elements[0] is CommandExpressionAst { Expression: HashtableAst h } => h,
            _ => null,
        };

        private Table Get(VariableExpressionAst variable)
        {
            var key = ScriptContract.NameOf(variable.VariablePath);
            if (!_tables.TryGetValue(key, out var table)) _tables[key] = table = new Table();
            return table;
        }

        /// <summary>
        /// The keys a splat of <paramref name="variable"/> surely holds (one literal assignment: they take part in parameter
        /// set resolution) and the keys it may hold (added later, or from several assignments: names only). Null when the
        /// variable is not a hashtable this script builds.
        /// </summary>
        public (IReadOnlyCollection<string> Certain, IReadOnlyCollection<string> Possible)? KeysOf(VariableExpressionAst variable)
        {
            if (!_tables.TryGetValue(ScriptContract.NameOf(variable.VariablePath), out var table) || table.Keys.Count + table.LaterKeys.Count == 0) return null;
            if (table.Assignments == 1 && table.IsLiteral) return (table.Keys, table.LaterKeys.Except(table.Keys, StringComparer.OrdinalIgnoreCase).ToList());
            return (Array.Empty<string>(), table.Keys.Union(table.LaterKeys, StringComparer.OrdinalIgnoreCase).ToList());
        }
    }
}
