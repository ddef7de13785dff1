using System.Collections.Concurrent;
using FmsTools.Aws;
using FmsTools.Aws.Runtime;

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

        // The full key of the session last made for each connection, to drop it once the environment changed.
        private static readonly ConcurrentDictionary<string, string> CurrentKeyByConnection = new ConcurrentDictionary<string, string>();

        /// <summary>
        /// The session for <paramref name="options"/>: reused while the connection and what it reads from outside (the AWS_*
        /// variables, the shared config and credentials files: <see cref="AwsConnectionOptions.EnvironmentFingerprint"/>)
        /// stay the same, made anew once they change.
        /// </summary>
        public static AwsSession GetOrCreate(AwsConnectionOptions options)
        {
            options.Observer ??= Relay;
            var connection = ConnectionResolver.CacheKey(options);
            var key = connection + "|" + options.EnvironmentFingerprint();
            var previous = CurrentKeyByConnection.GetOrAdd(connection, key);
            if (previous != key)
            {
                // Not disposed: a command in another runspace may still be using it; it is collected once unused.
                Sessions.TryRemove(previous, out _);
                CurrentKeyByConnection[connection] = key;
            }
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

        /// <summary>Drops every cached session that talks to <paramref name="endpointUrl"/> (e.g. a stopped sandbox).</summary>
        public static void Forget(string endpointUrl)
        {
            var forgotten = endpointUrl.TrimEnd('/');
            foreach (var pair in Sessions)
            {
                if (!pair.Value.IsValueCreated) continue;
                var session = pair.Value.Value;
                var uses = string.Equals(session.EndpointUrl?.TrimEnd('/'), forgotten, StringComparison.OrdinalIgnoreCase);
                foreach (var url in session.ConfiguredEndpointUrls)
                    uses |= string.Equals(url, forgotten, StringComparison.OrdinalIgnoreCase);
                if (uses && Sessions.TryRemove(pair.Key, out var removed)) removed.Value.Dispose();
            }
        }
    }

    /// <summary>
    /// The observer every cached session reports to. Sessions outlive commands, so the reporter of the
    /// command currently running is found through an AsyncLocal that the cmdlet edge sets.
    /// </summary>
    public sealed class CallReporterRelay : IAwsCallObserver, IAwsCredentialObserver
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

        public void OnCredentialStep(string text) => Current.Value?.Verbose(text);

        /// <summary>One verbose line per AWS call: operation, account, region, endpoint, request id, retries. Never secrets.</summary>
        public static string Describe(AwsCallRecord call)
        {
            var outcome = call.ErrorCode == null ? $"HTTP {call.HttpStatus}" : $"{call.ErrorCode} (HTTP {call.HttpStatus})";
            var retries = call.Attempts > 1 ? $", {call.Attempts - 1} retr{(call.Attempts == 2 ? "y" : "ies")}" : "";
            return $"AWS {call.Service}.{call.Operation} account {call.AccountId ?? "(caller)"} region {call.Region}"
                   + (call.Endpoint == null ? "" : " at " + call.Endpoint)
                   + $": {outcome} in {call.Duration.TotalMilliseconds:0} ms, request id {call.RequestId ?? "none"}{retries}";
        }

        private sealed class Restore : IDisposable
        {
            private readonly IOperationReporter? _previous;
            public Restore(IOperationReporter? previous) { _previous = previous; }
            public void Dispose() => Current.Value = _previous;
        }
    }
}
