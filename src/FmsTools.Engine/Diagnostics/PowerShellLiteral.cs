using System.Text;

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>PowerShell single-quoted string literals, for text FmsTools writes for a user to run or complete.</summary>
    public static class PowerShellLiteral
    {
        /// <summary>True for every character PowerShell accepts as a single quote: ' and the typographic ‘ ’ ‚ ‛.</summary>
        public static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        /// <summary>The value as a single-quoted literal: each single-quote character doubled, nothing else expands.</summary>
        public static string Quote(string? value)
        {
            var builder = new StringBuilder("'");
            foreach (var c in value ?? "")
            {
                builder.Append(c);
                if (IsSingleQuote(c)) builder.Append(c);
            }
            return builder.Append('\'').ToString();
        }
    }
}
