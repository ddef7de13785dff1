#Requires -Version 7.4
# FmsTools as users get it: the Gallery package (build.ps1 -Task Package) installed with PSResourceGet from a local
# repository, upgraded to the next version, saved for an air-gapped machine, and uninstalled. Every PSResourceGet call
# and every import runs in a fresh pwsh whose HOME is a throw-away folder, so the user scope (installed modules and
# registered repositories) starts empty and nothing touches the real user's.
#
# FMSTOOLS_PACKAGES names the folder holding FmsTools.<N>.nupkg and FmsTools.<N+1>.nupkg (.ci/run builds both).

BeforeAll {
    $source = $env:FMSTOOLS_PACKAGES
    if (-not $source -or -not (Test-Path $source)) { throw 'FMSTOOLS_PACKAGES must name a folder with two FmsTools packages (see .ci/run).' }
    $script:Versions = @(Get-ChildItem -Path $source -Filter 'FmsTools.*.nupkg' |
        ForEach-Object { [version]($_.Name -replace '^FmsTools\.(.+)\.nupkg$', '$1') } | Sort-Object)
    if ($script:Versions.Count -lt 2) { throw "FMSTOOLS_PACKAGES ($source) holds $($script:Versions.Count) FmsTools package(s); two versions are needed." }
    $script:Old = $script:Versions[-2]
    $script:New = $script:Versions[-1]

    $script:UserHome = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $script:UserHome | Out-Null
    $script:Repository = Join-Path $TestDrive 'repository'
    New-Item -ItemType Directory -Path $script:Repository | Out-Null
    Copy-Item -Path (Join-Path $source "FmsTools.$($script:Old).nupkg") -Destination $script:Repository
    $script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    # Where Install-PSResource puts a CurrentUser module on this platform, under the throw-away HOME.
    $script:UserModules = if ($IsWindows) { Join-Path $script:UserHome 'Documents/PowerShell/Modules' } else { Join-Path $script:UserHome '.local/share/powershell/Modules' }

    function New-FreshPwsh([string] $Script) {
        $start = [System.Diagnostics.ProcessStartInfo]::new($script:Pwsh)
        foreach ($a in '-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-Command', $Script) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['HOME'] = $script:UserHome
        $start.Environment['USERPROFILE'] = $script:UserHome
        # Only the user scope of the throw-away HOME (pwsh adds its own $PSHOME/Modules).
        $start.Environment['PSModulePath'] = $script:UserModules
        $start.Environment['NO_COLOR'] = '1'
        [System.Diagnostics.Process]::Start($start)
    }

    # Runs a script in a fresh pwsh and returns its exit code and output.
    function Invoke-FreshPwsh([string] $Script) {
        $process = New-FreshPwsh $Script
        $process.StandardInput.Close()
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout + $stderr.Result }
    }

    $script:Register = "Register-PSResourceRepository -Name FmsLocal -Uri '$($script:Repository -replace "'", "''")' -Trusted`n"
}

Describe 'The FmsTools package' {
    It 'installs from a repository with Install-PSResource and imports by name' {
        $result = Invoke-FreshPwsh ($script:Register + @'
$ErrorActionPreference = 'Stop'
Install-PSResource -Name FmsTools -Repository FmsLocal -TrustRepository
$module = Import-Module FmsTools -PassThru
"imported=$($module.Version) base=$($module.ModuleBase)"
$sandbox = Start-FmsSandbox -Demo
$null = $sandbox | Connect-Fms
"policies=$(@(Get-FmsPolicy).Count)"
$sandbox | Stop-FmsSandbox -Confirm:$false
'@)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match "imported=$([regex]::Escape("$($script:Old)")) base=$([regex]::Escape($script:UserModules))"
        $result.Output | Should -Match 'policies=[1-9]'
    }

    It 'holds only what the module needs' {
        $installed = Join-Path $script:UserModules "FmsTools/$($script:Old)"
        @(Get-ChildItem -Path $installed -Recurse -Include '*.pdb', '*.Tests.ps1', '*.nuspec') | Should -BeNullOrEmpty
        Join-Path $installed 'FmsTools.psd1' | Should -Exist
        Join-Path $installed 'Dependencies/FmsTools.dll' | Should -Exist
        Join-Path $installed 'en-US/FmsTools.dll-Help.xml' | Should -Exist
    }

    It 'installs the next version beside it: new sessions import the newest, a running session keeps its version' {
        # A session that imported the installed version and keeps running while the next one is installed.
        $running = New-FreshPwsh @'
$ErrorActionPreference = 'Stop'
$module = Import-Module FmsTools -PassThru
$sandbox = Start-FmsSandbox -Demo
$null = $sandbox | Connect-Fms
"READY $($module.Version)"
$null = [Console]::In.ReadLine()
"STILL $((Get-Module FmsTools).Version) policies=$(@(Get-FmsPolicy).Count)"
$sandbox | Stop-FmsSandbox -Confirm:$false
'@
        try {
            $running.StandardOutput.ReadLine() | Should -Be "READY $($script:Old)"

            Copy-Item -Path (Join-Path $env:FMSTOOLS_PACKAGES "FmsTools.$($script:New).nupkg") -Destination $script:Repository
            $upgrade = Invoke-FreshPwsh ($script:Register + @'
$ErrorActionPreference = 'Stop'
Install-PSResource -Name FmsTools -Repository FmsLocal -TrustRepository
"installed=$((Get-InstalledPSResource -Name FmsTools | Sort-Object Version | ForEach-Object Version) -join ',')"
"imported=$((Import-Module FmsTools -PassThru).Version)"
'@)
            $upgrade.ExitCode | Should -Be 0 -Because $upgrade.Output
            $upgrade.Output | Should -Match "installed=$([regex]::Escape("$($script:Old),$($script:New)"))"
            $upgrade.Output | Should -Match "imported=$([regex]::Escape("$($script:New)"))"

            $running.StandardInput.WriteLine('go')
            $running.StandardInput.Close()
            $rest = $running.StandardOutput.ReadToEnd()
            $running.WaitForExit()
            $running.ExitCode | Should -Be 0 -Because ($rest + $running.StandardError.ReadToEnd())
            $rest | Should -Match "STILL $([regex]::Escape("$($script:Old)")) policies=[1-9]"
        }
        finally {
            if (-not $running.HasExited) { $running.Kill($true) }
        }
    }

    It 'saves with Save-PSResource for an air-gapped machine, and the saved copy imports from a folder' {
        $saved = Join-Path $TestDrive 'saved'
        $result = Invoke-FreshPwsh ($script:Register + @"
`$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Path '$saved' | Out-Null
Save-PSResource -Name FmsTools -Repository FmsLocal -TrustRepository -Path '$saved'
`$module = Import-Module '$saved/FmsTools' -PassThru
"saved=`$(`$module.Version) base=`$(`$module.ModuleBase)"
"@)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match "saved=$([regex]::Escape("$($script:New)")) base=$([regex]::Escape($saved))"
    }

    It 'uninstalls cleanly with Uninstall-PSResource' {
        $result = Invoke-FreshPwsh @'
$ErrorActionPreference = 'Stop'
Get-InstalledPSResource -Name FmsTools | Uninstall-PSResource
"left=$(@(Get-InstalledPSResource -Name FmsTools -ErrorAction SilentlyContinue).Count) available=$(@(Get-Module -ListAvailable -Name FmsTools).Count)"
'@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'left=0 available=0'
        Join-Path $script:UserModules 'FmsTools' | Should -Not -Exist
    }
}
