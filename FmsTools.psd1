@{
    # ModuleVersion is stamped by build.ps1 from Directory.Build.props (FmsToolsVersion), and a contract test
    # fails if the two disagree. FmsTools.psm1 imports the binary cmdlets from Dependencies/FmsTools.dll: on
    # PowerShell 7 through FmsTools.Loader.dll, in a private AssemblyLoadContext (so AWS.Tools' AWSSDK.Core can
    # share the session); on Windows PowerShell 5.1 directly.
    RootModule           = 'FmsTools.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f6b8a52-4c1e-4a7d-9d53-0c2b7e5f9a41'
    Author               = 'FmsTools contributors'
    CompanyName          = 'FmsTools'
    Copyright            = '(c) FmsTools contributors. Apache License 2.0.'
    Description          = 'Run AWS Firewall Manager across an organization from PowerShell: author, validate and deploy all eleven FMS policy types, see org-wide compliance, drill into violations, remediate with a real -WhatIf plan, keep policies as code with a semantic diff, and check compliance in Pester. Ships a local FMS-compatible sandbox.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('FmsTools.Format.ps1xml')
    # No type data: an empty types file still costs every import a session-wide type table update.
    TypesToProcess       = @()

    # Explicit list: no wildcards, so discovery is fast and the contract tests can compare it with the assembly.
    CmdletsToExport      = @(
        'Add-FmsResourceSetResource'
        'Assert-FmsCompliance'
        'Compare-FmsConfiguration'
        'Compare-FmsPolicy'
        'Connect-Fms'
        'Disconnect-Fms'
        'Export-FmsComplianceReport'
        'Export-FmsConfiguration'
        'Export-FmsPolicy'
        'Get-FmsAdminAccount'
        'Get-FmsAdminScope'
        'Get-FmsAppsList'
        'Get-FmsChangeHistory'
        'Get-FmsComplianceReport'
        'Get-FmsComplianceStatus'
        'Get-FmsContext'
        'Get-FmsCostEstimate'
        'Get-FmsNotificationChannel'
        'Get-FmsPolicy'
        'Get-FmsProtocolsList'
        'Get-FmsResourceSet'
        'Get-FmsResourceSetResource'
        'Get-FmsSandboxRequest'
        'Get-FmsTag'
        'Get-FmsViolation'
        'Import-FmsConfiguration'
        'Import-FmsPolicy'
        'Invoke-FmsRemediation'
        'Merge-FmsComplianceReport'
        'New-FmsDnsFirewallPolicy'
        'New-FmsImportNetworkFirewallPolicy'
        'New-FmsNetworkAclPolicy'
        'New-FmsNetworkFirewallPolicy'
        'New-FmsSecurityGroupPolicy'
        'New-FmsShieldPolicy'
        'New-FmsThirdPartyFirewallPolicy'
        'New-FmsWafClassicPolicy'
        'New-FmsWafPolicy'
        'Remove-FmsAdminAccount'
        'Remove-FmsAppsList'
        'Remove-FmsNotificationChannel'
        'Remove-FmsPolicy'
        'Remove-FmsProtocolsList'
        'Remove-FmsResourceSet'
        'Remove-FmsResourceSetResource'
        'Remove-FmsTag'
        'Restore-FmsPolicy'
        'Set-FmsAdminAccount'
        'Set-FmsAppsList'
        'Set-FmsNotificationChannel'
        'Set-FmsPolicy'
        'Set-FmsProtocolsList'
        'Set-FmsResourceSet'
        'Set-FmsTag'
        'Start-FmsSandbox'
        'Stop-FmsSandbox'
        'Sync-FmsConfiguration'
        'Sync-FmsPolicy'
        'Test-FmsCompliance'
        'Test-FmsConfiguration'
        'Test-FmsPolicy'
        'Watch-FmsCompliance'
    )
    # Pester integration (Should -BeFmsCompliant): a script module beside the assembly, and its one public function.
    NestedModules        = @('FmsTools.Pester.psm1')
    FunctionsToExport    = @('Register-FmsShouldOperator')
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'FirewallManager', 'FMS', 'WAF', 'Shield', 'SecurityGroups', 'NetworkFirewall', 'Compliance', 'Security', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/fmstools/FmsTools'
            LicenseUri   = 'https://github.com/fmstools/FmsTools/blob/main/LICENSE'
            ReleaseNotes = 'First release: the eleven FMS policy types, organization-wide compliance, remediation with a -WhatIf plan, policies as code, change history, cost estimates, Pester checks and a local FMS-compatible sandbox. Tested in PowerShell 7.6; Windows PowerShell 5.1 is compile-checked. Full notes: https://github.com/fmstools/FmsTools/blob/main/CHANGELOG.md'
        }
    }
}
