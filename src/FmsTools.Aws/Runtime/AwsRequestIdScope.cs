using System;
using System.Threading;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// Catches the service request id (x-amzn-RequestId) of calls made inside it, including successful ones whose typed
    /// responses carry no id. The change journal opens one around each state-changing call. It flows with the async
    /// context: calls awaited inside the scope report to it; calls elsewhere do not.
    /// </summary>
    public sealed class AwsRequestIdScope : IDisposable
    {
        private static readonly AsyncLocal<AwsRequestIdScope?> Current = new AsyncLocal<AwsRequestIdScope?>();
        private readonly AwsRequestIdScope? _outer;
        private string? _lastRequestId;

        private AwsRequestIdScope(AwsRequestIdScope? outer) { _outer = outer; }

        /// <summary>Starts catching request ids in the current async context until disposed.</summary>
        public static AwsRequestIdScope Begin()
        {
            var scope = new AwsRequestIdScope(Current.Value);
            Current.Value = scope;
            return scope;
        }

        /// <summary>The request id of the last call answered inside the scope; null when none answered.</summary>
        public string? LastRequestId => Volatile.Read(ref _lastRequestId);

        /// <summary>Called by the invoker when a call ends.</summary>
        internal static void Observe(string? requestId)
        {
            if (string.IsNullOrEmpty(requestId)) return;
            for (var scope = Current.Value; scope != null; scope = scope._outer)
                Volatile.Write(ref scope._lastRequestId, requestId);
        }

        public void Dispose()
        {
            if (ReferenceEquals(Current.Value, this)) Current.Value = _outer;
        }
    }
}
