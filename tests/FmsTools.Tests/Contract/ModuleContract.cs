using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using FmsTools.BuildTools;

namespace FmsTools.Tests.Contract
{
    /// <summary>One broken rule: which rule, about what, and why.</summary>
    public sealed record ContractViolation(string Rule, string Subject, string Detail)
    {
        public override string ToString() => $"[{Rule}] {Subject}: {Detail}";
    }

    /// <summary>A binary module as PowerShell loads it: its assembly, its manifest and the help markdown it is compiled from.</summary>
    public sealed class ModuleFiles
    {
        public Assembly Assembly { get; set; } = null!;
        public string ManifestPath { get; set; } = "";
        public string DocsDirectory { get; set; } = "";
    }

    /// <summary>
    /// The PowerShell surface rules, read the way PowerShell reads a module: the cmdlets through Get-Command in a runspace
    /// that imported the assembly (CmdletInfo: verb, noun, OutputType, parameters; CommandMetadata: SupportsShouldProcess),
    /// the manifest through Test-ModuleManifest and Import-PowerShellDataFile, the views and type data through
    /// Get-FormatData and Get-TypeData, and the help markdown through fmsbuild's reader. Run against the real module (must
    /// be clean) and against a fixture with one defect per rule (each must be reported), so a check that cannot fail would
    /// be noticed. Whether pipelines bind is proven by running them (Host/PipelinePairTests), not here.
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
            var manifestDir = Path.GetDirectoryName(files.ManifestPath)!;
            var data = PowerShellData.Import(files.ManifestPath);
            // A listed file that does not exist is Test-ModuleManifest's to report (CheckManifest); the others are loaded.
            List<string> Existing(string key) => PowerShellData.Strings(data, key).Select(f => Path.Combine(manifestDir, f)).Where(File.Exists).ToList();
            using var module = ModuleRunspace.Open(files.Assembly, Existing("FormatsToProcess"), Existing("TypesToProcess"));
            var approved = module.ApprovedVerbs();

            foreach (var c in module.Cmdlets)
            {
                if (!approved.Contains(c.Verb))
                    violations.Add(new ContractViolation("Verb.NotApproved", c.Name, $"'{c.Verb}' is not an approved PowerShell verb (Get-Verb)."));
                // "Fms" alone is a valid noun (Connect-Fms); otherwise Fms + a PascalCase word.
                if (!(c.Noun == "Fms" || (c.Noun.StartsWith("Fms", StringComparison.Ordinal) && c.Noun.Length > 3 && char.IsUpper(c.Noun, 3))))
                    violations.Add(new ContractViolation("Noun.MissingPrefix", c.Name, "Nouns start with the module prefix 'Fms' followed by a PascalCase word."));
                if (IsPlural(c.Noun))
                    violations.Add(new ContractViolation("Noun.Plural", c.Name, $"Nouns are singular; '{c.Noun}' looks plural."));
                var (outputs, outputError) = OutputTypes(c);
                if (outputError != null)
                    violations.Add(new ContractViolation("OutputType.Unresolved", c.Name, outputError));
                else if (outputs.Count == 0)
                    violations.Add(new ContractViolation("OutputType.Missing", c.Name, "Every cmdlet declares [OutputType]."));
                foreach (var o in outputs.Where(o => o.Type == null))
                    violations.Add(new ContractViolation("OutputType.Unresolved", c.Name, $"[OutputType] names '{o.Name}', which does not exist."));
                if (MutatingVerbs.Contains(c.Verb) && !new CommandMetadata(c).SupportsShouldProcess)
                    violations.Add(new ContractViolation("ShouldProcess.Missing", c.Name, $"'{c.Verb}' changes state, so the cmdlet must declare SupportsShouldProcess."));
            }

            violations.AddRange(CheckManifest(files.ManifestPath, module.Cmdlets.Select(c => c.Name).ToList(), files.Assembly.GetName().Version!,
                Path.GetFileName(files.Assembly.Location)));
            ModuleViews.Check(module, module.Cmdlets.SelectMany(c => OutputTypes(c).Types).Where(o => o.Type != null).Select(o => o.Type!).Distinct().ToList(),
                violations);
            CheckHelp(files.DocsDirectory, module.Cmdlets, violations);
            return violations;
        }

        /// <summary>
        /// The types a cmdlet's [OutputType] names, as PowerShell resolves them (a name it cannot resolve has no Type).
        /// An [OutputType(typeof(X))] whose X cannot load throws when PowerShell reads the attribute: that is the error.
        /// </summary>
        private static (IReadOnlyList<PSTypeName> Types, string? Error) OutputTypes(CmdletInfo cmdlet)
        {
            try
            {
                return (cmdlet.OutputType, null);
            }
            catch (Exception e) when (e is FileNotFoundException || e is FileLoadException || e is TypeLoadException || e is GetValueInvocationException)
            {
                return (Array.Empty<PSTypeName>(), e.Message);
            }
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

        /// <summary>
        /// The manifest against the assembly: what Test-ModuleManifest reports (files it lists that do not exist, keys it
        /// refuses), the export list as written (Import-PowerShellDataFile: no wildcards, exactly the assembly's cmdlets),
        /// ModuleVersion against the assembly version, both editions, and a root module that loads the assembly.
        /// </summary>
        public static List<ContractViolation> CheckManifest(string manifestPath, IReadOnlyCollection<string> cmdletNames, Version assemblyVersion,
            string assemblyFile)
        {
            var violations = new List<ContractViolation>();
            var (module, errors) = PowerShellData.TestManifest(manifestPath);
            foreach (var error in errors)
                violations.Add(new ContractViolation("Manifest.Invalid", error.FullyQualifiedErrorId.Split(',')[0], error.Exception.Message));
            var data = PowerShellData.Import(manifestPath);
            var exported = PowerShellData.Strings(data, "CmdletsToExport");
            if (exported.Any(x => x.Contains('*') || x.Contains('?')))
                violations.Add(new ContractViolation("Manifest.Wildcard", "CmdletsToExport", "List cmdlets explicitly; wildcards slow discovery."));
            foreach (var name in cmdletNames.Where(n => !exported.Contains(n, StringComparer.OrdinalIgnoreCase)))
                violations.Add(new ContractViolation("Manifest.ExportMismatch", name, "The assembly defines this cmdlet but CmdletsToExport does not list it."));
            foreach (var name in exported.Where(n => !cmdletNames.Contains(n, StringComparer.OrdinalIgnoreCase) && !n.Contains('*')))
                violations.Add(new ContractViolation("Manifest.ExportMismatch", name, "CmdletsToExport lists a cmdlet the assembly does not define."));

            var version = module?.Version;
            if (version == null || version.Major != assemblyVersion.Major || version.Minor != assemblyVersion.Minor
                || Math.Max(version.Build, 0) != Math.Max(assemblyVersion.Build, 0))
                violations.Add(new ContractViolation("Manifest.VersionMismatch", "ModuleVersion",
                    $"ModuleVersion '{version}' differs from the assembly version {assemblyVersion.ToString(3)}."));
            var editions = module?.CompatiblePSEditions ?? Enumerable.Empty<string>();
            if (!editions.Contains("Desktop") || !editions.Contains("Core"))
                violations.Add(new ContractViolation("Manifest.Editions", "CompatiblePSEditions", "The module supports both Desktop (5.1) and Core."));
            var root = data["RootModule"] as string;
            if (!RootModuleLoadsAssembly(root, Path.GetDirectoryName(manifestPath)!, assemblyFile))
                violations.Add(new ContractViolation("Manifest.RootModule", "RootModule",
                    $"RootModule '{root}' is neither the module assembly nor a script module next to the manifest that imports it."));
            return violations;
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

        private static void CheckHelp(string docsDirectory, IReadOnlyList<CmdletInfo> cmdlets, List<ContractViolation> violations)
        {
            foreach (var c in cmdlets)
            {
                var path = Path.Combine(docsDirectory, c.Name + ".md");
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
                // The cmdlet's own parameters: PowerShell's common ones (and -WhatIf/-Confirm) are described by about_CommonParameters.
                var own = c.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p) && !Cmdlet.OptionalCommonParameters.Contains(p)).ToList();
                foreach (var p in own.Where(p => !help.Parameters.TryGetValue(p, out var text) || text.Length == 0))
                    violations.Add(new ContractViolation("Help.ParameterUndocumented", $"{c.Name} -{p}", "Every parameter is described under PARAMETERS."));
                foreach (var documented in help.Parameters.Keys.Where(k => !c.Parameters.Keys.Contains(k, StringComparer.OrdinalIgnoreCase)
                                                                         && !k.Equals(HelpDocument.CommonParametersHeading, StringComparison.OrdinalIgnoreCase)))
                    violations.Add(new ContractViolation("Help.UnknownParameter", $"{c.Name} -{documented}", "Help documents a parameter the cmdlet does not have."));
                if (help.Outputs.Count == 0)
                    violations.Add(new ContractViolation("Help.NoOutputs", c.Name, "Help lists the OUTPUTS."));
            }
        }
    }
}
