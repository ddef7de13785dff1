using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// A sandbox on 127.0.0.1 plus the cmdlet connection to it. The cmdlets' cached session for this sandbox is created
    /// up front with retry waits that do not sleep, so a fault storm costs the retries, not the SDK's backoff time;
    /// every other retry rule (what is retried, attempt limit, retry quota) is the SDK's standard mode unchanged.
    /// </summary>
    internal sealed class ReliabilitySandbox : IDisposable
    {
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
            var options = ConnectionResolver.Resolve(new[] { Settings() }).Options;
            options.RetryTiming = new AwsRetryTiming(() => 0.0, (delay, ct) => Task.CompletedTask);
            SessionCache.GetOrCreate(options);
        }

        public SandboxHost Host { get; }
        public string AccessKey { get; }
        public string SecretKey { get; }
        public string? SessionToken { get; }

        private ConnectionSettings Settings() => new ConnectionSettings
        {
            Source = "parameters",
            EndpointUrl = Host.Endpoint,
            Region = Host.Region,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
        };

        public T Connect<T>(T cmdlet) where T : FmsCmdlet
        {
            if (cmdlet is FmsConnectedCmdlet connected)
            {
                connected.EndpointUrl = Host.Endpoint;
                connected.AccessKey = AccessKey;
                connected.SecretKey = SecretKey;
                connected.SessionToken = SessionToken;
                connected.Region = Host.Region;
            }
            return cmdlet;
        }

        /// <summary>Runs a cmdlet; a terminating error is captured rather than thrown.</summary>
        public CmdletRun Run(FmsCmdlet cmdlet, RecordingCommandHost? host = null)
        {
            host ??= new RecordingCommandHost();
            try
            {
                CmdletRunner.Run(Connect(cmdlet), host);
                return new CmdletRun(host, null);
            }
            catch (TerminatingErrorException e)
            {
                return new CmdletRun(host, e.Error);
            }
        }

        public CmdletRun RunClean(FmsCmdlet cmdlet, RecordingCommandHost? host = null)
        {
            var result = Run(cmdlet, host);
            Assert.True(result.AllErrors.Count == 0, cmdlet.GetType().Name + ": unexpected errors: " + string.Join(Environment.NewLine, result.AllErrors));
            return result;
        }

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
            SessionCache.Forget(Host.Endpoint);
            Host.Dispose();
        }
    }

    /// <summary>What one cmdlet run left behind: the streams, and the terminating error if it stopped with one.</summary>
    internal sealed class CmdletRun
    {
        public CmdletRun(RecordingCommandHost host, FmsError? terminating)
        {
            Host = host;
            Terminating = terminating;
        }

        public RecordingCommandHost Host { get; }
        public FmsError? Terminating { get; }

        /// <summary>Non-terminating errors and the terminating one.</summary>
        public IReadOnlyList<FmsError> AllErrors => Terminating == null ? Host.Errors : Host.Errors.Concat(new[] { Terminating }).ToList();

        public List<object?> Output => Host.Output;
    }

    /// <summary>Heavier variants run only with FMSTOOLS_HEAVY_TESTS=1.</summary>
    internal static class Heavy
    {
        public static bool Enabled => Environment.GetEnvironmentVariable("FMSTOOLS_HEAVY_TESTS") == "1";

        public static int Pick(int normal, int heavy) => Enabled ? heavy : normal;
    }
}
