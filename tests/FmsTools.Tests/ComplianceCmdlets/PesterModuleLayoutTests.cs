using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Tests.Contract;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>The Pester script module ships beside the assembly and the manifest loads and exports it.</summary>
    public sealed class PesterModuleLayoutTests
    {
        private static readonly string Script = RepoPaths.InRepo("src", "FmsTools", "Pester", "FmsTools.Pester.psm1");

        [Fact]
        public void The_manifest_loads_the_pester_script_module_and_exports_its_function()
        {
            var manifest = PowerShellData.Import(RepoPaths.InRepo("FmsTools.psd1"));
            Assert.Contains("FmsTools.Pester.psm1", PowerShellData.Strings(manifest, "NestedModules"));
            Assert.Equal(new[] { "Register-FmsShouldOperator" }, PowerShellData.Strings(manifest, "FunctionsToExport"));
            var text = File.ReadAllText(Script);
            Assert.Contains("function Register-FmsShouldOperator", text);
            Assert.Contains("Export-ModuleMember -Function Register-FmsShouldOperator", text);
            Assert.Contains("Add-ShouldOperator -Name BeFmsCompliant", text);
        }

        [Fact]
        public void Fmsbuild_layout_copies_the_script_module_into_the_module_folder()
        {
            var root = ComplianceSandbox.TempDirectory();
            try
            {
                // The test's own output stands in for the publish folder: it holds the module's assemblies.
                var dest = FmsTools.BuildTools.Program.Layout(RepoPaths.Root, RepoPaths.TestOutput, Path.Combine(root, "out"));
                Assert.Equal(File.ReadAllText(Script), File.ReadAllText(Path.Combine(dest, "FmsTools.Pester.psm1")));
                var manifest = PowerShellData.Import(Path.Combine(dest, "FmsTools.psd1"));
                foreach (var file in PowerShellData.Strings(manifest, "NestedModules"))
                    Assert.True(File.Exists(Path.Combine(dest, file)), file + " is listed in NestedModules but missing from the layout");
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
