# The compliance report's SARIF validated against the published OASIS SARIF 2.1.0 schema (tests/schemas), with and
# without accepted violations, from the demo organization in a real PowerShell host. The validator is Python's
# jsonschema (Draft 4, as the schema declares), an implementation independent of ours.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Sandbox | Connect-Fms
    $script:Schema = (Resolve-Path (Join-Path $PSScriptRoot '../schemas/sarif-schema-2.1.0.json')).Path
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("fmstools-schemas-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Folder | Out-Null
    $script:Python = (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    # Every schema error of $Path, one line each ("path: message"); none when the file is valid.
    function Get-SchemaError([string] $Path) {
        $check = @'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
document = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft4Validator.check_schema(schema)
for error in jsonschema.Draft4Validator(schema).iter_errors(document):
    print("/".join(str(p) for p in error.absolute_path) + ": " + error.message[:300])
print("CHECKED")
'@
        $lines = @(& $script:Python -c $check $script:Schema $Path 2>&1 | ForEach-Object { "$_" })
        if ($LASTEXITCODE -ne 0 -or $lines[-1] -ne 'CHECKED') { throw "The validator did not run (exit $LASTEXITCODE): $($lines -join ' ')" }
        @($lines | Select-Object -SkipLast 1)
    }
}

AfterAll {
    Disconnect-Fms -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FmsSandbox -Confirm:$false -ErrorAction SilentlyContinue }
    if ($script:Folder) { Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'SARIF against the OASIS SARIF 2.1.0 schema' {
    BeforeAll {
        if (-not $script:Python) { throw 'python3 is needed to validate against the published schema.' }
    }

    It 'the validator refuses a document the schema forbids (so a pass means something)' {
        $bad = Join-Path $script:Folder 'bad.sarif'
        Set-Content -LiteralPath $bad -Value '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"message":{}}]}]}'
        $errors = Get-SchemaError $bad
        $errors.Count | Should -BeGreaterThan 0
        ($errors -join "`n") | Should -Match "'name' is a required property"
    }

    It 'a report of the demo organization with violations is valid' {
        $path = Join-Path $script:Folder 'demo.sarif'
        Get-FmsComplianceReport -Region us-east-1, eu-west-1 -AsReport -ExceptionPath '' | Export-FmsComplianceReport -Format Sarif -Path $path
        $sarif = Get-Content -Raw -LiteralPath $path | ConvertFrom-Json
        @($sarif.runs[0].results).Count | Should -BeGreaterThan 0
        Get-SchemaError $path | Should -BeNullOrEmpty
    }

    It 'a report whose violations are all accepted through an exceptions file is valid, with suppressions' {
        $path = Join-Path $script:Folder 'excepted.sarif'
        $exceptions = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/compliance-ci/sandbox-exceptions.json')).Path
        Get-FmsComplianceReport -Region us-east-1, eu-west-1 -AsReport -ExceptionPath $exceptions |
            Export-FmsComplianceReport -Format Sarif -Path $path
        $sarif = Get-Content -Raw -LiteralPath $path | ConvertFrom-Json
        $suppressed = @($sarif.runs[0].results | Where-Object { $_.suppressions })
        $suppressed.Count | Should -BeGreaterThan 0
        Get-SchemaError $path | Should -BeNullOrEmpty
    }
}
