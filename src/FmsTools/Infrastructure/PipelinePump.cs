using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Runs engine work on the thread pool while the pipeline thread writes what it produces. PowerShell
    /// allows Write* only from the pipeline thread, so results, progress and verbose messages are queued
    /// here and drained by the caller in the order they were queued. The queue is bounded (Capacity
    /// actions queued or being written) so memory stays flat when the consumer is slower than the producer
    /// (backpressure instead of buffering a whole organization). The pipeline thread takes everything queued
    /// at once and writes it as one batch: one wake-up per batch rather than per row while it is busy, and
    /// when it is idle the first action queued wakes it at once, so nothing waits for a batch to fill.
    /// </summary>
    internal sealed class PipelinePump : IOperationReporter, IDisposable
    {
        internal const int Capacity = 512;

        /// <summary>How long a stopped command waits for its cancelled engine work to end.</summary>
        private static readonly TimeSpan AbandonedWorkGrace = TimeSpan.FromSeconds(10);
        private readonly object _gate = new object();
        private List<Action> _queued = new List<Action>();
        private List<Action>? _spare = new List<Action>();

        // Actions queued or taken by the pipeline thread and not yet written (at most Capacity).
        private int _outstanding;
        private bool _completed;
        private readonly CancellationTokenSource _abandon;
        private readonly CancellationTokenRegistration _wakeOnAbandon;
        private readonly IOperationReporter _pipelineWriter;

        private PipelinePump(IOperationReporter pipelineWriter, CancellationToken stop)
        {
            _pipelineWriter = pipelineWriter;
            _abandon = CancellationTokenSource.CreateLinkedTokenSource(stop);
            // A producer waiting for room gives up when the command stops.
            _wakeOnAbandon = _abandon.Token.Register(() => { lock (_gate) Monitor.PulseAll(_gate); });
        }

        /// <summary>Cancelled when the pipeline stops or the consumer gives up (e.g. Select-Object -First).</summary>
        public CancellationToken Token => _abandon.Token;

        /// <summary>Queues an action to run on the pipeline thread; waits while the queue is full.</summary>
        public void Post(Action action)
        {
            lock (_gate)
            {
                while (_outstanding >= Capacity)
                {
                    _abandon.Token.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
                _abandon.Token.ThrowIfCancellationRequested();
                if (_completed) throw new InvalidOperationException("The pump's work has ended; nothing more can be written.");
                _queued.Add(action);
                // The pipeline thread waits only when nothing is queued: the first action wakes it.
                _outstanding++;
                if (_queued.Count == 1) Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Ends the queue: the pipeline thread writes what is queued and returns.</summary>
        private void Complete()
        {
            lock (_gate)
            {
                _completed = true;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Writes every queued action on the calling (pipeline) thread, a batch at a time, until the queue ends.</summary>
        private void Drain()
        {
            while (true)
            {
                List<Action> batch;
                lock (_gate)
                {
                    while (_queued.Count == 0 && !_completed) Monitor.Wait(_gate);
                    if (_queued.Count == 0) return;
                    batch = _queued;
                    _queued = _spare ?? new List<Action>();
                    _spare = null;
                }
                try
                {
                    foreach (var action in batch) action();
                }
                finally
                {
                    lock (_gate)
                    {
                        var wasFull = _outstanding >= Capacity;
                        _outstanding -= batch.Count;
                        batch.Clear();
                        _spare = batch;
                        if (wasFull) Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="call"/> on the pipeline thread and waits for its result (a prompt, a variable read): the
        /// pipeline thread is draining this queue while the work runs. An exception it throws is rethrown here.
        /// </summary>
        public T Invoke<T>(Func<T> call)
        {
            var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try
                {
                    answer.SetResult(call());
                }
                catch (Exception e)
                {
                    answer.SetException(e);
                    throw;
                }
            });
            try
            {
                answer.Task.Wait(_abandon.Token);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            return answer.Task.Result;
        }

        public void Progress(FmsProgress progress) => Post(() => _pipelineWriter.Progress(progress));
        public void Verbose(string message) => Post(() => _pipelineWriter.Verbose(message));
        public void Warning(string message) => Post(() => _pipelineWriter.Warning(message));
        public void Debug(string message) => Post(() => _pipelineWriter.Debug(message));

        private static readonly AsyncLocal<PipelinePump?> Ambient = new AsyncLocal<PipelinePump?>();

        /// <summary>
        /// The pump whose work is running on this thread's async flow: the route by which that work reaches the pipeline
        /// thread that is draining it. Null on the pipeline thread itself and outside any work.
        /// </summary>
        public static PipelinePump? Current => Ambient.Value;

        /// <summary>
        /// Runs <paramref name="work"/> and drains its output on the calling (pipeline) thread; what the work reports goes
        /// to <paramref name="pipelineWriter"/> there.
        /// </summary>
        public static T Run<T>(IOperationReporter pipelineWriter, CancellationToken stop, Func<PipelinePump, Task<T>> work)
        {
            using var pump = new PipelinePump(pipelineWriter, stop);
            var task = Task.Run(async () =>
            {
                Ambient.Value = pump;
                try
                {
                    return await work(pump).ConfigureAwait(false);
                }
                finally
                {
                    pump.Complete();
                }
            });
            try
            {
                pump.Drain();
            }
            catch
            {
                // The consumer failed (pipeline stopped, Select-Object -First, a terminating error): cancel the producer and
                // wait for it to end, so no engine work outlives the command. Every engine call honours cancellation, so
                // this is quick; the bound only keeps a call that ignored it from holding the pipeline forever.
                pump._abandon.Cancel();
                if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(AbandonedWorkGrace))
                    task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                else
                    _ = task.Exception;
                throw;
            }
            return task.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            _wakeOnAbandon.Dispose();
            _abandon.Dispose();
        }
    }
}
