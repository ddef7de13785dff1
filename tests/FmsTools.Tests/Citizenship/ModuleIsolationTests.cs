using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FmsTools.Tests.Build;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Dependency isolation on PowerShell 7: FmsTools.Loader loads FmsTools.Aws and its AWSSDK.Core into a private
    /// load context, so a module carrying another AWSSDK.Core (AWS.Tools) shares the session in either order, while
    /// FmsTools, FmsTools.Engine and FmsTools.Sandbox load in the default context, where scripts can name their types.
    /// Each case runs in a fresh process (the isolation probe) whose default context is clean, like a new pwsh.
    /// </summary>
    public sealed class ModuleIsolationTests : IDisposable
    {
        private static readonly Version OurSdkVersion = new Version(4, 0, 0, 0);
        private readonly string _work = Path.Combine(Path.GetTempPath(), "fms-isolation-" + Guid.NewGuid().ToString("N"));
        private readonly string _otherSdk;

        public ModuleIsolationTests()
        {
            _otherSdk = OtherAwsSdkCore.Write(Path.Combine(_work, "other-module"));
        }

        public void Dispose()
        {
            try { Directory.Delete(_work, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        [Fact]
        public void Our_assemblies_really_use_AWSSDK_Core_4()
        {
            // The premise of the tests below: the version FmsTools binds to is 4.0.0.0, the other copy 3.3.0.0.
            var reference = typeof(FmsTools.Aws.AwsCredentialObject).Assembly.GetReferencedAssemblies().Single(a => a.Name == "AWSSDK.Core");
            Assert.Equal(OurSdkVersion, reference.Version);
            Assert.NotEqual(OurSdkVersion, OtherAwsSdkCore.AssemblyVersion);
        }

        [Fact]
        public void Only_FmsTools_Aws_references_the_AWS_SDK()
        {
            // The assemblies in the default context must never bind AWSSDK.* there: it would be AWS.Tools' copy.
            foreach (var assembly in new[] { typeof(FmsTools.Infrastructure.FmsCmdlet).Assembly, typeof(FmsTools.Engine.Policies.FmsPolicy).Assembly,
                         typeof(FmsTools.Sandbox.SandboxHost).Assembly })
            {
                var sdk = assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("AWSSDK.", StringComparison.Ordinal)).Select(a => a.Name).ToList();
                Assert.True(sdk.Count == 0, $"{assembly.GetName().Name} references {string.Join(", ", sdk)}");
            }
            Assert.Contains(typeof(FmsTools.Aws.AwsCredentialObject).Assembly.GetReferencedAssemblies(), a => a.Name == "AWSSDK.Core");
        }

        [Fact]
        public void The_loader_binds_FmsTools_to_its_own_AWSSDK_Core_while_another_version_is_already_loaded()
        {
            var module = TestModule();
            var report = RunProbe(module, "other-first");

            AssertIsolated(report, module);
            // This folder has no ReadyToRun images: the IL assemblies load (the fallback of every other platform).
            var dependencies = Path.Combine(Path.GetFullPath(module), "Dependencies");
            Assert.Equal(Path.Combine(dependencies, "FmsTools.Engine.dll"), report["engine.location"]);
            Assert.Equal(Path.Combine(dependencies, "FmsTools.Aws.dll"), report["aws.location"]);
            Assert.Equal(Path.Combine(dependencies, "AWSSDK.Core.dll"), report["module.sdk.location"]);
            Assert.Equal(OtherAwsSdkCore.AssemblyVersion.ToString(), report["default.sdk.version"]);
        }

        [Fact]
        public void Another_module_loads_its_AWSSDK_Core_after_FmsTools_was_imported()
        {
            var module = TestModule();
            var report = RunProbe(module, "module-first");

            AssertIsolated(report, module);
            Assert.Equal(OtherAwsSdkCore.AssemblyVersion.ToString(), report["default.sdk.version"]);
        }

        [Fact]
        public void Without_the_loader_FmsTools_would_meet_the_other_AWSSDK_Core()
        {
            // The control: loading Dependencies/FmsTools.dll into the default context (a plain binary module)
            // cannot bind AWSSDK.Core 4.0.0.0 from our folder once another version is loaded there.
            var module = TestModule();
            var report = RunProbe(module, "no-loader");

            Assert.Equal("Default", report["module.context"]);
            var boundOurs = report.TryGetValue("module.sdk.location", out var location)
                            && location.StartsWith(Path.Combine(module, "Dependencies"), StringComparison.Ordinal)
                            && report["module.sdk.version"] == OurSdkVersion.ToString();
            Assert.False(boundOurs, "without isolation FmsTools should not have reached its own AWSSDK.Core: " + Describe(report));
        }

        [RequiresFact(Prerequisite.ModuleLayout)]
        public void The_laid_out_module_isolates_its_AWSSDK_Core()
        {
            var layout = Environment.GetEnvironmentVariable("FMSTOOLS_LAYOUT_DIR") ?? "";
            var report = RunProbe(layout, "other-first");
            AssertIsolated(report, layout);
            // On a platform build.ps1 precompiles for (linux-x64, win-x64 on .NET 10+), the engine, the AWS client and
            // AWSSDK.Core load as ReadyToRun images; the cmdlet assembly stays IL (its help and data files sit beside it).
            var rid = FmsTools.Loader.FmsModuleLoadContext.ReadyToRunRid(OperatingSystem.IsWindows(), OperatingSystem.IsLinux(),
                System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture, Environment.Version);
            var dependencies = Path.Combine(Path.GetFullPath(layout), "Dependencies");
            var images = rid == null ? dependencies : Path.Combine(dependencies, "ReadyToRun", rid);
            Assert.Equal(Path.Combine(images, "FmsTools.Engine.dll"), report["engine.location"]);
            Assert.Equal(Path.Combine(images, "FmsTools.Aws.dll"), report["aws.location"]);
            Assert.Equal(Path.Combine(images, "AWSSDK.Core.dll"), report["module.sdk.location"]);
            Assert.Equal(Path.Combine(dependencies, "FmsTools.dll"), report["module.location"]);
        }

        private static void AssertIsolated(Dictionary<string, string> report, string module)
        {
            var dependencies = Path.Combine(Path.GetFullPath(module), "Dependencies");
            Assert.False(report.ContainsKey("error"), Describe(report));
            // The assemblies whose types scripts name sit in the default context; the one that speaks to AWSSDK.Core does not.
            Assert.Equal("Default", report["module.context"]);
            Assert.Equal("Default", report["engine.context"]);
            Assert.Equal("True", report["default.policy.type"]);
            Assert.Equal("FmsTools", report["aws.context"]);
            Assert.StartsWith(dependencies, report["module.location"], StringComparison.Ordinal);
            Assert.True(int.Parse(report["module.cmdlets"], System.Globalization.CultureInfo.InvariantCulture) > 10, Describe(report));
            Assert.Equal(OurSdkVersion.ToString(), report["module.sdk.version"]);
            Assert.StartsWith(dependencies, report["module.sdk.location"], StringComparison.Ordinal);
            Assert.Equal("FmsTools", report["module.sdk.context"]);
            // The default context's own requests for our assembly names get the isolated copy, not a second one.
            Assert.Equal("True", report["default.engine.same"]);
            // A credential object of the other AWSSDK.Core (AWS.Tools' $StoredAWSCredentials) still works with FmsTools.
            Assert.Equal("AKIDPROBEEXAMPLE", report["interop.accesskey"]);
            Assert.Equal(OurSdkVersion.ToString(), report["interop.sdk.version"]);
        }

        /// <summary>A module folder like the laid-out one, made from this build: the loader at the top, the rest in Dependencies/.</summary>
        private string TestModule()
        {
            var root = Path.Combine(_work, "FmsTools");
            var dependencies = Path.Combine(root, "Dependencies");
            Directory.CreateDirectory(dependencies);
            File.Copy(Path.Combine(RepoPaths.TestOutput, "FmsTools.Loader.dll"), Path.Combine(root, "FmsTools.Loader.dll"));
            var shipped = Directory.GetFiles(RepoPaths.TestOutput, "*.dll").Where(f =>
            {
                var name = Path.GetFileName(f);
                return name.StartsWith("AWSSDK.", StringComparison.Ordinal) || name == "Microsoft.Bcl.AsyncInterfaces.dll"
                       || new[] { "FmsTools.dll", "FmsTools.Engine.dll", "FmsTools.Aws.dll", "FmsTools.Sandbox.dll" }.Contains(name);
            }).ToList();
            Assert.Contains(shipped, f => Path.GetFileName(f) == "AWSSDK.Core.dll");
            foreach (var file in shipped) File.Copy(file, Path.Combine(dependencies, Path.GetFileName(file)));
            return root;
        }

        private Dictionary<string, string> RunProbe(string module, string order)
        {
            var probe = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.IsolationProbe", "bin", RepoPaths.Configuration,
                Path.GetFileName(RepoPaths.TestOutput.TrimEnd(Path.DirectorySeparatorChar)), "FmsTools.IsolationProbe.dll");
            Assert.True(File.Exists(probe), $"the isolation probe is not built at {probe}");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { probe, "--module", module, "--other-sdk", _otherSdk, "--order", order }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the isolation probe did not finish within 60 s");
            }
            Assert.True(process.ExitCode == 0, $"probe exited {process.ExitCode}: {stderr.Result}\n{stdout.Result}");
            return stdout.Result.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('='))
                .ToDictionary(l => l.Substring(0, l.IndexOf('=')), l => l.Substring(l.IndexOf('=') + 1));
        }

        private static string Describe(Dictionary<string, string> report) => string.Join("; ", report.Select(kv => kv.Key + "=" + kv.Value));
    }
}
