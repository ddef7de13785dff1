using System.Collections.Concurrent;
using FmsTools.Aws.Runtime;

namespace FmsTools.Engine.Compliance
{
    /// <summary>Tuning of <see cref="AdaptiveThrottle"/>; the defaults suit FMS's undocumented limits.</summary>
    public sealed class AdaptiveThrottleOptions
    {
        /// <summary>Concurrent calls per operation at the start.</summary>
        public int InitialConcurrency { get; set; } = 8;

        /// <summary>Concurrent calls per operation never exceed this.</summary>
        public int MaxConcurrency { get; set; } = 32;

        public int MinConcurrency { get; set; } = 1;

        /// <summary>
        /// Send rate per operation at the start, growing by <see cref="SlowStartGrowthPerSuccess"/> per success until the
        /// first throttle (slow start: the first throttle then lands just above the limit instead of after a blast of
        /// calls a small-burst limit would all refuse); null sends as fast as the concurrency allows until the first throttle.
        /// </summary>
        public double? InitialRatePerSecond { get; set; } = 20;

        /// <summary>Relative rate growth per successful call before the first throttle (doubling about every 15 calls).</summary>
        public double SlowStartGrowthPerSuccess { get; set; } = 0.05;

        public double MinRatePerSecond { get; set; } = 0.2;

        /// <summary>How often one logical call is sent again after a throttling answer before the error is surfaced.</summary>
        public int MaxThrottleRetries { get; set; } = 12;

        /// <summary>Rate multiplier on a throttle that follows successes (a throttle right after the previous cut halves instead).</summary>
        public double DecreaseFactor { get; set; } = 0.88;

        /// <summary>
        /// After a throttle the rate climbs back quickly towards the rate that throttled (concave), then probes beyond
        /// it at this relative growth per successful call, doubling every 50 successes without a throttle (up to
        /// <see cref="MaxGrowthPerSuccess"/>): it spends most of its time just under the service's limit, and a throttle
        /// costs one call in several dozen at most. Growth is per call, not per second, so this holds whatever the limit.
        /// </summary>
        public double ProbeGrowthPerSuccess { get; set; } = 0.0005;

        public double MaxGrowthPerSuccess { get; set; } = 0.05;

        /// <summary>
        /// True (default): one controller per operation whatever the region, as a service-side limit per operation
        /// is shared; false: one per region and operation (when each region has its own limits).
        /// </summary>
        public bool ShareAcrossRegions { get; set; } = true;
    }

    /// <summary>
    /// Bounded, self-tuning parallelism per operation (AIMD): concurrency starts at
    /// <see cref="AdaptiveThrottleOptions.InitialConcurrency"/>, halves on a throttling answer and grows by one per
    /// window of successes up to the maximum; a pacing rate learnt from the throttles keeps the send rate just under
    /// the service's limit so that throttled calls stay rare (they count as calls too). One reaction per congestion
    /// event: answers to calls sent before the last cut do not cut again, so a burst of throttles is one halving, not
    /// many. Throttled calls are sent again here; give the engine clients whose SDK retries do not retry throttling
    /// too (MaxAttempts 1), or attach <see cref="Observer"/> so SDK-level retries also slow this layer down.
    /// </summary>
    public sealed class AdaptiveThrottle
    {
        private readonly ConcurrentDictionary<string, OperationGate> _gates = new ConcurrentDictionary<string, OperationGate>(StringComparer.Ordinal);
        private readonly AdaptiveThrottleOptions _options;

        public AdaptiveThrottle(AdaptiveThrottleOptions? options = null, EngineClock? clock = null, CallStatistics? statistics = null)
        {
            _options = options ?? new AdaptiveThrottleOptions();
            if (_options.MinConcurrency < 1 || _options.InitialConcurrency < _options.MinConcurrency || _options.MaxConcurrency < _options.InitialConcurrency)
                throw new ArgumentException("Concurrency must satisfy 1 <= Min <= Initial <= Max.", nameof(options));
            Clock = clock ?? EngineClock.System;
            Statistics = statistics ?? new CallStatistics();
            Observer = new ThrottleSignalObserver(this);
        }

        public EngineClock Clock { get; }

        /// <summary>Calls made and throttles seen, per operation.</summary>
        public CallStatistics Statistics { get; }

        /// <summary>Feeds SDK-level retries (AwsCallRecord.Attempts &gt; 1) in as congestion signals.</summary>
        public IAwsCallObserver Observer { get; }

        /// <summary>True for the error codes AWS services use for throttling.</summary>
        public static bool IsThrottling(Exception exception)
        {
            if (!(exception is AwsServiceException aws)) return false;
            if ((int)aws.StatusCode == 429) return true;
            switch (aws.ErrorCode)
            {
                case "Throttling":
                case "ThrottlingException":
                case "ThrottledException":
                case "TooManyRequestsException":
                case "RequestLimitExceeded":
                case "RequestThrottled":
                case "RequestThrottledException":
                case "SlowDown":
                case "ProvisionedThroughputExceededException":
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The concurrency a gate currently allows (for diagnostics and tests).</summary>
        public int CurrentConcurrency(string operation, string? region = null) => Gate(operation, region).ConcurrencyLimit;

        /// <summary>The pacing rate a gate currently uses, or null while unlimited.</summary>
        public double? CurrentRate(string operation, string? region = null) => Gate(operation, region).Rate;

        /// <summary>Runs one logical call under the operation's gate, sending it again after throttling answers.</summary>
        public async Task<T> RunAsync<T>(string operation, string? region, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            if (call == null) throw new ArgumentNullException(nameof(call));
            var gate = Gate(operation, region);
            for (var attempt = 0; ; attempt++)
            {
                var sentAt = await gate.AcquireAsync(cancellationToken).ConfigureAwait(false);
                Statistics.RecordCall(operation);
                try
                {
                    var result = await call(cancellationToken).ConfigureAwait(false);
                    gate.OnSuccess(sentAt, Clock.Elapsed);
                    return result;
                }
                catch (Exception e) when (IsThrottling(e) && !cancellationToken.IsCancellationRequested)
                {
                    Statistics.RecordThrottle(operation);
                    gate.OnThrottle(sentAt, Clock.Elapsed);
                    if (attempt >= _options.MaxThrottleRetries) throw;
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    Statistics.RecordFailure(operation);
                    throw;
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        internal void OnExternalThrottle(string operation, string? region, TimeSpan sentAt)
        {
            Statistics.RecordThrottle(operation);
            Gate(operation, region).OnThrottle(sentAt, Clock.Elapsed);
        }

        private OperationGate Gate(string operation, string? region)
        {
            var key = _options.ShareAcrossRegions || string.IsNullOrEmpty(region) ? operation : region + "/" + operation;
            return _gates.GetOrAdd(key, _ => new OperationGate(_options, Clock));
        }

        private sealed class ThrottleSignalObserver : IAwsCallObserver
        {
            private readonly AdaptiveThrottle _owner;
            public ThrottleSignalObserver(AdaptiveThrottle owner) { _owner = owner; }

            public void OnCall(AwsCallRecord call)
            {
                if (call == null || call.Attempts <= 1) return;
                // Every extra attempt reached the service: count it, and treat the call as a congestion signal.
                for (var extra = 1; extra < call.Attempts; extra++) _owner.Statistics.RecordCall(call.Operation);
                _owner.OnExternalThrottle(call.Operation, call.Region, _owner.Clock.Elapsed - call.Duration);
            }
        }

        /// <summary>One operation's concurrency window and pacing rate.</summary>
        private sealed class OperationGate
        {
            private readonly object _lock = new object();
            private readonly AdaptiveThrottleOptions _options;
            private readonly EngineClock _clock;
            private readonly Queue<TaskCompletionSource<bool>> _waiters = new Queue<TaskCompletionSource<bool>>();
            private double _limit;
            private int _inFlight;
            private double? _rate;
            private bool _throttled;
            private double _lastThrottleRate;
            private long _successesAboveLast;
            private readonly SemaphoreSlim _pacer = new SemaphoreSlim(1, 1);
            private TimeSpan? _lastSend;
            private TimeSpan? _lastRateBound;
            private TimeSpan _lastDecrease = TimeSpan.MinValue;
            private TimeSpan? _firstSend;
            private readonly Queue<TimeSpan> _recentSuccesses = new Queue<TimeSpan>();
            private static readonly TimeSpan SuccessWindow = TimeSpan.FromSeconds(1);
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

            private int Slots => Math.Max(_options.MinConcurrency, Math.Min(_options.MaxConcurrency, (int)Math.Floor(_limit)));

            /// <summary>Waits for a slot and the pacing; returns the send time.</summary>
            public async Task<TimeSpan> AcquireAsync(CancellationToken cancellationToken)
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
                    // Sends are spaced by at least one interval measured from the previous actual send, one sender at a
                    // time: late timer wake-ups never bunch calls together (a service bucket with burst 1 would throttle them).
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
                                var interval = _rate is double rate ? TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate)) : TimeSpan.Zero;
                                wait = _lastSend is TimeSpan last ? last + interval - now : TimeSpan.Zero;

                                if (wait <= TimeSpan.Zero)
                                {
                                    _lastSend = now;
                                    return now;
                                }
                                // The rate binds when pacing holds a sender back for a good part of an interval; short
                                // waits happen too while latency and concurrency are what really limit the throughput.
                                if (wait.Ticks * 2 >= interval.Ticks) _lastRateBound = now;
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

            public void OnSuccess(TimeSpan sentAt, TimeSpan now)
            {
                lock (_lock)
                {
                    _successesSinceDecrease++;
                    _successesTotal++;
                    _recentSuccesses.Enqueue(now);
                    Trim(now);
                    var latency = Math.Max(0.0, (now - sentAt).TotalSeconds);
                    _latencySeconds = _latencySeconds == 0 ? latency : 0.9 * _latencySeconds + 0.1 * latency;
                    _limit = Math.Min(_options.MaxConcurrency, _limit + 1.0 / Math.Max(1.0, _limit));
                    // Grow only while the rate is what holds calls back (a sender waited for pacing within the last
                    // second): while latency or demand bound us, a growing rate would be a number nobody tested.
                    if (_rate is double rate && _lastRateBound is TimeSpan bound && now - bound <= SuccessWindow)
                    {
                        double growth;
                        if (!_throttled) growth = _options.SlowStartGrowthPerSuccess;
                        else if (rate < 0.97 * _lastThrottleRate)
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
                        _rate = grown;
                    }
                    Dispatch();
                }
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

            public void OnThrottle(TimeSpan sentAt, TimeSpan now)
            {
                lock (_lock)
                {
                    _throttlesSinceDecrease++;
                    // Calls already under way when we last slowed down tell us nothing new.
                    if (sentAt <= _lastDecrease) return;
                    var achievedNow = Achieved(now);
                    double current;
                    if (_rate is double rate) current = rate;
                    else
                    {
                        // First throttle while unpaced: what we actually achieved is the starting point.
                        var seconds = Math.Max(0.001, (now - (_firstSend ?? now)).TotalSeconds);
                        current = Math.Max(_options.MinRatePerSecond, (_successesTotal + 1) / seconds);
                    }
                    // The rate that throttled is where the concave recovery aims; an isolated throttle below the previous one
                    // (arrival jitter) moves that mark only halfway down.
                    _lastThrottleRate = _throttled && _successesSinceDecrease >= 20 && current < _lastThrottleRate
                        ? (current + _lastThrottleRate) / 2.0
                        : current;
                    _throttled = true;
                    // Heavy throttling (several throttles and one call in five or more since the last cut) is real overload: halve.
                    var factor = _throttlesSinceDecrease >= 2 && _throttlesSinceDecrease * 4 >= _successesSinceDecrease ? 0.5 : _options.DecreaseFactor;
                    var next = current * factor;
                    // What actually got through in the last second is a floor: stray throttles (arrival jitter against a
                    // small burst) must not halve the rate again and again far below what the service demonstrably allows.
                    // Only for an isolated throttle (many successes since the last cut): clustered ones mean real overload.
                    if (_successesSinceDecrease >= 20 && achievedNow is double achieved) next = Math.Min(current, Math.Max(next, achieved * 0.85));
                    _rate = Math.Max(_options.MinRatePerSecond, next);
                    // Halve the concurrency, but keep enough calls in flight to sustain the new rate at the observed latency.
                    var sustained = achievedNow is double got ? Math.Min(_rate.Value, got) : _rate.Value;
                    var needed = Math.Ceiling(sustained * _latencySeconds * 1.2);
                    _limit = Math.Min(_options.MaxConcurrency, Math.Max(Math.Max(_options.MinConcurrency, needed), _limit / 2.0));
                    _lastDecrease = now;
                    _successesSinceDecrease = 0;
                    _throttlesSinceDecrease = 0;
                    // The next send waits a full new interval from now.
                    if (_lastSend == null || _lastSend < now) _lastSend = now;
                }
            }
        }
    }

    /// <summary>Calls, throttles and failures per operation; safe to update from any thread.</summary>
    public sealed class CallStatistics
    {
        private readonly ConcurrentDictionary<string, long[]> _counters = new ConcurrentDictionary<string, long[]>(StringComparer.Ordinal);

        private long[] For(string operation) => _counters.GetOrAdd(operation, _ => new long[3]);

        internal void RecordCall(string operation) => Interlocked.Increment(ref For(operation)[0]);
        internal void RecordThrottle(string operation) => Interlocked.Increment(ref For(operation)[1]);
        internal void RecordFailure(string operation) => Interlocked.Increment(ref For(operation)[2]);

        /// <summary>Calls sent per operation, throttled ones included.</summary>
        public IReadOnlyDictionary<string, long> CallsByOperation => Snapshot(0);

        public IReadOnlyDictionary<string, long> ThrottlesByOperation => Snapshot(1);

        public IReadOnlyDictionary<string, long> FailuresByOperation => Snapshot(2);

        public long Calls(string operation) => _counters.TryGetValue(operation, out var c) ? Interlocked.Read(ref c[0]) : 0;

        public long Throttles(string operation) => _counters.TryGetValue(operation, out var c) ? Interlocked.Read(ref c[1]) : 0;

        public long TotalCalls { get { long total = 0; foreach (var c in _counters.Values) total += Interlocked.Read(ref c[0]); return total; } }

        public long TotalThrottles { get { long total = 0; foreach (var c in _counters.Values) total += Interlocked.Read(ref c[1]); return total; } }

        private IReadOnlyDictionary<string, long> Snapshot(int index)
        {
            var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var pair in _counters) result[pair.Key] = Interlocked.Read(ref pair.Value[index]);
            return result;
        }

        public override string ToString()
        {
            var parts = new List<string>();
            foreach (var pair in CallsByOperation) parts.Add($"{pair.Key}={pair.Value}");
            return string.Join(", ", parts) + $" (throttled {TotalThrottles})";
        }
    }
}
