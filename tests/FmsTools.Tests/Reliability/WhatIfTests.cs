using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// -WhatIf on every cmdlet that declares SupportsShouldProcess (found by reflection over FmsTools.dll), typed in a real
    /// runspace: with valid parameters the cmdlet gets as far as asking (PowerShell writes its "What if:" line), and the
    /// sandbox's request log shows no state-changing call. RunsAlone: the journal is chosen through $env:FMSTOOLS_JOURNAL.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class WhatIfTests : IDisposable
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string StatefulArn = "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains";
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox();
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fmstools-whatif", Guid.NewGuid().ToString("N"));

        public WhatIfTests() { Directory.CreateDirectory(_folder); }

        public void Dispose()
        {
            _sandbox.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        /// <summary>A case: the command with valid parameters (-WhatIf is added), the session it runs in, and a check of local effects.</summary>
        private sealed class Case
        {
            public Case(string script) { Script = script; }
            public string Script { get; }
            /// <summary>Null: the connected session of the test.</summary>
            public PowerShellSession? Session;
            public Action? CheckNothingChanged;
        }

        private Dictionary<string, Case> Cases(JournalEnvironment journal, PowerShellSession unconnected)
        {
            _sandbox.Set("folder", _folder);
            _sandbox.Set("alb", Alb);
            _sandbox.Set("stateful", StatefulArn);
            _sandbox.RunClean("$policy = Get-FmsPolicy -Detailed | Where-Object Type -eq WafV2 | Select-Object -First 1; "
                              + "$apps = Set-FmsAppsList -Name whatif-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru; "
                              + "$protocols = Set-FmsProtocolsList -Name whatif-protocols -Protocol tcp -PassThru; "
                              + "$set = Set-FmsResourceSet -Name whatif-set -ResourceType AWS::EC2::VPC -PassThru; "
                              + "$vpc = 'arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0'; "
                              + "Add-FmsResourceSetResource -ResourceSetId $set.Id -Uri $vpc; "
                              + "Set-FmsTag -ResourceArn $policy.Arn -Tag @{ owner = 'secops' }");
            Assert.Single(_sandbox.Read<FmsPolicy>("$policy"));

            // Files for Import/Sync: one deployed policy changed, one new policy; -DeleteMissing plans deletes of the rest.
            _sandbox.RunClean("$changed = $policy.Clone(); $changed.Description = 'changed by a file'; $changed | Export-FmsPolicy -Path $folder; "
                              + "New-FmsShieldPolicy -Name from-file -ResourceType $alb -Offline -Region $sandbox.Region | Export-FmsPolicy -Path $folder");
            Assert.Equal(2, Directory.GetFiles(_folder, "*.fmspolicy.json").Length);
            // A configuration folder for Import-FmsConfiguration (apps lists only: no policy file for the policy cmdlets to find).
            _sandbox.RunClean("$configFolder = Join-Path $folder 'configuration'; Export-FmsConfiguration -Path $configFolder -Kind AppsList");
            _sandbox.RunClean("$topic = \"arn:aws:sns:us-east-1:$($sandbox.AdminAccountId):fms-alerts\"; $role = \"arn:aws:iam::$($sandbox.AdminAccountId):role/fms-sns\"; "
                              + "Set-FmsNotificationChannel -SnsTopicArn $topic -SnsRoleArn $role");
            var exportFolder = Path.Combine(_folder, "export");
            var reportFile = Path.Combine(_folder, "report.html");
            _sandbox.Set("exportFolder", exportFolder);
            _sandbox.Set("reportFile", reportFile);

            var sandboxCountBefore = SandboxSessions.All().Count;
            // A journal with two recorded versions of the policy, for Restore-FmsPolicy.
            _sandbox.RunClean("Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'journaled change 1'; Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'journaled change 2'");
            Assert.True(Directory.Exists(journal.Folder), "The journaled changes wrote no journal.");
            var rows = _sandbox.Read<FmsComplianceStatus>("$rows = @(Get-FmsComplianceStatus); $nonCompliant = $rows | Where-Object Status -eq NonCompliant | Select-Object -First 1; $rows");
            Assert.Contains(rows, r => r.StatusValue == FmsComplianceState.NonCompliant);
            var connected = _sandbox.Session.Get(FmsConnectedCmdlet.SessionDefaultsVariable);
            Assert.NotNull(connected);

            void SandboxStillAnswers() => Assert.Equal(200, Tests.Sandbox.SigV4TestClient.Admin(_sandbox.Host).CallAsync("GetAdminAccount").GetAwaiter().GetResult().Status);

            string Builder(string cmdlet, string parameters) => $"{cmdlet} -Name whatif-{cmdlet} {parameters}";

            return new Dictionary<string, Case>(StringComparer.Ordinal)
            {
                ["Add-FmsResourceSetResource"] = new Case("Add-FmsResourceSetResource -ResourceSetId $set.Id -Uri $vpc.Replace('0123', '4567')"),
                ["Connect-Fms"] = new Case("$sandbox | Connect-Fms")
                {
                    Session = unconnected,
                    CheckNothingChanged = () => Assert.Null(unconnected.Get(FmsConnectedCmdlet.SessionDefaultsVariable)),
                },
                ["Disconnect-Fms"] = new Case("Disconnect-Fms -StopSandbox")
                {
                    CheckNothingChanged = () =>
                    {
                        Assert.Same(connected, _sandbox.Session.Get(FmsConnectedCmdlet.SessionDefaultsVariable));
                        SandboxStillAnswers();
                    },
                },
                ["Export-FmsComplianceReport"] = new Case("Export-FmsComplianceReport -InputObject $rows -Path $reportFile")
                {
                    CheckNothingChanged = () => Assert.False(File.Exists(reportFile)),
                },
                ["Invoke-FmsRemediation"] = new Case("Invoke-FmsRemediation -PolicyId $nonCompliant.PolicyId -Wait"),
                ["Export-FmsPolicy"] = new Case("Export-FmsPolicy -InputObject $policy -Path $exportFolder")
                {
                    CheckNothingChanged = () => Assert.False(Directory.Exists(exportFolder) && Directory.EnumerateFileSystemEntries(exportFolder).Any()),
                },
                ["Import-FmsPolicy"] = new Case("Import-FmsPolicy -Path $folder"),
                ["Export-FmsConfiguration"] = new Case("Export-FmsConfiguration -Path $exportFolder -Kind Policy")
                {
                    CheckNothingChanged = () => Assert.False(Directory.Exists(exportFolder) && Directory.EnumerateFileSystemEntries(exportFolder).Any()),
                },
                ["Import-FmsConfiguration"] = new Case("Import-FmsConfiguration -Path $configFolder"),
                ["New-FmsDnsFirewallPolicy"] = new Case(Builder("New-FmsDnsFirewallPolicy", "-PreProcessRuleGroup rslvr-frg-0123456789abcdef")),
                ["New-FmsImportNetworkFirewallPolicy"] = new Case(Builder("New-FmsImportNetworkFirewallPolicy", "-ResourceSetId $set.Id -StatefulRuleGroup $stateful")),
                ["New-FmsNetworkAclPolicy"] = new Case(Builder("New-FmsNetworkAclPolicy", "-FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }")),
                ["New-FmsNetworkFirewallPolicy"] = new Case(Builder("New-FmsNetworkFirewallPolicy", "-StatefulRuleGroup $stateful")),
                ["New-FmsSecurityGroupPolicy"] = new Case(Builder("New-FmsSecurityGroupPolicy", "-SecurityGroupId sg-0123456789abcdef0")),
                ["New-FmsShieldPolicy"] = new Case(Builder("New-FmsShieldPolicy", "-ResourceType $alb")),
                ["New-FmsThirdPartyFirewallPolicy"] = new Case(Builder("New-FmsThirdPartyFirewallPolicy", "-Vendor PaloAltoCloudNgfw -FirewallPolicy global-rulestack-prod -AvailabilityZone us-east-1a")),
                ["New-FmsWafClassicPolicy"] = new Case(Builder("New-FmsWafClassicPolicy", "-RuleGroupId a1b2c3d4-5678-90ab-cdef-000000000002 -ResourceType $alb")),
                ["New-FmsWafPolicy"] = new Case(Builder("New-FmsWafPolicy", "-ManagedRuleGroup AWS/AWSManagedRulesCommonRuleSet -ResourceType $alb")),
                ["Restore-FmsPolicy"] = new Case("Restore-FmsPolicy -PolicyId $policy.PolicyId -Version 1 -JournalPath $journal"),
                ["Remove-FmsAdminAccount"] = new Case("Remove-FmsAdminAccount @mgmt"),
                ["Remove-FmsAppsList"] = new Case("Remove-FmsAppsList -ListId $apps.ListId"),
                ["Remove-FmsNotificationChannel"] = new Case("Remove-FmsNotificationChannel"),
                ["Remove-FmsPolicy"] = new Case("Remove-FmsPolicy -PolicyId $policy.PolicyId -DeleteAllPolicyResources"),
                ["Remove-FmsProtocolsList"] = new Case("Remove-FmsProtocolsList -ListId $protocols.ListId"),
                ["Remove-FmsResourceSet"] = new Case("Remove-FmsResourceSet -Id $set.Id"),
                ["Remove-FmsResourceSetResource"] = new Case("Remove-FmsResourceSetResource -ResourceSetId $set.Id -Uri $vpc"),
                ["Remove-FmsTag"] = new Case("Remove-FmsTag -ResourceArn $policy.Arn -Key owner"),
                ["Set-FmsAdminAccount"] = new Case("Set-FmsAdminAccount @mgmt -AccountId $sandbox.AdminAccountId -ScopeRegion us-east-1"),
                ["Set-FmsAppsList"] = new Case("Set-FmsAppsList -Name whatif-apps -App @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 }"),
                ["Set-FmsNotificationChannel"] = new Case("Set-FmsNotificationChannel -SnsTopicArn \"$topic-2\" -SnsRoleArn $role"),
                ["Set-FmsPolicy"] = new Case("Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'what if'"),
                ["Set-FmsProtocolsList"] = new Case("Set-FmsProtocolsList -Name whatif-protocols -Protocol udp"),
                ["Set-FmsResourceSet"] = new Case("Set-FmsResourceSet -Name whatif-set -ResourceType AWS::EC2::Subnet"),
                ["Set-FmsTag"] = new Case("Set-FmsTag -ResourceArn $policy.Arn -Tag @{ env = 'prod' }"),
                ["Start-FmsSandbox"] = new Case("Start-FmsSandbox -Demo")
                {
                    CheckNothingChanged = () => Assert.Equal(sandboxCountBefore, SandboxSessions.All().Count),
                },
                ["Stop-FmsSandbox"] = new Case("Stop-FmsSandbox -InputObject $sandbox") { CheckNothingChanged = SandboxStillAnswers },
                ["Sync-FmsPolicy"] = new Case("Sync-FmsPolicy -Path $folder -DeleteMissing"),
                ["Sync-FmsConfiguration"] = new Case("Sync-FmsConfiguration -Path $configFolder -DeleteMissing"),
            };
        }

        [Fact]
        public void WhatIf_on_every_cmdlet_that_supports_ShouldProcess_makes_no_state_changing_call()
        {
            var mutating = CmdletCatalog.All().Where(c => c.SupportsShouldProcess).ToList();
            using var journal = new JournalEnvironment(_sandbox.Session);
            var unconnected = _sandbox.NewSession(connect: false);
            var cases = Cases(journal, unconnected);
            var missing = mutating.Where(c => !cases.ContainsKey(c.Name)).Select(c => c.Name).ToList();
            Assert.True(missing.Count == 0, "Cmdlets that support -WhatIf without a case here: " + string.Join(", ", missing));

            var failures = new List<string>();
            foreach (var cmdlet in mutating)
            {
                var @case = cases[cmdlet.Name];
                var session = @case.Session ?? _sandbox.Session;
                var mark = _sandbox.Mark;
                var text = session.Host.Text.Length;
                var run = session.Run(@case.Script + " -WhatIf");
                var changing = _sandbox.EntriesSince(mark).Where(e => e.Mutating).Select(e => e.Operation).ToList();
                if (changing.Count > 0) failures.Add($"{cmdlet.Name} -WhatIf made state-changing calls: {string.Join(", ", changing)}");
                if (run.AllErrors().Count > 0)
                    failures.Add($"{cmdlet.Name} -WhatIf failed, so the case does not reach the decision: {string.Join("; ", run.AllErrors().Select(PowerShellResult.Describe))}");
                else if (session.Host.WhatIfLines(text).Count == 0) failures.Add($"{cmdlet.Name} -WhatIf never asked ShouldProcess (no \"What if:\" line).");
                try
                {
                    @case.CheckNothingChanged?.Invoke();
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{cmdlet.Name} -WhatIf changed local state: {e.Message}");
                }
            }
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.True(mutating.Count >= 30, $"Only {mutating.Count} cmdlets declare SupportsShouldProcess; the reflection scan is broken.");
        }
    }
}
