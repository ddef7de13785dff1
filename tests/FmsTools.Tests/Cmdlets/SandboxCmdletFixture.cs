using System;
using System.Linq;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;

namespace FmsTools.Tests.Cmdlets
{
    /// <summary>A demo sandbox for one test class; cmdlets are pointed at it with their own parameters.</summary>
    public sealed class SandboxCmdletFixture : IDisposable
    {
        public SandboxCmdletFixture()
        {
            Host = SandboxHost.Start(new SandboxOptions { Demo = true });
        }

        public SandboxHost Host { get; }

        /// <summary>Sets the connection parameters of <paramref name="cmdlet"/> to this sandbox's administrator.</summary>
        public T Connect<T>(T cmdlet) where T : FmsConnectedCmdlet
        {
            cmdlet.EndpointUrl = Host.Endpoint;
            cmdlet.AccessKey = Host.AccessKeyId;
            cmdlet.SecretKey = Host.SecretAccessKey;
            cmdlet.Region = Host.Region;
            return cmdlet;
        }

        /// <summary>The same, signed as the organization's management account.</summary>
        public T ConnectAsManagement<T>(T cmdlet) where T : FmsConnectedCmdlet
        {
            Connect(cmdlet);
            cmdlet.AccessKey = Host.ManagementAccessKeyId;
            cmdlet.SecretKey = Host.ManagementSecretAccessKey;
            return cmdlet;
        }

        /// <summary>Runs the cmdlet and returns the host; fails the test on an unexpected terminating error.</summary>
        public RecordingCommandHost Run<T>(T cmdlet, RecordingCommandHost? host = null) where T : FmsConnectedCmdlet
            => CmdletRunner.Run(Connect(cmdlet), host);

        /// <summary>Mutating calls the sandbox served since <paramref name="mark"/> (a RequestLog count).</summary>
        public int MutatingCallsSince(long mark)
            => Host.RequestLog.Entries.Skip((int)Math.Max(0, mark - (Host.RequestLog.TotalCount - Host.RequestLog.Entries.Count))).Count(e => e.Mutating);

        public long Mark => Host.RequestLog.TotalCount;

        public void Dispose() => Host.Dispose();
    }
}
