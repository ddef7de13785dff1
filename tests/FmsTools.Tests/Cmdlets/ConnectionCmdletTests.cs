using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Connection;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Cmdlets
{
    public class ConnectionCmdletTests
    {
        [Fact]
        public void Start_connect_use_and_stop_a_sandbox_in_one_session()
        {
            var session = new RecordingCommandHost();
            var stopped = session.Next();
            var sandbox = CmdletRunner.Run(new StartFmsSandbox{ DemoFlag = true }, session.Next()).OutputOf<SandboxHost>().Single();
            try
            {
                var context = CmdletRunner.Run(new ConnectFms { SandboxHost = sandbox }, session.Next()).OutputOf<FmsContext>().Single();
                Assert.Equal(sandbox.AdminAccountId, context.Account);
                Assert.True(context.IsSandbox);
                Assert.True(context.IsAdministrator);
                Assert.Equal(sandbox.Endpoint, context.EndpointUrl);

                // Later commands in the session use the defaults without any connection parameter.
                var admin = CmdletRunner.Run(new GetFmsAdminAccount(), session.Next()).OutputOf<FmsAdminAccount>().Single();
                Assert.Equal(sandbox.AdminAccountId, admin.AccountId);
                var fromContext = CmdletRunner.Run(new GetFmsContext(), session.Next()).OutputOf<FmsContext>().Single();
                Assert.Equal("Connect-Fms -Sandbox", fromContext.CredentialSource);
            }
            finally
            {
                CmdletRunner.Run(new StopFmsSandbox { InputObject = sandbox }, stopped);
            }
            Assert.Null(session.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable));
            Assert.Contains(stopped.Warnings, w => w.Contains("disconnected"));
        }

        [Fact]
        public void A_call_parameter_overrides_the_session_defaults()
        {
            using var first = SandboxHost.Start(new SandboxOptions { Demo = true });
            using var second = SandboxHost.Start(new SandboxOptions { AccountCount = 2 });
            var session = new RecordingCommandHost();
            CmdletRunner.Run(new ConnectFms { SandboxHost = first }, session.Next());

            var overridden = CmdletRunner.Run(new GetFmsContext
            {
                EndpointUrl = second.Endpoint,
                AccessKey = second.AccessKeyId,
                SecretKey = second.SecretAccessKey,
            }, session.Next()).OutputOf<FmsContext>().Single();
            Assert.Equal(second.Endpoint, overridden.EndpointUrl);
            Assert.Equal("parameters", overridden.CredentialSource);
            // The override lasts for that call only.
            Assert.Equal(first.Endpoint, CmdletRunner.Run(new GetFmsContext(), session.Next()).OutputOf<FmsContext>().Single().EndpointUrl);
        }

        [Fact]
        public void Disconnect_clears_the_defaults_and_writes_what_it_cleared_without_secrets()
        {
            using var sandbox = SandboxHost.Start(new SandboxOptions { AccountCount = 1 });
            var session = new RecordingCommandHost();
            CmdletRunner.Run(new ConnectFms { SandboxHost = sandbox }, session.Next());
            var cleared = CmdletRunner.Run(new DisconnectFms{ PassThruFlag = true }, session.Next()).OutputOf<ConnectionSettings>().Single();
            Assert.Equal(sandbox.Endpoint, cleared.EndpointUrl);
            Assert.DoesNotContain(sandbox.SecretAccessKey, cleared.ToString());
            Assert.Null(session.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable));
        }

        [Fact]
        public void WhatIf_on_Connect_stores_nothing()
        {
            using var sandbox = SandboxHost.Start(new SandboxOptions { AccountCount = 1 });
            var session = new RecordingCommandHost { WhatIf = true };
            CmdletRunner.Run(new ConnectFms { SandboxHost = sandbox }, session);
            Assert.Null(session.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable));
            Assert.Single(session.ShouldProcessCalls);
        }

        [Fact]
        public void Every_aws_call_is_reported_on_the_verbose_stream_without_secrets()
        {
            using var sandbox = SandboxHost.Start(new SandboxOptions { AccountCount = 1 });
            var host = CmdletRunner.Run(new GetFmsAdminAccount { EndpointUrl = sandbox.Endpoint, AccessKey = sandbox.AccessKeyId, SecretKey = sandbox.SecretAccessKey, Region = sandbox.Region });
            var line = Assert.Single(host.Verbose, v => v.Contains("GetAdminAccount"));
            Assert.Contains("request id", line);
            Assert.Contains(sandbox.Region, line);
            Assert.All(host.Verbose.Concat(host.Debug), v => Assert.DoesNotContain(sandbox.SecretAccessKey, v));
        }

        [Fact]
        public void The_sandbox_request_log_is_readable_and_filters_mutating_calls()
        {
            var session = new RecordingCommandHost();
            var sandbox = CmdletRunner.Run(new StartFmsSandbox { AccountCount = 2 }, session.Next()).OutputOf<SandboxHost>().Single();
            try
            {
                CmdletRunner.Run(new ConnectFms { SandboxHost = sandbox }, session.Next());
                CmdletRunner.Run(new SetFmsProtocolsList { Name = "logged", Protocol = new[] { "tcp" } }, session.Next());
                var all = CmdletRunner.Run(new GetFmsSandboxRequest { Sandbox = sandbox }, session.Next()).OutputOf<RequestLogEntry>().ToList();
                var mutating = CmdletRunner.Run(new GetFmsSandboxRequest { Sandbox = sandbox, MutatingFlag = true }, session.Next()).OutputOf<RequestLogEntry>().ToList();
                Assert.Contains(all, e => e.Operation == "GetCallerIdentity");
                Assert.Equal("PutProtocolsList", Assert.Single(mutating).Operation);
            }
            finally
            {
                CmdletRunner.Run(new StopFmsSandbox { InputObject = sandbox }, session.Next());
            }
        }
    }
}
