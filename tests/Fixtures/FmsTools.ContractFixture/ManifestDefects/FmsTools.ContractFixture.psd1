@{
    # A second manifest of the fixture module, read by ModuleContract.CheckManifest alone. Defects: CmdletsToExport uses a
    # wildcard; CompatiblePSEditions leaves out Desktop (Windows PowerShell 5.1); the RootModule is a script module that
    # does not import the module's assembly. Otherwise correct: it lists the cmdlet it is checked against, and its
    # version is the one that cmdlet's assembly is checked with.
    RootModule           = 'FmsTools.ContractFixture.psm1'
    ModuleVersion        = '1.0.0'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @('Get-FmsWidget', 'Get-FmsW*')
}
