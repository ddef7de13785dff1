# PowerShell 7 syntax, commands and parameters in a script that Windows PowerShell 5.1 runs (no #Requires).
Get-FmsPolicy && Get-FmsContext                                 # expect: Compat51.PipelineChain
Get-FmsPolicy || Get-FmsContext                                 # expect: Compat51.PipelineChain
$mode = $IsWindows ? 'windows' : 'other'                        # expect: Compat51.Ternary, Compat51.Variable
$name = $env:NAME ?? 'default'                                  # expect: Compat51.NullCoalescing
$name ??= 'default'                                             # expect: Compat51.NullCoalescing
Get-FmsPolicy
    | Select-Object Name                                        # expect: Compat51.LeadingPipe
1..3 | ForEach-Object -Parallel { $_ }                          # expect: Compat51.Parameter
$data = '{}' | ConvertFrom-Json -AsHashtable                    # expect: Compat51.Parameter
Get-Error                                                       # expect: Compat51.Command
$path = Join-Path $PSScriptRoot 'a' 'b'                         # expect: Compat51.JoinPath
if ($IsLinux) { 'linux' }                                       # expect: Compat51.Variable
# Still fine in 5.1:
$path = Join-Path -Path $PSScriptRoot -ChildPath 'a' -Resolve
$ok = Where-Object { $_ } | Sort-Object -Unique
Write-Host 'café'                                               # expect: Compat51.Encoding
