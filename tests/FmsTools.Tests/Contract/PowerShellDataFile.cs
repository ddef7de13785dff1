using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// Reads the restricted language of a .psd1 data file (hashtables, arrays, quoted strings, numbers,
    /// $true/$false/$null, comments), which is all a module manifest may contain. No PowerShell host
    /// exists on the build machines, so the contract tests parse the manifest themselves.
    /// </summary>
    public sealed class PowerShellDataFile
    {
        private readonly string _text;
        private int _pos;

        private PowerShellDataFile(string text) { _text = text; }

        public static Dictionary<string, object?> ParseHashtable(string text)
        {
            var parser = new PowerShellDataFile(text);
            parser.SkipTrivia();
            var value = parser.ParseValue();
            parser.SkipTrivia();
            if (parser._pos != text.Length) throw parser.Error("unexpected content after the top-level value");
            return value as Dictionary<string, object?> ?? throw parser.Error("the file is not a hashtable");
        }

        private object? ParseValue()
        {
            SkipTrivia();
            if (Peek("@{")) return ParseHash();
            if (Peek("@(")) return ParseArray();
            var c = Current;
            if (c == '\'') return ParseSingleQuoted();
            if (c == '"') return ParseDoubleQuoted();
            if (c == '$') return ParseVariable();
            if (char.IsDigit(c) || c == '-' || c == '.') return ParseNumber();
            throw Error($"unexpected character '{c}'");
        }

        private Dictionary<string, object?> ParseHash()
        {
            _pos += 2;
            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipTrivia(newlinesToo: true);
                if (Current == ';') { _pos++; continue; }
                if (Current == '}') { _pos++; return result; }
                var key = Current == '\'' ? ParseSingleQuoted() : Current == '"' ? ParseDoubleQuoted() : ParseBareWord();
                SkipTrivia();
                Expect('=');
                result[key] = ParseValue();
            }
        }

        private List<object?> ParseArray()
        {
            _pos += 2;
            var result = new List<object?>();
            while (true)
            {
                SkipTrivia(newlinesToo: true);
                if (Current == ',' || Current == ';') { _pos++; continue; }
                if (Current == ')') { _pos++; return result; }
                result.Add(ParseValue());
            }
        }

        private string ParseSingleQuoted()
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                var c = _text[_pos++];
                if (c == '\'')
                {
                    if (_pos < _text.Length && _text[_pos] == '\'') { sb.Append('\''); _pos++; continue; }
                    return sb.ToString();
                }
                sb.Append(c);
            }
        }

        private string ParseDoubleQuoted()
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                var c = _text[_pos++];
                if (c == '"') return sb.ToString();
                if (c == '$') throw Error("a manifest string must not expand variables");
                if (c == '`' && _pos < _text.Length) { sb.Append(_text[_pos++]); continue; }
                sb.Append(c);
            }
        }

        private object? ParseVariable()
        {
            var word = ParseBareWord(allowDollar: true);
            switch (word.ToLowerInvariant())
            {
                case "$true": return true;
                case "$false": return false;
                case "$null": return null;
                default: throw Error($"variable {word} is not allowed in a data file");
            }
        }

        private object ParseNumber()
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.' || _text[_pos] == '-')) _pos++;
            var token = _text.Substring(start, _pos - start);
            if (long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw Error($"bad number '{token}'");
        }

        private string ParseBareWord(bool allowDollar = false)
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_' || (allowDollar && _pos == start && _text[_pos] == '$'))) _pos++;
            if (_pos == start) throw Error("expected a name");
            return _text.Substring(start, _pos - start);
        }

        private void SkipTrivia(bool newlinesToo = true)
        {
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (c == '#') { while (_pos < _text.Length && _text[_pos] != '\n') _pos++; continue; }
                if (Peek("<#")) { var end = _text.IndexOf("#>", _pos, StringComparison.Ordinal); _pos = end < 0 ? _text.Length : end + 2; continue; }
                if (char.IsWhiteSpace(c) && (newlinesToo || c != '\n')) { _pos++; continue; }
                break;
            }
        }

        private void Expect(char c)
        {
            if (Current != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private bool Peek(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;
        private char Current => _pos < _text.Length ? _text[_pos] : '\0';

        private FormatException Error(string message)
        {
            var line = 1;
            for (var i = 0; i < _pos && i < _text.Length; i++) if (_text[i] == '\n') line++;
            return new FormatException($"psd1 line {line}: {message}");
        }
    }
}
