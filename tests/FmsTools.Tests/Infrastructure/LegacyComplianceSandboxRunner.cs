using FmsTools.Infrastructure;
using FmsTools.Tests.ComplianceCmdlets;
using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// The in-process runner over <see cref="ComplianceSandbox"/> that the History tests not yet ported to runspaces still
    /// use; it goes with <see cref="CmdletRunner"/> and <see cref="RecordingCommandHost"/> once they are ported.
    /// </summary>
    public static class LegacyComplianceSandboxRunner
    {
        public static T Connect<T>(this ComplianceSandbox sandbox, T cmdlet, string region = ComplianceSandbox.UsEast1) where T : FmsConnectedCmdlet
        {
            cmdlet.EndpointUrl = sandbox.Host.Endpoint;
            cmdlet.AccessKey = sandbox.Host.AccessKeyId;
            cmdlet.SecretKey = sandbox.Host.SecretAccessKey;
            if (cmdlet.Region == null) cmdlet.Region = region;
            return cmdlet;
        }

        /// <summary>Runs the cmdlet against the sandbox and fails the test on any error record.</summary>
        public static RecordingCommandHost RunClean<T>(this ComplianceSandbox sandbox, T cmdlet, RecordingCommandHost? host = null) where T : FmsConnectedCmdlet
        {
            var result = CmdletRunner.Run(sandbox.Connect(cmdlet), host);
            Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(System.Environment.NewLine, result.Errors));
            return result;
        }

        public static RecordingCommandHost Run<T>(this ComplianceSandbox sandbox, T cmdlet, RecordingCommandHost? host = null) where T : FmsConnectedCmdlet
            => CmdletRunner.Run(sandbox.Connect(cmdlet), host);
    }
}
