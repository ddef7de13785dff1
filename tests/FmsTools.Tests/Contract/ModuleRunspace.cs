using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace FmsTools.Tests.Contract
{
    /// <summary>
    /// A runspace that holds one binary module and nothing else PowerShell would otherwise bring along: the module's
    /// assembly is imported with Import-Module -Assembly (so every cmdlet it defines is there, listed in the manifest or
    /// not), and only the module's own format and type files are loaded (Update-FormatData, Update-TypeData), so
    /// Get-FormatData and Get-TypeData describe the module's views and type data alone.
    /// </summary>
    internal sealed class ModuleRunspace : IDisposable
    {
        private readonly Runspace _runspace;

        private ModuleRunspace(Runspace runspace, IReadOnlyList<CmdletInfo> cmdlets)
        {
            _runspace = runspace;
            Cmdlets = cmdlets;
        }

        /// <summary>Every cmdlet the assembly defines, as Get-Command describes it.</summary>
        public IReadOnlyList<CmdletInfo> Cmdlets { get; }

        /// <summary>What Update-FormatData and Update-TypeData reported, by file.</summary>
        public List<(string File, ErrorRecord Error)> LoadErrors { get; } = new List<(string, ErrorRecord)>();

        public static ModuleRunspace Open(Assembly assembly, IEnumerable<string> formatFiles, IEnumerable<string> typeFiles)
        {
            var state = InitialSessionState.CreateDefault2();
            state.Formats.Clear();
            state.Types.Clear();
            var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            // An unapproved verb makes Import-Module warn; the contract reports it as a violation of its own.
            var module = Invoke(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Assembly", assembly).AddParameter("PassThru")
                    .AddParameter("WarningAction", ActionPreference.SilentlyContinue))
                .Output.Select(o => o.BaseObject).OfType<PSModuleInfo>().Single();
            var opened = new ModuleRunspace(runspace, module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList());
            foreach (var file in formatFiles)
                opened.Load("Update-FormatData", file);
            foreach (var file in typeFiles)
                opened.Load("Update-TypeData", file);
            return opened;
        }

        private void Load(string command, string file)
        {
            var result = Invoke(_runspace, ps => ps.AddCommand(command).AddParameter("AppendPath", file).AddParameter("ErrorAction", ActionPreference.Continue));
            LoadErrors.AddRange(result.Errors.Select(e => (Path.GetFileName(file), e)));
        }

        /// <summary>Get-Verb: the approved verbs.</summary>
        public HashSet<string> ApprovedVerbs()
            => new HashSet<string>(Invoke(_runspace, ps => ps.AddCommand("Get-Verb")).Output.Select(v => (string)v.Properties["Verb"].Value),
                StringComparer.Ordinal);

        /// <summary>Get-FormatData: the module's views, by the type names they are selected by.</summary>
        public List<ExtendedTypeDefinition> FormatData()
            => Invoke(_runspace, ps => ps.AddCommand("Get-FormatData")).Output.Select(o => o.BaseObject).OfType<ExtendedTypeDefinition>().ToList();

        /// <summary>Get-TypeData: the module's type data.</summary>
        public List<TypeData> TypeData()
            => Invoke(_runspace, ps => ps.AddCommand("Get-TypeData")).Output.Select(o => o.BaseObject).OfType<TypeData>().ToList();

        /// <summary>The type a name stands for, as PowerShell resolves it in this session ('name' -as [type]), or null.</summary>
        public Type? ResolveType(string name)
            => Invoke(_runspace, ps => ps.AddScript("param($name) $name -as [type]").AddArgument(name)).Output
                .Select(o => o?.BaseObject).OfType<Type>().SingleOrDefault();

        private static (List<PSObject> Output, List<ErrorRecord> Errors) Invoke(Runspace runspace, Action<PowerShell> build)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            var output = ps.Invoke().ToList();
            return (output, ps.Streams.Error.ToList());
        }

        public void Dispose() => _runspace.Dispose();
    }
}
