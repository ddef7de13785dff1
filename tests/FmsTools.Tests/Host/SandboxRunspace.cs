using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Sandbox;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A real runspace (<see cref="PowerShellSession"/>) connected explicitly to a sandbox of its own, as a user would be
    /// after <c>Start-FmsSandbox -Demo | Connect-Fms</c>. The script sees <c>$sandbox</c> (the SandboxHost), <c>$mgmt</c>
    /// (connection parameters of the organization's management account, for splatting) and <c>$dir</c> (an empty folder
    /// of its own). <see cref="Renew"/> replaces the sandbox with a fresh one (same options) and reconnects, so one
    /// runspace can run several scenarios that each need untouched state.
    /// </summary>
    public sealed class SandboxRunspace : IDisposable
    {
        private readonly Func<SandboxOptions> _options;
        private readonly bool _management;
        private readonly bool _connect;
        private readonly List<string> _folders = new List<string>();

        /// <param name="management">Connect as the management account instead of the FMS administrator.</param>
        /// <param name="connect">False leaves the session unconnected (the variables are still set).</param>
        /// <param name="options">The sandbox options; a demo organization by default.</param>
        /// <param name="host">The host that answers prompts; one that declines every prompt by default.</param>
        public SandboxRunspace(bool management = false, bool connect = true, Func<SandboxOptions>? options = null, TestPSHost? host = null)
        {
            _management = management;
            _connect = connect;
            _options = options ?? (() => new SandboxOptions { Demo = true });
            Session = new PowerShellSession(host);
            try
            {
                Sandbox = StartSandbox();
            }
            catch
            {
                Session.Dispose();
                throw;
            }
        }

        public PowerShellSession Session { get; }

        public SandboxHost Sandbox { get; private set; }

        public TestPSHost Host => Session.Host;

        /// <summary>The empty folder of the current sandbox (<c>$dir</c>).</summary>
        public string Folder => _folders[_folders.Count - 1];

        public PowerShellResult Run(string script) => Session.Run(script);

        /// <summary>Stops the sandbox and starts a fresh one with the same options; the runspace connects to it.</summary>
        public void Renew()
        {
            Sandbox.Dispose();
            Sandbox = StartSandbox();
        }

        /// <summary>A position in the sandbox's request log (the number of requests it has answered).</summary>
        public long Mark => Sandbox.RequestLog.TotalCount;

        /// <summary>The requests the sandbox answered since <paramref name="mark"/>, oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> RequestsSince(long mark)
        {
            var log = Sandbox.RequestLog;
            var entries = log.Entries;
            var first = log.TotalCount - entries.Count;
            return entries.Skip((int)Math.Max(0, mark - first)).ToList();
        }

        /// <summary>State-changing requests since <paramref name="mark"/>.</summary>
        public IReadOnlyList<RequestLogEntry> MutatingSince(long mark) => RequestsSince(mark).Where(e => e.Mutating).ToList();

        private SandboxHost StartSandbox()
        {
            var sandbox = SandboxHost.Start(_options());
            var folder = Path.Combine(Path.GetTempPath(), "fmstools-host-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            _folders.Add(folder);
            Session.Set("sandbox", sandbox);
            Session.Set("dir", folder);
            Session.Run("$global:mgmt = @{ EndpointUrl = $sandbox.Endpoint; AccessKey = $sandbox.ManagementAccessKeyId; "
                        + "SecretKey = $sandbox.ManagementSecretAccessKey; Region = $sandbox.Region }").ShouldSucceed();
            if (_connect) Session.Run(_management ? "$null = Connect-Fms @mgmt" : "$null = $sandbox | Connect-Fms").ShouldSucceed();
            else Session.Run("Disconnect-Fms").ShouldSucceed();
            return sandbox;
        }

        public void Dispose()
        {
            Session.Dispose();
            Sandbox.Dispose();
            foreach (var folder in _folders)
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }
}
