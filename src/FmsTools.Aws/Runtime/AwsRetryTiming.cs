using System;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// The waits between retries: the SDK's exponential backoff with full jitter (random share of
    /// min(2^(retry-1) seconds, 20 s)). The jitter source and the delay are replaceable so tests can observe the
    /// backoff without sleeping.
    /// </summary>
    public sealed class AwsRetryTiming
    {
        private static readonly Random SharedRandom = new Random();

        public static AwsRetryTiming Default { get; } = new AwsRetryTiming(null, null);

        private long _waitedTicks;

        /// <param name="jitter">The jitter source; null for a shared random source.</param>
        /// <param name="delay">The wait; null for Task.Delay.</param>
        /// <param name="clock">
        /// The time the adaptive retry mode's send-rate token bucket refills by (elapsed time since any fixed origin).
        /// Null: wall-clock time when <paramref name="delay"/> is null, otherwise the sum of the waits requested
        /// through <see cref="Delay"/>, so a delay that does not sleep (tests) does not leave the bucket waiting for
        /// real time to pass.
        /// </param>
        public AwsRetryTiming(Func<double>? jitter, Func<TimeSpan, CancellationToken, Task>? delay, Func<TimeSpan>? clock = null)
        {
            Jitter = jitter ?? NextJitter;
            if (clock != null || delay == null)
            {
                Delay = delay ?? Task.Delay;
                var started = System.Diagnostics.Stopwatch.StartNew();
                Clock = clock ?? (() => started.Elapsed);
            }
            else
            {
                Delay = (wait, cancellationToken) =>
                {
                    if (wait > TimeSpan.Zero) Interlocked.Add(ref _waitedTicks, wait.Ticks);
                    return delay(wait, cancellationToken);
                };
                Clock = () => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));
            }
        }

        /// <summary>Returns a value in [0, 1) that scales the backoff ceiling.</summary>
        public Func<double> Jitter { get; }

        public Func<TimeSpan, CancellationToken, Task> Delay { get; }

        /// <summary>Elapsed time for the adaptive send-rate token bucket (see the constructor).</summary>
        public Func<TimeSpan> Clock { get; }

        /// <summary>The backoff ceiling before retry number <paramref name="retry"/> (1 = first retry).</summary>
        public static TimeSpan Ceiling(int retry, int maxBackoffMilliseconds)
            => TimeSpan.FromMilliseconds(Math.Min(Math.Pow(2, Math.Max(0, retry - 1)) * 1000.0, maxBackoffMilliseconds));

        public TimeSpan DelayFor(int retry, int maxBackoffMilliseconds)
        {
            var jitter = Math.Max(0.0, Math.Min(1.0, Jitter()));
            return TimeSpan.FromMilliseconds(Ceiling(retry, maxBackoffMilliseconds).TotalMilliseconds * jitter);
        }

        private static double NextJitter()
        {
            lock (SharedRandom) return SharedRandom.NextDouble();
        }
    }
}
