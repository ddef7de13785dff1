# Shared setup of the connection tests (Connection.Tests.ps1, Connection.Stored.Tests.ps1): dot-sourced in their
# BeforeAll. Starts a demo sandbox and defines Invoke-Fresh, which runs a script in a fresh PowerShell process with a
# home folder of its own.
. (Join-Path $PSScriptRoot 'Common.ps1')
$script:ModuleSpec = Get-FmsTestModule
Import-Module $script:ModuleSpec -Force
$script:Sandbox = Start-FmsSandbox -Demo
$script:Endpoint = $script:Sandbox.Endpoint
$script:Region = $script:Sandbox.Region
$script:AdminRole = "arn:aws:iam::$($script:Sandbox.AdminAccountId):role/OrganizationAccountAccessRole"
$script:Homes = [Collections.Generic.List[string]]::new()

# The teardown of every file that dot-sources this one: the sandbox, the home folders of the fresh processes, the module.
function Remove-ConnectionSetup {
    if ($script:Sandbox) { Stop-FmsSandbox -InputObject $script:Sandbox -Confirm:$false -ErrorAction SilentlyContinue }
    foreach ($folder in $script:Homes) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

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
