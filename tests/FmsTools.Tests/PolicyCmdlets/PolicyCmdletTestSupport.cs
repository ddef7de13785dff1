using System;
using System.IO;
using System.Linq;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using FmsTools.Tests.Sandbox;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>A fresh demo sandbox on 127.0.0.1 with room for the policies a test creates (engine tests call it directly).</summary>
    internal sealed class PolicySandbox : IDisposable
    {
        /// <param name="policyQuota">The sandbox's policies per administrator and region (the service default is 20).</param>
        public PolicySandbox(bool demo = true, int policyQuota = 60)
        {
            // The demo seeds ten policies per region; room for every type created by one test.
            Host = TestSandbox.Start(demo, configure: o => o.Quotas.PoliciesPerAdminAndRegion = policyQuota);
        }

        public SandboxHost Host { get; }

        public int MutatingCalls => Host.RequestLog.Entries.Count(e => e.Mutating);

        public int Calls(string operation) => Host.RequestLog.For(operation).Count;

        public void Dispose() => Host.Dispose();
    }

    /// <summary>The demo sandbox and a connected runspace with the service's default quota of 20 policies per region.</summary>
    public sealed class DefaultQuotaSessionFixture : SandboxSessionFixture
    {
        public DefaultQuotaSessionFixture() : base(o => o.Quotas.PoliciesPerAdminAndRegion = 20) { }
    }

    internal static class TempFolder
    {
        public static string Create()
        {
            var path = Path.Combine(Path.GetTempPath(), "fmstools-policy-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
