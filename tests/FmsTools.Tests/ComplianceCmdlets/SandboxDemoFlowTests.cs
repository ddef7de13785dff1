using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Policies;
using FmsTools.Engine.Remediation;
using FmsTools.Engine.Reports;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// examples/Invoke-SandboxDemo.ps1 step by step, as one PowerShell session would run it: every command relies on the
    /// Connect-Fms session defaults (no connection parameters), and -Region on a single call reaches the other Region.
    /// </summary>
    public sealed class SandboxDemoFlowTests
    {
        [Fact]
        public void Start_connect_list_report_export_and_plan_remediation_without_changing_anything()
        {
            var session = new RecordingCommandHost();
            var sandbox = CmdletRunner.Run(new StartFmsSandbox { DemoFlag = true, FreezeClockFlag = true }, session.Next()).OutputOf<SandboxHost>().Single();
            try
            {
                CmdletRunner.Run(new ConnectFms { SandboxHost = sandbox }, session.Next()).OutputOf<FmsContext>().Single();

                var policies = CmdletRunner.Run(new GetFmsPolicy(), session.Next()).OutputOf<FmsPolicy>()
                    .Concat(CmdletRunner.Run(new GetFmsPolicy { Region = "eu-west-1" }, session.Next()).OutputOf<FmsPolicy>()).ToList();
                Assert.Equal(17, policies.Count);

                var reportHost = CmdletRunner.Run(new GetFmsComplianceReport { Region = new[] { "us-east-1", "eu-west-1" }, AsReportFlag = true }, session.Next());
                Assert.Empty(reportHost.Errors);
                using var report = reportHost.Output.Cast<ComplianceReport>().Single();
                var expected = DemoOrganization.ExpectedViolations("us-east-1").Count + DemoOrganization.ExpectedViolations("eu-west-1").Count;
                Assert.Equal(expected, report.Summary.NonCompliantResources);

                var path = Path.Combine(ComplianceSandbox.TempDirectory(), "fms-report.html");
                var file = CmdletRunner.Run(new ExportFmsComplianceReport { Report = report, Format = new[] { ComplianceReportFormat.Html }, Path = path, ForceFlag = true },
                    session.Next()).OutputOf<ComplianceReportFile>().Single();
                Assert.True(file.Length > 0);
                Assert.Equal(expected.ToString(), ReportPage.Parse(File.ReadAllText(path)).Card("non-compliant resources"));

                var mutatingBefore = sandbox.RequestLog.Entries.Count(e => e.Mutating);
                var whatIf = session.Next();
                whatIf.WhatIf = true;
                var plan = CmdletRunner.RunPipeline(new InvokeFmsRemediation(), policies, (c, p) => c.Policy = new[] { p }, whatIf).OutputOf<RemediationResult>().ToList();
                Assert.Equal(mutatingBefore, sandbox.RequestLog.Entries.Count(e => e.Mutating));
                // One result per violating resource (a VPC with two Network Firewall route reasons is one result).
                var resources = new[] { "us-east-1", "eu-west-1" }.SelectMany(DemoOrganization.ExpectedViolations).Select(v => v.Region + v.PolicyName + v.AccountId + v.ResourceId).Distinct().Count();
                Assert.Equal(resources, plan.Count(r => r.OutcomeValue == RemediationOutcome.Planned && r.Step.KindValue != RemediationStepKind.EnablePolicyRemediation)
                                        + plan.Count(r => r.OutcomeValue == RemediationOutcome.NotSupported));
                Assert.Contains(plan, r => r.Region == "eu-west-1");
            }
            finally
            {
                CmdletRunner.Run(new DisconnectFms(), session.Next());
                CmdletRunner.Run(new StopFmsSandbox { InputObject = sandbox }, session.Next());
            }
        }
    }
}
