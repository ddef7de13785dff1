<#
.SYNOPSIS
    The configuration-as-code CI jobs: a pull request checks the folder and posts the diff; main applies it.
.DESCRIPTION
    -Job PullRequest runs Test-FmsConfiguration -Online (exit 1 on any error, every finding listed) and writes
    Compare-FmsConfiguration's differences as a Markdown table to -DiffPath, for the pipeline to post as a comment.
    -Job Main runs Sync-FmsConfiguration -DeleteMissing without prompting and exits 1 when any change failed.
    -Job SandboxDemo plays both against the local demo sandbox: exports its configuration, changes a file the way a
    pull request would, runs the pull request job, then the main job, and checks that nothing differs afterwards.
.EXAMPLE
    ./Invoke-ConfigurationCi.ps1 -Job PullRequest -Path ./fms-config -DiffPath ./fms-diff.md
.EXAMPLE
    ./Invoke-ConfigurationCi.ps1 -Job Main -Path ./fms-config
.EXAMPLE
    ./Invoke-ConfigurationCi.ps1 -Job SandboxDemo
#>
[CmdletBinding()]
param(
    [ValidateSet('PullRequest', 'Main', 'SandboxDemo')]
    [string] $Job = 'SandboxDemo',
    [string] $Path = (Join-Path (Get-Location) 'fms-config'),
    [string] $DiffPath = (Join-Path (Get-Location) 'fms-diff.md'),

    # Where FmsTools is: a module name on $env:PSModulePath, or the path of FmsTools.psd1.
    [string] $ModulePath = 'FmsTools'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Invoke-PullRequestJob {
    if (-not (Test-FmsConfiguration -Path $Path -Online -Quiet)) {
        Test-FmsConfiguration -Path $Path -Online | Format-List | Out-String -Width 200 | Write-Host
        return $false
    }
    $rows = @(Compare-FmsConfiguration -Path $Path)
    $lines = @('| Change | Kind | Region | Name | Field | Live | Folder |', '|---|---|---|---|---|---|---|')
    $lines += $rows | ForEach-Object { "| $($_.Change) | $($_.Kind) | $($_.Region) | $($_.Name) | $($_.Field) | $($_.LiveValue) | $($_.FolderValue) |" }
    $lines | Set-Content -Path $DiffPath
    Write-Host "Pull request: the folder is valid; $($rows.Count) difference(s) written to $DiffPath."
    return $true
}

function Invoke-MainJob {
    $results = @(Sync-FmsConfiguration -Path $Path -DeleteMissing -Confirm:$false)
    $results | Where-Object Status -ne 'Unchanged' | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    return -not ($results | Where-Object Status -eq 'Failed')
}

switch ($Job) {
    'PullRequest' { if (-not (Invoke-PullRequestJob)) { exit 1 } }
    'Main' { if (-not (Invoke-MainJob)) { exit 1 } }
    'SandboxDemo' {
        $sandbox = Start-FmsSandbox -Demo
        try {
            $sandbox | Connect-Fms | Out-Null
            $null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false
            $null = Export-FmsConfiguration -Path $Path -Force -WarningAction SilentlyContinue
            # The pull request: a port changes and a protocols list is added.
            $apps = Join-Path $Path 'us-east-1/apps-lists/web-apps.fmsappslist.json'
            (Get-Content -Raw $apps).Replace('443', '8443') | Set-Content -NoNewline $apps
            New-Item -ItemType Directory -Force (Join-Path $Path 'us-east-1/protocols-lists') | Out-Null
            '{ "schema": "fmstools.protocolslist/v1", "name": "allowed-protocols", "protocols": [ "tcp", "udp" ] }' |
                Set-Content (Join-Path $Path 'us-east-1/protocols-lists/allowed-protocols.fmsprotocolslist.json')
            if (-not (Invoke-PullRequestJob)) { throw 'The pull request job failed.' }
            if ((Get-Content $DiffPath).Count -ne 4) { throw "Expected 2 differences in $DiffPath." }
            if (-not (Invoke-MainJob)) { throw 'The main job failed.' }
            $left = @(Compare-FmsConfiguration -Path $Path)
            Write-Host "Differences after the main job: $($left.Count)"
            if ($left.Count -ne 0) { exit 1 }
        }
        finally {
            $sandbox | Stop-FmsSandbox -Confirm:$false
        }
    }
}
