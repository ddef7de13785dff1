using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Connection;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// A sandbox on 127.0.0.1 and a real runspace connected to it with explicit parameters (<c>Connect-Fms @connection</c>).
    /// The module's cached session for this sandbox is created up front with retry waits that do not sleep, so a fault storm
    /// costs the retries, not the SDK's backoff time; every other retry rule (what is retried, attempt limit, retry quota)
    /// is the SDK's standard mode unchanged. The runspace uses the test's own FmsTools assemblies, so it finds that session.
    /// Scripts see <c>$sandbox</c> (the SandboxHost), <c>$connection</c> (the connection parameters, for splatting) and
    /// <c>$mgmt</c> (the same for the organization's management account).
    /// </summary>
    internal sealed class ReliabilitySandbox : IDisposable
    {
        private readonly List<PowerShellSession> _sessions = new List<PowerShellSession>();

        public ReliabilitySandbox(bool demo = true, Action<SandboxOptions>? configure = null, string? accessKey = null, string? secretKey = null,
            string? sessionToken = null, Action<SandboxHost>? afterStart = null)
        {
            Host = TestSandbox.Start(demo, configure: o =>
            {
                o.Quotas.PoliciesPerAdminAndRegion = 100;
                configure?.Invoke(o);
            });
            afterStart?.Invoke(Host);
            AccessKey = accessKey ?? Host.AccessKeyId;
            SecretKey = secretKey ?? Host.SecretAccessKey;
            SessionToken = sessionToken;
            // The administrator's connection and the management account's (@mgmt).
            foreach (var settings in new[] { Settings(), ManagementSettings() })
            {
                var options = ConnectionResolver.Resolve(new[] { settings }).Options;
                options.RetryTiming = new AwsRetryTiming(() => 0.0, (delay, ct) => Task.CompletedTask);
                SessionCache.GetOrCreate(options);
            }
            Session = NewSession();
        }

        public SandboxHost Host { get; }
        public string AccessKey { get; }
        public string SecretKey { get; }
        public string? SessionToken { get; }

        /// <summary>The runspace the tests type into, connected to the sandbox.</summary>
        public PowerShellSession Session { get; }

        private ConnectionSettings Settings() => new ConnectionSettings
        {
            Source = "parameters",
            EndpointUrl = Host.Endpoint,
            Region = Host.Region,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
        };

        private ConnectionSettings ManagementSettings() => new ConnectionSettings
        {
            Source = "parameters",
            EndpointUrl = Host.Endpoint,
            Region = Host.Region,
            AccessKey = Host.ManagementAccessKeyId,
            SecretKey = Host.ManagementSecretAccessKey,
        };

        /// <summary>The connection parameters of this sandbox (what <c>$connection</c> holds), for splatting.</summary>
        public Hashtable ConnectionParameters()
        {
            var parameters = new Hashtable { ["EndpointUrl"] = Host.Endpoint, ["Region"] = Host.Region, ["AccessKey"] = AccessKey, ["SecretKey"] = SecretKey };
            if (SessionToken != null) parameters["SessionToken"] = SessionToken;
            return parameters;
        }

        /// <summary>Another runspace connected to the sandbox the same way (a second PowerShell window of the same user).</summary>
        public PowerShellSession NewSession(bool connect = true)
        {
            var session = new PowerShellSession();
            _sessions.Add(session);
            session.Set("sandbox", Host);
            session.Set("connection", ConnectionParameters());
            session.Set("mgmt", new Hashtable
            {
                ["EndpointUrl"] = Host.Endpoint, ["Region"] = Host.Region,
                ["AccessKey"] = Host.ManagementAccessKeyId, ["SecretKey"] = Host.ManagementSecretAccessKey,
            });
            if (connect) session.Run("$null = Connect-Fms @connection").ShouldSucceed();
            return session;
        }

        /// <summary>Runs a script in <see cref="Session"/>; a terminating error is captured in the result.</summary>
        public PowerShellResult Run(string script) => Session.Run(script);

        /// <summary>Runs a script that must report no error at all.</summary>
        public PowerShellResult RunClean(string script)
        {
            var result = Session.Run(script);
            Assert.True(result.AllErrors().Count == 0, $"`{script}`: unexpected errors: " + string.Join(Environment.NewLine, result.AllErrors().Select(PowerShellResult.Describe)));
            return result;
        }

        /// <summary>The output objects of type <typeparamref name="T"/> of a script that must succeed.</summary>
        public List<T> Read<T>(string script) => RunClean(script).OutputOf<T>().ToList();

        /// <summary>Sets a global variable the scripts of <see cref="Session"/> see.</summary>
        public void Set(string name, object? value) => Session.Set(name, value);

        /// <summary>The log entries after <paramref name="mark"/> (a TotalCount taken earlier).</summary>
        public IReadOnlyList<RequestLogEntry> EntriesSince(long mark)
        {
            var entries = Host.RequestLog.Entries;
            var firstRetained = Host.RequestLog.TotalCount - entries.Count;
            Assert.True(mark >= firstRetained, "The request log ring dropped entries the test needs; raise RequestLogCapacity.");
            return entries.Skip((int)(mark - firstRetained)).ToList();
        }

        public long Mark => Host.RequestLog.TotalCount;

        public void Dispose()
        {
            foreach (var session in _sessions) session.Dispose();
            SessionCache.Forget(Host.Endpoint);
            Host.Dispose();
        }
    }

    /// <summary>What tests read from a script's output.</summary>
    internal static class ReliabilityResults
    {
        /// <summary>The output's base objects (what a cmdlet wrote).</summary>
        public static List<object?> Objects(this PowerShellResult result) => result.Output.Select(o => (object?)o?.BaseObject).ToList();
    }

    /// <summary>Heavier variants run only with FMSTOOLS_HEAVY_TESTS=1.</summary>
    internal static class Heavy
    {
        public static bool Enabled => Environment.GetEnvironmentVariable("FMSTOOLS_HEAVY_TESTS") == "1";

        public static int Pick(int normal, int heavy) => Enabled ? heavy : normal;
    }
}
