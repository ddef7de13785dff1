using System;
using System.IO;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The service could not be reached or stopped answering (after the retry policy gave up).</summary>
    public sealed class AwsTransportException : IOException
    {
        public AwsTransportException(string operation, Uri endpoint, int attempts, Exception innerException)
            : base($"{operation}: could not complete the call to {endpoint} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {innerException.Message}", innerException)
        {
            Operation = operation;
            Endpoint = endpoint;
            Attempts = attempts;
        }

        public string Operation { get; }
        public Uri Endpoint { get; }
        public int Attempts { get; }
    }
}
