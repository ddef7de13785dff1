using System;
using System.Collections.Concurrent;
using FmsTools.Aws;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Engine.Connection
{
    /// <summary>
    /// One AwsSession per distinct connection for the whole process, so HTTP connections, resolved
    /// credentials and assumed member-account roles are reused across cmdlet calls and runspaces
    /// (Start-ThreadJob) instead of being rebuilt on every command.
    /// </summary>
    public static class SessionCache
    {
        private static readonly ConcurrentDictionary<string, Lazy<AwsSession>> Sessions = new ConcurrentDictionary<string, Lazy<AwsSession>>();

        /// <summary>Relays each AWS call to whichever operation is running on the current async flow.</summary>
        public static CallReporterRelay Relay { get; } = new CallReporterRelay();

        public static AwsSession GetOrCreate(AwsConnectionOptions options)
        {
            options.Observer ??= Relay;
            var key = ConnectionResolver.CacheKey(options);
            var lazy = Sessions.GetOrAdd(key, _ => new Lazy<AwsSession>(() => AwsSessionFactory.Create(options)));
            try
            {
                return lazy.Value;
            }
            catch
            {
                // A failed resolution (no credentials yet) must not be cached: the user may fix it and retry.
                Sessions.TryRemove(key, out _);
                throw;
            }
        }

        /// <summary>Drops every cached session whose endpoint is <paramref name="endpointUrl"/> (e.g. a stopped sandbox).</summary>
        public static void Forget(string endpointUrl)
        {
            foreach (var pair in Sessions)
            {
                if (pair.Value.IsValueCreated && string.Equals(pair.Value.Value.EndpointUrl, endpointUrl, StringComparison.OrdinalIgnoreCase)
                    && Sessions.TryRemove(pair.Key, out var removed))
                    removed.Value.Dispose();
            }
        }
    }

    /// <summary>
    /// The observer every cached session reports to. Sessions outlive commands, so the reporter of the
    /// command currently running is found through an AsyncLocal that the cmdlet edge sets.
    /// </summary>
    public sealed class CallReporterRelay : IAwsCallObserver
    {
        private static readonly System.Threading.AsyncLocal<IOperationReporter?> Current = new System.Threading.AsyncLocal<IOperationReporter?>();

        /// <summary>Routes calls made on this async flow to <paramref name="reporter"/> until disposed.</summary>
        public IDisposable Attach(IOperationReporter reporter)
        {
            var previous = Current.Value;
            Current.Value = reporter;
            return new Restore(previous);
        }

        public void OnCall(AwsCallRecord call) => Current.Value?.Verbose(Describe(call));

        /// <summary>One verbose line per AWS call: operation, account, region, request id, retries. Never secrets.</summary>
        public static string Describe(AwsCallRecord call)
        {
            var outcome = call.ErrorCode == null ? $"HTTP {call.HttpStatus}" : $"{call.ErrorCode} (HTTP {call.HttpStatus})";
            var retries = call.Attempts > 1 ? $", {call.Attempts - 1} retr{(call.Attempts == 2 ? "y" : "ies")}" : "";
            return $"AWS {call.Service}.{call.Operation} account {call.AccountId ?? "(caller)"} region {call.Region}: {outcome} in {call.Duration.TotalMilliseconds:0} ms, request id {call.RequestId ?? "none"}{retries}";
        }

        private sealed class Restore : IDisposable
        {
            private readonly IOperationReporter? _previous;
            public Restore(IOperationReporter? previous) { _previous = previous; }
            public void Dispose() => Current.Value = _previous;
        }
    }
}
