# Credentials, endpoints and secrets as an AWS user meets them (issue 21): every case runs in a fresh PowerShell process
# with a home folder of its own (its own ~/.aws/config and ~/.aws/credentials, no AWS_* variable but the test's),
# against a sandbox this file starts, and against moto (python3 -m moto.server) where moto serves STS.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConnectionSetup.ps1')
}

AfterAll {
    Remove-ConnectionSetup
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

    It 'AWS_ENDPOINT_URL_EC2, and the ec2 key of a profile''s services section, choose where member-account EC2 calls go' {
        # Remediation in member accounts: AssumeRole follows STS's setting (the sandbox), the EC2 calls EC2's (a dead
        # port, so they fail at once and change nothing).
        $remediate = @'
Write-Result (Invoke-Captured { Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -Confirm:$false -Verbose })
'@
        $fromVariable = Invoke-Fresh -Environment (Join-Environment @{ AWS_ENDPOINT_URL = $script:Endpoint; AWS_ENDPOINT_URL_EC2 = $script:DeadEndpoint }) -Script $remediate
        $fromProfile = Invoke-Fresh -Environment @{ AWS_PROFILE = 'local' } -Config @"
[profile local]
region = $($script:Region)
endpoint_url = $($script:Endpoint)
services = local-services

[services local-services]
ec2 =
  endpoint_url = $($script:DeadEndpoint)
"@ -Credentials @"
[local]
aws_access_key_id = $($script:Sandbox.AccessKeyId)
aws_secret_access_key = $($script:Sandbox.SecretAccessKey)
"@ -Script $remediate
        foreach ($run in $fromVariable, $fromProfile) {
            $assume = Get-Call $run 'STS.AssumeRole'
            $assume | Should -Not -BeNullOrEmpty
            # prod-eu-web's role is assumed; prod-data has none (AccessDenied), at the same STS endpoint.
            $assume | ForEach-Object { $_ | Should -BeLike "* at $($script:Endpoint): *" }
            @($assume | Where-Object { $_ -like "* at $($script:Endpoint): HTTP 200*" }) | Should -Not -BeNullOrEmpty
            $ec2 = Get-Call $run 'EC2.*'
            $ec2 | Should -Not -BeNullOrEmpty
            $ec2 | ForEach-Object { $_ | Should -BeLike "* at $($script:DeadEndpoint):*" }
            $run.Errors.Id | Should -Contain 'Ec2RemediationStepFailed'
        }
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
