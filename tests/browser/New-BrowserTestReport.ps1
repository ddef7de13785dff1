<#
.SYNOPSIS
Writes the reports the browser test opens, from two demo sandboxes (two organizations):
  report.html / report.json   one organization, an exceptions file (accepted violations) and a trend over
                              a Watch-FmsCompliance snapshot and an earlier saved report
  merged.html / merged.json   both organizations merged (Merge-FmsComplianceReport)
#>
param(
    [Parameter(Mandatory)] [string] $OutDir,
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'FmsTools.psd1') -Force
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$OutDir = (Resolve-Path $OutDir).Path

$prod = Start-FmsSandbox -Demo
$lab = Start-FmsSandbox -Demo
try {
    $prod | Connect-Fms | Out-Null
    # Earlier readings for the trend: a Watch-FmsCompliance snapshot and a saved report.
    Watch-FmsCompliance -Once -SnapshotPath (Join-Path $OutDir 'snapshot.json') | Out-Null
    Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $OutDir 'earlier.json') -Force | Out-Null

    # Accept the violations of one policy in one account (Excepted in the page) and leave one entry stale.
    $exceptions = Join-Path $OutDir 'exceptions.json'
    @(
        @{ policy = 'demo-waf-baseline'; account = '310000000001'; resource = '*'; owner = 'secops'; reason = 'migration to the new ALB'; expires = '2099-12-31' }
        @{ policy = 'demo-waf-baseline'; account = '310000000001'; resource = 'no-such-resource'; owner = 'secops'; reason = 'left over'; expires = '2099-12-31' }
    ) | ConvertTo-Json | Set-Content -Path $exceptions -Encoding utf8

    $report = Get-FmsComplianceReport -AsReport -ExceptionPath $exceptions -WarningAction SilentlyContinue
    try {
        $report | Export-FmsComplianceReport -Path (Join-Path $OutDir 'report.html') -Format Html, Json -Force `
            -History (Join-Path $OutDir 'snapshot.json'), (Join-Path $OutDir 'earlier.json') -Title 'Demo organization compliance' | Out-Null
    } finally { $report.Dispose() }

    $lab | Connect-Fms | Out-Null
    Get-FmsComplianceReport -AsReport | Export-FmsComplianceReport -Path (Join-Path $OutDir 'lab.json') -Force | Out-Null
    $merged = Merge-FmsComplianceReport -Path (Join-Path $OutDir 'report.json'), (Join-Path $OutDir 'lab.json') `
        -OrganizationId o-prod000001, o-lab0000002 -OrganizationName Production, Lab
    try {
        $merged | Export-FmsComplianceReport -Path (Join-Path $OutDir 'merged.html') -Format Html, Json -Force -Title 'Two organizations' | Out-Null
    } finally { $merged.Dispose() }
} finally {
    $prod | Stop-FmsSandbox -WarningAction SilentlyContinue
    $lab | Stop-FmsSandbox -WarningAction SilentlyContinue
}
