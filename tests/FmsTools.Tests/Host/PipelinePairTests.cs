using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using FmsTools.Tests.Contract;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>One declared producer → consumer pair (<see cref="PipelineTable"/>), as a pipeline a user would type.</summary>
    public sealed class PipelineCase
    {
        public PipelineCase(string producer, string consumer, string pipeline)
        {
            Producer = producer;
            Consumer = consumer;
            Pipeline = pipeline;
        }

        public string Producer { get; }
        public string Consumer { get; }

        /// <summary>Exactly <c>Producer ... | Consumer ...</c>: the consumer's input comes from the producer.</summary>
        public string Pipeline { get; }

        public string? Arrange { get; init; }

        /// <summary>A script over the pipeline's output (<c>$out</c>) or error (<c>$err</c>) and the state after it.</summary>
        public string Verify { get; init; } = "";

        public string? Expect { get; init; }
        public string? ExpectOf { get; init; }
        public string? ExpectErrorId { get; init; }
        public bool Management { get; init; }
        public bool Unconnected { get; init; }
        public bool ProcessWide { get; init; }
        public string? Cleanup { get; init; }

        public string Key => Producer + " | " + Consumer;

        public override string ToString() => Key;
    }

    /// <summary>
    /// Every declared pipeline pair is run in a real runspace against a demo sandbox of its own, as
    /// <c>Producer ... | Consumer ...</c>, and must produce the consumer's effect or output (read back afterwards).
    /// </summary>
    public sealed class PipelinePairTests
    {
        private const string Vpc = "'arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0'";
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string TopicArn = "arn:aws:sns:us-east-1:222222222222:fms-alerts";
        private const string NewAppsList = "$list = Set-FmsAppsList -Name host-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru -Confirm:$false";
        private const string NewProtocolsList = "$list = Set-FmsProtocolsList -Name host-protocols -Protocol tcp -PassThru -Confirm:$false";
        private const string NewSet = "$set = Set-FmsResourceSet -Name host-set -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false";
        private const string NewSetWithVpc = NewSet + "; $null = $set | Add-FmsResourceSetResource -Uri " + Vpc + " -Confirm:$false";
        private const string Journaled = "$null = New-FmsShieldPolicy -Name host-restore -ResourceType AWS::EC2::EIP -Description v1 -Confirm:$false; "
                                         + "$p = Get-FmsPolicy -Name host-restore; Set-FmsPolicy -PolicyId $p.PolicyId -Description v2 -Confirm:$false";
        private const string WithoutRemediation = "$p = Get-FmsPolicy -Name demo-waf-baseline; Set-FmsPolicy -PolicyId $p.PolicyId -RemediationEnabled:$false -Confirm:$false";
        private const string EditedInFile = "$p = Get-FmsPolicy -Name demo-waf-baseline -Detailed; $p.Description = 'from git'; $null = $p | Export-FmsPolicy -Path $dir -Confirm:$false";
        private const string Health = "try { $null = Invoke-RestMethod ($out.Endpoint + '/_sandbox/health') -TimeoutSec 10; 'running' } catch { 'stopped' }";

        private static string Violators(string policy) => $"[FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('{policy}', 'us-east-1')";

        private static string TagOf(string arn, string key) => $"(Get-FmsTag -ResourceArn {arn} | Where-Object Key -eq {key}).Value";

        /// <summary>The New-Fms*Policy builders, offline (what policy as code pipes on), with the type they build.</summary>
        private static readonly (string Cmdlet, string Offline, string Type, string? Arrange)[] Builders =
        {
            ("New-FmsDnsFirewallPolicy", "New-FmsDnsFirewallPolicy -Name pipe-policy -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline", "DnsFirewall", null),
            ("New-FmsImportNetworkFirewallPolicy", "New-FmsImportNetworkFirewallPolicy -Name pipe-policy -ResourceSetId $set.Id -Offline", "ImportNetworkFirewall", NewSet),
            ("New-FmsNetworkAclPolicy", "New-FmsNetworkAclPolicy -Name pipe-policy -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 } -Offline", "NetworkAclCommon", null),
            ("New-FmsNetworkFirewallPolicy", "New-FmsNetworkFirewallPolicy -Name pipe-policy -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -AvailabilityZone us-east-1a -Offline", "NetworkFirewall", null),
            ("New-FmsSecurityGroupPolicy", "New-FmsSecurityGroupPolicy -Name pipe-policy -SecurityGroupId 'sg-0123456789abcdef0' -Offline", "SecurityGroupsCommon", null),
            ("New-FmsShieldPolicy", "New-FmsShieldPolicy -Name pipe-policy -ResourceType AWS::EC2::EIP -Offline", "ShieldAdvanced", null),
            ("New-FmsThirdPartyFirewallPolicy", "New-FmsThirdPartyFirewallPolicy -Name pipe-policy -Vendor PaloAltoCloudNgfw -FirewallPolicy 'rulestack-1' -Offline", "ThirdPartyFirewall", null),
            ("New-FmsWafClassicPolicy", $"New-FmsWafClassicPolicy -Name pipe-policy -RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -ResourceType {Alb} -Offline", "Waf", null),
            ("New-FmsWafPolicy", $"New-FmsWafPolicy -Name pipe-policy -ResourceType {Alb} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Offline", "WafV2", null),
        };

        private static IEnumerable<PipelineCase> BuilderCases()
        {
            foreach (var (cmdlet, offline, type, arrange) in Builders)
            {
                yield return new PipelineCase(cmdlet, "Set-FmsPolicy", offline + " | Set-FmsPolicy -PassThru -Confirm:$false")
                {
                    Arrange = arrange, Verify = "$d = Get-FmsPolicy -Name pipe-policy; $d.Type; $out.PolicyId -eq $d.PolicyId", Expect = type + "|True",
                };
                yield return new PipelineCase(cmdlet, "Export-FmsPolicy", offline + " | Export-FmsPolicy -Path $dir -Confirm:$false")
                {
                    Arrange = arrange, Verify = "$f = Import-FmsPolicy -Path $out.FullName; $f.Name; $f.Type; $null -eq $f.PolicyId", Expect = "pipe-policy|" + type + "|True",
                };
                yield return new PipelineCase(cmdlet, "Test-FmsPolicy", offline + " | Test-FmsPolicy -Quiet")
                {
                    Arrange = arrange, Verify = "$out", Expect = "True",
                };
            }
        }

        public static readonly IReadOnlyList<PipelineCase> All = new[]
        {
            new PipelineCase("Get-FmsAppsList", "Set-FmsAppsList", "Get-FmsAppsList -Name host-apps | Set-FmsAppsList -Tag @{ team = 'net' } -PassThru -Confirm:$false")
            {
                Arrange = NewAppsList, Verify = TagOf("$list.Arn", "team") + "; $out.ListId -eq $list.ListId", Expect = "net|True",
            },
            new PipelineCase("Get-FmsAppsList", "Remove-FmsAppsList", "Get-FmsAppsList -Name host-apps | Remove-FmsAppsList -Force")
            {
                Arrange = NewAppsList, Verify = "@(Get-FmsAppsList -Name host-apps).Count", Expect = "0",
            },
            new PipelineCase("Get-FmsAppsList", "Get-FmsTag", "Get-FmsAppsList -Name host-apps | Get-FmsTag")
            {
                Arrange = NewAppsList.Replace("-PassThru", "-Tag @{ owner = 'netops' } -PassThru"), Verify = "$out.Key, $out.Value -join ','", Expect = "owner,netops",
            },
            new PipelineCase("Get-FmsProtocolsList", "Set-FmsProtocolsList", "Get-FmsProtocolsList -Name host-protocols | Set-FmsProtocolsList -Tag @{ team = 'net' } -PassThru -Confirm:$false")
            {
                Arrange = NewProtocolsList, Verify = TagOf("$list.Arn", "team") + "; $out.ListId -eq $list.ListId", Expect = "net|True",
            },
            new PipelineCase("Get-FmsProtocolsList", "Remove-FmsProtocolsList", "Get-FmsProtocolsList -Name host-protocols | Remove-FmsProtocolsList -Force")
            {
                Arrange = NewProtocolsList, Verify = "@(Get-FmsProtocolsList -Name host-protocols).Count", Expect = "0",
            },
            new PipelineCase("Get-FmsProtocolsList", "Get-FmsTag", "Get-FmsProtocolsList -Name host-protocols | Get-FmsTag")
            {
                Arrange = NewProtocolsList.Replace("-PassThru", "-Tag @{ owner = 'netops' } -PassThru"), Verify = "$out.Key, $out.Value -join ','", Expect = "owner,netops",
            },
            new PipelineCase("Get-FmsResourceSet", "Set-FmsResourceSet", "Get-FmsResourceSet -Name host-set | Set-FmsResourceSet -Tag @{ team = 'net' } -PassThru -Confirm:$false")
            {
                Arrange = NewSet, Verify = TagOf("$set.Arn", "team") + "; $out.Id -eq $set.Id", Expect = "net|True",
            },
            new PipelineCase("Get-FmsResourceSet", "Remove-FmsResourceSet", "Get-FmsResourceSet -Name host-set | Remove-FmsResourceSet -Force")
            {
                Arrange = NewSet, Verify = "@(Get-FmsResourceSet -Name host-set).Count", Expect = "0",
            },
            new PipelineCase("Get-FmsResourceSet", "Get-FmsResourceSetResource", "Get-FmsResourceSet -Name host-set | Get-FmsResourceSetResource")
            {
                Arrange = NewSetWithVpc, Verify = "$out.Uri", ExpectOf = Vpc,
            },
            new PipelineCase("Get-FmsResourceSet", "Get-FmsTag", "Get-FmsResourceSet -Name host-set | Get-FmsTag")
            {
                Arrange = NewSet.Replace("-PassThru", "-Tag @{ owner = 'netops' } -PassThru"), Verify = "$out.Key, $out.Value -join ','", Expect = "owner,netops",
            },
            new PipelineCase("Get-FmsResourceSetResource", "Remove-FmsResourceSetResource", "Get-FmsResourceSetResource -ResourceSetId $set.Id | Remove-FmsResourceSetResource -Confirm:$false")
            {
                Arrange = NewSetWithVpc, Verify = "@($set | Get-FmsResourceSetResource).Count; $out.Succeeded", Expect = "0|True",
            },
            new PipelineCase("Get-FmsResourceSetResource", "Add-FmsResourceSetResource", "Get-FmsResourceSetResource -ResourceSetId $set.Id | Add-FmsResourceSetResource -ResourceSetId $other.Id -Confirm:$false")
            {
                Arrange = NewSetWithVpc + "; $other = Set-FmsResourceSet -Name host-other -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false",
                Verify = "($other | Get-FmsResourceSetResource).Uri", ExpectOf = Vpc,
            },
            new PipelineCase("Get-FmsAdminAccount", "Get-FmsAdminScope", "Get-FmsAdminAccount -All | Get-FmsAdminScope")
            {
                Management = true, Verify = "@($out).Count; $out.AllAccounts; $out.AllPolicyTypes", Expect = "1|True|True",
            },
            new PipelineCase("Get-FmsTag", "Remove-FmsTag", "Get-FmsTag -ResourceArn $list.Arn | Remove-FmsTag -Confirm:$false")
            {
                Arrange = NewAppsList.Replace("-PassThru", "-Tag @{ owner = 'netops'; stage = 'prod' } -PassThru"), Verify = "@(Get-FmsTag -ResourceArn $list.Arn).Count", Expect = "0",
            },
            new PipelineCase("Get-FmsTag", "Set-FmsTag", "Get-FmsTag -ResourceArn $list.Arn | Set-FmsTag -Tag @{ reviewed = 'yes' } -Confirm:$false")
            {
                Arrange = NewAppsList.Replace("-PassThru", "-Tag @{ owner = 'netops' } -PassThru"),
                Verify = "(Get-FmsTag -ResourceArn $list.Arn | Sort-Object Key | ForEach-Object { $_.Key + '=' + $_.Value }) -join ','", Expect = "owner=netops,reviewed=yes",
            },
            new PipelineCase("Get-FmsNotificationChannel", "Set-FmsNotificationChannel", "Get-FmsNotificationChannel | Set-FmsNotificationChannel -PassThru -Confirm:$false")
            {
                Arrange = $"Set-FmsNotificationChannel -SnsTopicArn '{TopicArn}' -SnsRoleArn 'arn:aws:iam::222222222222:role/fms-sns' -Confirm:$false",
                Verify = "$out.SnsTopicArn; @($sandbox | Get-FmsSandboxRequest -Operation PutNotificationChannel).Count", Expect = TopicArn + "|2",
            },
            new PipelineCase("Get-FmsPolicy", "Set-FmsPolicy", "Get-FmsPolicy -Name demo-waf-baseline | Set-FmsPolicy -Description reviewed -Confirm:$false")
            {
                Verify = "(Get-FmsPolicy -Name demo-waf-baseline -Detailed).Description", Expect = "reviewed",
            },
            new PipelineCase("Get-FmsPolicy", "Remove-FmsPolicy", "Get-FmsPolicy -Name demo-nacl-baseline | Remove-FmsPolicy -Force")
            {
                Verify = "@(Get-FmsPolicy -Name demo-nacl-baseline).Count; @(Get-FmsPolicy).Count", Expect = "0|8",
            },
            new PipelineCase("Get-FmsPolicy", "Export-FmsPolicy", "Get-FmsPolicy | Export-FmsPolicy -Path $dir -Confirm:$false")
            {
                Verify = "(Import-FmsPolicy -Path $dir | Sort-Object Name).Name -join ','", ExpectOf = "(Get-FmsPolicy | Sort-Object Name).Name -join ','",
            },
            new PipelineCase("Get-FmsPolicy", "Test-FmsPolicy", "Get-FmsPolicy | Test-FmsPolicy -Quiet")
            {
                Verify = "$out", Expect = "True",
            },
            new PipelineCase("Get-FmsPolicy", "Compare-FmsPolicy", "Get-FmsPolicy | Compare-FmsPolicy -Summary")
            {
                Verify = "@($out.Status | Sort-Object -Unique) -join ','; @($out).Count", ExpectOf = "'Equal'; @(Get-FmsPolicy).Count",
            },
            new PipelineCase("Get-FmsPolicy", "Get-FmsTag", "Get-FmsPolicy -Name demo-waf-baseline | Get-FmsTag")
            {
                Arrange = "Set-FmsTag -ResourceArn (Get-FmsPolicy -Name demo-waf-baseline).Arn -Tag @{ owner = 'secops' } -Confirm:$false",
                Verify = "($out | Where-Object Key -eq owner).Value", Expect = "secops",
            },
            new PipelineCase("Import-FmsPolicy", "Set-FmsPolicy", "Import-FmsPolicy -Path $dir | Set-FmsPolicy -Confirm:$false")
            {
                Arrange = EditedInFile, Verify = "(Get-FmsPolicy -Name demo-waf-baseline -Detailed).Description", Expect = "from git",
            },
            new PipelineCase("Import-FmsPolicy", "Test-FmsPolicy", "Import-FmsPolicy -Path $dir | Test-FmsPolicy -Quiet")
            {
                Arrange = EditedInFile, Verify = "$out", Expect = "True",
            },
            new PipelineCase("Import-FmsPolicy", "Compare-FmsPolicy", "Import-FmsPolicy -Path $dir | Compare-FmsPolicy")
            {
                Arrange = EditedInFile, Verify = "$out.PolicyName; $out.Path; $out.DesiredValue", Expect = "demo-waf-baseline|Description|\"from git\"",
            },
            new PipelineCase("Export-FmsPolicy", "Import-FmsPolicy", "Export-FmsPolicy -InputObject $p -Path $dir -Confirm:$false | Import-FmsPolicy")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-dns-firewall", Verify = "$out.Name; $out.PolicyId -eq $p.PolicyId; $null -ne $out.Settings", Expect = "demo-dns-firewall|True|True",
            },
            new PipelineCase("Export-FmsPolicy", "Test-FmsPolicy", "Export-FmsPolicy -InputObject $p -Path $dir -Confirm:$false | Test-FmsPolicy -Quiet")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-dns-firewall", Verify = "$out", Expect = "True",
            },
            new PipelineCase("Set-FmsPolicy", "Export-FmsPolicy", "Set-FmsPolicy -PolicyId $p.PolicyId -Description exported -PassThru -Confirm:$false | Export-FmsPolicy -Path $dir -Confirm:$false")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-dns-firewall", Verify = "(Import-FmsPolicy -Path $out.FullName).Description", Expect = "exported",
            },
            new PipelineCase("Start-FmsSandbox", "Connect-Fms", "Start-FmsSandbox -AccountCount 2 -ResourcesPerAccount 2 | Connect-Fms")
            {
                ProcessWide = true, Unconnected = true, Verify = "$out.IsSandbox; (Get-FmsContext).EndpointUrl -eq $out.EndpointUrl; @(Get-FmsPolicy).Count", Expect = "True|True|0",
                Cleanup = "Stop-FmsSandbox -Confirm:$false",
            },
            new PipelineCase("Start-FmsSandbox", "Stop-FmsSandbox", "Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1 | Stop-FmsSandbox -PassThru -Confirm:$false")
            {
                ProcessWide = true, Verify = Health, Expect = "stopped",
            },
            new PipelineCase("Start-FmsSandbox", "Get-FmsSandboxRequest", "Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1 | Get-FmsSandboxRequest")
            {
                // A sandbox just started has answered nothing yet.
                ProcessWide = true, Verify = "@($out).Count", Expect = "0", Cleanup = "Stop-FmsSandbox -Confirm:$false",
            },
            new PipelineCase("Get-FmsPolicy", "Get-FmsComplianceStatus", "Get-FmsPolicy -Name demo-dns-firewall | Get-FmsComplianceStatus")
            {
                Verify = "($out | Measure-Object ViolatorCount -Sum).Sum", ExpectOf = Violators("demo-dns-firewall") + ".Count",
            },
            new PipelineCase("Get-FmsPolicy", "Get-FmsComplianceReport", "Get-FmsPolicy -Name demo-sg-usage-audit | Get-FmsComplianceReport")
            {
                Verify = "@($out.PolicyName | Sort-Object -Unique) -join ','; ($out | Measure-Object ViolatorCount -Sum).Sum",
                ExpectOf = "'demo-sg-usage-audit'; " + Violators("demo-sg-usage-audit") + ".Count",
            },
            new PipelineCase("Get-FmsPolicy", "Invoke-FmsRemediation", "Get-FmsPolicy -Name demo-waf-baseline | Invoke-FmsRemediation -Force")
            {
                Arrange = WithoutRemediation, Verify = "(Get-FmsPolicy -PolicyId $p.PolicyId).RemediationEnabled; @($out | Where-Object Outcome -in 'Failed', 'Planned').Count", Expect = "True|0",
            },
            new PipelineCase("Get-FmsPolicy", "Test-FmsCompliance", "Get-FmsPolicy -Name demo-sg-usage-audit | Test-FmsCompliance")
            {
                Verify = "$out.IsCompliant; $out.ViolatorCount", ExpectOf = "$false; " + Violators("demo-sg-usage-audit") + ".Count",
            },
            new PipelineCase("Get-FmsPolicy", "Assert-FmsCompliance", "Get-FmsPolicy -Name demo-sg-usage-audit | Assert-FmsCompliance")
            {
                ExpectErrorId = "FmsNotCompliant", Verify = "$err.TargetObject.ViolatorCount", ExpectOf = Violators("demo-sg-usage-audit") + ".Count",
            },
            new PipelineCase("Get-FmsComplianceStatus", "Get-FmsViolation", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall | Get-FmsViolation")
            {
                Verify = "@($out.ResourceId | Sort-Object) -join ','", ExpectOf = $"@({Violators("demo-dns-firewall")}.ResourceId | Sort-Object) -join ','",
            },
            new PipelineCase("Get-FmsComplianceStatus", "Export-FmsComplianceReport", "Get-FmsComplianceStatus | Export-FmsComplianceReport -Path (Join-Path $dir 'rows.json') -Confirm:$false")
            {
                Verify = "$out.Format; $out.Violators", ExpectOf = "'Json'; [FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('us-east-1').Count",
            },
            new PipelineCase("Get-FmsComplianceStatus", "Test-FmsCompliance", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall | Test-FmsCompliance")
            {
                Verify = "$out.IsCompliant; $out.ViolatorCount", ExpectOf = "$false; " + Violators("demo-dns-firewall") + ".Count",
            },
            new PipelineCase("Get-FmsComplianceStatus", "Assert-FmsCompliance", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall | Assert-FmsCompliance")
            {
                ExpectErrorId = "FmsNotCompliant", Verify = "$err.TargetObject.ViolatorCount", ExpectOf = Violators("demo-dns-firewall") + ".Count",
            },
            new PipelineCase("Get-FmsViolation", "Invoke-FmsRemediation", "Get-FmsViolation -PolicyId $p.PolicyId -AccountId $account | Invoke-FmsRemediation -Force")
            {
                Arrange = WithoutRemediation + "; $account = @(Get-FmsComplianceStatus -PolicyName demo-waf-baseline -Status NonCompliant)[0].AccountId",
                Verify = "(Get-FmsPolicy -PolicyId $p.PolicyId).RemediationEnabled; @($out | Where-Object { $_.AccountId -and $_.AccountId -ne $account }).Count", Expect = "True|0",
            },
            new PipelineCase("Get-FmsComplianceReport", "Export-FmsComplianceReport", "Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $dir 'report.html') -Confirm:$false")
            {
                Verify = "$out.Format; $out.Violators; (Get-Content -Raw $out.FullName) -match '<html'",
                ExpectOf = "'Html'; [FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('us-east-1').Count; $true",
            },
            new PipelineCase("Get-FmsChangeHistory", "Restore-FmsPolicy", "Get-FmsChangeHistory -PolicyId $p.PolicyId -Operation CreatePolicy | Restore-FmsPolicy -Confirm:$false")
            {
                Arrange = Journaled, Verify = "(Get-FmsPolicy -PolicyId $p.PolicyId).Description", Expect = "v1",
            },
            new PipelineCase("Get-FmsPolicy", "Get-FmsChangeHistory", "Get-FmsPolicy -Name host-restore | Get-FmsChangeHistory")
            {
                Arrange = Journaled, Verify = "$out.Operation", Expect = "CreatePolicy|UpdatePolicy",
            },
            new PipelineCase("Get-FmsPolicy", "Get-FmsCostEstimate", "Get-FmsPolicy -Name demo-waf-baseline, demo-network-firewall | Get-FmsCostEstimate")
            {
                Verify = "($out | Where-Object Level -eq Policy | Sort-Object PolicyName).PolicyName; @($out | Where-Object Level -eq Total).Count",
                Expect = "demo-network-firewall|demo-waf-baseline|1",
            },
            new PipelineCase("New-FmsWafPolicy", "Get-FmsCostEstimate",
                $"New-FmsWafPolicy -Name pipe-policy -ResourceType {Alb} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -IncludeAccount 310000000001, 310000000002 -Offline | Get-FmsCostEstimate -Offline")
            {
                Verify = "($out | Where-Object Level -eq Policy).PolicyName; ($out | Where-Object Level -eq Policy).Accounts", Expect = "pipe-policy|2",
            },
            new PipelineCase("New-FmsNetworkFirewallPolicy", "Get-FmsCostEstimate",
                "New-FmsNetworkFirewallPolicy -Name pipe-policy -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -Offline | Get-FmsCostEstimate -Offline -AccountCount 4")
            {
                Verify = "($out | Where-Object Level -eq Policy).PolicyName; ($out | Where-Object Level -eq Policy).Accounts", Expect = "pipe-policy|4",
            },
        }.Concat(BuilderCases()).ToList();

        public static IEnumerable<object[]> Cases => All.Where(c => !c.ProcessWide).Select(c => new object[] { c.Key });

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_pair_runs_as_a_pipeline_and_the_consumer_does_its_work(string key) => Run(key);

        [Fact]
        public void Every_declared_pair_has_exactly_one_case_that_is_that_pipeline()
        {
            var declared = PipelineTable.Pairs.Select(p => p.Producer + " | " + p.Consumer).ToList();
            var keys = All.Select(c => c.Key).ToList();
            Assert.Empty(declared.Except(keys));
            Assert.Empty(keys.Except(declared));
            Assert.Empty(keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key));
            foreach (var c in All)
            {
                var ast = Parser.ParseInput(c.Pipeline, out _, out var errors);
                Assert.Empty(errors);
                var pipeline = Assert.IsType<PipelineAst>(Assert.Single(ast.EndBlock.Statements));
                Assert.Equal(2, pipeline.PipelineElements.Count);
                Assert.Equal(c.Producer, Assert.IsType<CommandAst>(pipeline.PipelineElements[0]).GetCommandName());
                Assert.Equal(c.Consumer, Assert.IsType<CommandAst>(pipeline.PipelineElements[1]).GetCommandName());
            }
        }

        internal static void Run(string key)
        {
            var c = All.Single(p => p.Key == key);
            using var env = new SandboxRunspace(c.Management, connect: !c.Unconnected);
            try
            {
                env.Session.Set("out", Array.Empty<object>());
                if (c.Arrange != null) CmdletCaseRunner.Evaluate(env, c.Arrange);
                var result = env.Run(c.Pipeline);
                if (c.ExpectErrorId != null)
                {
                    Assert.StartsWith(c.ExpectErrorId + ",", result.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
                    env.Session.Set("err", result.Error);
                }
                else
                {
                    result.ShouldSucceed();
                }
                Assert.Empty(env.Host.Prompts);
                CmdletCaseRunner.OutputIsDeclared(CmdletFacts.Of(c.Consumer), result);
                env.Session.Set("out", result.Output.ToArray());
                var actual = CmdletCaseRunner.Evaluate(env, c.Verify);
                var expected = c.Expect ?? CmdletCaseRunner.Evaluate(env, c.ExpectOf ?? throw new InvalidOperationException(key + " has no expectation."));
                Assert.Equal(expected, actual);
            }
            finally
            {
                if (c.Cleanup != null) env.Run(c.Cleanup);
            }
        }
    }

    /// <summary>The pairs that start or stop sandboxes of the process, alone.</summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class ProcessWidePipelinePairTests
    {
        public static IEnumerable<object[]> Cases => PipelinePairTests.All.Where(c => c.ProcessWide).Select(c => new object[] { c.Key });

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_pair_runs_as_a_pipeline_and_the_consumer_does_its_work(string key) => PipelinePairTests.Run(key);
    }
}
