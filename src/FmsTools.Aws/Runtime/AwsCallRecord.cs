using System;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// One logical AWS call after its retries. Holds no secrets: no keys, tokens, signatures or bodies.
    /// </summary>
    public sealed class AwsCallRecord
    {
        public AwsCallRecord(string service, string operation, string region, string? accountId, string? requestId,
            int attempts, int? httpStatus, TimeSpan duration, string? errorCode, string? endpoint = null)
        {
            Endpoint = endpoint;
            Service = service;
            Operation = operation;
            Region = region;
            AccountId = accountId;
            RequestId = requestId;
            Attempts = attempts;
            HttpStatus = httpStatus;
            Duration = duration;
            ErrorCode = errorCode;
        }

        /// <summary>The model's service id: FMS, Organizations, WAFV2 or STS.</summary>
        public string Service { get; }

        public string Operation { get; }

        public string Region { get; }

        /// <summary>The account the session acts in when known (per-account sessions), else null.</summary>
        public string? AccountId { get; }

        /// <summary>x-amzn-RequestId of the last attempt, when the service answered.</summary>
        public string? RequestId { get; }

        /// <summary>HTTP attempts made, 1 when the first succeeded.</summary>
        public int Attempts { get; }

        /// <summary>Status of the last answer; null when no answer arrived (connection failure, cancellation).</summary>
        public int? HttpStatus { get; }

        public TimeSpan Duration { get; }

        /// <summary>The endpoint the call went to (scheme, host, port and path, never a query), when it was resolved.</summary>
        public string? Endpoint { get; }

        /// <summary>Error code of a failed call (service code, or the exception type for transport failures); null on success.</summary>
        public string? ErrorCode { get; }

        public override string ToString()
            => $"{Service} {Operation} {Region}{(AccountId == null ? "" : " account " + AccountId)}{(Endpoint == null ? "" : " at " + Endpoint)}: "
               + (ErrorCode == null ? "OK" : ErrorCode)
               + $" HTTP {(HttpStatus?.ToString() ?? "-")}, {Attempts} attempt{(Attempts == 1 ? "" : "s")}, {Duration.TotalMilliseconds:0} ms"
               + (RequestId == null ? "" : ", request id " + RequestId);
    }

    /// <summary>Receives one record per logical AWS call; cmdlets turn them into -Verbose lines.</summary>
    public interface IAwsCallObserver
    {
        void OnCall(AwsCallRecord call);
    }

    /// <summary>Retry modes of the AWS SDKs.</summary>
    public enum AwsRetryMode
    {
        /// <summary>Exponential backoff with jitter on throttling, 5xx and connection faults, with a retry quota.</summary>
        Standard = 0,

        /// <summary>Standard plus client-side rate limiting that adapts to throttling answers.</summary>
        Adaptive = 1,
    }
}
