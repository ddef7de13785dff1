using FmsTools.Aws;

namespace FmsTools.Engine.Connection
{
    /// <summary>
    /// An access key pair (and session token) held for signing. Printing, formatting or serialising it shows only the
    /// access key id's last four characters and whether a session token is present: the secret key and the token are
    /// reachable only inside the module.
    /// </summary>
    public sealed class AwsKeys
    {
        internal AwsKeys(string? accessKeyId, string? secretAccessKey, string? sessionToken)
        {
            AccessKeyIdValue = accessKeyId;
            SecretAccessKey = secretAccessKey;
            SessionTokenValue = sessionToken;
        }

        /// <summary>The access key id as shown: all but its last four characters masked.</summary>
        public string AccessKeyId => AwsKeyText.Masked(AccessKeyIdValue);

        public bool HasSessionToken => !string.IsNullOrEmpty(SessionTokenValue);

        internal string? AccessKeyIdValue { get; }

        internal string? SecretAccessKey { get; }

        internal string? SessionTokenValue { get; }

        public override string ToString() => "access key " + AccessKeyId + (HasSessionToken ? " with a session token" : "");
    }

    /// <summary>
    /// A secret given to a cmdlet as text (-SecretKey, -SessionToken). PowerShell converts a string to it when it binds the
    /// parameter, so what PowerShell keeps of the call (the bound parameters of $Error[n].InvocationInfo, $PSBoundParameters)
    /// holds this object, which never shows its value, rather than the secret itself.
    /// </summary>
    public sealed class SecretString
    {
        private readonly string _value;

        public SecretString(string value) { _value = value ?? throw new ArgumentNullException(nameof(value)); }

        public static implicit operator SecretString?(string? value) => value == null ? null : new SecretString(value);

        /// <summary>The secret, for signing (inside the module only).</summary>
        internal string Reveal() => _value;

        public override string ToString() => "********";
    }
}
