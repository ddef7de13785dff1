using System.Diagnostics;

namespace FmsTools.Engine.Compliance
{
    /// <summary>
    /// Time as the engine sees it: a monotonic clock for pacing, wall-clock UTC for timestamps and a delay. Tests
    /// replace all three so throttling, polling and timeouts run without sleeping.
    /// </summary>
    public sealed class EngineClock
    {
        private static readonly Stopwatch Monotonic = Stopwatch.StartNew();

        public static EngineClock System { get; } = new EngineClock(() => Monotonic.Elapsed, () => DateTime.UtcNow, Task.Delay);

        private readonly Func<TimeSpan> _elapsed;
        private readonly Func<DateTime> _utcNow;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;

        public EngineClock(Func<TimeSpan> elapsed, Func<DateTime> utcNow, Func<TimeSpan, CancellationToken, Task> delay)
        {
            _elapsed = elapsed ?? throw new ArgumentNullException(nameof(elapsed));
            _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
            _delay = delay ?? throw new ArgumentNullException(nameof(delay));
        }

        /// <summary>Monotonic time since an arbitrary origin.</summary>
        public TimeSpan Elapsed => _elapsed();

        public DateTime UtcNow => _utcNow();

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            => delay <= TimeSpan.Zero ? Task.CompletedTask : _delay(delay, cancellationToken);
    }
}
