# Root module of FmsTools: loads the cmdlet assembly the way this PowerShell edition allows.
#
# PowerShell 7 (Core): FmsTools.Loader.dll (loaded here into the default context) loads FmsTools.dll,
# FmsTools.Engine.dll and FmsTools.Sandbox.dll into the default context, where scripts can name their types
# ([FmsTools.Engine.Policies.FmsPolicy]), and FmsTools.Aws.dll with AWSSDK.* into a private AssemblyLoadContext.
# Another module's AWSSDK.Core (AWS.Tools) then lives beside ours, whichever module was imported first.
#
# Windows PowerShell 5.1 (Desktop): .NET Framework has no load contexts, so FmsTools.dll loads directly and
# its dependencies resolve from Dependencies/. There is one AWSSDK.Core per process: import FmsTools first, or
# in a fresh session (about_FmsTools, KNOWN ISSUES).
#
# Import time matters (every runbook and CI job pays it), so this file does as little as it can: no Add-Type
# (its first use costs more than the whole import) and no command lookups (Get-Command searches PATH); the
# module-qualified Import-Module below still bypasses a user's proxy function of that name.
$dependencies = [System.IO.Path]::Combine($PSScriptRoot, 'Dependencies')

if ($PSEdition -eq 'Core') {
    # The loader publishes its type once it has loaded the module (a type-name lookup searches every assembly).
    $loader = [System.AppContext]::GetData('FmsTools.Loader.FmsModuleLoadContext')
    $isReload = $null -ne $loader
    if (-not $isReload) {
        try {
            $loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'FmsTools.Loader.dll')).GetType('FmsTools.Loader.FmsModuleLoadContext', $true)
        }
        catch [System.IO.FileLoadException] {
            # Another copy's loader that predates the AppContext entry: its LoadModule explains the conflict.
            $loader = 'FmsTools.Loader.FmsModuleLoadContext' -as [type]
            if (-not $loader) { throw }
            $isReload = $true
        }
    }
    $assembly = $loader::LoadModule($dependencies)
}
else {
    $isReload = [bool]('FmsTools.Infrastructure.FmsCmdlet' -as [type])
    $assembly = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($dependencies, 'FmsTools.dll'))
}

$inner = Microsoft.PowerShell.Core\Import-Module -Assembly $assembly -PassThru:$isReload -Force:$isReload
if ($inner) {
    # Importing an already-loaded assembly again (Import-Module FmsTools -Force) reuses PowerShell's cached
    # binary module without handing its cmdlets to this module (PowerShell/PowerShell#20710), so export
    # them explicitly; a first import exports them the ordinary way.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    if ($addExportedCmdlet) {
        foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
            $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
        }
    }
}
