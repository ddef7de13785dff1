using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FmsTools.Tests.Contract
{
    public enum PsTokenKind
    {
        Word,        // bareword: command name, argument, keyword, member access (.Count), '=', '?'
        Parameter,   // -Name or -Name: (Text holds the name without the dash or colon)
        Variable,    // $name, $script:name, ${name} (Text holds the name)
        Splat,       // @name (Text holds the name)
        String,      // any quoted string or here-string, with the $( ) subexpressions of expandable ones in Embedded
        NewLine,
        Semicolon,
        Pipe,
        Comma,
        Operator,    // && || & (call) and redirections
        GroupOpen,   // ( { [ @( @{ $(
        GroupClose,  // ) } ]
    }

    public sealed class PsToken
    {
        public PsToken(PsTokenKind kind, string text, int line, int column, bool spaceBefore)
        {
            Kind = kind;
            Text = text;
            Line = line;
            Column = column;
            SpaceBefore = spaceBefore;
        }

        public PsTokenKind Kind { get; }
        public string Text { get; set; }
        public int Line { get; }
        public int Column { get; }

        /// <summary>Whitespace (or a line continuation) separates this token from the one before it.</summary>
        public bool SpaceBefore { get; }

        /// <summary>-Name:value (the value follows the colon).</summary>
        public bool HasColon { get; set; }

        /// <summary>Token lists of the $( ) subexpressions inside an expandable string.</summary>
        public List<List<PsToken>> Embedded { get; } = new List<List<PsToken>>();

        /// <summary>A dash other than '-' (en dash, em dash), which PowerShell accepts but a reader may not notice.</summary>
        public bool UnusualDash { get; set; }

        public override string ToString() => $"{Kind}:{Text}@{Line}:{Column}";
    }

    public sealed class PsSyntaxError
    {
        public PsSyntaxError(int line, string message)
        {
            Line = line;
            Message = message;
        }

        public int Line { get; }
        public string Message { get; }
    }

    /// <summary>
    /// A small PowerShell tokenizer: enough to tell commands, -parameters, variables and groups apart from what
    /// sits inside strings (single and double quoted, here-strings) and comments (# and &lt;# #&gt;). It knows
    /// line continuations (backtick + newline), splatting (@name), subexpressions inside expandable strings,
    /// and PowerShell's typographic quotes and dashes. It is not a parser: <see cref="ScriptContract"/> builds
    /// command invocations from the tokens.
    /// </summary>
    public sealed class PowerShellTokenizer
    {
        private readonly string _text;
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        private PowerShellTokenizer(string text)
        {
            _text = text.Replace("\r\n", "\n");
        }

        public List<PsSyntaxError> Errors { get; } = new List<PsSyntaxError>();

        public static List<PsToken> Tokenize(string text, out List<PsSyntaxError> errors)
        {
            var t = new PowerShellTokenizer(text);
            var tokens = t.Scan(stopAtUnmatchedParen: false);
            errors = t.Errors;
            return tokens;
        }

        internal static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
        internal static bool IsDoubleQuote(char c) => c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
        internal static bool IsDash(char c) => c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2015';

        private char Peek(int offset = 0) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

        private int Column => _pos - _lineStart + 1;

        private void NewLineAt(int newlineIndex)
        {
            _line++;
            _lineStart = newlineIndex + 1;
        }

        // Scans tokens until the end, or (for a subexpression in a string) until the ')' that closes it.
        private List<PsToken> Scan(bool stopAtUnmatchedParen)
        {
            var tokens = new List<PsToken>();
            var depth = 0;
            var space = true;
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u00A0' || c == '\uFEFF')
                {
                    _pos++;
                    space = true;
                    continue;
                }
                if (c == '`' && (Peek(1) == '\n' || (Peek(1) == '\r' && Peek(2) == '\n')))
                {
                    _pos += Peek(1) == '\n' ? 2 : 3;
                    NewLineAt(_pos - 1);
                    space = true;
                    continue;
                }
                if (c == '\n')
                {
                    tokens.Add(new PsToken(PsTokenKind.NewLine, "\n", _line, Column, space));
                    _pos++;
                    NewLineAt(_pos - 1);
                    space = true;
                    continue;
                }
                if (c == '<' && Peek(1) == '#')
                {
                    SkipBlockComment();
                    space = true;
                    continue;
                }
                if (c == '#')
                {
                    while (_pos < _text.Length && Peek() != '\n') _pos++;
                    space = true;
                    continue;
                }

                var line = _line;
                var col = Column;
                PsToken token;
                if (IsSingleQuote(c))
                {
                    token = new PsToken(PsTokenKind.String, ScanSingleQuoted(), line, col, space);
                }
                else if (IsDoubleQuote(c))
                {
                    token = new PsToken(PsTokenKind.String, "", line, col, space);
                    ScanDoubleQuoted(token);
                }
                else if (c == '@' && (IsSingleQuote(Peek(1)) || IsDoubleQuote(Peek(1))) && RestOfLineIsBlank(_pos + 2))
                {
                    token = new PsToken(PsTokenKind.String, "", line, col, space);
                    ScanHereString(token);
                }
                else if (c == '@' && (Peek(1) == '(' || Peek(1) == '{'))
                {
                    token = new PsToken(PsTokenKind.GroupOpen, "@" + Peek(1), line, col, space);
                    _pos += 2;
                    depth++;
                }
                else if (c == '@' && IsVariableStart(Peek(1)))
                {
                    _pos++;
                    token = new PsToken(PsTokenKind.Splat, ScanVariableName(), line, col, space);
                }
                else if (c == '$' && Peek(1) == '(')
                {
                    token = new PsToken(PsTokenKind.GroupOpen, "$(", line, col, space);
                    _pos += 2;
                    depth++;
                }
                else if (c == '$' && Peek(1) == '{')
                {
                    var end = _text.IndexOf('}', _pos + 2);
                    if (end < 0) end = _text.Length - 1;
                    token = new PsToken(PsTokenKind.Variable, _text.Substring(_pos + 2, end - _pos - 2), line, col, space);
                    _pos = end + 1;
                }
                else if (c == '$' && (IsVariableStart(Peek(1)) || Peek(1) == '$' || Peek(1) == '?' || Peek(1) == '^'))
                {
                    _pos++;
                    var name = Peek() == '$' || Peek() == '?' || Peek() == '^' ? _text[_pos++].ToString() : ScanVariableName();
                    token = new PsToken(PsTokenKind.Variable, name, line, col, space);
                }
                else if (c == '(' || c == '{' || c == '[')
                {
                    token = new PsToken(PsTokenKind.GroupOpen, c.ToString(), line, col, space);
                    _pos++;
                    depth++;
                }
                else if (c == ')' || c == '}' || c == ']')
                {
                    if (c == ')' && stopAtUnmatchedParen && depth == 0)
                    {
                        _pos++;
                        return tokens;
                    }
                    token = new PsToken(PsTokenKind.GroupClose, c.ToString(), line, col, space);
                    _pos++;
                    depth--;
                }
                else if (c == ';')
                {
                    token = new PsToken(PsTokenKind.Semicolon, ";", line, col, space);
                    _pos++;
                }
                else if (c == ',')
                {
                    token = new PsToken(PsTokenKind.Comma, ",", line, col, space);
                    _pos++;
                }
                else if (c == '|')
                {
                    var two = Peek(1) == '|';
                    token = new PsToken(two ? PsTokenKind.Operator : PsTokenKind.Pipe, two ? "||" : "|", line, col, space);
                    _pos += two ? 2 : 1;
                }
                else if (c == '&')
                {
                    var two = Peek(1) == '&';
                    token = new PsToken(PsTokenKind.Operator, two ? "&&" : "&", line, col, space);
                    _pos += two ? 2 : 1;
                }
                else if (TryScanRedirection(out var redirection))
                {
                    token = new PsToken(PsTokenKind.Operator, redirection, line, col, space);
                }
                else if (IsDash(c) && (char.IsLetter(Peek(1)) || Peek(1) == '_' || Peek(1) == '?')
                         && (space || tokens.Count == 0 || tokens[tokens.Count - 1].Kind is PsTokenKind.GroupOpen or PsTokenKind.Pipe
                             or PsTokenKind.Semicolon or PsTokenKind.Comma))
                {
                    _pos++;
                    var start = _pos;
                    while (_pos < _text.Length && (char.IsLetterOrDigit(Peek()) || Peek() == '_' || Peek() == '?')) _pos++;
                    token = new PsToken(PsTokenKind.Parameter, _text.Substring(start, _pos - start), line, col, space) { UnusualDash = c != '-' };
                    if (Peek() == ':' && Peek(1) != ':')
                    {
                        token.HasColon = true;
                        _pos++;
                    }
                }
                else
                {
                    token = new PsToken(PsTokenKind.Word, ScanWord(), line, col, space);
                }
                tokens.Add(token);
                space = false;
            }
            if (stopAtUnmatchedParen) Errors.Add(new PsSyntaxError(_line, "A $( subexpression is not closed."));
            return tokens;
        }

        private static bool IsVariableStart(char c) => char.IsLetterOrDigit(c) || c == '_';

        private string ScanVariableName()
        {
            var start = _pos;
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (IsVariableStart(c)) _pos++;
                // A scope or drive qualifier ($script:Name, $env:PATH), not '::' and not a trailing colon.
                else if (c == ':' && Peek(1) != ':' && IsVariableStart(Peek(1)) && _text.IndexOf(':', start, _pos - start) < 0) _pos++;
                else break;
            }
            return _text.Substring(start, _pos - start);
        }

        private bool RestOfLineIsBlank(int from)
        {
            for (var i = from; i < _text.Length; i++)
            {
                if (_text[i] == '\n') return true;
                if (_text[i] != ' ' && _text[i] != '\t' && _text[i] != '\r') return false;
            }
            return false;
        }

        private bool TryScanRedirection(out string text)
        {
            // >, >>, 2>, 2>>, 2>&1, *>&1, < (reserved, but scan it as an operator too)
            var i = _pos;
            if (i < _text.Length && (char.IsDigit(_text[i]) || _text[i] == '*') && i + 1 < _text.Length && _text[i + 1] == '>') i++;
            if (i >= _text.Length || (_text[i] != '>' && _text[i] != '<'))
            {
                text = "";
                return false;
            }
            i++;
            if (i < _text.Length && _text[i] == '>') i++;
            if (i + 1 < _text.Length && _text[i] == '&' && char.IsDigit(_text[i + 1])) i += 2;
            text = _text.Substring(_pos, i - _pos);
            _pos = i;
            return true;
        }

        private string ScanWord()
        {
            var sb = new StringBuilder();
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (c == '=')
                {
                    // '=' is an assignment (or a hashtable key's) operator even without spaces: Name='x', $a+=1.
                    if (sb.Length == 0 || sb.ToString().All(ch => "+-*/%?".IndexOf(ch) >= 0))
                    {
                        sb.Append(c);
                        _pos++;
                    }
                    break;
                }
                // A quoted key inside an index ($env['HOME'], $table["key"]) belongs to the word that opened the bracket.
                if ((IsSingleQuote(c) || IsDoubleQuote(c)) && sb.ToString().Count(ch => ch == '[') > sb.ToString().Count(ch => ch == ']'))
                {
                    var close = _text.IndexOf(c, _pos + 1);
                    if (close > _pos)
                    {
                        sb.Append(_text, _pos, close - _pos + 1);
                        _pos = close + 1;
                        continue;
                    }
                }
                if (char.IsWhiteSpace(c) || c == '(' || c == ')' || c == '{' || c == '}' || c == ';' || c == ',' || c == '|' || c == '&'
                    || IsSingleQuote(c) || IsDoubleQuote(c))
                    break;
                // '[' starts a group only at the start of a token (a type literal); inside a word it is a wildcard,
                // and a ']' closes such a wildcard or else the group the word sits in.
                if (c == ']' && sb.ToString().Count(ch => ch == '[') <= sb.ToString().Count(ch => ch == ']')) break;
                if (c == '$' && sb.Length > 0 && (Peek(1) == '(' || IsVariableStart(Peek(1)))) break;
                if (c == '`' && _pos + 1 < _text.Length && _text[_pos + 1] != '\n')
                {
                    sb.Append(_text[_pos + 1]);
                    _pos += 2;
                    continue;
                }
                if (c == '`') break;
                sb.Append(c);
                _pos++;
            }
            if (sb.Length == 0)
            {
                // A character that starts no token: take it alone so scanning always advances.
                sb.Append(Peek());
                _pos++;
            }
            return sb.ToString();
        }

        private void SkipBlockComment()
        {
            var start = _line;
            _pos += 2;
            while (_pos < _text.Length && !(Peek() == '#' && Peek(1) == '>'))
            {
                if (Peek() == '\n') NewLineAt(_pos);
                _pos++;
            }
            if (_pos >= _text.Length) Errors.Add(new PsSyntaxError(start, "A <# block comment is not closed with #>."));
            else _pos += 2;
        }

        private string ScanSingleQuoted()
        {
            var start = _line;
            var sb = new StringBuilder();
            _pos++;
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (IsSingleQuote(c))
                {
                    if (IsSingleQuote(Peek(1)))
                    {
                        sb.Append(c);
                        _pos += 2;
                        continue;
                    }
                    _pos++;
                    return sb.ToString();
                }
                if (c == '\n') NewLineAt(_pos);
                sb.Append(c);
                _pos++;
            }
            Errors.Add(new PsSyntaxError(start, "A single-quoted string is not closed."));
            return sb.ToString();
        }

        private void ScanDoubleQuoted(PsToken token)
        {
            var start = _line;
            var sb = new StringBuilder();
            _pos++;
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (c == '`' && _pos + 1 < _text.Length)
                {
                    if (Peek(1) == '\n') NewLineAt(_pos + 1);
                    sb.Append(Peek(1));
                    _pos += 2;
                    continue;
                }
                if (IsDoubleQuote(c))
                {
                    if (IsDoubleQuote(Peek(1)))
                    {
                        sb.Append(c);
                        _pos += 2;
                        continue;
                    }
                    _pos++;
                    Finish(token, sb);
                    return;
                }
                if (c == '$' && Peek(1) == '(')
                {
                    _pos += 2;
                    token.Embedded.Add(Scan(stopAtUnmatchedParen: true));
                    sb.Append("$(...)");
                    continue;
                }
                if (c == '\n') NewLineAt(_pos);
                sb.Append(c);
                _pos++;
            }
            Errors.Add(new PsSyntaxError(start, "A double-quoted string is not closed."));
            Finish(token, sb);
        }

        private void ScanHereString(PsToken token)
        {
            var start = _line;
            var expandable = IsDoubleQuote(Peek(1));
            _pos += 2;
            while (Peek() != '\n') _pos++;
            NewLineAt(_pos);
            _pos++;
            var sb = new StringBuilder();
            var atLineStart = true;
            while (_pos < _text.Length)
            {
                var c = Peek();
                if (atLineStart && (expandable ? IsDoubleQuote(c) : IsSingleQuote(c)) && Peek(1) == '@')
                {
                    _pos += 2;
                    Finish(token, sb);
                    return;
                }
                atLineStart = false;
                if (expandable && c == '`' && _pos + 1 < _text.Length && Peek(1) != '\n')
                {
                    sb.Append(Peek(1));
                    _pos += 2;
                    continue;
                }
                if (expandable && c == '$' && Peek(1) == '(')
                {
                    _pos += 2;
                    token.Embedded.Add(Scan(stopAtUnmatchedParen: true));
                    sb.Append("$(...)");
                    continue;
                }
                if (c == '\n')
                {
                    NewLineAt(_pos);
                    atLineStart = true;
                }
                sb.Append(c);
                _pos++;
            }
            Errors.Add(new PsSyntaxError(start, $"A here-string (@{(expandable ? '"' : '\'')}) is not closed by {(expandable ? '"' : '\'')}@ at the start of a line."));
            Finish(token, sb);
        }

        private static void Finish(PsToken token, StringBuilder sb)
        {
            token.Text = sb.ToString();
        }
    }
}
