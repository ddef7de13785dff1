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
            => ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, exception) && base.RetryForException(executionContext, exception);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
            => ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, exception)
               && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

        public override void WaitBeforeRetry(IExecutionContext executionContext)
            => WaitBeforeRetryAsync(executionContext).GetAwaiter().GetResult();

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext)
            => _timing.Delay(_timing.DelayFor(executionContext.RequestContext.Retries, MaxBackoffInMilliseconds),
                executionContext.RequestContext.CancellationToken);
    }

    /// <summary>The SDK's adaptive retry mode (standard plus a client-side token bucket that slows sending when throttled).</summary>
    internal sealed class TimedAdaptiveRetryPolicy : AdaptiveRetryPolicy
    {
        private readonly AwsRetryTiming _timing;

        public TimedAdaptiveRetryPolicy(IClientConfig config, AwsRetryTiming timing) : base(config) { _timing = timing; }

        /// <summary>Throttling answers do not draw on the retry quota (see <see cref="RetryQuota"/>).</summary>
        public override bool OnRetry(IExecutionContext executionContext, bool bypassAcquireCapacity, bool isThrottlingError)
            => base.OnRetry(executionContext, RetryQuota.Bypass(bypassAcquireCapacity, isThrottlingError), isThrottlingError);

        public override bool RetryForException(IExecutionContext executionContext, Exception exception)
            => ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, exception) && base.RetryForException(executionContext, exception);

        public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception)
            => ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, exception)
               && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

        public override void WaitBeforeRetry(IExecutionContext executionContext)
            => WaitBeforeRetryAsync(executionContext).GetAwaiter().GetResult();

        public override Task WaitBeforeRetryAsync(IExecutionContext executionContext)
            => _timing.Delay(_timing.DelayFor(executionContext.RequestContext.Retries, MaxBackoffInMilliseconds),
                executionContext.RequestContext.CancellationToken);
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
