namespace FmsTools.Engine.Diagnostics
{
    /// <summary>
    /// Error categories, named and numbered as PowerShell's ErrorCategory so the cmdlet layer maps them
    /// one to one while the engine stays free of System.Management.Automation.
    /// </summary>
    public enum FmsErrorCategory
    {
        NotSpecified = 0,
        InvalidArgument = 5,
        InvalidData = 6,
        InvalidOperation = 7,
        InvalidResult = 8,
        InvalidType = 9,
        NotImplemented = 11,
        ObjectNotFound = 13,
        OperationStopped = 14,
        OperationTimeout = 15,
        PermissionDenied = 18,
        ResourceBusy = 19,
        ResourceExists = 20,
        ResourceUnavailable = 21,
        ReadError = 22,
        WriteError = 23,
        SecurityError = 25,
        ProtocolError = 26,
        ConnectionError = 27,
        AuthenticationError = 28,
        LimitsExceeded = 29,
        QuotaExceeded = 30,
        NotEnabled = 31,
    }

    /// <summary>
    /// One error about one item: what a cmdlet turns into an ErrorRecord. ErrorId is stable (scripts and
    /// tests match on it); Message names the field or target and the rule.
    /// </summary>
    public sealed class FmsError
    {
        public FmsError(string errorId, FmsErrorCategory category, string message, object? targetObject = null,
            Exception? exception = null, string? recommendedAction = null)
        {
            if (string.IsNullOrWhiteSpace(errorId)) throw new ArgumentException("An error needs a stable id.", nameof(errorId));
            ErrorId = errorId;
            Category = category;
            Message = message ?? throw new ArgumentNullException(nameof(message));
            TargetObject = targetObject;
            Exception = exception;
            RecommendedAction = recommendedAction;
        }

        public string ErrorId { get; }
        public FmsErrorCategory Category { get; }
        public string Message { get; }
        public object? TargetObject { get; }
        public Exception? Exception { get; }
        public string? RecommendedAction { get; }

        public override string ToString() => $"{ErrorId} ({Category}): {Message}";
    }

    /// <summary>Thrown when nothing more can be done; the cmdlet edge turns it into a terminating error.</summary>
    public sealed class FmsTerminatingException : Exception
    {
        public FmsTerminatingException(FmsError error)
            : base(error.Message, error.Exception)
        {
            Error = error;
        }

        public FmsError Error { get; }
    }
}

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>An error about one item (not the whole command): the cmdlet writes it and goes on.</summary>
    public sealed class FmsItemException : Exception
    {
        public FmsItemException(FmsError error) : base(error.Message, error.Exception) { Error = error; }
        public FmsError Error { get; }
    }
}
