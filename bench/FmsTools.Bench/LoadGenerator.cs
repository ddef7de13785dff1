using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>Calls made, time taken and bytes allocated by a closed-loop load run.</summary>
    internal sealed class LoadResult
    {
        public LoadResult(long calls, double seconds, long allocatedBytes, int concurrency)
        {
            Calls = calls;
            Seconds = seconds;
            AllocatedBytes = allocatedBytes;
            Concurrency = concurrency;
        }

        public long Calls { get; }
        public double Seconds { get; }
        public long AllocatedBytes { get; }
        public int Concurrency { get; }
        public double PerSecond => Calls / Seconds;

        /// <summary>Bytes allocated in this process per call (the servers run in other processes, so this is the client's cost).</summary>
        public double BytesPerCall => (double)AllocatedBytes / Math.Max(1, Calls);

        public override string ToString() => $"{PerSecond:0} req/s at concurrency {Concurrency} ({Calls} calls in {Seconds:0.00} s, {BytesPerCall:0} B allocated per call)";
    }

    /// <summary>
    /// A closed-loop load generator: <c>concurrency</c> workers each send the next call as soon as the previous one
    /// answered, for a fixed time (and at most a fixed number of calls). Every call must succeed.
    /// </summary>
    internal static class LoadGenerator
    {
        public static async Task<LoadResult> RunAsync(Func<long, CancellationToken, Task> call, int concurrency, TimeSpan duration,
            CancellationToken cancellationToken, long maxCalls = 2_000_000, int warmupCalls = 50)
        {
            for (var i = 0; i < warmupCalls; i++) await call(i, cancellationToken).ConfigureAwait(false);
            long issued = 0, completed = 0;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            async Task Worker()
            {
                while (watch.Elapsed < duration)
                {
                    var n = Interlocked.Increment(ref issued);
                    if (n > maxCalls) return;
                    await call(n, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref completed);
                }
            }
            var workers = new Task[concurrency];
            for (var i = 0; i < concurrency; i++) workers[i] = Task.Run(Worker, cancellationToken);
            await Task.WhenAll(workers).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            return new LoadResult(Interlocked.Read(ref completed), seconds, allocated, concurrency);
        }
    }
}
