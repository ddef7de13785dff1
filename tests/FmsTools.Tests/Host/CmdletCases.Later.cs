namespace FmsTools.Tests.Host
{
    public static partial class CmdletCases
    {
        /// <summary>Rows from Set- to Watch- (Add- to Restore- are in CmdletCases.cs).</summary>
        private static CmdletCase[] LaterRows() => new[]
        {
            new CmdletCase("Set-FmsAdminAccount", "Default", "Set-FmsAdminAccount -AccountId 610000000001 -PassThru")
            {
                Management = true, Arrange = "Remove-FmsAdminAccount -Force",
                Probe = "@(Get-FmsAdminAccount -All | Where-Object IsDefaultAdmin).AccountId", ProbeAfter = "610000000001",
                Verify = "$out.AccountId", Expect = "610000000001",
            },
            new CmdletCase("Set-FmsAdminAccount", "Scoped", "Set-FmsAdminAccount -AccountId 410000000003 -Scope $scope")
            {
                Management = true, Arrange = "$scope = Get-FmsAdminAccount -All | Get-FmsAdminScope; $scope.AllRegions = $false; $scope.Regions.Add('eu-west-1')",
                Probe = AdminIds + " -join '+'; (Get-FmsAdminAccount -All -IncludeScope | Where-Object AccountId -eq 410000000003).ScopeSummary",
                ProbeAfter = "222222222222+410000000003|all accounts; all OUs; eu-west-1; all policy types",
            },
            new CmdletCase("Set-FmsAdminAccount", "ScopeParameters", "Set-FmsAdminAccount -AccountId 410000000003 -ScopeRegion us-east-1 -ScopePolicyType WAFV2")
            {
                Management = true,
                Probe = AdminIds + " -join '+'; (Get-FmsAdminAccount -All -IncludeScope | Where-Object AccountId -eq 410000000003).ScopeSummary",
                ProbeAfter = "222222222222+410000000003|all accounts; all OUs; us-east-1; WAFV2",
            },

            new CmdletCase("Set-FmsAppsList", "Properties", "Set-FmsAppsList -Name host-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 }")
            {
                Probe = "(Get-FmsAppsList -Name host-apps).Apps.Name -join '+'", ProbeAfter = "https+ssh",
            },
            new CmdletCase("Set-FmsAppsList", "InputObject", "$list | Set-FmsAppsList -PassThru")
            {
                Arrange = NewAppsList + "; $list.Apps.Add([FmsTools.Engine.Administration.FmsApp]::new('ssh', 'tcp', 22))",
                Probe = "(Get-FmsAppsList -Name host-apps).Apps.Name -join '+'", ProbeAfter = "https+ssh",
                Verify = "($out.ListId -eq $list.ListId), $out.Apps.Count -join ','", Expect = "True,2",
            },

            new CmdletCase("Set-FmsNotificationChannel", "__AllParameterSets", $"Set-FmsNotificationChannel -SnsTopicArn '{TopicArn}' -SnsRoleArn '{RoleArn}'")
            {
                Probe = "(Get-FmsNotificationChannel).SnsTopicArn", ProbeAfter = TopicArn,
            },

            new CmdletCase("Set-FmsPolicy", "InputObject", "Get-FmsPolicy -Name demo-waf-baseline | Set-FmsPolicy -Description reviewed -PassThru")
            {
                Probe = "(Get-FmsPolicy -Name demo-waf-baseline -Detailed).Description", ProbeAfter = "reviewed",
                Verify = "$out.Name, $out.Description -join ','", Expect = "demo-waf-baseline,reviewed",
            },
            new CmdletCase("Set-FmsPolicy", "ById", "Set-FmsPolicy -PolicyId $p.PolicyId -RemediationEnabled:$false")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-dns-firewall", Probe = "(Get-FmsPolicy -PolicyId $p.PolicyId).RemediationEnabled", ProbeAfter = "False",
            },

            new CmdletCase("Set-FmsProtocolsList", "Properties", "Set-FmsProtocolsList -Name host-protocols -Protocol tcp, udp")
            {
                Probe = "(Get-FmsProtocolsList -Name host-protocols).Protocols -join '+'", ProbeAfter = "tcp+udp",
            },
            new CmdletCase("Set-FmsProtocolsList", "InputObject", "$list | Set-FmsProtocolsList")
            {
                Arrange = NewProtocolsList + "; $list.Protocols.Add('udp')",
                Probe = "(Get-FmsProtocolsList -Name host-protocols).Protocols -join '+'", ProbeAfter = "tcp+udp",
            },

            new CmdletCase("Set-FmsResourceSet", "Properties", "Set-FmsResourceSet -Name host-set -ResourceType AWS::EC2::VPC -Description vpcs")
            {
                Probe = "$s = Get-FmsResourceSet -Name host-set; $s.ResourceTypes -join '+'; $s.Description", ProbeAfter = "AWS::EC2::VPC|vpcs",
            },
            new CmdletCase("Set-FmsResourceSet", "InputObject", "$set | Set-FmsResourceSet")
            {
                Arrange = NewSet + "; $set.Description = 'changed'",
                Probe = "(Get-FmsResourceSet -Name host-set).Description", ProbeAfter = "changed",
            },

            new CmdletCase("Set-FmsTag", "__AllParameterSets", "$p | Set-FmsTag -Tag @{ owner = 'netops' }")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-waf-baseline", Probe = "(Get-FmsTag -ResourceArn $p.Arn | Where-Object Key -eq owner).Value", ProbeAfter = "netops",
            },

            new CmdletCase("Start-FmsSandbox", "__AllParameterSets", "Start-FmsSandbox -AccountCount 2 -ResourcesPerAccount 2 -FreezeClock")
            {
                ProcessWide = true, Probe = "@($out).Count", ProbeAfter = "1",
                Verify = "$out.AccountIds.Count, @(Get-FmsPolicy -EndpointUrl $out.Endpoint -AccessKey $out.AccessKeyId -SecretKey $out.SecretAccessKey -Region $out.Region).Count -join ','",
                Expect = "4,0",
                Cleanup = "$out | Where-Object { $_ -is [FmsTools.Sandbox.SandboxHost] } | Stop-FmsSandbox -Confirm:$false",
            },

            new CmdletCase("Stop-FmsSandbox", "Latest", "Stop-FmsSandbox -PassThru")
            {
                ProcessWide = true, Arrange = "$x = Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1",
                Probe = string.Format(Health, "$x"), ProbeAfter = "stopped", Verify = "$out.Endpoint", ExpectOf = "$x.Endpoint",
                Cleanup = "$x | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue",
            },
            new CmdletCase("Stop-FmsSandbox", "InputObject", "$x | Stop-FmsSandbox -PassThru")
            {
                ProcessWide = true, Arrange = "$x = Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1",
                Probe = string.Format(Health, "$x"), ProbeAfter = "stopped", Verify = "$out.Endpoint", ExpectOf = "$x.Endpoint",
                Cleanup = "$x | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue",
            },
            new CmdletCase("Stop-FmsSandbox", "All", "Stop-FmsSandbox -All -PassThru")
            {
                ProcessWide = true, Arrange = "$x = Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1; $y = Start-FmsSandbox -AccountCount 1 -ResourcesPerAccount 1",
                Probe = string.Format(Health, "$x, $y"), ProbeAfter = "stopped|stopped",
                Verify = "(@($out.Endpoint) -contains $x.Endpoint), (@($out.Endpoint) -contains $y.Endpoint) -join ','", Expect = "True,True",
                Cleanup = "$x, $y | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue",
            },

            new CmdletCase("Sync-FmsConfiguration", "__AllParameterSets", "Sync-FmsConfiguration -Path $dir -Kind AppsList")
            {
                Arrange = "$null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false; $null = Export-FmsConfiguration -Path $dir -Kind AppsList -Confirm:$false; "
                          + "$f = Join-Path $dir 'us-east-1/apps-lists/web-apps.fmsappslist.json'; (Get-Content -Raw $f).Replace('443', '8443') | Set-Content -NoNewline $f",
                Probe = "(Get-FmsAppsList -Name web-apps).Apps[0].Port", ProbeAfter = "8443",
                Verify = "$out.Action, $out.Status, $out.Name -join ','", Expect = "Update,Applied,web-apps",
            },

            new CmdletCase("Sync-FmsPolicy", "__AllParameterSets", "Sync-FmsPolicy -Path $dir")
            {
                Arrange = "$null = Get-FmsPolicy | Export-FmsPolicy -Path $dir -Confirm:$false; $file = Get-ChildItem $dir -Filter 'demo-shield-advanced*'; "
                          + "(Get-Content $file.FullName -Raw).Replace('\"remediationEnabled\": true', '\"remediationEnabled\": false') | Set-Content $file.FullName",
                Probe = "(Get-FmsPolicy -Name demo-shield-advanced).RemediationEnabled", ProbeAfter = "False",
                Verify = "@($out | Where-Object Status -eq Applied).Name, @($out | Where-Object Status -eq Unchanged).Count -join ','", Expect = "demo-shield-advanced,8",
            },

            new CmdletCase("Test-FmsCompliance", "ByName", "Test-FmsCompliance -PolicyName demo-sg-usage-audit")
            {
                Verify = "$out.IsCompliant, $out.ViolatorCount -join ','", ExpectOf = $"'False', {Violators("demo-sg-usage-audit")}.Count -join ','",
            },
            new CmdletCase("Test-FmsCompliance", "ByPolicy", "Get-FmsPolicy -Name demo-dns-firewall | Test-FmsCompliance -Quiet")
            {
                Verify = "$out", Expect = "False",
            },
            new CmdletCase("Test-FmsCompliance", "ByStatus", "Get-FmsComplianceStatus -PolicyName demo-dns-firewall -Status Compliant | Test-FmsCompliance -Quiet")
            {
                Verify = "$out", Expect = "True",
            },
            new CmdletCase("Test-FmsCompliance", "ById", "Test-FmsCompliance -PolicyId $p.PolicyId")
            {
                Arrange = "$p = Get-FmsPolicy -Name demo-nacl-baseline",
                Verify = "$out.IsCompliant, $out.ViolatorCount -join ','", ExpectOf = $"'False', {Violators("demo-nacl-baseline")}.Count -join ','",
            },

            new CmdletCase("Test-FmsConfiguration", "__AllParameterSets", "Test-FmsConfiguration -Path $dir -Online -Quiet")
            {
                Arrange = "$null = Export-FmsConfiguration -Path $dir -Confirm:$false 3>$null",
                Verify = "$out", Expect = "True",
            },

            new CmdletCase("Test-FmsPolicy", "InputObject", "Get-FmsPolicy -Name demo-waf-baseline | Test-FmsPolicy -Quiet")
            {
                Verify = "$out", Expect = "True",
            },
            new CmdletCase("Test-FmsPolicy", "Path", "Test-FmsPolicy -Path $dir -Quiet")
            {
                Arrange = $"$null = New-FmsWafPolicy -Name offline-waf -ResourceType {Alb} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Offline | Export-FmsPolicy -Path $dir -Confirm:$false",
                Verify = "$out", Expect = "True",
            },

            new CmdletCase("Watch-FmsCompliance", "Poll", "Watch-FmsCompliance -PolicyName demo-dns-firewall -SnapshotPath $snap -Count 1 -Interval 1")
            {
                Arrange = Baseline,
                Verify = WatchedChanges, ExpectOf = RemediatedViolators,
            },
            new CmdletCase("Watch-FmsCompliance", "Once", "Watch-FmsCompliance -PolicyName demo-dns-firewall -Once -SnapshotPath $snap")
            {
                Arrange = Baseline,
                Verify = WatchedChanges, ExpectOf = RemediatedViolators,
            },
        };
    }
}
