using System;
using System.Collections.Generic;
using System.Linq;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// One invocation per (exported cmdlet, parameter set), run for real against a demo sandbox by
    /// <see cref="EveryCmdletTests"/> and, for the cmdlets that support ShouldProcess, prompted by
    /// <see cref="ConfirmTests"/>. A cmdlet or parameter set without a row fails <see cref="EveryCmdletTests"/>: add
    /// the row with the cmdlet.
    /// </summary>
    public static partial class CmdletCases
    {
        public static readonly IReadOnlyList<CmdletCase> All = FirstRows().Concat(LaterRows()).ToArray();

        /// <summary>Rows from Add- to Restore- (Set- to Watch- are in CmdletCases.Later.cs).</summary>
        private static CmdletCase[] FirstRows() => new[]
        {
            new CmdletCase("Add-FmsResourceSetResource", "__AllParameterSets", "$set | Add-FmsResourceSetResource -Uri " + Vpc)
            {
                Arrange = NewSet, Probe = "($set | Get-FmsResourceSetResource).Uri", ProbeAfterOf = Vpc,
                Verify = "$out.Uri, $out.Succeeded -join ','", ExpectOf = Vpc + ", 'True' -join ','",
            },

            new CmdletCase("Assert-FmsCompliance", "ByName", "Assert-FmsCompliance -PolicyName demo-sg-usage-audit")
            {
                ExpectErrorId = "FmsNotCompliant", Verify = "$err.TargetObject.IsCompliant, $err.TargetObject.ViolatorCount -join ','",
                ExpectOf = $"'False', {Violators("demo-sg-usage-audit")}.Count -join ','",
            },
            new CmdletCase("Assert-FmsCompliance", "ByPolicy", "Get-FmsPolicy -Name demo-waf-baseline | Assert-FmsCompliance -AccountId $account -PassThru")
            {
                Arrange = "$account = @(Get-FmsComplianceStatus -PolicyName demo-waf-baseline -Status Compliant)[0].AccountId",
                Verify = "$out.IsCompliant, $out.Evaluations -join ','", Expect = "True,1",
            },
            new CmdletCase("Assert-FmsCompliance", "ByStatus", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall -Status Compliant | Assert-FmsCompliance -PassThru")
            {
                Verify = "$out.IsCompliant, $out.Evaluations -join ','",
                ExpectOf = "'True', @(Get-FmsComplianceStatus -PolicyName demo-dns-firewall -Status Compliant).Count -join ','",
            },
            new CmdletCase("Assert-FmsCompliance", "ById", "Assert-FmsCompliance -PolicyId $p.PolicyId")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-nacl-baseline", ExpectErrorId = "FmsNotCompliant",
                Verify = "$err.TargetObject.ViolatorCount", ExpectOf = Violators("demo-nacl-baseline") + ".Count",
            },

            new CmdletCase("Compare-FmsConfiguration", "__AllParameterSets", "Compare-FmsConfiguration -Path $dir -Kind AppsList")
            {
                Arrange = "$null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false; $null = Export-FmsConfiguration -Path $dir -Kind AppsList -Confirm:$false; "
                          + "$f = Join-Path $dir 'us-east-1/apps-lists/web-apps.fmsappslist.json'; (Get-Content -Raw $f).Replace('443', '8443') | Set-Content -NoNewline $f",
                Verify = "$out.Change, $out.Field, $out.LiveValue, $out.FolderValue -join ','", Expect = "Changed,apps[https].port,443,8443",
            },
            new CmdletCase("Compare-FmsPolicy", "Deployed", "$p | Compare-FmsPolicy")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-shield-advanced -Detailed; $p.Description = 'edited locally'",
                Verify = "$out.Path, $out.DesiredValue -join ','", Expect = "Description,\"edited locally\"",
            },
            new CmdletCase("Compare-FmsPolicy", "Pair", "Compare-FmsPolicy -ReferencePolicy $a -DifferencePolicy $b -Summary")
            {
                Arrange = "$a = Get-FmsPolicy -Name demo-sg-baseline -Detailed; $b = $a.Clone(); $b.RemediationEnabled = $false",
                Verify = "$out.Status, $out.DifferenceCount -join ','", Expect = "Different,1",
            },

            new CmdletCase("Connect-Fms", "Aws", "Connect-Fms -EndpointUrl $sandbox.Endpoint -AccessKey $sandbox.AccessKeyId -SecretKey $sandbox.SecretAccessKey -Region $sandbox.Region")
            {
                Unconnected = true, Probe = SessionEndpoint, ProbeAfterOf = "$sandbox.Endpoint",
                Verify = "$out.Account, $out.EndpointUrl -join ','", ExpectOf = "'222222222222', $sandbox.Endpoint -join ','",
            },
            new CmdletCase("Connect-Fms", "Sandbox", "Connect-Fms -Sandbox")
            {
                // With no sandbox running, -Sandbox starts a demo sandbox: only once the user agreed.
                ProcessWide = true, Unconnected = true, Arrange = "Stop-FmsSandbox -All -Confirm:$false",
                Probe = SessionEndpoint + "; try { (Get-FmsSandboxRequest -ErrorAction Stop | Select-Object -First 0); 'a sandbox runs' } catch { 'no sandbox' }",
                ProbeAfterOf = "(Get-FmsContext).EndpointUrl + '|a sandbox runs'",
                Verify = "$out.Account, $out.IsSandbox -join ','", Expect = "222222222222,True",
                Cleanup = "Stop-FmsSandbox -All -Confirm:$false",
            },
            new CmdletCase("Connect-Fms", "SandboxObject", "$sandbox | Connect-Fms")
            {
                Unconnected = true, Probe = SessionEndpoint, ProbeAfterOf = "$sandbox.Endpoint",
                Verify = "$out.EndpointUrl, $out.AdminAccount -join ','", ExpectOf = "$sandbox.Endpoint, '222222222222' -join ','",
            },

            new CmdletCase("Disconnect-Fms", "__AllParameterSets", "Disconnect-Fms -PassThru")
            {
                Probe = SessionEndpoint, ProbeAfter = "", Verify = "$out.EndpointUrl", ExpectOf = "$sandbox.Endpoint",
            },

            new CmdletCase("Export-FmsComplianceReport", "ByRows", "Get-FmsComplianceStatus | Export-FmsComplianceReport -Path (Join-Path $dir 'rows.csv')")
            {
                Probe = "Test-Path (Join-Path $dir 'rows.csv')", ProbeAfter = "True",
                Verify = "$out.Format, $out.Rows, @(Import-Csv $out.FullName).Count -join ','",
                ExpectOf = "$n = @(Get-FmsComplianceStatus).Count; 'Csv', $n, $n -join ','",
            },
            new CmdletCase("Export-FmsComplianceReport", "ByReport", "$report | Export-FmsComplianceReport -Path (Join-Path $dir 'report.xml')")
            {
                Arrange = "$report = Get-FmsComplianceReport -AsReport",
                Probe = "Test-Path (Join-Path $dir 'report.xml')", ProbeAfter = "True",
                Verify = "$out.Format, @(([xml](Get-Content -Raw $out.FullName)).SelectNodes('//testcase')).Count -join ','",
                ExpectOf = "'JUnit', $report.RowCount -join ','",
                Cleanup = "if ($report) { $report.Dispose() }",
            },

            new CmdletCase("Export-FmsConfiguration", "__AllParameterSets", "Export-FmsConfiguration -Path $dir -Kind Policy, AppsList")
            {
                Arrange = "$null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false",
                Probe = "@(Get-ChildItem $dir -Recurse -File).Count", ProbeAfterOf = "@(Get-FmsPolicy).Count + 1",
                Verify = "(Import-FmsConfiguration -Path $dir -Kind AppsList).AppsList.Apps.Port, @($out | Where-Object Status -eq 'Written').Count -join ','",
                ExpectOf = "443, (@(Get-FmsPolicy).Count + 1) -join ','",
            },

            new CmdletCase("Export-FmsPolicy", "__AllParameterSets", "Get-FmsPolicy -Name demo-waf-baseline | Export-FmsPolicy -Path $dir")
            {
                Probe = "@(Get-ChildItem $dir -Filter *.fmspolicy.json).Count", ProbeAfter = "1",
                Verify = "(Import-FmsPolicy -Path $out.FullName).Name, $out.PolicyName -join ','", Expect = "demo-waf-baseline,demo-waf-baseline",
            },

            new CmdletCase("Get-FmsAdminAccount", "Default", "Get-FmsAdminAccount")
            {
                Verify = "$out.AccountId, $out.IsDefaultAdmin -join ','", Expect = "222222222222,True",
            },
            new CmdletCase("Get-FmsAdminAccount", "All", "Get-FmsAdminAccount -All -IncludeScope")
            {
                Management = true, Verify = "$out.AccountId, $out.Scope.AllRegions -join ','", Expect = "222222222222,True",
            },

            new CmdletCase("Get-FmsAdminScope", "__AllParameterSets", "$admin | Get-FmsAdminScope")
            {
                Management = true, Arrange = "$admin = Get-FmsAdminAccount -All",
                Verify = "$out.AllAccounts, $out.AllRegions, $out.AllPolicyTypes -join ','", Expect = "True,True,True",
            },

            new CmdletCase("Get-FmsAppsList", "ByName", "Get-FmsAppsList -Name 'FMS-Default-*' -Default")
            {
                Verify = "($out.Name | Sort-Object) -join ','", Expect = "FMS-Default-Apps-List,FMS-Default-Public-Access-Apps-Allowed",
            },
            new CmdletCase("Get-FmsAppsList", "ById", "$list | Get-FmsAppsList")
            {
                Arrange = NewAppsList, Verify = "$out.Name, ($out.ListId -eq $list.ListId), $out.Apps.Count -join ','", Expect = "host-apps,True,1",
            },

            new CmdletCase("Get-FmsChangeHistory", "__AllParameterSets", "Get-FmsChangeHistory -PolicyId $p.PolicyId")
            {
                Arrange = Journaled, Verify = "@($out.Operation) + @($out.After.Description) -join ','", Expect = "CreatePolicy,UpdatePolicy,v1,v2",
            },

            new CmdletCase("Get-FmsComplianceReport", "__AllParameterSets", "Get-FmsComplianceReport")
            {
                Verify = "($out | Measure-Object ViolatorCount -Sum).Sum", ExpectOf = "[FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('us-east-1').Count",
            },

            new CmdletCase("Get-FmsComplianceStatus", "ByName", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall -Status NonCompliant")
            {
                Verify = "($out | Measure-Object ViolatorCount -Sum).Sum", ExpectOf = Violators("demo-dns-firewall") + ".Count",
            },
            new CmdletCase("Get-FmsComplianceStatus", "ByPolicy", "Get-FmsPolicy -Name demo-waf-baseline | Get-FmsComplianceStatus")
            {
                Verify = "($out.PolicyName | Sort-Object -Unique), ($out | Measure-Object ViolatorCount -Sum).Sum -join ','",
                ExpectOf = $"'demo-waf-baseline', {Violators("demo-waf-baseline")}.Count -join ','",
            },
            new CmdletCase("Get-FmsComplianceStatus", "ById", "Get-FmsComplianceStatus -PolicyId $p.PolicyId -NoDetail")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-sg-usage-audit",
                Verify = "($out | Measure-Object ViolatorCount -Sum).Sum, @($out | Where-Object DetailRetrieved).Count -join ','",
                ExpectOf = Violators("demo-sg-usage-audit") + ".Count, 0 -join ','",
            },

            new CmdletCase("Get-FmsContext", "__AllParameterSets", "Get-FmsContext")
            {
                Verify = "$out.Account, $out.EndpointUrl, $out.AdminRoleStatus -join ','", ExpectOf = "'222222222222', $sandbox.Endpoint, 'READY' -join ','",
            },

            new CmdletCase("Get-FmsCostEstimate", "__AllParameterSets", "Get-FmsPolicy -Name demo-waf-baseline | Get-FmsCostEstimate")
            {
                Verify = "($out | Where-Object Level -eq Policy).PolicyName, @($out | Where-Object Level -eq Total).Count -join ','", Expect = "demo-waf-baseline,1",
            },

            new CmdletCase("Get-FmsNotificationChannel", "__AllParameterSets", "Get-FmsNotificationChannel")
            {
                Arrange = SetChannel, Verify = "$out.SnsTopicArn, $out.SnsRoleName -join ','", Expect = TopicArn + "," + RoleArn,
            },

            new CmdletCase("Get-FmsPolicy", "ByName", "Get-FmsPolicy -Name 'demo-sg-*' -Type SecurityGroupsCommon -Detailed")
            {
                Verify = "$out.Name, ($null -ne $out.Settings) -join ','", Expect = "demo-sg-baseline,True",
            },
            new CmdletCase("Get-FmsPolicy", "ById", "$p | Get-FmsPolicy")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-dns-firewall", Verify = "$out.Name, $out.Type, ($null -ne $out.Settings) -join ','", Expect = "demo-dns-firewall,DnsFirewall,True",
            },

            new CmdletCase("Get-FmsProtocolsList", "ByName", "Get-FmsProtocolsList -Name 'host-*'")
            {
                Arrange = "Set-FmsProtocolsList -Name host-protocols -Protocol tcp, udp -Confirm:$false",
                Verify = "$out.Name, ($out.Protocols -join '+') -join ','", Expect = "host-protocols,tcp+udp",
            },
            new CmdletCase("Get-FmsProtocolsList", "ById", "$list | Get-FmsProtocolsList")
            {
                Arrange = NewProtocolsList, Verify = "$out.Name, ($out.ListId -eq $list.ListId) -join ','", Expect = "host-protocols,True",
            },

            new CmdletCase("Get-FmsResourceSet", "ByName", "Get-FmsResourceSet -Name 'host-*'")
            {
                Arrange = NewSet, Verify = "$out.Name, ($out.ResourceTypes -join '+') -join ','", Expect = "host-set,AWS::EC2::VPC",
            },
            new CmdletCase("Get-FmsResourceSet", "ById", "$set | Get-FmsResourceSet")
            {
                Arrange = NewSet, Verify = "$out.Name, ($out.Id -eq $set.Id) -join ','", Expect = "host-set,True",
            },

            new CmdletCase("Get-FmsResourceSetResource", "__AllParameterSets", "$set | Get-FmsResourceSetResource")
            {
                Arrange = NewSetWithVpc, Verify = "$out.Uri, ($out.ResourceSetId -eq $set.Id) -join ','", ExpectOf = Vpc + ", 'True' -join ','",
            },

            new CmdletCase("Get-FmsSandboxRequest", "__AllParameterSets", "$sandbox | Get-FmsSandboxRequest -Operation 'ListPol*'")
            {
                Arrange = "$null = Get-FmsPolicy",
                Verify = "(@($out).Count -ge 1), (@($out.Operation | Sort-Object -Unique) -join '+') -join ','", Expect = "True,ListPolicies",
            },

            new CmdletCase("Get-FmsTag", "__AllParameterSets", "$p | Get-FmsTag")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-waf-baseline; Set-FmsTag -ResourceArn $p.Arn -Tag @{ owner = 'secops' } -Confirm:$false",
                Verify = "($out | Where-Object Key -eq owner).Value, (@($out.ResourceArn | Sort-Object -Unique) -join '+') -join ','", ExpectOf = "'secops', $p.Arn -join ','",
            },

            new CmdletCase("Get-FmsViolation", "ByStatus", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall | Get-FmsViolation")
            {
                Verify = "@($out.ResourceId | Sort-Object) -join ','", ExpectOf = $"@({Violators("demo-dns-firewall")}.ResourceId | Sort-Object) -join ','",
            },
            new CmdletCase("Get-FmsViolation", "ById", "Get-FmsViolation -PolicyId $p.PolicyId -AccountId 510000000002 -IncludeDetail")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-sg-content-audit",
                Verify = "(@($out).Count -gt 0), @($out | Where-Object { -not $_.IsEnriched }).Count -join ','", Expect = "True,0",
            },

            new CmdletCase("Import-FmsConfiguration", "__AllParameterSets", "Import-FmsConfiguration -Path $dir")
            {
                Arrange = "$null = Export-FmsConfiguration -Path $dir -Kind Policy -Confirm:$false",
                Probe = "@($out).Count", ProbeAfterOf = "@(Get-FmsPolicy).Count",
                Verify = "($out.Name | Sort-Object) -join ','", ExpectOf = "(Get-FmsPolicy).Name | Sort-Object | Join-String -Separator ','",
            },

            new CmdletCase("Import-FmsPolicy", "__AllParameterSets", "Import-FmsPolicy -Path $dir")
            {
                Arrange = "$null = Get-FmsPolicy -Name demo-waf-baseline, demo-dns-firewall | Export-FmsPolicy -Path $dir -Confirm:$false",
                Probe = "@($out).Count", ProbeAfter = "2",
                Verify = "($out.Name | Sort-Object) -join ','", Expect = "demo-dns-firewall,demo-waf-baseline",
            },

            new CmdletCase("Invoke-FmsRemediation", "ByPolicy", "Get-FmsPolicy -Name demo-waf-baseline | Invoke-FmsRemediation")
            {
                Arrange = WithoutRemediation, Probe = RemediationProbe, ProbeAfter = "True",
                Verify = "@($out | Where-Object Outcome -in 'Failed', 'Planned').Count, (@($out).Count -gt 0) -join ','", Expect = "0,True",
            },
            new CmdletCase("Invoke-FmsRemediation", "ByViolation", "Get-FmsViolation -PolicyId $p.PolicyId -AccountId $account | Invoke-FmsRemediation")
            {
                Arrange = WithoutRemediation + "; $account = @(Get-FmsComplianceStatus -PolicyName demo-waf-baseline -Status NonCompliant)[0].AccountId",
                Probe = RemediationProbe, ProbeAfter = "True",
                Verify = "@($out | Where-Object Outcome -in 'Failed', 'Planned').Count, @($out | Where-Object { $_.AccountId -and $_.AccountId -ne $account }).Count -join ','", Expect = "0,0",
            },
            new CmdletCase("Invoke-FmsRemediation", "ById", "Invoke-FmsRemediation -PolicyId $p.PolicyId")
            {
                Arrange = WithoutRemediation, Probe = RemediationProbe, ProbeAfter = "True",
                Verify = "@($out | Where-Object Outcome -in 'Failed', 'Planned').Count", Expect = "0",
            },

            Create("New-FmsDnsFirewallPolicy", "__AllParameterSets", "host-dns", "New-FmsDnsFirewallPolicy -Name host-dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef'", "DnsFirewall"),
            Create("New-FmsImportNetworkFirewallPolicy", "__AllParameterSets", "host-import", "New-FmsImportNetworkFirewallPolicy -Name host-import -ResourceSetId $set.Id",
                "ImportNetworkFirewall", arrange: NewSet),
            Create("New-FmsNetworkAclPolicy", "__AllParameterSets", "host-nacl",
                "New-FmsNetworkAclPolicy -Name host-nacl -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }", "NetworkAclCommon"),
            Create("New-FmsNetworkFirewallPolicy", "__AllParameterSets", "host-nfw",
                "New-FmsNetworkFirewallPolicy -Name host-nfw -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -AvailabilityZone us-east-1a", "NetworkFirewall"),
            Create("New-FmsSecurityGroupPolicy", "Common", "host-sg", "New-FmsSecurityGroupPolicy -Name host-sg -SecurityGroupId 'sg-0123456789abcdef0'", "SecurityGroupsCommon"),
            Create("New-FmsSecurityGroupPolicy", "ContentAudit", "host-sg-audit",
                "New-FmsSecurityGroupPolicy -Name host-sg-audit -AuditSecurityGroupId 'sg-0fedcba9876543210' -AuditAction Deny", "SecurityGroupsContentAudit"),
            Create("New-FmsSecurityGroupPolicy", "UsageAudit", "host-sg-usage",
                "New-FmsSecurityGroupPolicy -Name host-sg-usage -UsageAudit -DeleteUnusedSecurityGroup -UnusedDelayMinutes 60", "SecurityGroupsUsageAudit"),
            Create("New-FmsShieldPolicy", "__AllParameterSets", "host-shield", "New-FmsShieldPolicy -Name host-shield -ResourceType AWS::EC2::EIP", "ShieldAdvanced"),
            Create("New-FmsThirdPartyFirewallPolicy", "__AllParameterSets", "host-ngfw",
                "New-FmsThirdPartyFirewallPolicy -Name host-ngfw -Vendor PaloAltoCloudNgfw -FirewallPolicy 'rulestack-1'", "ThirdPartyFirewall"),
            Create("New-FmsWafClassicPolicy", "__AllParameterSets", "host-waf-classic",
                $"New-FmsWafClassicPolicy -Name host-waf-classic -RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -ResourceType {Alb}", "Waf"),
            Create("New-FmsWafPolicy", "__AllParameterSets", "host-waf",
                $"New-FmsWafPolicy -Name host-waf -ResourceType {Alb} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet'", "WafV2"),

            new CmdletCase("Merge-FmsComplianceReport", "ByPath", "Merge-FmsComplianceReport -Path (Join-Path $dir 'a.json'), (Join-Path $dir 'b.json') -OrganizationName Production")
            {
                Arrange = "Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $dir 'a.json') -Force | Out-Null; Copy-Item (Join-Path $dir 'a.json') (Join-Path $dir 'b.json')",
                Verify = "try { ($out.Organizations | ForEach-Object { $_.Id + '=' + $_.Name }) -join ','; $out.Summary.Evaluations } finally { $out.Dispose() }",
                ExpectOf = "'b=b,a=Production'; 2 * @(Get-FmsComplianceStatus).Count",
            },
            new CmdletCase("Merge-FmsComplianceReport", "ByReport", "$first, $second | Merge-FmsComplianceReport -OrganizationId o-aaaaaaaaaa, o-bbbbbbbbbb")
            {
                Arrange = "$first = Get-FmsComplianceReport -AsReport; $second = Get-FmsComplianceReport -AsReport",
                Verify = "try { @($out.Rows | Where-Object OrganizationId -eq 'o-bbbbbbbbbb').Count } finally { $out.Dispose() }",
                ExpectOf = "$second.RowCount",
                Cleanup = "if ($first) { $first.Dispose() }; if ($second) { $second.Dispose() }",
            },

            new CmdletCase("Remove-FmsAdminAccount", "__AllParameterSets", "Remove-FmsAdminAccount -PassThru")
            {
                Management = true, Probe = AdminIds, ProbeAfter = "", Verify = "$out.AccountId", Expect = "222222222222",
            },
            new CmdletCase("Remove-FmsAppsList", "__AllParameterSets", "$list | Remove-FmsAppsList")
            {
                Arrange = NewAppsList, Probe = "@(Get-FmsAppsList -Name host-apps).Count", ProbeAfter = "0",
            },
            new CmdletCase("Remove-FmsNotificationChannel", "__AllParameterSets", "Remove-FmsNotificationChannel -PassThru")
            {
                Arrange = SetChannel, Probe = "(Get-FmsNotificationChannel).IsConfigured", ProbeAfter = "False", Verify = "$out.SnsTopicArn", Expect = TopicArn,
            },
            new CmdletCase("Remove-FmsPolicy", "__AllParameterSets", "$p | Remove-FmsPolicy -PassThru")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-nacl-baseline", Probe = "@(Get-FmsPolicy -Name demo-nacl-baseline).Count", ProbeAfter = "0",
                Verify = "$out.Name, ($out.PolicyId -eq $p.PolicyId) -join ','", Expect = "demo-nacl-baseline,True",
            },
            new CmdletCase("Remove-FmsProtocolsList", "__AllParameterSets", "$list | Remove-FmsProtocolsList")
            {
                Arrange = NewProtocolsList, Probe = "@(Get-FmsProtocolsList -Name host-protocols).Count", ProbeAfter = "0",
            },
            new CmdletCase("Remove-FmsResourceSet", "__AllParameterSets", "$set | Remove-FmsResourceSet")
            {
                Arrange = NewSet, Probe = "@(Get-FmsResourceSet -Name host-set).Count", ProbeAfter = "0",
            },
            new CmdletCase("Remove-FmsResourceSetResource", "__AllParameterSets", "$set | Get-FmsResourceSetResource | Remove-FmsResourceSetResource")
            {
                Arrange = NewSetWithVpc, Probe = "@($set | Get-FmsResourceSetResource).Count", ProbeAfter = "0",
                Verify = "$out.Uri, $out.Action, $out.Succeeded -join ','", ExpectOf = Vpc + ", 'Disassociate', 'True' -join ','",
            },
            new CmdletCase("Remove-FmsTag", "__AllParameterSets", "Get-FmsTag -ResourceArn $p.Arn | Where-Object Key -eq owner | Remove-FmsTag")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-waf-baseline; Set-FmsTag -ResourceArn $p.Arn -Tag @{ owner = 'secops'; stage = 'prod' } -Confirm:$false",
                Probe = "(Get-FmsTag -ResourceArn $p.Arn | Where-Object Key -in owner, stage | Sort-Object Key).Key", ProbeAfter = "stage",
            },

            new CmdletCase("Restore-FmsPolicy", "Entry", "Get-FmsChangeHistory -PolicyId $p.PolicyId -Operation CreatePolicy | Restore-FmsPolicy")
            {
                Arrange = Journaled, Probe = "(Get-FmsPolicy -PolicyId $p.PolicyId).Description", ProbeAfter = "v1",
            },
            new CmdletCase("Restore-FmsPolicy", "Version", "Restore-FmsPolicy -PolicyId $p.PolicyId -Version 1 -PassThru")
            {
                Arrange = Journaled, Probe = "(Get-FmsPolicy -PolicyId $p.PolicyId).Description", ProbeAfter = "v1",
                Verify = "($out.PolicyId -eq $p.PolicyId), $out.Description -join ','", Expect = "True,v1",
            },
            new CmdletCase("Restore-FmsPolicy", "AsOf", "Restore-FmsPolicy -PolicyId $p.PolicyId -AsOf $created")
            {
                Arrange = Journaled + "; $created = (Get-FmsChangeHistory -PolicyId $p.PolicyId -Operation CreatePolicy).Time",
                Probe = "(Get-FmsPolicy -PolicyId $p.PolicyId).Description", ProbeAfter = "v1",
            },
        };

        /// <summary>The case of a (cmdlet, parameter set) key.</summary>
        public static CmdletCase Find(string key) => All.Single(c => c.Key == key);

        public static IEnumerable<object[]> Keys(Func<CmdletCase, bool> which) => All.Where(which).Select(c => new object[] { c.Key });
    }
}
