using System;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace FmsTools.Aws.Runtime
{
    /// <summary>Where to send a service's requests and which region to sign them for.</summary>
    public sealed class AwsResolvedEndpoint
    {
        public AwsResolvedEndpoint(Uri url, string signingRegion, bool isOverride)
        {
            Url = url;
            SigningRegion = signingRegion;
            IsOverride = isOverride;
        }

        public Uri Url { get; }
        public string SigningRegion { get; }

        /// <summary>True when the URL came from the endpoint override (e.g. the local sandbox).</summary>
        public bool IsOverride { get; }

        public override string ToString() => Url.ToString();
    }

    /// <summary>
    /// Applies the services' endpoint rule sets (botocore endpoint-rule-set-1.json): an override wins and excludes
    /// FIPS and dual-stack; partition-wide endpoints (Organizations) come from the generated table; everything else
    /// is https://{prefix}[-fips].{region}.{dnsSuffix | dualStackDnsSuffix} with the SDK's partition data.
    /// </summary>
    public static class AwsEndpointResolver
    {
        public static AwsResolvedEndpoint Resolve(AwsServiceDescriptor service, string region, bool useFips, bool useDualStack,
            string? endpointOverride)
        {
            if (service == null) throw new ArgumentNullException(nameof(service));
            if (string.IsNullOrWhiteSpace(region))
                throw new AwsConfigurationException("Invalid configuration: missing region. Pass -Region or set AWS_REGION.", "Region");

            if (!string.IsNullOrWhiteSpace(endpointOverride))
            {
                if (useFips)
                    throw new AwsConfigurationException("Invalid configuration: FIPS and a custom endpoint cannot be combined; clear UseFips or EndpointUrl.", "UseFips");
                if (useDualStack)
                    throw new AwsConfigurationException("Invalid configuration: dual-stack and a custom endpoint cannot be combined; clear UseDualStack or EndpointUrl.", "UseDualStack");
                return new AwsResolvedEndpoint(ParseOverride(endpointOverride!), region, isOverride: true);
            }

            var partition = Fn.Partition(region);
            if (partition == null)
                throw new AwsConfigurationException($"'{region}' is not a region of any known AWS partition.", "Region");

            foreach (var global in service.GlobalEndpoints)
            {
                if (global.Partition == partition.name && global.UseFips == useFips && global.UseDualStack == useDualStack)
                    return new AwsResolvedEndpoint(new Uri(global.Url), global.SigningRegion, isOverride: false);
            }

            if (useFips && !partition.supportsFIPS)
                throw new AwsConfigurationException($"FIPS endpoints are not available in partition {partition.name} (region {region}).", "UseFips");
            if (useDualStack && !partition.supportsDualStack)
                throw new AwsConfigurationException($"Dual-stack endpoints are not available in partition {partition.name} (region {region}).", "UseDualStack");

            var host = service.EndpointPrefix + (useFips ? "-fips" : "") + "." + region + "."
                + (useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix);
            return new AwsResolvedEndpoint(new Uri("https://" + host), region, isOverride: false);
        }

        private static Uri ParseOverride(string endpoint)
        {
            if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new AwsConfigurationException($"EndpointUrl '{endpoint}' is not an absolute http or https URL, e.g. http://127.0.0.1:4566.", "EndpointUrl");
            return uri;
        }
    }
}
