using System;

namespace FmsTools.Aws.Runtime
{
    /// <summary>How an endpoint is shown in -Verbose lines, call records and errors.</summary>
    public static class AwsEndpointText
    {
        /// <summary>Scheme, host, port and path of <paramref name="endpoint"/> (no trailing slash for the root): never user information or a query.</summary>
        public static string Of(Uri endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri) return endpoint.OriginalString;
            var server = endpoint.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
            var path = endpoint.GetComponents(UriComponents.Path, UriFormat.UriEscaped);
            return path.Length == 0 ? server : server + "/" + path;
        }

        /// <summary>
        /// True for a host of an AWS partition (amazonaws.com, amazonaws.com.cn, api.aws and the isolated partitions'
        /// domains, VPC endpoints included); false for anything else (the sandbox, LocalStack, moto, a proxy).
        /// </summary>
        public static bool IsAwsHost(Uri endpoint)
        {
            if (endpoint == null || !endpoint.IsAbsoluteUri) return false;
            var host = endpoint.Host.TrimEnd('.').ToLowerInvariant();
            foreach (var suffix in AwsDomains)
            {
                if (host == suffix || host.EndsWith("." + suffix, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        private static readonly string[] AwsDomains =
        {
            "amazonaws.com", "amazonaws.com.cn", "api.aws", "api.amazonwebservices.com.cn", "c2s.ic.gov", "sc2s.sgov.gov",
            "cloud.adc-e.uk", "csp.hci.ic.gov", "amazonaws.eu",
        };
    }
}
