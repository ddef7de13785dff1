# Dot-sourced by the Configuration*.Tests.ps1 files (in BeforeAll): the module imported, a demo sandbox connected as
# $script:Sandbox, New-TestFolder for an empty folder per test, and Stop-ConfigurationSandbox for AfterAll.
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Get-FmsTestModule) -Force
$script:Sandbox = Start-FmsSandbox -Demo
$script:Sandbox | Connect-Fms

# An empty folder of its own under the temporary folder (its full path).
function New-TestFolder { (New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) ("fmstools-pester-" + [guid]::NewGuid().ToString('N')))).FullName }

function Stop-ConfigurationSandbox {
    if ($script:Sandbox) { $script:Sandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}
