using System;
using System.Collections.Generic;
using System.Net;

namespace FmsTools.Aws.Runtime
{
    /// <summary>Creates the exception for an error answer: typed for modeled codes, AwsServiceException otherwise.</summary>
    public delegate AwsServiceException AwsErrorFactory(string errorCode, string message, HttpStatusCode statusCode, string? requestId, string? operation);

    /// <summary>A fixed endpoint the rule set gives a whole partition (global services such as Organizations).</summary>
    public sealed class AwsGlobalEndpoint
    {
        public AwsGlobalEndpoint(string partition, bool useFips, bool useDualStack, string url, string signingRegion)
        {
            Partition = partition;
            UseFips = useFips;
            UseDualStack = useDualStack;
            Url = url;
            SigningRegion = signingRegion;
        }

        public string Partition { get; }
        public bool UseFips { get; }
        public bool UseDualStack { get; }
        public string Url { get; }
        public string SigningRegion { get; }
    }

    /// <summary>What the invoker needs to know about one JSON 1.1 service; generated from botocore per service.</summary>
    public sealed class AwsServiceDescriptor
    {
        public AwsServiceDescriptor(string serviceId, string targetPrefix, string signingName, string endpointPrefix,
            string apiVersion, IReadOnlyList<AwsGlobalEndpoint> globalEndpoints, AwsErrorFactory errorFactory)
        {
            ServiceId = serviceId ?? throw new ArgumentNullException(nameof(serviceId));
            TargetPrefix = targetPrefix ?? throw new ArgumentNullException(nameof(targetPrefix));
            SigningName = signingName ?? throw new ArgumentNullException(nameof(signingName));
            EndpointPrefix = endpointPrefix ?? throw new ArgumentNullException(nameof(endpointPrefix));
            ApiVersion = apiVersion ?? throw new ArgumentNullException(nameof(apiVersion));
            GlobalEndpoints = globalEndpoints ?? Array.Empty<AwsGlobalEndpoint>();
            ErrorFactory = errorFactory ?? throw new ArgumentNullException(nameof(errorFactory));
        }

        /// <summary>The model's serviceId, e.g. "FMS"; used in call records.</summary>
        public string ServiceId { get; }

        /// <summary>X-Amz-Target prefix, e.g. AWSFMS_20180101.</summary>
        public string TargetPrefix { get; }

        /// <summary>SigV4 service name, e.g. fms.</summary>
        public string SigningName { get; }

        /// <summary>Host prefix of the regional endpoint, e.g. fms.</summary>
        public string EndpointPrefix { get; }

        public string ApiVersion { get; }

        public IReadOnlyList<AwsGlobalEndpoint> GlobalEndpoints { get; }

        public AwsErrorFactory ErrorFactory { get; }

        public override string ToString() => ServiceId;
    }
}
