# PowerShell citizenship in a real host: connecting to the sandbox, tab completion from live data, help, and
# sharing the session with a module that carries its own AWSSDK.Core (AWS.Tools).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $exported = (Import-PowerShellDataFile (Get-FmsTestManifest)).CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ManifestPath = Get-FmsTestManifest
    $script:ModuleSpec = Get-FmsTestModule
    Import-Module $script:ModuleSpec -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Connected = $script:Sandbox | Connect-Fms

    function Complete-Line([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }

    # What a session that also holds another AWSSDK.Core does with FmsTools (run in a fresh process).
    $script:AwsToolsProbe = @'
$ErrorActionPreference = 'Stop'
$sandbox = Start-FmsSandbox -Demo
# A credential object of the other module's AWSSDK.Core, handed to FmsTools with -Credential and as $StoredAWSCredentials.
$credential = New-AWSCredential -AccessKey $sandbox.AccessKeyId -SecretKey $sandbox.SecretAccessKey
$byParameter = @(Get-FmsPolicy -EndpointUrl $sandbox.Endpoint -Region $sandbox.Region -Credential $credential)
Set-AWSCredential -AccessKey $sandbox.AccessKeyId -SecretKey $sandbox.SecretAccessKey
$byStored = @(Get-FmsPolicy -EndpointUrl $sandbox.Endpoint -Region $sandbox.Region)
$other = [Amazon.Runtime.AWSCredentials].Assembly
$ours = [FmsTools.Engine.Policies.FmsPolicy].Assembly
"by-parameter=$($byParameter.Count) by-stored=$($byStored.Count) other-sdk=$($other.GetName().Version) other-context=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($other).Name)"
"named=$($byParameter[0] -is [FmsTools.Engine.Policies.FmsPolicy]) engine-context=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($ours).Name)"
$sandbox | Stop-FmsSandbox -Confirm:$false
'@

    # Runs a script in a fresh process of this same PowerShell, so assembly loading starts from nothing.
    function Invoke-FreshSession([string] $Script) {
        # Windows PowerShell 5.1 makes each stderr line of a native command an error record under 2>&1; with a
        # 'Stop' preference the first one would end the test instead of landing in the output we assert on.
        $ErrorActionPreference = 'Continue'
        $exe = (Get-Process -Id $PID).Path
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $output = & $exe -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
}

AfterAll {
    if ($script:Sandbox) { Stop-FmsSandbox -InputObject $script:Sandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Connecting to the sandbox' {
    It 'Start-FmsSandbox -Demo | Connect-Fms connects to the sandbox' {
        $script:Connected.IsSandbox | Should -BeTrue
        $script:Connected.EndpointUrl | Should -Be $script:Sandbox.Endpoint
    }

    It 'Get-FmsContext shows the session is on the sandbox' {
        $context = Get-FmsContext
        $context.IsSandbox | Should -BeTrue
        $context.Region | Should -Be $script:Sandbox.Region
    }
}

Describe 'Tab completion' {
    It 'completes Get-FmsPolicy -Name with the sandbox''s policy names' {
        $expected = @((Get-FmsPolicy).Name | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0
        $names = @((Complete-Line 'Get-FmsPolicy -Name ').ListItemText | Sort-Object)
        $names | Should -Be $expected
    }

    It 'completes only the names that match what was typed' {
        $found = @(Complete-Line 'Get-FmsPolicy -Name demo-s')
        $found.Count | Should -BeGreaterThan 0
        $found.CompletionText | ForEach-Object { $_ | Should -BeLike 'demo-s*' }
    }

    It 'completes policy ids listed with their names' {
        $policy = Get-FmsPolicy | Select-Object -First 1
        $match = @(Complete-Line "Remove-FmsPolicy -PolicyId $($policy.Name)") | Select-Object -First 1
        $match.CompletionText | Should -Be $policy.PolicyId
    }

    It 'completes -Region with AWS regions' {
        $regions = @((Complete-Line 'Get-FmsPolicy -Region eu-west-').CompletionText)
        $regions | Should -Be @('eu-west-1', 'eu-west-2', 'eu-west-3')
        @((Complete-Line 'Connect-Fms -Region ').CompletionText) | Should -Contain 'us-east-1'
    }
}

Describe 'Help' {
    It 'has the about_FmsTools and about_FmsTools_Sandbox topics' {
        foreach ($topic in 'about_FmsTools', 'about_FmsTools_Sandbox') {
            $text = Get-Help $topic | Out-String
            $text | Should -Match 'SHORT DESCRIPTION' -Because "$topic must be found by Get-Help"
        }
        (Get-Help about_FmsTools | Out-String) | Should -Match 'CONNECTING'
    }
}

Describe 'Help for <_>' -ForEach $exported {
    It 'has a synopsis and at least two examples' {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' -Because 'an auto-generated syntax line means the MAML was not found'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Sharing the session with AWS.Tools (<Name>)' -ForEach @(
    # AWS.Tools 4 carries AWSSDK.Core 3.7 (assembly 3.3.0.0); AWS.Tools 5 carries AWSSDK.Core 4.x (assembly 4.0.0.0, the
    # same identity as FmsTools' own copy, a different build). Where AWS.Tools.Common is installed it is used as well.
    @{ Name = 'AWSSDK.Core 3.7'; Package = '3.7.501.1' }
    @{ Name = 'AWSSDK.Core 4.1'; Package = '4.1.1' }
) {
    BeforeAll {
        # A stand-in for AWS.Tools.Common: a module that loads its own AWSSDK.Core into the default load context
        # (AWS.Tools.Common lists AWSSDK.Core.dll in RequiredAssemblies) and makes credential objects of it.
        $packages = $env:FMSTOOLS_TEST_PACKAGES
        if (-not $packages) { throw 'FMSTOOLS_TEST_PACKAGES is not set: run the suite with ./build.ps1 -Task Pester, which restores build/tools/TestTools.proj.' }
        $sdk = Join-Path $packages "awssdk.core/$Package/lib/netstandard2.0/AWSSDK.Core.dll"
        if (-not (Test-Path $sdk)) { throw "AWSSDK.Core $Package is not restored at $sdk (build/tools/TestTools.proj)." }
        $script:StandIn = Join-Path $TestDrive "AwsToolsStandIn$($Package -replace '\W', '')/AwsToolsStandIn"
        New-Item -ItemType Directory -Path $script:StandIn -Force | Out-Null
        Copy-Item $sdk $script:StandIn
        Set-Content -Path (Join-Path $script:StandIn 'AwsToolsStandIn.psm1') -Value @(
            'function New-AWSCredential([string] $AccessKey, [string] $SecretKey) { [Amazon.Runtime.BasicAWSCredentials]::new($AccessKey, $SecretKey) }'
            'function Set-AWSCredential([string] $AccessKey, [string] $SecretKey) { $global:StoredAWSCredentials = New-AWSCredential $AccessKey $SecretKey }'
        )
        Set-Content -Path (Join-Path $script:StandIn 'AwsToolsStandIn.psd1') -Value @"
@{ RootModule = 'AwsToolsStandIn.psm1'; ModuleVersion = '1.0'; RequiredAssemblies = @('AWSSDK.Core.dll'); FunctionsToExport = @('New-AWSCredential', 'Set-AWSCredential') }
"@
        $script:ImportOther = "Import-Module '$((Join-Path $script:StandIn 'AwsToolsStandIn.psd1') -replace "'", "''")'"
        $script:ImportFmsTools = "Import-Module '$($script:ModuleSpec -replace "'", "''")'"
    }

    It 'imports the other module first, then FmsTools, and both work' {
        if ($PSEdition -eq 'Desktop') { Set-ItResult -Skipped -Because 'Windows PowerShell 5.1 loads one AWSSDK.Core per process: import FmsTools first (about_FmsTools, KNOWN ISSUES)'; return }
        $result = Invoke-FreshSession ($script:ImportOther + "`n" + $script:ImportFmsTools + "`n" + $script:AwsToolsProbe)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'by-parameter=[1-9]\d* by-stored=[1-9]\d* other-sdk=\S+ other-context=Default'
        $result.Output | Should -Match 'named=True engine-context=Default'
    }

    It 'imports FmsTools first, then the other module, and both work' {
        $result = Invoke-FreshSession ($script:ImportFmsTools + "`n" + $script:ImportOther + "`n" + $script:AwsToolsProbe)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'by-parameter=[1-9]\d* by-stored=[1-9]\d* other-sdk=\S+ other-context=Default'
        $result.Output | Should -Match 'named=True'
    }

}

Describe 'Sharing the session with the real AWS.Tools.Common' {
    # Defined only where AWS.Tools.Common is installed (not on the CI machines, which cannot reach the PowerShell
    # Gallery; the stand-ins above carry the AWSSDK.Core versions AWS.Tools 4 and 5 ship).
    It 'imports AWS.Tools.Common first, then FmsTools, and both work' -ForEach @(Get-Module -ListAvailable -Name AWS.Tools.Common | Select-Object -First 1) {
        $import = "Import-Module AWS.Tools.Common`nImport-Module '$($script:ModuleSpec -replace "'", "''")'`n"
        $result = Invoke-FreshSession ($import + $script:AwsToolsProbe)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'by-parameter=[1-9]'
    }
}

Describe 'Where the module loads on PowerShell 7' {
    It 'puts the assemblies scripts name in the default context and AWSSDK.Core in a private one' {
        if ($PSEdition -ne 'Core') { Set-ItResult -Skipped -Because 'Windows PowerShell 5.1 has one assembly context; see about_FmsTools, KNOWN ISSUES'; return }
        foreach ($type in 'FmsTools.Engine.Policies.FmsPolicy', 'FmsTools.Sandbox.SandboxHost', 'FmsTools.Commands.GetFmsPolicy') {
            $resolved = $type -as [type]
            $resolved | Should -Not -BeNullOrEmpty -Because "scripts name $type"
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($resolved.Assembly).Name | Should -Be 'Default'
        }
        $aws = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'FmsTools'
        $sdk = @($aws.Assemblies | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' })
        $sdk.Count | Should -Be 1
        $sdk[0].Location | Should -BeLike (Join-Path (Split-Path -Parent $script:ManifestPath) 'Dependencies*')
        @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name }) | Should -Not -Contain 'AWSSDK.Core'
    }
}

Describe 'AWSSDK.EC2 loads only when EC2 work runs' {
    It 'is not loaded by importing, reading or -WhatIf, and loads in the private context when a member account is changed' {
        if ($PSEdition -ne 'Core') { Set-ItResult -Skipped -Because 'Windows PowerShell 5.1 has one assembly context'; return }
        $probe = @"
Import-Module '$($script:ModuleSpec -replace "'", "''")'
function Ec2Contexts { @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { @(`$_.Assemblies | Where-Object { `$_.GetName().Name -eq 'AWSSDK.EC2' }).Count -gt 0 } | ForEach-Object Name) -join '+' }
"import=[`$(Ec2Contexts)]"
`$sandbox = Start-FmsSandbox -Demo -FreezeClock
`$null = `$sandbox | Connect-Fms
`$null = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -WhatIf 6>`$null
"whatif=[`$(Ec2Contexts)]"
`$null = Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -Confirm:`$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
"run=[`$(Ec2Contexts)]"
"@
        $result = Invoke-FreshSession $probe
        $result.Output | Should -Match 'import=\[\]'
        $result.Output | Should -Match 'whatif=\[\]'
        $result.Output | Should -Match 'run=\[FmsTools\]'
    }
}
