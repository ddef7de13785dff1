using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Everything a cmdlet body needs from PowerShell, as one small seam. In a real session it is
    /// <see cref="PowerShellCommandHost"/>; in xunit it is a recording host, so each cmdlet's behaviour runs
    /// and is asserted without a PowerShell host. Called only from the pipeline thread.
    /// </summary>
    public interface ICommandHost
    {
        void WriteObject(object? value);
        void WriteError(FmsError error);
        void WriteWarning(string message);
        void WriteVerbose(string message);
        void WriteDebug(string message);
        void WriteProgress(FmsProgress progress);

        /// <summary>
        /// ShouldProcess: false under -WhatIf or when the user declines -Confirm. With <paramref name="force"/>
        /// (the cmdlet's -Force) there is no prompt unless -Confirm was passed explicitly, but -WhatIf still
        /// reports and declines.
        /// </summary>
        bool ShouldProcess(string target, string action, bool force = false);

        /// <summary>ShouldContinue, for extra prompts (e.g. -Force skips them).</summary>
        bool ShouldContinue(string query, string caption);

        /// <summary>Stops the command with a terminating error. Never returns.</summary>
        void ThrowTerminatingError(FmsError error);

        /// <summary>Reads a variable in the caller's session (session defaults, $StoredAWSRegion, ...).</summary>
        object? GetVariable(string name);

        /// <summary>Sets a variable in the module's session scope.</summary>
        void SetVariable(string name, object? value);

        /// <summary>Turns a user-supplied path into a full file-system path relative to the current location.</summary>
        string ResolvePath(string path);
    }
}
