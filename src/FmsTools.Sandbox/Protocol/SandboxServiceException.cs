using System;

namespace FmsTools.Sandbox.Protocol
{
    /// <summary>
    /// An error the sandbox answers with, in the form the calling protocol uses (JSON __type/Message or
    /// the query protocol's XML ErrorResponse). Thrown by handlers; caught once by the dispatcher.
    /// </summary>
    public sealed class SandboxServiceException : Exception
    {
        public SandboxServiceException(string errorCode, string message, int statusCode = 400, bool coralNamespace = false, string? typeNamespace = null)
            : base(message)
        {
            ErrorCode = errorCode;
            StatusCode = statusCode;
            TypeNamespace = typeNamespace ?? (coralNamespace ? CoralService : null);
        }

        internal const string CoralService = "com.amazon.coral.service";
        internal const string CoralAvailability = "com.amazon.coral.availability";

        /// <summary>The error code without namespace, e.g. ResourceNotFoundException.</summary>
        public string ErrorCode { get; }

        public int StatusCode { get; }

        /// <summary>
        /// True for errors raised by the AWS front end rather than the service (authentication, unknown
        /// operation, serialization): those carry the com.amazon.coral.service# prefix and a lowercase
        /// "message" member on the real wire.
        /// </summary>
        public bool CoralNamespace => TypeNamespace != null;

        /// <summary>The namespace prefixed to __type (e.g. com.amazon.coral.service), or null for the service's own errors.</summary>
        public string? TypeNamespace { get; }

        /// <summary>Extra members for modeled errors that have more than a message (e.g. Reason).</summary>
        public System.Collections.Generic.IReadOnlyDictionary<string, string>? ExtraMembers { get; init; }
    }
}
