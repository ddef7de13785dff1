namespace FmsTools.Engine.Compliance
{
    /// <summary>
    /// Learns the refill rate of a service's token bucket from its throttling answers. A throttled call found the bucket
    /// empty when it arrived; between two such calls the bucket gained rate × time and lost one token per call that got
    /// through, so (calls sent between them that were not throttled) ÷ (time between their sends) is the rate, give or
    /// take one token and the jitter of the send times. A span that let the bucket fill to its burst wastes tokens, so a
    /// span only ever underestimates; long spans that come out below the estimate are therefore ignored. Spans are
    /// weighted by their length and older ones fade (a few seconds' horizon), so a rate that changes is followed.
    /// Not thread-safe: the gate calls it under its lock.
    /// </summary>
    internal sealed class BucketRateEstimator
    {
        /// <summary>Spans shorter than this say more about jitter than about the rate: the mark stays where it was.</summary>
        internal static readonly TimeSpan MinSpan = TimeSpan.FromMilliseconds(5);

        /// <summary>A span longer than this whose rate is below the estimate may have overflowed the bucket (a lower bound only).</summary>
        internal static readonly TimeSpan LongSpan = TimeSpan.FromSeconds(3);

        private const double HorizonSeconds = 8;
        private const double MinSeconds = 0.05;
        private const double MinSuccesses = 5;

        private long _firstMark = -1;
        private long _mark = -1;
        private TimeSpan _markSentAt;
        private long _throttles;
        private long _throttlesAtMark;
        private double _successes;
        private double _seconds;

        /// <summary>The learnt rate (calls per second), or null until enough spans have been measured.</summary>
        public double? Rate => _seconds >= MinSeconds && _successes >= MinSuccesses ? _successes / _seconds : (double?)null;

        /// <summary>The rate of the latest measured span, or null before the first.</summary>
        public double? LastSpanRate { get; private set; }

        /// <summary>Spans measured so far.</summary>
        public int Spans { get; private set; }

        /// <summary>
        /// A throttling answer to the call that was sent <paramref name="sequence"/>-th (every send of the gate is numbered
        /// in order, throttled ones too) at <paramref name="sentAt"/>.
        /// </summary>
        public void OnThrottle(long sequence, TimeSpan sentAt)
        {
            _throttles++;
            if (_mark < 0)
            {
                _firstMark = sequence;
                SetMark(sequence, sentAt);
                return;
            }
            if (sequence <= _mark)
            {
                // Answered after a later call's throttle: it belongs to a span already measured (it was counted there as
                // a call that got through), or to the time before the first mark.
                _throttlesAtMark++;
                if (sequence > _firstMark && sequence != _mark) _successes = Math.Max(0, _successes - 1);
                return;
            }
            var span = sentAt - _markSentAt;
            if (span < MinSpan) return;
            var sends = sequence - _mark - 1;
            var throttledBetween = _throttles - 1 - _throttlesAtMark;
            var successes = Math.Max(0, sends - throttledBetween);
            var seconds = span.TotalSeconds;
            var spanRate = successes / seconds;
            LastSpanRate = spanRate;
            var skip = span > LongSpan && Rate is double known && spanRate < known;
            if (!skip)
            {
                var decay = Math.Exp(-seconds / HorizonSeconds);
                _successes = _successes * decay + successes;
                _seconds = _seconds * decay + seconds;
                Spans++;
            }
            SetMark(sequence, sentAt);
        }

        private void SetMark(long sequence, TimeSpan sentAt)
        {
            _mark = sequence;
            _markSentAt = sentAt;
            _throttlesAtMark = _throttles;
        }
    }
}
