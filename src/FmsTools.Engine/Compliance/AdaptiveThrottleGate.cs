namespace FmsTools.Engine.Compliance
{
    public sealed partial class AdaptiveThrottle
    {
        /// <summary>One operation's concurrency window and pacing rate.</summary>
        private sealed class OperationGate
        {
            /// <summary>
            /// Sends may run this far ahead of the pacing schedule, so that a timer that wakes a sender late is made up for
            /// by the next sends instead of lowering the rate actually sent (at 500 calls/s an interval is 2 ms, and
            /// wake-ups on a busy machine come a millisecond or more late).
            /// </summary>
            private static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(10);

            private static readonly TimeSpan SuccessWindow = TimeSpan.FromSeconds(1);

            private readonly object _lock = new object();
            private readonly AdaptiveThrottleOptions _options;
            private readonly EngineClock _clock;
            private readonly Queue<TaskCompletionSource<bool>> _waiters = new Queue<TaskCompletionSource<bool>>();
            private readonly SemaphoreSlim _pacer = new SemaphoreSlim(1, 1);
            private readonly BucketRateEstimator _estimator = new BucketRateEstimator();
            private readonly Queue<TimeSpan> _recentSuccesses = new Queue<TimeSpan>();
            private double _limit;
            private int _inFlight;
            private double? _rate;
            private bool _throttled;
            private double _lastThrottleRate;
            private long _successesAboveLast;
            private long _sends;
            private TimeSpan? _due;
            private TimeSpan? _lastRateBound;
            private TimeSpan _lastDecrease = TimeSpan.MinValue;
            private TimeSpan? _firstSend;
            private long _successesSinceDecrease;
            private double _latencySeconds;
            private long _throttlesSinceDecrease;
            private long _successesTotal;

            public OperationGate(AdaptiveThrottleOptions options, EngineClock clock)
            {
                _options = options;
                _clock = clock;
                _limit = options.InitialConcurrency;
                _rate = options.InitialRatePerSecond;
            }

            public int ConcurrencyLimit { get { lock (_lock) return Slots; } }

            public double? Rate { get { lock (_lock) return _rate; } }

            /// <summary>The service's rate learnt from throttling answers, or null while none is known.</summary>
            public double? LearntRate { get { lock (_lock) return _estimator.Rate; } }

            private int Slots => Math.Max(_options.MinConcurrency, Math.Min(_options.MaxConcurrency, (int)Math.Floor(_limit)));

            /// <summary>Waits for a slot and the pacing; returns the send: its number in the gate's send order and its time.</summary>
            public async Task<(long Sequence, TimeSpan SentAt)> AcquireAsync(CancellationToken cancellationToken)
            {
                TaskCompletionSource<bool>? waiter = null;
                lock (_lock)
                {
                    if (_inFlight < Slots) _inFlight++;
                    else
                    {
                        waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        _waiters.Enqueue(waiter);
                    }
                }
                if (waiter != null)
                {
                    using (cancellationToken.Register(() => waiter.TrySetCanceled()))
                    {
                        try
                        {
                            await waiter.Task.ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            throw new OperationCanceledException(cancellationToken);
                        }
                    }
                }
                try
                {
                    // One sender at a time follows the schedule: each send books the next slot one interval later, and a
                    // sender goes when the booked slot is at most CatchUp away, so late wake-ups do not lower the rate sent.
                    await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        while (true)
                        {
                            TimeSpan wait;
                            lock (_lock)
                            {
                                var now = _clock.Elapsed;
                                if (_firstSend == null) _firstSend = now;
                                var due = _due ?? now;
                                wait = due - CatchUp - now;
                                if (wait <= TimeSpan.Zero)
                                {
                                    _due = (due > now ? due : now) + Interval(_rate);
                                    return (_sends++, now);
                                }
                                // The rate is what holds calls back.
                                _lastRateBound = now;
                            }
                            await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        _pacer.Release();
                    }
                }
                catch
                {
                    Release();
                    throw;
                }
            }

            private static TimeSpan Interval(double? rate) => rate is double r ? TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / r)) : TimeSpan.Zero;

            public void Release()
            {
                lock (_lock)
                {
                    _inFlight--;
                    Dispatch();
                }
            }

            private void Dispatch()
            {
                while (_inFlight < Slots && _waiters.Count > 0)
                {
                    // A cancelled waiter refuses the slot; the loop offers it to the next.
                    if (_waiters.Dequeue().TrySetResult(true)) _inFlight++;
                }
            }

            public void OnSuccess((long Sequence, TimeSpan SentAt) send, TimeSpan now)
            {
                lock (_lock)
                {
                    _successesSinceDecrease++;
                    _successesTotal++;
                    _recentSuccesses.Enqueue(now);
                    Trim(now);
                    var latency = Math.Max(0.0, (now - send.SentAt).TotalSeconds);
                    _latencySeconds = _latencySeconds == 0 ? latency : 0.9 * _latencySeconds + 0.1 * latency;
                    // Until the first throttle the window grows by one per success (it doubles every round trip, so a
                    // slow service is soon given enough calls in flight to reach its limit); after it, by one per window.
                    _limit = Math.Min(_options.MaxConcurrency, _limit + (_throttled ? 1.0 / Math.Max(1.0, _limit) : 1.0));
                    // Grow only while the rate is what holds calls back (a sender waited for pacing within the last
                    // second): while latency or demand bound us, a growing rate would be a number nobody tested.
                    if (_rate is double rate && _lastRateBound is TimeSpan bound && now - bound <= SuccessWindow) _rate = Grown(rate);
                    Dispatch();
                }
            }

            private double Grown(double rate)
            {
                if (!_throttled) return rate * (1.0 + _options.SlowStartGrowthPerSuccess);
                if (_estimator.Rate is double learnt)
                {
                    // Linear in time: one success is about 1/rate seconds, so the pace rises ProbePerSecond of the learnt
                    // rate per second, from just under it to just over it, until the bucket runs empty again.
                    var floor = learnt * (1.0 - _options.PacingMargin);
                    return rate < floor ? floor : rate + learnt * _options.ProbePerSecond / rate;
                }
                double growth;
                if (rate < 0.97 * _lastThrottleRate)
                {
                    // Concave: quickly back to just under the rate that last throttled, gently close to it.
                    growth = Math.Max(_options.ProbeGrowthPerSuccess, 0.25 * (0.97 * _lastThrottleRate - rate) / _lastThrottleRate);
                    _successesAboveLast = 0;
                }
                else
                {
                    // Convex: beyond it, probe gently at first and faster the longer no throttle comes.
                    _successesAboveLast++;
                    growth = Math.Min(_options.MaxGrowthPerSuccess, _options.ProbeGrowthPerSuccess * Math.Pow(2.0, Math.Min(10.0, _successesAboveLast / 50.0)));
                }
                var grown = rate * (1.0 + growth);
                if (rate < 0.97 * _lastThrottleRate && grown > 0.97 * _lastThrottleRate) grown = 0.97 * _lastThrottleRate;
                return grown;
            }

            private void Trim(TimeSpan now)
            {
                while (_recentSuccesses.Count > 0 && now - _recentSuccesses.Peek() > SuccessWindow) _recentSuccesses.Dequeue();
            }

            /// <summary>Successes per second over the last second (or since the first send); null while too little is known.</summary>
            private double? Achieved(TimeSpan now)
            {
                Trim(now);
                var span = now - (_firstSend ?? now);
                if (span > SuccessWindow) span = SuccessWindow;
                if (span < TimeSpan.FromMilliseconds(50) || _recentSuccesses.Count < 3) return null;
                return _recentSuccesses.Count / span.TotalSeconds;
            }

            /// <summary>A throttling answer to <paramref name="send"/> (sequence -1 when it is not known which send it was).</summary>
            public void OnThrottle((long Sequence, TimeSpan SentAt) send, TimeSpan now)
            {
                lock (_lock)
                {
                    // Every throttled call teaches the estimate, even one that does not change the pace.
                    if (send.Sequence >= 0) _estimator.OnThrottle(send.Sequence, send.SentAt);
                    _throttlesSinceDecrease++;
                    // Calls already under way when we last slowed down tell us nothing new about the pace.
                    if (send.SentAt <= _lastDecrease) return;
                    var achievedNow = Achieved(now);
                    // Heavy throttling (several throttles and one call in five or more since the last cut) is real overload.
                    var heavy = _throttlesSinceDecrease >= 2 && _throttlesSinceDecrease * 4 >= _successesSinceDecrease;
                    double next;
                    if (_estimator.Rate is double learnt)
                    {
                        // Just under the service's rate: the bucket refills a little, and its reserve absorbs send jitter.
                        next = learnt * (1.0 - _options.PacingMargin);
                        // Heavy throttling at the learnt rate means the service allows less now (another client shares the
                        // limit): the latest span says how much.
                        if (heavy && _estimator.LastSpanRate is double latest && latest < learnt) next = latest * (1.0 - _options.PacingMargin);
                        _lastThrottleRate = learnt;
                    }
                    else next = UnlearntDecrease(now, achievedNow, heavy);
                    _throttled = true;
                    _rate = Math.Max(_options.MinRatePerSecond, next);
                    // Halve the concurrency, but keep enough calls in flight to sustain the new rate at the observed latency.
                    var sustained = achievedNow is double got ? Math.Min(_rate.Value, got) : _rate.Value;
                    var needed = Math.Ceiling(sustained * _latencySeconds * 1.2);
                    _limit = Math.Min(_options.MaxConcurrency, Math.Max(Math.Max(_options.MinConcurrency, needed), _limit / 2.0));
                    _lastDecrease = now;
                    _successesSinceDecrease = 0;
                    _throttlesSinceDecrease = 0;
                    // The next send waits a full new interval from now.
                    var earliest = now + CatchUp + Interval(_rate);
                    if (_due == null || _due < earliest) _due = earliest;
                }
            }

            /// <summary>The pace after a throttle while no rate has been learnt yet: multiplicative decrease from what was really sent.</summary>
            private double UnlearntDecrease(TimeSpan now, double? achievedNow, bool heavy)
            {
                double current;
                if (_rate is double rate) current = rate;
                else
                {
                    // First throttle while unpaced: what we actually achieved is the starting point.
                    var seconds = Math.Max(0.001, (now - (_firstSend ?? now)).TotalSeconds);
                    current = Math.Max(_options.MinRatePerSecond, (_successesTotal + 1) / seconds);
                }
                // After slow start the pace can stand far above what was sent (the window held the calls back): start
                // from what got through instead.
                if (achievedNow is double sent && sent < current) current = sent;
                // The rate that throttled is where the concave recovery aims; an isolated throttle below the previous one
                // (arrival jitter) moves that mark only halfway down.
                _lastThrottleRate = _throttled && _successesSinceDecrease >= 20 && current < _lastThrottleRate
                    ? (current + _lastThrottleRate) / 2.0
                    : current;
                var next = current * (heavy ? 0.5 : _options.DecreaseFactor);
                // What actually got through in the last second is a floor: stray throttles (arrival jitter against a
                // small burst) must not halve the rate again and again far below what the service demonstrably allows.
                // Only for an isolated throttle (many successes since the last cut): clustered ones mean real overload.
                if (_successesSinceDecrease >= 20 && achievedNow is double achieved) next = Math.Min(current, Math.Max(next, achieved * 0.85));
                return next;
            }
        }
    }
}
