using FmsTools.Engine.Connection;
using FmsTools.Sandbox;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Sandboxes started in this process (Start-FmsSandbox, Connect-Fms -Sandbox). Commands reach one only when asked to:
    /// there is no implicit fallback to a sandbox (see <see cref="FmsConnectedCmdlet.OpenSession"/>).
    /// Process-wide on purpose: a thread job (Start-ThreadJob) sees the same sandbox as its parent session.
    /// </summary>
    internal static class SandboxSessions
    {
        private static readonly object Gate = new object();
        private static readonly List<SandboxHost> Running = new List<SandboxHost>();

        public static void Add(SandboxHost host)
        {
            lock (Gate) Running.Add(host);
        }

        public static IReadOnlyList<SandboxHost> All()
        {
            lock (Gate) return Running.ToList();
        }

        public static SandboxHost? Latest()
        {
            lock (Gate) return Running.Count == 0 ? null : Running[Running.Count - 1];
        }

        public static SandboxHost? FindByEndpoint(string? endpoint)
        {
            if (endpoint == null) return null;
            lock (Gate) return Running.FirstOrDefault(h => string.Equals(h.Endpoint.TrimEnd('/'), endpoint.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        }

        public static void Stop(SandboxHost host)
        {
            lock (Gate)
            {
                Running.Remove(host);
            }
            SessionCache.Forget(host.Endpoint);
            host.Stop();
        }

        /// <summary>Connection settings that talk to <paramref name="host"/> as its FMS administrator.</summary>
        public static ConnectionSettings SettingsFor(SandboxHost host, string source) => new ConnectionSettings
        {
            Source = source,
            EndpointUrl = host.Endpoint,
            Region = host.Region,
            AccessKey = host.AccessKeyId,
            SecretKey = host.SecretAccessKey,
        };
    }
}
