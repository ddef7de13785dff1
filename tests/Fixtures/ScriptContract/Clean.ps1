# Correct code the checker must leave alone: -words inside strings, here-strings and comments, splats of real
# parameters, continuations, pipelines, keywords, Should operators, locally defined Verb-Fms functions.
<#
    Get-FmsPolicy -NotAParameter
    This block comment is ignored.
#>
param([string] $Region = 'us-east-1', [string[]] $Names = @())

function Get-FmsLocalHelper([string] $Name) { "helper $Name -Nothing" }

$message = 'Get-FmsPolicy -Bogus is just text'
$expanded = "Get-FmsPolicy -Bogus in text, $($Region -replace '-', '_'), `"quoted -Bogus`""
$literal = @'
Get-FmsPolicy -Bogus
'@
$template = @"
Get-FmsPolicy -Bogus $Region
$(Get-FmsPolicy -Name 'from-a-subexpression' -Detailed)
"@
Get-FmsPolicy -Name 'demo-*' -Detailed # Get-FmsPolicy -Bogus in a comment
Get-FmsPolicy -PolicyId 'id' -Region:$Region -ErrorAction Stop -Verbose:$false -ProfilesLocation ./credentials
Get-FmsPolicy -Type WafV2, DnsFirewall `
    -Detailed `
    -RegionToCall eu-west-1
Get-FmsPolicy | Remove-FmsPolicy -Force -WhatIf -Confirm:$false
Get-FmsLocalHelper -Name 'x'
Set-FmsTag 'arn:aws:fms:us-east-1:111122223333:policy/x' @{ owner = 'secops' }
Set-FmsTag -ResourceArn 'arn:aws:fms:us-east-1:111122223333:policy/x' -Tag @{ owner = 'secops' } -WhatIf
$items | Get-FmsTag
Get-FmsAppsList | Get-FmsTag
FmsTools\Get-FmsPolicy -Name 'qualified'

$conn = @{
    EndpointUrl = 'http://127.0.0.1:1'
    AccessKey   = 'AKIDEXAMPLE'
    'SecretKey' = 'secret'
    Region      = $Region
}
$conn.SessionToken = 'token'
Get-FmsPolicy -Detailed @conn
Get-FmsPolicy @script:conn -Name 'x'

$unknown = Get-Something
Get-FmsPolicy @unknown

$items = @(
    Get-FmsPolicy -Name 'a'
    Get-FmsPolicy -Name 'b'
)
if ($items.Count -gt 0) { Get-FmsPolicy -Name 'c' } elseif (-not $items) { Get-FmsContext } else { Get-FmsPolicy }
foreach ($item in $items) { $item | Get-FmsComplianceStatus }
try { Get-FmsPolicy -PolicyId 'x' -ErrorAction Stop } catch { Write-Warning $_ } finally { Disconnect-Fms }
$cases = @(@{ Name = 'x'; Build = { param($c) Get-FmsPolicy -Name 'x' @c } })
$value = [FmsTools.Engine.Policies.FmsPolicyType]::WafV2
$list = [System.Collections.Generic.List[string]]@('a', 'b')
Get-FmsPolicy -Name $list[0] -Detailed
$x = $items[0].Name -join ', '
Join-Path (Join-Path $PSScriptRoot 'a') 'b'
Get-ChildItem -Path . | ForEach-Object -Process { $_.Name } | Where-Object { $_ -like '*.ps1' } 2>&1 | Out-Null

It 'asserts' {
    'demo' | Should -BeFmsCompliant -Because 'it is'
    'demo' | Should -Not -BeFmsCompliant
    { Get-FmsPolicy -PolicyId 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'ResourceNotFoundException*' -ExpectedMessage '*x*'
    @(1, 2) | Should -HaveCount 2
    1 | Should -BeOfType [int]
    2 | Should -BeGreaterOrEqual 1
    'a' | Should -BeLike 'a*'
    $null | Should -BeNullOrEmpty
    Register-FmsShouldOperator -Verbose
    Get-FmsPolicy -ErrorVariable problems -ErrorAction SilentlyContinue -Detailed:$false
    Get-FmsPolicy -ErrorVariable +problems -OutVariable found -Verbose:$true
    $block = { Get-FmsPolicy -PolicyId 'missing' -ErrorAction Stop }
    $block | Should -Throw
}
