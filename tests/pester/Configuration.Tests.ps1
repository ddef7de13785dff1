# Configuration as code (Export-, Import-, Test-FmsConfiguration) end to end against the demo sandbox.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSetup.ps1')
    $null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false
    $script:Set = Set-FmsResourceSet -Name shared-vpcs -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false
    $null = New-FmsImportNetworkFirewallPolicy -Name scoped-import -ResourceSetId $script:Set.Id -Confirm:$false
}

AfterAll {
    Stop-ConfigurationSandbox
}

Describe 'Export-FmsConfiguration and Import-FmsConfiguration' {
    It 'round-trips every object, names resource sets by name, and a second export changes nothing' {
        $folder = New-TestFolder
        $written = Export-FmsConfiguration -Path $folder -WarningAction SilentlyContinue
        $written.Status | Sort-Object -Unique | Should -Be 'Written'
        $items = Import-FmsConfiguration -Path $folder
        $items.Count | Should -Be $written.Count
        ($items | Where-Object Name -eq 'scoped-import').ResourceSetNames | Should -Be 'shared-vpcs'
        Get-Content -Raw (Join-Path $folder 'us-east-1/policies/scoped-import.fmspolicy.json') | Should -Not -Match $script:Set.Id
        (Export-FmsConfiguration -Path $folder -WarningAction SilentlyContinue).Status | Sort-Object -Unique | Should -Be 'Unchanged'
        Test-FmsConfiguration -Path $folder -Online -Quiet | Should -BeTrue
    }

    It 'reports a policy that names a resource set the folder lacks, naming file, object and field' {
        $folder = New-TestFolder
        $null = Export-FmsConfiguration -Path $folder -Kind Policy, ResourceSet
        Remove-Item (Join-Path $folder 'us-east-1/resource-sets/shared-vpcs.fmsresourceset.json')
        $finding = Test-FmsConfiguration -Path $folder
        $finding.File | Should -Be 'us-east-1/policies/scoped-import.fmspolicy.json'
        $finding.Object | Should -Be 'scoped-import'
        $finding.Field | Should -Be 'scope.resourceSetIds[0]'
        Test-FmsConfiguration -Path $folder -Quiet | Should -BeFalse
        $null = Import-FmsConfiguration -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfigurationInvalid,*'
    }
}

Describe 'Compare-FmsConfiguration and Sync-FmsConfiguration' {
    It 'round-trips the configuration into an OrganizationOnly sandbox: zero differences, same bytes, nothing left to do' {
        $folder = New-TestFolder
        $null = Export-FmsConfiguration -Path $folder -WarningAction SilentlyContinue
        Compare-FmsConfiguration -Path $folder | Should -BeNullOrEmpty
        $fresh = Start-FmsSandbox -Demo -OrganizationOnly
        try {
            $fresh | Connect-Fms
            Get-FmsPolicy | Should -BeNullOrEmpty
            $results = Sync-FmsConfiguration -Path $folder -Confirm:$false
            @($results | Where-Object Status -in 'Failed', 'NotApplied') | Should -BeNullOrEmpty
            Compare-FmsConfiguration -Path $folder | Should -BeNullOrEmpty
            $again = New-TestFolder
            $null = Export-FmsConfiguration -Path $again -WarningAction SilentlyContinue
            $left = Get-ChildItem $folder -Recurse -File | Sort-Object FullName | ForEach-Object { $_.FullName.Substring($folder.Length) + ':' + (Get-FileHash $_.FullName).Hash }
            $right = Get-ChildItem $again -Recurse -File | Sort-Object FullName | ForEach-Object { $_.FullName.Substring($again.Length) + ':' + (Get-FileHash $_.FullName).Hash }
            $right | Should -Be $left
            (Sync-FmsConfiguration -Path $folder -DeleteMissing -Confirm:$false).Status | Sort-Object -Unique | Should -Be 'Unchanged'
        }
        finally {
            $fresh | Stop-FmsSandbox -Confirm:$false
            $script:Sandbox | Connect-Fms
        }
    }

    It 'shows a changed field and applies it; -WhatIf changes nothing' {
        $folder = New-TestFolder
        $null = Export-FmsConfiguration -Path $folder -Kind AppsList
        $file = Join-Path $folder 'us-east-1/apps-lists/web-apps.fmsappslist.json'
        (Get-Content -Raw $file).Replace('443', '8443') | Set-Content -NoNewline $file
        $difference = Compare-FmsConfiguration -Path $folder -Kind AppsList
        $difference.Field | Should -Be 'apps[https].port'
        $difference.LiveValue, $difference.FolderValue | Should -Be '443', '8443'
        (Sync-FmsConfiguration -Path $folder -Kind AppsList -WhatIf).Status | Should -Be 'NotApplied'
        (Get-FmsAppsList -Name web-apps).Apps[0].Port | Should -Be 443
        (Sync-FmsConfiguration -Path $folder -Kind AppsList -Confirm:$false).Status | Should -Be 'Applied'
        (Get-FmsAppsList -Name web-apps).Apps[0].Port | Should -Be 8443
        Compare-FmsConfiguration -Path $folder -Kind AppsList | Should -BeNullOrEmpty
    }
}
