using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace FmsTools.Tests.Contract
{
    /// <summary>A Should operator: its switch, its alias, and its own parameters in order (positions 1, 2, ... after ActualValue).</summary>
    public sealed record ShouldOperator(string Name, string? Alias, IReadOnlyList<(string Name, bool IsSwitch)> Parameters);

    /// <summary>
    /// Pester 5's Should, as a function PowerShell can bind statically. Pester builds Should's operators as dynamic
    /// parameters (one parameter set per operator, with -Not and the operator's own parameters in it), which
    /// StaticParameterBinder does not see; this stand-in declares the same parameter sets statically, from Pester
    /// 5.9.1's operators (Get-ShouldOperator) and the operators the module adds with Add-ShouldOperator, so PowerShell's
    /// binder gives its own verdict on every Should call: an unknown operator, another operator's parameter, two operators.
    /// </summary>
    public static class PesterShould
    {
        private static (string, bool)[] P(params string[] names) => names.Select(n => (n.TrimEnd('!'), n.EndsWith("!", StringComparison.Ordinal))).ToArray();

        /// <summary>Pester 5.9.1's operators; a name ending in '!' is a switch. Because is every operator's last parameter.</summary>
        public static readonly IReadOnlyList<ShouldOperator> Pester5Operators = new[]
        {
            new ShouldOperator("Be", "EQ", P("ExpectedValue", "Because")),
            new ShouldOperator("BeExactly", "CEQ", P("ExpectedValue", "Because")),
            new ShouldOperator("BeFalse", null, P("Because")),
            new ShouldOperator("BeGreaterOrEqual", "GE", P("ExpectedValue", "Because")),
            new ShouldOperator("BeGreaterThan", "GT", P("ExpectedValue", "Because")),
            new ShouldOperator("BeIn", null, P("ExpectedValue", "Because")),
            new ShouldOperator("BeLessOrEqual", "LE", P("ExpectedValue", "Because")),
            new ShouldOperator("BeLessThan", "LT", P("ExpectedValue", "Because")),
            new ShouldOperator("BeLike", null, P("ExpectedValue", "Because")),
            new ShouldOperator("BeLikeExactly", null, P("ExpectedValue", "Because")),
            new ShouldOperator("BeNullOrEmpty", null, P("Because")),
            new ShouldOperator("BeOfType", "HaveType", P("ExpectedType", "Because")),
            new ShouldOperator("BeTrue", null, P("Because")),
            new ShouldOperator("Contain", null, P("ExpectedValue", "Because")),
            new ShouldOperator("Exist", null, P("Because")),
            new ShouldOperator("FileContentMatch", null, P("ExpectedContent", "Because")),
            new ShouldOperator("FileContentMatchExactly", null, P("ExpectedContent", "Because")),
            new ShouldOperator("FileContentMatchMultiline", null, P("ExpectedContent", "Because")),
            new ShouldOperator("FileContentMatchMultilineExactly", null, P("ExpectedContent", "Because")),
            new ShouldOperator("HaveCount", null, P("ExpectedValue", "Because")),
            new ShouldOperator("HaveParameter", null, P("ParameterName", "Type", "DefaultValue", "Mandatory!", "InParameterSet", "HasArgumentCompleter!", "Alias", "Because")),
            new ShouldOperator("Invoke", null, P("CommandName", "Times", "ParameterFilter", "ExclusiveFilter", "ModuleName", "Scope", "Exactly!", "Because", "CallerSessionState")),
            new ShouldOperator("InvokeVerifiable", null, P("Because")),
            new ShouldOperator("Match", null, P("RegularExpression", "Because")),
            new ShouldOperator("MatchExactly", "CMATCH", P("RegularExpression", "Because")),
            new ShouldOperator("Throw", null, P("ExpectedMessage", "ErrorId", "ExceptionType", "Because", "PassThru!")),
        };

        /// <summary>The parameters Pester fills itself, which an operator's test function declares but Should does not offer.</summary>
        private static readonly string[] PesterOwned = { "ActualValue", "Negate", "Not" };

        /// <summary>
        /// The operators a script module registers with Add-ShouldOperator -Name X -Test ${function:Y} [-Alias Z], read
        /// from PowerShell's parse of it: the call bound syntactically, and Y's parameters from its definition.
        /// </summary>
        public static List<ShouldOperator> OperatorsOf(string scriptModulePath)
        {
            var ast = Parser.ParseFile(scriptModulePath, out _, out var errors);
            if (errors.Length > 0) throw new InvalidOperationException($"{scriptModulePath} does not parse: {errors[0].Message}");
            var functions = ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().ToList();
            var operators = new List<ShouldOperator>();
            foreach (var call in ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "Add-ShouldOperator", true).Cast<CommandAst>())
            {
                var bound = StaticParameterBinder.BindCommand(call, resolve: false).BoundParameters;
                string? Constant(string name) => bound.TryGetValue(name, out var b) ? b.ConstantValue as string : null;
                var name = Constant("Name") ?? throw new InvalidOperationException($"{scriptModulePath}: Add-ShouldOperator without a constant -Name.");
                var testName = bound.TryGetValue("Test", out var test) && test.Value is VariableExpressionAst v && v.VariablePath.DriveName == "function"
                    ? v.VariablePath.UserPath.Substring("function:".Length) : null;
                var function = functions.FirstOrDefault(f => f.Name.Equals(testName, StringComparison.OrdinalIgnoreCase))
                               ?? throw new InvalidOperationException($"{scriptModulePath}: the -Test of operator {name} is not a function of the module.");
                var parameters = (function.Body.ParamBlock?.Parameters ?? function.Parameters ?? Enumerable.Empty<ParameterAst>())
                    .Where(p => !PesterOwned.Contains(p.Name.VariablePath.UserPath, StringComparer.OrdinalIgnoreCase))
                    .Select(p => (p.Name.VariablePath.UserPath, p.StaticType == typeof(SwitchParameter)))
                    .ToList();
                operators.Add(new ShouldOperator(name, Constant("Alias"), parameters));
            }
            return operators;
        }

        /// <summary>
        /// The stand-in: Should [[-ActualValue] &lt;object&gt;] (from the pipeline and the remaining arguments, as Pester
        /// declares it), one parameter set per operator holding the operator's switch, -Not and its own parameters.
        /// </summary>
        public static string StandIn(IEnumerable<ShouldOperator> operators)
        {
            var list = operators.ToList();
            var sets = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            var switches = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Not" };
            void InSet(string parameter, string attribute)
            {
                if (!sets.TryGetValue(parameter, out var attributes)) sets[parameter] = attributes = new List<string>();
                attributes.Add(attribute);
            }
            foreach (var op in list)
            {
                InSet("Not", $"[Parameter(ParameterSetName = '{op.Name}')]");
                for (var i = 0; i < op.Parameters.Count; i++)
                {
                    var (name, isSwitch) = op.Parameters[i];
                    InSet(name, $"[Parameter(ParameterSetName = '{op.Name}', Position = {i + 1})]");
                    if (isSwitch) switches.Add(name);
                }
            }
            var script = new StringBuilder("function global:Should {\n    [CmdletBinding(PositionalBinding = $false)]\n    param(\n");
            script.Append("        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromRemainingArguments = $true)] [object] $ActualValue");
            foreach (var op in list)
            {
                var alias = op.Alias == null ? "" : $" [Alias('{op.Alias}')]";
                script.Append($",\n        [Parameter(ParameterSetName = '{op.Name}')]{alias} [switch] ${op.Name}");
            }
            foreach (var (name, attributes) in sets)
                script.Append($",\n        {string.Join(" ", attributes)} [{(switches.Contains(name) ? "switch" : "object")}] ${name}");
            script.Append("\n    )\n}\n");
            return script.ToString();
        }

        /// <summary>Is the parameter one of Should's operators (its own set, a switch of the set's name)?</summary>
        public static bool IsOperator(CommandInfo should, string parameterName)
            => should.ParameterSets.Any(s => s.Name.Equals(parameterName, StringComparison.OrdinalIgnoreCase));

        public static string DescribeOperators(CommandInfo should)
            => string.Join(", ", should.ParameterSets.Select(s => "-" + s.Name).Take(4)) + ", ...";

        internal static string FileName(string path) => Path.GetFileName(path);
    }
}
