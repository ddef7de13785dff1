# Data-driven Firewall Manager compliance: one Pester test per policy x member account.
#
# Discovery reads the organization once (Get-FmsComplianceReport, which drills into non-compliant accounts only);
# each It then asserts on its own row, so a failing test names the violating resources and their reasons.
# Run it through Invoke-ComplianceRunbook.ps1 (JUnit output), or directly:
#   $c = New-PesterContainer -Path ./OrganizationCompliance.Tests.ps1 -Data @{ Region = 'us-east-1', 'eu-west-1' }
#   Invoke-Pester -Container $c -Output Detailed
# The connection is the session's (Connect-Fms, or Connect-Fms -Sandbox for the local demo sandbox); without credentials
# and without a sandbox connection Discovery stops with the error NoAwsCredentials.
param(
    # Regions to check; global (CloudFront) policies are checked in us-east-1.
    [string[]] $Region = @('us-east-1'),

    # Only policies whose names match (wildcards allowed); all policies when empty.
    [string[]] $PolicyName = @(),

    # Only these member accounts; all accounts when empty.
    [string[]] $AccountId = @()
)

BeforeDiscovery {
    $report = @{ Region = $Region }
    if ($AccountId.Count -gt 0) { $report.AccountId = $AccountId }
    $rows = @(Get-FmsComplianceReport @report | Sort-Object PolicyName, Region, AccountName)
    if ($PolicyName.Count -gt 0) {
        $rows = @($rows | Where-Object { $row = $_; @($PolicyName | Where-Object { $row.PolicyName -like $_ }).Count -gt 0 })
    }
    # One hashtable per test: its keys become variables inside the It, and <PolicyName> etc. in the test name.
    $script:Cases = @($rows | ForEach-Object {
            @{
                Row         = $_
                PolicyName  = $_.PolicyName
                PolicyType  = $_.PolicyType
                Region      = $_.Region
                AccountId   = $_.AccountId
                AccountName = $_.AccountName
                Ou          = if ($_.OrganizationalUnitPath) { $_.OrganizationalUnitPath } else { '-' }
            }
        })
    $script:Policies = @($script:Cases | Group-Object { $_.PolicyName + ' (' + $_.Region + ')' } | ForEach-Object {
            @{ Policy = $_.Name; Cases = @($_.Group) }
        })
}

BeforeAll {
    # Pester was loaded first, so FmsTools registered Should -BeFmsCompliant at import; registering again is harmless
    # and covers a session that imported FmsTools before Pester.
    Register-FmsShouldOperator
}

if ($script:Policies.Count -gt 0) {
    Describe 'Firewall Manager policy <Policy>' -ForEach $script:Policies {
        It '<AccountName> (<AccountId>, <Ou>) is compliant' -ForEach $Cases {
            $Row | Should -BeFmsCompliant -Because "$PolicyType policy $PolicyName applies to account $AccountId in $Region"
        }
    }
}
else {
    # Pester 5.5+ refuses an empty -ForEach, and a suite that checks nothing must not pass quietly: report it as one
    # failing test naming the filters (no policy in these regions, or none matching -PolicyName / -AccountId).
    Describe 'Firewall Manager policies' {
        It 'finds policies and accounts to check' -ForEach @(@{ Filter = "Region $($Region -join ', '); PolicyName $(if ($PolicyName.Count) { $PolicyName -join ', ' } else { '*' }); AccountId $(if ($AccountId.Count) { $AccountId -join ', ' } else { '*' })" }) {
            throw "No Firewall Manager compliance rows for $Filter. Check the connection (Get-FmsContext), the regions and the filters."
        }
    }
}
