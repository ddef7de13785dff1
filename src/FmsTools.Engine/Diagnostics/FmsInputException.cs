namespace FmsTools.Engine.Diagnostics
{
    /// <summary>One broken input rule: the field (a path), a stable rule id and a message naming both.</summary>
    public sealed class InputFinding
    {
        public InputFinding(string field, string rule, string message)
        {
            Field = field;
            Rule = rule;
            Message = message;
        }

        public string Field { get; }
        public string Rule { get; }
        public string Message { get; }
        public override string ToString() => Message;
    }

    /// <summary>Bad input found before any call was made. The cmdlet reports it per item with the rule as ErrorId.</summary>
    public sealed class FmsInputException : ArgumentException
    {
        public FmsInputException(IReadOnlyList<InputFinding> findings)
            : base(string.Join(Environment.NewLine, findings.Select(f => f.Message)))
        {
            if (findings.Count == 0) throw new ArgumentException("An input error needs at least one finding.", nameof(findings));
            Findings = findings;
        }

        public FmsInputException(string field, string rule, string message)
            : this(new[] { new InputFinding(field, rule, message) }) { }

        public IReadOnlyList<InputFinding> Findings { get; }

        /// <summary>The first finding's rule: the ErrorId the cmdlet reports.</summary>
        public string Rule => Findings[0].Rule;

        public override string Message => string.Join(Environment.NewLine, Findings.Select(f => f.Message));
    }

    /// <summary>
    /// Someone else changed the object since it was read (update token mismatch). Carries both versions so
    /// the user sees what would have been overwritten; nothing was written.
    /// </summary>
    public sealed class FmsConflictException : InvalidOperationException
    {
        public FmsConflictException(string target, string? yourToken, string? currentToken, object? yourVersion, object? currentVersion, string detail)
            : base($"Conflict on {target}: it changed since you read it (your update token {yourToken ?? "none"}, current {currentToken ?? "none"}). {detail} Nothing was written; read it again, re-apply your change and retry.")
        {
            Target = target;
            YourToken = yourToken;
            CurrentToken = currentToken;
            YourVersion = yourVersion;
            CurrentVersion = currentVersion;
        }

        public string Target { get; }
        public string? YourToken { get; }
        public string? CurrentToken { get; }
        public object? YourVersion { get; }
        public object? CurrentVersion { get; }
    }
}
