# FmsTools' Pester integration: the Should -BeFmsCompliant assertion.
# Loaded as a NestedModule of FmsTools. It registers the operator when Pester 5 is already loaded at import;
# after importing Pester later, call Register-FmsShouldOperator.
Set-StrictMode -Version 3.0

function Invoke-FmsBeCompliantAssertion {
    <#
    .SYNOPSIS
        The test behind Should -BeFmsCompliant (Pester 5 calls it with the value piped to Should).
    .DESCRIPTION
        ActualValue may hold policy names (strings), FmsPolicy objects (Get-FmsPolicy), FmsComplianceStatus rows
        (Get-FmsComplianceStatus, Get-FmsComplianceReport) or FmsComplianceTestResult evidence (Test-FmsCompliance).
        Policies and names are evaluated with Test-FmsCompliance on the session's connection (Connect-Fms).
        Accepted violations: Test-FmsCompliance reads the exceptions file named by $global:FmsExceptionPath, so
        violations it accepts (until their expiry date) do not fail the assertion.
    #>
    # A simple (not advanced) function on purpose: Pester also passes the operator's own switch and may add more,
    # which land in $args instead of failing parameter binding.
    param($ActualValue, [switch] $Negate, [string] $Because, $CallerSessionState)

    $items = @($ActualValue | Where-Object { $null -ne $_ })
    if ($items.Count -eq 0) {
        return [pscustomobject]@{
            Succeeded      = $false
            FailureMessage = 'Expected policies, policy names, compliance rows or Test-FmsCompliance evidence to check' + (Format-Because $Because) + ', but got nothing.'
        }
    }

    $evidence = New-Object System.Collections.Generic.List[object]
    $problems = New-Object System.Collections.Generic.List[string]
    # Type names, not type literals: the module's assemblies may load in their own context.
    $kinds = @{
        'System.String'                                            = 'names'
        'FmsTools.Engine.Policies.FmsPolicy'                       = 'policies'
        'FmsTools.Engine.Compliance.FmsComplianceStatus'           = 'rows'
        'FmsTools.Commands.ComplianceSupport.FmsComplianceTestResult' = 'results'
    }
    $byKind = @{ names = @(); policies = @(); rows = @(); results = @() }
    foreach ($item in $items) {
        $typeName = $item.GetType().FullName
        if ($kinds.ContainsKey($typeName)) { $byKind[$kinds[$typeName]] += , $item }
        else { $problems.Add("cannot check a $typeName") }
    }
    $names = $byKind.names
    $policies = $byKind.policies
    $rows = $byKind.rows
    $results = $byKind.results

    $errors = @()
    if ($names.Count -gt 0) {
        $evidence.Add((FmsTools\Test-FmsCompliance -PolicyName $names -ErrorAction SilentlyContinue -ErrorVariable +errors -WarningAction SilentlyContinue))
    }
    if ($policies.Count -gt 0) {
        $evidence.Add(($policies | FmsTools\Test-FmsCompliance -ErrorAction SilentlyContinue -ErrorVariable +errors -WarningAction SilentlyContinue))
    }
    if ($rows.Count -gt 0) {
        $evidence.Add(($rows | FmsTools\Test-FmsCompliance -ErrorAction SilentlyContinue -ErrorVariable +errors -WarningAction SilentlyContinue))
    }
    foreach ($result in $results) { $evidence.Add($result) }
    foreach ($e in $errors) { $problems.Add("could not evaluate: $($e.Exception.Message)") }

    $evidence = @($evidence | Where-Object { $null -ne $_ })
    $nonCompliant = @($evidence | Where-Object { -not $_.IsCompliant })
    $evaluations = [int]($evidence | Measure-Object -Property Evaluations -Sum).Sum
    $failing = [int]($nonCompliant | ForEach-Object { $_.NonCompliant.Count } | Measure-Object -Sum).Sum
    $compliant = $nonCompliant.Count -eq 0 -and $problems.Count -eq 0

    if ($Negate) {
        # Only evidence of a violation counts: an input that could not be evaluated proves nothing either way.
        if ($nonCompliant.Count -gt 0) { return [pscustomobject]@{ Succeeded = $true; FailureMessage = $null } }
        return [pscustomobject]@{
            Succeeded      = $false
            FailureMessage = "Expected a violation of Firewall Manager policies$(Format-Because $Because), but all $evaluations policy x account evaluations are compliant" + $(if ($problems.Count -gt 0) { " (" + ($problems -join "; ") + ")" } else { "" }) + "."
        }
    }
    if ($compliant) { return [pscustomobject]@{ Succeeded = $true; FailureMessage = $null } }

    $lines = New-Object System.Collections.Generic.List[string]
    $lines.Add("Expected Firewall Manager compliance$(Format-Because $Because), but $failing of $evaluations policy x account evaluations are non-compliant:")
    foreach ($result in $nonCompliant) { foreach ($line in $result.DescribeViolators(50)) { $lines.Add("  $line") } }
    foreach ($problem in $problems) { $lines.Add("  $problem") }
    [pscustomobject]@{ Succeeded = $false; FailureMessage = ($lines -join [Environment]::NewLine) }
}

function Format-Because([string] $Because) {
    if ([string]::IsNullOrWhiteSpace($Because)) { return '' }
    $text = $Because.Trim()
    if ($text -notmatch '^because') { $text = "because $text" }
    " $text"
}

function Register-FmsShouldOperator {
    <#
    .SYNOPSIS
        Registers Should -BeFmsCompliant with Pester 5.
    .DESCRIPTION
        FmsTools registers the operator itself when Pester 5 is loaded before FmsTools. Call this after importing
        Pester when FmsTools was imported first. Registering twice is harmless.
    .EXAMPLE
        Import-Module Pester -MinimumVersion 5.0; Register-FmsShouldOperator
        'demo-waf-baseline' | Should -BeFmsCompliant
    #>
    [CmdletBinding()]
    param()
    $add = Get-Command -Name Add-ShouldOperator -ErrorAction SilentlyContinue
    if (-not $add) {
        throw 'Pester 5 is not loaded: Import-Module Pester -MinimumVersion 5.0, then call Register-FmsShouldOperator.'
    }
    $registered = Get-Command -Name Get-ShouldOperator -ErrorAction SilentlyContinue
    if ($registered -and (Get-ShouldOperator | Where-Object Name -eq 'BeFmsCompliant')) {
        Write-Verbose 'Should -BeFmsCompliant is already registered.'
        return
    }
    Add-ShouldOperator -Name BeFmsCompliant -InternalName 'Invoke-FmsBeCompliantAssertion' -Test ${function:Invoke-FmsBeCompliantAssertion} -SupportsArrayInput
    Write-Verbose 'Registered Should -BeFmsCompliant.'
}

# Get-Module first: a Get-Command of a command that is not loaded searches PATH and every module on PSModulePath, which
# would cost every import of FmsTools more than the rest of it together.
if ((Get-Module -Name Pester) -and (Get-Command -Name Add-ShouldOperator -ErrorAction SilentlyContinue)) {
    try { Register-FmsShouldOperator }
    catch { Write-Warning "Should -BeFmsCompliant was not registered: $($_.Exception.Message)" }
}

Export-ModuleMember -Function Register-FmsShouldOperator
