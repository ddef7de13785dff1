using System;
using System.IO;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The service could not be reached or stopped answering (after the retry policy gave up).</summary>
    public sealed class AwsTransportException : IOException
    {
        public AwsTransportException(string operation, Uri endpoint, int attempts, Exception innerException, bool mayHaveBeenApplied = false,
            string? unreachableBecause = null)
            : base(Describe(operation, endpoint, attempts, innerException, mayHaveBeenApplied, unreachableBecause), innerException)
        {
            Operation = operation;
            Endpoint = endpoint;
            Attempts = attempts;
            MayHaveBeenApplied = mayHaveBeenApplied;
            UnreachableBecause = unreachableBecause;
        }

        /// <summary>
        /// True for a state-changing call whose request may have reached the service: whether it took effect is unknown
        /// (it was not resent, to avoid applying it twice).
        /// </summary>
        public bool MayHaveBeenApplied { get; }

        /// <summary>
        /// Why no retry could help (the host name does not resolve, nothing listens at a non-AWS endpoint), when that is
        /// why the call failed; such failures are not retried. Null for failures the retry policy retried.
        /// </summary>
        public string? UnreachableBecause { get; }

        public string Operation { get; }
        public Uri Endpoint { get; }
        public int Attempts { get; }

        private static string Describe(string operation, Uri endpoint, int attempts, Exception inner, bool mayHaveBeenApplied, string? unreachableBecause)
        {
            var where = AwsEndpointText.Of(endpoint);
            if (unreachableBecause != null)
                return $"{operation}: cannot reach the endpoint {where}: {unreachableBecause} ({inner.Message}). Check the endpoint URL "
                       + "(-EndpointUrl, AWS_ENDPOINT_URL*, endpoint_url in the AWS config file) and that the service runs there.";
            return $"{operation}: could not complete the call to {where} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {inner.Message}"
                   + (mayHaveBeenApplied
                       ? $" The request may have reached the service before the connection failed, so {operation} may have been applied; "
                         + "it was not sent again because repeating a change can apply it twice. Check the current state before retrying."
                       : "");
        }
    }
}
