using System;
using Amazon.Runtime;
using FmsTools.Aws.Runtime;

namespace FmsTools.Aws
{
    /// <summary>
    /// How to connect to AWS, as AWS users expect. Credentials: <see cref="Credentials"/> &gt; <see cref="AccessKey"/>/
    /// <see cref="SecretKey"/>(/<see cref="SessionToken"/>) &gt; <see cref="ProfileName"/> &gt; AWS_ACCESS_KEY_ID/... &gt;
    /// AWS_PROFILE or the default profile &gt; web identity, container and instance credentials. Region: <see cref="Region"/>
    /// &gt; AWS_REGION &gt; AWS_DEFAULT_REGION &gt; the profile's region.
    /// </summary>
    public sealed class AwsConnectionOptions
    {
        /// <summary>A profile of the shared config and credentials files (static keys, role_arn + source_profile,
        /// credential_process, sso_session and the other forms the AWS SDK for .NET reads).</summary>
        public string? ProfileName { get; set; }

        /// <summary>The shared credentials file to read instead of ~/.aws/credentials (the config file stays
        /// ~/.aws/config or AWS_CONFIG_FILE).</summary>
        public string? ProfilesLocation { get; set; }

        public string? Region { get; set; }

        /// <summary>One URL for every service, e.g. http://127.0.0.1:4566 for the local sandbox.</summary>
        public string? EndpointUrl { get; set; }

        /// <summary>Credentials the caller already has (an AWSCredentials object, ours or AWS.Tools'); wins over every other source.</summary>
        public AwsCredentialObject? Credentials { get; set; }

        public string? AccessKey { get; set; }

        public string? SecretKey { get; set; }

        public string? SessionToken { get; set; }

        public bool UseFips { get; set; }

        public bool UseDualStack { get; set; }

        public AwsRetryMode RetryMode { get; set; } = AwsRetryMode.Standard;

        /// <summary>Total attempts per call including the first. FMS throttles in practice, hence 10 (as the AWS
        /// "Automations for Firewall Manager" solution uses).</summary>
        public int MaxAttempts { get; set; } = 10;

        /// <summary>Per-attempt HTTP timeout; null keeps the SDK default.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Role assumed in member accounts by <see cref="AwsSession.ForAccountAsync"/>.</summary>
        public string MemberAccountRoleName { get; set; } = "AWSControlTowerExecution";

        public IAwsCallObserver? Observer { get; set; }

        /// <summary>Environment lookup; tests replace it so they never change the process environment.</summary>
        internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

        /// <summary>The SDK's default chain (web identity, container, instance metadata); tests replace it.</summary>
        internal Func<AWSCredentials> DefaultCredentialChain { get; set; } = () => Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver.GetCredentials(null);

        /// <summary>Retry waits; tests replace it to observe backoff without sleeping.</summary>
        internal AwsRetryTiming RetryTiming { get; set; } = AwsRetryTiming.Default;

        /// <summary>How long before expiry an assumed-role session is replaced.</summary>
        internal TimeSpan AssumedRoleRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

        internal AwsConnectionOptions Copy() => (AwsConnectionOptions)MemberwiseClone();
    }
}
