using System;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// What ProgressAndVerboseTests still needs of the recording test double with a PolicySandbox, which the ported policy
    /// cmdlet tests no longer have. Delete this file when ProgressAndVerboseTests is ported to real runspaces.
    /// </summary>
    internal static class PolicySandboxRecordingRuns
    {
        public static T Connect<T>(this PolicySandbox sandbox, T cmdlet) where T : FmsConnectedCmdlet
        {
            cmdlet.EndpointUrl = sandbox.Host.Endpoint;
            cmdlet.AccessKey = sandbox.Host.AccessKeyId;
            cmdlet.SecretKey = sandbox.Host.SecretAccessKey;
            cmdlet.Region = sandbox.Host.Region;
            return cmdlet;
        }

        public static RecordingCommandHost RunClean<T>(this PolicySandbox sandbox, T cmdlet, RecordingCommandHost? host = null) where T : FmsCmdlet
        {
            if (cmdlet is FmsConnectedCmdlet connected && connected.EndpointUrl == null) sandbox.Connect(connected);
            var result = CmdletRunner.Run(cmdlet, host);
            Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(Environment.NewLine, result.Errors));
            return result;
        }
    }
}
