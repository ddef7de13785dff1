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
}
