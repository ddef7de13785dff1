using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws
{
    /// <summary>
    /// Configuration shared by the SDK's typed clients FmsTools uses (STS, SSO, SSO OIDC): the endpoint FmsTools resolved
    /// (<see cref="AwsEndpointConfiguration"/>; the SDK's own lookup of AWS_ENDPOINT_URL* and the profile is turned off so
    /// one precedence holds everywhere), FIPS, dual-stack, retry mode and attempts, and timeout.
    /// </summary>
    internal static class SdkClientSetup
    {
        public static void Configure(ClientConfig config, AwsInvokerSettings settings)
        {
            config.RetryMode = settings.RetryMode == AwsRetryMode.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard;
            config.MaxErrorRetry = Math.Max(0, settings.MaxAttempts - 1);
            config.IgnoreConfiguredEndpointUrls = true;
            if (!string.IsNullOrWhiteSpace(settings.EndpointUrl))
            {
                if (settings.UseFips || settings.UseDualStack)
                    throw new AwsConfigurationException("Invalid configuration: FIPS or dual-stack cannot be combined with a custom endpoint.", "EndpointUrl");
                config.ServiceURL = settings.EndpointUrl;
                config.AuthenticationRegion = settings.Region;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
                config.UseFIPSEndpoint = settings.UseFips;
                config.UseDualstackEndpoint = settings.UseDualStack;
            }
            if (settings.Timeout.HasValue) config.Timeout = settings.Timeout.Value;
        }

        /// <summary>Our retry policies (timing, no futile retries), attempt counting and call tracking.</summary>
        public static void Customize(RuntimePipeline pipeline, IClientConfig config, AwsRetryTiming timing)
        {
            RetryPolicy policy = config.RetryMode == RequestRetryMode.Adaptive
                ? new TimedAdaptiveRetryPolicy(config, timing)
                : new TimedStandardRetryPolicy(config, timing);
            pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(policy));
            pipeline.AddHandlerAfter<RetryHandler>(new AttemptCountingHandler());
            pipeline.AddHandler(new CallTrackingHandler());
        }
    }

    /// <summary>
    /// Outermost handler of an SDK client whose calls the SDK itself makes (the SSO token refresh): reports one call record
    /// per call, with the endpoint it went to, to the session's observer.
    /// </summary>
    internal sealed class ObservingHandler : PipelineHandler
    {
        private readonly string _service;
        private readonly string _region;
        private readonly IAwsCallObserver? _observer;

        public ObservingHandler(string service, string region, IAwsCallObserver? observer)
        {
            _service = service;
            _region = region;
            _observer = observer;
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var stopwatch = Stopwatch.StartNew();
            string? error = null;
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                error = string.IsNullOrEmpty(e.ErrorCode) ? "UnknownError" : e.ErrorCode;
                throw;
            }
            catch (Exception e)
            {
                error = e.GetType().Name;
                throw;
            }
            finally
            {
                Report(executionContext, stopwatch.Elapsed, error);
            }
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            var stopwatch = Stopwatch.StartNew();
            string? error = null;
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (AmazonServiceException e)
            {
                error = string.IsNullOrEmpty(e.ErrorCode) ? "UnknownError" : e.ErrorCode;
                throw;
            }
            catch (Exception e)
            {
                error = e.GetType().Name;
                throw;
            }
            finally
            {
                Report(executionContext, stopwatch.Elapsed, error);
            }
        }

        private void Report(IExecutionContext executionContext, TimeSpan elapsed, string? error)
        {
            var request = executionContext.RequestContext.OriginalRequest;
            if (_observer == null || request == null) return;
            var outcome = CallOutcome.For(request);
            var name = request.GetType().Name;
            var operation = name.EndsWith("Request", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Request".Length) : name;
            _observer.OnCall(new AwsCallRecord(_service, operation, _region, null, outcome.RequestId, Math.Max(1, outcome.Attempts), outcome.HttpStatus,
                elapsed, error, outcome.Endpoint));
        }
    }

    internal sealed class ObservedSsoClient : Amazon.SSO.AmazonSSOClient
    {
        public ObservedSsoClient(AwsInvokerSettings settings) : base(new AnonymousAWSCredentials(), BuildConfig(settings)) { }

        private static Amazon.SSO.AmazonSSOConfig BuildConfig(AwsInvokerSettings settings)
        {
            var config = new SsoConfig(settings);
            SdkClientSetup.Configure(config, settings);
            return config;
        }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            var settings = ((SsoConfig)Config).Settings;
            SdkClientSetup.Customize(pipeline, Config, settings.RetryTiming);
            pipeline.AddHandler(new ObservingHandler("SSO", settings.Region, settings.Observer));
        }

        private sealed class SsoConfig : Amazon.SSO.AmazonSSOConfig
        {
            public SsoConfig(AwsInvokerSettings settings) { Settings = settings; }
            public AwsInvokerSettings Settings { get; }
        }
    }

    internal sealed class ObservedSsoOidcClient : Amazon.SSOOIDC.AmazonSSOOIDCClient
    {
        public ObservedSsoOidcClient(AwsInvokerSettings settings) : base(new AnonymousAWSCredentials(), BuildConfig(settings)) { }

        private static Amazon.SSOOIDC.AmazonSSOOIDCConfig BuildConfig(AwsInvokerSettings settings)
        {
            var config = new OidcConfig(settings);
            SdkClientSetup.Configure(config, settings);
            return config;
        }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            var settings = ((OidcConfig)Config).Settings;
            SdkClientSetup.Customize(pipeline, Config, settings.RetryTiming);
            pipeline.AddHandler(new ObservingHandler("SSO OIDC", settings.Region, settings.Observer));
        }

        private sealed class OidcConfig : Amazon.SSOOIDC.AmazonSSOOIDCConfig
        {
            public OidcConfig(AwsInvokerSettings settings) { Settings = settings; }
            public AwsInvokerSettings Settings { get; }
        }
    }
}
