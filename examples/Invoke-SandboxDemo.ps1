<#
.SYNOPSIS
    The README's tour in PowerShell: the demo organization's policies, an organization-wide compliance report as
    HTML, and a remediation plan that changes nothing.
.DESCRIPTION
    Starts the local FMS sandbox with its demo organization (a dozen accounts in Production, Development, Sandbox and
    Security OUs, nine policies in us-east-1 and eight in eu-west-1, each with real violations) and connects to it.
    It then lists the policies, writes the compliance of both Regions to an HTML page, plans remediation of every demo
    policy with -WhatIf (the sandbox's request log proves that no call changed anything), and prints a summary.
    No AWS account is needed.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./examples/Invoke-SandboxDemo.ps1
    Runs the tour from a fresh clone (PowerShell 7.6.10 from the repository's tool manifest): with the module this
    repository laid out in out/ (building it first when there is none), or else FmsTools from $env:PSModulePath.
    Writes ./fms-report.html.
.EXAMPLE
    ./examples/Invoke-SandboxDemo.ps1 -ModulePath ./out/FmsTools/0.1.0/FmsTools.psd1 -ReportPath $HOME/fms-report.html
    Runs it with the module the build laid out.
#>
[CmdletBinding()]
param(
    [string] $ReportPath = (Join-Path (Get-Location) 'fms-report.html'),

    # A module name on $env:PSModulePath, or the path of FmsTools.psd1. By default: the module laid out in this
    # repository's out/ folder (built now if there is none), else FmsTools from $env:PSModulePath.
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'

function Find-BuiltModule {
    Get-ChildItem -Path (Join-Path $PSScriptRoot '../out/FmsTools') -Filter FmsTools.psd1 -Recurse -ErrorAction SilentlyContinue |
        Sort-Object { [version](Split-Path -Leaf (Split-Path -Parent $_.FullName)) } -Descending |
        Select-Object -First 1 -ExpandProperty FullName
}

if (-not $ModulePath) {
    $ModulePath = Find-BuiltModule
    if (-not $ModulePath -and (Get-Module -ListAvailable -Name FmsTools)) { $ModulePath = 'FmsTools' }
    if (-not $ModulePath) {
        Write-Host 'FmsTools is not built yet: building it with ./build.ps1 -Task Build (once; about a minute).'
        & (Join-Path $PSScriptRoot '../build.ps1') -Task Build
        $ModulePath = Find-BuiltModule
        if (-not $ModulePath) { throw 'build.ps1 -Task Build did not lay out out/FmsTools/<version>/FmsTools.psd1.' }
    }
}
Import-Module $ModulePath

$sandbox = Start-FmsSandbox -Demo
try {
    $context = $sandbox | Connect-Fms
    Write-Host "Connected to the FMS sandbox at $($sandbox.Endpoint) as administrator $($context.Account)."

    # 1. The demo policies, in both Regions (-Region on a single call overrides the connection's Region).
    $policies = @(Get-FmsPolicy) + @(Get-FmsPolicy -Region eu-west-1)
    $policies | Format-Table Name, TypeName, Region, RemediationEnabled -AutoSize | Out-Host

    # 2. The whole organization's compliance, as one self-contained HTML page.
    $report = Get-FmsComplianceReport -Region us-east-1, eu-west-1 -AsReport
    try {
        $file = $report | Export-FmsComplianceReport -Format Html -Path $ReportPath -Force
        $summary = $report.Summary
    }
    finally {
        $report.Dispose()
    }

    # 3. What remediation would change, without changing anything.
    $mutatingBefore = @($sandbox.RequestLog.Entries | Where-Object Mutating).Count
    $plan = @($policies | Invoke-FmsRemediation -WhatIf)
    $mutatingAfter = @($sandbox.RequestLog.Entries | Where-Object Mutating).Count

    Write-Host ''
    Write-Host 'Summary'
    Write-Host ("  Policies:                {0} ({1} in us-east-1, {2} in eu-west-1)" -f $policies.Count,
        @($policies | Where-Object Region -eq 'us-east-1').Count, @($policies | Where-Object Region -eq 'eu-west-1').Count)
    Write-Host ("  Accounts:                {0}, {1} non-compliant" -f $summary.Accounts, $summary.NonCompliantAccounts)
    Write-Host ("  Policy x account checks: {0}, {1} non-compliant ({2:0.0}% compliant)" -f $summary.Evaluations,
        $summary.NonCompliantEvaluations, $summary.CompliancePercent)
    Write-Host ("  Non-compliant resources: {0}" -f $summary.NonCompliantResources)
    foreach ($reason in $summary.ViolationsByReason.GetEnumerator()) {
        Write-Host ("    {0,-45} {1}" -f $reason.Key, $reason.Value)
    }
    Write-Host ("  HTML report:             {0} ({1:N0} bytes)" -f $file.FullName, $file.Length)
    Write-Host ("  Remediation plan:        {0} resources FMS would fix, {1} that need what FmsTools lacks" -f
        @($plan | Where-Object { $_.Outcome -eq 'Planned' -and $_.Step.Kind -ne 'EnablePolicyRemediation' }).Count,
        @($plan | Where-Object Outcome -eq 'NotSupported').Count)
    Write-Host ("  Calls that changed state during -WhatIf: {0}" -f ($mutatingAfter - $mutatingBefore))
}
finally {
    Disconnect-Fms
    $sandbox | Stop-FmsSandbox -Confirm:$false
}
