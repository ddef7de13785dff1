using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A real PowerShell runspace (Microsoft.PowerShell.SDK 7.6) with FmsTools imported from this test build: the same
    /// assemblies the test references, with the module's manifest data, formats, types and its Pester script module. What
    /// PowerShell decides (binding, threads, prompts, formatting, completion, errors) is decided by PowerShell here. Help
    /// and the load-context loader are the laid-out module's, tested in a fresh pwsh (tests/pester, LaidOutModuleTests).
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private static readonly Lazy<string> Manifest = new Lazy<string>(WriteManifest);
        private readonly Runspace _runspace;

        /// <param name="host">The host that answers prompts and renders; a <see cref="TestPSHost"/> that declines every prompt by default.</param>
        public PowerShellSession(TestPSHost? host = null)
        {
            Host = host ?? new TestPSHost();
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(Manifest.Value);
            // FMSTOOLS_JOURNAL and the like come from the test process's environment as they would from a user's shell.
            _runspace = RunspaceFactory.CreateRunspace(Host, state);
            _runspace.Open();
        }

        public TestPSHost Host { get; }

        public Runspace Runspace => _runspace;

        /// <summary>
        /// Runs <paramref name="script"/> as a user would type it (PowerShell's parser and binder) and returns every
        /// stream. A terminating error (a cmdlet's ThrowTerminatingError included, which PowerShell would otherwise only
        /// report and go on with the next statement) ends the script and is captured in
        /// <see cref="PowerShellResult.Terminating"/>, so tests tell it from a non-terminating error.
        /// </summary>
        public PowerShellResult Run(string script)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("trap { break }\n" + script);
            return Collect(ps, () => ps.Invoke());
        }

        /// <summary>Sets a global variable in the session (a value a test hands to the script).</summary>
        public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

        public object? Get(string name) => _runspace.SessionStateProxy.GetVariable(name);

        internal static PowerShellResult Collect(PowerShell ps, Func<ICollection<PSObject>> invoke)
        {
            ICollection<PSObject> output;
            RuntimeException? terminating = null;
            try
            {
                output = invoke();
            }
            catch (RuntimeException e)
            {
                output = Array.Empty<PSObject>();
                terminating = e;
            }
            return new PowerShellResult(output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
                ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Debug.Select(d => d.Message).ToList(),
                ps.Streams.Progress.ToList(), ps.Streams.Information.ToList(), terminating);
        }

        public void Dispose() => _runspace.Dispose();

        /// <summary>The module's manifest data, pointing at this test build's FmsTools.dll instead of the loader.</summary>
        private static string WriteManifest()
        {
            var source = Path.Combine(RepoPaths.TestOutput, "module");
            var folder = Path.Combine(Path.GetTempPath(), "fmstools-runspace-" + Environment.ProcessId, "FmsTools");
            Directory.CreateDirectory(folder);
            var data = File.ReadAllText(Path.Combine(source, "FmsTools.psd1"));
            string Quote(string path) => "'" + path.Replace("'", "''") + "'";
            data = data.Replace("RootModule           = 'FmsTools.psm1'", "RootModule           = " + Quote(typeof(FmsCmdlet).Assembly.Location))
                       .Replace("FormatsToProcess     = @('FmsTools.Format.ps1xml')", "FormatsToProcess     = @(" + Quote(Path.Combine(source, "FmsTools.Format.ps1xml")) + ")")
                       .Replace("NestedModules        = @('FmsTools.Pester.psm1')", "NestedModules        = @(" + Quote(RepoPaths.InRepo("src", "FmsTools", "Pester", "FmsTools.Pester.psm1")) + ")");
            if (data.Contains("'FmsTools.psm1'") || data.Contains("@('FmsTools.Format.ps1xml')") || data.Contains("@('FmsTools.Pester.psm1')"))
                throw new InvalidOperationException("FmsTools.psd1 changed shape: update PowerShellSession.WriteManifest.");
            var path = Path.Combine(folder, "FmsTools.psd1");
            File.WriteAllText(path, data);
            return path;
        }
    }

    /// <summary>Every stream of one invocation.</summary>
    public sealed class PowerShellResult
    {
        public PowerShellResult(List<PSObject> output, List<ErrorRecord> errors, List<string> warnings, List<string> verbose, List<string> debug,
            List<ProgressRecord> progress, List<InformationRecord> information, RuntimeException? terminating)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Debug = debug;
            Progress = progress;
            Information = information;
            Terminating = terminating;
        }

        public List<PSObject> Output { get; }
        public List<ErrorRecord> Errors { get; }
        public List<string> Warnings { get; }
        public List<string> Verbose { get; }
        public List<string> Debug { get; }
        public List<ProgressRecord> Progress { get; }
        public List<InformationRecord> Information { get; }

        /// <summary>The terminating error that ended the script, if one did.</summary>
        public RuntimeException? Terminating { get; }

        /// <summary>The base objects of type <typeparamref name="T"/> in the output.</summary>
        public IEnumerable<T> OutputOf<T>() => Output.Select(o => o.BaseObject).OfType<T>();

        /// <summary>The terminating error's record, or the only error record; fails when there is neither.</summary>
        public ErrorRecord Error => Terminating?.ErrorRecord ?? Errors.Single();

        /// <summary>Fails with everything PowerShell reported when the script ended with any error.</summary>
        public PowerShellResult ShouldSucceed()
        {
            if (Terminating != null || Errors.Count > 0)
            {
                var all = Errors.Select(Describe).ToList();
                if (Terminating != null) all.Insert(0, "terminating: " + Describe(Terminating.ErrorRecord));
                throw new Xunit.Sdk.XunitException("The script reported errors:\n" + string.Join("\n", all));
            }
            return this;
        }

        public static string Describe(ErrorRecord e)
            => $"{e.FullyQualifiedErrorId} [{e.CategoryInfo.Category}] {e.ErrorDetails?.Message ?? e.Exception.Message}";
    }
}
