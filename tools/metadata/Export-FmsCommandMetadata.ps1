#Requires -Version 7.0
<#
.SYNOPSIS
Writes the binding metadata of every FmsTools cmdlet, as Get-Command reads it, to a JSON file that two builds can be
compared by.

.DESCRIPTION
Per cmdlet: the default parameter set, SupportsShouldProcess, ConfirmImpact and output types; per parameter set (sorted
by name) and per parameter (sorted by name): Position, IsMandatory, ValueFromPipeline, ValueFromPipelineByPropertyName,
ValueFromRemainingArguments, the parameter type, its aliases and every attribute with its public properties (validation,
completion, transformation, SupportsWildcards ...; not the compiler's System.Runtime.CompilerServices attributes). The order in which PowerShell LISTS parameters and sets (SYNTAX) is
left out on purpose: only what binds, validates and completes is compared.

.EXAMPLE
./tools/metadata/Export-FmsCommandMetadata.ps1 -ModulePath ./out/FmsTools/0.1.0/FmsTools.psd1 -OutFile ./branch.json
Compare-Object (Get-Content ./main.json) (Get-Content ./branch.json)
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$module = Get-Module FmsTools

function Get-AttributeText([object] $attribute) {
    $type = $attribute.GetType()
    $properties = $type.GetProperties() | Where-Object { $_.Name -ne 'TypeId' -and $_.CanRead -and $_.GetIndexParameters().Count -eq 0 } |
        Sort-Object Name | ForEach-Object {
            $value = $_.GetValue($attribute)
            $text = if ($null -eq $value) { '' } elseif ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) { (@($value) | ForEach-Object { "$_" }) -join ',' } else { "$value" }
            "$($_.Name)=$text"
        }
    "$($type.FullName)($($properties -join '; '))"
}

$commands = foreach ($command in Get-Command -Module FmsTools -CommandType Cmdlet | Sort-Object Name) {
    $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    $sets = foreach ($set in $command.ParameterSets | Sort-Object Name) {
        [ordered]@{
            Name       = $set.Name
            IsDefault  = $set.IsDefault
            Parameters = @($set.Parameters | Sort-Object Name | Select-Object Name, @{ n = 'Type'; e = { $_.ParameterType.FullName } },
                Position, IsMandatory, ValueFromPipeline, ValueFromPipelineByPropertyName, ValueFromRemainingArguments, HelpMessage,
                @{ n = 'Aliases'; e = { , [string[]]@($_.Aliases | Sort-Object) } },
                # The compiler's own metadata (NullableAttribute and the like) is not PowerShell's and varies with the declaring class.
                @{ n = 'Attributes'; e = { , [string[]]@($_.Attributes | Where-Object { $_.GetType().Namespace -ne 'System.Runtime.CompilerServices' } |
                    ForEach-Object { Get-AttributeText $_ } | Sort-Object) } })
        }
    }
    [ordered]@{
        Name                  = $command.Name
        DefaultParameterSet   = $command.DefaultParameterSet
        SupportsShouldProcess = $attribute.SupportsShouldProcess
        ConfirmImpact         = "$($attribute.ConfirmImpact)"
        SupportsPaging        = $attribute.SupportsPaging
        OutputType            = @($command.OutputType | ForEach-Object Name | Sort-Object)
        ParameterSets         = @($sets)
    }
}

[ordered]@{ Module = $module.Name; Version = "$($module.Version)"; Commands = @($commands) } |
    ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
"$(@($commands).Count) cmdlets written to $OutFile"
