# Pester 5 Discovery/Run scoping: a variable only Discovery assigns is not there when It or BeforeAll runs.
$topLevel = 'set while the file is discovered'
BeforeDiscovery {
    $names = @('a', 'b')
    $cases = @(@{ Name = 'a'; Expected = 1 }, @{ Name = 'b'; Expected = 2 })
}

BeforeAll {
    $shared = 'set in BeforeAll, visible below'
    function Get-Double([int] $Value) { $Value * 2 }
}

Describe 'scoping' {
    $inBody = 'set in the Describe body'
    $builder = { param($x) $x + $inBody }

    It 'reads a discovery variable' {
        $topLevel | Should -Not -BeNullOrEmpty                  # expect: Pester.DiscoveryVariable
        $inBody | Should -Be 'x'                                # expect: Pester.DiscoveryVariable
        $inBody | Should -Be 'reported once per variable'
    }

    It 'reads BeforeAll state, -ForEach data and its own variables: <Name>' -ForEach $cases {
        $local = Get-Double $Expected
        $local | Should -Be ($Expected * 2)
        $Name | Should -Not -BeNullOrEmpty
        $shared | Should -Not -BeNullOrEmpty
    }

    Context 'per name' -ForEach $names {
        BeforeAll {
            $current = $_
        }
        It 'sees its data' {
            $current | Should -BeIn $names                       # expect: Pester.DiscoveryVariable
        }
    }
}
