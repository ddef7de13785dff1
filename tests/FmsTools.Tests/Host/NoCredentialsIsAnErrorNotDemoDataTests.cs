using System;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// With no AWS credentials anywhere, a connected command fails with the no-credentials error (NoAwsCredentials,
    /// AuthenticationError) that says how to connect and how to try the sandbox; it never answers from demo data, starts no
    /// sandbox and writes no warning in place of the error. The sandbox answers only when asked for (Connect-Fms -Sandbox, or
    /// Start-FmsSandbox -Demo | Connect-Fms). Runs alone in an environment stripped of credentials (IsolatedEnvironment), so it
    /// holds on a developer's machine with credentials and on CI without.
    /// </summary>
    [Collection(RunsAlone.Name)]
    public sealed class NoCredentialsIsAnErrorNotDemoDataTests
    {
        public static TheoryData<string> ConnectedCommands => new TheoryData<string>
        {
            "Get-FmsPolicy",
            "Get-FmsPolicy -Region us-east-1",
            "Get-FmsComplianceStatus",
            "Get-FmsComplianceReport -Region us-east-1, eu-west-1",
            "Get-FmsContext",
            "Get-FmsAdminAccount",
            "Get-FmsAppsList",
            "New-FmsShieldPolicy -Name no-credentials -ResourceType AWS::EC2::EIP",
            "Connect-Fms -Region us-east-1",
        };

        [Theory]
        [MemberData(nameof(ConnectedCommands))]
        public void A_connected_command_fails_with_the_no_credentials_error_that_names_the_sandbox(string command)
        {
            using var environment = new IsolatedEnvironment();
            using var session = new PowerShellSession();
            var sandboxes = SandboxSessions.All().Count;

            // Twice: the answer does not change once something was "remembered" (the old fallback warned once, then went quiet).
            for (var run = 0; run < 2; run++)
            {
                var result = session.Run(command);

                Assert.NotNull(result.Terminating);
                var error = result.Error;
                Assert.Equal(FmsConnectedCmdlet.NoCredentialsErrorId, error.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
                // What PowerShell shows, and what $_.Exception.Message says, are the same message.
                foreach (var message in new[] { error.ErrorDetails?.Message ?? error.Exception.Message, error.Exception.Message })
                {
                    Assert.Contains("No AWS credentials were found", message);
                    Assert.Contains("Connect-Fms -Sandbox", message);
                    Assert.Contains("Start-FmsSandbox -Demo | Connect-Fms", message);
                }
                Assert.Empty(result.Output);
                Assert.Empty(result.Warnings);
            }
            Assert.Equal(sandboxes, SandboxSessions.All().Count);
        }

        [Fact]
        public void Tab_completion_without_credentials_offers_nothing_and_starts_no_sandbox()
        {
            using var environment = new IsolatedEnvironment();
            using var session = new PowerShellSession();
            var sandboxes = SandboxSessions.All().Count;

            var result = session.Run("(TabExpansion2 -inputScript 'Get-FmsPolicy -Name ' -cursorColumn 20).CompletionMatches.Count").ShouldSucceed();

            Assert.Equal(0, (int)result.Output.Single().BaseObject);
            Assert.Equal(sandboxes, SandboxSessions.All().Count);
        }

        [Theory]
        [InlineData("Connect-Fms -Sandbox")]
        [InlineData("Start-FmsSandbox -Demo | Connect-Fms")]
        public void The_sandbox_answers_when_asked_for_and_says_it_is_the_sandbox(string connect)
        {
            using var environment = new IsolatedEnvironment();
            using var session = new PowerShellSession();
            var before = SandboxSessions.All();
            try
            {
                var context = session.Run(connect).ShouldSucceed().OutputOf<FmsContext>().Single();
                Assert.True(context.IsSandbox);

                var policies = session.Run("Get-FmsPolicy").ShouldSucceed();
                Assert.Empty(policies.Warnings);
                // Connect-Fms -Sandbox takes the latest sandbox this process started, or starts a demo one when there is none.
                if (before.Count == 0) Assert.NotEmpty(policies.OutputOf<FmsPolicy>());
            }
            finally
            {
                session.Run("Disconnect-Fms").ShouldSucceed();
                foreach (var started in SandboxSessions.All().Except(before).ToList()) SandboxSessions.Stop(started);
            }
        }
    }
}
