using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws
{
    /// <summary>Who the credentials belong to (sts:GetCallerIdentity).</summary>
    public sealed class StsCallerIdentity
    {
        public StsCallerIdentity(string account, string arn, string userId)
        {
            Account = account;
            Arn = arn;
            UserId = userId;
        }

        public string Account { get; }
        public string Arn { get; }
        public string UserId { get; }

        public override string ToString() => $"{Arn} (account {Account})";
    }

    /// <summary>Temporary credentials of an assumed role. ToString never shows the keys.</summary>
    public sealed class StsAssumedRole
    {
        public StsAssumedRole(AWSCredentials credentials, DateTime expirationUtc, string assumedRoleArn, string assumedRoleId)
        {
            Credentials = credentials;
            ExpirationUtc = expirationUtc;
            AssumedRoleArn = assumedRoleArn;
            AssumedRoleId = assumedRoleId;
        }

        public AWSCredentials Credentials { get; }
        public DateTime ExpirationUtc { get; }
        public string AssumedRoleArn { get; }
        public string AssumedRoleId { get; }

        public override string ToString() => $"{AssumedRoleArn} until {ExpirationUtc:u}";
    }

    /// <summary>The STS operations FmsTools needs.</summary>
    public interface IStsClient
    {
        Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);

        Task<StsAssumedRole> AssumeRoleAsync(string roleArn, string roleSessionName, TimeSpan? duration = null,
            CancellationToken cancellationToken = default);
    }

    /// <summary>
    /// IStsClient over AWSSDK.SecurityToken, configured like the JSON clients (endpoint override, FIPS, dual-stack,
    /// retry mode and attempts, timeout) and reporting to the same observer. Errors become AwsServiceException.
    /// </summary>
    public sealed class StsClient : IStsClient, IDisposable
    {
        private readonly TrackedStsClient _client;
        private readonly AwsInvokerSettings _settings;

        public StsClient(AWSCredentials credentials, AwsInvokerSettings settings)
        {
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            var config = new StsClientConfig(settings.RetryTiming)
            {
                RetryMode = settings.RetryMode == AwsRetryMode.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard,
                MaxErrorRetry = Math.Max(0, settings.MaxAttempts - 1),
            };
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
            _client = new TrackedStsClient(credentials, config);
        }

        public async Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        {
            var request = new GetCallerIdentityRequest();
            var response = await Track("GetCallerIdentity", request,
                () => _client.GetCallerIdentityAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new StsCallerIdentity(response.Account, response.Arn, response.UserId);
        }

        public async Task<StsAssumedRole> AssumeRoleAsync(string roleArn, string roleSessionName, TimeSpan? duration = null,
            CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(roleArn)) throw new ArgumentException("A role ARN is required.", nameof(roleArn));
            if (string.IsNullOrWhiteSpace(roleSessionName)) throw new ArgumentException("A role session name is required.", nameof(roleSessionName));
            var request = new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = roleSessionName };
            if (duration.HasValue) request.DurationSeconds = (int)duration.Value.TotalSeconds;
            var response = await Track("AssumeRole", request,
                () => _client.AssumeRoleAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            var expiration = c.Expiration.HasValue ? c.Expiration.Value.ToUniversalTime() : DateTime.UtcNow.AddHours(1);
            return new StsAssumedRole(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expiration,
                response.AssumedRoleUser?.Arn ?? roleArn, response.AssumedRoleUser?.AssumedRoleId ?? "");
        }

        private async Task<T> Track<T>(string operation, AmazonWebServiceRequest request, Func<Task<T>> send, CancellationToken cancellationToken)
        {
            ((IAmazonWebServiceRequest)request).UserAgentDetails.AddUserAgentComponent(FmsToolsVersion.UserAgentToken);
            var stopwatch = Stopwatch.StartNew();
            string? errorCode = null;
            string? requestId = null;
            try
            {
                var response = await send().ConfigureAwait(false);
                // STS is a query-protocol service: its request id travels in the XML body.
                requestId = (response as AmazonWebServiceResponse)?.ResponseMetadata?.RequestId;
                return response;
            }
            catch (AmazonServiceException e)
            {
                errorCode = string.IsNullOrEmpty(e.ErrorCode) ? "UnknownError" : e.ErrorCode;
                requestId = e.RequestId;
                throw new AwsServiceException(errorCode, e.Message, e.StatusCode, e.RequestId, operation, e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                errorCode = "OperationCanceled";
                throw;
            }
            catch (Exception e)
            {
                errorCode = e.GetType().Name;
                throw;
            }
            finally
            {
                stopwatch.Stop();
                var outcome = CallOutcome.For(request);
                _settings.Observer?.OnCall(new AwsCallRecord("STS", operation, _settings.Region, _settings.AccountId, requestId ?? outcome.RequestId,
                    Math.Max(1, outcome.Attempts), outcome.HttpStatus, stopwatch.Elapsed, errorCode));
            }
        }

        public void Dispose() => _client.Dispose();

        private sealed class StsClientConfig : AmazonSecurityTokenServiceConfig
        {
            public StsClientConfig(AwsRetryTiming retryTiming) { RetryTiming = retryTiming; }

            public AwsRetryTiming RetryTiming { get; }
        }

        private sealed class TrackedStsClient : AmazonSecurityTokenServiceClient
        {
            public TrackedStsClient(AWSCredentials credentials, StsClientConfig config) : base(credentials, config) { }

            protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
            {
                base.CustomizeRuntimePipeline(pipeline);
                var config = (StsClientConfig)Config;
                RetryPolicy policy = config.RetryMode == RequestRetryMode.Adaptive
                    ? new TimedAdaptiveRetryPolicy(config, config.RetryTiming)
                    : new TimedStandardRetryPolicy(config, config.RetryTiming);
                pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(policy));
                pipeline.AddHandlerAfter<RetryHandler>(new AttemptCountingHandler());
                pipeline.AddHandler(new CallTrackingHandler());
            }
        }
    }
}
