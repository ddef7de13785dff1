using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;

namespace FmsTools.BuildTools
{
    /// <summary>How one parameter takes part in one parameter set.</summary>
    public sealed class ParameterSetUse
    {
        public string SetName { get; set; } = "";
        public bool Mandatory { get; set; }

        /// <summary>The position as the [Parameter] attribute gives it, or null for a named parameter.</summary>
        public int? Position { get; set; }

        public bool ValueFromPipeline { get; set; }
        public bool ValueFromPipelineByPropertyName { get; set; }

        /// <summary>"True (ByValue, ByPropertyName)", "True (ByValue)", "True (ByPropertyName)" or "False", as Get-Help shows it.</summary>
        public string PipelineInput => ValueFromPipeline && ValueFromPipelineByPropertyName ? "True (ByValue, ByPropertyName)"
            : ValueFromPipeline ? "True (ByValue)" : ValueFromPipelineByPropertyName ? "True (ByPropertyName)" : "False";

        /// <summary>"0", "1", … or "Named".</summary>
        public string PositionText => Position?.ToString(CultureInfo.InvariantCulture) ?? "Named";

        public bool SameMetadataAs(ParameterSetUse other)
            => Mandatory == other.Mandatory && Position == other.Position && ValueFromPipeline == other.ValueFromPipeline
               && ValueFromPipelineByPropertyName == other.ValueFromPipelineByPropertyName;
    }

    /// <summary>A parameter of a cmdlet as PowerShell's metadata describes it (common parameters excluded; -WhatIf and -Confirm included).</summary>
    public sealed class CommandParameterHelp
    {
        public string Name { get; set; } = "";
        public Type Type { get; set; } = typeof(object);

        /// <summary>The type as help shows it: String, String[], SwitchParameter, FmsApp[] (the .NET name, as platyPS and PowerShell's own help write it).</summary>
        public string TypeName => HelpTypeName(Type);

        public bool IsSwitch => Type == typeof(SwitchParameter);
        public List<string> Aliases { get; } = new List<string>();

        /// <summary>[ValidateSet] values, or the names of an enum type (the values PowerShell's generated help lists).</summary>
        public List<string> AcceptedValues { get; } = new List<string>();

        public bool SupportsWildcards { get; set; }

        /// <summary>
        /// The value the parameter has when it is not given, read from a new instance of the cmdlet; "None" when it has
        /// none or (unless a switch) is mandatory wherever it appears.
        /// </summary>
        public string DefaultValue { get; set; } = "None";

        /// <summary>-WhatIf or -Confirm, which PowerShell adds to a cmdlet that supports ShouldProcess.</summary>
        public bool IsShouldProcessParameter { get; set; }

        /// <summary>One entry per parameter set the parameter belongs to, in Get-Command's parameter set order.</summary>
        public List<ParameterSetUse> Sets { get; } = new List<ParameterSetUse>();

        public bool TakesPipelineInput => Sets.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName);

        public static string HelpTypeName(Type type)
        {
            if (type.IsArray) return HelpTypeName(type.GetElementType()!) + "[]";
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying != null) return HelpTypeName(underlying);
            if (type.IsGenericType)
            {
                var name = type.Name.Substring(0, type.Name.IndexOf('`'));
                return name + "[" + string.Join(", ", type.GetGenericArguments().Select(HelpTypeName)) + "]";
            }
            return type.Name;
        }
    }

    /// <summary>A parameter set as Get-Command reports it.</summary>
    public sealed class CommandParameterSetHelp
    {
        public string Name { get; set; } = "";
        public bool IsDefault { get; set; }

        /// <summary>PowerShell's own syntax of the set (CommandParameterSetInfo.ToString(), what Get-Command -Syntax prints after the name).</summary>
        public string Syntax { get; set; } = "";

        /// <summary>The set's parameters in the order PowerShell displays them (positional, named mandatory, named), common parameters left out.</summary>
        public List<CommandParameterHelp> Parameters { get; } = new List<CommandParameterHelp>();

        public bool HasCommonParameters => Syntax.EndsWith("[<CommonParameters>]", StringComparison.Ordinal);
    }

    /// <summary>What help needs of one cmdlet, from PowerShell's own command metadata.</summary>
    public sealed class CommandHelpInfo
    {
        public string Name { get; set; } = "";
        public string Verb { get; set; } = "";
        public string Noun { get; set; } = "";
        public bool SupportsShouldProcess { get; set; }
        public List<CommandParameterSetHelp> ParameterSets { get; } = new List<CommandParameterSetHelp>();

        /// <summary>Every parameter once, in Get-Command's order, -WhatIf and -Confirm last.</summary>
        public List<CommandParameterHelp> Parameters { get; } = new List<CommandParameterHelp>();

        /// <summary>[OutputType] type names, in declaration order.</summary>
        public List<string> OutputTypes { get; } = new List<string>();

        /// <summary>The full names of the types of the parameters that take pipeline input, as PowerShell's generated help lists them.</summary>
        public IEnumerable<string> InputTypes => Parameters.Where(p => p.TakesPipelineInput).Select(p => p.Type.FullName ?? p.Type.Name).Distinct();

        public CommandParameterHelp? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Get-Command -Syntax for one set: the name and PowerShell's syntax of the set.</summary>
        public string SyntaxLine(CommandParameterSetHelp set) => Name + " " + set.Syntax;
    }

    /// <summary>
    /// Reads a binary module's cmdlets the way Get-Command does: the module assembly is loaded (into a load context of
    /// its own, next to this process's System.Management.Automation) and each cmdlet is described by PowerShell's
    /// CmdletInfo and CommandMetadata, so parameter sets, the -WhatIf/-Confirm parameters of a cmdlet that supports
    /// ShouldProcess, aliases, positions and pipeline binding are what PowerShell itself reports. No PowerShell host or
    /// pwsh is needed: it runs inside fmsbuild and inside the tests.
    /// </summary>
    public static class CommandMetadataReader
    {
        private static readonly ConcurrentDictionary<string, Assembly> Loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.Ordinal);

        public static IReadOnlyList<CommandHelpInfo> Read(string assemblyPath)
        {
            var assembly = Load(Path.GetFullPath(assemblyPath));
            var result = new List<CommandHelpInfo>();
            foreach (var type in LoadableTypes(assembly).Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && typeof(Cmdlet).IsAssignableFrom(t)))
            {
                var attribute = type.GetCustomAttribute<CmdletAttribute>();
                if (attribute == null) continue;
                result.Add(Describe(new CmdletInfo(attribute.VerbName + "-" + attribute.NounName, type), type));
            }
            return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static CommandHelpInfo Describe(CmdletInfo cmdlet, Type type)
        {
            var metadata = new CommandMetadata(cmdlet);
            var help = new CommandHelpInfo
            {
                Name = cmdlet.Name,
                Verb = cmdlet.Verb,
                Noun = cmdlet.Noun,
                SupportsShouldProcess = metadata.SupportsShouldProcess,
            };
            var defaults = DefaultValues(type, cmdlet.Parameters.Keys);
            var byName = new Dictionary<string, CommandParameterHelp>(StringComparer.OrdinalIgnoreCase);
            foreach (var set in cmdlet.ParameterSets)
            {
                var setHelp = new CommandParameterSetHelp { Name = set.Name, IsDefault = set.IsDefault, Syntax = set.ToString() };
                foreach (var p in set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)))
                {
                    if (!byName.TryGetValue(p.Name, out var parameter))
                    {
                        parameter = new CommandParameterHelp
                        {
                            Name = p.Name,
                            Type = p.ParameterType,
                            IsShouldProcessParameter = Cmdlet.OptionalCommonParameters.Contains(p.Name),
                            SupportsWildcards = p.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
                            DefaultValue = p.ParameterType == typeof(SwitchParameter) ? "False"
                                : defaults.TryGetValue(p.Name, out var value) ? value : "None",
                        };
                        parameter.Aliases.AddRange(p.Aliases);
                        parameter.AcceptedValues.AddRange(AcceptedValues(p.ParameterType, p.Attributes));
                        byName.Add(p.Name, parameter);
                    }
                    parameter.Sets.Add(new ParameterSetUse
                    {
                        SetName = set.Name,
                        Mandatory = p.IsMandatory,
                        Position = p.Position == int.MinValue ? (int?)null : p.Position,
                        ValueFromPipeline = p.ValueFromPipeline,
                        ValueFromPipelineByPropertyName = p.ValueFromPipelineByPropertyName,
                    });
                }
                // The display order is PowerShell's: read from its own syntax text rather than re-derived.
                foreach (Match m in Regex.Matches(setHelp.Syntax, @"(?<=^|[\s\[])-(?<name>[\w]+)"))
                {
                    if (!byName.TryGetValue(m.Groups["name"].Value, out var parameter))
                        throw new InvalidOperationException($"{cmdlet.Name}: the syntax '{setHelp.Syntax}' names -{m.Groups["name"].Value}, which the set does not have.");
                    setHelp.Parameters.Add(parameter);
                }
                if (setHelp.Parameters.Count != set.Parameters.Count(p => !Cmdlet.CommonParameters.Contains(p.Name)))
                    throw new InvalidOperationException($"{cmdlet.Name}: could not read the parameter order from '{setHelp.Syntax}'.");
                help.ParameterSets.Add(setHelp);
            }
            // A parameter that must always be given has no default, whatever its property holds before binding.
            foreach (var p in byName.Values.Where(p => !p.IsSwitch && p.Sets.All(u => u.Mandatory))) p.DefaultValue = "None";
            help.Parameters.AddRange(byName.Values.Where(p => !p.IsShouldProcessParameter));
            help.Parameters.AddRange(byName.Values.Where(p => p.IsShouldProcessParameter)
                .OrderBy(p => p.Name == "WhatIf" ? 0 : 1));
            foreach (var output in cmdlet.OutputType)
                if (!help.OutputTypes.Contains(output.Name)) help.OutputTypes.Add(output.Name);
            return help;
        }

        private static IEnumerable<string> AcceptedValues(Type type, IEnumerable<Attribute> attributes)
        {
            var set = attributes.OfType<ValidateSetAttribute>().SelectMany(a => a.ValidValues).ToList();
            if (set.Count > 0) return set;
            var element = type.IsArray ? type.GetElementType()! : type;
            element = Nullable.GetUnderlyingType(element) ?? element;
            return element.IsEnum ? Enum.GetNames(element) : Enumerable.Empty<string>();
        }

        /// <summary>The values a new cmdlet object holds before binding: what a parameter is when the user does not give it.</summary>
        private static Dictionary<string, string> DefaultValues(Type type, IEnumerable<string> parameterNames)
        {
            var names = new HashSet<string>(parameterNames, StringComparer.OrdinalIgnoreCase);
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            object instance;
            try
            {
                instance = Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException e)
            {
                throw new InvalidOperationException($"{type.FullName} could not be constructed to read its parameters' default values: {e.InnerException?.Message}", e);
            }
            // The most derived declaration wins (a parameter a derived cmdlet redeclares with 'new').
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => names.Contains(p.Name) && p.GetIndexParameters().Length == 0 && p.GetMethod != null)
                .GroupBy(p => p.Name)
                .Select(g => g.OrderByDescending(p => Depth(p.DeclaringType)).First());
            foreach (var property in properties)
                result[property.Name] = FormatDefault(property.GetValue(instance));
            return result;
        }

        private static int Depth(Type? t)
        {
            var depth = 0;
            for (; t != null; t = t.BaseType) depth++;
            return depth;
        }

        public static string FormatDefault(object? value)
        {
            switch (value)
            {
                case null: return "None";
                case string s: return s.Length == 0 ? "None" : s;
                case bool b: return b ? "True" : "False";
                case SwitchParameter sw: return sw.IsPresent ? "True" : "False";
                case IDictionary d: return d.Count == 0 ? "None" : "@{" + string.Join("; ", d.Keys.Cast<object>().Select(k => k + " = " + d[k])) + "}";
                case IEnumerable e:
                    var items = e.Cast<object?>().Select(FormatDefault).ToList();
                    return items.Count == 0 ? "None" : string.Join(", ", items);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "None";
            }
        }

        private static IEnumerable<Type> LoadableTypes(Assembly assembly)
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

        /// <summary>
        /// One load per assembly file per process: PowerShell caches metadata by type. A process that already runs the
        /// module from that file (the tests do) reads its own copy rather than loading a second one.
        /// </summary>
        private static Assembly Load(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The module assembly {path} does not exist; build it first.", path);
            return Loaded.GetOrAdd(path, p =>
                AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, p, StringComparison.Ordinal))
                ?? new ModuleContext(Path.GetDirectoryName(p)!).LoadFromAssemblyPath(p));
        }

        /// <summary>
        /// The module's assemblies from its folder; PowerShell's own assemblies (and the framework) from this process, so
        /// the module's cmdlets derive from the same PSCmdlet and carry the same attribute types PowerShell reads.
        /// </summary>
        private sealed class ModuleContext : AssemblyLoadContext
        {
            private readonly string _directory;

            public ModuleContext(string directory) : base("fmsbuild-module:" + directory)
            {
                _directory = directory;
            }

            protected override Assembly? Load(AssemblyName name)
            {
                var simple = name.Name ?? "";
                if (simple == "System.Management.Automation" || simple.StartsWith("Microsoft.PowerShell.", StringComparison.Ordinal)
                    || simple == "netstandard" || simple.StartsWith("System.", StringComparison.Ordinal) && IsInDefault(simple))
                    return null;
                var file = Path.Combine(_directory, simple + ".dll");
                return File.Exists(file) ? LoadFromAssemblyPath(file) : null;
            }

            private static bool IsInDefault(string simpleName)
            {
                try
                {
                    Default.LoadFromAssemblyName(new AssemblyName(simpleName));
                    return true;
                }
                catch (FileNotFoundException)
                {
                    return false;
                }
            }
        }
    }
}
