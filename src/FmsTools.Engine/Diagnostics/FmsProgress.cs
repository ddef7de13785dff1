namespace FmsTools.Engine.Diagnostics
{
    /// <summary>A progress update the engine reports; the cmdlet edge turns it into a ProgressRecord.</summary>
    public sealed class FmsProgress
    {
        public FmsProgress(int activityId, string activity, string statusDescription)
        {
            ActivityId = activityId;
            Activity = activity;
            StatusDescription = statusDescription;
        }

        public int ActivityId { get; }
        public int ParentActivityId { get; set; } = -1;
        public string Activity { get; }
        public string StatusDescription { get; }
        public string? CurrentOperation { get; set; }

        /// <summary>0 to 100, or -1 when unknown.</summary>
        public int PercentComplete { get; set; } = -1;

        public int SecondsRemaining { get; set; } = -1;

        /// <summary>True for the final record that removes the progress bar.</summary>
        public bool Completed { get; set; }
    }

    /// <summary>
    /// How long-running engine work reports what it is doing. Implementations may be called from any
    /// thread; the cmdlet edge marshals everything back to the pipeline thread.
    /// </summary>
    public interface IOperationReporter
    {
        void Progress(FmsProgress progress);
        void Verbose(string message);
        void Warning(string message);
        void Debug(string message);
    }

    /// <summary>A reporter that drops everything: for engine calls made outside a cmdlet.</summary>
    public sealed class NullOperationReporter : IOperationReporter
    {
        public static readonly NullOperationReporter Instance = new NullOperationReporter();
        private NullOperationReporter() { }
        public void Progress(FmsProgress progress) { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void Debug(string message) { }
    }
}
