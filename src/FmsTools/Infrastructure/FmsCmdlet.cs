using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of every FmsTools cmdlet. The PowerShell lifecycle methods are sealed here and forward to
    /// BeginCore/ProcessCore/EndCore through <see cref="ICommandHost"/>, so the same bodies run in a
    /// PowerShell session and in xunit. Ctrl+C (StopProcessing) cancels in-flight engine calls.
    /// </summary>
    public abstract class FmsCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private PipelineThreadHost? _host;

        /// <summary>
        /// The seam to PowerShell (tests install their own before invoking), always behind
        /// <see cref="PipelineThreadHost"/>: whatever thread calls it, PowerShell is reached from the pipeline thread.
        /// </summary>
        internal ICommandHost CommandHost
        {
            get => _host ??= new PipelineThreadHost(new PowerShellCommandHost(this));
            set => _host = new PipelineThreadHost(value);
        }

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken StopToken => _stop.Token;

        protected sealed override void BeginProcessing() => RunPhase(BeginCore);
        protected sealed override void ProcessRecord() => RunPhase(ProcessCore);
        protected sealed override void EndProcessing() => RunPhase(EndCore);
        protected sealed override void StopProcessing() => _stop.Cancel();

        protected virtual void BeginCore() { }
        protected virtual void ProcessCore() { }
        protected virtual void EndCore() { }

        // Entry points for the test harness (InternalsVisibleTo), mirroring the pipeline's calls.
        internal void InvokeBegin() => BeginProcessing();
        internal void InvokeProcess() => ProcessRecord();
        internal void InvokeEnd() => EndProcessing();
        internal void InvokeStop() => StopProcessing();

        /// <summary>
        /// Runs engine work on the thread pool while this (pipeline) thread writes what it reports; the pump is also the
        /// route by which <see cref="CommandHost"/> reaches PowerShell from the work's threads meanwhile.
        /// </summary>
        private T Pump<T>(Func<PipelinePump, Task<T>> work) => PipelinePump.Run(CommandHost, StopToken, work);

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
                        pump.Post(_ => onItem(item));
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
            => Stream(source, item => CommandHost.WriteObject(item));

        protected void WriteFmsError(FmsError error) => CommandHost.WriteError(error);

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
            ((PipelineThreadHost)CommandHost).EnterPipelineThread();
            try
            {
                phase();
            }
            catch (FmsTerminatingException e)
            {
                CommandHost.ThrowTerminatingError(e.Error);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C: PowerShell reports the stop itself.
            }
            catch (Exception e) when (IsEngineFailure(e))
            {
                CommandHost.ThrowTerminatingError(MapException(Unwrap(e), null));
            }
        }

        private static bool IsEngineFailure(Exception e)
            => !(e is PipelineStoppedException) && !(e is ActionPreferenceStopException) && !(e is HostTestException);

        internal static Exception Unwrap(Exception e)
        {
            while (e is AggregateException agg && agg.InnerExceptions.Count == 1) e = agg.InnerExceptions[0];
            return e;
        }
    }

    /// <summary>Base for exceptions a test host throws to stop a cmdlet; never mapped or swallowed.</summary>
    public abstract class HostTestException : Exception
    {
        protected HostTestException(string message) : base(message) { }
    }
}
