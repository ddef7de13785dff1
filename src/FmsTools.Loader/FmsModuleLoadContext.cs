using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace FmsTools.Loader
{
    /// <summary>
    /// How FmsTools loads on PowerShell 7. FmsTools.psm1 calls <see cref="LoadModule"/> and hands the returned
    /// FmsTools assembly to <c>Import-Module -Assembly</c>.
    /// <list type="bullet">
    /// <item>The assemblies whose types scripts name (FmsTools, FmsTools.Engine, FmsTools.Sandbox) load in the default
    /// context: PowerShell resolves <c>[FmsTools.Engine.Policies.FmsPolicy]</c>, <c>-as [type]</c>, <c>-is</c> and casts
    /// only against assemblies there. None of them references AWSSDK.* (the build refuses it).</item>
    /// <item>FmsTools.Aws, the one assembly that speaks to AWSSDK.Core, loads with AWSSDK.* in this private context, so
    /// another module's AWSSDK.Core in the default context (AWS.Tools) never meets ours, whichever was imported first.</item>
    /// </list>
    /// What the module does not ship (System.Management.Automation, the framework) comes from the default context.
    /// <para>Where the module ships ReadyToRun (precompiled) images of an assembly for this platform, in
    /// Dependencies/ReadyToRun/&lt;rid&gt;/ (see <see cref="ReadyToRunRid"/>), that image is loaded instead of the IL
    /// assembly in Dependencies/: same assembly, less JIT on first use. Windows PowerShell 5.1 never looks there.</para>
    /// </summary>
    public sealed class FmsModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The module's assemblies that load in the default context, where PowerShell can name their types.</summary>
        public static readonly IReadOnlyCollection<string> PublicAssemblies =
            new[] { "FmsTools", "FmsTools.Engine", "FmsTools.Sandbox" };

        /// <summary>The module's assemblies that load in this private context with AWSSDK.*.</summary>
        public static readonly IReadOnlyCollection<string> PrivateAssemblies = new[] { "FmsTools.Aws" };

        /// <summary>The folder under Dependencies/ that holds the ReadyToRun images, one subfolder per runtime identifier.</summary>
        public const string ReadyToRunFolder = "ReadyToRun";

        /// <summary>
        /// The .NET major version the ReadyToRun images were compiled against (build/FmsTools.ReadyToRun's target framework:
        /// PowerShell 7.6's runtime). An older runtime (PowerShell 7.2 to 7.5) loads the IL assemblies.
        /// </summary>
        public const int ReadyToRunRuntimeMajor = 10;

        private static readonly object Gate = new object();
        private static FmsModuleLoadContext? _current;

        private readonly string _directory;
        private readonly string? _readyToRun;
        private readonly Dictionary<string, string> _frameworkAssemblies;
        private readonly Dictionary<string, Assembly> _public = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        private FmsModuleLoadContext(string directory)
            : base("FmsTools", isCollectible: false)
        {
            _directory = directory;
            var rid = ReadyToRunRid(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), RuntimeInformation.IsOSPlatform(OSPlatform.Linux),
                RuntimeInformation.ProcessArchitecture, Environment.Version);
            var images = rid == null ? null : Path.Combine(directory, ReadyToRunFolder, rid);
            _readyToRun = images != null && Directory.Exists(images) ? images : null;
            _frameworkAssemblies = TrustedPlatformAssemblies();
        }

        /// <summary>The folder the module's assemblies load from.</summary>
        public string DependencyDirectory => _directory;

        /// <summary>
        /// Loads FmsTools.dll from <paramref name="dependencyDirectory"/> into the default context, with the private context
        /// for its AWS dependencies, on first use. One of each per process: importing the module again
        /// (Import-Module -Force, a second runspace, a thread job) gets the same assemblies, so types and the process-wide
        /// sandbox registry stay one. Asking for another folder after the first is refused rather than mixing versions.
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
                    var loaded = Default.Assemblies.FirstOrDefault(a => PublicAssemblies.Contains(a.GetName().Name ?? "", StringComparer.OrdinalIgnoreCase));
                    if (loaded != null)
                    {
                        throw new InvalidOperationException(
                            $"{loaded.GetName().Name} is already loaded in this process from '{loaded.Location}' without FmsTools' loader; start a new PowerShell session to import FmsTools from '{directory}'.");
                    }
                    _current = new FmsModuleLoadContext(directory);
                    Default.Resolving += ResolveModuleAssembly;
                    // FmsTools.psm1 finds the loader here when the module is imported again (-Force, a second runspace).
                    AppContext.SetData(typeof(FmsModuleLoadContext).FullName!, typeof(FmsModuleLoadContext));
                }
                else if (!SameDirectory(_current._directory, directory))
                {
                    throw new InvalidOperationException(
                        $"FmsTools is already loaded from '{_current._directory}' in this process; start a new PowerShell session to use the copy in '{directory}'.");
                }
                return _current.LoadPublic("FmsTools");
            }
        }

        /// <summary>The folder whose ReadyToRun images this process loads, or null when it loads the IL assemblies only.</summary>
        public string? ReadyToRunDirectory => _readyToRun;

        /// <summary>
        /// The runtime identifier of the ReadyToRun images a process can use: linux-x64 or win-x64 on .NET
        /// <see cref="ReadyToRunRuntimeMajor"/> or later; null elsewhere (other OS or architecture, an older runtime), where
        /// the IL assemblies load and are compiled on first use. The images are code for one OS and architecture, compiled
        /// against that runtime's framework; .NET Framework (Windows PowerShell) never runs this loader.
        /// </summary>
        public static string? ReadyToRunRid(bool isWindows, bool isLinux, Architecture architecture, Version runtime)
        {
            if (runtime == null || runtime.Major < ReadyToRunRuntimeMajor || architecture != Architecture.X64) return null;
            return isWindows ? "win-x64" : isLinux ? "linux-x64" : null;
        }

        /// <summary>Where <paramref name="name"/> loads from: its ReadyToRun image when this platform has one, else the IL assembly.</summary>
        private string ImagePath(string name)
        {
            if (_readyToRun != null)
            {
                var image = Path.Combine(_readyToRun, name + ".dll");
                if (File.Exists(image)) return image;
            }
            return Path.Combine(_directory, name + ".dll");
        }

        /// <summary>The context created by <see cref="LoadModule"/>, or null before the module was loaded.</summary>
        public static FmsModuleLoadContext? Current
        {
            get { lock (Gate) return _current; }
        }

        /// <summary>A request from an assembly in this context (FmsTools.Aws, AWSSDK.*).</summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name)) return null;
            // The public assemblies live in the default context; returning null defers to it.
            if (PublicAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase)) return null;
            return LoadShipped(name!);
        }

        /// <summary>
        /// Loads what the module ships in its folder into this context, unless the runtime has the same assembly in the
        /// same or a newer version (System.Memory, System.Buffers, ...): the runtime's copy is then the one to use, as the
        /// .NET host would. Null when the module does not ship <paramref name="name"/> or the runtime's copy wins.
        /// </summary>
        private Assembly? LoadShipped(string name)
        {
            var path = ImagePath(name);
            if (!File.Exists(path)) return null;
            if (_frameworkAssemblies.TryGetValue(name, out var frameworkPath) && !IsNewer(path, frameworkPath)) return null;
            return LoadFromAssemblyPath(path);
        }

        private Assembly LoadPublic(string name)
        {
            lock (_public)
            {
                if (!_public.TryGetValue(name, out var assembly))
                {
                    assembly = Default.LoadFromAssemblyPath(ImagePath(name));
                    _public[name] = assembly;
                }
                return assembly;
            }
        }

        // The default context could not find an assembly: ours are handed out from the module's folder (the public ones
        // into the default context, FmsTools.Aws into this one). A dependency the module ships whose version the runtime
        // lacks (an older PowerShell's System.Text.Json) comes from this context too. Never AWSSDK.*: a request for it
        // in the default context is another module's (AWS.Tools), and ours must not become theirs.
        private static Assembly? ResolveModuleAssembly(AssemblyLoadContext context, AssemblyName assemblyName)
        {
            var current = Current;
            var name = assemblyName.Name;
            if (current == null || string.IsNullOrEmpty(name)) return null;
            if (PublicAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase)) return current.LoadPublic(name!);
            if (PrivateAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase)) return current.LoadFromAssemblyName(assemblyName);
            if (name!.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase)) return null;
            return current.LoadShipped(name);
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
