using System;
using System.Management.Automation;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>The real seam: forwards to the running PSCmdlet.</summary>
    internal sealed class PowerShellCommandHost : ICommandHost
    {
        private readonly PSCmdlet _cmdlet;

        public PowerShellCommandHost(PSCmdlet cmdlet) { _cmdlet = cmdlet; }

        public void WriteObject(object? value) => _cmdlet.WriteObject(value);
        public void WriteError(FmsError error) => _cmdlet.WriteError(ToErrorRecord(error));
        public void WriteWarning(string message) => _cmdlet.WriteWarning(message);
        public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);
        public void WriteDebug(string message) => _cmdlet.WriteDebug(message);

        public void WriteProgress(FmsProgress progress)
        {
            var record = new ProgressRecord(progress.ActivityId, progress.Activity,
                string.IsNullOrEmpty(progress.StatusDescription) ? "..." : progress.StatusDescription)
            {
                ParentActivityId = progress.ParentActivityId,
                CurrentOperation = progress.CurrentOperation,
                PercentComplete = progress.PercentComplete,
                SecondsRemaining = progress.SecondsRemaining,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
        }

        public bool ShouldProcess(string target, string action, bool force = false)
        {
            if (!force) return _cmdlet.ShouldProcess(target, action);
            var bound = _cmdlet.MyInvocation.BoundParameters;
            if (bound.ContainsKey("Confirm") || IsWhatIf(bound)) return _cmdlet.ShouldProcess(target, action);
            return true;
        }

        private bool IsWhatIf(System.Collections.Generic.Dictionary<string, object> bound)
        {
            if (bound.TryGetValue("WhatIf", out var value)) return value is SwitchParameter s ? s.IsPresent : value is bool b && b;
            var preference = _cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference");
            return preference is SwitchParameter sp ? sp.IsPresent : preference is bool pb && pb;
        }
        public bool ShouldContinue(string query, string caption) => _cmdlet.ShouldContinue(query, caption);
        public void ThrowTerminatingError(FmsError error) => _cmdlet.ThrowTerminatingError(ToErrorRecord(error));
        public object? GetVariable(string name) => _cmdlet.SessionState.PSVariable.GetValue(name);

        public void SetVariable(string name, object? value)
            => _cmdlet.SessionState.PSVariable.Set(new PSVariable(name, value, ScopedItemOptions.None));

        public string ResolvePath(string path) => _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        internal static ErrorRecord ToErrorRecord(FmsError error)
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

        // The enums share names and values by design; map by name so a renumbering cannot go unnoticed.
        internal static ErrorCategory ToCategory(FmsErrorCategory category)
            => Enum.TryParse(category.ToString(), out ErrorCategory mapped) ? mapped : ErrorCategory.NotSpecified;
    }
}
