# PowerShell citizenship in a real host: connecting to the sandbox, tab completion from live data, help, and
# sharing the session with a module that carries its own AWSSDK.Core (AWS.Tools).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $exported = (Import-PowerShellDataFile (Get-FmsTestManifest)).CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ManifestPath = Get-FmsTestManifest
    Import-Module $script:ManifestPath -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Connected = $script:Sandbox | Connect-Fms

    function Complete-Line([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }

    # Runs a script in a fresh process of this same PowerShell, so assembly loading starts from nothing.
    function Invoke-FreshSession([string] $Script) {
        # Windows PowerShell 5.1 makes each stderr line of a native command an error record under 2>&1; with a
        # 'Stop' preference the first one would end the test instead of landing in the output we assert on.
        $ErrorActionPreference = 'Continue'
        $exe = (Get-Process -Id $PID).Path
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $output = & $exe -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
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

Describe 'Sharing the session with AWS.Tools' {
    BeforeAll {
        $script:AwsTools = Get-Module -ListAvailable -Name AWS.Tools.Common | Select-Object -First 1
        $manifest = $script:ManifestPath -replace "'", "''"
        $script:Probe = @"
`$ErrorActionPreference = 'Stop'
`$sandbox = Start-FmsSandbox -Demo
# A credential object of AWS.Tools' own AWSSDK.Core, handed to FmsTools.
`$credential = New-AWSCredential -AccessKey `$sandbox.AccessKeyId -SecretKey `$sandbox.SecretAccessKey
`$policies = @(Get-FmsPolicy -EndpointUrl `$sandbox.Endpoint -Region `$sandbox.Region -Credential `$credential)
`$sdk = [Amazon.Runtime.AWSCredentials].Assembly
"policies=`$(`$policies.Count) awstools-sdk=`$(`$sdk.GetName().Version)"
`$sandbox | Stop-FmsSandbox -Confirm:`$false
"@
        $script:ImportFmsTools = "Import-Module '$manifest'"
    }

    It 'imports AWS.Tools.Common first, then FmsTools, and both work' {
        if (-not $script:AwsTools) { Set-ItResult -Skipped -Because 'AWS.Tools.Common is not installed on this machine'; return }
        if ($PSEdition -eq 'Desktop') { Set-ItResult -Skipped -Because 'Windows PowerShell 5.1 loads one AWSSDK.Core per process: import FmsTools first (about_FmsTools, KNOWN ISSUES)'; return }
        $result = Invoke-FreshSession ("Import-Module AWS.Tools.Common`n" + $script:ImportFmsTools + "`n" + $script:Probe)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'policies=[1-9]'
    }

    It 'imports FmsTools first, then AWS.Tools.Common, and both work' {
        if (-not $script:AwsTools) { Set-ItResult -Skipped -Because 'AWS.Tools.Common is not installed on this machine'; return }
        $result = Invoke-FreshSession ($script:ImportFmsTools + "`nImport-Module AWS.Tools.Common`n" + $script:Probe)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'policies=[1-9]'
    }

    It 'loads its own AWSSDK.Core in a private load context on PowerShell 7' {
        if ($PSEdition -ne 'Core') { Set-ItResult -Skipped -Because 'Windows PowerShell 5.1 has one assembly context; see about_FmsTools, KNOWN ISSUES'; return }
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([FmsTools.Engine.Connection.ForeignCredentials].Assembly)
        $context.Name | Should -Be 'FmsTools'
        $sdk = [FmsTools.Engine.Connection.ForeignCredentials].BaseType.Assembly
        $sdk.Location | Should -BeLike (Join-Path (Split-Path -Parent $script:ManifestPath) 'Dependencies*')
        @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name }) | Should -Not -Contain 'AWSSDK.Core'
    }
}
