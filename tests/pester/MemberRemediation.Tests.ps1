# Invoke-FmsRemediation -MemberRoleName end to end in a real PowerShell host against a demo sandbox of its own: the EC2
# calls FMS suggests for demo-network-firewall are made in prod-eu-web through OrganizationAccountAccessRole (in rounds:
# what FMS suggests after the first changes is made too), the sandbox's request log shows them, FMS's re-evaluation of the
# changed EC2 world converges in one run, and prod-data (no role) is an AccessDenied error.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Sandbox | Connect-Fms
    $script:Fix = @{ MemberRoleName = 'OrganizationAccountAccessRole' }
    $script:ProdEuWeb = [FmsTools.Sandbox.World.DemoOrganization]::ProdEuWeb
    $script:ProdData = [FmsTools.Sandbox.World.DemoOrganization]::ProdData

    function Get-Ec2Write([long] $Since) {
        $log = $script:Sandbox.RequestLog
        $entries = @($log.Entries)
        @($entries | Select-Object -Skip ([Math]::Max(0, $Since - ($log.TotalCount - $entries.Count))) | Where-Object { $_.Service -eq 'ec2' -and $_.Mutating })
    }

    function Get-RouteViolation {
        @(Get-FmsComplianceStatus -PolicyName demo-network-firewall -Status NonCompliant | Get-FmsViolation |
            Where-Object Reason -ne 'MISSING_FIREWALL')
    }
}

AfterAll {
    Disconnect-Fms -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-FmsRemediation -MemberRoleName' {
    It '-WhatIf lists the EC2 calls and sends no EC2 or STS request' {
        $mark = $script:Sandbox.RequestLog.TotalCount
        $planned = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -WhatIf | Where-Object { $_.Ec2Steps.Count }
        $planned | Should -Not -BeNullOrEmpty
        $planned.Ec2Steps.Outcome | Sort-Object -Unique | Should -Be 'Planned'
        $log = @($script:Sandbox.RequestLog.Entries | Select-Object -Last ($script:Sandbox.RequestLog.TotalCount - $mark))
        @($log | Where-Object { $_.Service -in 'ec2', 'sts' -or $_.Mutating }) | Should -HaveCount 0
    }

    It 'finishes the job in one run: no route fix FMS suggests is left where the role exists, prod-data fails with AccessDenied' {
        $before = Get-RouteViolation
        $before.AccountId | Sort-Object -Unique | Should -Be @($ProdData, $ProdEuWeb)

        $mark = $script:Sandbox.RequestLog.TotalCount
        $results = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue |
            Where-Object { $_.Ec2Steps.Count }
        # prod-data has no OrganizationAccountAccessRole: one non-terminating error, its result Failed.
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MemberRoleAssumeFailed,*'
        $failed[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        "$($failed[0])" | Should -BeLike '*310000000003*AccessDenied*'
        ($results | Where-Object AccountId -eq $ProdData).Outcome | Should -Be 'Failed'
        $here = $results | Where-Object AccountId -eq $ProdEuWeb
        $here.Outcome | Sort-Object -Unique | Should -Be 'Remediated'
        $here.Ec2Steps.Round | Sort-Object -Unique | Should -Be @(1, 2)

        $writes = Get-Ec2Write $mark
        $writes.CallerAccount | Sort-Object -Unique | Should -Be $ProdEuWeb
        $writes.Outcome | Sort-Object -Unique | Should -Be 'Success'
        $made = $here.Ec2Steps | Where-Object Outcome -eq 'Remediated'
        # One request per call, plus a CreateRoute per route a copied route table carries over.
        ($writes | Where-Object Operation -ne 'CreateRoute').Count | Should -Be ($made | Where-Object { $_.Ec2Call -notlike 'CreateRoute *' }).Count

        # Firewall Manager afterwards: in prod-eu-web nothing is left; prod-data keeps its violation.
        $after = Get-FmsComplianceStatus -PolicyName demo-network-firewall -Status NonCompliant | Get-FmsViolation -IncludeDetail
        @($after | Where-Object { $_.AccountId -ne $ProdData -and $_.PossibleRemediationActions.Count }) | Should -HaveCount 0
        (Get-RouteViolation).AccountId | Sort-Object -Unique | Should -Be $ProdData

        # A second run has nothing to do in prod-eu-web: no EC2 write at all.
        $mark = $script:Sandbox.RequestLog.TotalCount
        Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -Confirm:$false -ErrorAction SilentlyContinue |
            Where-Object { $_.Ec2Steps.Count -and $_.AccountId -ne $ProdData } | Should -BeNullOrEmpty
        Get-Ec2Write $mark | Should -HaveCount 0
    }
}
