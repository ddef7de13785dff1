using System;
using System.IO;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Commands;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Runs policy cmdlets against a fresh demo sandbox on 127.0.0.1.</summary>
    internal sealed class PolicySandbox : IDisposable
    {
        /// <param name="policyQuota">The sandbox's policies per administrator and region (the service default is 20).</param>
        public PolicySandbox(bool demo = true, int policyQuota = 60)
        {
            // The demo seeds ten policies per region; room for every type created by one test.
            Host = TestSandbox.Start(demo, configure: o => o.Quotas.PoliciesPerAdminAndRegion = policyQuota);
        }

        public SandboxHost Host { get; }

        public T Connect<T>(T cmdlet) where T : FmsConnectedCmdlet
        {
            cmdlet.EndpointUrl = Host.Endpoint;
            cmdlet.AccessKey = Host.AccessKeyId;
            cmdlet.SecretKey = Host.SecretAccessKey;
            cmdlet.Region = Host.Region;
            return cmdlet;
        }

        public RecordingCommandHost Run<T>(T cmdlet, RecordingCommandHost? host = null) where T : FmsCmdlet
        {
            if (cmdlet is FmsConnectedCmdlet connected && connected.EndpointUrl == null) Connect(connected);
            return CmdletRunner.Run(cmdlet, host);
        }

        /// <summary>Runs and fails the test on any error record.</summary>
        public RecordingCommandHost RunClean<T>(T cmdlet, RecordingCommandHost? host = null) where T : FmsCmdlet
        {
            var result = Run(cmdlet, host);
            Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(Environment.NewLine, result.Errors));
            return result;
        }

        public FmsPolicy Get(string policyId)
            => RunClean(new GetFmsPolicy { PolicyId = new[] { policyId } }).OutputOf<FmsPolicy>().Single();

        public int MutatingCalls => Host.RequestLog.Entries.Count(e => e.Mutating);

        public int Calls(string operation) => Host.RequestLog.For(operation).Count;

        /// <summary>A resource set of the administrator (import policies need one).</summary>
        public string CreateResourceSet()
        {
            using var client = SigV4TestClient.Admin(Host, Host.Region);
            var fms = new FmsClient(client);
            var response = fms.PutResourceSetAsync(new PutResourceSetRequest
            {
                ResourceSet = new ResourceSet { Name = "legacy-firewalls", ResourceTypeList = new System.Collections.Generic.List<string> { "AWS::EC2::VPC" } },
            }).GetAwaiter().GetResult();
            return response.ResourceSet!.Id!;
        }

        public void Dispose() => Host.Dispose();
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
