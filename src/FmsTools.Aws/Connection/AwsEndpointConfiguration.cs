using System;
using System.Collections.Generic;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Internal.Util;
using FmsTools.Aws.Runtime;

namespace FmsTools.Aws
{
    /// <summary>The services FmsTools calls, by the service id the shared endpoint settings key on.</summary>
    public static class AwsServiceIds
    {
        public const string Fms = "FMS";
        public const string Organizations = "Organizations";
        public const string Wafv2 = "WAFV2";
        public const string Sts = "STS";
        public const string Sso = "SSO";
        public const string SsoOidc = "SSO OIDC";

        /// <summary>EC2 (remediation in member accounts): AWS_ENDPOINT_URL_EC2, the services section's ec2 key.</summary>
        public const string Ec2 = "EC2";

        /// <summary>Every service a session may call, credential services included.</summary>
        public static IReadOnlyList<string> All { get; } = new[] { Fms, Organizations, Wafv2, Sts, Sso, SsoOidc, Ec2 };

        /// <summary>AWS_ENDPOINT_URL_&lt;SERVICE&gt; for a service id (FMS -&gt; AWS_ENDPOINT_URL_FMS, SSO OIDC -&gt; AWS_ENDPOINT_URL_SSO_OIDC).</summary>
        public static string EnvironmentVariable(string serviceId) => TransformServiceId.TransformServiceIdToEnvVariable(serviceId);

        /// <summary>The key of a services section for a service id (FMS -&gt; fms, SSO OIDC -&gt; sso_oidc).</summary>
        public static string ConfigKey(string serviceId) => TransformServiceId.TransformServiceIdToConfigVariable(serviceId);
    }

    /// <summary>Where one service's calls go, and which setting said so.</summary>
    public sealed class AwsEndpointChoice
    {
        public const string RegionalSource = "the AWS endpoint of the Region";

        public AwsEndpointChoice(string serviceId, Uri? url, string source)
        {
            ServiceId = serviceId;
            Url = url;
            Source = source;
        }

        public string ServiceId { get; }

        /// <summary>The configured endpoint, or null for the AWS endpoint of the Region.</summary>
        public Uri? Url { get; }

        /// <summary>The setting that chose it: "-EndpointUrl", "AWS_ENDPOINT_URL_FMS", "endpoint_url of profile 'dev'", ...</summary>
        public string Source { get; }

        public override string ToString() => ServiceId + " " + (Url == null ? "AWS" : AwsEndpointText.Of(Url)) + " (" + Source + ")";
    }

    /// <summary>
    /// Endpoint configuration as the AWS SDKs and CLI document it ("service-specific endpoints" in the AWS SDKs and Tools
    /// reference guide), for every service of a session, the credential services (STS, SSO, SSO OIDC) included. Highest
    /// precedence first:
    /// 1. an explicit endpoint (-EndpointUrl of the call, else of Connect-Fms or the connected sandbox): every service;
    /// 2. AWS_ENDPOINT_URL_&lt;SERVICE&gt; (AWS_ENDPOINT_URL_FMS, _ORGANIZATIONS, _WAFV2, _STS, _SSO, _SSO_OIDC, _EC2);
    /// 3. AWS_ENDPOINT_URL;
    /// 4. endpoint_url under the service's key in the [services NAME] section the profile names with services = NAME;
    /// 5. endpoint_url in the profile;
    /// 6. the AWS endpoint of the Region.
    /// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or ignore_configured_endpoint_urls = true in the profile; the variable wins
    /// when set) turns 2-5 off; an explicit endpoint always applies. The profile is the one in use: -ProfileName, else
    /// AWS_PROFILE, else default.
    /// </summary>
    public static class AwsEndpointConfiguration
    {
        public const string GlobalVariable = "AWS_ENDPOINT_URL";
        public const string IgnoreVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

        /// <summary>The endpoint of every service in <see cref="AwsServiceIds.All"/>.</summary>
        public static IReadOnlyDictionary<string, AwsEndpointChoice> ResolveAll(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var config = AwsSharedConfig.Load(options);
            var result = new Dictionary<string, AwsEndpointChoice>(StringComparer.Ordinal);
            foreach (var service in AwsServiceIds.All) result[service] = Resolve(options, service, config);
            return result;
        }

        /// <summary>The endpoint of one service.</summary>
        public static AwsEndpointChoice Resolve(AwsConnectionOptions options, string serviceId)
            => Resolve(options ?? throw new ArgumentNullException(nameof(options)), serviceId, AwsSharedConfig.Load(options));

        internal static AwsEndpointChoice Resolve(AwsConnectionOptions options, string serviceId, AwsSharedConfig config)
        {
            var explicitUrl = NonEmpty(options.EndpointUrl);
            if (explicitUrl != null)
                return Choice(serviceId, explicitUrl, NonEmpty(options.EndpointSource) ?? "-EndpointUrl");

            var profileName = AwsSessionFactory.ProfileNameInUse(options);
            var profile = config.Profile(profileName);
            var ignoredBy = IgnoredBy(options, profile, profileName);
            if (ignoredBy != null) return new AwsEndpointChoice(serviceId, null, AwsEndpointChoice.RegionalSource + " (configured endpoints ignored: " + ignoredBy + ")");

            var serviceVariable = AwsServiceIds.EnvironmentVariable(serviceId);
            var fromService = NonEmpty(options.Environment(serviceVariable));
            if (fromService != null) return Choice(serviceId, fromService, serviceVariable);
            var fromGlobal = NonEmpty(options.Environment(GlobalVariable));
            if (fromGlobal != null) return Choice(serviceId, fromGlobal, GlobalVariable);

            if (profile != null)
            {
                if (profile.TryGetValue("services", out var servicesName) && NonEmpty(servicesName) != null)
                {
                    var key = AwsServiceIds.ConfigKey(serviceId);
                    var services = config.Services(servicesName.Trim());
                    if (services != null && services.TryGetValue(key, out var settings) && settings.TryGetValue("endpoint_url", out var url) && NonEmpty(url) != null)
                        return Choice(serviceId, url, $"endpoint_url of '{key}' in [services {servicesName.Trim()}] (profile '{profileName}', {config.Path})");
                }
                if (profile.TryGetValue("endpoint_url", out var profileUrl) && NonEmpty(profileUrl) != null)
                    return Choice(serviceId, profileUrl, $"endpoint_url of profile '{profileName}' ({config.Path})");
            }
            return new AwsEndpointChoice(serviceId, null, AwsEndpointChoice.RegionalSource);
        }

        /// <summary>The setting that turns configured endpoints off, or null when they apply.</summary>
        private static string? IgnoredBy(AwsConnectionOptions options, IReadOnlyDictionary<string, string>? profile, string profileName)
        {
            var variable = NonEmpty(options.Environment(IgnoreVariable));
            if (variable != null)
                return IsTrue(variable) ? IgnoreVariable + "=" + variable.Trim() : null;
            if (profile != null && profile.TryGetValue("ignore_configured_endpoint_urls", out var setting) && NonEmpty(setting) != null)
                return IsTrue(setting) ? $"ignore_configured_endpoint_urls of profile '{profileName}'" : null;
            return null;
        }

        private static bool IsTrue(string value) => string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        private static AwsEndpointChoice Choice(string serviceId, string url, string source)
            => new AwsEndpointChoice(serviceId, Parse(url, source), source);

        /// <summary>An absolute http or https URL without user information; anything else is a configuration error naming where it came from.</summary>
        internal static Uri Parse(string url, string source)
        {
            var text = url.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
                throw new AwsConfigurationException(
                    $"The endpoint '{text}' from {source} is not an absolute http or https URL, e.g. http://127.0.0.1:4566 or https://fms.us-east-1.amazonaws.com.",
                    "EndpointUrl");
            if (!string.IsNullOrEmpty(uri.UserInfo))
                throw new AwsConfigurationException(
                    $"The endpoint from {source} carries user information (user:password@); an endpoint URL names scheme, host, port and path only.",
                    "EndpointUrl");
            return uri;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
