using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Runs engine work on the thread pool while the pipeline thread writes what it produces. PowerShell
    /// allows Write* only from the pipeline thread, so results, progress and verbose messages are queued
    /// here and drained by the caller; the bounded queue keeps memory flat when the consumer is slower
    /// than the producer (backpressure instead of buffering a whole organization).
    /// </summary>
    internal sealed class PipelinePump : IOperationReporter, IDisposable
    {
        private const int Capacity = 512;

        /// <summary>How long a stopped command waits for its cancelled engine work to end.</summary>
        private static readonly TimeSpan AbandonedWorkGrace = TimeSpan.FromSeconds(10);
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>(), Capacity);
        private readonly CancellationTokenSource _abandon;
        private readonly IOperationReporter _pipelineWriter;

        private PipelinePump(IOperationReporter pipelineWriter, CancellationToken stop)
        {
            _pipelineWriter = pipelineWriter;
            _abandon = CancellationTokenSource.CreateLinkedTokenSource(stop);
        }

        /// <summary>Cancelled when the pipeline stops or the consumer gives up (e.g. Select-Object -First).</summary>
        public CancellationToken Token => _abandon.Token;

        /// <summary>Queues an action to run on the pipeline thread.</summary>
        public void Post(Action action) => _queue.Add(action, _abandon.Token);

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
                    pump._queue.CompleteAdding();
                }
            });
            try
            {
                foreach (var action in pump._queue.GetConsumingEnumerable())
                    action();
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

        public void Dispose() => _abandon.Dispose();
    }
}
