# Dot-sourced by every *.Tests.ps1: which FmsTools to test. build.ps1 passes it in FMSTOOLS_MODULE_MANIFEST: the path
# of a laid-out FmsTools.psd1, or the name 'FmsTools' for the copy installed on $env:PSModulePath (build.ps1 -Task
# Pester -Installed). Otherwise the newest out/FmsTools/<version>/FmsTools.psd1 of this repository.

# What the tests pass to Import-Module: a manifest path, or the module name (imported by name, as users do).
function Get-FmsTestModule {
    if ($env:FMSTOOLS_MODULE_MANIFEST) { return $env:FMSTOOLS_MODULE_MANIFEST }
    $found = Get-ChildItem -Path (Join-Path $PSScriptRoot '../../out/FmsTools') -Recurse -Filter FmsTools.psd1 -ErrorAction SilentlyContinue |
        Sort-Object { [version](Split-Path -Leaf (Split-Path -Parent $_.FullName)) } -Descending |
        Select-Object -First 1
    if (-not $found) { throw 'No laid-out module: run ./build.ps1 -Task Build first.' }
    $found.FullName
}

# The manifest file of that module: for a name, the one Import-Module picks (the newest version on $env:PSModulePath).
function Get-FmsTestManifest {
    $module = Get-FmsTestModule
    if ($module -like '*.psd1') { return $module }
    $available = Get-Module -ListAvailable -Name $module | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $available) { throw "No module named '$module' on PSModulePath ($env:PSModulePath)." }
    $available.Path
}
