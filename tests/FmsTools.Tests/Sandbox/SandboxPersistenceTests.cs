using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>State survives restarts, torn journal writes and a killed process.</summary>
    public sealed class SandboxPersistenceTests
    {
        [Fact]
        public async Task StateSurvivesARestart()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "state.db");
            string policyId, token, data, listId;
            using (var host = TestSandbox.Start(demo: true, path: path))
            {
                var client = SigV4TestClient.Admin(host);
                var created = (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("persisted"))).Json.GetProperty("Policy");
                policyId = created.GetProperty("PolicyId").GetString()!;
                token = created.GetProperty("PolicyUpdateToken").GetString()!;
                data = created.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString()!;
                listId = (await client.CallAsync("PutAppsList", new { AppsList = new { ListName = "apps", AppsList = new[] { new { AppName = "a", Protocol = "tcp", Port = 1 } } } }))
                    .Json.GetProperty("AppsList").GetProperty("ListId").GetString()!;
                Assert.Equal("ONBOARDING", (await client.CallAsync("AssociateThirdPartyFirewall", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                    .Json.GetProperty("ThirdPartyFirewallStatus").GetString());
            }
            using (var host = TestSandbox.Start(demo: true, path: path))
            {
                var client = SigV4TestClient.Admin(host);
                var policy = (await client.CallAsync("GetPolicy", new { PolicyId = policyId })).Json.GetProperty("Policy");
                Assert.Equal(token, policy.GetProperty("PolicyUpdateToken").GetString());
                Assert.Equal(data, policy.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString());
                Assert.Equal(200, (await client.CallAsync("GetAppsList", new { ListId = listId })).Status);
                // The World (where third-party associations live) was persisted too.
                Assert.Equal("ONBOARDING", (await client.CallAsync("GetThirdPartyFirewallAssociationStatus", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                    .Json.GetProperty("ThirdPartyFirewallStatus").GetString());
            }
        }

        [Fact]
        public async Task TornJournalTailIsDiscardedAndEarlierRecordsKept()
        {
            var directory = TestSandbox.TempDirectory();
            var path = Path.Combine(directory, "state.db");
            var copy = Path.Combine(directory, "copy.db");
            string policyId;
            using (var host = TestSandbox.Start(demo: false, path: path))
            {
                var created = await SigV4TestClient.Admin(host).CallAsync("PutPolicy", TestSandbox.WafPolicy("before-crash"));
                policyId = created.Json.GetProperty("Policy").GetProperty("PolicyId").GetString()!;
                // Capture the files as a crash right now would leave them, plus half a record being written.
                if (File.Exists(path)) File.Copy(path, copy);
                using (var journal = new FileStream(path + ".journal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (var target = File.Create(copy + ".journal")) journal.CopyTo(target);
                File.AppendAllText(copy + ".journal", "0badc0de {\"seq\":999,\"changes\":[{\"t\":\"policies\",\"k\":\"torn");
            }
            using (var host = TestSandbox.Start(demo: false, path: copy))
            {
                var client = SigV4TestClient.Admin(host);
                Assert.Equal("before-crash", (await client.CallAsync("GetPolicy", new { PolicyId = policyId })).Json.GetProperty("Policy").GetProperty("PolicyName").GetString());
                Assert.Equal(200, (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("after-crash"))).Status);
            }
            Assert.DoesNotContain("torn", File.ReadAllText(copy + ".journal"));
        }

        [Fact]
        public async Task CompactionKeepsEverythingAndShrinksTheJournal()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "state.db");
            using (var host = TestSandbox.Start(demo: false, path: path, configure: o => o.CompactionThresholdBytes = 4096))
            {
                var client = SigV4TestClient.Admin(host);
                for (var i = 0; i < 15; i++) Assert.Equal(200, (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("c" + i))).Status);
                Assert.True(new FileInfo(path + ".journal").Length < 4096 + 4096);
            }
            using (var host = TestSandbox.Start(demo: false, path: path))
                Assert.Equal(15, (await SigV4TestClient.Admin(host).CallAsync("ListPolicies")).Json.GetProperty("PolicyList").GetArrayLength());
        }

        [Fact]
        public void NotAStateFileIsRefusedWithAClearError()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "state.db");
            File.WriteAllText(path, "{\"hello\":1}");
            var error = Assert.Throws<InvalidDataException>(() => TestSandbox.Start(path: path));
            Assert.Contains("not an fms-sandbox state file", error.Message);
        }

        [Fact]
        public async Task KilledProcessLeavesNoTornPolicy()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "state.db");
            var first = SandboxProcess.Start(path);
            var client = new SigV4TestClient(first.Endpoint, SandboxHost.DemoAccessKeyId, SandboxHost.DemoSecretAccessKey);
            var created = (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("rev-0"))).Json.GetProperty("Policy");
            var policyId = created.GetProperty("PolicyId").GetString()!;
            var acknowledged = new List<(string Name, string Token)> { ("rev-0", created.GetProperty("PolicyUpdateToken").GetString()!) };

            // Keep updating from another task and kill the process while updates are in flight.
            var writer = Task.Run(async () =>
            {
                for (var i = 1; i < 100000; i++)
                {
                    RawResponse response;
                    try
                    {
                        response = await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("rev-" + i, policyId, acknowledged[acknowledged.Count - 1].Token));
                    }
                    catch (Exception)
                    {
                        return;
                    }
                    if (response.Status != 200) return;
                    lock (acknowledged) acknowledged.Add(("rev-" + i, response.Json.GetProperty("Policy").GetProperty("PolicyUpdateToken").GetString()!));
                }
            });
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                lock (acknowledged) if (acknowledged.Count > 40) break;
                Assert.True(DateTime.UtcNow < deadline, "The sandbox process acknowledged too few updates.");
                await Task.Delay(10);
            }
            first.Kill();
            await writer;

            var second = SandboxProcess.Start(path);
            try
            {
                var reader = new SigV4TestClient(second.Endpoint, SandboxHost.DemoAccessKeyId, SandboxHost.DemoSecretAccessKey);
                var policy = (await reader.CallAsync("GetPolicy", new { PolicyId = policyId })).Json.GetProperty("Policy");
                var name = policy.GetProperty("PolicyName").GetString()!;
                var token = policy.GetProperty("PolicyUpdateToken").GetString()!;
                var last = acknowledged[acknowledged.Count - 1];
                var revision = int.Parse(name.Substring(4));
                var lastRevision = int.Parse(last.Name.Substring(4));
                // Every acknowledged update survived; at most the one in flight at the kill went further.
                Assert.InRange(revision, lastRevision, lastRevision + 1);
                if (revision == lastRevision) Assert.Equal(last.Token, token);
                Assert.Matches("^1:[A-Za-z0-9+/]{22}==$", token);
                Assert.Equal(200, (await reader.CallAsync("PutPolicy", TestSandbox.WafPolicy("after-restart", policyId, token))).Status);
            }
            finally
            {
                second.Stop();
            }
        }
    }

    /// <summary>The fms-sandbox command as a child process (built on first use).</summary>
    internal sealed class SandboxProcess
    {
        private static readonly object BuildGate = new object();
        private static string? _serverDll;
        private readonly Process _process;

        private SandboxProcess(Process process, string endpoint)
        {
            _process = process;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static SandboxProcess Start(string statePath)
        {
            var dll = ServerDll();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { dll, "--port", "0", "--path", statePath }) start.ArgumentList.Add(argument);
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (sender, e) => { };
            process.BeginErrorReadLine();
            var line = Task.Run(() => process.StandardOutput.ReadLine());
            if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is null)
            {
                process.Kill(true);
                throw new InvalidOperationException("fms-sandbox did not report ready.");
            }
            using var ready = JsonDocument.Parse(line.Result);
            return new SandboxProcess(process, ready.RootElement.GetProperty("endpoint").GetString()!);
        }

        /// <summary>SIGKILL: no chance to flush or compact.</summary>
        public void Kill()
        {
            _process.Kill(true);
            _process.WaitForExit(30000);
        }

        /// <summary>SIGTERM, as a service manager would stop it; the command exits cleanly.</summary>
        public void Stop()
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(true);
            }
            else
            {
                using var kill = Process.Start("kill", new[] { "-TERM", _process.Id.ToString() });
                kill!.WaitForExit(10000);
            }
            if (!_process.WaitForExit(30000)) _process.Kill(true);
        }

        public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

        private static string ServerDll()
        {
            lock (BuildGate)
            {
                if (_serverDll != null) return _serverDll;
                var directory = new DirectoryInfo(AppContext.BaseDirectory);
                while (directory != null && !File.Exists(Path.Combine(directory.FullName, "FmsTools.sln"))) directory = directory.Parent;
                if (directory is null) throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
                var project = Path.Combine(directory.FullName, "src", "FmsTools.Sandbox.Server", "FmsTools.Sandbox.Server.csproj");
                var output = Path.Combine(Path.GetTempPath(), "fms-sandbox-tests", "server-build");
                var build = ExternalTools.Run("dotnet", new[] { "build", project, "-c", "Debug", "-o", output, "--nologo", "-v", "q" }, null, TimeSpan.FromMinutes(5));
                if (build.ExitCode != 0) throw new InvalidOperationException("Building fms-sandbox failed:\n" + build.Stdout + build.Stderr);
                _serverDll = Path.Combine(output, "fms-sandbox.dll");
                return _serverDll;
            }
        }
    }
}

namespace FmsTools.Tests.Sandbox
{
    /// <summary>The fms-sandbox command: ready line, credentials that work, clean stop on SIGTERM.</summary>
    public sealed class SandboxCommandTests
    {
        [Fact]
        public async System.Threading.Tasks.Task CommandPrintsItsEndpointAndStopsCleanlyOnSigterm()
        {
            if (System.OperatingSystem.IsWindows()) return; // SIGTERM has no Windows equivalent; Ctrl+C is handled by the same code path.
            var path = System.IO.Path.Combine(TestSandbox.TempDirectory(), "state.db");
            var process = SandboxProcess.Start(path);
            var client = new SigV4TestClient(process.Endpoint, FmsTools.Sandbox.SandboxHost.DemoAccessKeyId, FmsTools.Sandbox.SandboxHost.DemoSecretAccessKey);
            Assert.Equal(200, (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy("command"))).Status);
            process.Stop();
            Assert.Equal(0, process.ExitCode);
            // A clean stop writes a snapshot, so the state file is complete on its own.
            Assert.True(System.IO.File.Exists(path));
            Assert.Contains("\"command\"", System.IO.File.ReadAllText(path));
        }
    }
}
