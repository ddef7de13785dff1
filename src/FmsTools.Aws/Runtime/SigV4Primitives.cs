using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// The hashes and the signing key of AWS Signature Version 4, taken from AWSSDK.Core's AWS4Signer, for code that
    /// checks signatures (the sandbox) without naming an AWSSDK type itself. Everything outside FmsTools.Aws reaches
    /// AWSSDK.Core through this assembly only: on PowerShell 7 it loads in FmsTools' private load context with the SDK,
    /// while the assemblies whose types scripts name load in the default one.
    /// </summary>
    public static class SigV4Primitives
    {
        /// <summary>SHA-256 of <paramref name="data"/>.</summary>
        public static byte[] Sha256(byte[] data) => AWS4Signer.ComputeHash(data);

        /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
        public static byte[] Sha256(string text) => AWS4Signer.ComputeHash(text);

        /// <summary>HMAC-SHA256 of the UTF-8 bytes of <paramref name="data"/> under <paramref name="key"/>.</summary>
        public static byte[] HmacSha256(byte[] key, string data) => AWS4Signer.ComputeKeyedHash(SigningAlgorithm.HmacSHA256, key, data);

        /// <summary>The derived signing key for a date (yyyyMMdd), Region and service.</summary>
        public static byte[] SigningKey(string secretAccessKey, string region, string date, string service)
            => AWS4Signer.ComposeSigningKey(secretAccessKey, region, date, service);
    }
}
