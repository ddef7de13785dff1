@{
    # Defects: ModuleVersion differs from the assembly (9.9.9); CmdletsToExport omits Get-FmsUnlisted and lists
    # Get-FmsPhantom, which does not exist; NestedModules names a file that does not exist (Test-ModuleManifest); the
    # second format file is one PowerShell refuses to load (Update-FormatData).
    RootModule           = 'FmsTools.ContractFixture.dll'
    ModuleVersion        = '1.0.0'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('FmsTools.ContractFixture.Format.ps1xml', 'FmsTools.ContractFixture.Invalid.Format.ps1xml')
    TypesToProcess       = @('FmsTools.ContractFixture.Types.ps1xml')
    NestedModules        = @('FmsTools.ContractFixture.Missing.psm1')
    CmdletsToExport      = @(
        'Get-FmsWidget', 'Set-FmsWidget', 'Fetch-FmsThing', 'Get-Gadget', 'Get-FmsWidgets', 'Get-FmsNoOutput',
        'Get-FmsGhostOutput', 'Remove-FmsWidget', 'Get-FmsOrphan', 'Get-FmsPhantom'
    )
}
