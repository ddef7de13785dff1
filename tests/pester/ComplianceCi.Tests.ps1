# examples/compliance-ci: Invoke-ComplianceCi.ps1 run as a CI job would (a child PowerShell, its exit code) against the
# demo sandbox, and the GitHub Actions / Azure Pipelines files that call it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Module = Get-FmsTestModule
    $script:Folder = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/compliance-ci')).ProviderPath
    $script:CiScript = Join-Path $script:Folder 'Invoke-ComplianceCi.ps1'
    $script:PowerShell = if (Test-Path (Join-Path $PSHOME 'pwsh')) { Join-Path $PSHOME 'pwsh' }
                         elseif (Test-Path (Join-Path $PSHOME 'pwsh.exe')) { Join-Path $PSHOME 'pwsh.exe' }
                         else { (Get-Process -Id $PID).Path }

    # Runs the script in a new PowerShell as a CI step does; returns its exit code and output lines.
    function Invoke-CiScript([string[]] $Arguments, [string] $StepSummary) {
        $before = $env:GITHUB_STEP_SUMMARY
        $env:GITHUB_STEP_SUMMARY = $StepSummary
        try {
            $lines = & $script:PowerShell -NoProfile -NonInteractive -File $script:CiScript -ModulePath $script:Module @Arguments 2>&1 |
                ForEach-Object { "$_" }
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($lines) }
        }
        finally { $env:GITHUB_STEP_SUMMARY = $before }
    }

    # The script's parameter names, from its param block (the PowerShell parser, not a list kept by hand).
    $tokens = $null; $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:CiScript, [ref] $tokens, [ref] $parseErrors)
    $script:ScriptParameters = @($ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })

    # The parameters and values of every call of Invoke-ComplianceCi.ps1 in a piece of PowerShell.
    function Get-CiCall([string] $Code) {
        $t = $null; $e = $null
        $parsed = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $t, [ref] $e)
        $e | Should -BeNullOrEmpty
        foreach ($command in $parsed.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            if ($command.GetCommandName() -notlike '*Invoke-ComplianceCi.ps1') { continue }
            $bound = [ordered]@{}
            $elements = $command.CommandElements
            for ($i = 1; $i -lt $elements.Count; $i++) {
                if ($elements[$i] -is [System.Management.Automation.Language.CommandParameterAst]) {
                    $value = if ($i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) { $elements[$i + 1].Extent.Text } else { $true }
                    $bound[$elements[$i].ParameterName] = $value
                }
            }
            $bound
        }
    }

    function Read-Yaml([string] $Path) {
        $json = & python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))' $Path
        if ($LASTEXITCODE -ne 0) { throw "python3 with PyYAML could not read $Path" }
        $json | ConvertFrom-Json
    }

    function Read-Sarif([string] $Path) {
        $sarif = Get-Content -Raw $Path | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        @($sarif.runs).Count | Should -Be 1
        $sarif.runs[0].tool.driver.name | Should -Be 'FmsTools'
        $ruleIds = @($sarif.runs[0].tool.driver.rules | ForEach-Object id)
        foreach ($result in $sarif.runs[0].results) {
            $ruleIds | Should -Contain $result.ruleId
            $result.message.text | Should -Not -BeNullOrEmpty
            @($result.locations).Count | Should -BeGreaterThan 0
        }
        $sarif
    }

    $script:Out = Join-Path $TestDrive 'ci'
    $script:Summary = Join-Path $TestDrive 'step-summary.md'
    $script:Failing = Invoke-CiScript -Arguments @('-Sandbox', '-OutputDirectory', (Join-Path $script:Out 'failing')) -StepSummary $script:Summary
    $script:Passing = Invoke-CiScript -Arguments @('-Sandbox', '-OutputDirectory', (Join-Path $script:Out 'passing'),
        '-ExceptionPath', (Join-Path $script:Folder 'sandbox-exceptions.json')) -StepSummary ''
}

Describe 'Invoke-ComplianceCi.ps1 against the demo sandbox' {
    It 'fails with exit code 1 on the demo violations and writes SARIF, JUnit, Markdown and HTML' {
        $script:Failing.ExitCode | Should -Be 1 -Because ($script:Failing.Lines -join "`n")
        $folder = Join-Path $script:Out 'failing'
        $sarif = Read-Sarif (Join-Path $folder 'fms-compliance.sarif')
        $results = @($sarif.runs[0].results)
        $results.Count | Should -BeGreaterThan 0
        @($results | Where-Object { $_.PSObject.Properties['suppressions'] }).Count | Should -Be 0

        [xml] $junit = Get-Content -Raw (Join-Path $folder 'fms-compliance.junit.xml')
        $cases = @($junit.SelectNodes('//testcase'))
        $failed = @($junit.SelectNodes('//testcase[failure]'))
        $failed.Count | Should -BeGreaterThan 0
        $failed.Count | Should -BeLessThan $cases.Count
        # The script names every failing policy x account, and they are the JUnit failures.
        @($script:Failing.Lines | Where-Object { $_ -like 'FAILED *' }).Count | Should -Be $failed.Count
        $script:Failing.Lines | Should -Contain "Result: $($failed.Count) policy x account evaluation(s) with violations no exception accepts."

        (Get-Item (Join-Path $folder 'fms-compliance.html')).Length | Should -BeGreaterThan 0
        $markdown = Get-Content -Raw (Join-Path $folder 'fms-compliance.md')
        $markdown | Should -Match 'non-compliant'
        # $env:GITHUB_STEP_SUMMARY gets the Markdown summary.
        Get-Content -Raw $script:Summary | Should -Be $markdown
    }

    It 'passes with exit code 0 when the exceptions file accepts every demo violation' {
        $script:Passing.ExitCode | Should -Be 0 -Because ($script:Passing.Lines -join "`n")
        $folder = Join-Path $script:Out 'passing'
        $sarif = Read-Sarif (Join-Path $folder 'fms-compliance.sarif')
        $results = @($sarif.runs[0].results)
        $results.Count | Should -Be @((Read-Sarif (Join-Path $script:Out 'failing/fms-compliance.sarif')).runs[0].results).Count
        foreach ($result in $results) { $result.suppressions[0].status | Should -Be 'accepted' }

        [xml] $junit = Get-Content -Raw (Join-Path $folder 'fms-compliance.junit.xml')
        @($junit.SelectNodes('//testcase[failure]')).Count | Should -Be 0
        @($junit.SelectNodes('//testcase')).Count | Should -Be @(([xml] (Get-Content -Raw (Join-Path $script:Out 'failing/fms-compliance.junit.xml'))).SelectNodes('//testcase')).Count
        $script:Passing.Lines | Should -Contain 'Result: no violation left to fix.'
    }

    It 'fails again (exit code 1) when one exception is left out' {
        $entries = @(Get-Content -Raw (Join-Path $script:Folder 'sandbox-exceptions.json') | ConvertFrom-Json)
        $partial = Join-Path $TestDrive 'partial-exceptions.json'
        ConvertTo-Json -InputObject @($entries | Where-Object policy -ne 'demo-waf-baseline') -Depth 4 | Set-Content $partial
        $run = Invoke-CiScript -Arguments @('-Sandbox', '-OutputDirectory', (Join-Path $script:Out 'partial'), '-ExceptionPath', $partial) -StepSummary ''
        $run.ExitCode | Should -Be 1 -Because ($run.Lines -join "`n")
        $named = @($run.Lines | Where-Object { $_ -like 'FAILED *' })
        $named.Count | Should -BeGreaterThan 0
        $named | ForEach-Object { $_ | Should -BeLike 'FAILED demo-waf-baseline |*' }
    }

    It 'exits 2 when the exceptions file does not exist, before any report' {
        $run = Invoke-CiScript -Arguments @('-Sandbox', '-OutputDirectory', (Join-Path $script:Out 'missing'), '-ExceptionPath', (Join-Path $TestDrive 'nope.json')) -StepSummary ''
        $run.ExitCode | Should -Be 2 -Because ($run.Lines -join "`n")
        Test-Path (Join-Path $script:Out 'missing/fms-compliance.sarif') | Should -BeFalse
    }
}

Describe 'Invoke-ComplianceCi.ps1 with AWS credentials, as a CI job gets them' {
    BeforeAll {
        Import-Module $script:Module
        $script:Host2 = Start-FmsSandbox -Demo
        $script:SavedEnv = @{}
        $script:EnvNames = 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
            'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL'
        foreach ($name in $script:EnvNames) { $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name) }
        # Isolated shared files: no profile of the machine takes part.
        $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'aws-config'
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'aws-credentials'
        foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL') {
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        "[profile fms-ci]`nregion = us-east-1`nendpoint_url = $($script:Host2.Endpoint)`n" | Set-Content $env:AWS_CONFIG_FILE
        "[fms-ci]`naws_access_key_id = $($script:Host2.AccessKeyId)`naws_secret_access_key = $($script:Host2.SecretAccessKey)`n" | Set-Content $env:AWS_SHARED_CREDENTIALS_FILE
        # What the -Sandbox run found failing in us-east-1: the same organization, read through AWS credentials.
        $script:ExpectedFailing = @($script:Failing.Lines | Where-Object { $_ -like 'FAILED * | us-east-1 | *' })
    }
    AfterAll {
        foreach ($name in $script:EnvNames) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
        if ($script:Host2) { $script:Host2 | Stop-FmsSandbox -Confirm:$false }
    }

    It 'uses the environment credentials an OIDC role step sets (AWS_ACCESS_KEY_ID, AWS_REGION)' {
        $env:AWS_ACCESS_KEY_ID = $script:Host2.AccessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $script:Host2.SecretAccessKey
        $env:AWS_REGION = 'us-east-1'
        $env:AWS_ENDPOINT_URL = $script:Host2.Endpoint
        try {
            $run = Invoke-CiScript -Arguments @('-OutputDirectory', (Join-Path $script:Out 'environment')) -StepSummary ''
        }
        finally {
            foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
        }
        $run.ExitCode | Should -Be 1 -Because ($run.Lines -join "`n")
        $run.Lines | Should -Contain "Connected: arn:aws:iam::$($script:Host2.AdminAccountId):user/fms-admin in us-east-1 via $($script:Host2.Endpoint)"
        @($run.Lines | Where-Object { $_ -like 'FAILED *' }) | Should -Be $script:ExpectedFailing
        $run.Lines -join "`n" | Should -Not -Match ([regex]::Escape($script:Host2.SecretAccessKey))
    }

    It 'uses a named profile (-ProfileName) and exits 0 when its exceptions file accepts everything' {
        $run = Invoke-CiScript -Arguments @('-ProfileName', 'fms-ci', '-Region', 'us-east-1', '-OutputDirectory', (Join-Path $script:Out 'profile'),
            '-ExceptionPath', (Join-Path $script:Folder 'sandbox-exceptions.json')) -StepSummary ''
        $run.ExitCode | Should -Be 0 -Because ($run.Lines -join "`n")
        $run.Lines | Should -Contain "Connected: arn:aws:iam::$($script:Host2.AdminAccountId):user/fms-admin in us-east-1 via $($script:Host2.Endpoint)"
        [xml] $junit = Get-Content -Raw (Join-Path $script:Out 'profile/fms-compliance.junit.xml')
        @($junit.SelectNodes('//testcase')).Count | Should -BeGreaterThan 0
        @($junit.SelectNodes('//testcase[failure]')).Count | Should -Be 0
    }
}

Describe 'The CI files of examples/compliance-ci' {
    It 'GitHub Actions: OIDC permissions, the script with its real parameters, SARIF and artifacts uploaded even on failure' {
        $workflow = Read-Yaml (Join-Path $script:Folder 'github-workflow.yml')
        $workflow.permissions.'security-events' | Should -Be 'write'
        $workflow.permissions.'id-token' | Should -Be 'write'
        $steps = @($workflow.jobs.compliance.steps)
        ($steps | Where-Object { $_.uses -like 'aws-actions/configure-aws-credentials@*' }).with.'role-to-assume' | Should -Not -BeNullOrEmpty

        $runs = @($steps | Where-Object { $_.run -match 'Invoke-ComplianceCi\.ps1' })
        $runs.Count | Should -Be 1
        $runs[0].shell | Should -Be 'pwsh'
        $call = @(Get-CiCall $runs[0].run)
        $call.Count | Should -Be 1
        foreach ($name in $call[0].Keys) { $script:ScriptParameters | Should -Contain $name }
        $expected = '{0}/{1}' -f ($call[0].OutputDirectory -replace '^\./', ''), $call[0].ReportName

        $sarif = @($steps | Where-Object { $_.uses -like 'github/codeql-action/upload-sarif@*' })
        $sarif.Count | Should -Be 1
        $sarif[0].if | Should -Match 'always\(\)'
        $sarif[0].with.sarif_file | Should -Be "$expected.sarif"
        $upload = @($steps | Where-Object { $_.uses -like 'actions/upload-artifact@*' })
        $upload[0].if | Should -Match 'always\(\)'
        $upload[0].with.path -split "`n" | Should -Contain "$expected.junit.xml"
        $upload[0].with.path -split "`n" | Should -Contain "$expected.html"
    }

    It 'Azure Pipelines: PowerShell@2 in pwsh with the real parameters, JUnit published, SARIF as CodeAnalysisLogs' {
        $pipeline = Read-Yaml (Join-Path $script:Folder 'azure-pipelines.yml')
        $steps = @($pipeline.steps)
        $check = @($steps | Where-Object { $_.task -eq 'PowerShell@2' -and $_.inputs.filePath -like '*Invoke-ComplianceCi.ps1' })
        $check.Count | Should -Be 1
        $check[0].inputs.pwsh | Should -BeTrue
        (Join-Path (Resolve-Path (Join-Path $script:Folder '../..')) $check[0].inputs.filePath) | Should -Exist
        $call = @(Get-CiCall ("& ./{0} {1}" -f $check[0].inputs.filePath, $check[0].inputs.arguments))
        $call.Count | Should -Be 1
        foreach ($name in $call[0].Keys) { $script:ScriptParameters | Should -Contain $name }
        $report = $call[0].ReportName

        $tests = @($steps | Where-Object task -eq 'PublishTestResults@2')
        $tests[0].condition | Should -Be 'always()'
        $tests[0].inputs.testResultsFormat | Should -Be 'JUnit'
        $tests[0].inputs.testResultsFiles | Should -Be "$report.junit.xml"
        $tests[0].inputs.searchFolder | Should -Be $call[0].OutputDirectory
        $sarif = @($steps | Where-Object task -eq 'PublishBuildArtifacts@1')
        $sarif[0].condition | Should -Be 'always()'
        $sarif[0].inputs.ArtifactName | Should -Be 'CodeAnalysisLogs'
        $sarif[0].inputs.PathtoPublish | Should -Be ('{0}/{1}.sarif' -f $call[0].OutputDirectory, $report)
    }
}
