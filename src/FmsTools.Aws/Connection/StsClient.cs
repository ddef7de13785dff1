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

    /// <summary>An sts:AssumeRole request: the role, the session name, and optionally the external id and duration.</summary>
    public sealed class StsAssumeRoleRequest
    {
        public StsAssumeRoleRequest(string roleArn, string roleSessionName)
        {
            RoleArn = roleArn;
            RoleSessionName = roleSessionName;
        }

        public string RoleArn { get; }
        public string RoleSessionName { get; }
        public string? ExternalId { get; set; }
        public TimeSpan? Duration { get; set; }
    }

    /// <summary>The STS operations FmsTools needs.</summary>
    public interface IStsClient
    {
        Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);

        Task<StsAssumedRole> AssumeRoleAsync(string roleArn, string roleSessionName, TimeSpan? duration = null,
            CancellationToken cancellationToken = default);
    }

    /// <summary>
    /// IStsClient over AWSSDK.SecurityToken, configured like the JSON clients (the endpoint FmsTools resolved for STS, FIPS,
    /// dual-stack, retry mode and attempts, timeout) and reporting to the same observer, with the endpoint of each call.
    /// Errors become AwsServiceException, transport failures AwsTransportException.
    /// </summary>
    public sealed class StsClient : IStsClient, IDisposable
    {
        private readonly TrackedStsClient _client;
        private readonly AwsInvokerSettings _settings;

        public StsClient(AWSCredentials credentials, AwsInvokerSettings settings)
        {
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            var config = new StsClientConfig(settings.RetryTiming);
            SdkClientSetup.Configure(config, settings);
            _client = new TrackedStsClient(credentials, config);
        }

        public async Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        {
            var request = new GetCallerIdentityRequest();
            var response = await Track("GetCallerIdentity", request,
                () => _client.GetCallerIdentityAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new StsCallerIdentity(response.Account, response.Arn, response.UserId);
        }

        public Task<StsAssumedRole> AssumeRoleAsync(string roleArn, string roleSessionName, TimeSpan? duration = null,
            CancellationToken cancellationToken = default)
            => AssumeRoleAsync(new StsAssumeRoleRequest(roleArn, roleSessionName) { Duration = duration }, cancellationToken);

        public async Task<StsAssumedRole> AssumeRoleAsync(StsAssumeRoleRequest assume, CancellationToken cancellationToken = default)
        {
            if (assume == null) throw new ArgumentNullException(nameof(assume));
            if (string.IsNullOrWhiteSpace(assume.RoleArn)) throw new ArgumentException("A role ARN is required.", nameof(assume));
            if (string.IsNullOrWhiteSpace(assume.RoleSessionName)) throw new ArgumentException("A role session name is required.", nameof(assume));
            var request = new AssumeRoleRequest { RoleArn = assume.RoleArn, RoleSessionName = assume.RoleSessionName };
            if (assume.Duration.HasValue) request.DurationSeconds = (int)assume.Duration.Value.TotalSeconds;
            if (!string.IsNullOrWhiteSpace(assume.ExternalId)) request.ExternalId = assume.ExternalId;
            var response = await Track("AssumeRole", request,
                () => _client.AssumeRoleAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            var expiration = c.Expiration.HasValue ? c.Expiration.Value.ToUniversalTime() : DateTime.UtcNow.AddHours(1);
            return new StsAssumedRole(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expiration,
                response.AssumedRoleUser?.Arn ?? assume.RoleArn, response.AssumedRoleUser?.AssumedRoleId ?? "");
        }

        /// <summary>sts:AssumeRoleWithWebIdentity (an unsigned call: construct this client with AnonymousAWSCredentials).</summary>
        public async Task<StsAssumedRole> AssumeRoleWithWebIdentityAsync(string roleArn, string roleSessionName, string webIdentityToken,
            CancellationToken cancellationToken = default)
        {
            var request = new AssumeRoleWithWebIdentityRequest { RoleArn = roleArn, RoleSessionName = roleSessionName, WebIdentityToken = webIdentityToken };
            var response = await Track("AssumeRoleWithWebIdentity", request,
                () => _client.AssumeRoleWithWebIdentityAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
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
            catch (OperationCanceledException e)
            {
                errorCode = "Timeout";
                throw new TimeoutException($"{operation}: no answer from {Endpoint(request)} within the timeout.", e);
            }
            catch (Exception e) when (e is System.Net.Http.HttpRequestException || e is System.IO.IOException || e is System.Net.WebException
                                      || e is System.Net.Sockets.SocketException)
            {
                errorCode = e.GetType().Name;
                var endpoint = EndpointUri(request);
                throw new AwsTransportException(operation, endpoint, Math.Max(1, CallOutcome.For(request).Attempts), e,
                    unreachableBecause: TransportFailures.Describe(e, endpoint));
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
                    Math.Max(1, outcome.Attempts), outcome.HttpStatus, stopwatch.Elapsed, errorCode, outcome.Endpoint ?? Endpoint(request)));
            }
        }

        /// <summary>Where STS calls go: the configured endpoint, else the Region's STS endpoint.</summary>
        private Uri EndpointUri(AmazonWebServiceRequest request)
        {
            var recorded = CallOutcome.For(request).Endpoint;
            if (recorded != null && Uri.TryCreate(recorded, UriKind.Absolute, out var uri)) return uri;
            if (!string.IsNullOrWhiteSpace(_settings.EndpointUrl) && Uri.TryCreate(_settings.EndpointUrl, UriKind.Absolute, out var configured)) return configured;
            return new Uri("https://sts." + _settings.Region + ".amazonaws.com");
        }

        private string Endpoint(AmazonWebServiceRequest request) => AwsEndpointText.Of(EndpointUri(request));

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
                SdkClientSetup.Customize(pipeline, Config, ((StsClientConfig)Config).RetryTiming);
            }
        }
    }
}
