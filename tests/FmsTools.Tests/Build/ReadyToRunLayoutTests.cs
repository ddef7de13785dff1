using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using FmsTools.BuildTools;
using FmsTools.Loader;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Build
{
    /// <summary>
    /// ReadyToRun images for PowerShell 7: build.ps1 precompiles the engine, the AWS client and AWSSDK.Core per runtime
    /// identifier into Dependencies/ReadyToRun/&lt;rid&gt;/, FmsTools.Loader picks them on a matching .NET (10+) platform, and
    /// every other load (Windows PowerShell 5.1's .NET Framework, other platforms, older PowerShell 7) gets the IL assemblies
    /// in Dependencies/. The layout checks need FMSTOOLS_LAYOUT_DIR (see ModuleLayoutTests).
    /// </summary>
    public class ReadyToRunLayoutTests
    {
        private static readonly string[] Precompiled = { "FmsTools.Engine.dll", "FmsTools.Aws.dll", "AWSSDK.Core.dll" };
        private static readonly string[] Rids = { "linux-x64", "win-x64" };

        private static string LayoutDir => Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR") ?? "";
        private static string DependencyDir => Path.Combine(LayoutDir, Program.DependenciesFolder);

        [Theory]
        [InlineData(false, true, Architecture.X64, 10, "linux-x64")]
        [InlineData(true, false, Architecture.X64, 10, "win-x64")]
        [InlineData(false, true, Architecture.X64, 11, "linux-x64")]
        [InlineData(false, true, Architecture.Arm64, 10, null)]
        [InlineData(true, false, Architecture.X86, 10, null)]
        [InlineData(false, false, Architecture.X64, 10, null)]
        [InlineData(false, true, Architecture.X64, 8, null)]
        [InlineData(true, false, Architecture.X64, 9, null)]
        public void The_loader_uses_images_only_for_the_platforms_and_runtimes_they_were_compiled_for(
            bool windows, bool linux, Architecture architecture, int runtimeMajor, string? expected)
        {
            Assert.Equal(expected, FmsModuleLoadContext.ReadyToRunRid(windows, linux, architecture, new Version(runtimeMajor, 0, 1)));
        }

        [Fact]
        public void The_images_target_the_runtime_the_loader_requires()
        {
            // build/FmsTools.ReadyToRun compiles against one .NET; the loader must not hand the images to an older one.
            var project = XDocument.Load(RepoPaths.InRepo("build", "FmsTools.ReadyToRun", "FmsTools.ReadyToRun.csproj"));
            var framework = project.Descendants("TargetFramework").Single().Value;
            Assert.Equal($"net{FmsModuleLoadContext.ReadyToRunRuntimeMajor}.0", framework);
            Assert.Equal(ReadyToRunLayout.Folder, FmsModuleLoadContext.ReadyToRunFolder);
            var listed = project.Descendants("FmsReadyToRunAssembly").Single().Attribute("Include")!.Value.Split(';').Select(n => n + ".dll");
            Assert.Equal(Precompiled.OrderBy(n => n), listed.OrderBy(n => n));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_layout_has_images_for_linux_x64_and_win_x64_of_the_very_assemblies_it_ships()
        {
            foreach (var rid in Rids)
            {
                var folder = Path.Combine(DependencyDir, ReadyToRunLayout.Folder, rid);
                Assert.True(Directory.Exists(folder), $"{folder} is missing: PowerShell 7 on {rid} would compile everything on first use");
                Assert.Equal(Precompiled.OrderBy(n => n), Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n));
                foreach (var name in Precompiled)
                {
                    var image = Path.Combine(folder, name);
                    Assert.True(ReadyToRunLayout.IsReadyToRun(image), $"{rid}/{name} is not a ReadyToRun image");
                    Assert.Equal(ReadyToRunLayout.ModuleVersionId(Path.Combine(DependencyDir, name)), ReadyToRunLayout.ModuleVersionId(image));
                }
            }
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void What_Windows_PowerShell_loads_is_IL_only()
        {
            // .NET Framework loads FmsTools.dll from Dependencies/ and resolves its references beside it: every assembly
            // there must be plain IL (a ReadyToRun image is code for one OS and CPU, and 5.1 may run as x86).
            var psm1 = File.ReadAllText(Path.Combine(LayoutDir, "FmsTools.psm1"));
            Assert.Contains("[System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($dependencies, 'FmsTools.dll'))", psm1);
            Assert.DoesNotContain("ReadyToRun", psm1);
            foreach (var dll in Directory.GetFiles(DependencyDir, "*.dll"))
                Assert.False(ReadyToRunLayout.IsReadyToRun(dll), $"{Path.GetFileName(dll)} in Dependencies/ is a ReadyToRun image");
            // The cmdlet assembly stays IL everywhere: Get-Help and Get-FmsCostEstimate find files next to it.
            Assert.All(Rids, rid => Assert.False(File.Exists(Path.Combine(DependencyDir, ReadyToRunLayout.Folder, rid, "FmsTools.dll"))));
        }

        [Fact]
        public void A_rid_folder_without_an_image_of_a_shipped_assembly_fails_the_layout()
        {
            var work = Path.Combine(Path.GetTempPath(), "fms-r2r-" + Guid.NewGuid().ToString("N"));
            try
            {
                var dependencies = Path.Combine(work, "Dependencies");
                var published = Path.Combine(work, "published", "linux-x64");
                Directory.CreateDirectory(dependencies);
                Directory.CreateDirectory(published);
                var il = typeof(FmsTools.Engine.Policies.FmsPolicy).Assembly.Location;
                File.Copy(il, Path.Combine(dependencies, "FmsTools.Engine.dll"));
                // The IL assembly where an image should be: not an image.
                File.Copy(il, Path.Combine(published, "FmsTools.Engine.dll"));
                var error = Assert.Throws<InvalidOperationException>(() => ReadyToRunLayout.Copy(Path.Combine(work, "published"), dependencies));
                Assert.Contains("no ReadyToRun image", error.Message);
                Assert.False(Directory.Exists(Path.Combine(dependencies, ReadyToRunLayout.Folder, "linux-x64")));
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
