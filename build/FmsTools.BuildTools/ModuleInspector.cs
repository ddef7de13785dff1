using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace FmsTools.BuildTools
{
    public sealed class ParameterSetInfo
    {
        public string SetName { get; set; } = "__AllParameterSets";
        public bool Mandatory { get; set; }
        public int Position { get; set; } = int.MinValue;
        public bool ValueFromPipeline { get; set; }
        public bool ValueFromPipelineByPropertyName { get; set; }
        public string? HelpMessage { get; set; }
    }

    public sealed class CmdletParameter
    {
        public string Name { get; set; } = "";
        public Type Type { get; set; } = null!;
        public List<string> Aliases { get; } = new List<string>();
        public List<ParameterSetInfo> Sets { get; } = new List<ParameterSetInfo>();
        public List<string> ValidateSet { get; } = new List<string>();
        public bool IsSwitch => Type.FullName == "System.Management.Automation.SwitchParameter";
    }

    public sealed class CmdletOutputType
    {
        public string TypeName { get; set; } = "";

        /// <summary>The type, when it could be resolved from the module's assemblies.</summary>
        public Type? Type { get; set; }
    }

    /// <summary>A cmdlet as declared by its attributes, read as metadata (nothing is executed).</summary>
    public sealed class CmdletDeclaration
    {
        public string Verb { get; set; } = "";
        public string Noun { get; set; } = "";
        public string Name => Verb + "-" + Noun;
        public Type Type { get; set; } = null!;
        public bool SupportsShouldProcess { get; set; }
        public string? ConfirmImpact { get; set; }
        public string? DefaultParameterSetName { get; set; }
        public List<CmdletOutputType> OutputTypes { get; } = new List<CmdletOutputType>();
        public List<string> OutputTypeErrors { get; } = new List<string>();
        public List<CmdletParameter> Parameters { get; } = new List<CmdletParameter>();
    }

    /// <summary>
    /// Reads a binary module's cmdlets through MetadataLoadContext: the attributes as declared, without loading or
    /// running anything. The help compiler and fmsbuild docs use PowerShell's own metadata instead
    /// (<see cref="CommandMetadataReader"/>); this reader serves the contract checks, which must also read assemblies that
    /// are broken on purpose (an [OutputType] naming a type that cannot load) and that PowerShell could not describe.
    /// </summary>
    public sealed class ModuleInspector : IDisposable
    {
        private readonly MetadataLoadContext _context;

        public ModuleInspector(string assemblyPath, IEnumerable<string>? extraSearchPaths = null)
        {
            var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var moduleDir = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
            var sma = typeof(System.Management.Automation.Cmdlet).Assembly.Location;
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            // Order matters: the module's own copies win over the runtime's for the same simple name.
            foreach (var p in Directory.GetFiles(runtimeDir, "*.dll")) paths[Path.GetFileName(p)] = p;
            foreach (var dir in extraSearchPaths ?? Enumerable.Empty<string>())
                foreach (var p in Directory.GetFiles(dir, "*.dll")) paths[Path.GetFileName(p)] = p;
            foreach (var p in Directory.GetFiles(moduleDir, "*.dll")) paths[Path.GetFileName(p)] = p;
            paths[Path.GetFileName(sma)] = sma;
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Private.CoreLib");
            Assembly = _context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            ModuleDirectory = moduleDir;
        }

        public Assembly Assembly { get; }
        public string ModuleDirectory { get; }

        /// <summary>System.Management.Automation as the module compiles against it (for the Verbs* constants).</summary>
        public Assembly PowerShellAssembly => _context.LoadFromAssemblyName("System.Management.Automation");

        public Version AssemblyVersion => Assembly.GetName().Version!;

        /// <summary>Finds a type by full name in the module's assembly or the assemblies beside it.</summary>
        public Type? FindType(string fullName)
        {
            var t = Assembly.GetType(fullName, throwOnError: false);
            if (t != null) return t;
            foreach (var file in Directory.GetFiles(ModuleDirectory, "*.dll"))
            {
                try
                {
                    var asm = _context.LoadFromAssemblyPath(file);
                    t = asm.GetType(fullName, throwOnError: false);
                    if (t != null) return t;
                }
                catch (BadImageFormatException) { }
                catch (FileLoadException) { }
            }
            return null;
        }

        public IReadOnlyList<CmdletDeclaration> GetCmdlets()
        {
            var result = new List<CmdletDeclaration>();
            foreach (var type in SafeTypes(Assembly).Where(t => t.IsClass && !t.IsAbstract && t.IsPublic))
            {
                var cmdletAttr = type.GetCustomAttributesData()
                    .FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
                if (cmdletAttr == null) continue;
                var decl = new CmdletDeclaration
                {
                    Type = type,
                    Verb = (string)cmdletAttr.ConstructorArguments[0].Value!,
                    Noun = (string)cmdletAttr.ConstructorArguments[1].Value!,
                };
                foreach (var named in cmdletAttr.NamedArguments)
                {
                    switch (named.MemberName)
                    {
                        case "SupportsShouldProcess": decl.SupportsShouldProcess = (bool)named.TypedValue.Value!; break;
                        case "ConfirmImpact": decl.ConfirmImpact = Enum.GetName(typeof(System.Management.Automation.ConfirmImpact), named.TypedValue.Value!); break;
                        case "DefaultParameterSetName": decl.DefaultParameterSetName = (string?)named.TypedValue.Value; break;
                    }
                }
                ReadOutputTypes(type, decl);
                ReadParameters(type, decl);
                result.Add(decl);
            }
            return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private void ReadOutputTypes(Type type, CmdletDeclaration decl)
        {
            IList<CustomAttributeData> attrs;
            try
            {
                attrs = type.GetCustomAttributesData();
            }
            catch (FileNotFoundException e)
            {
                decl.OutputTypeErrors.Add(e.Message);
                return;
            }
            foreach (var attr in attrs.Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute"))
            {
                foreach (var arg in attr.ConstructorArguments)
                {
                    var items = arg.Value as IEnumerable<CustomAttributeTypedArgument>;
                    foreach (var item in items ?? new[] { arg })
                    {
                        if (item.Value is Type t)
                        {
                            try
                            {
                                decl.OutputTypes.Add(new CmdletOutputType { TypeName = t.FullName!, Type = t });
                            }
                            catch (FileNotFoundException e)
                            {
                                decl.OutputTypeErrors.Add(e.Message);
                            }
                        }
                        else if (item.Value is string name)
                        {
                            decl.OutputTypes.Add(new CmdletOutputType { TypeName = name, Type = FindType(name) });
                        }
                    }
                }
            }
        }

        private static void ReadParameters(Type type, CmdletDeclaration decl)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
            foreach (var prop in properties)
            {
                // A parameter a derived cmdlet redeclares with 'new' (e.g. -Region taking several Regions) replaces the
                // base one, as PowerShell's own parameter discovery does.
                if (properties.Any(other => other != prop && other.Name == prop.Name && other.DeclaringType != null && prop.DeclaringType != null
                                            && other.DeclaringType.IsSubclassOf(prop.DeclaringType)))
                    continue;
                var data = prop.GetCustomAttributesData();
                var paramAttrs = data.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
                if (paramAttrs.Count == 0) continue;
                var parameter = new CmdletParameter { Name = prop.Name, Type = prop.PropertyType };
                foreach (var pa in paramAttrs)
                {
                    var set = new ParameterSetInfo();
                    foreach (var named in pa.NamedArguments)
                    {
                        switch (named.MemberName)
                        {
                            case "ParameterSetName": set.SetName = (string)named.TypedValue.Value!; break;
                            case "Mandatory": set.Mandatory = (bool)named.TypedValue.Value!; break;
                            case "Position": set.Position = (int)named.TypedValue.Value!; break;
                            case "ValueFromPipeline": set.ValueFromPipeline = (bool)named.TypedValue.Value!; break;
                            case "ValueFromPipelineByPropertyName": set.ValueFromPipelineByPropertyName = (bool)named.TypedValue.Value!; break;
                            case "HelpMessage": set.HelpMessage = (string?)named.TypedValue.Value; break;
                        }
                    }
                    parameter.Sets.Add(set);
                }
                foreach (var alias in data.Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute"))
                    foreach (var arg in alias.ConstructorArguments)
                        if (arg.Value is IEnumerable<CustomAttributeTypedArgument> names)
                            parameter.Aliases.AddRange(names.Select(n => (string)n.Value!));
                foreach (var vs in data.Where(a => a.AttributeType.FullName == "System.Management.Automation.ValidateSetAttribute"))
                    foreach (var arg in vs.ConstructorArguments)
                        if (arg.Value is IEnumerable<CustomAttributeTypedArgument> values)
                            parameter.ValidateSet.AddRange(values.Select(n => (string)n.Value!));
                decl.Parameters.Add(parameter);
            }
        }

        private static IEnumerable<Type> SafeTypes(Assembly assembly)
        {
            try
            {
                return assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                return e.Types.Where(t => t != null)!;
            }
        }

        public void Dispose() => _context.Dispose();
    }
}
