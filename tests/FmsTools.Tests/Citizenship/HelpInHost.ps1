#Requires -Version 7.2
# Run by HelpInHostTests in a fresh pwsh: imports the laid-out module and reports, as JSON, what Get-Command says of
# every exported cmdlet next to what Get-Help shows for it, and what PowerShell's parser and static binder make of
# every help example. Examples that name the module's types run against a demo sandbox. The test decides; this
# script only observes.
param(
    [Parameter(Mandatory)][string] $ModuleDirectory,
    [Parameter(Mandatory)][string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path (Resolve-Path -LiteralPath $ModuleDirectory).ProviderPath 'FmsTools.psd1')
$module = Get-Module FmsTools
$common = [System.Management.Automation.Cmdlet]::CommonParameters
$language = [System.Management.Automation.Language.Ast]

# The command text of an example. Without prompts the code is all command. With prompts, each 'PS> ' line starts a
# command, and the lines after it continue it (with or without a '>> ' prompt) for as long as PowerShell's parser says the
# input is incomplete, as the console would; the other lines are output.
function Get-ExampleScript([string] $Code) {
    $lines = $Code -split "`r?`n"
    if (-not ($lines -match '^PS[^>]*> ')) { return $Code }
    $commands = @()
    $current = $null
    foreach ($line in $lines) {
        if ($line -match '^PS[^>]*> ?(?<text>.*)$') {
            if ($null -ne $current) { $commands += $current }
            $current = $Matches.text
        } elseif ($null -ne $current -and (Test-Incomplete $current)) {
            $current += "`n" + ($line -replace '^>> ?', '')
        } elseif ($null -ne $current) {
            $commands += $current
            $current = $null
        }
    }
    if ($null -ne $current) { $commands += $current }
    $commands -join "`n"
}

function Test-Incomplete([string] $Text) {
    $tokens = $null; $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors)
    [bool]($errors | Where-Object IncompleteInput)
}

function Get-AcceptedValue($Parameter) {
    $set = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { $_.ValidValues })
    if ($set.Count) { return $set }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $type = [Nullable]::GetUnderlyingType($type) ?? $type
    if ($type.IsEnum) { return [enum]::GetNames($type) }
    @()
}

function Get-TypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType()) + '[]' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return Get-TypeName $underlying }
    $Type.Name
}

# The SYNTAX lines of Get-Help's text, one per parameter set (the text is rendered wide enough not to wrap).
function Get-RenderedSyntax([string] $Text) {
    $lines = $Text -split "`r?`n"
    $start = [array]::IndexOf($lines, 'SYNTAX')
    if ($start -lt 0) { return @() }
    $result = @()
    for ($i = $start + 1; $i -lt $lines.Count -and ($lines[$i] -eq '' -or $lines[$i] -match '^\s'); $i++) {
        if ($lines[$i].Trim()) { $result += $lines[$i].Trim() }
    }
    $result
}

function Test-Example([string] $Script) {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Script, [ref] $tokens, [ref] $errors)
    $problems = @($errors | ForEach-Object { "does not parse: $($_.Message) (at '$($_.Extent.Text)')" })
    $commands = @()
    foreach ($c in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $c.GetCommandName()
        if (-not $name) { continue }
        $resolved = Get-Command -Name $name -ErrorAction Ignore
        if (-not $resolved) { $problems += "names '$name', which is not a command"; continue }
        $commands += $resolved.Name
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($c, $true)
        # A command further down a pipeline chooses its parameter set by the type of what it receives, which static
        # binding cannot know: only there is an unresolved parameter set not a mistake of the example.
        $piped = $c.Parent -is [System.Management.Automation.Language.PipelineAst] -and $c.Parent.PipelineElements.IndexOf($c) -gt 0
        foreach ($pair in $binding.BindingExceptions.GetEnumerator()) {
            $exception = $pair.Value.BindingException
            if ($piped -and $exception.ErrorId -eq 'AmbiguousParameterSet') { continue }
            $problems += "$name $($pair.Key): [$($exception.ErrorId)] $($exception.Message)"
        }
    }
    $types = @()
    foreach ($t in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.TypeExpressionAst] -or $a -is [System.Management.Automation.Language.TypeConstraintAst] }, $true)) {
        $typeName = $t.TypeName.FullName
        $type = $typeName -as [type]
        if (-not $type) { $problems += "names the type [$typeName], which does not exist"; continue }
        $types += $type.FullName
    }
    [ordered]@{ Problems = @($problems); Commands = @($commands | Sort-Object -Unique); Types = @($types | Sort-Object -Unique) }
}

$report = foreach ($command in Get-Command -Module FmsTools -CommandType Cmdlet | Sort-Object Name) {
    $help = Get-Help -Name $command.Name -Full
    $text = $help | Out-String -Width 8192
    $examples = @(foreach ($example in @($help.examples.example)) {
        $script = Get-ExampleScript $example.code
        $result = Test-Example $script
        [ordered]@{ Title = "$($example.title)".Trim(' -'); Script = $script; Problems = $result.Problems; Commands = $result.Commands; Types = $result.Types }
    })
    [ordered]@{
        Name = $command.Name
        SupportsShouldProcess = [System.Management.Automation.CommandMetadata]::new($command).SupportsShouldProcess
        OutputTypes = @($command.OutputType | ForEach-Object Name)
        ParameterSets = @(foreach ($set in $command.ParameterSets) {
            [ordered]@{
                Name = $set.Name
                IsDefault = $set.IsDefault
                Syntax = "$($command.Name) $set"
                Parameters = @(foreach ($p in $set.Parameters | Where-Object Name -NotIn $common) {
                    [ordered]@{
                        Name = $p.Name; Mandatory = $p.IsMandatory; Position = $p.Position; ValueFromPipeline = $p.ValueFromPipeline
                        ValueFromPipelineByPropertyName = $p.ValueFromPipelineByPropertyName; Type = Get-TypeName $p.ParameterType
                        TypeFullName = $p.ParameterType.FullName; IsSwitch = $p.ParameterType -eq [switch]; Aliases = @($p.Aliases)
                        AcceptedValues = @(Get-AcceptedValue $p)
                        SupportsWildcards = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                    }
                })
            }
        })
        Help = [ordered]@{
            FromModule = $help.PSObject.TypeNames -contains 'MamlCommandHelpInfo'
            Synopsis = "$($help.Synopsis)"
            RenderedSyntax = @(Get-RenderedSyntax $text)
            SyntaxItems = @(foreach ($item in @($help.syntax.syntaxItem)) {
                ,@(foreach ($p in @($item.parameter)) {
                    [ordered]@{
                        Name = "$($p.name)"; Required = "$($p.required)"; Position = "$($p.position)"
                        Value = if ($p.PSObject.Properties.Item('parameterValue')) { "$($p.parameterValue)" } else { '' }
                        Values = if ($p.PSObject.Properties.Item('parameterValueGroup')) { @($p.parameterValueGroup.parameterValue | ForEach-Object { "$_" }) } else { @() }
                    }
                })
            })
            Parameters = @(foreach ($p in @($help.parameters.parameter)) {
                [ordered]@{
                    Name = "$($p.name)"; Required = "$($p.required)"; Position = "$($p.position)"; PipelineInput = "$($p.pipelineInput)"
                    Aliases = "$($p.aliases)"; Globbing = "$($p.globbing)"; DefaultValue = "$($p.defaultValue)"; Type = "$($p.type.name)"
                    Description = ($p.description | Out-String).Trim()
                }
            })
            InputTypes = @($help.inputTypes.inputType | ForEach-Object { "$($_.type.name)".Trim() })
            ReturnTypes = @($help.returnValues.returnValue | ForEach-Object { "$($_.type.name)".Trim() })
            OnlineUri = "$(@($help.relatedLinks.navigationLink | Where-Object { "$($_.uri)" })[0].uri)"
            Examples = $examples
        }
    }
}

# Examples that name the module's types run, in a demo sandbox, after the examples before them in the same help topic.
$ErrorActionPreference = 'Continue'
$runs = @(foreach ($entry in $report) {
    $examples = $entry.Help.Examples
    for ($i = 0; $i -lt $examples.Count; $i++) {
        if (-not ($examples[$i].Types | Where-Object { $_ -like 'FmsTools.*' })) { continue }
        $sandbox = Start-FmsSandbox -Demo
        $sandbox | Connect-Fms | Out-Null
        $errors = @()
        for ($j = 0; $j -le $i; $j++) {
            $Error.Clear()
            # A terminating error lands in $Error as well; errors stay in $Error however they are redirected.
            try { $null = & ([scriptblock]::Create($examples[$j].Script)) 2>&1 } catch { }
            if ($j -eq $i) { $errors = @($Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) }
        }
        Disconnect-Fms -StopSandbox -Confirm:$false | Out-Null
        [ordered]@{ Command = $entry.Name; Example = $examples[$i].Title; Types = $examples[$i].Types; Errors = @($errors) }
    }
})

[ordered]@{
    ModuleBase = $module.ModuleBase
    Commands = @($report)
    ExampleRuns = $runs
} | ConvertTo-Json -Depth 12 | Set-Content -LiteralPath $OutFile -Encoding utf8
