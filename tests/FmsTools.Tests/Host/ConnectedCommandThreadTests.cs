using System.Linq;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// The commands that once crashed in PowerShell ("The WriteObject and WriteError methods cannot be called ... from
    /// within the same thread"): each resolves its connection on first use inside engine work on the thread pool, and
    /// writes -Debug and -Verbose lines while doing so. Run in a real runspace, where PowerShell enforces the rule.
    /// </summary>
    public sealed class ConnectedCommandThreadTests : IClassFixture<SandboxCmdletFixture>
    {
        private readonly SandboxCmdletFixture _sandbox;

        public ConnectedCommandThreadTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            return session;
        }

        [Theory]
        [InlineData("Get-FmsComplianceStatus")]
        [InlineData("Get-FmsComplianceStatus -PolicyName demo-waf-baseline")]
        [InlineData("Get-FmsComplianceStatus -PolicyId (Get-FmsPolicy -Name demo-waf-baseline).PolicyId")]
        [InlineData("Get-FmsViolation -PolicyId (Get-FmsPolicy -Name demo-waf-baseline).PolicyId -AccountId " + DemoOrganization.ProdApi + "")]
        [InlineData("Test-FmsCompliance -PolicyName demo-waf-baseline")]
        [InlineData("Get-FmsCostEstimate")]
        [InlineData("Invoke-FmsRemediation -PolicyId (Get-FmsPolicy -Name demo-sg-baseline).PolicyId -WhatIf")]
        public void A_connected_command_resolves_its_connection_on_a_worker_and_writes_from_the_pipeline_thread(string command)
        {
            using var session = Connected();
            // The preference, not -Debug: on a compiled cmdlet PowerShell's -Debug also makes every verbose line a prompt.
            var result = session.Run("$DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; " + command).ShouldSucceed();
            Assert.NotEmpty(result.Output);
            // The connection line (credentials source, Region, endpoint of each service) is a -Verbose line.
            Assert.Contains(result.Verbose, d => d.StartsWith("Connection: ", System.StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("Assert-FmsCompliance -PolicyName demo-waf-baseline")]
        [InlineData("Assert-FmsCompliance -PolicyId (Get-FmsPolicy -Name demo-waf-baseline).PolicyId")]
        public void Assert_FmsCompliance_by_name_or_id_fails_on_the_demo_violations_with_its_own_error(string command)
        {
            using var session = Connected();
            var result = session.Run(command);
            Assert.NotNull(result.Terminating);
            Assert.StartsWith("FmsNotCompliant,", result.Error.FullyQualifiedErrorId, System.StringComparison.Ordinal);
        }
    }
}
