# Credentials, endpoints and secrets as an AWS user meets them (issue 21), continued from Connection.Tests.ps1: AWS.Tools
# stored settings, no credential material left in the session, and STS against moto. Every case runs in a fresh
# PowerShell process with a home folder of its own (ConnectionSetup.ps1).

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConnectionSetup.ps1')
}

AfterAll {
    Remove-ConnectionSetup
}

Describe 'AWS.Tools stored settings' {
    It 'a $StoredAWSCredentials FmsTools cannot sign with, and a $StoredAWSRegion that is no Region, each warn saying what was expected' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:Endpoint }) -Script @'
$global:StoredAWSCredentials = 'my-profile'
$global:StoredAWSRegion = 'somewhere'
Write-Result (Invoke-Captured { Get-FmsContext })
'@
        $r.Errors | Should -BeNullOrEmpty
        $r.Warnings.Count | Should -Be 2
        $r.Warnings[0] | Should -BeLike '*$StoredAWSCredentials holds a System.String*expected an AWSCredentials object*'
        $r.Warnings[1] | Should -BeLike "*`$StoredAWSRegion holds 'somewhere'*expected a Region name*"
    }

    It 'a $StoredAWSRegion holding a Region object is used' {
        $r = Invoke-Fresh -Environment @{
            AWS_ENDPOINT_URL = $script:Endpoint; AWS_ACCESS_KEY_ID = $script:Sandbox.AccessKeyId; AWS_SECRET_ACCESS_KEY = $script:Sandbox.SecretAccessKey
        } -Script (@'
# Shaped like AWS.Tools' Amazon.PowerShell.Common.AWSRegion.
$global:StoredAWSRegion = [pscustomobject]@{ Region = 'REGION'; Name = 'The sandbox Region'; IsShellDefault = $true }
Write-Result (Invoke-Captured { Get-FmsContext })
'@).Replace('REGION', $script:Region)
        $r.Errors | Should -BeNullOrEmpty
        $r.Warnings | Should -BeNullOrEmpty
        $r.Output[0].Region | Should -Be $script:Region
    }
}

Describe 'No credential material in anything FmsTools leaves in the session' {
    It 'printing or serialising every FmsTools variable, output object and error finds neither the secret key nor the session token' {
        $r = Invoke-Fresh -Script @'
$accessKey = 'AKIAISSUE21LEAKTEST1'
$secretKey = 'issue21SecretKeyThatMustNeverBePrinted/0001'
$token = 'IQoJb3JpZ2luX2VjEIssue21SessionTokenThatMustNeverBePrinted//////wEaCXVz'
# A sandbox of this process that knows the key pair (so it carries real, non-sandbox keys), and no session token.
$sandbox = Start-FmsSandbox -Demo
$sandbox.AddCredential([FmsTools.Sandbox.SandboxCredential]::new($accessKey, $secretKey, $sandbox.AdminAccountId, 'issue21'))
$outputs = [Collections.Generic.List[object]]::new()
function Keep { process { if ($null -ne $_) { $outputs.Add($_) } } }
# Keys with a session token held as session defaults (nothing validates them), and calls signed with them.
Connect-Fms -EndpointUrl $sandbox.Endpoint -Region $sandbox.Region -AccessKey $accessKey -SecretKey $secretKey -SessionToken $token -SkipValidation | Keep
Get-FmsPolicy -ErrorAction SilentlyContinue | Keep
Get-FmsContext -ErrorAction SilentlyContinue | Keep
$withToken = $FmsToolsSessionDefaults
# The same keys validated and used, and a call with a wrong secret.
Connect-Fms -EndpointUrl $sandbox.Endpoint -Region $sandbox.Region -AccessKey $accessKey -SecretKey $secretKey | Keep
Get-FmsPolicy | Keep
Get-FmsContext | Keep
Get-FmsPolicy -EndpointUrl $sandbox.Endpoint -AccessKey $accessKey -SecretKey ($secretKey + 'x') -SessionToken $token -ErrorAction SilentlyContinue | Keep

$variables = @(Get-Variable | Where-Object {
    $_.Name -like '*Fms*' -or ($null -ne $_.Value -and $_.Value.GetType().Assembly.GetName().Name -like 'FmsTools*') })
$texts = [Collections.Generic.List[string]]::new()
function Render($Object) {
    $texts.Add(($Object | Format-List * -Force | Out-String -Width 400))
    $texts.Add(($Object | Format-Custom -Depth 5 | Out-String -Width 400))
    $texts.Add(($Object | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue))
    $file = Join-Path '~HOME~' ([guid]::NewGuid().ToString('N') + '.xml')
    $Object | Export-Clixml -LiteralPath $file -Depth 10
    $texts.Add((Get-Content -Raw -LiteralPath $file))
}
foreach ($object in @($variables.Value) + @($withToken, $FmsToolsSessionDefaults) + @($outputs)) { if ($null -ne $object) { Render $object } }
# Errors: the record as PowerShell shows and exports it, and what FmsTools put in it at depth 10. (The whole record at
# depth 10 walks PowerShell's own session state through InvocationInfo.MyCommand: megabytes that hold the test's own
# variables, not anything FmsTools left.)
foreach ($record in @($Error)) {
    $texts.Add(($record | Format-List * -Force | Out-String -Width 400))
    $texts.Add(($record | Out-String -Width 400))
    $file = Join-Path '~HOME~' ([guid]::NewGuid().ToString('N') + '.xml')
    $record | Export-Clixml -LiteralPath $file
    $texts.Add((Get-Content -Raw -LiteralPath $file))
    foreach ($part in $record.TargetObject, $record.ErrorDetails, $record.CategoryInfo, $record.InvocationInfo.BoundParameters) {
        if ($null -ne $part) { Render $part }
    }
    # Each exception of the chain with every property but TargetSite, the reflection graph of the throwing method
    # (ConvertTo-Json -Depth 10 of it runs for minutes and holds no value of ours).
    for ($exception = $record.Exception; $null -ne $exception; $exception = $exception.InnerException) {
        $texts.Add(($exception | Format-List * -Force | Out-String -Width 400))
        Render ($exception | Select-Object * -ExcludeProperty TargetSite, InnerException)
    }
}
if (Test-Path $env:FMSTOOLS_JOURNAL) { Get-ChildItem -Recurse -File $env:FMSTOOLS_JOURNAL | ForEach-Object { $texts.Add((Get-Content -Raw $_.FullName)) } }
$all = $texts -join "`n"
Write-Result (@{
    Variables = @($variables.Name); Outputs = @($outputs | ForEach-Object { $_.GetType().Name }); Errors = $Error.Count
    SecretFound = $all.Contains($secretKey); TokenFound = $all.Contains($token); AccessKeyFound = $all.Contains($accessKey)
    MaskedKeyShown = $all.Contains('****************EST1')
})
'@
        $r.Variables | Should -Contain 'sandbox'
        $r.Outputs | Should -Contain 'FmsContext'
        $r.Outputs | Should -Contain 'FmsPolicy'
        $r.Errors | Should -BeGreaterThan 0
        $r.MaskedKeyShown | Should -BeTrue
        $r.SecretFound | Should -BeFalse
        $r.TokenFound | Should -BeFalse
        $r.AccessKeyFound | Should -BeFalse
    }
}

Describe 'Against moto, where it serves STS' {
    BeforeAll {
        $script:Moto = $null
        & python3 -c 'import moto.server' 2>$null
        if ($LASTEXITCODE -eq 0) {
            $port = Get-FreePort
            $script:MotoEndpoint = "http://127.0.0.1:$port"
            $script:Moto = Start-Process -FilePath python3 -ArgumentList '-m', 'moto.server', '-H', '127.0.0.1', '-p', $port -PassThru `
                -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -RedirectStandardError ([IO.Path]::GetTempFileName())
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            $client = [Net.Http.HttpClient]::new()
            $client.Timeout = [TimeSpan]::FromSeconds(2)
            while ($true) {
                try { if ($client.GetAsync("$($script:MotoEndpoint)/moto-api/").GetAwaiter().GetResult().IsSuccessStatusCode) { break } } catch { }
                if ($script:Moto.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "moto.server did not answer at $($script:MotoEndpoint)" }
                Start-Sleep -Milliseconds 200
            }
        }
    }

    AfterAll {
        if ($script:Moto -and -not $script:Moto.HasExited) { Stop-Process -Id $script:Moto.Id -Force }
    }

    It 'role chaining and web identity call moto''s STS when AWS_ENDPOINT_URL_STS names it' {
        if (-not $script:Moto) { Set-ItResult -Skipped -Because 'moto (python3 -m moto.server) is not installed'; return }
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL_STS = $script:MotoEndpoint; AWS_ENDPOINT_URL_FMS = $script:Endpoint } -Config @"
[profile base]
region = us-east-1

[profile moto-role]
role_arn = arn:aws:iam::123456789012:role/ci-role
source_profile = base
role_session_name = ci-moto
region = us-east-1

[profile moto-web]
role_arn = arn:aws:iam::123456789012:role/ci-web-role
web_identity_token_file = ~HOME~/token
role_session_name = ci-moto-web
region = us-east-1
"@ -Credentials "[base]`naws_access_key_id = AKIAMOTOBASE00000001`naws_secret_access_key = motoBaseSecret`n" -Files @{ token = (New-WebIdentityToken) } -Script @'
$role = Invoke-Captured { Get-FmsContext -ProfileName moto-role -Verbose }
$web = Invoke-Captured { Get-FmsContext -ProfileName moto-web -Verbose }
Write-Result (@{ Role = $role; Web = $web })
'@
        (Get-Call $r.Role 'STS.AssumeRole') | Should -BeLike "* at $($script:MotoEndpoint): HTTP 200*"
        (Get-Call $r.Role 'STS.GetCallerIdentity') | Should -BeLike "* at $($script:MotoEndpoint): HTTP 200*"
        (Get-Call $r.Web 'STS.AssumeRoleWithWebIdentity') | Should -BeLike "* at $($script:MotoEndpoint): HTTP 200*"
        # The FMS call goes to the sandbox, which does not know moto's temporary keys: a refusal of FMS, not of STS.
        foreach ($run in $r.Role, $r.Web) {
            (Get-Call $run 'FMS.*') | Should -BeLike "* at $($script:Endpoint):*"
            $run.Errors[0].Id | Should -Not -BeIn 'AssumeRoleFailed', 'WebIdentityFailed'
        }
    }
}
