<#
.SYNOPSIS
    The compliance CI job: checks the organization's Firewall Manager compliance once and publishes SARIF, JUnit,
    Markdown and HTML; fails on violations no exceptions file accepts.
.DESCRIPTION
    Imports FmsTools, connects (an AWS profile, the credentials of the job's environment such as an OIDC role from
    aws-actions/configure-aws-credentials, or the local demo sandbox with -Sandbox), reads the compliance report of
    every policy x account in -Region once with the exceptions file applied, and writes into -OutputDirectory:
      <ReportName>.sarif      SARIF 2.1.0 for GitHub code scanning / the Azure DevOps SARIF tab (accepted violations
                              are suppressed results)
      <ReportName>.junit.xml  JUnit, one test case per policy x account (accepted violations are not failures)
      <ReportName>.md         a Markdown summary; appended to $env:GITHUB_STEP_SUMMARY when set, and attached to the
                              Azure Pipelines run summary when $env:TF_BUILD is set
      <ReportName>.html       the self-contained HTML report, for an artifact
    Exit codes:
      0  no violation left: every non-compliant policy x account is wholly accepted by the exceptions file
      1  at least one policy x account has a violation the exceptions file does not accept (or whose exception expired)
      2  the check could not run or is incomplete: the module, the connection, the exceptions file or a read failed
    The reports are written whenever the report could be read, also when the exit code is 1 or 2.
.EXAMPLE
    ./Invoke-ComplianceCi.ps1 -Region us-east-1, eu-west-1 -ExceptionPath ./fms-exceptions.json
    Uses the job's credentials (environment variables, for instance those of an OIDC role) and writes ./fms-compliance/.
.EXAMPLE
    ./Invoke-ComplianceCi.ps1 -ProfileName security-audit -Region us-east-1 -OutputDirectory $env:BUILD_ARTIFACTSTAGINGDIRECTORY
    Uses the security-audit profile of the shared AWS config files.
.EXAMPLE
    ./Invoke-ComplianceCi.ps1 -Sandbox
    Runs against the demo organization of a local sandbox: exit code 1, the demo has violations.
.EXAMPLE
    ./Invoke-ComplianceCi.ps1 -Sandbox -ExceptionPath ./sandbox-exceptions.json
    The same with every demo violation accepted: exit code 0.
#>
[CmdletBinding()]
param(
    # The Regions to check; the connection's Region when omitted (us-east-1 and eu-west-1 with -Sandbox).
    [string[]] $Region = @(),

    # A profile of the shared AWS config/credentials files; without it the AWS SDK's chain (environment variables such
    # as those an OIDC role step sets, container or instance credentials).
    [string] $ProfileName,

    # The IAM role FmsTools assumes in member accounts (Connect-Fms -MemberAccountRoleName).
    [string] $MemberAccountRoleName,

    # Start the local demo sandbox and run against it (no AWS account needed).
    [switch] $Sandbox,

    # A JSON exceptions file of accepted violations (see Test-FmsCompliance); none when omitted.
    [string] $ExceptionPath,

    # Where the reports are written (created when missing; existing reports are replaced).
    [string] $OutputDirectory = (Join-Path (Get-Location) 'fms-compliance'),

    # The reports' base file name.
    [string] $ReportName = 'fms-compliance',

    # Where FmsTools is: a module name on $env:PSModulePath, or the path of FmsTools.psd1.
    [string] $ModulePath = 'FmsTools'
)

$ErrorActionPreference = 'Stop'
$sandboxHost = $null
$report = $null
$exitCode = 2
try {
    Import-Module $ModulePath
    New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    $OutputDirectory = (Resolve-Path -LiteralPath $OutputDirectory).ProviderPath

    if ($Sandbox) {
        $sandboxHost = Start-FmsSandbox -Demo
        $sandboxHost | Connect-Fms | Out-Null
        if ($Region.Count -eq 0) { $Region = @('us-east-1', 'eu-west-1') }
    }
    else {
        $connect = @{}
        if ($ProfileName) { $connect.ProfileName = $ProfileName }
        if ($Region.Count -gt 0) { $connect.Region = $Region[0] }
        if ($MemberAccountRoleName) { $connect.MemberAccountRoleName = $MemberAccountRoleName }
        $context = Connect-Fms @connect
        Write-Host "Connected: $context"
    }

    # One read of the organization; an empty -ExceptionPath also turns off a session default ($FmsExceptionPath).
    $read = @{ AsReport = $true; ExceptionPath = $(if ($ExceptionPath) { $ExceptionPath } else { '' }) }
    if ($Region.Count -gt 0) { $read.Region = $Region }
    $readErrors = @()
    $report = Get-FmsComplianceReport @read -ErrorAction Continue -ErrorVariable readErrors

    $base = Join-Path $OutputDirectory $ReportName
    $files = @(
        $report | Export-FmsComplianceReport -Format Sarif -Path "$base.sarif" -Force
        $report | Export-FmsComplianceReport -Format JUnit -Path "$base.junit.xml" -Force
        $report | Export-FmsComplianceReport -Format Markdown -Path "$base.md" -Force
        $report | Export-FmsComplianceReport -Format Html -Path "$base.html" -Force
    )
    $files | ForEach-Object { Write-Host "Wrote $($_.FullName)" }
    if ($env:GITHUB_STEP_SUMMARY) { Get-Content -LiteralPath "$base.md" | Add-Content -LiteralPath $env:GITHUB_STEP_SUMMARY }
    if ($env:TF_BUILD) { Write-Host "##vso[task.uploadsummary]$base.md" }

    # A policy x account fails when it is non-compliant and not every violator is accepted (an expired exception
    # accepts nothing). Not yet evaluated rows do not fail.
    $failing = @($report.Rows | Where-Object { $_.Status -eq 'NonCompliant' -and -not $_.IsExcepted } |
        Sort-Object Region, PolicyName, AccountId)
    $summary = $report.Summary
    Write-Host ("{0} policy x account evaluations: {1} compliant, {2} non-compliant ({3} wholly accepted by exceptions), {4} not evaluated yet." -f
        $summary.Evaluations, $summary.CompliantEvaluations, $summary.NonCompliantEvaluations, $summary.ExceptedEvaluations, $summary.UnknownEvaluations)
    foreach ($row in $failing) {
        Write-Host ("FAILED {0} | {1} | {2}: {3} violating resource(s), {4} accepted" -f
            $row.PolicyName, $row.Region, $row.AccountId, $row.ViolatorCount, $row.ExceptedViolatorCount)
    }
    if ($readErrors.Count -gt 0) {
        Write-Host "INCOMPLETE: $($readErrors.Count) read error(s); the reports do not cover everything."
        $exitCode = 2
    }
    elseif ($failing.Count -gt 0) {
        Write-Host "Result: $($failing.Count) policy x account evaluation(s) with violations no exception accepts."
        $exitCode = 1
    }
    else {
        Write-Host 'Result: no violation left to fix.'
        $exitCode = 0
    }
}
catch {
    Write-Host "ERROR: $($_.Exception.Message)"
    $exitCode = 2
}
finally {
    if ($report) { $report.Dispose() }
    if ($sandboxHost) {
        Disconnect-Fms
        $sandboxHost | Stop-FmsSandbox -Confirm:$false
    }
}
exit $exitCode
