using System;
using System.Net.Sockets;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>
    /// Transport failures that no retry can fix, so the retry policy gives up on the first one instead of backing off for a
    /// minute: a host name that does not resolve (anywhere), and a refused connection to an endpoint outside AWS (the
    /// sandbox, LocalStack or moto not running, a mistyped port). A refused connection to an AWS host, a reset, a timeout,
    /// a temporary DNS failure (TryAgain), throttling and 5xx answers keep the retry mode's backoff.
    /// </summary>
    internal static class TransportFailures
    {
        public static bool CannotSucceed(Exception failure, Uri? endpoint) => Describe(failure, endpoint) != null;

        /// <summary>Why the call cannot succeed by retrying, or null when a retry may help.</summary>
        public static string? Describe(Exception? failure, Uri? endpoint)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                if (e is SentButUnansweredException sent) return Describe(sent.TransportFailure, endpoint);
                if (!(e is SocketException socket)) continue;
                switch (socket.SocketErrorCode)
                {
                    case SocketError.HostNotFound:
                    case SocketError.NoData:
                        return "the host name " + (endpoint?.Host ?? "") + " does not resolve";
                    case SocketError.ConnectionRefused when endpoint != null && !AwsEndpointText.IsAwsHost(endpoint):
                        return "nothing accepts connections at " + endpoint.Host + ":" + endpoint.Port + " (connection refused)";
                }
            }
            return null;
        }
    }
}
