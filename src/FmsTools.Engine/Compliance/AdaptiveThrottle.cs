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
        /// first throttle (a short slow start: the first calls are spread out, and the rate soon stops holding anything
        /// back, so that the concurrency window decides until the service first refuses); null sends as fast as the
        /// concurrency allows until the first throttle.
        /// </summary>
        public double? InitialRatePerSecond { get; set; } = 50;

        /// <summary>Relative rate growth per successful call before the first throttle (doubling about every 3 calls).</summary>
        public double SlowStartGrowthPerSuccess { get; set; } = 0.25;

        public double MinRatePerSecond { get; set; } = 0.2;

        /// <summary>How often one logical call is sent again after a throttling answer before the error is surfaced.</summary>
        public int MaxThrottleRetries { get; set; } = 12;

        /// <summary>Rate multiplier on a throttle while no rate has been learnt yet (heavy throttling halves instead).</summary>
        public double DecreaseFactor { get; set; } = 0.88;

        /// <summary>
        /// Once the service's rate has been learnt from its throttling answers (the spans between throttled calls), calls are
        /// paced this fraction below it after each throttle; the bucket then refills slightly, and its reserve absorbs the
        /// jitter of send times.
        /// </summary>
        public double PacingMargin { get; set; } = 0.01;

        /// <summary>
        /// While the rate binds, the pace then rises by this fraction of the learnt rate per second (linear in time, not
        /// per call): the saved tokens are spent again, and about every 2 × margin ÷ this seconds (0.7 s by default) the bucket runs empty once, which
        /// costs one throttled call or so and measures the rate afresh (and finds a rate that grew).
        /// </summary>
        public double ProbePerSecond { get; set; } = 0.03;

        /// <summary>Relative growth per success, before a rate is learnt, once the rate is back at the one that throttled.</summary>
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
    /// window of successes up to the maximum; a pacing rate keeps the send rate just under the service's limit so that
    /// throttled calls stay rare (they count as calls too). The limit is learnt from the throttling answers themselves:
    /// a throttled call found the service's token bucket empty, and the calls that got through between two throttled
    /// ones measure its refill rate. One reaction per congestion
    /// event: answers to calls sent before the last cut do not cut again, so a burst of throttles is one halving, not
    /// many. Throttled calls are sent again here; give the engine clients whose SDK retries do not retry throttling
    /// too (MaxAttempts 1), or attach <see cref="Observer"/> so SDK-level retries also slow this layer down.
    /// </summary>
    public sealed partial class AdaptiveThrottle
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

        /// <summary>The service's rate learnt from throttling answers, or null while none is known (for diagnostics and tests).</summary>
        public double? LearntRate(string operation, string? region = null) => Gate(operation, region).LearntRate;

        /// <summary>Runs one logical call under the operation's gate, sending it again after throttling answers.</summary>
        public async Task<T> RunAsync<T>(string operation, string? region, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            if (call == null) throw new ArgumentNullException(nameof(call));
            var gate = Gate(operation, region);
            for (var attempt = 0; ; attempt++)
            {
                var send = await gate.AcquireAsync(cancellationToken).ConfigureAwait(false);
                Statistics.RecordCall(operation);
                try
                {
                    var result = await call(cancellationToken).ConfigureAwait(false);
                    gate.OnSuccess(send, Clock.Elapsed);
                    return result;
                }
                catch (Exception e) when (IsThrottling(e) && !cancellationToken.IsCancellationRequested)
                {
                    Statistics.RecordThrottle(operation);
                    gate.OnThrottle(send, Clock.Elapsed);
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
            // Which send it was is unknown here: it slows the gate down but teaches the rate estimate nothing.
            Gate(operation, region).OnThrottle((-1L, sentAt), Clock.Elapsed);
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
