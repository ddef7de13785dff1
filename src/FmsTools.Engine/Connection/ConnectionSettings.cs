using System;
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
        public string? AccessKey { get; set; }
        public string? SecretKey { get; set; }
        public string? SessionToken { get; set; }
        public string? MemberAccountRoleName { get; set; }

        /// <summary>Where this layer came from, for -Verbose and Get-FmsContext ("parameters", "Connect-Fms", ...).</summary>
        public string Source { get; set; } = "";

        /// <summary>True when the layer names credentials in any form.</summary>
        public bool HasCredentials =>
            Credentials != null || !string.IsNullOrWhiteSpace(AccessKey) || !string.IsNullOrWhiteSpace(SecretKey)
            || !string.IsNullOrWhiteSpace(ProfileName);

        public bool IsEmpty => !HasCredentials && string.IsNullOrWhiteSpace(Region) && string.IsNullOrWhiteSpace(EndpointUrl)
                               && string.IsNullOrWhiteSpace(MemberAccountRoleName);

        public ConnectionSettings Clone() => (ConnectionSettings)MemberwiseClone();

        // Never show secrets: this object is held by the session and may be printed.
        public override string ToString()
            => $"{Source}: profile={ProfileName ?? "-"} region={Region ?? "-"} endpoint={EndpointUrl ?? "-"} "
               + $"credentials={(Credentials != null ? "object" : AccessKey != null ? "access key " + MaskedAccessKey(AccessKey) : "-")}";

        /// <summary>An access key id shown as AKIA…WXYZ: enough to recognise, not enough to use.</summary>
        public static string MaskedAccessKey(string accessKey)
            => accessKey.Length <= 8 ? new string('*', accessKey.Length) : accessKey.Substring(0, 4) + "…" + accessKey.Substring(accessKey.Length - 4);
    }
}
