<#
.SYNOPSIS
    Runs the organization's Firewall Manager compliance tests with Pester and publishes them as JUnit XML.
.DESCRIPTION
    A runbook for a scheduled job or a CI pipeline: imports Pester 5 and FmsTools, connects (an AWS profile, or the
    local demo sandbox with -Sandbox), runs OrganizationCompliance.Tests.ps1 with one test per policy x account, and
    writes JUnit XML that CI systems show as a test report. An HTML report for people is written beside it.
    Exits 1 when any policy x account is non-compliant, so the job fails visibly.
.EXAMPLE
    ./Invoke-ComplianceRunbook.ps1 -Sandbox
    Runs against the demo organization of a local sandbox and writes ./compliance-results/fms-compliance.junit.xml.
.EXAMPLE
    ./Invoke-ComplianceRunbook.ps1 -ProfileName security-audit -Region us-east-1, eu-west-1 -OutputDirectory $env:BUILD_ARTIFACTSTAGINGDIRECTORY
    Checks two Regions of the real organization with the security-audit profile.
#>
[CmdletBinding()]
param(
    [string[]] $Region = @('us-east-1'),
    [string[]] $PolicyName = @(),
    [string] $ProfileName,
    [string] $OutputDirectory = (Join-Path (Get-Location) 'compliance-results'),

    # Where FmsTools is: a module name on $env:PSModulePath, or the path of FmsTools.psd1.
    [string] $ModulePath = 'FmsTools',

    # Start the local demo sandbox and run against it (no AWS account needed).
    [switch] $Sandbox
)

$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0
Import-Module $ModulePath

New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
$sandboxHost = $null
if ($Sandbox) {
    $sandboxHost = Start-FmsSandbox -Demo
    $sandboxHost | Connect-Fms | Out-Null
    $Region = @($Region + 'eu-west-1' | Select-Object -Unique)
}
elseif ($ProfileName) {
    Connect-Fms -ProfileName $ProfileName -Region $Region[0] | Out-Null
}

try {
    $container = New-PesterContainer -Path (Join-Path $PSScriptRoot 'OrganizationCompliance.Tests.ps1') -Data @{
        Region     = $Region
        PolicyName = $PolicyName
    }
    $configuration = New-PesterConfiguration
    $configuration.Run.Container = $container
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Normal'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'JUnitXml'
    $configuration.TestResult.OutputPath = Join-Path $OutputDirectory 'fms-compliance.junit.xml'
    $configuration.TestResult.TestSuiteName = 'Firewall Manager compliance'

    $result = Invoke-Pester -Configuration $configuration

    # The same figures for people: one self-contained page.
    $report = Get-FmsComplianceReport -Region $Region -AsReport
    try {
        $html = $report | Export-FmsComplianceReport -Format Html -Path (Join-Path $OutputDirectory 'fms-compliance.html') -Force
    }
    finally {
        $report.Dispose()
    }

    Write-Host ("{0} policy x account tests: {1} passed, {2} failed. JUnit: {3}; HTML: {4}" -f
        $result.TotalCount, $result.PassedCount, $result.FailedCount, $configuration.TestResult.OutputPath.Value, $html.FullName)
    if ($result.FailedCount -gt 0) { exit 1 }
}
finally {
    if ($sandboxHost) {
        Disconnect-Fms
        $sandboxHost | Stop-FmsSandbox -Confirm:$false
    }
}
