using System.IO;
using System.Linq;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Policies;
using FmsTools.Engine.Remediation;
using FmsTools.Engine.Reports;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// examples/Invoke-SandboxDemo.ps1 step by step in one real PowerShell session: every command relies on the
    /// Connect-Fms session defaults (no connection parameters), and -Region on a single call reaches the other Region.
    /// </summary>
    public sealed class SandboxDemoFlowTests
    {
        [Fact]
        public void Start_connect_list_report_export_and_plan_remediation_without_changing_anything()
        {
            using var session = new PowerShellSession();
            var sandbox = Assert.Single(session.Run("$sandbox = Start-FmsSandbox -Demo -FreezeClock; $sandbox").ShouldSucceed().OutputOf<SandboxHost>());
            try
            {
                Assert.Single(session.Run("$sandbox | Connect-Fms").ShouldSucceed().OutputOf<FmsContext>());

                var policies = session.Run("$policies = @(Get-FmsPolicy) + @(Get-FmsPolicy -Region eu-west-1); $policies").ShouldSucceed().OutputOf<FmsPolicy>().ToList();
                Assert.Equal(17, policies.Count);
                Assert.Equal(8, policies.Count(p => p.Region == "eu-west-1"));

                using var report = Assert.Single(session.Run("$report = Get-FmsComplianceReport -Region us-east-1, eu-west-1 -AsReport; $report")
                    .ShouldSucceed().OutputOf<ComplianceReport>());
                var expected = DemoOrganization.ExpectedViolations("us-east-1").Count + DemoOrganization.ExpectedViolations("eu-west-1").Count;
                Assert.Equal(expected, report.Summary.NonCompliantResources);

                var path = Path.Combine(ComplianceSandbox.TempDirectory(), "fms-report.html");
                session.Set("path", path);
                var file = Assert.Single(session.Run("Export-FmsComplianceReport -Report $report -Format Html -Path $path -Force").ShouldSucceed().OutputOf<ComplianceReportFile>());
                Assert.True(file.Length > 0);
                Assert.Equal(expected.ToString(), ReportPage.Parse(File.ReadAllText(path)).Card("non-compliant resources"));

                var mutatingBefore = sandbox.RequestLog.Entries.Count(e => e.Mutating);
                var plan = session.Run("$policies | Invoke-FmsRemediation -WhatIf").ShouldSucceed().OutputOf<RemediationResult>().ToList();
                Assert.Equal(mutatingBefore, sandbox.RequestLog.Entries.Count(e => e.Mutating));
                // One result per violating resource (a VPC with two Network Firewall route reasons is one result).
                var resources = new[] { "us-east-1", "eu-west-1" }.SelectMany(DemoOrganization.ExpectedViolations).Select(v => v.Region + v.PolicyName + v.AccountId + v.ResourceId).Distinct().Count();
                Assert.Equal(resources, plan.Count(r => r.OutcomeValue == RemediationOutcome.Planned && r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation)
                                        + plan.Count(r => r.OutcomeValue == RemediationOutcome.NotSupported));
                Assert.Contains(plan, r => r.Region == "eu-west-1");
            }
            finally
            {
                session.Run("Disconnect-Fms; $sandbox | Stop-FmsSandbox");
                sandbox.Dispose();
            }
        }
    }
}
