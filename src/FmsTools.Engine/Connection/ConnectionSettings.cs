using FmsTools.Aws;

namespace FmsTools.Engine.Connection
{
    /// <summary>
    /// One layer of connection settings: what a single call passed (-ProfileName, -Region, ...), what
    /// Connect-Fms stored for the session, or what AWS.Tools stored ($StoredAWSCredentials/$StoredAWSRegion).
    /// Unset members fall through to the next layer.
    /// </summary>
    public sealed class ConnectionSettings
    {
        public string? ProfileName { get; set; }
        public string? ProfilesLocation { get; set; }
        public string? Region { get; set; }
        public string? EndpointUrl { get; set; }
        public AwsCredentialObject? Credentials { get; set; }

        /// <summary>Access keys of this layer (-AccessKey/-SecretKey/-SessionToken, or the sandbox's); shown masked.</summary>
        public AwsKeys? Keys { get; internal set; }

        /// <summary>The access key id (held in <see cref="Keys"/>).</summary>
        internal string? AccessKey
        {
            get => Keys?.AccessKeyIdValue;
            set => Keys = Set(value, null, null);
        }

        /// <summary>The secret access key (held in <see cref="Keys"/>; never public).</summary>
        internal string? SecretKey
        {
            get => Keys?.SecretAccessKey;
            set => Keys = Set(null, value, null);
        }

        /// <summary>The session token (held in <see cref="Keys"/>; never public).</summary>
        internal string? SessionToken
        {
            get => Keys?.SessionTokenValue;
            set => Keys = Set(null, null, value);
        }

        public string? MemberAccountRoleName { get; set; }

        /// <summary>The external id the member role's trust policy requires (Connect-Fms -MemberRoleExternalId), or null.</summary>
        public string? MemberRoleExternalId { get; set; }

        /// <summary>Where this layer came from, for -Verbose and Get-FmsContext ("parameters", "Connect-Fms", ...).</summary>
        public string Source { get; set; } = "";

        /// <summary>True when the layer names credentials in any form.</summary>
        public bool HasCredentials =>
            Credentials != null || !string.IsNullOrWhiteSpace(AccessKey) || !string.IsNullOrWhiteSpace(SecretKey)
            || !string.IsNullOrWhiteSpace(ProfileName);

        public bool IsEmpty => !HasCredentials && string.IsNullOrWhiteSpace(Region) && string.IsNullOrWhiteSpace(EndpointUrl)
                               && string.IsNullOrWhiteSpace(MemberAccountRoleName);

        public ConnectionSettings Clone() => (ConnectionSettings)MemberwiseClone();

        private AwsKeys? Set(string? accessKey, string? secretKey, string? sessionToken)
        {
            var current = Keys ?? new AwsKeys(null, null, null);
            var next = new AwsKeys(accessKey ?? current.AccessKeyIdValue, secretKey ?? current.SecretAccessKey, sessionToken ?? current.SessionTokenValue);
            return next.AccessKeyIdValue == null && next.SecretAccessKey == null && next.SessionTokenValue == null ? null : next;
        }

        // Never show secrets: this object is held by the session and may be printed.
        public override string ToString()
            => $"{Source}: profile={ProfileName ?? "-"} region={Region ?? "-"} endpoint={EndpointUrl ?? "-"} "
               + $"credentials={(Credentials != null ? "object" : AccessKey != null ? "access key " + MaskedAccessKey(AccessKey) : "-")}";

        /// <summary>An access key id shown as ****************WXYZ: its last four characters only.</summary>
        public static string MaskedAccessKey(string accessKey) => AwsKeyText.Masked(accessKey);
    }
}
