# fms-bench's PowerShell side (started by CmdletPathBenchmark in a fresh `pwsh -NoProfile`): imports the laid-out
# module, connects to the sandbox and measures one thing, then prints one JSON line. The sandbox's key pair comes in
# the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: the SDK's chain), never on a command line.
#   -Mode Report   : Get-FmsComplianceReport | Export-FmsComplianceReport -Format Json, timed (wall clock and pwsh's CPU
#                    time); pwsh's peak resident memory.
#   -Mode FirstRow : from the start of `Get-FmsComplianceReport` (parsed and run as typed at the prompt) to its first
#                    row, then the arrival time of every row up to -Rows rows (Select-Object -First stops the command).
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [ValidateSet('Report', 'FirstRow')] [string] $Mode,
    [Parameter(Mandatory)] [string] $Endpoint,
    [Parameter(Mandatory)] [string] $Region,
    [string] $OutFile,
    [int] $Rows = 1000
)
$ErrorActionPreference = 'Stop'

function Get-Memory {
    # VmRSS and VmHWM (peak) of this process in bytes; zeros where /proc is missing.
    $result = @{ Rss = 0L; Peak = 0L }
    if (Test-Path /proc/self/status) {
        foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/status')) {
            if ($line -match '^VmRSS:\s+(\d+)') { $result.Rss = [long]$Matches[1] * 1024 }
            elseif ($line -match '^VmHWM:\s+(\d+)') { $result.Peak = [long]$Matches[1] * 1024 }
        }
    }
    $result
}

Import-Module $Manifest
$null = Connect-Fms -EndpointUrl $Endpoint -Region $Region
$before = Get-Memory
$reportErrors = @()

if ($Mode -eq 'Report') {
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $cpuBefore = $process.TotalProcessorTime
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $file = Get-FmsComplianceReport -ErrorVariable +reportErrors | Export-FmsComplianceReport -Format Json -Path $OutFile -Force
    $seconds = $watch.Elapsed.TotalSeconds
    $process.Refresh()
    $cpuSeconds = ($process.TotalProcessorTime - $cpuBefore).TotalSeconds
    $after = Get-Memory
    [ordered]@{
        seconds        = $seconds
        cpuSeconds     = $cpuSeconds
        rows           = $file.Rows
        nonCompliant   = $file.NonCompliantRows
        bytes          = $file.Length
        errors         = $reportErrors.Count
        rssBefore      = $before.Rss
        peakRss        = $after.Peak
        gcHeap         = [GC]::GetGCMemoryInfo().HeapSizeBytes
    } | ConvertTo-Json -Compress
}
else {
    $stamps = [System.Collections.Generic.List[double]]::new($Rows)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    # Parsed after the stopwatch starts, as a line typed at the prompt is.
    $typed = [scriptblock]::Create('Get-FmsComplianceReport -ErrorVariable +reportErrors | Select-Object -First $Rows | ForEach-Object { $stamps.Add($watch.Elapsed.TotalMilliseconds) }')
    . $typed
    $total = $watch.Elapsed.TotalMilliseconds
    # A second run in the same session: what the same command costs once its code is compiled.
    $warmStamps = [System.Collections.Generic.List[double]]::new(10)
    $warmWatch = [System.Diagnostics.Stopwatch]::StartNew()
    Get-FmsComplianceReport | Select-Object -First 10 | ForEach-Object { $warmStamps.Add($warmWatch.Elapsed.TotalMilliseconds) }
    [ordered]@{
        firstRowMs     = if ($stamps.Count) { $stamps[0] } else { -1 }
        rows           = $stamps.Count
        totalMs        = $total
        stamps         = $stamps.ToArray()
        warmFirstRowMs = if ($warmStamps.Count) { $warmStamps[0] } else { -1 }
        errors         = $reportErrors.Count
    } | ConvertTo-Json -Compress
}
