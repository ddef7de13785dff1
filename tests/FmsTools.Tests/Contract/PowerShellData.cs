using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// Module manifests and data files read by PowerShell itself: Import-PowerShellDataFile for the data as written,
    /// Test-ModuleManifest for what PowerShell makes of a manifest and the problems it reports. One runspace serves
    /// every call, one call at a time.
    /// </summary>
    public static class PowerShellData
    {
        private static readonly object Gate = new object();
        private static Runspace? _runspace;

        /// <summary>Import-PowerShellDataFile: the hashtable a .psd1 holds (arrays as object[], nested tables as Hashtable).</summary>
        public static Hashtable Import(string path)
            => (Hashtable)Invoke(ps => ps.AddCommand("Import-PowerShellDataFile").AddParameter("LiteralPath", path)).Output.Single().BaseObject;

        /// <summary>The strings of a data file entry: a single string, an array of them, or none.</summary>
        public static List<string> Strings(Hashtable data, string key)
            => data[key] switch
            {
                null => new List<string>(),
                string s => new List<string> { s },
                IEnumerable items => items.Cast<object?>().Select(o => o is PSObject p ? p.BaseObject : o).OfType<string>().ToList(),
                _ => new List<string>(),
            };

        /// <summary>Test-ModuleManifest: the module PowerShell reads from the manifest (null when it cannot), and the errors it reports.</summary>
        public static (PSModuleInfo? Module, List<ErrorRecord> Errors) TestManifest(string path)
        {
            var result = Invoke(ps => ps.AddCommand("Test-ModuleManifest").AddParameter("Path", path).AddParameter("ErrorAction", ActionPreference.Continue));
            return (result.Output.Select(o => o.BaseObject).OfType<PSModuleInfo>().SingleOrDefault(), result.Errors);
        }

        private static (List<PSObject> Output, List<ErrorRecord> Errors) Invoke(Action<PowerShell> build)
        {
            lock (Gate)
            {
                if (_runspace == null)
                {
                    _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                    _runspace.Open();
                }
                using var ps = PowerShell.Create();
                ps.Runspace = _runspace;
                build(ps);
                var output = ps.Invoke().ToList();
                return (output, ps.Streams.Error.ToList());
            }
        }
    }
}
