using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using FmsTools.BuildTools;
using FmsTools.Tests.Contract;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Build
{
    /// <summary>
    /// Checks the importable module that build.ps1 / .ci/run lay out at out/FmsTools/&lt;version&gt;/.
    /// FMSTOOLS_LAYOUT_DIR points at it; without it these skip, unless FMSTOOLS_REQUIRE_LAYOUT=1 (CI).
    /// </summary>
    public class ModuleLayoutTests
    {
        private static string LayoutDir => Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR") ?? "";

        /// <summary>The isolated assemblies (FmsTools.dll and its dependencies) live one folder down.</summary>
        private static string DependencyDir => Path.Combine(LayoutDir, FmsTools.BuildTools.Program.DependenciesFolder);

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_layout_folder_is_named_after_the_product_version()
        {
            Assert.True(Directory.Exists(LayoutDir), $"FMSTOOLS_LAYOUT_DIR '{LayoutDir}' does not exist");
            var version = FmsTools.BuildTools.Program.ReadVersion(RepoPaths.Root);
            Assert.Equal(version, Path.GetFileName(LayoutDir.TrimEnd('/', '\\')));
            Assert.Equal("FmsTools", Path.GetFileName(Path.GetDirectoryName(LayoutDir.TrimEnd('/', '\\'))));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_manifest_is_stamped_and_lists_files_that_exist()
        {
            var manifest = PowerShellData.Import(Path.Combine(LayoutDir, "FmsTools.psd1"));
            Assert.Equal(FmsTools.BuildTools.Program.ReadVersion(RepoPaths.Root), manifest["ModuleVersion"]);
            Assert.True(File.Exists(Path.Combine(LayoutDir, (string)manifest["RootModule"]!)));
            foreach (var key in new[] { "FormatsToProcess", "TypesToProcess", "NestedModules" })
                foreach (var file in PowerShellData.Strings(manifest, key))
                    Assert.True(File.Exists(Path.Combine(LayoutDir, file)), $"{key}: {file} missing");
            // PowerShell's own reading of the laid-out manifest finds nothing wrong with it either.
            var (module, errors) = PowerShellData.TestManifest(Path.Combine(LayoutDir, "FmsTools.psd1"));
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Exception.Message)));
            Assert.Equal(FmsTools.BuildTools.Program.ReadVersion(RepoPaths.Root), module!.Version.ToString(3));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_module_carries_its_assemblies_but_not_the_powershell_stubs()
        {
            foreach (var dll in new[] { "FmsTools.dll", "FmsTools.Engine.dll", "FmsTools.Aws.dll", "FmsTools.Sandbox.dll", "AWSSDK.Core.dll",
                         "AWSSDK.SecurityToken.dll", "AWSSDK.EC2.dll", "System.Text.Json.dll" })
                Assert.True(File.Exists(Path.Combine(DependencyDir, dll)), $"{dll} missing from the module's Dependencies folder");
            foreach (var dir in new[] { LayoutDir, DependencyDir })
                Assert.False(File.Exists(Path.Combine(dir, "System.Management.Automation.dll")),
                    "the compile-time PowerShell stubs must never ship: the host provides the real assembly");
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void Only_the_loader_and_no_dependency_sits_where_the_default_load_context_looks()
        {
            // PowerShell 7 loads the root folder's assemblies into the default context; an AWSSDK.Core there
            // would collide with AWS.Tools'. Only the tiny loader may live there.
            var rootAssemblies = Directory.GetFiles(LayoutDir, "*.dll").Select(f => Path.GetFileName(f)).ToArray();
            Assert.Equal(new[] { "FmsTools.Loader.dll" }, rootAssemblies);
            Assert.True(File.Exists(Path.Combine(LayoutDir, "FmsTools.psm1")), "the root module FmsTools.psm1 is missing");
            var psm1 = File.ReadAllText(Path.Combine(LayoutDir, "FmsTools.psm1"));
            Assert.Contains("FmsTools.Loader.FmsModuleLoadContext", psm1);
            Assert.Contains("'Dependencies'", psm1);
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_compiled_help_has_a_command_with_examples_for_every_cmdlet()
        {
            var maml = XDocument.Load(Path.Combine(LayoutDir, "en-US", "FmsTools.dll-Help.xml"));
            Assert.True(File.Exists(Path.Combine(DependencyDir, "en-US", "FmsTools.dll-Help.xml")),
                "the cmdlets' module base is Dependencies/: Get-Help looks for the MAML there");
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            var names = maml.Descendants(command + "command")
                .ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value,
                              c => c.Descendants(command + "example").Count());
            foreach (var cmdlet in CommandMetadataReader.Read(Path.Combine(DependencyDir, "FmsTools.dll")))
            {
                Assert.True(names.ContainsKey(cmdlet.Name), $"{cmdlet.Name} has no MAML help");
                Assert.True(names[cmdlet.Name] >= 2, $"{cmdlet.Name} has fewer than two examples in MAML");
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_laid_out_manifest_satisfies_the_contract_for_the_laid_out_assembly()
        {
            // The laid-out assembly, read by PowerShell's CmdletInfo in a load context of its own (this process runs the
            // test build's copy); the rest of the contract (cmdlets, views, help) is the test build's, ModuleContractTests.
            var assembly = Path.Combine(DependencyDir, "FmsTools.dll");
            var cmdlets = CommandMetadataReader.Read(assembly).Select(c => c.Name).ToList();
            Assert.NotEmpty(cmdlets);
            var violations = ModuleContract.CheckManifest(Path.Combine(LayoutDir, "FmsTools.psd1"), cmdlets,
                System.Reflection.AssemblyName.GetAssemblyName(assembly).Version!, "FmsTools.dll");
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }
    }
}
