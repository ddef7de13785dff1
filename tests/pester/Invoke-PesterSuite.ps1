<#
.SYNOPSIS
    Runs tests/pester/*.Tests.ps1 against the module named by $env:FMSTOOLS_MODULE_MANIFEST and writes NUnit XML.
.DESCRIPTION
    build.ps1 -Task Pester runs this in a child PowerShell (pwsh, or powershell.exe for Windows PowerShell 5.1) so that
    the session that builds never loads the module's assemblies. The exit code is Pester's (the number of failures);
    the caller reads the result file, which is exact where an exit code is truncated.
#>
param(
    [Parameter(Mandatory)][string] $PesterVersion,
    [Parameter(Mandatory)][string] $ResultPath
)
$ErrorActionPreference = 'Stop'
# The tests and the module's Should -BeFmsCompliant are written for Pester 5's Should and configuration.
Import-Module Pester -RequiredVersion $PesterVersion
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
# The tests run with PowerShell's default error preference, as in a user's session: under 'Stop', Windows
# PowerShell 5.1 turns every stderr line of a native command redirected with 2>&1 into a terminating error.
$ErrorActionPreference = 'Continue'
Invoke-Pester -Configuration $config
