using FmsTools.Aws;

namespace FmsTools.Engine.Connection
{
    /// <summary>The merged result: options for <see cref="AwsSessionFactory"/> and where each part came from.</summary>
    public sealed class ResolvedConnection
    {
        public ResolvedConnection(AwsConnectionOptions options, string credentialSource, string regionSource, string endpointSource)
        {
            Options = options;
            CredentialSource = credentialSource;
            RegionSource = regionSource;
            EndpointSource = endpointSource;
        }

        public AwsConnectionOptions Options { get; }
        public string CredentialSource { get; }
        public string RegionSource { get; }
        public string EndpointSource { get; }

        /// <summary>True when no layer named credentials, so the SDK's own chain (environment, profile, IMDS) decides.</summary>
        public bool UsesDefaultChain => CredentialSource == ConnectionResolver.DefaultChain;
    }

    /// <summary>
    /// Merges connection layers, highest precedence first: the call's parameters, the session defaults from
    /// Connect-Fms, AWS.Tools' stored credentials and region, then the SDK's default chain.
    /// Credentials are taken whole from the first layer that names any (never a key from one layer and a
    /// secret from another). Region and endpoint fall through independently, except that an endpoint is
    /// inherited only together with the credentials of the same layer: a call that switches to
    /// -ProfileName prod must not keep talking to the sandbox endpoint the session was connected to.
    /// </summary>
    public static class ConnectionResolver
    {
        public const string DefaultChain = "AWS SDK default chain";

        public static ResolvedConnection Resolve(IEnumerable<ConnectionSettings?> layersByPrecedence)
        {
            var layers = layersByPrecedence.Where(l => l != null && !l.IsEmpty).Cast<ConnectionSettings>().ToList();
            var credentialLayer = layers.FirstOrDefault(l => l.HasCredentials);
            var regionLayer = layers.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Region));

            ConnectionSettings? endpointLayer = null;
            foreach (var l in layers)
            {
                if (!string.IsNullOrWhiteSpace(l.EndpointUrl))
                {
                    // Inherit an endpoint only from the layer that supplies the credentials, or from a layer
                    // above it (the call itself naming -EndpointUrl).
                    var rank = layers.IndexOf(l);
                    var credentialRank = credentialLayer == null ? int.MaxValue : layers.IndexOf(credentialLayer);
                    if (rank <= credentialRank) endpointLayer = l;
                    break;
                }
            }
            var roleLayer = layers.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.MemberAccountRoleName));

            var options = new AwsConnectionOptions
            {
                Region = regionLayer?.Region?.Trim(),
                EndpointUrl = endpointLayer?.EndpointUrl?.Trim(),
                EndpointSource = endpointLayer == null ? null : endpointLayer.Source == "parameters" ? "-EndpointUrl" : endpointLayer.Source,
            };
            if (credentialLayer != null)
            {
                options.Credentials = credentialLayer.Credentials;
                options.AccessKey = credentialLayer.AccessKey;
                options.SecretKey = credentialLayer.SecretKey;
                options.SessionToken = credentialLayer.SessionToken;
                options.ProfileName = credentialLayer.ProfileName;
                options.ProfilesLocation = credentialLayer.ProfilesLocation;
            }
            if (roleLayer != null) options.MemberAccountRoleName = roleLayer.MemberAccountRoleName!.Trim();

            return new ResolvedConnection(options,
                credentialLayer?.Source ?? DefaultChain,
                regionLayer?.Source ?? DefaultChain,
                endpointLayer?.Source ?? "the configured endpoints (AWS_ENDPOINT_URL*, endpoint_url) or AWS");
        }

        /// <summary>A stable cache key for a resolved connection; secrets enter only as a one-way hash.</summary>
        public static string CacheKey(AwsConnectionOptions o)
        {
            string secret;
            if (o.Credentials != null)
                secret = o.Credentials.CacheKey;
            else if (o.AccessKey != null)
                secret = "keys:" + Sha256(o.AccessKey + "\n" + o.SecretKey + "\n" + o.SessionToken);
            else
                secret = "profile:" + o.ProfileName + "@" + o.ProfilesLocation;
            return string.Join("|", o.Region, o.EndpointUrl, secret, o.MemberAccountRoleName, o.UseFips, o.UseDualStack);
        }

        private static string Sha256(string text)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text));
            return BitConverter.ToString(hash).Replace("-", "");
        }
    }
}
