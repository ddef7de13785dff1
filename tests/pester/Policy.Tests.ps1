# Policy authoring and policy as code, end to end in a real PowerShell host against the demo sandbox.
# Connection parameters are splatted on every call so each test states exactly where it goes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Conn = @{
        EndpointUrl = $script:Sandbox.Endpoint
        AccessKey   = $script:Sandbox.AccessKeyId
        SecretKey   = $script:Sandbox.SecretAccessKey
        Region      = $script:Sandbox.Region
    }
    $script:Sandbox | Connect-Fms

    function New-TestFolder {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("fmstools-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $path | Out-Null
        $path
    }

    # Calls that changed state, from the sandbox's request log.
    function Get-MutatingCallCount {
        @($script:Sandbox.RequestLog.Entries | Where-Object Mutating).Count
    }
}

AfterAll {
    if ($script:Sandbox) { $script:Sandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'New-Fms*Policy creates every policy type' {
    BeforeDiscovery {
        $script:Cases = @(
            @{ Label = 'WAFV2'; Type = 'WafV2'; Build = { param($c) New-FmsWafPolicy -Name 'p-waf' -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet', @{ Vendor = 'AWS'; Name = 'AWSManagedRulesSQLiRuleSet'; ExcludedRules = 'SQLi_BODY'; Position = 'Post' } -DefaultAction Block @c }
               Check = { param($p) $p.Settings.PreProcessRuleGroups[0].ManagedRuleGroupIdentifier.ManagedRuleGroupName | Should -Be 'AWSManagedRulesCommonRuleSet'; $p.Settings.PostProcessRuleGroups[0].ExcludeRules[0].Name | Should -Be 'SQLi_BODY' } }
            @{ Label = 'WAF Classic'; Type = 'Waf'; Build = { param($c) New-FmsWafClassicPolicy -Name 'p-waf-classic' -RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer @c }
               Check = { param($p) $p.Settings.RuleGroups[0].Id | Should -Be 'a1b2c3d4-5678-90ab-cdef-000000000002' } }
            @{ Label = 'Shield Advanced'; Type = 'ShieldAdvanced'; Build = { param($c) New-FmsShieldPolicy -Name 'p-shield' -ResourceType AWS::EC2::EIP -AutomaticResponse Enabled -AutomaticResponseAction Count @c }
               Check = { param($p) $p.Settings.AutomaticResponseConfiguration.AutomaticResponseAction | Should -Be 'COUNT' } }
            @{ Label = 'SG common'; Type = 'SecurityGroupsCommon'; Build = { param($c) New-FmsSecurityGroupPolicy -Name 'p-sg' -SecurityGroupId 'sg-0123456789abcdef0' @c }
               Check = { param($p) $p.Settings.SecurityGroups[0].Id | Should -Be 'sg-0123456789abcdef0' } }
            @{ Label = 'SG content audit'; Type = 'SecurityGroupsContentAudit'; Build = { param($c) New-FmsSecurityGroupPolicy -Name 'p-sg-audit' -AuditSecurityGroupId 'sg-0fedcba9876543210' -AuditAction Deny @c }
               Check = { param($p) $p.Settings.SecurityGroupAction.Type | Should -Be 'DENY' } }
            @{ Label = 'SG usage audit'; Type = 'SecurityGroupsUsageAudit'; Build = { param($c) New-FmsSecurityGroupPolicy -Name 'p-sg-usage' -UsageAudit -DeleteUnusedSecurityGroup -UnusedDelayMinutes 60 @c }
               Check = { param($p) $p.Settings.OptionalDelayForUnusedInMinutes | Should -Be 60 } }
            @{ Label = 'Network Firewall'; Type = 'NetworkFirewall'; Build = { param($c) New-FmsNetworkFirewallPolicy -Name 'p-nfw' -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -AvailabilityZone us-east-1a @c }
               Check = { param($p) $p.Settings.FirewallPolicy.StatefulRuleGroupReferences[0].ResourceArn | Should -Match 'stateful-rulegroup/deny$' } }
            @{ Label = 'DNS Firewall'; Type = 'DnsFirewall'; Build = { param($c) New-FmsDnsFirewallPolicy -Name 'p-dns' -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' @c }
               Check = { param($p) $p.Settings.PreProcessRuleGroups[0].Priority | Should -Be 1 } }
            @{ Label = 'Network ACL'; Type = 'NetworkAclCommon'; Build = { param($c) New-FmsNetworkAclPolicy -Name 'p-nacl' -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 } @c }
               Check = { param($p) $p.Settings.FirstEntries[0].Protocol | Should -Be '6' } }
            @{ Label = 'third-party firewall'; Type = 'ThirdPartyFirewall'; Build = { param($c) New-FmsThirdPartyFirewallPolicy -Name 'p-ngfw' -Vendor PaloAltoCloudNgfw -FirewallPolicy 'rulestack-1' @c }
               Check = { param($p) $p.Settings.ThirdPartyFirewall | Should -Be 'PALO_ALTO_NETWORKS_CLOUD_NGFW' } }
        )
    }

    It 'creates a <Label> policy that reads back typed and survives export, import and compare' -ForEach $script:Cases {
        $created = & $Build $script:Conn
        try {
            $created.PolicyId | Should -Not -BeNullOrEmpty
            $read = Get-FmsPolicy -PolicyId $created.PolicyId @script:Conn
            $read.Type | Should -Be $Type
            & $Check $read

            $folder = New-TestFolder
            $file = $read | Export-FmsPolicy -Path $folder @script:Conn
            $file.FullName | Should -Exist
            $imported = $file | Import-FmsPolicy
            @($imported | Compare-FmsPolicy @script:Conn) | Should -HaveCount 0
        }
        finally {
            Remove-FmsPolicy -PolicyId $created.PolicyId -Force @script:Conn
        }
    }

    It 'creates an import Network Firewall policy over a resource set' {
        $set = Set-FmsResourceSet -Name 'pester-legacy' -ResourceType AWS::EC2::VPC -PassThru @script:Conn
        $created = New-FmsImportNetworkFirewallPolicy -Name 'p-import' -ResourceSetId $set.Id @script:Conn
        try {
            (Get-FmsPolicy -PolicyId $created.PolicyId @script:Conn).Scope.ResourceSetIds | Should -Be @($set.Id)
        }
        finally {
            Remove-FmsPolicy -PolicyId $created.PolicyId -Force @script:Conn
        }
    }

    It 'reports validation errors with the rule as ErrorId and creates nothing' {
        $before = @(Get-FmsPolicy @script:Conn).Count
        New-FmsWafPolicy -Name 'bad,name' -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -ErrorVariable problems -ErrorAction SilentlyContinue @script:Conn
        $problems.FullyQualifiedErrorId | Should -Contain 'Policy.Name.Pattern,FmsTools.Commands.NewFmsWafPolicy'
        $problems.FullyQualifiedErrorId | Should -Contain 'ResourceType.Required,FmsTools.Commands.NewFmsWafPolicy'
        @(Get-FmsPolicy @script:Conn).Count | Should -Be $before
    }

    It 'builds offline without any connection' {
        $policy = New-FmsShieldPolicy -Name 'offline' -ResourceType AWS::EC2::EIP -Offline -EndpointUrl 'http://127.0.0.1:1'
        $policy.PolicyId | Should -BeNullOrEmpty
        $policy | Test-FmsPolicy -Quiet | Should -BeTrue
    }
}

Describe 'Set-FmsPolicy' {
    It 'shows the diff under -WhatIf and applies it without it' {
        $policy = Get-FmsPolicy -Name 'demo-waf-baseline' -Detailed @script:Conn
        $policy | Set-FmsPolicy -Description 'reviewed' -WhatIf @script:Conn
        (Get-FmsPolicy -PolicyId $policy.PolicyId @script:Conn).Description | Should -Not -Be 'reviewed'
        $stored = $policy | Set-FmsPolicy -Description 'reviewed' -PassThru @script:Conn
        $stored.Description | Should -Be 'reviewed'
        $stored.UpdateToken | Should -Not -Be $policy.UpdateToken
    }

    It 'refuses a stale object with a conflict naming both versions' {
        $mine = Get-FmsPolicy -Name 'demo-dns-firewall' -Detailed @script:Conn
        Set-FmsPolicy -PolicyId $mine.PolicyId -Description 'someone else' @script:Conn
        $theirs = Get-FmsPolicy -PolicyId $mine.PolicyId @script:Conn

        $mine | Set-FmsPolicy -RemediationEnabled:$false -ErrorVariable conflict -ErrorAction SilentlyContinue @script:Conn
        $conflict | Should -HaveCount 1
        $conflict[0].FullyQualifiedErrorId | Should -BeLike 'ConcurrentModification,*'
        $conflict[0].ToString() | Should -Match ([regex]::Escape($mine.UpdateToken))
        $conflict[0].ToString() | Should -Match ([regex]::Escape($theirs.UpdateToken))

        $after = Get-FmsPolicy -PolicyId $mine.PolicyId @script:Conn
        $after.Description | Should -Be 'someone else'
        $after.UpdateToken | Should -Be $theirs.UpdateToken
    }
}

Describe 'Remove-FmsPolicy' {
    It 'changes nothing under -WhatIf' {
        $policy = Get-FmsPolicy -Name 'demo-nacl-baseline' @script:Conn
        $mutating = Get-MutatingCallCount
        $policy | Remove-FmsPolicy -WhatIf @script:Conn
        Get-FmsPolicy -PolicyId $policy.PolicyId @script:Conn | Should -Not -BeNullOrEmpty
        Get-MutatingCallCount | Should -Be $mutating
    }
}

Describe 'Policy as code' {
    BeforeAll {
        $script:Folder = New-TestFolder
        Get-FmsPolicy @script:Conn | Export-FmsPolicy -Path $script:Folder @script:Conn | Out-Null
    }

    It 'exports one file per policy and finds no drift' {
        @(Get-ChildItem $script:Folder -Filter *.fmspolicy.json).Count | Should -Be @(Get-FmsPolicy @script:Conn).Count
        @(Import-FmsPolicy -Path $script:Folder | Compare-FmsPolicy @script:Conn) | Should -HaveCount 0
    }

    It 'checks the files against the account with -Online and changes nothing' {
        $mutating = Get-MutatingCallCount
        Test-FmsPolicy -Path $script:Folder -Online -Quiet @script:Conn | Should -BeTrue
        Get-MutatingCallCount | Should -Be $mutating
    }

    It 'reports a broken file by name and field and still imports the rest' {
        $bad = Join-Path $script:Folder 'broken.fmspolicy.json'
        '{ "schema": "fmstools.policy/v1", "name": 5 }' | Set-Content -Path $bad
        try {
            $policies = Import-FmsPolicy -Path $script:Folder -ErrorVariable problems -ErrorAction SilentlyContinue
            $policies | Should -Not -BeNullOrEmpty
            $problems[0].ToString() | Should -Match 'broken\.fmspolicy\.json'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PolicyDocument.Invalid,*'
        }
        finally {
            Remove-Item $bad
        }
    }

    It 'plans under -WhatIf, then applies create, update and delete' {
        $shield = Get-ChildItem $script:Folder -Filter 'demo-shield-advanced*'
        (Get-Content $shield.FullName -Raw).Replace('"remediationEnabled": true', '"remediationEnabled": false') | Set-Content $shield.FullName
        Get-ChildItem $script:Folder -Filter 'demo-sg-usage-audit*' | Remove-Item
        New-FmsDnsFirewallPolicy -Name 'dns-from-git' -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline | Export-FmsPolicy -Path $script:Folder | Out-Null

        $mutating = Get-MutatingCallCount
        $plan = Sync-FmsPolicy -Path $script:Folder -DeleteMissing -WhatIf @script:Conn
        # The plan's own order: deletes first, so the creates fit the policy quota (an enum sorts by value, so compare names).
        @($plan | Where-Object Status -eq 'NotApplied' | ForEach-Object { "$($_.Action)" }) | Should -Be @('Delete', 'Create', 'Update')
        Get-MutatingCallCount | Should -Be $mutating

        $applied = Sync-FmsPolicy -Path $script:Folder -DeleteMissing -Confirm:$false @script:Conn
        @($applied | Where-Object Status -eq 'Applied').Count | Should -Be 3
        (Get-FmsPolicy -Name 'demo-shield-advanced' @script:Conn).RemediationEnabled | Should -BeFalse
        Get-FmsPolicy -Name 'demo-sg-usage-audit' @script:Conn | Should -BeNullOrEmpty

        Sync-FmsPolicy -Path $script:Folder -DeleteMissing -Confirm:$false @script:Conn |
            ForEach-Object { $_.Status | Should -Be 'Unchanged' }
    }
}
