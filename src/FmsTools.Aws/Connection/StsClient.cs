using System;
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
        private readonly SdkCallTracker _calls;

        public StsClient(AWSCredentials credentials, AwsInvokerSettings settings)
        {
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            _calls = new SdkCallTracker("STS", "sts", settings);
            var config = new StsClientConfig(settings.RetryTiming);
            SdkClientSetup.Configure(config, settings);
            _client = new TrackedStsClient(credentials, config);
        }

        public async Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        {
            var request = new GetCallerIdentityRequest();
            var response = await _calls.Track("GetCallerIdentity", request, false,
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
            var response = await _calls.Track("AssumeRole", request, false,
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
            var response = await _calls.Track("AssumeRoleWithWebIdentity", request, false,
                () => _client.AssumeRoleWithWebIdentityAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            var expiration = c.Expiration.HasValue ? c.Expiration.Value.ToUniversalTime() : DateTime.UtcNow.AddHours(1);
            return new StsAssumedRole(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expiration,
                response.AssumedRoleUser?.Arn ?? roleArn, response.AssumedRoleUser?.AssumedRoleId ?? "");
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
                SdkClientSetup.Customize(pipeline, Config, ((StsClientConfig)Config).RetryTiming);
            }
        }
    }
}
