using System;
using System.Linq;
using FmsTools.Sandbox;

namespace FmsTools.Tests.Cmdlets
{
    /// <summary>A demo sandbox for one test class; sessions connect to it (<c>$sandbox | Connect-Fms</c>).</summary>
    public sealed class SandboxCmdletFixture : IDisposable
    {
        public SandboxCmdletFixture()
        {
            Host = SandboxHost.Start(new SandboxOptions { Demo = true });
        }

        public SandboxHost Host { get; }

        /// <summary>Mutating calls the sandbox served since <paramref name="mark"/> (a RequestLog count).</summary>
        public int MutatingCallsSince(long mark)
            => Host.RequestLog.Entries.Skip((int)Math.Max(0, mark - (Host.RequestLog.TotalCount - Host.RequestLog.Entries.Count))).Count(e => e.Mutating);

        public long Mark => Host.RequestLog.TotalCount;

        public void Dispose() => Host.Dispose();
    }
}
