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

        /// <summary>
        /// One URL for every service of the session, credential calls (STS, SSO) included, e.g. http://127.0.0.1:4566 for
        /// the local sandbox. It wins over the configured endpoints (AWS_ENDPOINT_URL*, endpoint_url in the config file):
        /// see <see cref="AwsEndpointConfiguration"/>.
        /// </summary>
        public string? EndpointUrl { get; set; }

        /// <summary>Where <see cref="EndpointUrl"/> came from, for -Verbose ("-EndpointUrl", "Connect-Fms -EndpointUrl", ...).</summary>
        public string? EndpointSource { get; set; }

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

        /// <summary>Role assumed in member accounts by <see cref="AwsSession.ForAccountAsync(string, string, System.Threading.CancellationToken)"/>.</summary>
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

        private static readonly string[] FingerprintVariables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", AwsEndpointConfiguration.GlobalVariable, AwsEndpointConfiguration.IgnoreVariable,
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_EC2_METADATA_DISABLED", "HOME", "USERPROFILE",
        };

        /// <summary>
        /// A one-way digest of what the session would read from outside the options: the AWS_* environment variables that
        /// choose credentials, Region and endpoints, and the size and time of the shared config and credentials files. A
        /// cached session is reused only while it is unchanged, so setting $env:AWS_PROFILE or editing ~/.aws/config takes
        /// effect on the next command. Holds no secret (a SHA-256 of the values).
        /// </summary>
        public string EnvironmentFingerprint()
        {
            var text = new System.Text.StringBuilder();
            foreach (var name in FingerprintVariables) text.Append(name).Append('=').Append(Environment(name)).Append('\n');
            foreach (var service in AwsServiceIds.All)
            {
                var name = AwsServiceIds.EnvironmentVariable(service);
                text.Append(name).Append('=').Append(Environment(name)).Append('\n');
            }
            var home = Environment("HOME") ?? Environment("USERPROFILE") ?? "";
            var credentials = ProfilesLocation ?? Environment("AWS_SHARED_CREDENTIALS_FILE") ?? System.IO.Path.Combine(home, ".aws", "credentials");
            var config = Environment("AWS_CONFIG_FILE") ?? System.IO.Path.Combine(home, ".aws", "config");
            foreach (var file in new[] { credentials, config, System.IO.Path.Combine(System.IO.Path.GetDirectoryName(credentials) ?? "", "config") })
            {
                text.Append(file).Append(':');
                try
                {
                    var info = new System.IO.FileInfo(file);
                    if (info.Exists) text.Append(info.Length).Append('/').Append(info.LastWriteTimeUtc.Ticks);
                }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
                {
                    text.Append('?');
                }
                text.Append('\n');
            }
            using var sha = System.Security.Cryptography.SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text.ToString()))).Replace("-", "");
        }
    }
}
