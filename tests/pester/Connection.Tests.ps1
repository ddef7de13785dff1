# Credentials, endpoints and secrets as an AWS user meets them (issue 21): every case runs in a fresh PowerShell process
# with a home folder of its own (its own ~/.aws/config and ~/.aws/credentials, no AWS_* variable but the test's),
# against a sandbox this file starts, and against moto (python3 -m moto.server) where moto serves STS.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ModuleSpec = Get-FmsTestModule
    Import-Module $script:ModuleSpec -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Endpoint = $script:Sandbox.Endpoint
    $script:Region = $script:Sandbox.Region
    $script:AdminRole = "arn:aws:iam::$($script:Sandbox.AdminAccountId):role/OrganizationAccountAccessRole"
    $script:Homes = [Collections.Generic.List[string]]::new()

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
    # A loopback port nothing listens on (taken from the OS, then released).
    $script:DeadEndpoint = "http://127.0.0.1:$(Get-FreePort)"

    # The PowerShell running the suite, started anew for each case.
    $script:PowerShell = if (Test-Path (Join-Path $PSHOME 'pwsh')) { Join-Path $PSHOME 'pwsh' }
                         elseif (Test-Path (Join-Path $PSHOME 'pwsh.exe')) { Join-Path $PSHOME 'pwsh.exe' }
                         else { (Get-Process -Id $PID).Path }

    # What the child runs first: the module, and Invoke-Captured, which runs a block and returns every stream of it (and
    # a terminating error) as plain data, with how long it took.
    $script:Prelude = @'
$ErrorActionPreference = 'Continue'
Import-Module $env:FMSTOOLS_TEST_MODULE
function Write-Result($Value) { 'FMSTOOLS-RESULT:' + ($Value | ConvertTo-Json -Depth 6 -Compress) }
function Invoke-Captured([scriptblock] $Block) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $items = [Collections.Generic.List[object]]::new()
    try { & $Block 2>&1 3>&1 4>&1 | ForEach-Object { $items.Add($_) } } catch { $items.Add($_) }
    $watch.Stop()
    [pscustomobject]@{
        Seconds  = $watch.Elapsed.TotalSeconds
        Output   = @($items | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and $_ -isnot [Management.Automation.VerboseRecord] } |
                     ForEach-Object { [pscustomobject]@{ Type = $_.GetType().Name; Text = "$_"; CallerArn = $_.CallerArn; Region = $_.Region; EndpointUrl = $_.EndpointUrl } })
        Errors   = @($items | Where-Object { $_ -is [Management.Automation.ErrorRecord] } |
                     ForEach-Object { [pscustomobject]@{ Id = ($_.FullyQualifiedErrorId -split ',')[0]; Category = "$($_.CategoryInfo.Category)"; Message = $_.Exception.Message; Target = "$($_.TargetObject)" } })
        Warnings = @($items | Where-Object { $_ -is [Management.Automation.WarningRecord] } | ForEach-Object Message)
        Verbose  = @($items | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
    }
}
'@

    # Runs $Script in a fresh process with a fresh home folder holding $Config (~/.aws/config) and $Credentials
    # (~/.aws/credentials), no AWS_* variable but $Environment's; returns what the script's last line printed as JSON.
    function Invoke-Fresh {
        param([string] $Script, [hashtable] $Environment = @{}, [string] $Config, [string] $Credentials, [hashtable] $Files = @{})
        $folder = Join-Path ([IO.Path]::GetTempPath()) ("fmstools-home-" + [guid]::NewGuid().ToString('N'))
        $script:Homes.Add($folder)
        New-Item -ItemType Directory -Path (Join-Path $folder '.aws') -Force | Out-Null
        if ($Config) { Set-Content -LiteralPath (Join-Path $folder '.aws/config') -Value $Config.Replace('~HOME~', $folder) }
        if ($Credentials) { Set-Content -LiteralPath (Join-Path $folder '.aws/credentials') -Value $Credentials }
        foreach ($file in $Files.GetEnumerator()) {
            $path = Join-Path $folder $file.Key
            New-Item -ItemType Directory -Path (Split-Path -Parent $path) -Force | Out-Null
            Set-Content -LiteralPath $path -Value $file.Value -NoNewline
        }
        $start = [Diagnostics.ProcessStartInfo]::new($script:PowerShell)
        foreach ($argument in '-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand') { $start.ArgumentList.Add($argument) }
        $start.ArgumentList.Add([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script:Prelude + "`n" + $Script.Replace('~HOME~', $folder))))
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        foreach ($name in @($start.Environment.Keys)) {
            if ($name -like 'AWS_*' -or $name -like 'FMSTOOLS_*') { $start.Environment.Remove($name) | Out-Null }
        }
        $start.Environment['HOME'] = $folder
        $start.Environment['USERPROFILE'] = $folder
        $start.Environment['AWS_EC2_METADATA_DISABLED'] = 'true'
        $start.Environment['FMSTOOLS_JOURNAL'] = Join-Path $folder 'journal'
        $start.Environment['FMSTOOLS_TEST_MODULE'] = $script:ModuleSpec
        foreach ($pair in $Environment.GetEnumerator()) {
            $start.Environment.Remove($pair.Key) | Out-Null
            $start.Environment.Add($pair.Key, ($pair.Value -replace '~HOME~', $folder))
        }
        $process = [Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $reading = $process.StandardOutput.ReadToEndAsync()
        if (-not $process.WaitForExit(240000)) { $process.Kill($true); throw "The fresh PowerShell did not finish within 240 s." }
        $stdout = $reading.GetAwaiter().GetResult()
        $last = @($stdout -split "`r?`n" | Where-Object { $_.StartsWith('FMSTOOLS-RESULT:') }) | Select-Object -Last 1
        if (-not $last) { throw "The fresh PowerShell printed no result (exit $($process.ExitCode)): $stdout $($stderr.Result)" }
        $last.Substring('FMSTOOLS-RESULT:'.Length) | ConvertFrom-Json
    }

    # The keys the sandbox knows for its FMS administrator, as environment variables.
    $script:SandboxKeys = @{
        AWS_ACCESS_KEY_ID     = $script:Sandbox.AccessKeyId
        AWS_SECRET_ACCESS_KEY = $script:Sandbox.SecretAccessKey
        AWS_REGION            = $script:Region
    }
    function Join-Environment([hashtable] $More) { $all = $script:SandboxKeys.Clone(); foreach ($p in $More.GetEnumerator()) { $all[$p.Key] = $p.Value }; $all }

    # The AWS calls of a run's -Verbose lines ("AWS STS.GetCallerIdentity account ... at http://...: HTTP 200 ...").
    function Get-Call($Result, [string] $Operation) { @($Result.Verbose | Where-Object { $_ -like "AWS $Operation *" }) }

    # A JWT-shaped web identity token (the sandbox and moto read its claims; neither checks a signature).
    function New-WebIdentityToken {
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode '{"sub":"ci-runner","iss":"https://token.example.com","aud":"sts.amazonaws.com"}') + '.c2lnbmF0dXJl'
    }
}

AfterAll {
    if ($script:Sandbox) { Stop-FmsSandbox -InputObject $script:Sandbox -Confirm:$false -ErrorAction SilentlyContinue }
    foreach ($folder in $script:Homes) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Endpoint configuration as the AWS SDKs document it' {
    It 'AWS_ENDPOINT_URL sends the identity check and the FMS calls of a session to the same endpoint' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:Endpoint }) -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].EndpointUrl | Should -Be $script:Endpoint
        (Get-Call $r 'STS.GetCallerIdentity') | Should -Not -BeNullOrEmpty
        (Get-Call $r 'STS.GetCallerIdentity') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
        (Get-Call $r 'FMS.*') | Should -Not -BeNullOrEmpty
        (Get-Call $r 'FMS.*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:Endpoint) (AWS_ENDPOINT_URL)*"
    }

    It 'AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:DeadEndpoint; AWS_ENDPOINT_URL_FMS = $script:Endpoint; AWS_ENDPOINT_URL_STS = $script:Endpoint }) -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:Endpoint) (AWS_ENDPOINT_URL_FMS)*STS $($script:Endpoint) (AWS_ENDPOINT_URL_STS)*"
        (Get-Call $r 'FMS.*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }

    It 'endpoint_url in the profile applies to every service of the profile' {
        $r = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local' } -Config @"
[profile local]
region = $($script:Region)
endpoint_url = $($script:Endpoint)
"@ -Credentials @"
[local]
aws_access_key_id = $($script:Sandbox.AccessKeyId)
aws_secret_access_key = $($script:Sandbox.SecretAccessKey)
"@ -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:Endpoint) (endpoint_url of profile 'local'*"
        (Get-Call $r 'STS.GetCallerIdentity') | Should -BeLike "* at $($script:Endpoint):*"
    }

    It 'the services section of the profile wins over its endpoint_url, and AWS_ENDPOINT_URL wins over both' {
        $config = @"
[profile local]
region = $($script:Region)
endpoint_url = $($script:DeadEndpoint)
services = local-services

[services local-services]
fms =
  endpoint_url = $($script:Endpoint)
sts =
  endpoint_url = $($script:Endpoint)
"@
        $credentials = "[local]`naws_access_key_id = $($script:Sandbox.AccessKeyId)`naws_secret_access_key = $($script:Sandbox.SecretAccessKey)`n"
        $script = @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $services = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local' } -Config $config -Credentials $credentials -Script $script
        $services.Errors | Should -BeNullOrEmpty
        ($services.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:Endpoint) (endpoint_url of 'fms' in ``[services local-services``]*"

        $global = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local'; AWS_ENDPOINT_URL = $script:DeadEndpoint } -Config $config -Credentials $credentials -Script $script
        ($global.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:DeadEndpoint) (AWS_ENDPOINT_URL)*"
        $global.Errors[0].Id | Should -Be 'EndpointUnreachable'
    }

    It '-EndpointUrl wins over every configured endpoint' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL_FMS = $script:DeadEndpoint; AWS_ENDPOINT_URL_STS = $script:DeadEndpoint }) -Script (@'
Write-Result (Invoke-Captured { Get-FmsContext -EndpointUrl 'SANDBOX' -Verbose })
'@).Replace('SANDBOX', $script:Endpoint)
        $r.Errors | Should -BeNullOrEmpty
        (Get-Call $r '*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }

    It 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns the configured endpoints off' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:Endpoint; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true' }) -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike '*configured endpoints ignored: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true*'
        # The AWS endpoint of the Region, which does not resolve on a machine without internet; never the sandbox.
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].Message | Should -Not -BeLike "*$($script:Endpoint)*"
        $r.Errors[0].Message | Should -BeLike '*amazonaws.com*'
    }
}

Describe 'Endpoint configuration of the Organizations and WAFv2 clients' {
    BeforeAll {
        # Organizations (account names of Get-FmsComplianceReport) and WAFv2 (Test-FmsPolicy -Online on the demo's WAF
        # policies): each run names the endpoint of every service it calls in -Verbose.
        $script:TwoClients = @'
$report = Invoke-Captured { Get-FmsComplianceReport -Verbose }
$online = Invoke-Captured { Get-FmsPolicy -Name demo-waf-baseline | Test-FmsPolicy -Online -Verbose }
Write-Result (@{ Report = $report; Online = $online })
'@
    }

    It 'AWS_ENDPOINT_URL_ORGANIZATIONS and AWS_ENDPOINT_URL_WAFV2 win over AWS_ENDPOINT_URL for their clients' {
        $r = Invoke-Fresh -Environment (Join-Environment @{
                AWS_ENDPOINT_URL = $script:DeadEndpoint; AWS_ENDPOINT_URL_FMS = $script:Endpoint; AWS_ENDPOINT_URL_STS = $script:Endpoint
                AWS_ENDPOINT_URL_ORGANIZATIONS = $script:Endpoint; AWS_ENDPOINT_URL_WAFV2 = $script:Endpoint }) -Script $script:TwoClients
        foreach ($run in $r.Report, $r.Online) {
            $run.Errors | Should -BeNullOrEmpty
            ($run.Verbose | Where-Object { $_ -like 'Connection:*' }) |
                Should -BeLike "*Organizations $($script:Endpoint) (AWS_ENDPOINT_URL_ORGANIZATIONS)*WAFV2 $($script:Endpoint) (AWS_ENDPOINT_URL_WAFV2)*"
        }
        $organizations = Get-Call $r.Report 'Organizations.*'
        $organizations | Should -Not -BeNullOrEmpty
        $organizations | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
        $wafv2 = Get-Call $r.Online 'WAFV2.*'
        $wafv2 | Should -Not -BeNullOrEmpty
        $wafv2 | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }

    It 'the organizations and wafv2 keys of the profile''s services section win over its endpoint_url' {
        $config = @"
[profile local]
region = $($script:Region)
endpoint_url = $($script:DeadEndpoint)
services = local-services

[services local-services]
fms =
  endpoint_url = $($script:Endpoint)
sts =
  endpoint_url = $($script:Endpoint)
organizations =
  endpoint_url = $($script:Endpoint)
wafv2 =
  endpoint_url = $($script:Endpoint)
"@
        $credentials = "[local]`naws_access_key_id = $($script:Sandbox.AccessKeyId)`naws_secret_access_key = $($script:Sandbox.SecretAccessKey)`n"
        $r = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local' } -Config $config -Credentials $credentials -Script $script:TwoClients
        foreach ($run in $r.Report, $r.Online) {
            $run.Errors | Should -BeNullOrEmpty
            ($run.Verbose | Where-Object { $_ -like 'Connection:*' }) |
                Should -BeLike "*Organizations $($script:Endpoint) (endpoint_url of 'organizations' in ``[services local-services``]*WAFV2 $($script:Endpoint) (endpoint_url of 'wafv2' in ``[services local-services``]*"
        }
        Get-Call $r.Report 'Organizations.*' | Should -Not -BeNullOrEmpty
        Get-Call $r.Report 'Organizations.*' | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
        Get-Call $r.Online 'WAFV2.*' | Should -Not -BeNullOrEmpty
        Get-Call $r.Online 'WAFV2.*' | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }

    It 'without a setting of their own, Organizations and WAFv2 follow AWS_ENDPOINT_URL like FMS' {
        $r = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:Endpoint }) -Script $script:TwoClients
        $r.Report.Errors | Should -BeNullOrEmpty
        ($r.Report.Verbose | Where-Object { $_ -like 'Connection:*' }) |
            Should -BeLike "*Organizations $($script:Endpoint) (AWS_ENDPOINT_URL)*WAFV2 $($script:Endpoint) (AWS_ENDPOINT_URL)*"
        Get-Call $r.Report 'Organizations.*' | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
        Get-Call $r.Online 'WAFV2.*' | Should -Not -BeNullOrEmpty
    }
}

Describe 'ignore_configured_endpoint_urls in a profile' {
    BeforeAll {
        $script:IgnoringConfig = @"
[profile local]
region = $($script:Region)
endpoint_url = $($script:Endpoint)
ignore_configured_endpoint_urls = true
"@
        $script:LocalCredentials = "[local]`naws_access_key_id = $($script:Sandbox.AccessKeyId)`naws_secret_access_key = $($script:Sandbox.SecretAccessKey)`n"
    }

    It 'ignore_configured_endpoint_urls = true turns the profile''s endpoint_url and AWS_ENDPOINT_URL_FMS off' {
        $r = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local'; AWS_ENDPOINT_URL_FMS = $script:Endpoint } -Config $script:IgnoringConfig -Credentials $script:LocalCredentials -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS AWS (the AWS endpoint of the Region (configured endpoints ignored: ignore_configured_endpoint_urls of profile 'local'))*"
        # The AWS endpoint of the Region, which does not resolve on a machine without internet; never the sandbox.
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].Message | Should -Not -BeLike "*$($script:Endpoint)*"
        $r.Errors[0].Message | Should -BeLike '*amazonaws.com*'
    }

    It 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false wins over the profile''s setting' {
        $r = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local'; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'false' } -Config $script:IgnoringConfig -Credentials $script:LocalCredentials -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        ($r.Verbose | Where-Object { $_ -like 'Connection:*' }) | Should -BeLike "*FMS $($script:Endpoint) (endpoint_url of profile 'local'*"
        (Get-Call $r 'FMS.*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }

    It 'an explicit -EndpointUrl still applies when the profile ignores configured endpoints' {
        $r = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local' } -Config $script:IgnoringConfig -Credentials $script:LocalCredentials -Script (@'
Write-Result (Invoke-Captured { Get-FmsContext -EndpointUrl 'SANDBOX' -Verbose })
'@).Replace('SANDBOX', $script:Endpoint)
        $r.Errors | Should -BeNullOrEmpty
        (Get-Call $r '*') | Should -Not -BeNullOrEmpty
        (Get-Call $r '*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
    }
}

Describe 'Profiles that obtain credentials by a call' {
    It 'role chaining (role_arn with source_profile, two deep) calls AssumeRole at the configured STS endpoint' {
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint } -Config @"
[profile base]
region = $($script:Region)

[profile admin]
role_arn = $($script:AdminRole)
source_profile = base
region = $($script:Region)

[profile chained]
role_arn = $($script:AdminRole)
source_profile = admin
role_session_name = ci-chained
region = $($script:Region)
"@ -Credentials @"
[base]
aws_access_key_id = $($script:Sandbox.AccessKeyId)
aws_secret_access_key = $($script:Sandbox.SecretAccessKey)
"@ -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -ProfileName chained -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].CallerArn | Should -BeLike '*:assumed-role/OrganizationAccountAccessRole/ci-chained'
        $assume = Get-Call $r 'STS.AssumeRole'
        $assume.Count | Should -Be 2
        $assume | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint): HTTP 200*" }
        ($r | ConvertTo-Json -Depth 5) | Should -Not -BeLike "*$($script:Sandbox.SecretAccessKey)*"
    }

    It 'a refused AssumeRole is AssumeRoleFailed with the real cause, not an error of the FMS call' {
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint } -Config @"
[profile stranger]
role_arn = arn:aws:iam::999999999999:role/NotInTheOrganization
source_profile = base
region = $($script:Region)
"@ -Credentials "[base]`naws_access_key_id = $($script:Sandbox.AccessKeyId)`naws_secret_access_key = $($script:Sandbox.SecretAccessKey)`n" -Script @'
Write-Result (Invoke-Captured { Get-FmsPolicy -ProfileName stranger -Verbose })
'@
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -Be 'AssumeRoleFailed'
        $r.Errors[0].Category | Should -Be 'AuthenticationError'
        $r.Errors[0].Message | Should -BeLike "*'stranger'*arn:aws:iam::999999999999:role/NotInTheOrganization*$($script:Endpoint)*AccessDenied*"
        $r.Errors[0].Message | Should -Not -BeLike '*ListPolicies*'
        (Get-Call $r 'STS.AssumeRole') | Should -BeLike "* at $($script:Endpoint): AccessDenied (HTTP 403)*"
        (Get-Call $r 'FMS.*') | Should -BeNullOrEmpty
    }

    It 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN) calls AssumeRoleWithWebIdentity at the configured STS endpoint' {
        $r = Invoke-Fresh -Environment @{
            AWS_ENDPOINT_URL = $script:Endpoint; AWS_REGION = $script:Region; AWS_ROLE_ARN = $script:AdminRole
            AWS_WEB_IDENTITY_TOKEN_FILE = '~HOME~/token'; AWS_ROLE_SESSION_NAME = 'ci-web'
        } -Files @{ token = (New-WebIdentityToken) } -Script @'
Write-Result (Invoke-Captured { Get-FmsContext -Verbose })
'@
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].CallerArn | Should -BeLike '*:assumed-role/OrganizationAccountAccessRole/ci-web'
        (Get-Call $r 'STS.AssumeRoleWithWebIdentity') | Should -BeLike "* at $($script:Endpoint): HTTP 200*"
    }

    It 'a web identity token file that does not exist is an ObjectNotFound error naming the file' {
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint } -Config @"
[profile web]
role_arn = $($script:AdminRole)
web_identity_token_file = ~HOME~/missing-token
region = $($script:Region)
"@ -Script @'
$policies = Invoke-Captured { Get-FmsPolicy -ProfileName web }
$context = Invoke-Captured { Get-FmsContext -ProfileName web }
Write-Result (@{ Policies = $policies; Context = $context })
'@
        # Get-FmsPolicy obtains the credentials before its FMS call; Get-FmsContext's STS call obtains them in the SDK's
        # pipeline, whose retries must not repeat a credential failure.
        foreach ($run in $r.Policies, $r.Context) {
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].Id | Should -Be 'WebIdentityTokenFileNotFound'
            $run.Errors[0].Category | Should -Be 'ObjectNotFound'
            $run.Errors[0].Message | Should -BeLike '*missing-token*'
            $run.Seconds | Should -BeLessThan 10
        }
    }

    It 'a credential_process that fails is CredentialProcessFailed naming the profile' {
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint } -Config @"
[profile broken]
credential_process = $($script:PowerShell) -NoProfile -Command exit 3
region = $($script:Region)
"@ -Script @'
Write-Result (Invoke-Captured { Get-FmsPolicy -ProfileName broken })
'@
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -Be 'CredentialProcessFailed'
        $r.Errors[0].Category | Should -Be 'AuthenticationError'
        $r.Errors[0].Message | Should -BeLike "*credential_process of profile 'broken'*"
    }

    It 'an expired IAM Identity Center token is SsoTokenExpired and says how to sign in again' {
        # The SDK's cache file name for an sso-session: the SHA-1 of the session name.
        $sha1 = [Security.Cryptography.SHA1]::Create()
        $name = (-join ($sha1.ComputeHash([Text.Encoding]::UTF8.GetBytes('corp')) | ForEach-Object { $_.ToString('x2') })) + '.json'
        $token = '{"accessToken":"expired-sso-access-token","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://corp.awsapps.com/start"}'
        $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint } -Config @"
[profile sso]
sso_session = corp
sso_account_id = $($script:Sandbox.AdminAccountId)
sso_role_name = Admin
region = $($script:Region)

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"@ -Files @{ ".aws/sso/cache/$name" = $token } -Script @'
Write-Result (Invoke-Captured { Get-FmsPolicy -ProfileName sso })
'@
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -Be 'SsoTokenExpired'
        $r.Errors[0].Category | Should -Be 'AuthenticationError'
        $r.Errors[0].Message | Should -BeLike '*aws sso login --profile sso*'
        $r.Errors[0].Message | Should -Not -BeLike '*expired-sso-access-token*'
    }

    It 'an IAM Identity Center profile with a valid cached token gets its role credentials from GetRoleCredentials, and the FMS calls succeed' {
        # A loopback stand-in for the SSO portal (the sandbox does not serve GetRoleCredentials): it answers every request
        # with the sandbox's keys as role credentials, and records what it was asked.
        $ssoEndpoint = "http://127.0.0.1:$(Get-FreePort)"
        $listener = [Net.HttpListener]::new()
        $listener.Prefixes.Add("$ssoEndpoint/")
        $listener.Start()
        $server = [powershell]::Create()
        $null = $server.AddScript({
            param($Listener, $AccessKeyId, $SecretAccessKey)
            $seen = [Collections.Generic.List[object]]::new()
            while ($Listener.IsListening) {
                try { $context = $Listener.GetContext() } catch { break }
                $seen.Add([pscustomobject]@{
                    Method = $context.Request.HttpMethod; Path = $context.Request.Url.AbsolutePath
                    AccountId = $context.Request.QueryString['account_id']; RoleName = $context.Request.QueryString['role_name']
                    Token = $context.Request.Headers['x-amz-sso_bearer_token'] })
                $expiration = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeMilliseconds()
                $body = [Text.Encoding]::UTF8.GetBytes((@{ roleCredentials = @{ accessKeyId = $AccessKeyId; secretAccessKey = $SecretAccessKey
                            sessionToken = 'sso-role-session-token'; expiration = $expiration } } | ConvertTo-Json -Compress))
                $context.Response.ContentType = 'application/json'
                $context.Response.OutputStream.Write($body, 0, $body.Length)
                $context.Response.Close()
            }
            , $seen
        }).AddArgument($listener).AddArgument($script:Sandbox.AccessKeyId).AddArgument($script:Sandbox.SecretAccessKey)
        $handle = $server.BeginInvoke()

        # The SDK's cache file names: the SHA-1 of the sso-session name, and of the start URL for a legacy profile.
        $sha1 = [Security.Cryptography.SHA1]::Create()
        $cacheName = { param($key) (-join ($sha1.ComputeHash([Text.Encoding]::UTF8.GetBytes($key)) | ForEach-Object { $_.ToString('x2') })) + '.json' }
        $expiresAt = [DateTime]::UtcNow.AddHours(2).ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
        $files = @{
            ".aws/sso/cache/$(& $cacheName 'corp')" = "{`"accessToken`":`"valid-session-access-token`",`"expiresAt`":`"$expiresAt`",`"region`":`"us-east-1`",`"startUrl`":`"https://corp.awsapps.com/start`"}"
            ".aws/sso/cache/$(& $cacheName 'https://legacy.awsapps.com/start')" = "{`"accessToken`":`"valid-legacy-access-token`",`"expiresAt`":`"$expiresAt`",`"region`":`"us-east-1`",`"startUrl`":`"https://legacy.awsapps.com/start`"}"
        }
        try {
            $r = Invoke-Fresh -Environment @{ AWS_ENDPOINT_URL = $script:Endpoint; AWS_ENDPOINT_URL_SSO = $ssoEndpoint } -Config @"
[profile sso]
sso_session = corp
sso_account_id = $($script:Sandbox.AdminAccountId)
sso_role_name = Admin
region = $($script:Region)

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = $($script:Sandbox.AdminAccountId)
sso_role_name = Auditor
region = $($script:Region)
"@ -Files $files -Script @'
$session = Invoke-Captured { Get-FmsPolicy -ProfileName sso -Verbose }
$legacy = Invoke-Captured { Get-FmsPolicy -ProfileName legacy -Verbose }
Write-Result (@{ Session = $session; Legacy = $legacy })
'@
        }
        finally {
            $listener.Stop()
            $requests = @($server.EndInvoke($handle) | ForEach-Object { $_ })
            $server.Dispose()
            $listener.Close()
        }

        foreach ($case in @(@{ Run = $r.Session; Role = 'Admin'; Token = 'valid-session-access-token' }, @{ Run = $r.Legacy; Role = 'Auditor'; Token = 'valid-legacy-access-token' })) {
            $case.Run.Errors | Should -BeNullOrEmpty
            $case.Run.Output | Should -Not -BeNullOrEmpty
            $case.Run.Output[0].Type | Should -Be 'FmsPolicy'
            $roleCall = Get-Call $case.Run 'SSO.GetRoleCredentials'
            $roleCall | Should -Not -BeNullOrEmpty
            $roleCall | ForEach-Object { $_ | Should -BeLike "* at $($ssoEndpoint):*" }
            (Get-Call $case.Run 'FMS.*') | Should -Not -BeNullOrEmpty
            (Get-Call $case.Run 'FMS.*') | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint):*" }
            ($case.Run.Verbose -join "`n") | Should -Not -BeLike "*$($case.Token)*"
            ($case.Run.Verbose -join "`n") | Should -Not -BeLike '*sso-role-session-token*'
            ($case.Run.Verbose -join "`n") | Should -Not -BeLike "*$($script:Sandbox.SecretAccessKey)*"
            $asked = @($requests | Where-Object Token -eq $case.Token)
            $asked.Count | Should -BeGreaterThan 0
            $asked | ForEach-Object {
                $_.Method | Should -Be 'GET'
                $_.Path | Should -Be '/federation/credentials'
                $_.AccountId | Should -Be $script:Sandbox.AdminAccountId
                $_.RoleName | Should -Be $case.Role
            }
        }
    }

    It 'a profile that does not exist is ProfileNotFound naming it, from -ProfileName and from AWS_PROFILE, never demo data' {
        $r = Invoke-Fresh -Environment @{ AWS_REGION = $script:Region } -Config "[profile real]`nregion = $($script:Region)`n" -Script @'
$byParameter = Invoke-Captured { Get-FmsPolicy -ProfileName no-such-profile }
$env:AWS_PROFILE = 'also-missing'
$byVariable = Invoke-Captured { Get-FmsPolicy }
Write-Result (@{ ByParameter = $byParameter; ByVariable = $byVariable })
'@
        foreach ($case in @(@{ Run = $r.ByParameter; Name = "'no-such-profile' (-ProfileName)" }, @{ Run = $r.ByVariable; Name = "'also-missing' (AWS_PROFILE)" })) {
            $case.Run.Output | Should -BeNullOrEmpty
            $case.Run.Errors.Count | Should -Be 1
            $case.Run.Errors[0].Id | Should -Be 'ProfileNotFound'
            $case.Run.Errors[0].Category | Should -Be 'ObjectNotFound'
            $case.Run.Errors[0].Message | Should -BeLike "*$($case.Name)*"
        }
    }
}

Describe 'Endpoints no retry can reach' {
    It 'a host name that does not resolve fails within seconds with EndpointUnreachable naming the endpoint' {
        $r = Invoke-Fresh -Environment $script:SandboxKeys -Script @'
Write-Result (Invoke-Captured { Get-FmsPolicy -EndpointUrl http://fmstools-no-such-host.invalid:4566 })
'@
        $r.Errors[0].Id | Should -Be 'EndpointUnreachable'
        $r.Errors[0].Category | Should -Be 'ConnectionError'
        $r.Errors[0].Message | Should -BeLike '*http://fmstools-no-such-host.invalid:4566*does not resolve*'
        $r.Seconds | Should -BeLessThan 10
    }

    It 'a refused connection to a non-AWS endpoint fails within seconds with EndpointUnreachable naming the endpoint' {
        $r = Invoke-Fresh -Environment $script:SandboxKeys -Script (@'
Write-Result (Invoke-Captured { Get-FmsPolicy -EndpointUrl DEAD })
'@).Replace('DEAD', $script:DeadEndpoint)
        $r.Errors[0].Id | Should -Be 'EndpointUnreachable'
        $r.Errors[0].Message | Should -BeLike "*$($script:DeadEndpoint)*connection refused*"
        $r.Seconds | Should -BeLessThan 10
    }
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
