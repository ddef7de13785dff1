# Change history, restore, compliance watch and cost estimate, end to end in a real PowerShell host against the demo
# sandbox. Every Describe starts its own sandbox (clock frozen, so remediation never runs behind the tests' back) and
# points $env:FMSTOOLS_JOURNAL at its own TestDrive folder, so no block depends on another block or on another file.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:JournalBefore = $env:FMSTOOLS_JOURNAL

    # Splatted on every call, so each test states exactly where it goes.
    function Get-TestConnection($Sandbox) {
        @{
            EndpointUrl = $Sandbox.Endpoint
            AccessKey   = $Sandbox.AccessKeyId
            SecretKey   = $Sandbox.SecretAccessKey
            Region      = $Sandbox.Region
        }
    }

    # Calls that changed state, from the sandbox's request log.
    function Get-MutatingCallCount($Sandbox) {
        @($Sandbox.RequestLog.Entries | Where-Object Mutating).Count
    }

    # The sandbox's admin API (/_sandbox/...), which changes the simulated accounts' resources as their own engineers would.
    function Invoke-SandboxAdmin($Sandbox, [string] $Method, [string] $Path, $Body) {
        $request = @{ Method = $Method; Uri = "$($Sandbox.Endpoint)/_sandbox/$Path" }
        if ($null -ne $Body) {
            $request.Body = ConvertTo-Json -InputObject $Body -Depth 5 -Compress
            $request.ContentType = 'application/json'
        }
        Invoke-RestMethod @request
    }

    # "Transition policy account resource reason" per change, as the tests compare them.
    function Format-Change {
        process { "$($_.Transition) $($_.PolicyName) $($_.AccountId) $($_.ResourceId) $($_.Reason)".TrimEnd() }
    }
}

AfterAll {
    $env:FMSTOOLS_JOURNAL = $script:JournalBefore
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Get-FmsChangeHistory' {
    BeforeAll {
        $script:HistoryJournal = Join-Path $TestDrive 'journal'
        $env:FMSTOOLS_JOURNAL = $script:HistoryJournal
        $script:HistorySandbox = Start-FmsSandbox -Demo -FreezeClock
        $script:HistoryConn = Get-TestConnection $script:HistorySandbox
        $script:HistoryPolicy = Get-FmsPolicy -Name 'demo-shield-advanced' -Detailed @script:HistoryConn

        # A -WhatIf run first: it sends nothing and records nothing.
        Set-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId -Description 'not sent' -WhatIf @script:HistoryConn
        Set-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId -Description 'first change' @script:HistoryConn
        Set-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId -Description 'second change' @script:HistoryConn
    }
    AfterAll {
        if ($script:HistorySandbox) { $script:HistorySandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
        $env:FMSTOOLS_JOURNAL = $script:JournalBefore
    }

    It 'lists each change in the journal folder $env:FMSTOOLS_JOURNAL names, oldest first, with both documents' {
        @(Get-ChildItem -Path $script:HistoryJournal -File) | Should -Not -BeNullOrEmpty
        $history = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId)
        $history | Should -HaveCount 2
        $history | ForEach-Object { $_ | Should -BeOfType ([FmsTools.Engine.History.FmsChangeEntry]) }
        @($history.Version) | Should -Be @(1, 2)
        @($history.Operation) | Should -Be @('UpdatePolicy', 'UpdatePolicy')
        @($history.Outcome | ForEach-Object { "$_" }) | Should -Be @('Succeeded', 'Succeeded')
        $history[0].Before.Description | Should -Be $script:HistoryPolicy.Description
        $history[0].After.Description | Should -Be 'first change'
        $history[1].Before.Description | Should -Be 'first change'
        $history[1].After.Description | Should -Be 'second change'
        $history[0].PolicyName | Should -Be 'demo-shield-advanced'
        $history[0].Region | Should -Be $script:HistorySandbox.Region
        $history[0].Account | Should -Be $script:HistorySandbox.AdminAccountId
    }

    It 'reads the same entries from an explicit -JournalPath' {
        $explicit = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId -JournalPath $script:HistoryJournal)
        $default = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId)
        $explicit | Should -HaveCount 2
        @($explicit.Id) | Should -Be @($default.Id)
    }

    It 'filters by policy name, operation, caller and time' {
        @(Get-FmsChangeHistory -PolicyName 'demo-shield-*') | Should -HaveCount 2
        @(Get-FmsChangeHistory -PolicyName 'demo-waf-*') | Should -HaveCount 0
        @(Get-FmsChangeHistory -Operation UpdatePolicy) | Should -HaveCount 2
        @(Get-FmsChangeHistory -Operation DeletePolicy) | Should -HaveCount 0
        @(Get-FmsChangeHistory -Caller "*:$($script:HistorySandbox.AdminAccountId):*") | Should -HaveCount 2
        @(Get-FmsChangeHistory -Caller '*:999999999999:*') | Should -HaveCount 0

        $history = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId)
        if ($history[0].Time -ge $history[1].Time) {
            # Windows PowerShell's clock ticks every few milliseconds: two quick changes may share a time stamp.
            Set-ItResult -Skipped -Because 'the clock gave both changes the same time stamp'
            return
        }
        $since = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId -Since $history[1].Time)
        @($since.Id) | Should -Be @($history[1].Id)
        $until = @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId -Until $history[0].Time)
        @($until.Id) | Should -Be @($history[0].Id)
    }

    It 'takes policy ids from the pipeline by property name' {
        $piped = @(Get-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId @script:HistoryConn | Get-FmsChangeHistory)
        $piped | Should -HaveCount 2
    }

    It "records nothing while `$env:FMSTOOLS_JOURNAL is 'off', and then cannot read a journal without -JournalPath" {
        $env:FMSTOOLS_JOURNAL = 'off'
        try {
            Set-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId -Description 'unrecorded' @script:HistoryConn
            { Get-FmsChangeHistory } | Should -Throw -ErrorId 'ChangeJournalOff,*'
        }
        finally {
            $env:FMSTOOLS_JOURNAL = $script:HistoryJournal
        }
        (Get-FmsPolicy -PolicyId $script:HistoryPolicy.PolicyId @script:HistoryConn).Description | Should -Be 'unrecorded'
        @(Get-FmsChangeHistory -PolicyId $script:HistoryPolicy.PolicyId) | Should -HaveCount 2
    }
}

Describe 'Restore-FmsPolicy' {
    BeforeAll {
        $script:RestoreJournal = Join-Path $TestDrive 'journal'
        $env:FMSTOOLS_JOURNAL = $script:RestoreJournal
        $script:RestoreSandbox = Start-FmsSandbox -Demo -FreezeClock
        $script:RestoreConn = Get-TestConnection $script:RestoreSandbox
    }
    AfterAll {
        if ($script:RestoreSandbox) { $script:RestoreSandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
        $env:FMSTOOLS_JOURNAL = $script:JournalBefore
    }

    It 'shows a restore under -WhatIf without sending it, then restores version 1 and records the restore' {
        $policy = Get-FmsPolicy -Name 'demo-waf-baseline' -Detailed @script:RestoreConn
        Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'version one' @script:RestoreConn
        Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'version two' -RemediationEnabled:(-not $policy.RemediationEnabled) @script:RestoreConn
        $versions = @(Get-FmsChangeHistory -PolicyId $policy.PolicyId)
        @($versions.Version) | Should -Be @(1, 2)

        $before = Get-MutatingCallCount $script:RestoreSandbox
        Restore-FmsPolicy -PolicyId $policy.PolicyId -Version 1 -WhatIf @script:RestoreConn
        Get-MutatingCallCount $script:RestoreSandbox | Should -Be $before
        (Get-FmsPolicy -PolicyId $policy.PolicyId @script:RestoreConn).Description | Should -Be 'version two'
        @(Get-FmsChangeHistory -PolicyId $policy.PolicyId) | Should -HaveCount 2

        $restored = Restore-FmsPolicy -PolicyId $policy.PolicyId -Version 1 -PassThru -Confirm:$false @script:RestoreConn
        $restored.PolicyId | Should -Be $policy.PolicyId
        $restored.Description | Should -Be 'version one'
        $deployed = Get-FmsPolicy -PolicyId $policy.PolicyId @script:RestoreConn
        $deployed.RemediationEnabled | Should -Be $policy.RemediationEnabled
        @(Compare-FmsPolicy -ReferencePolicy $versions[0].After -DifferencePolicy $deployed @script:RestoreConn) | Should -HaveCount 0

        $restore = @(Get-FmsChangeHistory -PolicyId $policy.PolicyId -Operation Restore)
        $restore | Should -HaveCount 1
        $restore[0].Before.Description | Should -Be 'version two'
        $restore[0].After.Description | Should -Be 'version one'
    }

    It 'restores the version in force at -AsOf' {
        $policy = Get-FmsPolicy -Name 'demo-sg-usage-audit' -Detailed @script:RestoreConn
        Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'as of one' @script:RestoreConn
        Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'as of two' @script:RestoreConn
        $versions = @(Get-FmsChangeHistory -PolicyId $policy.PolicyId)
        if ($versions[0].Time -ge $versions[1].Time) {
            Set-ItResult -Skipped -Because 'the clock gave both changes the same time stamp'
            return
        }
        $restored = Restore-FmsPolicy -PolicyId $policy.PolicyId -AsOf $versions[1].Time.AddTicks(-1) -PassThru -Confirm:$false @script:RestoreConn
        $restored.Description | Should -Be 'as of one'
    }

    It 'recreates a deleted policy from its piped delete entry, under a new PolicyId' {
        $policy = Get-FmsPolicy -Name 'demo-dns-firewall' -Detailed @script:RestoreConn
        Remove-FmsPolicy -PolicyId $policy.PolicyId -Force @script:RestoreConn
        $deleted = @(Get-FmsChangeHistory -PolicyId $policy.PolicyId -Operation DeletePolicy)
        $deleted | Should -HaveCount 1
        $deleted[0].After | Should -BeNullOrEmpty

        $recreated = $deleted[0] | Restore-FmsPolicy -PassThru -Confirm:$false @script:RestoreConn
        $recreated.PolicyId | Should -Not -BeNullOrEmpty
        $recreated.PolicyId | Should -Not -Be $policy.PolicyId
        $recreated.Name | Should -Be 'demo-dns-firewall'
        @(Compare-FmsPolicy -ReferencePolicy $policy -DifferencePolicy (Get-FmsPolicy -PolicyId $recreated.PolicyId @script:RestoreConn) @script:RestoreConn) | Should -HaveCount 0
        @(Get-FmsChangeHistory -PolicyId $recreated.PolicyId -Operation Restore) | Should -HaveCount 1
    }

    It 'reports a version the journal does not have as an error naming it, and sends nothing' {
        $policy = Get-FmsPolicy -Name 'demo-nacl-baseline' -Detailed @script:RestoreConn
        Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'only version' @script:RestoreConn
        $before = Get-MutatingCallCount $script:RestoreSandbox
        Restore-FmsPolicy -PolicyId $policy.PolicyId -Version 9 -ErrorVariable problems -ErrorAction SilentlyContinue @script:RestoreConn
        $problems.FullyQualifiedErrorId | Should -Contain 'PolicyVersionNotFound,FmsTools.Commands.RestoreFmsPolicy'
        Get-MutatingCallCount $script:RestoreSandbox | Should -Be $before
    }
}

Describe 'Watch-FmsCompliance' {
    BeforeAll {
        $env:FMSTOOLS_JOURNAL = Join-Path $TestDrive 'journal'
        $script:WatchSandbox = Start-FmsSandbox -Demo -FreezeClock
        $script:WatchConn = Get-TestConnection $script:WatchSandbox
        $script:ProdData = '310000000003'
        $albType = [uri]::EscapeDataString('AWS::ElasticLoadBalancingV2::LoadBalancer')
        # prod-data's load balancer is behind demo-waf-baseline's web ACL: compliant until a test takes the web ACL away.
        # Piping the variable enumerates the JSON array whether or not Invoke-RestMethod already did.
        $found = Invoke-SandboxAdmin $script:WatchSandbox GET "resources?accountId=$($script:ProdData)&region=us-east-1&type=$albType"
        $script:Alb = $found | Select-Object -First 1
    }
    AfterAll {
        if ($script:WatchSandbox) { $script:WatchSandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
        $env:FMSTOOLS_JOURNAL = $script:JournalBefore
    }

    It 'with -Once takes a baseline, then reports what a web ACL disassociation broke and what its reassociation fixed' {
        $script:Alb.webAclArn | Should -Not -BeNullOrEmpty
        $path = Join-Path $TestDrive 'once.json'
        @(Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $path @script:WatchConn) | Should -HaveCount 0
        $path | Should -Exist

        Invoke-SandboxAdmin $script:WatchSandbox POST 'resources/webacl' @{ resource = $script:Alb.arn; webAclArn = $null } | Out-Null
        $broke = @(Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $path @script:WatchConn)
        $broke | ForEach-Object { $_ | Should -BeOfType ([FmsTools.Engine.History.FmsComplianceChange]) }
        @($broke | Format-Change) | Should -Be @(
            "AccountNonCompliant demo-waf-baseline $($script:ProdData)"
            "ResourceNonCompliant demo-waf-baseline $($script:ProdData) $($script:Alb.arn) RESOURCE_MISSING_WEB_ACL"
        )
        $broke[0].PreviousStatus | Should -Be 'Compliant'
        $broke[0].Status | Should -Be 'NonCompliant'

        Invoke-SandboxAdmin $script:WatchSandbox POST 'resources/webacl' @{ resource = $script:Alb.arn; webAclArn = $script:Alb.webAclArn } | Out-Null
        $fixed = @(Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $path @script:WatchConn)
        @($fixed | Format-Change) | Should -Be @(
            "AccountCompliant demo-waf-baseline $($script:ProdData)"
            "ResourceCompliant demo-waf-baseline $($script:ProdData) $($script:Alb.arn) RESOURCE_MISSING_WEB_ACL"
        )

        @(Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $path @script:WatchConn) | Should -HaveCount 0
    }

    It 'when polling from a saved snapshot, reports a new unprotected load balancer under every policy it violates, and its deletion' {
        $path = Join-Path $TestDrive 'poll.json'
        @(Watch-FmsCompliance -Once -SnapshotPath $path @script:WatchConn) | Should -HaveCount 0

        $added = Invoke-SandboxAdmin $script:WatchSandbox POST 'resources' @{
            type = 'AWS::ElasticLoadBalancingV2::LoadBalancer'; accountId = $script:ProdData; region = 'us-east-1'; name = 'pester-alb'
        }
        $added.arn | Should -Match ":loadbalancer/app/pester-alb/"
        # The saved snapshot is the baseline and the first reading is compared with it at once; -Count 1 stops there.
        $appeared = @(Watch-FmsCompliance -SnapshotPath $path -Count 1 -Interval 1 @script:WatchConn)
        @($appeared | Format-Change) | Should -Be @(
            "ResourceNonCompliant demo-shield-advanced $($script:ProdData) $($added.arn) RESOURCE_MISSING_SHIELD_PROTECTION"
            "AccountNonCompliant demo-waf-baseline $($script:ProdData)"
            "ResourceNonCompliant demo-waf-baseline $($script:ProdData) $($added.arn) RESOURCE_MISSING_WEB_ACL"
        )

        Invoke-SandboxAdmin $script:WatchSandbox DELETE "resources?resource=$([uri]::EscapeDataString($added.arn))" | Out-Null
        $gone = @(Watch-FmsCompliance -SnapshotPath $path -Count 1 -Interval 1 @script:WatchConn)
        @($gone | Format-Change) | Should -Be @(
            "ResourceCompliant demo-shield-advanced $($script:ProdData) $($added.arn) RESOURCE_MISSING_SHIELD_PROTECTION"
            "AccountCompliant demo-waf-baseline $($script:ProdData)"
            "ResourceCompliant demo-waf-baseline $($script:ProdData) $($added.arn) RESOURCE_MISSING_WEB_ACL"
        )
    }

    It 'stops with SnapshotInvalid on a file that is not a snapshot' {
        $bad = Join-Path $TestDrive 'not-a-snapshot.json'
        Set-Content -Path $bad -Value '{"schema": "something-else"}'
        { Watch-FmsCompliance -Once -SnapshotPath $bad @script:WatchConn } | Should -Throw -ErrorId 'SnapshotInvalid,*'
    }
}

Describe 'Get-FmsCostEstimate' {
    BeforeAll {
        $env:FMSTOOLS_JOURNAL = Join-Path $TestDrive 'journal'
        $script:CostSandbox = Start-FmsSandbox -Demo -FreezeClock
        $script:CostConn = Get-TestConnection $script:CostSandbox
        $script:AlbType = 'AWS::ElasticLoadBalancingV2::LoadBalancer'
    }
    AfterAll {
        if ($script:CostSandbox) { $script:CostSandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
        $env:FMSTOOLS_JOURNAL = $script:JournalBefore
    }

    It 'prices a proposed WAF policy offline from the shipped table, by hand' {
        $web = New-FmsWafPolicy -Name 'web' -ResourceType $script:AlbType -IncludeAccount '111100000001', '111100000002', '111100000003' `
            -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet', 'AWS/AWSManagedRulesSQLiRuleSet' -Offline
        $rows = @($web | Get-FmsCostEstimate -Offline -Region us-east-1 -RequestsPerMonthMillions 20 -ConfigEvaluationsPerAccount 2000)

        # 3 accounts. Config 3 x 2000 x 0.001 = 6; WAF per account 5 + 2 rule groups x 1 + 20 x 0.60 = 19, x 3 = 57; + the 100 FMS fee = 163.
        $policy = @($rows | Where-Object { "$($_.Level)" -eq 'Policy' })
        $policy | Should -HaveCount 1
        $policy[0].Accounts | Should -Be 3
        $policy[0].FmsPolicyFee | Should -Be 100
        $policy[0].ConfigEvaluations | Should -Be 6
        $policy[0].Waf | Should -Be 57
        $policy[0].MonthlyTotal | Should -Be 163
        $accounts = @($rows | Where-Object { "$($_.Level)" -eq 'Account' })
        @($accounts.AccountId) | Should -Be @('111100000001', '111100000002', '111100000003')
        $accounts | ForEach-Object { $_.MonthlyTotal | Should -Be 21 }   # 2 Config + 19 WAF
        $total = @($rows | Where-Object { "$($_.Level)" -eq 'Total' })
        $total | Should -HaveCount 1
        $total[0].MonthlyTotal | Should -Be 163
        $total[0].Currency | Should -Be 'USD'
        $total[0].Assumptions | Should -Match 'RequestsPerMonthMillions=20'
        $total[0].Assumptions | Should -Match 'not confirmed from a published source.*fmsPolicyPerRegionMonth'
    }

    It 'uses a price table given with -PriceTablePath' {
        $table = Join-Path $TestDrive 'prices.json'
        @{
            schema = 'fmstools.prices/v1'
            prices = @{
                fmsPolicyPerRegionMonth = 80; configRuleEvaluation = 0.002; wafWebAclMonth = 4; wafRuleMonth = 2; wafRequestsPerMillion = 0.5
                shieldAdvancedSubscriptionMonth = 2000; networkFirewallEndpointHour = 0.4; networkFirewallTrafficGb = 0.05
            }
        } | ConvertTo-Json -Depth 3 | Set-Content -Path $table
        $web = New-FmsWafPolicy -Name 'web' -ResourceType $script:AlbType -IncludeAccount '111100000001' -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Offline
        $total = @($web | Get-FmsCostEstimate -Offline -Region us-east-1 -PriceTablePath $table | Where-Object { "$($_.Level)" -eq 'Total' })
        # 80 + 1000 x 0.002 = 2 + (4 + 1 rule group x 2 + 10 million x 0.5 = 11) = 93.
        $total[0].MonthlyTotal | Should -Be 93
    }

    It 'stops with PriceTableInvalid on an incomplete price table' {
        $table = Join-Path $TestDrive 'incomplete.json'
        Set-Content -Path $table -Value '{"schema": "fmstools.prices/v1", "prices": {"fmsPolicyPerRegionMonth": 100}}'
        $web = New-FmsWafPolicy -Name 'web' -ResourceType $script:AlbType -IncludeAccount '111100000001' -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Offline
        { $web | Get-FmsCostEstimate -Offline -Region us-east-1 -PriceTablePath $table } | Should -Throw -ErrorId 'PriceTableInvalid,*'
    }

    It 'estimates a deployed policy for the accounts Firewall Manager has in scope' {
        $policy = Get-FmsPolicy -Name 'demo-waf-baseline' -Detailed @script:CostConn
        $accounts = @(Get-FmsComplianceStatus -PolicyName 'demo-waf-baseline' -NoDetail @script:CostConn | ForEach-Object AccountId | Sort-Object -Unique)
        $accounts | Should -Not -BeNullOrEmpty
        $ruleGroups = $policy.Settings.PreProcessRuleGroups.Count + $policy.Settings.PostProcessRuleGroups.Count

        $rows = @($policy | Get-FmsCostEstimate @script:CostConn)
        $row = @($rows | Where-Object { "$($_.Level)" -eq 'Policy' })[0]
        $row.Accounts | Should -Be $accounts.Count
        # Per account: 1000 Config evaluations x 0.001 = 1, web ACL 5, rule groups x 1, 10 million requests x 0.60 = 6.
        $row.MonthlyTotal | Should -Be (100 + $accounts.Count * (1 + 5 + $ruleGroups + 6))
        @($rows | Where-Object { "$($_.Level)" -eq 'Account' } | ForEach-Object AccountId) | Should -Be $accounts
    }
}
