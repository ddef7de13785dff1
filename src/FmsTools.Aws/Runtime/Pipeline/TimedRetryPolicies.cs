using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>
    /// The SDK's standard retry mode (what is retryable, retry quota, attempt limit) with the wait routed through
    /// <see cref="AwsRetryTiming"/>, and no resending of a state-changing call that may have been applied (<see cref="ResendSafety"/>).
    /// </summary>
    internal sealed class TimedStandardRetryPolicy : StandardRetryPolicy
    {
        private readonly AwsRetryTiming _timing;

        public TimedStandardRetryPolicy(IClientConfig config, AwsRetryTiming timing) : base(config) { _timing = timing; }

        /// <summary>Throttling answers do not draw on the retry quota (see <see cref="RetryQuota"/>).</summary>
        public override bool OnRetry(IExecutionContext executionContext, bool bypassAcquireCapacity, bool isThrottlingError)
            => base.OnRetry(executionContext, RetryQuota.Bypass(bypassAcquireCapacity, isThrottlingError), isThrottlingError);

        public override bool RetryForException(IExecutionContext executionContext, Exception exception)
            => MayRetry(executionContext, exception) && base.RetryForException(executionContext, exception);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
            => MayRetry(executionContext, exception) && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

        /// <summary>
        /// Not when resending could apply a change twice (<see cref="ResendSafety"/>), nor when no retry can succeed
        /// (<see cref="TransportFailures"/>), nor when the credentials the call signs with could not be obtained: their
        /// own calls were retried already, and a missing token file or profile stays missing.
        /// </summary>
        internal static bool MayRetry(IExecutionContext executionContext, Exception exception)
            => !IsCredentialFailure(exception)
               && ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, exception)
               && !TransportFailures.CannotSucceed(exception, executionContext.RequestContext.Request?.Endpoint);

        private static bool IsCredentialFailure(Exception? exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
                if (e is AwsCredentialException) return true;
            return false;
        }

        public override void WaitBeforeRetry(IExecutionContext executionContext)
            => WaitBeforeRetryAsync(executionContext).GetAwaiter().GetResult();

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext)
            => _timing.Delay(_timing.DelayFor(executionContext.RequestContext.Retries, MaxBackoffInMilliseconds),
                executionContext.RequestContext.CancellationToken);
    }

    /// <summary>
    /// The SDK's adaptive retry mode (standard plus a client-side token bucket that slows sending when throttled), with
    /// the send-token wait fixed. AWSSDK.Core 4.0's <c>TokenBucket.TryAcquireToken(Async)</c> refills the bucket once,
    /// then loops up to 15 times sleeping for the missing capacity without refilling again, so once it has to wait it
    /// can only fail ("capacity could not be obtained"). A brand-new client hit that on its first throttles: its
    /// measured send rate is still 0, so the first throttle sets the fill rate to the minimum (0.5/s) and empties the
    /// bucket, and the retry's token request waited, never saw the refill and failed with AmazonClientException
    /// instead of retrying. The adaptive retry spec (as botocore implements it) waits for the token, refilling after
    /// each wait, and never fails for lack of one; here the wait goes through <see cref="AwsRetryTiming"/> and the
    /// bucket refills by <see cref="AwsRetryTiming.Clock"/>. FastFailRequests keeps the SDK's fail-fast behaviour.
    /// </summary>
    internal sealed class TimedAdaptiveRetryPolicy : AdaptiveRetryPolicy
    {
        private readonly AwsRetryTiming _timing;
        private readonly PacedTokenBucket _bucket;

        public TimedAdaptiveRetryPolicy(IClientConfig config, AwsRetryTiming timing) : base(config)
        {
            _timing = timing;
            _bucket = new PacedTokenBucket(timing.Clock);
            TokenBucket = _bucket;
        }

        public override void ObtainSendToken(IExecutionContext executionContext, Exception exception)
            => ObtainSendTokenAsync(executionContext, exception).GetAwaiter().GetResult();

        public override async Task ObtainSendTokenAsync(IExecutionContext executionContext, Exception exception)
        {
            var requestContext = executionContext.RequestContext;
            if (requestContext.ClientConfig.FastFailRequests)
            {
                await base.ObtainSendTokenAsync(executionContext, exception).ConfigureAwait(false);
                return;
            }
            // failFast: refill by the clock and take a token if there is one, without the SDK's non-refilling wait.
            while (!await _bucket.TryAcquireTokenAsync(1, true, requestContext.CancellationToken).ConfigureAwait(false))
                await _timing.Delay(_bucket.TimeUntilToken(1), requestContext.CancellationToken).ConfigureAwait(false);
        }

        /// <summary>Throttling answers do not draw on the retry quota (see <see cref="RetryQuota"/>).</summary>
        public override bool OnRetry(IExecutionContext executionContext, bool bypassAcquireCapacity, bool isThrottlingError)
            => base.OnRetry(executionContext, RetryQuota.Bypass(bypassAcquireCapacity, isThrottlingError), isThrottlingError);

        public override bool RetryForException(IExecutionContext executionContext, Exception exception)
            => TimedStandardRetryPolicy.MayRetry(executionContext, exception) && base.RetryForException(executionContext, exception);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
            => TimedStandardRetryPolicy.MayRetry(executionContext, exception)
               && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

        public override void WaitBeforeRetry(IExecutionContext executionContext)
            => WaitBeforeRetryAsync(executionContext).GetAwaiter().GetResult();

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext)
            => _timing.Delay(_timing.DelayFor(executionContext.RequestContext.Retries, MaxBackoffInMilliseconds),
                executionContext.RequestContext.CancellationToken);
    }

    /// <summary>The SDK's send-rate token bucket on <see cref="AwsRetryTiming.Clock"/>, able to say how long until a token is due.</summary>
    internal sealed class PacedTokenBucket : TokenBucket
    {
        private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(1);
        private readonly Func<TimeSpan>? _clock;

        public PacedTokenBucket(Func<TimeSpan> clock)
        {
            _clock = clock;
            // The base constructor stamped these from its own clock (before _clock was set).
            LastTxRateBucket = Math.Floor(GetTimestamp());
            LastThrottleTime = GetTimestamp();
        }

        protected override double GetTimestamp() => _clock is null ? base.GetTimestamp() : _clock().TotalSeconds;

        /// <summary>
        /// The wait until <paramref name="amount"/> tokens are due at the current fill rate (at least 1 ms). Read
        /// without the base class's private lock: a stale value only makes one wait a little long or short, and the
        /// next TryAcquireToken decides under the lock.
        /// </summary>
        public TimeSpan TimeUntilToken(double amount)
        {
            var fillRate = FillRate ?? 0;
            if (fillRate <= 0) return ShortestWait;
            var missing = amount - CurrentCapacity;
            var wait = TimeSpan.FromSeconds(Math.Max(0, missing) / fillRate);
            return wait < ShortestWait ? ShortestWait : wait;
        }
    }

    /// <summary>
    /// The SDK's retry quota (500 tokens, 5 per retry, refunded on success) stops retry storms against a failing service.
    /// A throttling answer is not a failing service: FMS throttles a healthy caller routinely, and under sustained
    /// throttling the quota drains until a long read (Get-FmsPolicy -Detailed over hundreds of policies) fails part way with
    /// ThrottlingException on its first attempt. Throttled retries are bounded by the attempt limit and spaced by the
    /// backoff instead; 5xx, resets and timeouts still draw on the quota.
    /// </summary>
    internal static class RetryQuota
    {
        public static bool Bypass(bool bypassAcquireCapacity, bool isThrottlingError) => bypassAcquireCapacity || isThrottlingError;
    }
}
