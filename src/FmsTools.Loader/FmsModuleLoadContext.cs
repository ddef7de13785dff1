using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace FmsTools.Loader
{
    /// <summary>
    /// The private load context FmsTools runs in on PowerShell 7. FmsTools.psm1 calls <see cref="LoadModule"/>
    /// and hands the returned FmsTools assembly to <c>Import-Module -Assembly</c>. Every assembly the module
    /// ships in its Dependencies folder (its own, AWSSDK.*, System.Text.Json, ...) loads here, so another
    /// module's AWSSDK.Core in the default context (AWS.Tools) never meets ours, whichever was imported first.
    /// What the module does not ship (System.Management.Automation, the framework) comes from the default
    /// context, so FmsTools and PowerShell share one PowerShell.
    /// </summary>
    public sealed class FmsModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The module's own assemblies: the only names the default context's Resolving event hands to us.</summary>
        public static readonly IReadOnlyCollection<string> ModuleAssemblies =
            new[] { "FmsTools", "FmsTools.Engine", "FmsTools.Aws", "FmsTools.Sandbox" };

        private static readonly object Gate = new object();
        private static FmsModuleLoadContext? _current;

        private readonly string _directory;
        private readonly Dictionary<string, string> _frameworkAssemblies;

        private FmsModuleLoadContext(string directory)
            : base("FmsTools", isCollectible: false)
        {
            _directory = directory;
            _frameworkAssemblies = TrustedPlatformAssemblies();
        }

        /// <summary>The folder this context loads from.</summary>
        public string DependencyDirectory => _directory;

        /// <summary>
        /// Loads FmsTools.dll from <paramref name="dependencyDirectory"/> into the module's context, creating the
        /// context on first use. One context per process: importing the module again (Import-Module -Force, a
        /// second runspace, a thread job) gets the same assemblies, so types and the process-wide sandbox
        /// registry stay one. Asking for another folder after the first is refused rather than mixing versions.
        /// </summary>
        public static Assembly LoadModule(string dependencyDirectory)
        {
            if (string.IsNullOrEmpty(dependencyDirectory)) throw new ArgumentException("The dependency directory is required.", nameof(dependencyDirectory));
            var directory = Path.GetFullPath(dependencyDirectory);
            lock (Gate)
            {
                if (_current == null)
                {
                    if (!File.Exists(Path.Combine(directory, "FmsTools.dll")))
                        throw new FileNotFoundException($"FmsTools.dll is not in '{directory}': the module folder is incomplete.", Path.Combine(directory, "FmsTools.dll"));
                    _current = new FmsModuleLoadContext(directory);
                    Default.Resolving += ResolveModuleAssembly;
                }
                else if (!SameDirectory(_current._directory, directory))
                {
                    throw new InvalidOperationException(
                        $"FmsTools is already loaded from '{_current._directory}' in this process; start a new PowerShell session to use the copy in '{directory}'.");
                }
                return _current.LoadFromAssemblyName(new AssemblyName("FmsTools"));
            }
        }

        /// <summary>The context created by <see cref="LoadModule"/>, or null before the module was loaded.</summary>
        public static FmsModuleLoadContext? Current
        {
            get { lock (Gate) return _current; }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name)) return null;
            var path = Path.Combine(_directory, name + ".dll");
            if (!File.Exists(path)) return null;
            // A package the module ships for netstandard2.0 (System.Memory, System.Buffers, ...) is often part of
            // the runtime in a newer version; the runtime's copy is then the one to use, as the .NET host would.
            if (_frameworkAssemblies.TryGetValue(name, out var frameworkPath) && !IsNewer(path, frameworkPath)) return null;
            return LoadFromAssemblyPath(path);
        }

        // Someone in the default context asked for one of our assemblies by name (a script's
        // [Reflection.Assembly]::Load('FmsTools.Engine'), PowerShell re-resolving the module): hand out the
        // isolated copy instead of letting a second one load. Never AWSSDK.* or anything else.
        private static Assembly? ResolveModuleAssembly(AssemblyLoadContext context, AssemblyName assemblyName)
        {
            var current = Current;
            if (current == null || assemblyName.Name == null) return null;
            foreach (var own in ModuleAssemblies)
                if (string.Equals(own, assemblyName.Name, StringComparison.OrdinalIgnoreCase))
                    return current.LoadFromAssemblyName(assemblyName);
            return null;
        }

        private static bool IsNewer(string shippedPath, string frameworkPath)
        {
            try
            {
                var shipped = AssemblyName.GetAssemblyName(shippedPath).Version ?? new Version(0, 0);
                var framework = AssemblyName.GetAssemblyName(frameworkPath).Version ?? new Version(0, 0);
                return shipped > framework;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                return true;
            }
        }

        private static Dictionary<string, string> TrustedPlatformAssemblies()
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            {
                foreach (var path in list.Split(Path.PathSeparator))
                {
                    if (path.Length == 0) continue;
                    var name = Path.GetFileNameWithoutExtension(path);
                    if (!result.ContainsKey(name)) result[name] = path;
                }
            }
            return result;
        }

        private static bool SameDirectory(string a, string b)
            => string.Equals(a.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar),
                             b.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar),
                             OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
