using System;
using System.Threading;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Keeps every call into PowerShell on the pipeline thread, as PowerShell requires: the engine runs on the thread
    /// pool, and code it calls back (resolving the connection on first use, the embedded-sandbox warning, a journal
    /// prompt) may reach the host from there. Such a write is queued on the running <see cref="PipelinePump"/> and
    /// written by the pipeline thread in order; a prompt, a variable read or a path resolution waits for the pipeline
    /// thread's answer; a terminating error becomes an exception that reaches the pipeline thread with the work's
    /// outcome. Off the pipeline thread with no pump running there is no safe way to reach PowerShell, and the call
    /// fails with a message that says so instead of PowerShell's generic one.
    /// </summary>
    internal sealed class PipelineThreadHost : ICommandHost
    {
        private readonly ICommandHost _inner;
        private int _pipelineThread = -1;

        public PipelineThreadHost(ICommandHost inner)
        {
            _inner = inner;
        }

        /// <summary>The host calls go to; tests look through this wrapper at the host they installed.</summary>
        public ICommandHost Inner => _inner;

        /// <summary>Records the calling thread as the pipeline thread (PowerShell calls Begin/Process/End on it).</summary>
        public void EnterPipelineThread() => Volatile.Write(ref _pipelineThread, Environment.CurrentManagedThreadId);

        private bool OnPipelineThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _pipelineThread);

        public void WriteObject(object? value) => Write(h => h.WriteObject(value));
        public void WriteError(FmsError error) => Write(h => h.WriteError(error));
        public void WriteWarning(string message) => Write(h => h.WriteWarning(message));
        public void WriteVerbose(string message) => Write(h => h.WriteVerbose(message));
        public void WriteDebug(string message) => Write(h => h.WriteDebug(message));
        public void WriteProgress(FmsProgress progress) => Write(h => h.WriteProgress(progress));

        public bool ShouldProcess(string target, string action, bool force = false) => Ask(h => h.ShouldProcess(target, action, force));
        public bool ShouldContinue(string query, string caption) => Ask(h => h.ShouldContinue(query, caption));
        public object? GetVariable(string name) => Ask(h => h.GetVariable(name));
        public void SetVariable(string name, object? value) => Ask(h => { h.SetVariable(name, value); return true; });
        public string ResolvePath(string path) => Ask(h => h.ResolvePath(path));

        public void ThrowTerminatingError(FmsError error)
        {
            // Off the pipeline thread the exception travels with the work's outcome; FmsCmdlet reports it there.
            if (!OnPipelineThread) throw new FmsTerminatingException(error);
            _inner.ThrowTerminatingError(error);
        }

        private void Write(Action<ICommandHost> write)
        {
            if (OnPipelineThread)
            {
                write(_inner);
                return;
            }
            PumpOrFail().Post(_ => write(_inner));
        }

        private T Ask<T>(Func<ICommandHost, T> ask)
            => OnPipelineThread ? ask(_inner) : PumpOrFail().Invoke(_ => ask(_inner));

        private PipelinePump PumpOrFail()
            => PipelinePump.Current ?? throw new InvalidOperationException(
                "FmsTools reached PowerShell from a worker thread while no engine call was running; only the pipeline thread may write or prompt.");
    }
}
