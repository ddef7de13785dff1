using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Connection;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Cmdlets
{
    /// <summary>Connect-Fms, Disconnect-Fms and the sandbox cmdlets across the commands of one PowerShell session.</summary>
    public sealed class ConnectionCmdletTests
    {
        private const string Disconnected = "$null -eq (Get-Variable FmsToolsSessionDefaults -Scope Global -ValueOnly -ErrorAction Ignore)";

        [Fact]
        public void Start_connect_use_and_stop_a_sandbox_in_one_session()
        {
            using var session = new PowerShellSession();
            var sandbox = session.Run("$s = Start-FmsSandbox -Demo; $s").ShouldSucceed().OutputOf<SandboxHost>().Single();
            try
            {
                var context = session.Run("$s | Connect-Fms").ShouldSucceed().OutputOf<FmsContext>().Single();
                Assert.Equal(sandbox.AdminAccountId, context.Account);
                Assert.True(context.IsSandbox);
                Assert.True(context.IsAdministrator);
                Assert.Equal(sandbox.Endpoint, context.EndpointUrl);

                // Later commands in the session use the defaults without any connection parameter.
                Assert.Equal(sandbox.AdminAccountId, session.Run("Get-FmsAdminAccount").ShouldSucceed().OutputOf<FmsAdminAccount>().Single().AccountId);
                Assert.Equal("Connect-Fms -Sandbox", session.Run("Get-FmsContext").ShouldSucceed().OutputOf<FmsContext>().Single().CredentialSource);
            }
            finally
            {
                var stopped = session.Run("$s | Stop-FmsSandbox -Confirm:$false").ShouldSucceed();
                // Stopping the sandbox the session was connected to disconnects it, and says so.
                Assert.Contains(stopped.Warnings, w => w.Contains("disconnected"));
            }
            Assert.Equal("True", CmdletCaseRunner.Text(session.Run(Disconnected).ShouldSucceed().Output));
        }

        [Fact]
        public void A_call_parameter_overrides_the_session_defaults_and_Disconnect_writes_what_it_cleared_without_secrets()
        {
            using var first = SandboxHost.Start(new SandboxOptions { Demo = true });
            using var second = SandboxHost.Start(new SandboxOptions { AccountCount = 2 });
            using var session = new PowerShellSession();
            session.Set("first", first);
            session.Set("second", second);
            session.Run("$null = $first | Connect-Fms").ShouldSucceed();

            var overridden = session.Run("Get-FmsContext -EndpointUrl $second.Endpoint -AccessKey $second.AccessKeyId -SecretKey $second.SecretAccessKey")
                .ShouldSucceed().OutputOf<FmsContext>().Single();
            Assert.Equal(second.Endpoint, overridden.EndpointUrl);
            Assert.Equal("parameters", overridden.CredentialSource);
            // The override lasts for that call only.
            Assert.Equal(first.Endpoint, session.Run("Get-FmsContext").ShouldSucceed().OutputOf<FmsContext>().Single().EndpointUrl);

            var cleared = session.Run("$cleared = Disconnect-Fms -PassThru; $cleared").ShouldSucceed().OutputOf<ConnectionSettings>().Single();
            Assert.Equal(first.Endpoint, cleared.EndpointUrl);
            Assert.DoesNotContain(first.SecretAccessKey, cleared.ToString());
            // Not in any property either: Format-List * and ConvertTo-Json show them all.
            Assert.DoesNotContain(first.SecretAccessKey, CmdletCaseRunner.Text(session.Run("$cleared | Format-List * | Out-String; $cleared | ConvertTo-Json").ShouldSucceed().Output));
            Assert.Equal("True", CmdletCaseRunner.Text(session.Run(Disconnected).ShouldSucceed().Output));
        }

        [Fact]
        public void The_sandbox_request_log_is_readable_and_filters_mutating_calls()
        {
            using var env = new SandboxRunspace(options: () => new SandboxOptions { AccountCount = 2 });
            env.Run("$null = Set-FmsProtocolsList -Name logged -Protocol tcp").ShouldSucceed();
            var all = env.Run("$sandbox | Get-FmsSandboxRequest").ShouldSucceed().OutputOf<RequestLogEntry>().ToList();
            var mutating = env.Run("$sandbox | Get-FmsSandboxRequest -Mutating").ShouldSucceed().OutputOf<RequestLogEntry>().ToList();
            Assert.Contains(all, e => e.Operation == "GetCallerIdentity");
            Assert.Contains(all, e => e.Operation == "PutProtocolsList");
            Assert.Equal("PutProtocolsList", Assert.Single(mutating).Operation);
        }
    }
}
