using System;
using System.Collections.Generic;
using System.Linq;

namespace FmsTools.Tests.Contract
{
    /// <summary>One command invocation: its name and what was written after it, up to the end of its pipeline element.</summary>
    public sealed class PsCommandUse
    {
        public PsCommandUse(PsToken nameToken, string name)
        {
            NameToken = nameToken;
            Name = name;
        }

        public PsToken NameToken { get; }

        /// <summary>The command name without a module qualifier (FmsTools\Test-FmsCompliance -> Test-FmsCompliance).</summary>
        public string Name { get; }

        public List<PsToken> Parameters { get; } = new List<PsToken>();
        public List<PsToken> Splats { get; } = new List<PsToken>();

        /// <summary>The command stands after a '|', so the pipeline may bind some of its parameters.</summary>
        public bool HasPipelineInput { get; set; }

        /// <summary>The tokens at the command's own level (a group stands for itself by its opening token).</summary>
        public List<PsToken> Arguments { get; } = new List<PsToken>();

        /// <summary>The arguments as PowerShell separates them: by whitespace, with comma lists kept whole.</summary>
        public List<List<PsToken>> Elements()
        {
            var elements = new List<List<PsToken>>();
            PsToken? previous = null;
            foreach (var t in Arguments)
            {
                var joins = previous != null && (!t.SpaceBefore || t.Kind == PsTokenKind.Comma || previous.Kind == PsTokenKind.Comma
                                                  || (previous.Kind == PsTokenKind.Parameter && previous.HasColon));
                if (!joins) elements.Add(new List<PsToken>());
                elements[elements.Count - 1].Add(t);
                previous = t;
            }
            return elements;
        }
    }

    /// <summary>A hashtable literal assigned to a variable: the keys it is known to hold, for checking @splats.</summary>
    public sealed class PsHashtableDefinition
    {
        public HashSet<string> Keys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Keys added later ($h.Key = ..., $h['Key'] = ...), perhaps conditionally.</summary>
        public HashSet<string> LaterKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public int Assignments { get; set; }
    }

    public sealed class PsFinding
    {
        public PsFinding(string rule, int line, string detail)
        {
            Rule = rule;
            Line = line;
            Detail = detail;
        }

        public string Rule { get; }
        public int Line { get; }
        public string Detail { get; }
    }

    /// <summary>A function defined in a script: its name, parameters and whether it is advanced ([CmdletBinding()]).</summary>
    public sealed class PsFunctionDefinition
    {
        public PsFunctionDefinition(string name, int line)
        {
            Name = name;
            Line = line;
        }

        public string Name { get; }
        public int Line { get; }
        public List<string> Parameters { get; } = new List<string>();
        public bool IsAdvanced { get; set; }
    }

    /// <summary>
    /// The commands, hashtable definitions, functions and syntax findings of one script, read from its tokens.
    /// Statements are split on newlines, ';', '|', '&amp;&amp;' and '||'; a word in command position starts a command,
    /// and everything up to the end of its pipeline element belongs to it, except what sits inside nested groups
    /// ((...), {...}, @(...), @{...}, $(...)), which is read as statements of its own.
    /// </summary>
    public sealed class PowerShellScriptModel
    {
        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "if", "elseif", "else", "foreach", "for", "while", "do", "until", "switch", "try", "catch", "finally", "trap",
            "function", "filter", "workflow", "param", "begin", "process", "end", "clean", "dynamicparam", "return", "throw",
            "exit", "break", "continue", "data", "class", "enum", "using", "configuration",
        };

        private static readonly HashSet<string> AssignmentOperators = new HashSet<string> { "=", "+=", "-=", "*=", "/=", "%=", "??=" };

        private readonly List<PsToken> _tokens;
        private int _i;

        public List<PsCommandUse> Commands { get; } = new List<PsCommandUse>();
        public Dictionary<string, PsHashtableDefinition> Hashtables { get; } = new Dictionary<string, PsHashtableDefinition>(StringComparer.OrdinalIgnoreCase);
        public List<PsFunctionDefinition> Functions { get; } = new List<PsFunctionDefinition>();

        /// <summary>Adjacent commands of a pipeline: the first writes to the second through '|'.</summary>
        public List<(PsCommandUse Producer, PsCommandUse Consumer)> Pipes { get; } = new List<(PsCommandUse, PsCommandUse)>();
        public List<PsFinding> Findings { get; } = new List<PsFinding>();

        /// <summary>Every variable token, including those inside strings' subexpressions.</summary>
        public List<PsToken> Variables { get; } = new List<PsToken>();

        /// <summary>Variables read, with the commands whose { } arguments enclose the read (innermost last).</summary>
        public List<(PsToken Token, string[] Owners)> Reads { get; } = new List<(PsToken, string[])>();

        /// <summary>Variables assigned ($x = ..., $x += ...), with the commands whose { } arguments enclose them.</summary>
        public List<(PsToken Token, string[] Owners)> Assignments { get; } = new List<(PsToken, string[])>();

        /// <summary>The keys of every hashtable literal (they become variables when a hashtable is Pester -ForEach data).</summary>
        public HashSet<string> HashtableKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Marks a scriptblock that is stored, not run where it stands (an expression or a hashtable value).</summary>
        public const string DeferredBlock = "{}";

        /// <summary>Marks a function body.</summary>
        public const string FunctionBody = "function";

        private readonly List<string> _owners = new List<string>();

        private void AddVariable(PsToken t)
        {
            Variables.Add(t);
            Reads.Add((t, _owners.ToArray()));
        }

        private void ParseGroupOwnedBy(string owner)
        {
            _owners.Add(owner);
            try { ParseGroup(); }
            finally { _owners.RemoveAt(_owners.Count - 1); }
        }

        private PowerShellScriptModel(List<PsToken> tokens)
        {
            _tokens = tokens;
        }

        public static PowerShellScriptModel Parse(string text)
        {
            var tokens = PowerShellTokenizer.Tokenize(text, out var errors);
            var model = new PowerShellScriptModel(tokens);
            foreach (var e in errors) model.Findings.Add(new PsFinding("Syntax.Error", e.Line, e.Message));
            model.ParseBlock(null, null);
            return model;
        }

        /// <summary>Normalises a variable name for lookups: $script:Conn and $Conn are the same hashtable here.</summary>
        public static string VariableKey(string name)
        {
            foreach (var scope in new[] { "script:", "global:", "local:", "private:" })
                if (name.StartsWith(scope, StringComparison.OrdinalIgnoreCase)) return name.Substring(scope.Length);
            return name;
        }

        private PsToken? Cur => _i < _tokens.Count ? _tokens[_i] : null;
        private PsToken? At(int index) => index >= 0 && index < _tokens.Count ? _tokens[index] : null;

        private static bool IsTerminator(PsToken? t)
            => t == null || t.Kind is PsTokenKind.NewLine or PsTokenKind.Semicolon or PsTokenKind.Pipe or PsTokenKind.GroupClose
               || (t.Kind == PsTokenKind.Operator && (t.Text == "&&" || t.Text == "||"));

        private static string Closer(string open) => open switch { "[" => "]", "{" or "@{" => "}", _ => ")" };

        private void SkipNewLines()
        {
            while (Cur != null && Cur.Kind == PsTokenKind.NewLine) _i++;
        }

        // Statements until the closer of the group that was just opened (consumed), or to the end.
        private void ParseBlock(PsToken? open, List<string>? hashKeys)
        {
            while (Cur != null)
            {
                var t = Cur;
                if (t.Kind is PsTokenKind.NewLine or PsTokenKind.Semicolon)
                {
                    _i++;
                    continue;
                }
                if (t.Kind == PsTokenKind.GroupClose)
                {
                    _i++;
                    if (open == null)
                    {
                        Findings.Add(new PsFinding("Syntax.Error", t.Line, $"'{t.Text}' closes nothing."));
                        continue;
                    }
                    if (t.Text != Closer(open.Text))
                        Findings.Add(new PsFinding("Syntax.Error", t.Line, $"'{t.Text}' closes the '{open.Text}' opened on line {open.Line}."));
                    return;
                }
                var before = _i;
                ParseStatement(hashKeys);
                if (_i == before) _i++; // never loop on a token no rule consumes
            }
            if (open != null) Findings.Add(new PsFinding("Syntax.Error", open.Line, $"'{open.Text}' is never closed."));
        }

        private void ParseStatement(List<string>? hashKeys)
        {
            var first = true;
            var afterPipe = false;
            PsCommandUse? producer = null;
            while (Cur != null)
            {
                var element = ParsePipelineElement(first ? hashKeys : null);
                if (producer != null && element != null) Pipes.Add((producer, element));
                if (element != null && afterPipe) element.HasPipelineInput = true;
                afterPipe = false;
                first = false;
                producer = null;
                var t = Cur;
                if (t == null) return;
                if (t.Kind == PsTokenKind.Pipe || (t.Kind == PsTokenKind.Operator && (t.Text == "&&" || t.Text == "||")))
                {
                    if (t.Kind == PsTokenKind.Pipe)
                    {
                        producer = element;
                        afterPipe = true;
                    }
                    if (t.Kind == PsTokenKind.Operator)
                        Findings.Add(new PsFinding("Compat51.PipelineChain", t.Line, $"'{t.Text}' (pipeline chain operators) needs PowerShell 7."));
                    _i++;
                    SkipNewLines();
                    continue;
                }
                if (t.Kind == PsTokenKind.NewLine)
                {
                    // PowerShell 7 lets a pipeline continue on the next line when that line starts with '|'.
                    var j = _i;
                    while (At(j)?.Kind == PsTokenKind.NewLine) j++;
                    if (At(j)?.Kind == PsTokenKind.Pipe)
                    {
                        producer = element;
                        afterPipe = true;
                        Findings.Add(new PsFinding("Compat51.LeadingPipe", At(j)!.Line, "A line that starts with '|' continues the pipeline only in PowerShell 7."));
                        _i = j + 1;
                        SkipNewLines();
                        continue;
                    }
                }
                return;
            }
        }

        // Returns the command the element calls, if it is a command.
        private PsCommandUse? ParsePipelineElement(List<string>? hashKeys)
        {
            var t = Cur;
            if (t == null || IsTerminator(t)) return null;
            var next = At(_i + 1);
            if (t.Kind == PsTokenKind.Word && Keywords.Contains(t.Text) && !(next != null && next.Kind == PsTokenKind.Word && AssignmentOperators.Contains(next.Text)))
            {
                ParseKeywordStatement();
                return null;
            }
            if ((t.Kind == PsTokenKind.Operator && t.Text == "&") || (t.Kind == PsTokenKind.Word && t.Text == "." && next != null && next.SpaceBefore))
            {
                _i++;
                var target = Cur;
                if (target != null && (target.Kind == PsTokenKind.Word || target.Kind == PsTokenKind.String))
                {
                    _i++;
                    var called = new PsCommandUse(target, StripQualifier(target.Text));
                    ParseCommandArguments(called);
                    return called;
                }
                if (target != null && target.Kind == PsTokenKind.GroupOpen) ParseGroup();
                else if (target != null) _i++;
                ParseCommandArguments(null);
                return null;
            }
            var isAssignmentTarget = next != null && next.Kind == PsTokenKind.Word && AssignmentOperators.Contains(next.Text);
            if (t.Kind == PsTokenKind.Word && !isAssignmentTarget && !LooksLikeNumber(t.Text))
            {
                _i++;
                var command = new PsCommandUse(t, StripQualifier(t.Text));
                ParseCommandArguments(command);
                return command;
            }
            if (hashKeys != null && isAssignmentTarget && (t.Kind == PsTokenKind.Word || t.Kind == PsTokenKind.String)) hashKeys.Add(t.Text);
            ParseExpression();
            return null;
        }

        private static bool LooksLikeNumber(string text)
            => text.Length > 0 && (char.IsDigit(text[0]) || ((text[0] == '-' || text[0] == '+' || text[0] == '.') && text.Length > 1 && char.IsDigit(text[1])));

        private static string StripQualifier(string name)
        {
            var slash = name.LastIndexOf('\\');
            return slash >= 0 && !name.Contains("/") && !name.StartsWith(".", StringComparison.Ordinal) ? name.Substring(slash + 1) : name;
        }

        private void ParseKeywordStatement()
        {
            var keyword = Cur!.Text.ToLowerInvariant();
            _i++;
            switch (keyword)
            {
                case "return":
                case "throw":
                case "exit":
                    if (!IsTerminator(Cur)) ParseStatement(null);
                    return;
                case "break":
                case "continue":
                    if (Cur != null && Cur.Kind == PsTokenKind.Word) _i++;
                    return;
                case "function":
                case "filter":
                case "workflow":
                    ParseFunction();
                    return;
                case "param":
                    SkipNewLines();
                    if (Cur != null && Cur.Kind == PsTokenKind.GroupOpen && Cur.Text == "(") ParseGroup();
                    return;
            }
            // if/foreach/while/switch/try/catch/...: parts until a { } block, which ends the statement.
            while (Cur != null && !(Cur.Kind is PsTokenKind.Semicolon or PsTokenKind.Pipe or PsTokenKind.GroupClose))
            {
                if (Cur.Kind == PsTokenKind.NewLine)
                {
                    // A condition or block may follow on the next line (if ($x)\n{ ... }).
                    var j = _i;
                    while (At(j)?.Kind == PsTokenKind.NewLine) j++;
                    if (At(j)?.Kind == PsTokenKind.GroupOpen && (At(j)!.Text == "{" || At(j)!.Text == "(")) _i = j;
                    else return;
                }
                var t = Cur!;
                if (t.Kind == PsTokenKind.GroupOpen)
                {
                    ParseGroup();
                    if (t.Text == "{") return;
                    continue;
                }
                if (t.Kind == PsTokenKind.String) ParseEmbedded(t);
                if (t.Kind == PsTokenKind.Variable) AddVariable(t);
                _i++;
            }
        }

        private void ParseFunction()
        {
            var nameToken = Cur;
            if (nameToken == null || nameToken.Kind != PsTokenKind.Word) return;
            _i++;
            var function = new PsFunctionDefinition(StripQualifier(nameToken.Text), nameToken.Line);
            Functions.Add(function);
            if (Cur != null && Cur.Kind == PsTokenKind.GroupOpen && Cur.Text == "(")
            {
                ReadParameterList(function);
                ParseGroup();
            }
            SkipNewLines();
            if (Cur == null || Cur.Kind != PsTokenKind.GroupOpen || Cur.Text != "{") return;
            // The body: [CmdletBinding()] and param( ) at its top level describe the function.
            var depth = 0;
            for (var j = _i + 1; j < _tokens.Count; j++)
            {
                var t = _tokens[j];
                if (t.Kind == PsTokenKind.GroupOpen) depth++;
                else if (t.Kind == PsTokenKind.GroupClose)
                {
                    if (depth == 0) break;
                    depth--;
                }
                else if (depth == 1 && t.Kind == PsTokenKind.Word && t.Text.Equals("CmdletBinding", StringComparison.OrdinalIgnoreCase)) function.IsAdvanced = true;
                else if (depth == 0 && t.Kind == PsTokenKind.Word && t.Text.Equals("param", StringComparison.OrdinalIgnoreCase)
                         && At(j + 1)?.Kind == PsTokenKind.GroupOpen && At(j + 1)!.Text == "(")
                {
                    var save = _i;
                    _i = j + 1;
                    ReadParameterList(function);
                    _i = save;
                    break;
                }
            }
            ParseGroupOwnedBy(FunctionBody);
        }

        // Reads the parameter names of the param list whose '(' is the current token, without consuming it.
        private void ReadParameterList(PsFunctionDefinition function)
        {
            var depth = 0;
            var expectName = true;
            for (var j = _i + 1; j < _tokens.Count; j++)
            {
                var t = _tokens[j];
                if (t.Kind == PsTokenKind.GroupOpen) depth++;
                else if (t.Kind == PsTokenKind.GroupClose)
                {
                    if (depth == 0) return;
                    depth--;
                    // An attribute's ']' is followed by more attributes, the type or the name: still expecting it.
                }
                else if (depth == 0 && t.Kind == PsTokenKind.Comma) expectName = true;
                else if (depth == 0 && t.Kind == PsTokenKind.Variable && expectName)
                {
                    function.Parameters.Add(t.Text);
                    expectName = false;
                }
            }
        }

        private void ParseCommandArguments(PsCommandUse? command)
        {
            if (command != null) Commands.Add(command);
            while (Cur != null && !IsTerminator(Cur))
            {
                var t = Cur;
                command?.Arguments.Add(t);
                switch (t.Kind)
                {
                    case PsTokenKind.Parameter:
                        command?.Parameters.Add(t);
                        _i++;
                        break;
                    case PsTokenKind.Splat:
                        command?.Splats.Add(t);
                        _i++;
                        break;
                    case PsTokenKind.GroupOpen:
                        if (t.Text == "{" && command != null) ParseGroupOwnedBy(command.Name);
                        else ParseGroup();
                        break;
                    case PsTokenKind.String:
                        ParseEmbedded(t);
                        _i++;
                        break;
                    case PsTokenKind.Variable:
                        AddVariable(t);
                        _i++;
                        break;
                    case PsTokenKind.Comma:
                        _i++;
                        SkipNewLines(); // a list may go on on the next line
                        break;
                    case PsTokenKind.Operator when t.Text.StartsWith("<", StringComparison.Ordinal):
                        ReservedLessThan(t);
                        _i++;
                        break;
                    default:
                        _i++;
                        break;
                }
            }
        }

        private void ParseExpression()
        {
            var start = _i;
            while (Cur != null && !IsTerminator(Cur))
            {
                var t = Cur;
                switch (t.Kind)
                {
                    case PsTokenKind.GroupOpen:
                        if (t.Text == "{") ParseGroupOwnedBy(DeferredBlock);
                        else ParseGroup();
                        continue;
                    case PsTokenKind.String:
                        ParseEmbedded(t);
                        break;
                    case PsTokenKind.Variable:
                        AddVariable(t);
                        break;
                    case PsTokenKind.Comma:
                        _i++;
                        SkipNewLines();
                        continue;
                    case PsTokenKind.Word when AssignmentOperators.Contains(t.Text):
                        if (t.Text == "??=") Findings.Add(new PsFinding("Compat51.NullCoalescing", t.Line, "'??=' needs PowerShell 7."));
                        ParseAssignment(start, _i);
                        return;
                    case PsTokenKind.Operator when t.Text.StartsWith("<", StringComparison.Ordinal):
                        ReservedLessThan(t);
                        break;
                    case PsTokenKind.Word when t.Text == "?" && _i > start:
                        Findings.Add(new PsFinding("Compat51.Ternary", t.Line, "The ternary operator '? :' needs PowerShell 7."));
                        break;
                    case PsTokenKind.Word when t.Text == "??" || t.Text.StartsWith("?.", StringComparison.Ordinal) || t.Text.StartsWith("?[", StringComparison.Ordinal):
                        Findings.Add(new PsFinding("Compat51.NullCoalescing", t.Line, $"'{t.Text}' (null-coalescing or null-conditional) needs PowerShell 7."));
                        break;
                }
                _i++;
            }
        }

        private void ReservedLessThan(PsToken t)
            => Findings.Add(new PsFinding("Syntax.Error", t.Line, "The '<' operator is reserved for future use: quote the text (a placeholder such as <name> is not valid PowerShell)."));

        // $h = @{ ... } defines a hashtable; $h.Key = ... and $h['Key'] = ... add a key to it; anything else is a pipeline.
        private void ParseAssignment(int lhsStart, int operatorIndex)
        {
            var lhs = _tokens.GetRange(lhsStart, operatorIndex - lhsStart);
            _i = operatorIndex + 1;
            SkipNewLines();
            var variableIndex = lhs.FindLastIndex(x => x.Kind == PsTokenKind.Variable);
            if (variableIndex >= 0 && variableIndex == lhs.Count - 1) Assignments.Add((lhs[variableIndex], _owners.ToArray()));
            var isPlainVariable = lhs.Count > 0 && variableIndex == lhs.Count - 1 && _tokens[operatorIndex].Text == "=";
            if (isPlainVariable && Cur != null && Cur.Kind == PsTokenKind.GroupOpen && Cur.Text == "@{")
            {
                var keys = ParseGroup();
                if (IsTerminator(Cur))
                {
                    var definition = Definition(lhs[variableIndex].Text);
                    definition.Assignments++;
                    foreach (var k in keys) definition.Keys.Add(k);
                    return;
                }
                ParseExpression();
                return;
            }
            if (variableIndex >= 0 && variableIndex == lhs.Count - 2 && lhs[lhs.Count - 1].Kind == PsTokenKind.Word && lhs[lhs.Count - 1].Text.StartsWith(".", StringComparison.Ordinal))
                Definition(lhs[variableIndex].Text).LaterKeys.Add(lhs[lhs.Count - 1].Text.Substring(1));
            else if (variableIndex >= 0 && variableIndex == lhs.Count - 4 && lhs[variableIndex + 1].Text == "[" && lhs[variableIndex + 2].Kind == PsTokenKind.String)
                Definition(lhs[variableIndex].Text).LaterKeys.Add(lhs[variableIndex + 2].Text);
            ParseStatement(null);
        }

        private PsHashtableDefinition Definition(string variable)
        {
            var key = VariableKey(variable);
            if (!Hashtables.TryGetValue(key, out var d)) Hashtables[key] = d = new PsHashtableDefinition();
            return d;
        }

        // Parses the group whose opening token is current, through its closer; returns a hashtable literal's keys.
        private List<string> ParseGroup()
        {
            var open = Cur!;
            _i++;
            var keys = new List<string>();
            if (open.Text == "[")
            {
                // A type literal, an attribute or an index: nothing in it is a command, except inside its own groups.
                while (Cur != null)
                {
                    var t = Cur;
                    if (t.Kind == PsTokenKind.GroupClose)
                    {
                        _i++;
                        if (t.Text != "]") Findings.Add(new PsFinding("Syntax.Error", t.Line, $"'{t.Text}' closes the '[' opened on line {open.Line}."));
                        return keys;
                    }
                    if (t.Kind == PsTokenKind.GroupOpen)
                    {
                        ParseGroup();
                        continue;
                    }
                    if (t.Kind == PsTokenKind.Variable) AddVariable(t);
                    if (t.Kind == PsTokenKind.String) ParseEmbedded(t);
                    _i++;
                }
                Findings.Add(new PsFinding("Syntax.Error", open.Line, "'[' is never closed."));
                return keys;
            }
            ParseBlock(open, open.Text == "@{" ? keys : null);
            HashtableKeys.UnionWith(keys);
            return keys;
        }

        private void ParseEmbedded(PsToken stringToken)
        {
            foreach (var tokens in stringToken.Embedded)
            {
                var inner = new PowerShellScriptModel(tokens);
                inner._owners.AddRange(_owners);
                inner.ParseBlock(null, null);
                Reads.AddRange(inner.Reads);
                Assignments.AddRange(inner.Assignments);
                HashtableKeys.UnionWith(inner.HashtableKeys);
                Commands.AddRange(inner.Commands);
                Pipes.AddRange(inner.Pipes);
                Findings.AddRange(inner.Findings);
                Variables.AddRange(inner.Variables);
                Functions.AddRange(inner.Functions);
            }
        }
    }
}
