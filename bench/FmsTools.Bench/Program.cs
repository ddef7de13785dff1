using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;

namespace FmsTools.Bench
{
    /// <summary>
    /// fms-bench: FmsTools measured side by side with its peers in one run (ratios, because absolute times are noisy on
    /// shared machines). Exit code 0 when the harness ran, whatever the figures; 1 when the harness itself failed.
    /// </summary>
    internal static class Program
    {
        private const string Usage = @"Usage: dotnet run -c Release --project bench/FmsTools.Bench -- [--quick] [--only SECTIONS]
  --quick          small sizes, same code paths (the CI smoke run, about a minute)
  --only SECTIONS  comma-separated subset of: scan, client, sandbox, memory, cmdlet, import
  --trace          print the adaptive throttle's pacing rate and window every half second of the scan
Prints every figure with its target and PASS/MISS; MISS does not fail the run.";

        private static readonly string[] AllSections = { "scan", "client", "sandbox", "memory", "cmdlet", "import" };

        private static async Task<int> Main(string[] args)
        {
            if (args.Length > 0 && args[0] == ReportMemoryBenchmark.ChildFlag) return await ReportMemoryBenchmark.ChildAsync().ConfigureAwait(false);
            var quick = false;
            var trace = false;
            var sections = new HashSet<string>(AllSections, StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--trace": trace = true; break;
                    case "--only" when i + 1 < args.Length:
                        sections = new HashSet<string>(args[++i].Split(',').Select(s => s.Trim()), StringComparer.Ordinal);
                        if (sections.Except(AllSections).Any()) { Console.Error.WriteLine(Usage); return 2; }
                        break;
                    case "--help":
                    case "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        Console.Error.WriteLine("fms-bench: unknown argument " + args[i]);
                        Console.Error.WriteLine(Usage);
                        return 2;
                }
            }

            var sizes = quick ? BenchSizes.QuickRun() : BenchSizes.Full();
            sizes.Trace = trace;
            var figures = new Figures();
            BenchEnvironment? env = null;
            var watch = Stopwatch.StartNew();
            // Everything is bounded: the whole run stops (and its children are killed) at this limit.
            using var limit = new CancellationTokenSource(quick ? TimeSpan.FromMinutes(6) : TimeSpan.FromMinutes(60));
            try
            {
                env = BenchEnvironment.Discover();
                Console.WriteLine($"fms-bench {(quick ? "--quick" : "(full)")}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
                    + $"python3 {(env.Python != null ? "yes" : "no")}, aws CLI {(env.AwsCli != null ? "yes" : "no")}, pwsh {env.PwshVersion ?? "no"}");
                await RunAsync(env, sizes, sections, figures, limit.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                figures.PrintTable();
                Console.Error.WriteLine();
                Console.Error.WriteLine("fms-bench: the harness failed: " + error);
                return 1;
            }
            finally
            {
                ChildProcesses.KillAll();
                if (env != null) TryDelete(env.WorkDirectory);
            }
            figures.PrintTable();
            Console.WriteLine($"fms-bench finished in {watch.Elapsed.TotalSeconds:0} s");
            return 0;
        }

        private static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, HashSet<string> sections, Figures figures, CancellationToken cancellationToken)
        {
            const int seed = 1;
            const string home = "us-east-1";
            using (cancellationToken.Register(ChildProcesses.KillAll))
            {
                SandboxProcess? small = null, large = null;
                try
                {
                    IReadOnlyList<string> smallPolicies = Array.Empty<string>();
                    if (sections.Overlaps(new[] { "scan", "client", "sandbox", "memory", "cmdlet" }))
                    {
                        small = await SandboxProcess.StartAsync(env, sizes.ScanAccounts, sizes.ResourcesPerAccount, seed, Path.Combine(env.WorkDirectory, "requests.jsonl"))
                            .ConfigureAwait(false);
                        var catalogue = PolicyCatalogue.ForSeed(seed, small.AdminAccountId);
                        using (var admin = small.AdminSession(home, maxAttempts: 10))
                        {
                            smallPolicies = await PolicyCatalogue.CreateAsync(admin, catalogue.Policies(home, sizes.ScanPolicies), cancellationToken).ConfigureAwait(false);
                            await EvaluateOnceAsync(admin, smallPolicies, cancellationToken).ConfigureAwait(false);
                        }
                        Console.WriteLine($"sandbox: {sizes.ScanAccounts:N0} accounts × {sizes.ResourcesPerAccount} resources, {smallPolicies.Count} policies ({small.Endpoint})");
                    }
                    if (sections.Contains("scan")) await ScanBenchmark.RunAsync(env, sizes, small!, smallPolicies, figures, cancellationToken).ConfigureAwait(false);
                    if (sections.Contains("client")) await ThroughputBenchmarks.RunClientAsync(env, sizes, small!, figures, cancellationToken).ConfigureAwait(false);
                    if (sections.Contains("sandbox")) await ThroughputBenchmarks.RunSandboxAsync(env, sizes, small!, smallPolicies, figures, cancellationToken).ConfigureAwait(false);

                    if (sections.Contains("sandbox") || sections.Contains("memory") || sections.Contains("cmdlet"))
                    {
                        var setup = Stopwatch.StartNew();
                        large = await SandboxProcess.StartAsync(env, sizes.LargeAccounts, sizes.ResourcesPerAccount, seed).ConfigureAwait(false);
                        var worldOnly = large.Memory();
                        var created = await CreateLargePoliciesAsync(large, sizes, seed, cancellationToken).ConfigureAwait(false);
                        Console.WriteLine();
                        Console.WriteLine($"large sandbox: {sizes.LargeAccounts:N0} accounts × {sizes.ResourcesPerAccount} resources, {created} policies in 3 regions, "
                            + $"each evaluated once ({setup.Elapsed.TotalSeconds:0.0} s to start and fill)");
                        if (sections.Contains("sandbox")) ThroughputBenchmarks.ReportLargeSandboxMemory(sizes, large, worldOnly, created, sizes.ResourcesPerAccount, figures);
                    }
                    if (sections.Contains("memory")) await ReportMemoryBenchmark.RunAsync(env, sizes, small!, large!, figures, cancellationToken).ConfigureAwait(false);
                    if (sections.Contains("cmdlet")) await CmdletPathBenchmark.RunAsync(env, sizes, small!, large!, figures, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    large?.Dispose();
                    small?.Dispose();
                }
                // Last, with every sandbox stopped: the import comparison wants the quietest machine of the run.
                if (sections.Contains("import")) await ModuleImportBenchmark.RunAsync(env, sizes, figures).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// 50 policies for the large organization: FMS allows 20 per administrator and region, so 20 in us-east-1 (the
        /// same 20 as the small organization, which the memory comparison reads), 20 in eu-west-1 and the rest in us-west-2.
        /// </summary>
        private static async Task<int> CreateLargePoliciesAsync(SandboxProcess large, BenchSizes sizes, int seed, CancellationToken cancellationToken)
        {
            var catalogue = PolicyCatalogue.ForSeed(seed, large.AdminAccountId);
            var remaining = sizes.LargePolicies;
            var created = 0;
            foreach (var region in new[] { "us-east-1", "eu-west-1", "us-west-2" })
            {
                var count = Math.Min(20, remaining);
                if (count == 0) break;
                using var admin = large.AdminSession(region, maxAttempts: 10);
                var ids = await PolicyCatalogue.CreateAsync(admin, catalogue.Policies(region, count), cancellationToken).ConfigureAwait(false);
                await EvaluateOnceAsync(admin, ids, cancellationToken).ConfigureAwait(false);
                created += ids.Count;
                remaining -= count;
            }
            return created;
        }

        /// <summary>One ListComplianceStatus page per policy, so every policy has been evaluated before anything is measured.</summary>
        private static async Task EvaluateOnceAsync(FmsTools.Aws.AwsSession admin, IEnumerable<string> policyIds, CancellationToken cancellationToken)
        {
            foreach (var id in policyIds)
                await admin.Fms.ListComplianceStatusAsync(new ListComplianceStatusRequest { PolicyId = id, MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
        }

        private static void TryDelete(string directory)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A child may still hold a file for a moment; the temporary directory is harmless.
            }
        }
    }
}
