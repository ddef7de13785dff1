using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Registers the module's views when PowerShell imports the cmdlet assembly (both editions, and however the assembly is
    /// imported: FmsTools.psm1's Import-Module -Assembly, or a manifest naming the dll).
    /// </summary>
    public sealed class FmsModuleInitializer : IModuleAssemblyInitializer
    {
        /// <summary>Adds the views of FmsTools.Format.ps1xml to the session.</summary>
        public void OnImport() => FormatRegistration.Register();
    }

    /// <summary>
    /// The views of FmsTools.Format.ps1xml (the file is shipped beside the manifest and stays their source), given to
    /// PowerShell as <see cref="ExtendedTypeDefinition"/> objects generated from it (FormatViews.g.cs,
    /// tools/format/format_csharp.py) instead of through the manifest's FormatsToProcess. PowerShell then loads them the
    /// way it loads its own built-in views, without parsing XML or running its format-file loader (docs/notes/issue19.md,
    /// fmt19, has the measurements). What users see is the same: a test compares Export-FormatData of both.
    /// </summary>
    internal static partial class FormatRegistration
    {
        /// <summary>
        /// Adds the views to the current runspace's InitialSessionState.Formats (replacing an earlier import's) and rebuilds
        /// the session's views with Update-FormatData, the one public way to do that. A session whose format updates are
        /// disabled gets no views, as with FormatsToProcess.
        /// </summary>
        internal static void Register()
        {
            var state = Runspace.DefaultRunspace?.InitialSessionState;
            if (state == null || state.DisableFormatUpdates) return;
            var definitions = Definitions().ToList();
            var names = new HashSet<string>(definitions.Select(d => d.TypeName), StringComparer.OrdinalIgnoreCase);
            var before = state.Formats.ToList();
            var others = before.Where(e => e.FormatData == null || !names.Contains(e.FormatData.TypeName)).ToList();
            state.Formats.Clear();
            state.Formats.Add(others);
            state.Formats.Add(definitions.Select(d => new SessionStateFormatEntry(d)));
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                var command = UpdateFormatDataCommand();
                if (command != null) ps.AddCommand(command); else ps.AddCommand("Microsoft.PowerShell.Utility\\Update-FormatData");
                ps.AddParameter("ErrorAction", ActionPreference.Continue);
                ps.Invoke();
                if (ps.Streams.Error.Count == 0) return;
                // Update-FormatData puts the session's list back when it fails; make sure ours is gone too.
                state.Formats.Clear();
                state.Formats.Add(before);
                throw new InvalidOperationException("FmsTools could not add its formatting views to the session: " + ps.Streams.Error[0].Exception.Message);
            }
        }

        /// <summary>
        /// Update-FormatData by its implementing type when its assembly is loaded (PowerShell 7 loads it at start-up, before
        /// the Microsoft.PowerShell.Utility module), so that the module is not auto-loaded just for this; else by name.
        /// </summary>
        private static CmdletInfo? UpdateFormatDataCommand()
        {
            var type = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => string.Equals(a.GetName().Name, "Microsoft.PowerShell.Commands.Utility", StringComparison.Ordinal))
                .Select(a => a.GetType("Microsoft.PowerShell.Commands.UpdateFormatDataCommand", false))
                .FirstOrDefault(t => t != null);
            return type == null ? null : new CmdletInfo("Update-FormatData", type);
        }
    }
}
