using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Connection;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of every FmsTools cmdlet. The PowerShell lifecycle methods are sealed here and forward to
    /// BeginCore/ProcessCore/EndCore; Ctrl+C (StopProcessing) cancels in-flight engine calls. Engine work runs on the
    /// thread pool while the pipeline thread writes what it reports (<see cref="PipelinePump"/>), and every call into
    /// PowerShell is kept on the pipeline thread, as PowerShell requires: code the engine calls back (resolving the
    /// connection on first use, a warning, a journal prompt) may run on a worker thread, and there a write is queued on
    /// the running pump and written by the pipeline thread in order, a prompt, variable read or path resolution waits for
    /// the pipeline thread's answer, and a terminating error travels with the work's outcome. Off the pipeline thread with
    /// no pump running there is no safe way to reach PowerShell, and the call fails with a message that says so.
    /// </summary>
    public abstract class FmsCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _pipelineThread = -1;
        private IOperationReporter? _pipelineWriter;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken StopToken => _stop.Token;

        protected sealed override void BeginProcessing() => RunPhase(BeginCore);
        protected sealed override void ProcessRecord() => RunPhase(ProcessCore);
        protected sealed override void EndProcessing() => RunPhase(EndCore);
        protected sealed override void StopProcessing() => _stop.Cancel();

        protected virtual void BeginCore() { }
        protected virtual void ProcessCore() { }
        protected virtual void EndCore() { }

        /// <summary>
        /// Runs engine work on the thread pool while this (pipeline) thread writes what it reports; the pump is also the
        /// route by which this cmdlet reaches PowerShell from the work's threads meanwhile.
        /// </summary>
        private T Pump<T>(Func<PipelinePump, Task<T>> work) => PipelinePump.Run(_pipelineWriter ??= new PipelineWriter(this), StopToken, work);

        /// <summary>Blocks once on engine work, writing its progress and messages as they arrive.</summary>
        protected T Await<T>(Func<IOperationReporter, CancellationToken, Task<T>> work)
            => Pump(async pump =>
            {
                using (SessionCache.Relay.Attach(pump))
                    return await work(pump, pump.Token).ConfigureAwait(false);
            });

        /// <summary>Blocks once on engine work that returns nothing.</summary>
        protected void Await(Func<IOperationReporter, CancellationToken, Task> work)
            => Pump(async pump =>
            {
                using (SessionCache.Relay.Attach(pump))
                    await work(pump, pump.Token).ConfigureAwait(false);
                return true;
            });

        /// <summary>
        /// Streams an engine sequence: each item is handed to <paramref name="onItem"/> on the pipeline
        /// thread as soon as its page arrives, never after the whole sequence is read.
        /// </summary>
        protected void Stream<T>(Func<IOperationReporter, CancellationToken, IAsyncEnumerable<T>> source, Action<T> onItem)
            => Pump(async pump =>
            {
                using var relay = SessionCache.Relay.Attach(pump);
                var enumerator = source(pump, pump.Token).GetAsyncEnumerator(pump.Token);
                try
                {
                    while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        var item = enumerator.Current;
                        pump.Post(() => onItem(item));
                    }
                }
                finally
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
                return true;
            });

        /// <summary>Streams an engine sequence straight to the output.</summary>
        protected void StreamOutput<T>(Func<IOperationReporter, CancellationToken, IAsyncEnumerable<T>> source)
            => Stream(source, item => WriteObject(item));

        /// <summary>Writes an output object (queued for the pipeline thread when called from engine work).</summary>
        public new void WriteObject(object? sendToPipeline) => Write(() => base.WriteObject(sendToPipeline));

        public new void WriteWarning(string text) => Write(() => base.WriteWarning(text));

        public new void WriteVerbose(string text) => Write(() => base.WriteVerbose(text));

        public new void WriteDebug(string text) => Write(() => base.WriteDebug(text));

        /// <summary>Writes a non-terminating error record with the error's stable id, category, target and recommended action.</summary>
        internal void WriteFmsError(FmsError error) => Write(() => WriteError(ErrorRecords.From(error)));

        /// <summary>Writes an engine progress report as a PowerShell progress record.</summary>
        internal void WriteFmsProgress(FmsProgress progress) => Write(() => WriteProgress(ErrorRecords.Progress(progress)));

        /// <summary>ShouldProcess: false under -WhatIf or when the user declines -Confirm.</summary>
        public new bool ShouldProcess(string target, string action) => Ask(() => base.ShouldProcess(target, action));

        /// <summary>
        /// ShouldProcess for a cmdlet with -Force: with <paramref name="force"/> there is no prompt unless -Confirm was
        /// passed explicitly, but -WhatIf still reports and declines.
        /// </summary>
        internal bool ShouldProcess(string target, string action, bool force)
            => Ask(() => !force || MyInvocation.BoundParameters.ContainsKey("Confirm") || WhatIfInEffect() ? base.ShouldProcess(target, action) : true);

        public new bool ShouldContinue(string query, string caption) => Ask(() => base.ShouldContinue(query, caption));

        /// <summary>Reads a variable in the caller's session (session defaults, $StoredAWSRegion, ...).</summary>
        internal object? GetSessionVariable(string name) => Ask(() => SessionState.PSVariable.GetValue(name));

        /// <summary>Sets a variable in the module's session scope, or in the scope its name gives ("global:Name").</summary>
        internal void SetSessionVariable(string name, object? value)
            => Ask(() => { SessionState.PSVariable.Set(name, value); return true; });

        /// <summary>Turns a user-supplied path into a full file-system path relative to the current location.</summary>
        internal string ResolvePath(string path) => Ask(() => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));

        /// <summary>Stops the command with a terminating error. Never returns.</summary>
        internal void ThrowFmsTerminatingError(FmsError error)
        {
            // Off the pipeline thread the exception travels with the work's outcome; RunPhase reports it there.
            if (!OnPipelineThread) throw new FmsTerminatingException(error);
            ThrowTerminatingError(ErrorRecords.From(error));
        }

        private bool WhatIfInEffect()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)) return value is SwitchParameter s ? s.IsPresent : value is bool b && b;
            var preference = SessionState.PSVariable.GetValue("WhatIfPreference");
            return preference is SwitchParameter sp ? sp.IsPresent : preference is bool pb && pb;
        }

        private bool OnPipelineThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _pipelineThread);

        private void Write(Action write)
        {
            if (OnPipelineThread) write();
            else PumpOrFail().Post(write);
        }

        private T Ask<T>(Func<T> ask) => OnPipelineThread ? ask() : PumpOrFail().Invoke(ask);

        private static PipelinePump PumpOrFail()
            => PipelinePump.Current ?? throw new InvalidOperationException(
                "FmsTools reached PowerShell from a worker thread while no engine call was running; only the pipeline thread may write or prompt.");

        /// <summary>
        /// Runs the work for one pipeline item. A failure that concerns only this item (bad input, a service
        /// error, a conflict) becomes a non-terminating error and the pipeline goes on with the next item.
        /// </summary>
        protected bool TryItem(object? target, Action action)
        {
            try
            {
                action();
                return true;
            }
            catch (Exception e) when (ErrorMapper.IsItemError(Unwrap(e)) && !_stop.IsCancellationRequested)
            {
                WriteFmsError(MapException(Unwrap(e), target));
                return false;
            }
        }

        /// <summary>Reads a -Tag hashtable (or dictionary) into string pairs; null stays null.</summary>
        protected static Dictionary<string, string>? TagsFrom(System.Collections.IDictionary? table)
        {
            if (table == null) return null;
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in table)
                result[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] =
                    Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            return result;
        }

        /// <summary>Compiles -Name style wildcard patterns; null or empty means "all".</summary>
        protected static IReadOnlyList<Wildcard>? Patterns(string[]? names)
            => names == null || names.Length == 0 ? null : names.Select(n => new Wildcard(n)).ToList();

        /// <summary>Turns an unexpected exception into an error record; subclasses map service errors.</summary>
        protected virtual FmsError MapException(Exception exception, object? target)
            => ErrorMapper.Map(exception, target);

        private void RunPhase(Action phase)
        {
            // PowerShell calls Begin/Process/End on the pipeline thread.
            Volatile.Write(ref _pipelineThread, Environment.CurrentManagedThreadId);
            try
            {
                phase();
            }
            catch (FmsTerminatingException e)
            {
                ThrowFmsTerminatingError(e.Error);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C: PowerShell reports the stop itself.
            }
            catch (Exception e) when (IsEngineFailure(e))
            {
                ThrowFmsTerminatingError(MapException(Unwrap(e), null));
            }
        }

        private static bool IsEngineFailure(Exception e)
            => !(e is PipelineStoppedException) && !(e is ActionPreferenceStopException);

        internal static Exception Unwrap(Exception e)
        {
            while (e is AggregateException agg && agg.InnerExceptions.Count == 1) e = agg.InnerExceptions[0];
            return e;
        }

        /// <summary>What engine work reports, written on the pipeline thread (the pump calls it there).</summary>
        private sealed class PipelineWriter : IOperationReporter
        {
            private readonly FmsCmdlet _cmdlet;

            public PipelineWriter(FmsCmdlet cmdlet) { _cmdlet = cmdlet; }

            public void Progress(FmsProgress progress) => _cmdlet.WriteFmsProgress(progress);
            public void Verbose(string message) => _cmdlet.WriteVerbose(message);
            public void Warning(string message) => _cmdlet.WriteWarning(message);
            public void Debug(string message) => _cmdlet.WriteDebug(message);
        }
    }
}
