# Compliance, violations, reports, remediation and the Pester assertion, end to end in a real PowerShell host against
# the demo sandbox. The sandbox clock is frozen: nothing converges until a test advances it (the last Describe does).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo -FreezeClock
    $script:Sandbox | Connect-Fms
    $script:Regions = @('us-east-1', 'eu-west-1')

    # The demo organization's documented violations (its ground truth).
    function Get-ExpectedViolation([string] $Region, [string] $PolicyName) {
        if ($PolicyName) { [FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations($PolicyName, $Region) }
        else { [FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations($Region) }
    }

    function Get-MutatingCallCount {
        @($script:Sandbox.RequestLog.Entries | Where-Object Mutating).Count
    }

    function New-TestFolder {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("fmstools-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $path | Out-Null
        $path
    }
}

AfterAll {
    Disconnect-Fms -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Get-FmsComplianceStatus and Get-FmsViolation' {
    It 'counts as many violators in <_> as the demo documents' -ForEach @('us-east-1', 'eu-west-1') {
        $region = $_
        $expected = @(Get-ExpectedViolation $region).Count
        $rows = Get-FmsComplianceStatus -Region $region
        ($rows | Measure-Object ViolatorCount -Sum).Sum | Should -Be $expected
        ($rows | Where-Object Status -eq 'NonCompliant' | ForEach-Object { $_.Violations.Count } | Measure-Object -Sum).Sum | Should -Be $expected
    }

    It 'reads the policies piped from Get-FmsPolicy' {
        $rows = Get-FmsPolicy | Get-FmsComplianceStatus
        @($rows.PolicyId | Sort-Object -Unique).Count | Should -Be 9
        ($rows | Where-Object AccountId -eq '320000000001' | Select-Object -First 1).OrganizationalUnitPath | Should -Be 'Root/Production/Production-EU'
    }

    It 'lists the violators of the piped rows' {
        $violations = Get-FmsComplianceStatus -PolicyName demo-dns-firewall -Status NonCompliant | Get-FmsViolation
        $expected = Get-ExpectedViolation 'us-east-1' 'demo-dns-firewall'
        @($violations.ResourceId | Sort-Object) | Should -Be @($expected.ResourceId | Sort-Object)
    }

    It 'adds possible remediation actions with -IncludeDetail' {
        $violation = Get-FmsViolation -PolicyId ([FmsTools.Sandbox.World.DemoOrganization]::PolicyId('demo-sg-content-audit', 'us-east-1')) -AccountId 510000000002 -IncludeDetail |
            Select-Object -First 1
        $violation.IsEnriched | Should -BeTrue
        $violation.PossibleRemediationActions | Should -Not -BeNullOrEmpty
    }

    It 'formats rows as a table that fits 80 and 120 columns, every column whole' {
        foreach ($width in 80, 120) {
            $text = Get-FmsComplianceStatus -PolicyName demo-waf-baseline | Format-Table | Out-String -Width $width
            @($text -split '\r?\n' | Where-Object { $_.Length -gt $width }) | Should -HaveCount 0 -Because "no line is wider than $width"
            $text | Should -Match '(?m)^Policy +Account +Status +Violators +Reasons *\r?$'
        }
        Get-FmsComplianceStatus -PolicyName demo-waf-baseline | Format-Table | Out-String -Width 120 | Should -Match 'RESOURCE_MISSING_WEB_ACL'
    }
}

Describe 'Get-FmsComplianceReport and Export-FmsComplianceReport' {
    BeforeAll {
        $script:Report = Get-FmsComplianceReport -Region $script:Regions -AsReport
        $script:Expected = @($script:Regions | ForEach-Object { Get-ExpectedViolation $_ })
        $script:Folder = New-TestFolder
    }
    AfterAll {
        if ($script:Report) { $script:Report.Dispose() }
        Remove-Item -Recurse -Force $script:Folder -ErrorAction SilentlyContinue
    }

    It 'totals equal the ground truth of both regions' {
        $script:Report.Summary.NonCompliantResources | Should -Be $script:Expected.Count
        $script:Report.Summary.Policies | Should -Be 17
        @($script:Report.Rows | Where-Object PolicyName -eq 'demo-waf-cloudfront' | Where-Object Region -ne 'us-east-1').Count | Should -Be 0
    }

    It 'streams rows when -AsReport is not given' {
        $rows = Get-FmsComplianceReport -Region $script:Regions
        @($rows).Count | Should -Be $script:Report.RowCount
    }

    It 'writes JUnit with a test case per policy and account and a failure per non-compliant one' {
        $file = $script:Report | Export-FmsComplianceReport -Format JUnit -Path (Join-Path $script:Folder 'compliance.xml')
        $file.Format | Should -Be 'JUnit'
        [xml] $xml = Get-Content -Raw $file.FullName
        @($xml.SelectNodes('//testcase')).Count | Should -Be $script:Report.RowCount
        @($xml.SelectNodes('//testcase[failure]')).Count | Should -Be $script:Report.Summary.NonCompliantEvaluations
    }

    It 'writes self-contained HTML and refuses to overwrite it without -Force' {
        $path = Join-Path $script:Folder 'fms-report.html'
        $script:Report | Export-FmsComplianceReport -Format Html -Path $path | Out-Null
        $html = Get-Content -Raw $path
        $html | Should -Match ('<div class="n bad">' + $script:Expected.Count + '</div><div class="l">non-compliant resources</div>')
        $html | Should -Not -Match '<script'

        $script:Report | Export-FmsComplianceReport -Format Html -Path $path -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ReportFileExists*'
        ($script:Report | Export-FmsComplianceReport -Format Html -Path $path -Force).Overwritten | Should -BeTrue
    }

    It 'aggregates piped rows into CSV' {
        $file = Get-FmsComplianceStatus | Export-FmsComplianceReport -Path (Join-Path $script:Folder 'rows.csv')
        $csv = Import-Csv $file.FullName
        @($csv).Count | Should -Be $file.Rows
        ($csv | Measure-Object ViolatorCount -Sum).Sum | Should -Be @(Get-ExpectedViolation 'us-east-1').Count
    }
}

Describe 'Invoke-FmsRemediation -WhatIf' {
    It 'plans every violator and makes no mutating call' {
        $before = Get-MutatingCallCount
        $results = Get-FmsPolicy | Invoke-FmsRemediation -WhatIf
        Get-MutatingCallCount | Should -Be $before
        # Network Firewall route violations need EC2 route changes, which FMS only suggests: NotSupported, naming the EC2 API.
        $routeResources = @(Get-ExpectedViolation 'us-east-1' | Where-Object { -not $_.FmsRemediates } | ForEach-Object ResourceId)
        $routeResources.Count | Should -BeGreaterThan 0
        @($results | Where-Object { $_.Outcome -ne 'Planned' -and $routeResources -notcontains $_.ResourceId }).Count | Should -Be 0
        @($results | Where-Object { $routeResources -contains $_.ResourceId } | Where-Object Outcome -ne 'NotSupported').Count | Should -Be 0
        @($results | Where-Object Outcome -eq 'NotSupported' | Where-Object MissingCapability -notlike '*ec2:*').Count | Should -Be 0
        # One result per resource: no policy, account and resource appears twice.
        @($results | ForEach-Object { '{0}|{1}|{2}' -f $_.PolicyId, $_.AccountId, $_.ResourceId } | Sort-Object -Unique).Count | Should -Be @($results).Count
    }
}

Describe 'Test-FmsCompliance, Assert-FmsCompliance and Should -BeFmsCompliant' {
    It 'registered the Should operator at import' {
        Get-ShouldOperator | Where-Object Name -eq 'BeFmsCompliant' | Should -Not -BeNullOrEmpty
        { Register-FmsShouldOperator } | Should -Not -Throw
    }

    It 'answers $false and gives evidence for a non-compliant policy' {
        Test-FmsCompliance -PolicyName demo-sg-usage-audit -Quiet | Should -BeFalse
        $evidence = Get-FmsPolicy -Name demo-sg-usage-audit | Test-FmsCompliance
        $evidence.IsCompliant | Should -BeFalse
        @($evidence.Violations).Count | Should -Be @(Get-ExpectedViolation 'us-east-1' 'demo-sg-usage-audit').Count
    }

    It 'Assert-FmsCompliance throws a message listing each violator' {
        $expected = Get-ExpectedViolation 'us-east-1' 'demo-sg-usage-audit'
        $thrown = $null
        try { Assert-FmsCompliance -PolicyName demo-sg-usage-audit } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'FmsNotCompliant*'
        foreach ($v in $expected) { $thrown.Exception.Message | Should -BeLike "*$($v.ResourceId): $($v.ViolationReason)*" }
    }

    It 'Should -BeFmsCompliant fails with the violators and -Not passes' {
        { 'demo-sg-usage-audit' | Should -BeFmsCompliant } | Should -Throw -ExpectedMessage '*SECURITY_GROUP_UNUSED*'
        'demo-sg-usage-audit' | Should -Not -BeFmsCompliant
        Get-FmsPolicy -Name demo-sg-usage-audit | Should -Not -BeFmsCompliant
    }

    It 'Should -BeFmsCompliant honours the session exceptions file, and fails again once it has expired' {
        $folder = New-TestFolder
        try {
            $violations = @((Test-FmsCompliance -PolicyName demo-sg-usage-audit).Violations)
            $violations.Count | Should -BeGreaterThan 0
            function Write-Exceptions([string] $Name, [int] $Days) {
                $expires = [DateTime]::UtcNow.AddDays($Days).ToString('yyyy-MM-dd')
                $entries = @($violations | ForEach-Object {
                        [ordered]@{ policy = 'demo-sg-usage-audit'; account = $_.AccountId; resource = $_.ResourceId; violationReason = $_.Reason
                            owner = 'team-network'; reason = 'clean-up sprint'; expires = $expires }
                    })
                $path = Join-Path $folder $Name
                ConvertTo-Json -InputObject $entries | Set-Content -LiteralPath $path
                $path
            }
            $global:FmsExceptionPath = Write-Exceptions 'current.json' 0
            'demo-sg-usage-audit' | Should -BeFmsCompliant
            { Assert-FmsCompliance -PolicyName demo-sg-usage-audit } | Should -Not -Throw

            $global:FmsExceptionPath = Write-Exceptions 'expired.json' -1
            { 'demo-sg-usage-audit' | Should -BeFmsCompliant } | Should -Throw -ExpectedMessage '*SECURITY_GROUP_UNUSED*'
        }
        finally {
            $global:FmsExceptionPath = $null
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }
}

Describe 'After FMS converges' {
    BeforeAll {
        # The demo policies remediate automatically; moving the sandbox clock past the remediation delay converges them.
        $script:Sandbox.Clock.Advance([timespan]::FromMinutes(5)) | Out-Null
        $script:Sandbox.Clock.Advance([timespan]::FromMinutes(1)) | Out-Null
    }

    It 'every demo policy is compliant in every account, except the routes FMS only monitors' {
        # demo-network-firewall monitors routes (routeManagementAction MONITOR): FMS reports route violations, never fixes them.
        $routes = @(Get-ExpectedViolation 'us-east-1' 'demo-network-firewall' | Where-Object { -not $_.FmsRemediates })
        Get-FmsPolicy | Where-Object Name -ne 'demo-network-firewall' | Should -BeFmsCompliant
        Get-FmsComplianceStatus | Where-Object PolicyName -ne 'demo-network-firewall' | Should -BeFmsCompliant
        { Get-FmsPolicy -Name 'demo-*' | Where-Object Name -ne 'demo-network-firewall' | Assert-FmsCompliance } | Should -Not -Throw
        (Assert-FmsCompliance -PolicyName demo-dns-firewall -PassThru).IsCompliant | Should -BeTrue
        $left = Get-FmsPolicy -Name demo-network-firewall | Test-FmsCompliance
        @($left.Violations).Count | Should -Be $routes.Count
        @($left.Violations | Where-Object { $routes.ResourceId -notcontains $_.ResourceId }).Count | Should -Be 0
        Get-FmsPolicy -Name demo-network-firewall -Region eu-west-1 | Should -BeFmsCompliant
    }

    It 'there is nothing left that FMS or FmsTools can remediate' {
        $before = Get-MutatingCallCount
        $results = @(Get-FmsPolicy | Invoke-FmsRemediation -Force)
        @($results | Where-Object Outcome -ne 'NotSupported').Count | Should -Be 0
        @($results | Where-Object PolicyName -ne 'demo-network-firewall').Count | Should -Be 0
        Get-MutatingCallCount | Should -Be $before
    }
}
