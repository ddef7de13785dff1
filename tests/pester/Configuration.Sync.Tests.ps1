# Compare-FmsConfiguration and Sync-FmsConfiguration in real pwsh against the demo sandbox: field-level differences,
# -WhatIf makes no mutating request, a sync converges and a second one has nothing to do, a newer API's members kept
# (also inside a network ACL entry, and sent back on a policy update),
# and the quota on custom apps lists checked for the whole plan before the first change.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSetup.ps1')
    $null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'dns'; Protocol = 'udp'; Port = 53 } -Confirm:$false
    $null = Set-FmsProtocolsList -Name allowed-protocols -Protocol tcp, udp -Confirm:$false

    # The state-changing requests the sandbox answered since $mark (a RequestLog.TotalCount).
    function Get-MutatingSince([long] $mark) {
        $log = $script:Sandbox.RequestLog
        @($log.Entries | Select-Object -Last ([int]($log.TotalCount - $mark)) | Where-Object Mutating)
    }

    # A new folder with one policy file as a newer API's export writes it: demo-nacl-baseline named $Name, without its
    # policyId, with the upper-case member $Member set to $Value. Returns the folder.
    function New-NewerPolicyFolder([string] $Name, [string] $Member, $Value) {
        $folder = New-TestFolder
        $file = Get-FmsPolicy -Name demo-nacl-baseline | Export-FmsPolicy -Path $folder
        $json = Get-Content -Raw $file.FullName | ConvertFrom-Json
        $json.PSObject.Properties.Remove('policyId')
        $json.name = $Name
        $json | Add-Member -NotePropertyName $Member -NotePropertyValue $Value
        Remove-Item $file.FullName
        $json | ConvertTo-Json -Depth 20 | Set-Content (Join-Path $folder "$Name.fmspolicy.json")
        $folder
    }
}

AfterAll {
    Stop-ConfigurationSandbox
}

Describe 'Compare-FmsConfiguration and Sync-FmsConfiguration' {
    It 'names each changed field; -WhatIf makes no mutating request; the sync converges and a second one has nothing to do' {
        $folder = New-TestFolder
        $null = Export-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList
        $apps = Join-Path $folder 'us-east-1/apps-lists/web-apps.fmsappslist.json'
        (Get-Content -Raw $apps).Replace('"udp"', '"tcp"') | Set-Content -NoNewline $apps
        $protocols = Join-Path $folder 'us-east-1/protocols-lists/allowed-protocols.fmsprotocolslist.json'
        (Get-Content -Raw $protocols).Replace('"udp"', '"icmp"') | Set-Content -NoNewline $protocols

        $differences = @(Compare-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList)
        $differences.Count | Should -Be 3
        $protocol = $differences | Where-Object { $_.Kind -eq 'AppsList' }
        $protocol.Field, $protocol.Change, $protocol.LiveValue, $protocol.FolderValue | Should -Be 'apps[dns].protocol', 'Changed', '"udp"', '"tcp"'
        ($differences | Where-Object Kind -eq 'ProtocolsList' | Sort-Object Change | ForEach-Object { "$($_.Change) $($_.Field) $($_.Values)" }) |
            Should -Be 'Added protocols + "icmp"', 'Removed protocols - "udp"'

        $mark = $script:Sandbox.RequestLog.TotalCount
        $planned = Sync-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList -WhatIf
        Get-MutatingSince $mark | Should -BeNullOrEmpty
        ($planned | Where-Object Status -eq 'NotApplied' | ForEach-Object { "$($_.Action) $($_.Kind) $($_.Name)" }) |
            Should -Be 'Update AppsList web-apps', 'Update ProtocolsList allowed-protocols'
        (Get-FmsProtocolsList -Name allowed-protocols).Protocols | Should -Be 'tcp', 'udp'

        $applied = Sync-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList -Confirm:$false
        @($applied | Where-Object Status -eq 'Applied').Count | Should -Be 2
        (Get-FmsProtocolsList -Name allowed-protocols).Protocols | Should -Be 'tcp', 'icmp'
        Compare-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList | Should -BeNullOrEmpty
        $mark = $script:Sandbox.RequestLog.TotalCount
        (Sync-FmsConfiguration -Path $folder -Kind AppsList, ProtocolsList -Confirm:$false).Status | Sort-Object -Unique | Should -Be 'Unchanged'
        Get-MutatingSince $mark | Should -BeNullOrEmpty
    }

    It 'keeps the members of a newer API, top level and nested, with no false difference' {
        $field = { param($operation, $path, $name, $json)
            $script:Sandbox.AnswerFields.Add([FmsTools.Sandbox.AnswerField]@{ Operation = $operation; Path = $path; Name = $name; Value = [System.Text.Json.Nodes.JsonNode]::Parse($json) }) }
        & $field 'GetAppsList' 'AppsList' 'ListDescription' '"from a newer API"'
        & $field 'GetAppsList' 'AppsList.AppsList[*]' 'Direction' '"INBOUND"'
        try {
            $folder = New-TestFolder
            $null = Export-FmsConfiguration -Path $folder -Kind AppsList
            $json = Get-Content -Raw (Join-Path $folder 'us-east-1/apps-lists/web-apps.fmsappslist.json') | ConvertFrom-Json
            $json.ListDescription | Should -Be 'from a newer API'
            $json.apps.Direction | Sort-Object -Unique | Should -Be 'INBOUND'
            Compare-FmsConfiguration -Path $folder -Kind AppsList -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            $mark = $script:Sandbox.RequestLog.TotalCount
            (Sync-FmsConfiguration -Path $folder -Kind AppsList -Confirm:$false -WarningAction SilentlyContinue).Status | Sort-Object -Unique | Should -Be 'Unchanged'
            Get-MutatingSince $mark | Should -BeNullOrEmpty
        }
        finally {
            $script:Sandbox.AnswerFields.Clear()
        }
    }

    It 'sends a newer API''s stored policy members back on update, so an update does not reset them' {
        # The sandbox stores PolicyUpdateMode as a newer API would: PutPolicy keeps what it is given and resets it when omitted.
        $script:Sandbox.AnswerFields.Add([FmsTools.Sandbox.AnswerField]@{ Operation = 'GetPolicy'; Path = 'Policy'; Name = 'PolicyUpdateMode'; Stored = $true })
        try {
            $folder = New-NewerPolicyFolder -Name nacl-pester-newer -Member PolicyUpdateMode -Value 'GRADUAL'
            (Sync-FmsPolicy -Path $folder -Confirm:$false -WarningVariable kept -WarningAction SilentlyContinue).Action | Should -Be 'Create'
            $kept | Should -Match 'PolicyUpdateMode'
            $id = (Get-FmsPolicy -Name nacl-pester-newer).PolicyId
            Set-FmsPolicy -PolicyId $id -DeleteUnusedFMManagedResources -Confirm:$false
            $check = New-TestFolder
            $after = Get-FmsPolicy -Name nacl-pester-newer | Export-FmsPolicy -Path $check
            (Get-Content -Raw $after.FullName | ConvertFrom-Json).PolicyUpdateMode | Should -Be 'GRADUAL'
            Remove-FmsPolicy -PolicyId $id -Confirm:$false
        }
        finally {
            $script:Sandbox.AnswerFields.Clear()
        }
    }

    It 'keeps a newer API''s member inside a network ACL entry: named by its path, no false difference, sent back on update' {
        # The sandbox stores Logging in the first entry as a newer API would (no default: a PutPolicy that omits it resets it).
        $entry = 'Policy.SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0]'
        $script:Sandbox.AnswerFields.Add([FmsTools.Sandbox.AnswerField]@{ Operation = 'GetPolicy'; Path = $entry; Name = 'Logging'; Stored = $true })
        $field = 'SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].Logging'
        try {
            # A file as a newer API's export writes it: the entry's member kept beside the entry's known content.
            $kept = '{ "PolicyOption": { "NetworkAclCommonPolicy": { "NetworkAclEntrySet": { "FirstEntries": [ ' +
                '{ "CidrBlock": "0.0.0.0/0", "Egress": false, "PortRange": { "From": 3389, "To": 3389 }, "Protocol": "6", "RuleAction": "deny", "Logging": "ON" } ] } } } }'
            $folder = New-NewerPolicyFolder -Name nacl-pester-entry -Member SecurityServicePolicyData -Value ($kept | ConvertFrom-Json)
            (Sync-FmsPolicy -Path $folder -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue).Action | Should -Be 'Create'
            ($warned -join "`n") | Should -Match ([regex]::Escape("policy 'nacl-pester-entry': $field is not a field this version knows"))

            # Exported from the service: the member is in the file, named by Test-FmsConfiguration; nothing to compare or sync.
            $cfg = New-TestFolder
            $null = Export-FmsConfiguration -Path $cfg -Kind Policy
            $path = Join-Path $cfg 'us-east-1/policies/nacl-pester-entry.fmspolicy.json'
            (Get-Content -Raw $path | ConvertFrom-Json).SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].Logging | Should -Be 'ON'
            $finding = Test-FmsConfiguration -Path $cfg | Where-Object Field -eq $field
            "$($finding.Severity) $($finding.Rule) $($finding.Object)" | Should -Be 'Warning Configuration.Field.Unknown nacl-pester-entry'
            Compare-FmsConfiguration -Path $cfg -Kind Policy -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            $mark = $script:Sandbox.RequestLog.TotalCount
            (Sync-FmsConfiguration -Path $cfg -Kind Policy -Confirm:$false -WarningAction SilentlyContinue).Status | Sort-Object -Unique | Should -Be 'Unchanged'
            Get-MutatingSince $mark | Should -BeNullOrEmpty
            $hash = (Get-FileHash $path).Hash
            (Export-FmsConfiguration -Path $cfg -Kind Policy -Force).Status | Sort-Object -Unique | Should -Be 'Unchanged'
            (Get-FileHash $path).Hash | Should -Be $hash

            # An update (a known field) sends the deployed entry's member back, so the service keeps it.
            $id = (Get-FmsPolicy -Name nacl-pester-entry).PolicyId
            Set-FmsPolicy -PolicyId $id -DeleteUnusedFMManagedResources -Confirm:$false
            $check = New-TestFolder
            $after = Get-FmsPolicy -Name nacl-pester-entry | Export-FmsPolicy -Path $check
            (Get-Content -Raw $after.FullName | ConvertFrom-Json).SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].Logging | Should -Be 'ON'
            Remove-FmsPolicy -PolicyId $id -Confirm:$false
        }
        finally {
            $script:Sandbox.AnswerFields.Clear()
        }
    }

    It 'refuses a plan over the custom apps list quota before any change, naming file, object and limit' {
        $folder = New-TestFolder
        $null = Export-FmsConfiguration -Path $folder -Kind AppsList
        $room = 10 - @(Get-FmsAppsList).Count
        foreach ($i in 0..$room) {
            $name = 'extra-{0:D2}' -f $i
            Set-Content -Path (Join-Path $folder "us-east-1/apps-lists/$name.fmsappslist.json") -Value ('{ "schema": "fmstools.appslist/v1", "name": "' + $name + '", "apps": [ { "name": "web", "protocol": "tcp", "port": 80 } ] }')
        }
        $mark = $script:Sandbox.RequestLog.TotalCount
        $aborted = $null
        try { $null = Sync-FmsConfiguration -Path $folder -Kind AppsList -Confirm:$false -ErrorVariable quotaErrors -ErrorAction SilentlyContinue }
        catch { $aborted = $_ }
        $aborted.Exception.Message | Should -BeLike '*nothing was changed*'
        Get-MutatingSince $mark | Should -BeNullOrEmpty
        $last = 'extra-{0:D2}' -f $room
        $quota = $quotaErrors | Where-Object { $_.FullyQualifiedErrorId -like 'Configuration.Quota.AppsList,*' }
        $quota.Exception.Message | Should -BeLike "*us-east-1/apps-lists/$last.fmsappslist.json ('$last')*limit of 10 custom apps lists*"
        $quota.CategoryInfo.Category | Should -Be 'QuotaExceeded'
    }
}
