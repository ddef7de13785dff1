#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and packages the FmsTools module.
.DESCRIPTION
    Build   : publishes src/FmsTools and lays out the importable module at out/FmsTools/<version>/
              (manifest stamped with the version from Directory.Build.props, assemblies, Format/Types
              ps1xml, compiled MAML help and about topics).
    Test    : Build, then the xunit suite (dotnet test), then Pester.
    Pester  : Build, then tests/pester/*.Tests.ps1 in a CHILD PowerShell process, so this session never
              loads (and locks) the module's assemblies. -PowerShellPath powershell.exe runs them under
              Windows PowerShell 5.1.
    Package : Build, then out/FmsTools-<version>.zip with a SHA256 file beside it.
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Pester -PowerShellPath powershell.exe -PesterResultPath out/pester-5.1.xml
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out'),

    # Where Pester writes NUnit XML results.
    [string] $PesterResultPath = (Join-Path $PSScriptRoot 'out/pester-results.xml'),

    # The PowerShell that runs Pester: pwsh (default) or powershell.exe for Windows PowerShell 5.1.
    [string] $PowerShellPath = 'pwsh',

    # Use an already laid-out module instead of building (CI tests the artifact it built once).
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Invoke-Native {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$FilePath exited with code $LASTEXITCODE" }
}

function Get-ProductVersion {
    $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot 'Directory.Build.props'))
    # XPath rather than $props.Project.PropertyGroup.FmsToolsVersion: under Set-StrictMode a PropertyGroup without
    # that element would throw instead of being skipped.
    $version = $props.SelectSingleNode('/Project/PropertyGroup/FmsToolsVersion')
    if (-not $version -or -not $version.InnerText.Trim()) { throw 'Directory.Build.props has no FmsToolsVersion.' }
    $version.InnerText.Trim()
}

$script:Built = $null

function Invoke-BuildTask {
    if ($script:Built) { return $script:Built }
    if ($ModulePath) {
        $script:Built = (Resolve-Path $ModulePath).Path
        return $script:Built
    }
    $publish = Join-Path $PSScriptRoot 'artifacts/publish'
    if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
    Invoke-Native dotnet @('publish', (Join-Path $PSScriptRoot 'src/FmsTools/FmsTools.csproj'), '-c', $Configuration, '-o', $publish, '--nologo')
    Invoke-Native dotnet @('build', (Join-Path $PSScriptRoot 'build/FmsTools.BuildTools/FmsTools.BuildTools.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    $tool = Join-Path $PSScriptRoot "build/FmsTools.BuildTools/bin/$Configuration/net10.0/fmsbuild.dll"
    $dest = & dotnet $tool layout --publish $publish --out $OutputPath --repo $PSScriptRoot
    if ($LASTEXITCODE -ne 0) { throw 'Laying out the module failed.' }
    $script:Built = ($dest | Select-Object -Last 1).Trim()
    Write-Host "Module laid out at $script:Built" -ForegroundColor Green
    $script:Built
}

function Invoke-XunitTask {
    $moduleDir = Invoke-BuildTask
    $env:FMSTOOLS_LAYOUT_DIR = $moduleDir
    Invoke-Native dotnet @('test', (Join-Path $PSScriptRoot 'FmsTools.sln'), '-c', $Configuration, '--nologo')
}

function Invoke-PesterTask {
    $moduleDir = Invoke-BuildTask
    $manifest = Join-Path $moduleDir 'FmsTools.psd1'
    # An absolute path, so the child process and the check below agree on the file whatever the location is.
    $resultPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PesterResultPath)
    $resultDir = Split-Path -Parent $resultPath
    if ($resultDir -and -not (Test-Path $resultDir)) { New-Item -ItemType Directory -Path $resultDir | Out-Null }
    if (Test-Path $resultPath) { Remove-Item $resultPath }
    # A child process: the module's dlls load there and are released when it exits.
    $script = @"
`$ErrorActionPreference = 'Stop'
`$env:FMSTOOLS_MODULE_MANIFEST = '$($manifest -replace "'", "''")'
# Pester 5: the tests and the module's Should -BeFmsCompliant are written for its Should and configuration.
Import-Module Pester -MinimumVersion 5.3.0 -MaximumVersion 5.99.99
`$config = New-PesterConfiguration
`$config.Run.Path = '$((Join-Path $PSScriptRoot 'tests/pester') -replace "'", "''")'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputFormat = 'NUnitXml'
`$config.TestResult.OutputPath = '$($resultPath -replace "'", "''")'
# The tests run with PowerShell's default error preference, as in a user's session: under 'Stop', Windows
# PowerShell 5.1 turns every stderr line of a native command redirected with 2>&1 into a terminating error.
`$ErrorActionPreference = 'Continue'
Invoke-Pester -Configuration `$config
"@
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    Invoke-Native $PowerShellPath @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
    # Pester exits with the number of failures, which Linux and macOS truncate to 8 bits (256 failures exit 0), and a
    # run that discovered no test exits 0 as well: the result file has the last word.
    if (-not (Test-Path $resultPath)) { throw "Pester wrote no result file at $resultPath." }
    $results = ([xml](Get-Content -Raw $resultPath)).'test-results'
    $total = [int]$results.total
    $failed = [int]$results.failures + [int]$results.errors
    if ($total -eq 0) { throw "Pester ran no test ($resultPath)." }
    if ($failed -gt 0) { throw "Pester: $failed of $total tests failed ($resultPath)." }
    Write-Host "Pester: $total tests ran, none failed." -ForegroundColor Green
}

function Invoke-PackageTask {
    $moduleDir = Invoke-BuildTask
    $version = Get-ProductVersion
    $zip = Join-Path $OutputPath "FmsTools-$version.zip"
    if (Test-Path $zip) { Remove-Item $zip }
    Compress-Archive -Path (Join-Path (Split-Path -Parent $moduleDir) '*') -DestinationPath $zip
    $hash = (Get-FileHash -Algorithm SHA256 $zip).Hash
    Set-Content -Path "$zip.sha256" -Value "$hash  $(Split-Path -Leaf $zip)"
    Write-Host "Package: $zip" -ForegroundColor Green
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask | Out-Null }
        'Test' { Invoke-XunitTask; Invoke-PesterTask }
        'Pester' { Invoke-PesterTask }
        'Package' { Invoke-PackageTask }
    }
}
