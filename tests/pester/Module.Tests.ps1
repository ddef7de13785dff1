BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $manifestPath = Get-FmsTestManifest
    $exported = (Import-PowerShellDataFile $manifestPath).CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ManifestPath = Get-FmsTestManifest
    $script:ManifestData = Import-PowerShellDataFile $script:ManifestPath
    Import-Module (Get-FmsTestModule) -Force
}

AfterAll {
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'The FmsTools module' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'imports with the version its manifest declares' {
        (Get-Module FmsTools).Version | Should -Be ([version]$script:ManifestData.ModuleVersion)
    }

    It 'imports the copy under test (by name, the newest installed version)' {
        (Get-Module FmsTools).ModuleBase | Should -Be (Split-Path -Parent $script:ManifestPath)
    }

    It 'carries what the PowerShell Gallery shows' {
        $manifest = Test-ModuleManifest -Path $script:ManifestPath
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'AWS'
        $manifest.Tags | Should -Contain 'PSEdition_Core'
    }

    It 'exports exactly the cmdlets listed in CmdletsToExport' {
        $actual = (Get-Command -Module FmsTools -CommandType Cmdlet).Name | Sort-Object
        $expected = $script:ManifestData.CmdletsToExport | Sort-Object
        $actual | Should -Be $expected
    }

    It 'loads its format data for every output type' {
        $types = Get-Command -Module FmsTools -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } |
            Where-Object { $_ -and $_.Namespace -like 'FmsTools*' } | Sort-Object FullName -Unique
        foreach ($t in $types) {
            $data = Get-FormatData -TypeName $t.FullName
            $data | Should -Not -BeNullOrEmpty -Because "$($t.FullName) needs a table view"
            ($data.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] }) |
                Should -Not -BeNullOrEmpty -Because "$($t.FullName) needs a table view"
        }
    }
}

Describe 'Help for <_>' -ForEach $exported {
    BeforeAll {
        $script:Help = Get-Help -Name $_ -Full
        $script:Command = Get-Command -Name $_
    }

    It 'has a synopsis' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' -Because 'an auto-generated syntax line means the MAML was not found'
    }

    It 'has a description' {
        ($script:Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples' {
        @($script:Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in $script:Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $p = $script:Help.Parameters.Parameter | Where-Object Name -EQ $name
            ($p.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }
}
