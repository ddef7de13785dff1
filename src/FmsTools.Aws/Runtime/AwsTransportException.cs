using System;
using System.IO;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The service could not be reached or stopped answering (after the retry policy gave up).</summary>
    public sealed class AwsTransportException : IOException
    {
        public AwsTransportException(string operation, Uri endpoint, int attempts, Exception innerException, bool mayHaveBeenApplied = false)
            : base($"{operation}: could not complete the call to {endpoint} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {innerException.Message}"
                   + (mayHaveBeenApplied
                       ? $" The request may have reached the service before the connection failed, so {operation} may have been applied; "
                         + "it was not sent again because repeating a change can apply it twice. Check the current state before retrying."
                       : ""), innerException)
        {
            Operation = operation;
            Endpoint = endpoint;
            Attempts = attempts;
            MayHaveBeenApplied = mayHaveBeenApplied;
        }

        /// <summary>
        /// True for a state-changing call whose request may have reached the service: whether it took effect is unknown
        /// (it was not resent, to avoid applying it twice).
        /// </summary>
        public bool MayHaveBeenApplied { get; }

        public string Operation { get; }
        public Uri Endpoint { get; }
        public int Attempts { get; }
    }
}
