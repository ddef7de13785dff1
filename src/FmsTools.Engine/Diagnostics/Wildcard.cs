using System.Text;
using System.Text.RegularExpressions;

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>PowerShell-style wildcards (*, ?, [abc], [a-z], ` escapes), case-insensitive, without a host.</summary>
    public sealed class Wildcard
    {
        private readonly Regex? _regex;
        private readonly string _literal;

        public Wildcard(string pattern)
        {
            Pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
            _literal = pattern;
            if (HasWildcards(pattern)) _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }

        /// <summary>A pattern that matches exactly <paramref name="text"/>, wildcard characters included.</summary>
        public static Wildcard Literal(string text)
            => new Wildcard(text.Replace("`", "``").Replace("*", "`*").Replace("?", "`?").Replace("[", "`["));

        public bool IsMatch(string? value)
        {
            if (value == null) return false;
            return _regex?.IsMatch(value) ?? string.Equals(value, Unescape(_literal), StringComparison.OrdinalIgnoreCase);
        }

        public static bool HasWildcards(string pattern)
        {
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '`') { i++; continue; }
                if (pattern[i] == '*' || pattern[i] == '?' || pattern[i] == '[') return true;
            }
            return false;
        }

        private static string Unescape(string pattern)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '`' && i + 1 < pattern.Length) i++;
                sb.Append(pattern[i]);
            }
            return sb.ToString();
        }

        private static string ToRegex(string pattern)
        {
            var sb = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '`':
                        if (i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*': sb.Append(".*"); break;
                    case '?': sb.Append('.'); break;
                    case '[':
                        var end = pattern.IndexOf(']', i + 1);
                        if (end < 0) { sb.Append(@"\["); break; }
                        var set = pattern.Substring(i + 1, end - i - 1).Replace(@"\", @"\\").Replace("^", @"\^");
                        sb.Append('[').Append(set).Append(']');
                        i = end;
                        break;
                    default: sb.Append(Regex.Escape(c.ToString())); break;
                }
            }
            return sb.Append('$').ToString();
        }

        /// <summary>True when no patterns are given or any of them matches.</summary>
        public static bool MatchesAny(string? value, System.Collections.Generic.IReadOnlyList<Wildcard>? patterns)
        {
            if (patterns == null || patterns.Count == 0) return true;
            foreach (var p in patterns) if (p.IsMatch(value)) return true;
            return false;
        }
    }
}
