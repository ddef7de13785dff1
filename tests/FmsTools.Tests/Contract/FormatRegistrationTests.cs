using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// The module registers its views at import as objects generated from FmsTools.Format.ps1xml (FormatViews.g.cs), not
    /// through FormatsToProcess. Users must see exactly what the file says: PowerShell's own Export-FormatData of the views
    /// the import registered must equal its export of the file loaded with Update-FormatData.
    /// </summary>
    public class FormatRegistrationTests
    {
        private static string FormatFile => RepoPaths.InRepo("src", "FmsTools", "Format", "FmsTools.Format.ps1xml");

        [Fact]
        public void The_views_registered_at_import_are_the_format_files_views()
        {
            var registered = Export(ps => ps.AddCommand("Import-Module").AddParameter("Assembly", typeof(FmsCmdlet).Assembly)
                .AddParameter("WarningAction", ActionPreference.SilentlyContinue));
            var fromFile = Export(ps => ps.AddCommand("Update-FormatData").AddParameter("AppendPath", FormatFile));
            Assert.True(fromFile.Contains("<ScriptBlock>", StringComparison.Ordinal) && fromFile.Contains("<ListControl>", StringComparison.Ordinal),
                "The export holds the file's script blocks and list views.");
            Assert.True(registered == fromFile,
                "The registered views differ from FmsTools.Format.ps1xml: run python3 tools/format/format_csharp.py after editing the file.");
        }

        [Fact]
        public void Importing_again_replaces_the_views_instead_of_adding_a_second_copy()
        {
            using var runspace = Open(disableFormatUpdates: false);
            Import(runspace);
            var first = Entries(runspace);
            Import(runspace, force: true);
            Assert.Equal(FormatRegistration.Definitions().Count(), first);
            Assert.Equal(first, Entries(runspace));
            var viewsInFile = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(FormatFile), "<View>").Count;
            Assert.Equal(viewsInFile, Invoke(runspace, ps => ps.AddCommand("Get-FormatData").AddParameter("TypeName", "FmsTools.*"))
                .Cast<PSObject>().Select(o => (ExtendedTypeDefinition)o.BaseObject).Sum(d => d.FormatViewDefinition.Count));
        }

        [Fact]
        public void A_session_with_format_updates_disabled_imports_without_views_as_with_a_format_file()
        {
            using var runspace = Open(disableFormatUpdates: true);
            Import(runspace);
            Assert.Empty(Invoke(runspace, ps => ps.AddCommand("Get-FormatData").AddParameter("TypeName", "FmsTools.*")));
            Assert.Equal(0, Entries(runspace));
        }

        /// <summary>Export-FormatData (script blocks included) of every view in a session that only ran <paramref name="load"/>.</summary>
        private static string Export(Action<PowerShell> load)
        {
            using var runspace = Open(disableFormatUpdates: false);
            Invoke(runspace, load);
            var path = Path.Combine(Path.GetTempPath(), "fmstools-format-" + Guid.NewGuid().ToString("N") + ".ps1xml");
            try
            {
                Invoke(runspace, ps => ps.AddCommand("Get-FormatData").AddParameter("TypeName", "FmsTools.*")
                    .AddCommand("Sort-Object").AddParameter("Property", "TypeName")
                    .AddCommand("Export-FormatData").AddParameter("LiteralPath", path).AddParameter("IncludeScriptBlock"));
                return File.ReadAllText(path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        private static Runspace Open(bool disableFormatUpdates)
        {
            var state = InitialSessionState.CreateDefault2();
            state.Formats.Clear();
            state.DisableFormatUpdates = disableFormatUpdates;
            var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            return runspace;
        }

        private static void Import(Runspace runspace, bool force = false)
            => Invoke(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Assembly", typeof(FmsCmdlet).Assembly).AddParameter("Force", force)
                .AddParameter("WarningAction", ActionPreference.SilentlyContinue));

        /// <summary>The session's format entries that are FmsTools views.</summary>
        private static int Entries(Runspace runspace)
            => runspace.InitialSessionState.Formats.Count(e => e.FormatData?.TypeName.StartsWith("FmsTools.", StringComparison.Ordinal) == true);

        private static List<PSObject> Invoke(Runspace runspace, Action<PowerShell> build)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            var output = ps.Invoke().ToList();
            Assert.True(ps.Streams.Error.Count == 0, string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
            return output;
        }
    }
}
