using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>
    /// Client configuration for one JSON 1.1 service: the endpoint is resolved up front (rule set or override) and
    /// handed to the SDK as the service URL; signing name and region come from the service and the resolution.
    /// </summary>
    internal sealed class JsonServiceClientConfig : ClientConfig
    {
        private readonly string _endpointPrefix;
        private readonly string _apiVersion;
        private readonly string _userAgent;

        public JsonServiceClientConfig(AwsServiceDescriptor service, AwsResolvedEndpoint endpoint, AwsRetryTiming retryTiming)
            : base(new DefaultConfigurationProvider(Amazon.SecurityToken.AmazonSecurityTokenServiceDefaultConfiguration.GetAllConfigurations()))
        {
            Service = service;
            RetryTiming = retryTiming;
            _endpointPrefix = service.EndpointPrefix;
            _apiVersion = service.ApiVersion;
            _userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId, FmsToolsVersion.Value);
            ServiceId = service.ServiceId;
            AuthenticationServiceName = service.SigningName;
            ServiceURL = endpoint.Url.ToString();
            AuthenticationRegion = endpoint.SigningRegion;
        }

        public AwsServiceDescriptor Service { get; }

        public AwsRetryTiming RetryTiming { get; }

        public override string RegionEndpointServiceName => _endpointPrefix;

        public override string ServiceVersion => _apiVersion;

        public override string UserAgent => _userAgent;

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
            => new Endpoint(ServiceURL);
    }

    internal sealed class JsonServiceMetadata : IServiceMetadata
    {
        public JsonServiceMetadata(string serviceId) { ServiceId = serviceId; }

        public string ServiceId { get; }

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
    }

    /// <summary>
    /// An AmazonServiceClient for any JSON 1.1 service: the SDK pipeline supplies credential resolution, SigV4
    /// signing, the standard or adaptive retry mode, clock-skew correction, timeouts and HTTP handling.
    /// </summary>
    internal sealed class JsonServiceClient : AmazonServiceClient
    {
        private readonly JsonOperationMarshaller _marshaller;
        private readonly IServiceMetadata _metadata;

        public JsonServiceClient(AWSCredentials credentials, JsonServiceClientConfig config)
            : base(credentials, config)
        {
            _marshaller = new JsonOperationMarshaller(config.Service);
            _metadata = new JsonServiceMetadata(config.Service.ServiceId);
        }

        protected override IServiceMetadata ServiceMetadata => _metadata ?? new JsonServiceMetadata("");

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            // Runs inside the base constructor: only the config (passed to base) is available here.
            var config = (JsonServiceClientConfig)Config;
            RetryPolicy policy = config.RetryMode == RequestRetryMode.Adaptive
                ? new TimedAdaptiveRetryPolicy(config, config.RetryTiming)
                : new TimedStandardRetryPolicy(config, config.RetryTiming);
            pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(policy));
            pipeline.AddHandlerAfter<RetryHandler>(new AttemptCountingHandler());
            pipeline.AddHandlerAfter<AttemptCountingHandler>(new ResendGuardHandler());
            pipeline.AddHandlerBefore<Amazon.Runtime.Internal.Signer>(new SigV4AuthSchemeHandler());
            pipeline.AddHandler(new CallTrackingHandler());
            // Endpoint discovery applies only to operations whose InvokeOptions carry an endpoint-discovery marshaller and
            // operation (SendAsync sets neither), so the handler only passed the call through: one async layer, and one
            // credentials lookup, per call.
            pipeline.RemoveHandler<EndpointDiscoveryHandler>();
        }

        public Task<JsonOperationResponse> SendAsync(JsonOperationRequest request, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = _marshaller,
                ResponseUnmarshaller = JsonOperationUnmarshaller.Instance,
            };
            return InvokeAsync<JsonOperationResponse>(request, options, cancellationToken);
        }

        public IEnumerable<string> DescribePipeline()
        {
            foreach (var handler in RuntimePipeline.EnumerateHandlers())
            {
                yield return handler is RetryHandler retry
                    ? handler.GetType().Name + "(" + retry.RetryPolicy.GetType().Name + ")"
                    : handler.GetType().Name;
            }
        }
    }

    /// <summary>All three services authenticate with SigV4 only (the models' "auth": ["aws.auth#sigv4"]).</summary>
    internal sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<Amazon.Runtime.Internal.Auth.IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
            => Amazon.Runtime.Credentials.Internal.AuthSchemeOption.DEFAULT_SIGV4;
    }
}
