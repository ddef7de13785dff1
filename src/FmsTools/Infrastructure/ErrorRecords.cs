namespace FmsTools.Infrastructure
{
    /// <summary>The engine's errors and progress reports as PowerShell's records.</summary>
    internal static class ErrorRecords
    {
        /// <summary>An error record with the error's stable id, category, target object and recommended action.</summary>
        public static ErrorRecord From(FmsError error)
        {
            var exception = error.Exception ?? new InvalidOperationException(error.Message);
            var record = new ErrorRecord(exception, error.ErrorId, ToCategory(error.Category), error.TargetObject);
            if (error.Exception != null && error.Exception.Message != error.Message)
                record.ErrorDetails = new ErrorDetails(error.Message);
            if (error.RecommendedAction != null)
            {
                record.ErrorDetails ??= new ErrorDetails(error.Message);
                record.ErrorDetails.RecommendedAction = error.RecommendedAction;
            }
            return record;
        }

        /// <summary>An engine progress report as a progress record (Completed closes the bar).</summary>
        public static ProgressRecord Progress(FmsProgress progress)
            => new ProgressRecord(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.StatusDescription) ? "..." : progress.StatusDescription)
            {
                ParentActivityId = progress.ParentActivityId,
                CurrentOperation = progress.CurrentOperation,
                PercentComplete = progress.PercentComplete,
                SecondsRemaining = progress.SecondsRemaining,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };

        // The enums share names and values by design; map by name so a renumbering cannot go unnoticed.
        internal static ErrorCategory ToCategory(FmsErrorCategory category)
            => Enum.TryParse(category.ToString(), out ErrorCategory mapped) ? mapped : ErrorCategory.NotSpecified;
    }
}
