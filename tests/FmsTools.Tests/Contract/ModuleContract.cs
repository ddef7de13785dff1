using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using FmsTools.BuildTools;

namespace FmsTools.Tests.Contract
{
    /// <summary>One broken rule: which rule, about what, and why.</summary>
    public sealed record ContractViolation(string Rule, string Subject, string Detail)
    {
        public override string ToString() => $"[{Rule}] {Subject}: {Detail}";
    }

    /// <summary>The files that make up a module as PowerShell would load it.</summary>
    public sealed class ModuleFiles
    {
        public string AssemblyPath { get; set; } = "";
        public string ManifestPath { get; set; } = "";
        public string DocsDirectory { get; set; } = "";

        /// <summary>Producer → consumer cmdlet pairs that must bind through the pipeline.</summary>
        public List<(string Producer, string Consumer)> PipelinePairs { get; } = new List<(string, string)>();
    }

    /// <summary>
    /// The PowerShell surface rules, checked over the built assembly, the manifest, the ps1xml files and the
    /// help markdown. Run against the real module (must be clean) and against a fixture with one defect per
    /// rule (each must be reported), so a check that cannot fail would be noticed.
    /// </summary>
    public static class ModuleContract
    {
        public static readonly string[] MutatingVerbs =
        {
            "New", "Set", "Remove", "Invoke", "Sync", "Import", "Register", "Unregister", "Start", "Stop", "Add",
            "Clear", "Update", "Enable", "Disable", "Restore", "Reset", "Rename", "Move", "Copy", "Connect", "Disconnect",
        };

        public static IReadOnlyList<ContractViolation> Check(ModuleFiles files)
        {
            var violations = new List<ContractViolation>();
            using var inspector = new ModuleInspector(files.AssemblyPath);
            var cmdlets = inspector.GetCmdlets();
            var approved = ApprovedVerbs(inspector);
            var manifest = PowerShellDataFile.ParseHashtable(File.ReadAllText(files.ManifestPath));
            var manifestDir = Path.GetDirectoryName(files.ManifestPath)!;

            foreach (var c in cmdlets)
            {
                if (!approved.Contains(c.Verb))
                    violations.Add(new ContractViolation("Verb.NotApproved", c.Name, $"'{c.Verb}' is not an approved PowerShell verb (Get-Verb)."));
                // "Fms" alone is a valid noun (Connect-Fms); otherwise Fms + a PascalCase word.
                if (!(c.Noun == "Fms" || (c.Noun.StartsWith("Fms", StringComparison.Ordinal) && c.Noun.Length > 3 && char.IsUpper(c.Noun, 3))))
                    violations.Add(new ContractViolation("Noun.MissingPrefix", c.Name, "Nouns start with the module prefix 'Fms' followed by a PascalCase word."));
                if (IsPlural(c.Noun))
                    violations.Add(new ContractViolation("Noun.Plural", c.Name, $"Nouns are singular; '{c.Noun}' looks plural."));
                if (c.OutputTypes.Count == 0 && c.OutputTypeErrors.Count == 0)
                    violations.Add(new ContractViolation("OutputType.Missing", c.Name, "Every cmdlet declares [OutputType]."));
                foreach (var err in c.OutputTypeErrors)
                    violations.Add(new ContractViolation("OutputType.Unresolved", c.Name, err));
                foreach (var o in c.OutputTypes.Where(o => o.Type == null))
                    violations.Add(new ContractViolation("OutputType.Unresolved", c.Name, $"[OutputType] names '{o.TypeName}', which does not exist."));
                if (MutatingVerbs.Contains(c.Verb) && !c.SupportsShouldProcess)
                    violations.Add(new ContractViolation("ShouldProcess.Missing", c.Name, $"'{c.Verb}' changes state, so the cmdlet must declare SupportsShouldProcess."));
            }

            CheckManifest(files, inspector, cmdlets, manifest, violations);
            var formats = ReadFormats(manifest, manifestDir, inspector, violations);
            CheckOutputViews(cmdlets, formats, violations);
            CheckPipelinePairs(files, cmdlets, violations);
            CheckHelp(files, cmdlets, violations);
            return violations;
        }

        private static HashSet<string> ApprovedVerbs(ModuleInspector inspector)
        {
            // The Verbs* classes hold the approved verbs as constants, readable as metadata even from the stubs.
            var sma = inspector.PowerShellAssembly;
            var verbs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cls in new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsSecurity", "VerbsOther" })
            {
                var type = sma.GetType("System.Management.Automation." + cls);
                if (type == null) continue;
                foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                    verbs.Add((string)f.GetRawConstantValue()!);
            }
            return verbs;
        }

        // Singular words that end in s (Status, Address, Analysis, Alias).
        private static readonly string[] SingularEndings = { "ss", "us", "is", "as" };

        internal static bool IsPlural(string noun)
        {
            // The module prefix is an acronym, not a word: "Fms" alone (Connect-Fms) is singular.
            if (noun.StartsWith("Fms", StringComparison.Ordinal)) noun = noun.Substring(3);
            if (noun.Length == 0) return false;
            if (noun.EndsWith("ies", StringComparison.Ordinal)) return true;
            return noun.EndsWith("s", StringComparison.Ordinal)
                   && !SingularEndings.Any(e => noun.EndsWith(e, StringComparison.Ordinal));
        }

        private static void CheckManifest(ModuleFiles files, ModuleInspector inspector, IReadOnlyList<CmdletDeclaration> cmdlets,
            Dictionary<string, object?> manifest, List<ContractViolation> violations)
        {
            var exported = AsStrings(manifest.TryGetValue("CmdletsToExport", out var e) ? e : null);
            if (exported.Any(x => x.Contains("*") || x.Contains("?")))
                violations.Add(new ContractViolation("Manifest.Wildcard", "CmdletsToExport", "List cmdlets explicitly; wildcards slow discovery."));
            var declared = new HashSet<string>(cmdlets.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
            foreach (var name in declared.Where(n => !exported.Contains(n, StringComparer.OrdinalIgnoreCase)))
                violations.Add(new ContractViolation("Manifest.ExportMismatch", name, "The assembly defines this cmdlet but CmdletsToExport does not list it."));
            foreach (var name in exported.Where(n => !declared.Contains(n) && !n.Contains("*")))
                violations.Add(new ContractViolation("Manifest.ExportMismatch", name, "CmdletsToExport lists a cmdlet the assembly does not define."));

            var moduleVersion = manifest.TryGetValue("ModuleVersion", out var mv) ? mv as string : null;
            var asm = inspector.AssemblyVersion;
            if (moduleVersion == null || !Version.TryParse(moduleVersion, out var parsed)
                || parsed.Major != asm.Major || parsed.Minor != asm.Minor || Math.Max(parsed.Build, 0) != Math.Max(asm.Build, 0))
                violations.Add(new ContractViolation("Manifest.VersionMismatch", "ModuleVersion",
                    $"ModuleVersion '{moduleVersion}' differs from the assembly version {asm.ToString(3)}."));

            var editions = AsStrings(manifest.TryGetValue("CompatiblePSEditions", out var ed) ? ed : null);
            if (!editions.Contains("Desktop") || !editions.Contains("Core"))
                violations.Add(new ContractViolation("Manifest.Editions", "CompatiblePSEditions", "The module supports both Desktop (5.1) and Core."));
            var root = manifest.TryGetValue("RootModule", out var rm) ? rm as string : null;
            if (!RootModuleLoadsAssembly(root, Path.GetDirectoryName(files.ManifestPath)!, Path.GetFileName(files.AssemblyPath)))
                violations.Add(new ContractViolation("Manifest.RootModule", "RootModule",
                    $"RootModule '{root}' is neither the module assembly nor a script module next to the manifest that imports it."));
        }

        // The root is the assembly itself, or a .psm1 beside the manifest that names the assembly (FmsTools.psm1
        // imports Dependencies/FmsTools.dll through the PowerShell 7 loader).
        private static bool RootModuleLoadsAssembly(string? root, string manifestDir, string assemblyFile)
        {
            if (root == null) return false;
            if (string.Equals(Path.GetFileName(root), assemblyFile, StringComparison.OrdinalIgnoreCase)) return true;
            if (!root.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase)) return false;
            var script = Path.Combine(manifestDir, root);
            return File.Exists(script) && File.ReadAllText(script).IndexOf("'" + assemblyFile + "'", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private sealed class FormatView
        {
            public string Name = "";
            public string TypeName = "";
            public string Control = "";
        }

        private static List<FormatView> ReadFormats(Dictionary<string, object?> manifest, string manifestDir, ModuleInspector inspector,
            List<ContractViolation> violations)
        {
            var views = new List<FormatView>();
            foreach (var file in AsStrings(manifest.TryGetValue("FormatsToProcess", out var f) ? f : null))
            {
                var path = Path.Combine(manifestDir, file);
                if (!File.Exists(path))
                {
                    violations.Add(new ContractViolation("Manifest.MissingFile", file, "FormatsToProcess names a file that does not exist."));
                    continue;
                }
                var doc = XDocument.Load(path);
                foreach (var view in doc.Descendants("View"))
                {
                    var name = (string?)view.Element("Name") ?? "(unnamed)";
                    foreach (var typeName in view.Element("ViewSelectedBy")?.Elements("TypeName").Select(t => t.Value.Trim()) ?? Enumerable.Empty<string>())
                    {
                        var control = view.Element("TableControl") != null ? "Table" : view.Element("ListControl") != null ? "List"
                            : view.Element("WideControl") != null ? "Wide" : "Custom";
                        views.Add(new FormatView { Name = name, TypeName = typeName, Control = control });
                        var type = inspector.FindType(typeName);
                        if (type == null)
                        {
                            violations.Add(new ContractViolation("Format.UnknownType", $"{file}: {name}", $"View names type '{typeName}', which does not exist."));
                            continue;
                        }
                        var props = view.Descendants("PropertyName").Select(p => p.Value.Trim());
                        foreach (var prop in props.Where(p => FindProperty(type, p) == null))
                            violations.Add(new ContractViolation("Format.UnknownProperty", $"{file}: {name}", $"'{typeName}' has no property '{prop}'."));
                    }
                }
            }
            foreach (var file in AsStrings(manifest.TryGetValue("TypesToProcess", out var t) ? t : null))
            {
                var path = Path.Combine(manifestDir, file);
                if (!File.Exists(path))
                {
                    violations.Add(new ContractViolation("Manifest.MissingFile", file, "TypesToProcess names a file that does not exist."));
                    continue;
                }
                foreach (var typeElement in XDocument.Load(path).Descendants("Type"))
                {
                    var typeName = ((string?)typeElement.Element("Name") ?? "").Trim();
                    var type = inspector.FindType(typeName);
                    if (type == null)
                    {
                        violations.Add(new ContractViolation("Types.UnknownType", file, $"Type data for '{typeName}', which does not exist."));
                        continue;
                    }
                    foreach (var reference in typeElement.Descendants("ReferencedMemberName").Select(r => r.Value.Trim())
                                 .Concat(typeElement.Descendants("DefaultDisplayProperty").Select(r => r.Value.Trim()))
                                 .Concat(typeElement.Descendants("ReferencedProperties").Elements("Name").Select(r => r.Value.Trim())))
                    {
                        if (FindProperty(type, reference) == null)
                            violations.Add(new ContractViolation("Types.UnknownProperty", file, $"'{typeName}' has no property '{reference}'."));
                    }
                }
            }
            return views;
        }

        private static void CheckOutputViews(IReadOnlyList<CmdletDeclaration> cmdlets, List<FormatView> views, List<ContractViolation> violations)
        {
            var outputTypes = cmdlets.SelectMany(c => c.OutputTypes).Where(o => o.Type != null && IsOwnType(o.Type))
                .Select(o => o.Type!).Distinct().ToList();
            foreach (var type in outputTypes)
            {
                var hasTable = views.Any(v => v.Control == "Table" && SelfAndBases(type).Any(t => t.FullName == v.TypeName));
                if (!hasTable)
                    violations.Add(new ContractViolation("Format.NoTableView", type.FullName!, "Every output type has a table view."));
            }
        }

        private static bool IsOwnType(Type t)
            => !(t.Namespace ?? "").StartsWith("System", StringComparison.Ordinal) && !t.IsPrimitive;

        private static IEnumerable<Type> SelfAndBases(Type t)
        {
            for (var cur = t; cur != null; cur = cur.BaseType) yield return cur;
        }

        private static PropertyInfo? FindProperty(Type type, string name)
        {
            foreach (var t in SelfAndBases(type))
            {
                var p = t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly | BindingFlags.IgnoreCase);
                if (p != null) return p;
            }
            return null;
        }

        private static void CheckPipelinePairs(ModuleFiles files, IReadOnlyList<CmdletDeclaration> cmdlets, List<ContractViolation> violations)
        {
            foreach (var (producerName, consumerName) in files.PipelinePairs)
            {
                var subject = $"{producerName} | {consumerName}";
                var producer = cmdlets.FirstOrDefault(c => c.Name.Equals(producerName, StringComparison.OrdinalIgnoreCase));
                var consumer = cmdlets.FirstOrDefault(c => c.Name.Equals(consumerName, StringComparison.OrdinalIgnoreCase));
                if (producer == null || consumer == null)
                {
                    violations.Add(new ContractViolation("Pipeline.UnknownCmdlet", subject, "Both cmdlets of a declared pipeline pair must exist."));
                    continue;
                }
                foreach (var output in producer.OutputTypes.Where(o => o.Type != null))
                {
                    if (!Binds(output.Type!, consumer))
                        violations.Add(new ContractViolation("Pipeline.NoBinding", subject,
                            $"No parameter of {consumerName} takes {output.TypeName} by value or by property name with a compatible type."));
                }
            }
        }

        /// <summary>Would PowerShell bind an object of <paramref name="output"/> to some parameter of the consumer?</summary>
        /// <summary>
        /// Whether a <paramref name="output"/> object piped to <paramref name="consumer"/> binds in some parameter set: it binds
        /// at least one of the set's parameters, and every mandatory parameter of the set that takes pipeline input (the
        /// others come from the command line). Binding only an optional parameter (the -Region an object carries) while a
        /// mandatory one stays unbound is not a pipeline PowerShell can run.
        /// </summary>
        internal static bool Binds(Type output, CmdletDeclaration consumer)
        {
            const string all = "__AllParameterSets";
            var setNames = consumer.Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != all).Distinct().ToList();
            if (setNames.Count == 0) setNames.Add(all);
            foreach (var setName in setNames)
            {
                var bindsAny = false;
                var missesMandatory = false;
                foreach (var p in consumer.Parameters)
                {
                    foreach (var set in p.Sets.Where(s => s.SetName == setName || s.SetName == all))
                    {
                        if (!set.ValueFromPipeline && !set.ValueFromPipelineByPropertyName) continue;
                        if (BindsParameter(output, p, set)) bindsAny = true;
                        else if (set.Mandatory) missesMandatory = true;
                    }
                }
                if (bindsAny && !missesMandatory) return true;
            }
            return false;
        }

        private static bool BindsParameter(Type output, CmdletParameter p, ParameterSetInfo set)
        {
            var target = p.Type.IsArray ? p.Type.GetElementType()! : p.Type;
            if (set.ValueFromPipeline && (target.IsAssignableFrom(output) || target.FullName == "System.Object"
                                          || target.FullName == "System.Management.Automation.PSObject"))
                return true;
            if (!set.ValueFromPipelineByPropertyName) return false;
            foreach (var name in new[] { p.Name }.Concat(p.Aliases))
            {
                var prop = FindProperty(output, name);
                if (prop == null) continue;
                var source = prop.PropertyType.IsArray ? prop.PropertyType.GetElementType()! : prop.PropertyType;
                source = Nullable(source) ?? source;
                var t = Nullable(target) ?? target;
                if (t.IsAssignableFrom(source) || (t.FullName == "System.String" && (source.IsPrimitive || source.IsEnum || source.FullName == "System.String")))
                    return true;
            }
            return false;
        }

        private static Type? Nullable(Type t)
            => t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0] : null;

        private static void CheckHelp(ModuleFiles files, IReadOnlyList<CmdletDeclaration> cmdlets, List<ContractViolation> violations)
        {
            foreach (var c in cmdlets)
            {
                var path = Path.Combine(files.DocsDirectory, c.Name + ".md");
                if (!File.Exists(path))
                {
                    violations.Add(new ContractViolation("Help.Missing", c.Name, $"No help file {Path.GetFileName(path)} under docs/."));
                    continue;
                }
                var help = HelpDocument.Load(path);
                if (!string.Equals(help.Name, c.Name, StringComparison.Ordinal))
                    violations.Add(new ContractViolation("Help.WrongName", c.Name, $"The help file's title is '{help.Name}'."));
                if (help.Synopsis.Length == 0)
                    violations.Add(new ContractViolation("Help.NoSynopsis", c.Name, "Help needs a SYNOPSIS."));
                if (help.Description.Length == 0)
                    violations.Add(new ContractViolation("Help.NoDescription", c.Name, "Help needs a DESCRIPTION."));
                var examples = help.Examples.Count(e => e.Code.Length > 0 && e.Remarks.Length > 0);
                if (examples < 2)
                    violations.Add(new ContractViolation("Help.TooFewExamples", c.Name, $"Help needs at least two examples with code and an explanation; found {examples}."));
                foreach (var p in c.Parameters.Where(p => !help.Parameters.TryGetValue(p.Name, out var text) || text.Length == 0))
                    violations.Add(new ContractViolation("Help.ParameterUndocumented", $"{c.Name} -{p.Name}", "Every parameter is described under PARAMETERS."));
                foreach (var documented in help.Parameters.Keys.Where(k => !c.Parameters.Any(p => p.Name.Equals(k, StringComparison.OrdinalIgnoreCase))
                                                                         && !CommonParameters.Contains(k, StringComparer.OrdinalIgnoreCase)))
                    violations.Add(new ContractViolation("Help.UnknownParameter", $"{c.Name} -{documented}", "Help documents a parameter the cmdlet does not have."));
                if (help.Outputs.Count == 0)
                    violations.Add(new ContractViolation("Help.NoOutputs", c.Name, "Help lists the OUTPUTS."));
            }
        }

        private static readonly string[] CommonParameters =
        {
            "CommonParameters", "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction",
            "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction",
        };

        private static List<string> AsStrings(object? value)
        {
            switch (value)
            {
                case null: return new List<string>();
                case string s: return new List<string> { s };
                case IEnumerable<object?> items: return items.OfType<string>().ToList();
                default: return new List<string>();
            }
        }
    }
}
