# Deliberate defects for ScriptContractTests: each line marked "expect: Rule" must be reported with that rule,
# and nothing else may be. The checker reads the module's cmdlets from the built FmsTools.dll.

Get-FmsPolicyz -Name 'demo'                                     # expect: Command.Unknown
Get-FmsPolicy -Nme 'demo'                                       # expect: Parameter.Unknown
Get-FmsPolicy -P 'x'                                            # expect: Parameter.Ambiguous
Get-FmsPolicy -Det                                              # expect: Style.ParameterPrefix
Get-FmsPolicy -Name 'a' -Name 'b'                               # expect: Parameter.Duplicate
Get-FmsPolicy -Name 'demo' -PolicyId 'id'                       # expect: ParameterSet.Conflict
Get-FmsContext -WhatIf                                          # expect: Parameter.Unknown

# A defect on a continuation line is reported on its own line.
Get-FmsPolicy -Name 'demo' `
    -Detailed `
    -Bogus                                                      # expect: Parameter.Unknown

# In a pipeline, each command has its own parameters.
Get-FmsPolicy -Detailed | Remove-FmsPolicy -Detailed           # expect: Parameter.Unknown

# Inside a group, a scriptblock and a string's subexpression.
$count = @(Get-FmsPolicy -Typo).Count                           # expect: Parameter.Unknown
Invoke-Command { Get-FmsPolicy -Typo }                          # expect: Parameter.Unknown
Write-Host "policies: $(Get-FmsPolicy -Typo)"                   # expect: Parameter.Unknown

# Splatting: a key that is no parameter, and a splat that puts the call in two sets.
$conn = @{ EndpointUrl = 'http://127.0.0.1:1'; Regoin = 'us-east-1' }
Get-FmsPolicy @conn                                             # expect: Splat.UnknownParameter
$byId = @{ PolicyId = 'id' }
Get-FmsPolicy -Detailed @byId                                   # expect: ParameterSet.Conflict

# Pester's Should and the module's own operator.
It 'x' {
    'demo' | Should -BeFmsCompliantt                            # expect: Parameter.Unknown, ParameterSet.NoOperator
    { Get-FmsPolicy } | Should -Be 1 -ErrorId 'x'               # expect: ParameterSet.Conflict
    1 | Should 1                                                # expect: ParameterSet.NoOperator
}

# A group that is not closed where it should be.
Get-FmsPolicy -Name ('demo'}                                    # expect: Syntax.Error

# A pipeline whose consumer takes nothing the producer writes.
Get-FmsContext |
    Remove-FmsPolicy -Force                                     # expect: Pipeline.NoBinding

# A placeholder in angle brackets: '<' is a reserved operator, so this does not parse.
Get-FmsPolicy -PolicyId <policy-id>                             # expect: Syntax.Error

# Common parameters that take a variable's name, and switches given a value after a space.
Get-FmsPolicy -ErrorVariable $problems                          # expect: Parameter.VariableName
Get-FmsPolicy -Detailed $false                                  # expect: Parameter.SwitchValue
Remove-FmsPolicy -PolicyId 'id' -Confirm $false                 # expect: Parameter.SwitchValue

# Should -Throw needs a scriptblock, not a command's output.
It 'throws' {
    Get-FmsPolicy -PolicyId 'missing' | Should -Throw          # expect: Pester.ThrowNeedsScriptBlock
}

# A mandatory parameter nobody gives: no pipeline, no splat, no positional argument (CI cannot answer the prompt).
Set-FmsTag -ResourceArn 'arn:aws:fms:us-east-1:111122223333:policy/x'   # expect: ParameterSet.MissingMandatory
Get-FmsTag                                                      # expect: ParameterSet.MissingMandatory

# An argument that no position takes, and a parameter without its argument.
Get-FmsContext 'extra'                                          # expect: Parameter.Positional
Get-FmsPolicy -Name                                             # expect: Parameter.MissingArgument
