# Dot-sourced by every *.Tests.ps1: finds the laid-out module (build.ps1 passes it in
# FMSTOOLS_MODULE_MANIFEST; otherwise the newest out/FmsTools/<version>/FmsTools.psd1).
function Get-FmsTestManifest {
    if ($env:FMSTOOLS_MODULE_MANIFEST) { return $env:FMSTOOLS_MODULE_MANIFEST }
    $found = Get-ChildItem -Path (Join-Path $PSScriptRoot '../../out/FmsTools') -Recurse -Filter FmsTools.psd1 -ErrorAction SilentlyContinue |
        Sort-Object { [version](Split-Path -Leaf (Split-Path -Parent $_.FullName)) } -Descending |
        Select-Object -First 1
    if (-not $found) { throw 'No laid-out module: run ./build.ps1 -Task Build first.' }
    $found.FullName
}
