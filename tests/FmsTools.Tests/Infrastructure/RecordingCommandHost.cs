using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// Test double for the cmdlet seam: records every stream and answers ShouldProcess like -WhatIf,
    /// -Confirm or a plain run would. Enforces the pipeline-thread rule as PowerShell does: a call from any thread
    /// but the one that created the host throws.
    /// </summary>
    public sealed class RecordingCommandHost : ICommandHost
    {
        private readonly Dictionary<string, object?> _variables;

        public RecordingCommandHost() : this(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)) { }

        private RecordingCommandHost(Dictionary<string, object?> variables) { _variables = variables; }

        /// <summary>
        /// A fresh recorder for the next command of the same session: streams start empty, session variables
        /// (Connect-Fms defaults) are shared, as in one PowerShell session running several commands.
        /// </summary>
        public RecordingCommandHost Next() => new RecordingCommandHost(_variables) { CurrentDirectory = CurrentDirectory };
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;

        public List<object?> Output { get; } = new List<object?>();
        public List<FmsError> Errors { get; } = new List<FmsError>();
        public List<string> Warnings { get; } = new List<string>();
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Debug { get; } = new List<string>();
        public List<FmsProgress> Progress { get; } = new List<FmsProgress>();
        public List<(string Target, string Action)> ShouldProcessCalls { get; } = new List<(string, string)>();

        /// <summary>True simulates -WhatIf: ShouldProcess answers false and is recorded.</summary>
        public bool WhatIf { get; set; }

        /// <summary>Answer to ShouldContinue (a user at a -Confirm prompt).</summary>
        public bool ContinueAnswer { get; set; } = true;

        /// <summary>Called with each written object; lets a test stop the pipeline (Select-Object -First).</summary>
        public Action<object?>? OnWriteObject { get; set; }

        public string CurrentDirectory { get; set; } = Directory.GetCurrentDirectory();

        public IEnumerable<T> OutputOf<T>() => Output.OfType<T>();

        public void WriteObject(object? value)
        {
            CheckThread();
            Output.Add(value);
            OnWriteObject?.Invoke(value);
        }

        public void WriteError(FmsError error) { CheckThread(); Errors.Add(error); }
        public void WriteWarning(string message) { CheckThread(); Warnings.Add(message); }
        public void WriteVerbose(string message) { CheckThread(); Verbose.Add(message); }
        public void WriteDebug(string message) { CheckThread(); Debug.Add(message); }
        public void WriteProgress(FmsProgress progress) { CheckThread(); Progress.Add(progress); }

        /// <summary>True simulates an explicit -Confirm (a prompt even with -Force).</summary>
        public bool ConfirmRequested { get; set; }

        /// <summary>Answer a -Confirm prompt gets.</summary>
        public bool ConfirmAnswer { get; set; } = true;

        public List<(string Target, string Action)> Prompts { get; } = new List<(string, string)>();

        public bool ShouldProcess(string target, string action, bool force = false)
        {
            CheckThread();
            ShouldProcessCalls.Add((target, action));
            if (WhatIf) return false;
            if (ConfirmRequested)
            {
                Prompts.Add((target, action));
                return ConfirmAnswer;
            }
            return true;
        }

        public bool ShouldContinue(string query, string caption) { CheckThread(); return ContinueAnswer; }

        public void ThrowTerminatingError(FmsError error) { CheckThread(); throw new TerminatingErrorException(error); }

        public object? GetVariable(string name) { CheckThread(); return _variables.TryGetValue(name, out var v) ? v : null; }
        public void SetVariable(string name, object? value) { CheckThread(); _variables[name] = value; }

        public string ResolvePath(string path) { CheckThread(); return Path.GetFullPath(Path.Combine(CurrentDirectory, path)); }

        // PowerShell's own rule (PSInvalidOperationException in a real session): only the pipeline thread reaches the host.
        private void CheckThread()
        {
            if (Environment.CurrentManagedThreadId != _pipelineThread)
                throw new InvalidOperationException(
                    $"The host was called from thread {Environment.CurrentManagedThreadId}, not the pipeline thread {_pipelineThread}: PowerShell refuses such calls.");
        }
    }

    /// <summary>What a terminating error looks like to a test.</summary>
    public sealed class TerminatingErrorException : HostTestException
    {
        public TerminatingErrorException(FmsError error) : base(error.ToString()) { Error = error; }
        public FmsError Error { get; }
    }

    /// <summary>Stops a cmdlet the way a downstream Select-Object -First does.</summary>
    public sealed class PipelineStopRequestedException : HostTestException
    {
        public PipelineStopRequestedException() : base("pipeline stopped by the consumer") { }
    }
}
