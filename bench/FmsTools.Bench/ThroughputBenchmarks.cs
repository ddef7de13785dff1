using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using InvalidOperationException = System.InvalidOperationException;
using FmsTools.Aws.Organizations;

namespace FmsTools.Bench
{
    /// <summary>2. Client overhead and 3. sandbox request rate against moto, plus the large sandbox's resident memory.</summary>
    internal static class ThroughputBenchmarks
    {
        private const string ClientSection = "2. Client overhead";
        private const string SandboxSection = "3. Sandbox";

        public static async Task RunClientAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess sandbox, Figures figures, CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {ClientSection}: FmsTools' FMS client against the sandbox (out of process), {sizes.LoadDuration.TotalSeconds:0.0} s per run");
            using var session = sandbox.AdminSession();
            var fms = session.Fms;
            foreach (var concurrency in new[] { 1, sizes.Concurrency })
            {
                var result = await LoadGenerator.RunAsync((n, ct) => fms.GetAdminAccountAsync(new GetAdminAccountRequest(), ct), concurrency, sizes.LoadDuration, cancellationToken)
                    .ConfigureAwait(false);
                figures.Info(ClientSection, $"GetAdminAccount, concurrency {concurrency}", $"{result.PerSecond:0} req/s, {result.BytesPerCall / 1024:0.0} KB allocated/call");
            }
            var list = await LoadGenerator.RunAsync((n, ct) => fms.ListPoliciesAsync(new ListPoliciesRequest(), ct), 1, sizes.LoadDuration, cancellationToken).ConfigureAwait(false);
            figures.Info(ClientSection, "ListPolicies (20 policies a page), concurrency 1", $"{list.PerSecond:0} req/s, {list.BytesPerCall / 1024:0.0} KB allocated/call");

            if (env.Python == null)
            {
                figures.Note("python3 not found: boto3's rate on the same call was not measured.");
                return;
            }
            var ours = await LoadGenerator.RunAsync((n, ct) => fms.GetAdminAccountAsync(new GetAdminAccountRequest(), ct), 1, sizes.LoadDuration, cancellationToken)
                .ConfigureAwait(false);
            var start = ScanBenchmark.Python(env, sandbox, "boto3_rate.py");
            foreach (var arg in new[] { "--endpoint", sandbox.Endpoint, "--region", sandbox.Region, "--seconds", Figures.F(sizes.LoadDuration.TotalSeconds, "0.0") })
                start.ArgumentList.Add(arg);
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, sizes.LoadDuration + TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException("The boto3 rate loop failed: " + ScanBenchmark.Tail(stderr));
            using var json = JsonDocument.Parse(stdout);
            var boto3Rate = json.RootElement.GetProperty("calls").GetInt64() / json.RootElement.GetProperty("seconds").GetDouble();
            figures.Info(ClientSection, "GetAdminAccount, concurrency 1: FmsTools ÷ boto3 (same sandbox, measured back to back)",
                $"{Figures.F(ours.PerSecond / boto3Rate, "0.0")}× ({ours.PerSecond:0} vs {boto3Rate:0} req/s)");
        }

        public static async Task RunSandboxAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess sandbox, IReadOnlyList<string> policyIds,
            Figures figures, CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {SandboxSection}: request rate against moto server (same client: FmsTools' signed AWS JSON client; concurrency {sizes.Concurrency})");
            if (env.Python == null)
            {
                figures.Note("python3 not found: moto could not run; the sandbox's rate is reported alone.");
            }
            LoadResult? moto = null;
            if (env.Python != null)
            {
                using var motoServer = await MotoServer.StartAsync(env, cancellationToken).ConfigureAwait(false);
                using var motoSession = AwsSessionFactory.Create(new AwsConnectionOptions
                {
                    EndpointUrl = motoServer.Endpoint, AccessKey = "testing", SecretKey = "testing", Region = "us-east-1",
                });
                moto = await LoadGenerator.RunAsync((n, ct) => motoSession.Organizations.ListAccountsAsync(new ListAccountsRequest { MaxResults = 20 }, ct),
                    sizes.Concurrency, sizes.LoadDuration, cancellationToken).ConfigureAwait(false);
                Console.WriteLine("  moto Organizations ListAccounts (20 accounts a page): " + moto);
            }

            using var management = sandbox.ManagementSession();
            var accounts = await LoadGenerator.RunAsync((n, ct) => management.Organizations.ListAccountsAsync(new ListAccountsRequest { MaxResults = 20 }, ct),
                sizes.Concurrency, sizes.LoadDuration, cancellationToken).ConfigureAwait(false);
            Console.WriteLine("  sandbox Organizations ListAccounts (20 accounts a page): " + accounts);
            using var admin = sandbox.AdminSession();
            var policies = await LoadGenerator.RunAsync((n, ct) => admin.Fms.ListPoliciesAsync(new ListPoliciesRequest(), ct),
                sizes.Concurrency, sizes.LoadDuration, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  sandbox FMS ListPolicies ({policyIds.Count} policies a page): " + policies);
            var pairs = await NonCompliantPairsAsync(admin, policyIds, 2000, cancellationToken).ConfigureAwait(false);
            var details = await LoadGenerator.RunAsync((n, ct) =>
                {
                    var (policyId, account) = pairs[(int)(n % pairs.Count)];
                    return admin.Fms.GetComplianceDetailAsync(new GetComplianceDetailRequest { PolicyId = policyId, MemberAccount = account }, ct);
                }, sizes.Concurrency, sizes.LoadDuration, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  sandbox FMS GetComplianceDetail (rotating over {pairs.Count} non-compliant policy × account pairs): " + details);

            if (moto != null)
            {
                figures.AtLeast(SandboxSection, "sandbox ÷ moto, Organizations ListAccounts", accounts.PerSecond / moto.PerSecond, 40);
                figures.AtLeast(SandboxSection, "sandbox FMS ListPolicies ÷ moto ListAccounts", policies.PerSecond / moto.PerSecond, 10);
                figures.AtLeast(SandboxSection, "sandbox FMS GetComplianceDetail ÷ moto ListAccounts", details.PerSecond / moto.PerSecond, 10);
                figures.Info(SandboxSection, "requests per second (sandbox ListAccounts / ListPolicies / GetComplianceDetail; moto ListAccounts)",
                    $"{accounts.PerSecond:0} / {policies.PerSecond:0} / {details.PerSecond:0}; {moto.PerSecond:0}");
            }
            else
            {
                figures.Info(SandboxSection, "sandbox requests per second (ListAccounts / ListPolicies / GetComplianceDetail)",
                    $"{accounts.PerSecond:0} / {policies.PerSecond:0} / {details.PerSecond:0}");
            }
        }

        /// <summary>Up to <paramref name="max"/> non-compliant (policy, account) pairs, read with ListComplianceStatus.</summary>
        internal static async Task<List<(string PolicyId, string Account)>> NonCompliantPairsAsync(AwsSession session, IReadOnlyList<string> policyIds, int max,
            CancellationToken cancellationToken)
        {
            var pairs = new List<(string, string)>();
            foreach (var policyId in policyIds)
            {
                string? token = null;
                do
                {
                    var page = await session.Fms.ListComplianceStatusAsync(new ListComplianceStatusRequest { PolicyId = policyId, NextToken = token }, cancellationToken)
                        .ConfigureAwait(false);
                    foreach (var status in page.PolicyComplianceStatusList ?? new List<PolicyComplianceStatus>())
                        if (status.EvaluationResults?.Any(r => r.ComplianceStatus == PolicyComplianceStatusTypeValues.NonCompliant) == true)
                            pairs.Add((policyId, status.MemberAccount!));
                    token = page.NextToken;
                } while (token != null && pairs.Count < max);
                if (pairs.Count >= max) break;
            }
            if (pairs.Count == 0) throw new InvalidOperationException("No policy has a non-compliant account.");
            return pairs;
        }

        /// <summary>Resident memory of the large sandbox after its policies were created and each was evaluated once.</summary>
        public static void ReportLargeSandboxMemory(BenchSizes sizes, SandboxProcess large, (long Rss, long PeakRss)? worldOnly, int policies, int resourcesPerAccount,
            Figures figures)
        {
            var memory = large.Memory();
            if (memory == null)
            {
                figures.Note("/proc is not available: the sandbox's resident memory was not measured.");
                return;
            }
            figures.AtMost(SandboxSection, $"sandbox resident memory, {sizes.LargeAccounts:N0} accounts × {policies} policies ({resourcesPerAccount} resources/account), VmRSS",
                memory.Value.Rss / 1048576.0, 256, " MB", "0");
            figures.Info(SandboxSection, "  same, peak (VmHWM)", Figures.F(memory.Value.PeakRss / 1048576.0, "0") + " MB");
            if (worldOnly != null)
                figures.Info(SandboxSection, "  of which the organization alone, before any policy (VmRSS)", Figures.F(worldOnly.Value.Rss / 1048576.0, "0") + " MB");
        }
    }

    /// <summary>moto server (python3 -m moto.server) in a child process on 127.0.0.1, with an organization of 20 accounts.</summary>
    internal sealed class MotoServer : IDisposable
    {
        private readonly Process _process;

        private MotoServer(Process process, string endpoint)
        {
            _process = process;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static async Task<MotoServer> StartAsync(BenchEnvironment env, CancellationToken cancellationToken)
        {
            var port = ChildProcesses.FreeLoopbackPort();
            var start = new ProcessStartInfo(env.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            var process = ChildProcesses.Start(start);
            process.OutputDataReceived += (sender, e) => { };
            process.ErrorDataReceived += (sender, e) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new MotoServer(process, "http://127.0.0.1:" + port);
            try
            {
                await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                var setup = new ProcessStartInfo(env.Python!);
                foreach (var arg in new[] { env.PythonScript("moto_setup.py"), "--endpoint", server.Endpoint, "--accounts", "20" }) setup.ArgumentList.Add(arg);
                setup.Environment["AWS_ACCESS_KEY_ID"] = "testing";
                setup.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
                var (exit, _, stderr) = await ChildProcesses.RunAsync(setup, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                if (exit != 0) throw new InvalidOperationException("Could not set up moto's organization: " + ScanBenchmark.Tail(stderr));
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>Polls moto's own API until it answers (bounded by <paramref name="limit"/>).</summary>
        private async Task WaitUntilReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < limit)
            {
                if (_process.HasExited) throw new InvalidOperationException("moto server exited at start (is moto installed?).");
                try
                {
                    using var response = await http.GetAsync(Endpoint + "/moto-api/data.json", cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Slow first answer.
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            throw new TimeoutException("moto server did not answer within " + limit.TotalSeconds + " s.");
        }

        public void Dispose() => ChildProcesses.Kill(_process);
    }
}
