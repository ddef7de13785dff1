# Invoke-FmsRemediation -MemberRoleName end to end in a real PowerShell host against a demo sandbox of its own: the EC2
# calls FMS suggests for demo-network-firewall are made in prod-eu-web through OrganizationAccountAccessRole, the
# sandbox's request log shows them, and FMS's re-evaluation of the changed EC2 world converges.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Sandbox | Connect-Fms
    $script:Fix = @{ MemberRoleName = 'OrganizationAccountAccessRole' }
    $script:ProdEuWeb = [FmsTools.Sandbox.World.DemoOrganization]::ProdEuWeb

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

    It 'makes the calls in prod-eu-web, and FMS converges after a second run' {
        $before = Get-RouteViolation
        $before.AccountId | Sort-Object -Unique | Should -Be $ProdEuWeb

        $mark = $script:Sandbox.RequestLog.TotalCount
        $results = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -Confirm:$false -ErrorVariable failed |
            Where-Object { $_.Ec2Steps.Count }
        $failed | Should -HaveCount 0
        $results.Outcome | Sort-Object -Unique | Should -Be 'Remediated'
        $steps = $results.Ec2Steps
        $steps.Outcome | Sort-Object -Unique | Should -Be 'Remediated'
        $steps.AccountId | Sort-Object -Unique | Should -Be $ProdEuWeb
        $writes = Get-Ec2Write $mark
        $writes.CallerAccount | Sort-Object -Unique | Should -Be $ProdEuWeb
        $writes.Outcome | Sort-Object -Unique | Should -Be 'Success'
        # One request per step, plus a CreateRoute per route a copied route table carries over.
        $writes.Count | Should -BeGreaterOrEqual $steps.Count
        ($writes | Where-Object Operation -ne 'CreateRoute').Count | Should -Be ($steps | Where-Object { $_.Ec2Call -notlike 'CreateRoute *' }).Count

        # Only the internet gateways' return routes for the subnets now inspected are left; the second run makes them.
        (Get-RouteViolation).Reason | Sort-Object -Unique | Should -Be 'INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE'
        $second = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -Confirm:$false | Where-Object { $_.Ec2Steps.Count }
        $second.Outcome | Sort-Object -Unique | Should -Be 'Remediated'
        Get-RouteViolation | Should -HaveCount 0

        $mark = $script:Sandbox.RequestLog.TotalCount
        Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation @Fix -Confirm:$false | Where-Object { $_.Ec2Steps.Count } | Should -BeNullOrEmpty
        Get-Ec2Write $mark | Should -HaveCount 0
    }
}
