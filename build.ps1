#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and packages the FmsTools module.
.DESCRIPTION
    Build   : publishes src/FmsTools (and build/FmsTools.ReadyToRun per rid) and lays out the importable module at out/FmsTools/<version>/
              (manifest stamped with the version from Directory.Build.props, assemblies, Format/Types
              ps1xml, compiled MAML help and about topics; ReadyToRun images for PowerShell 7 on linux-x64 and win-x64 in
              Dependencies/ReadyToRun/<rid>/). Compiler errors are shown as dotnet prints them.
    Test    : Build, then the xunit suite (dotnet test, with the laid-out module), then Pester.
    Pester  : Build, then tests/pester/*.Tests.ps1 in a CHILD PowerShell process, so this session never
              loads (and locks) the module's assemblies. Pester 5.9.1 and the test tools come pinned from NuGet
              (build/tools/TestTools.proj); Pester is copied to artifacts/modules unless $env:PSModulePath
              already has that version. -PowerShellPath powershell.exe runs the tests under Windows PowerShell 5.1.
    Package : Build, then the PowerShell Gallery package out/repository/FmsTools.<version>.nupkg (Publish-PSResource
              to a local file repository, from the laid-out module without debug symbols) and its SHA-256 in
              out/FmsTools.<version>.nupkg.sha256. out/repository is a PSResourceGet repository: Install-PSResource, Save-PSResource
              and Find-PSResource take it once registered (Register-PSResourceRepository -Uri <folder>).
    Docs    : Builds the cmdlet assembly and rewrites the generated parts of docs/*.md (front matter, SYNTAX, the
              parameter yaml blocks, INPUTS/OUTPUTS headings) from its metadata, in platyPS schema 2.0.0; the prose
              stays. Run it after adding, renaming or removing a parameter (a test fails while docs are stale).
    Browser : Build, then tests/browser (npm ci; node report.test.js): the HTML compliance report of two demo sandboxes
              in headless Chromium (/usr/bin/chromium, or $env:CHROMIUM_PATH) driven by playwright-core; screenshots
              and the reports go to artifacts/browser.
    Several tasks run in the order given, building once; Test followed by Pester runs Pester once.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
    The tests as the README runs them: PowerShell 7.6.10 from the repository's tool manifest.
.EXAMPLE
    ./build.ps1 -Task Pester -PowerShellPath powershell.exe -PesterResultPath out/pester-5.1.xml
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Docs', 'Browser')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out'),

    # Where Pester writes NUnit XML results.
    [string] $PesterResultPath = (Join-Path $PSScriptRoot 'out/pester-results.xml'),

    # The PowerShell that runs Pester: this one by default, or powershell.exe for Windows PowerShell 5.1.
    [string] $PowerShellPath,

    # Use an already laid-out module instead of building (CI tests the artifact it built once).
    [string] $ModulePath,

    # Pester: test the FmsTools that 'Import-Module FmsTools' finds on $env:PSModulePath (an installed copy).
    [switch] $Installed,

    # Build this version instead of Directory.Build.props' FmsToolsVersion (a second version to test upgrades).
    [ValidatePattern('^\d+\.\d+\.\d+$')]
    [string] $Version
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$PesterVersion = '5.9.1'

function Invoke-Native {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    # To the host, not the pipeline: a function's output is its return value, and the tool's text is not.
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$FilePath exited with code $LASTEXITCODE (its output is above)." }
}

function Get-ProductVersion {
    if ($Version) { return $Version }
    $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot 'Directory.Build.props'))
    # XPath rather than $props.Project.PropertyGroup.FmsToolsVersion: under Set-StrictMode a PropertyGroup without
    # that element would throw instead of being skipped.
    $version = $props.SelectSingleNode('/Project/PropertyGroup/FmsToolsVersion')
    if (-not $version -or -not $version.InnerText.Trim()) { throw 'Directory.Build.props has no FmsToolsVersion.' }
    $version.InnerText.Trim()
}

$script:Built = $null
$script:PesterRan = $false

function Invoke-BuildTask {
    if ($script:Built) { return $script:Built }
    if ($ModulePath) {
        $script:Built = (Resolve-Path $ModulePath).Path
        return $script:Built
    }
    $publish = Join-Path $PSScriptRoot 'artifacts/publish'
    if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
    $versionArgs = if ($Version) { @("-p:FmsToolsVersion=$Version") } else { @() }
    Invoke-Native dotnet (@('publish', (Join-Path $PSScriptRoot 'src/FmsTools/FmsTools.csproj'), '-c', $Configuration, '-o', $publish, '--nologo') + $versionArgs)
    # ReadyToRun images of the engine, the AWS client and AWSSDK.Core for PowerShell 7 on the platforms crossgen2 from
    # the registry compiles for here (the SDK picks the crossgen2 and runtime packs); the loader falls back to IL elsewhere.
    $readyToRun = Join-Path $PSScriptRoot 'artifacts/readytorun'
    if (Test-Path $readyToRun) { Remove-Item -Recurse -Force $readyToRun }
    foreach ($rid in 'linux-x64', 'win-x64') {
        Invoke-Native dotnet (@('publish', (Join-Path $PSScriptRoot 'build/FmsTools.ReadyToRun/FmsTools.ReadyToRun.csproj'), '-c', $Configuration,
                '-r', $rid, '-o', (Join-Path $readyToRun $rid), "-p:FmsModuleAssemblies=$publish", '--nologo') + $versionArgs)
    }
    Invoke-Native dotnet @('build', (Join-Path $PSScriptRoot 'build/FmsTools.BuildTools/FmsTools.BuildTools.csproj'), '-c', $Configuration, '--nologo')
    $tool = Join-Path $PSScriptRoot "build/FmsTools.BuildTools/bin/$Configuration/net10.0/fmsbuild.dll"
    $layoutArgs = @('layout', '--publish', $publish, '--out', $OutputPath, '--repo', $PSScriptRoot, '--readytorun', $readyToRun)
    if ($Version) { $layoutArgs += @('--version', $Version) }
    $lines = @(& dotnet $tool @layoutArgs)
    if ($LASTEXITCODE -ne 0) {
        $lines | Out-Host
        throw "Laying out the module failed (fmsbuild exited with code $LASTEXITCODE)."
    }
    # fmsbuild prints the module folder as its last line.
    $dest = if ($lines.Count) { "$($lines[-1])".Trim() } else { '' }
    if (-not $dest -or -not (Test-Path (Join-Path $dest 'FmsTools.psd1'))) {
        $lines | Out-Host
        throw "fmsbuild did not report a module folder with FmsTools.psd1 (last line: '$dest')."
    }
    $script:Built = $dest
    Write-Host "Module laid out at $script:Built" -ForegroundColor Green
    $script:Built
}

function Invoke-XunitTask {
    $moduleDir = Invoke-BuildTask
    $env:FMSTOOLS_LAYOUT_DIR = $moduleDir
    Invoke-Native dotnet @('test', (Join-Path $PSScriptRoot 'FmsTools.sln'), '-c', $Configuration, '--nologo')
}

# Restores build/tools/TestTools.proj (Pester and the AWSSDK.Core versions of AWS.Tools, pinned) and returns the NuGet
# packages folder that holds them.
function Restore-TestTools {
    Invoke-Native dotnet @('restore', (Join-Path $PSScriptRoot 'build/tools/TestTools.proj'), '--nologo')
    $packages = "$(& dotnet nuget locals global-packages --list)" -replace '^global-packages:\s*', ''
    if ($LASTEXITCODE -ne 0 -or -not $packages.Trim()) { throw 'dotnet could not name its global packages folder.' }
    $packages.Trim()
}

# The folder to add to PSModulePath so that 'Import-Module Pester -RequiredVersion 5.9.1' finds Pester, or $null when
# the PSModulePath of this session already has it.
function Get-PesterModuleRoot([string] $Packages) {
    if (Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -eq [version]$PesterVersion }) { return $null }
    $root = Join-Path $PSScriptRoot 'artifacts/modules'
    $target = Join-Path $root "Pester/$PesterVersion"
    if (-not (Test-Path (Join-Path $target 'Pester.psd1'))) {
        # The package's tools/ folder is the module.
        $source = Join-Path $Packages "pester/$PesterVersion/tools"
        if (-not (Test-Path (Join-Path $source 'Pester.psd1'))) { throw "Pester $PesterVersion was restored, but $source has no Pester.psd1." }
        New-Item -ItemType Directory -Path $target -Force | Out-Null
        Copy-Item -Path (Join-Path $source '*') -Destination $target -Recurse -Force
    }
    $root
}

function Get-ChildPowerShell {
    if ($PowerShellPath) { return $PowerShellPath }
    # The PowerShell running this script (the repository's `dotnet pwsh` tool, or an installed pwsh).
    $self = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $self) { return $self }
    'pwsh'
}

function Invoke-PesterTask {
    if ($script:PesterRan) { return }
    # -Installed: the suite imports 'FmsTools' by name from $env:PSModulePath (tests/pester/Common.ps1 resolves it).
    $manifest = if ($Installed) { 'FmsTools' } else { Join-Path (Invoke-BuildTask) 'FmsTools.psd1' }
    # An absolute path, so the child process and the check below agree on the file whatever the location is.
    $resultPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PesterResultPath)
    $resultDir = Split-Path -Parent $resultPath
    if ($resultDir -and -not (Test-Path $resultDir)) { New-Item -ItemType Directory -Path $resultDir | Out-Null }
    if (Test-Path $resultPath) { Remove-Item $resultPath }
    $packages = Restore-TestTools
    $pesterRoot = Get-PesterModuleRoot $packages

    # A child process: the module's dlls load there and are released when it exits.
    $previous = @{ Path = $env:PSModulePath; Manifest = $env:FMSTOOLS_MODULE_MANIFEST; Packages = $env:FMSTOOLS_TEST_PACKAGES }
    try {
        if ($pesterRoot) { $env:PSModulePath = $pesterRoot + [IO.Path]::PathSeparator + $env:PSModulePath }
        $env:FMSTOOLS_MODULE_MANIFEST = $manifest
        # Where the suite finds the AWSSDK.Core versions of AWS.Tools that TestTools.proj restored.
        $env:FMSTOOLS_TEST_PACKAGES = $packages
        Invoke-Native (Get-ChildPowerShell) @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'tests/pester/Invoke-PesterSuite.ps1'),
            '-PesterVersion', $PesterVersion, '-ResultPath', $resultPath)
    }
    finally {
        $env:PSModulePath = $previous.Path
        $env:FMSTOOLS_MODULE_MANIFEST = $previous.Manifest
        $env:FMSTOOLS_TEST_PACKAGES = $previous.Packages
    }
    # Pester exits with the number of failures, which Linux and macOS truncate to 8 bits (256 failures exit 0), and a
    # run that discovered no test exits 0 as well: the result file has the last word.
    if (-not (Test-Path $resultPath)) { throw "Pester wrote no result file at $resultPath." }
    $results = ([xml](Get-Content -Raw $resultPath)).'test-results'
    $total = [int]$results.total
    $failed = [int]$results.failures + [int]$results.errors
    if ($total -eq 0) { throw "Pester ran no test ($resultPath)." }
    if ($failed -gt 0) { throw "Pester: $failed of $total tests failed ($resultPath)." }
    Write-Host "Pester: $total tests ran, none failed." -ForegroundColor Green
    $script:PesterRan = $true
}

function Invoke-PackageTask {
    $moduleDir = Invoke-BuildTask
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'FmsTools.psd1') -ErrorAction Stop
    $packageVersion = "$($manifest.Version)"
    # What users get: the laid-out module without debug symbols, in a folder named after the module.
    $stage = Join-Path $PSScriptRoot 'artifacts/package/FmsTools'
    if (Test-Path $stage) { Remove-Item -Recurse -Force $stage }
    New-Item -ItemType Directory -Path $stage -Force | Out-Null
    Copy-Item -Path (Join-Path $moduleDir '*') -Destination $stage -Recurse
    Get-ChildItem -Path $stage -Recurse -Filter *.pdb | Remove-Item

    $repository = Join-Path $OutputPath 'repository'
    New-Item -ItemType Directory -Path $repository -Force | Out-Null
    $package = Join-Path $repository "FmsTools.$packageVersion.nupkg"
    if (Test-Path $package) { Remove-Item $package }
    # A repository registered for this publish only (PSResourceGet keeps registrations per user).
    $name = "FmsToolsBuild-$([guid]::NewGuid().ToString('N'))"
    Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    try {
        Publish-PSResource -Path $stage -Repository $name
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    if (-not (Test-Path $package)) { throw "Publish-PSResource wrote no $package." }
    # Beside the repository, not in it: PSResourceGet reads every FmsTools.* file in a file repository as a package.
    $hash = (Get-FileHash -Algorithm SHA256 $package).Hash
    Set-Content -Path (Join-Path $OutputPath "FmsTools.$packageVersion.nupkg.sha256") -Value "$hash  $(Split-Path -Leaf $package)"
    Write-Host ("Package: {0} ({1:N1} MB)" -f $package, ((Get-Item $package).Length / 1MB)) -ForegroundColor Green
}

function Invoke-DocsTask {
    Invoke-Native dotnet @('build', (Join-Path $PSScriptRoot 'src/FmsTools/FmsTools.csproj'), '-c', $Configuration, '--nologo')
    Invoke-Native dotnet @('build', (Join-Path $PSScriptRoot 'build/FmsTools.BuildTools/FmsTools.BuildTools.csproj'), '-c', $Configuration, '--nologo')
    $tool = Join-Path $PSScriptRoot "build/FmsTools.BuildTools/bin/$Configuration/net10.0/fmsbuild.dll"
    Invoke-Native dotnet @($tool, 'docs', '--repo', $PSScriptRoot, '--configuration', $Configuration)
}

function Invoke-BrowserTask {
    $moduleDir = Invoke-BuildTask
    $folder = Join-Path $PSScriptRoot 'tests/browser'
    Push-Location $folder
    try {
        Invoke-Native npm @('ci', '--no-audit', '--no-fund')
        Invoke-Native node @('report.test.js', '--module', $moduleDir, '--out', (Join-Path $PSScriptRoot 'artifacts/browser'))
    } finally { Pop-Location }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask | Out-Null }
        'Test' { Invoke-XunitTask; Invoke-PesterTask }
        'Pester' { Invoke-PesterTask }
        'Package' { Invoke-PackageTask }
        'Docs' { Invoke-DocsTask }
        'Browser' { Invoke-BrowserTask }
    }
}
