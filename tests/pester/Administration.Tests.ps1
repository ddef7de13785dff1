# Lists, resource sets, the notification channel, administrators and tags, end to end in a real PowerShell
# host against a demo sandbox started inside this session.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Get-FmsTestModule) -Force
    $script:Sandbox = Start-FmsSandbox -Demo
    $script:Sandbox | Connect-Fms | Out-Null
    $script:Management = @{
        EndpointUrl = $script:Sandbox.Endpoint
        AccessKey   = $script:Sandbox.ManagementAccessKeyId
        SecretKey   = $script:Sandbox.ManagementSecretAccessKey
        Region      = $script:Sandbox.Region
    }
    function Get-MutatingCallCount { @(Get-FmsSandboxRequest -Sandbox $script:Sandbox -Mutating).Count }
}

AfterAll {
    if ($script:Sandbox) { Stop-FmsSandbox -InputObject $script:Sandbox -Confirm:$false -ErrorAction SilentlyContinue }
    Remove-Module FmsTools -Force -ErrorAction SilentlyContinue
}

Describe 'Apps lists' {
    It 'creates, finds, updates and removes a list' {
        $list = Set-FmsAppsList -Name 'pester-apps' -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru
        $list.ListId | Should -Not -BeNullOrEmpty
        (Get-FmsAppsList -Name 'pester-a*').ListId | Should -Be $list.ListId

        $updated = Set-FmsAppsList -Name 'pester-apps' -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 } -PassThru
        $updated.ListId | Should -Be $list.ListId
        $updated.Apps | Should -HaveCount 2

        Get-FmsAppsList -ListId $list.ListId | Remove-FmsAppsList -Force
        { Get-FmsAppsList -ListId $list.ListId -ErrorAction Stop } | Should -Throw -ErrorId 'ResourceNotFoundException*'
    }

    It 'reports a concurrent change as a conflict and keeps the other writer''s version' {
        $mine = Set-FmsAppsList -Name 'pester-conflict' -App @{ Name = 'web'; Protocol = 'tcp'; Port = 80 } -PassThru
        $theirs = Get-FmsAppsList -ListId $mine.ListId
        $theirs.Apps.Add([FmsTools.Engine.Administration.FmsApp]::new('theirs', 'tcp', 8443))
        $theirs | Set-FmsAppsList

        $mine.Apps.Add([FmsTools.Engine.Administration.FmsApp]::new('mine', 'tcp', 9443))
        $mine | Set-FmsAppsList -ErrorVariable conflict -ErrorAction SilentlyContinue
        $conflict | Should -HaveCount 1
        $conflict[0].FullyQualifiedErrorId | Should -BeLike 'ConcurrentModification*'
        (Get-FmsAppsList -ListId $mine.ListId).Apps.Name | Should -Contain 'theirs'
        (Get-FmsAppsList -ListId $mine.ListId).Apps.Name | Should -Not -Contain 'mine'
    }

    It 'rejects bad input before any call, naming the field and the rule' {
        $before = Get-MutatingCallCount
        Set-FmsAppsList -Name 'bad<name>' -App @{ Name = 'x'; Protocol = 'tcp'; Port = 70000 } -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad | Should -HaveCount 1
        $bad[0].Exception.Message | Should -Match 'AppsList\.Apps\[0\]\.Port'
        Get-MutatingCallCount | Should -Be $before
    }
}

Describe 'Protocols lists and -WhatIf' {
    It 'makes no mutating call under -WhatIf' {
        $list = Set-FmsProtocolsList -Name 'pester-protocols' -Protocol tcp, udp -PassThru
        $before = Get-MutatingCallCount
        $list | Remove-FmsProtocolsList -WhatIf
        Get-MutatingCallCount | Should -Be $before
        $list | Remove-FmsProtocolsList -Force
        Get-MutatingCallCount | Should -Be ($before + 1)
    }
}

Describe 'Resource sets' {
    It 'associates, lists and disassociates resources' {
        $set = Set-FmsResourceSet -Name 'pester-vpcs' -ResourceType 'AWS::EC2::VPC' -PassThru
        $arn = 'arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0'
        $added = $set | Add-FmsResourceSetResource -Uri $arn
        $added.Succeeded | Should -BeTrue
        ($set | Get-FmsResourceSetResource).Uri | Should -Be $arn
        $set | Get-FmsResourceSetResource | Remove-FmsResourceSetResource | Out-Null
        @($set | Get-FmsResourceSetResource) | Should -HaveCount 0
        $set | Remove-FmsResourceSet -Force
    }
}

Describe 'Organization settings' {
    It 'sets and clears the notification channel' {
        Set-FmsNotificationChannel -SnsTopicArn 'arn:aws:sns:us-east-1:222222222222:fms' -SnsRoleArn 'arn:aws:iam::222222222222:role/fms-sns'
        (Get-FmsNotificationChannel).SnsTopicArn | Should -Be 'arn:aws:sns:us-east-1:222222222222:fms'
        Remove-FmsNotificationChannel -Force
        (Get-FmsNotificationChannel).IsConfigured | Should -BeFalse
    }

    It 'lists the administrators from the management account' {
        $admins = Get-FmsAdminAccount -All -IncludeScope @script:Management
        $admins.AccountId | Should -Contain $script:Sandbox.AdminAccountId
        ($admins | Where-Object AccountId -EQ $script:Sandbox.AdminAccountId | Get-FmsAdminScope @script:Management) | Should -Not -BeNullOrEmpty
    }

    It 'tags an FMS resource and removes tags piped from Get-FmsTag' {
        $list = Set-FmsAppsList -Name 'pester-tagged' -App @{ Name = 'dns'; Protocol = 'udp'; Port = 53 } -PassThru
        Set-FmsTag -ResourceArn $list.Arn -Tag @{ owner = 'secops'; env = 'prod' }
        (Get-FmsTag -ResourceArn $list.Arn).Key | Should -Be @('env', 'owner')
        Get-FmsTag -ResourceArn $list.Arn | Where-Object Key -EQ owner | Remove-FmsTag
        (Get-FmsTag -ResourceArn $list.Arn).Key | Should -Be 'env'
    }
}
