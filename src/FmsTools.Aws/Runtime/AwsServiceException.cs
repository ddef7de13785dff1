using System;
using System.Net;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// An error answered by an AWS service: the error code (namespace prefix removed), message, HTTP
    /// status and request id. Per-service subclasses make the model's modeled errors distinguishable.
    /// </summary>
    public class AwsServiceException : Exception
    {
        public AwsServiceException(string errorCode, string message, HttpStatusCode statusCode, string? requestId,
            string? operation = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorCode = errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
            Operation = operation;
        }

        /// <summary>The error code, e.g. InvalidInputException or ThrottlingException.</summary>
        public string ErrorCode { get; }

        public HttpStatusCode StatusCode { get; }

        /// <summary>x-amzn-RequestId of the failed call, for AWS support cases.</summary>
        public string? RequestId { get; }

        /// <summary>The operation that failed, e.g. PutPolicy.</summary>
        public string? Operation { get; }

        public override string ToString()
            => $"{GetType().FullName}: {ErrorCode}: {Message} (HTTP {(int)StatusCode}, operation {Operation ?? "?"}, request id {RequestId ?? "none"})";
    }
}
