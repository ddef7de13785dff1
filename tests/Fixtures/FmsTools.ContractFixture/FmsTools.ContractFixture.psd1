@{
    # Defects: ModuleVersion differs from the assembly (9.9.9); CmdletsToExport omits Get-FmsUnlisted
    # and lists Get-FmsPhantom, which does not exist.
    RootModule           = 'FmsTools.ContractFixture.dll'
    ModuleVersion        = '1.0.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('FmsTools.ContractFixture.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-FmsWidget', 'Set-FmsWidget', 'Fetch-FmsThing', 'Get-Gadget', 'Get-FmsWidgets', 'Get-FmsNoOutput',
        'Get-FmsGhostOutput', 'Remove-FmsWidget', 'Get-FmsOrphan', 'Stop-FmsOrphan', 'Get-FmsPhantom'
    )
}
