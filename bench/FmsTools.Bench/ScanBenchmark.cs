using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Organization;
using FmsTools.Engine.Reports;

namespace FmsTools.Bench
{
    /// <summary>
    /// 1. The organization compliance scan under per-operation rate limits: FmsTools' report builder against the rate
    /// bound, against a sequential boto3 loop and against a sequential aws CLI loop, with the reports cross-checked.
    /// </summary>
    internal static class ScanBenchmark
    {
        private const string Section = "1. Org compliance scan";

        /// <summary>What a report says about one policy: accounts listed and violators per non-compliant account.</summary>
        internal sealed class PolicyFacts
        {
            public int Accounts;
            public Dictionary<string, int> NonCompliant = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        public static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess sandbox, IReadOnlyList<string> policyIds,
            Figures figures, CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}: {sizes.ScanAccounts} accounts × {policyIds.Count} policies, ListComplianceStatus and GetComplianceDetail at {sizes.ScanRatePerSecond:0} req/s each");
            var rate = sizes.ScanRatePerSecond;
            // A small burst (a fifth of a second's worth), so the bucket, not the burst, decides the pace.
            var burst = Math.Max(1, (int)(rate / 5));
            await sandbox.SetRateLimitAsync("fms:ListComplianceStatus", rate, burst).ConfigureAwait(false);
            await sandbox.SetRateLimitAsync("fms:GetComplianceDetail", rate, burst).ConfigureAwait(false);

            // FmsTools first, on a quiet machine. MaxAttempts 1: throttling is handled by the engine's adaptive throttle.
            var ours = new Dictionary<string, PolicyFacts>(StringComparer.Ordinal);
            var mark = sandbox.RequestLogMark();
            var watch = Stopwatch.StartNew();
            ReportStatistics statistics;
            using (var session = sandbox.AdminSession(maxAttempts: 1))
            {
                var builder = new ComplianceReportBuilder(_ => session.Fms, OrganizationDirectory.Empty);
                using var traceStop = new CancellationTokenSource();
                var trace = sizes.Trace ? TraceAsync(builder.Throttle, "GetComplianceDetail", watch, traceStop.Token) : Task.CompletedTask;
                await foreach (var row in builder.BuildAsync(new ComplianceReportRequest { Regions = { sandbox.Region } }, cancellationToken).ConfigureAwait(false))
                {
                    if (!ours.TryGetValue(row.PolicyId, out var facts)) ours[row.PolicyId] = facts = new PolicyFacts();
                    facts.Accounts++;
                    if (row.Status == nameof(FmsComplianceState.NonCompliant)) facts.NonCompliant[row.AccountId] = row.Violations.Count;
                }
                statistics = builder.Statistics;
                traceStop.Cancel();
                await trace.ConfigureAwait(false);
            }
            var oursSeconds = watch.Elapsed.TotalSeconds;
            var oursCalls = sandbox.CountRequestsSince(mark);
            if (statistics.Errors.Count > 0)
                throw new InvalidOperationException("The FmsTools report had errors: " + string.Join("; ", statistics.Errors.Take(3).Select(e => e.Message)));
            Console.WriteLine($"  FmsTools: {oursSeconds:0.00} s, {statistics.Rows} rows, {statistics.NonCompliantRows} non-compliant; server saw {oursCalls}");

            // The sequential boto3 loop (bounded by time; extrapolated per call when it stops early).
            Boto3Result? boto3 = null;
            if (env.Python != null)
            {
                var boto3Mark = sandbox.RequestLogMark();
                boto3 = await RunBoto3Async(env, sandbox, sizes, cancellationToken).ConfigureAwait(false);
                boto3.ServerCalls = sandbox.CountRequestsSince(boto3Mark);
                Console.WriteLine($"  boto3: {boto3.Elapsed:0.00} s, {(boto3.Complete ? "complete" : "stopped at its time budget")}; server saw {boto3.ServerCalls}");
            }

            // The minimum calls: one ListPolicies page per 100 policies, one ListComplianceStatus page per 100 accounts of
            // each policy (at least one), one GetComplianceDetail per non-compliant account. Taken from the independent
            // boto3 report when it is complete, else from FmsTools' rows (said below).
            var minimumSource = boto3 != null && boto3.Complete ? boto3.Policies : ours;
            var listPoliciesPages = Math.Max(1, (policyIds.Count + 99) / 100);
            var listStatusPages = minimumSource.Values.Sum(p => Math.Max(1, (p.Accounts + 99) / 100));
            var details = minimumSource.Values.Sum(p => p.NonCompliant.Count);
            var minimumCalls = listPoliciesPages + listStatusPages + details;
            var rateBound = Math.Max(Math.Max(0, listStatusPages - burst), Math.Max(0, details - burst)) / rate;
            Console.WriteLine($"  minimum calls: {listPoliciesPages} ListPolicies + {listStatusPages} ListComplianceStatus + {details} GetComplianceDetail = {minimumCalls}"
                + $" (from the {(minimumSource == ours ? "FmsTools" : "boto3")} report); rate bound {rateBound:0.00} s (burst {burst} subtracted)");

            figures.AtMost(Section, "FmsTools scan time ÷ rate bound", oursSeconds / rateBound, 1.03);
            figures.AtMost(Section, "FmsTools calls made ÷ minimum calls (server-counted, throttled included)", (double)oursCalls.Total / minimumCalls, 1.02, format: "0.000");
            figures.Info(Section, "FmsTools throttled calls", $"{oursCalls.TotalThrottled} of {oursCalls.Total}");

            if (boto3 != null)
            {
                var boto3Seconds = boto3.Complete ? boto3.Elapsed : boto3.Elapsed * minimumCalls / Math.Max(1, boto3.CallsMade);
                figures.Info(Section, "sequential boto3 loop time ÷ FmsTools time",
                    Figures.F(boto3Seconds / oursSeconds, "0.0") + "×" + (boto3.Complete ? "" : " (extrapolated per call)"));
                var (pairs, mismatches, detail) = Compare(ours, boto3.Policies, onlyDrilled: null);
                figures.Check(Section, "boto3 report agrees (non-compliant policy × account pairs, violator counts)", mismatches == 0 && pairs > 0,
                    $"{boto3.Policies.Count} policies, {pairs} pairs, {mismatches} differences{detail}");
            }
            else figures.Note("python3 not found: the boto3 comparison did not run.");

            CliResult? cli = null;
            if (env.Python != null && env.AwsCli != null)
            {
                try
                {
                    cli = await RunCliAsync(env, sandbox, sizes, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException timeout)
                {
                    // A peer too slow for its time limit on a loaded machine is a figure not measured, not a harness failure.
                    figures.Note("the aws CLI sample did not finish in its time limit, so the aws CLI comparison was not measured: " + timeout.Message);
                }
            }
            if (cli != null)
            {
                double Mean(string command) => cli.Timings.TryGetValue(command, out var list) && list.Count > 0 ? list.Average() : double.NaN;
                var perList = Mean("list-compliance-status");
                var perDetail = double.IsNaN(Mean("get-compliance-detail")) ? perList : Mean("get-compliance-detail");
                var cliEstimate = Mean("list-policies") + policyIds.Count * perList + details * perDetail;
                var invocations = cli.Timings.Values.Sum(l => l.Count);
                Console.WriteLine($"  aws CLI sample: {invocations} invocations in {cli.Elapsed:0.0} s; per invocation: list-compliance-status {perList:0.00} s, "
                    + $"get-compliance-detail {perDetail:0.00} s; full loop estimated at {cliEstimate:0} s ({details} details)");
                figures.AtLeast(Section, $"sequential aws CLI loop time ÷ FmsTools time (CLI extrapolated from {invocations} timed invocations)", cliEstimate / oursSeconds, 20);
                var (pairs, mismatches, detail) = Compare(ours, cli.Policies, onlyDrilled: cli.Drilled);
                figures.Check(Section, "aws CLI sample agrees (non-compliant pairs of the sampled policies, violators of the drilled accounts)",
                    mismatches == 0 && pairs > 0, $"{cli.Policies.Count} policies, {pairs} pairs, {cli.Drilled.Count} drilled, {mismatches} differences{detail}");
            }
            else if (env.Python == null || env.AwsCli == null) figures.Note("python3 or the aws CLI not found: the CLI comparison did not run.");

            await sandbox.ClearRateLimitsAsync().ConfigureAwait(false);
        }

        /// <summary>--trace: the adaptive throttle's pacing rate and window against what was sent and refused, every half second.</summary>
        private static async Task TraceAsync(AdaptiveThrottle throttle, string operation, Stopwatch watch, CancellationToken stop)
        {
            long lastCalls = 0, lastThrottles = 0;
            var last = watch.Elapsed.TotalSeconds;
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(500, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                throttle.Statistics.CallsByOperation.TryGetValue(operation, out var calls);
                throttle.Statistics.ThrottlesByOperation.TryGetValue(operation, out var throttles);
                var now = watch.Elapsed.TotalSeconds;
                Console.WriteLine($"    t={now:0.0}s {operation}: pacing rate {throttle.CurrentRate(operation):0}/s, learnt {throttle.LearntRate(operation):0}/s, window {throttle.CurrentConcurrency(operation)}, "
                    + $"sent {(calls - lastCalls) / (now - last):0}/s, throttled {throttles - lastThrottles}");
                (lastCalls, lastThrottles, last) = (calls, throttles, now);
            }
        }

        /// <summary>Pairs compared and differences between FmsTools' report and a peer's, over the policies the peer read.</summary>
        private static (int Pairs, int Mismatches, string Detail) Compare(Dictionary<string, PolicyFacts> ours, Dictionary<string, PolicyFacts> theirs,
            HashSet<(string, string)>? onlyDrilled)
        {
            int pairs = 0, mismatches = 0;
            var first = new List<string>();
            void Differ(string what) { mismatches++; if (first.Count < 3) first.Add(what); }
            foreach (var (policyId, peer) in theirs)
            {
                if (!ours.TryGetValue(policyId, out var mine)) { Differ("policy " + policyId + " missing from FmsTools"); continue; }
                if (mine.Accounts != peer.Accounts) Differ($"policy {policyId}: {mine.Accounts} accounts vs {peer.Accounts}");
                foreach (var account in mine.NonCompliant.Keys.Union(peer.NonCompliant.Keys))
                {
                    pairs++;
                    var inMine = mine.NonCompliant.TryGetValue(account, out var mineViolators);
                    var inPeer = peer.NonCompliant.TryGetValue(account, out var peerViolators);
                    if (inMine != inPeer) { Differ($"{policyId}/{account} non-compliant in only one report"); continue; }
                    if (onlyDrilled != null && !onlyDrilled.Contains((policyId, account))) continue;
                    if (mineViolators != peerViolators) Differ($"{policyId}/{account}: {mineViolators} violators vs {peerViolators}");
                }
            }
            return (pairs, mismatches, first.Count == 0 ? "" : ": " + string.Join("; ", first));
        }

        internal sealed class Boto3Result
        {
            public bool Complete;
            public double Elapsed;
            public long CallsMade;
            public Dictionary<string, PolicyFacts> Policies = new Dictionary<string, PolicyFacts>(StringComparer.Ordinal);
            public ServerCallCounts ServerCalls = new ServerCallCounts();
        }

        private static async Task<Boto3Result> RunBoto3Async(BenchEnvironment env, SandboxProcess sandbox, BenchSizes sizes, CancellationToken cancellationToken)
        {
            var start = Python(env, sandbox, "boto3_report.py");
            foreach (var arg in new[] { "--endpoint", sandbox.Endpoint, "--region", sandbox.Region, "--budget", Figures.F(sizes.Boto3Budget.TotalSeconds, "0") })
                start.ArgumentList.Add(arg);
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, sizes.Boto3Budget + TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException("The boto3 loop failed: " + Tail(stderr));
            using var json = JsonDocument.Parse(stdout);
            var root = json.RootElement;
            var result = new Boto3Result
            {
                Complete = root.GetProperty("complete").GetBoolean(),
                Elapsed = root.GetProperty("elapsed").GetDouble(),
                CallsMade = root.GetProperty("calls").EnumerateObject().Sum(p => p.Value.GetInt64()),
            };
            foreach (var entry in root.GetProperty("report").EnumerateArray())
            {
                if (!entry.GetProperty("complete").GetBoolean()) continue;
                var facts = new PolicyFacts { Accounts = entry.GetProperty("accounts").GetInt32() };
                foreach (var account in entry.GetProperty("nonCompliant").EnumerateObject()) facts.NonCompliant[account.Name] = account.Value.GetInt32();
                result.Policies[entry.GetProperty("policyId").GetString()!] = facts;
            }
            return result;
        }

        internal sealed class CliResult
        {
            public double Elapsed;
            public Dictionary<string, List<double>> Timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            public Dictionary<string, PolicyFacts> Policies = new Dictionary<string, PolicyFacts>(StringComparer.Ordinal);
            public HashSet<(string, string)> Drilled = new HashSet<(string, string)>();
        }

        private static async Task<CliResult> RunCliAsync(BenchEnvironment env, SandboxProcess sandbox, BenchSizes sizes, CancellationToken cancellationToken)
        {
            var start = Python(env, sandbox, "cli_report.py");
            var limit = TimeSpan.FromSeconds(30 + 10 * sizes.CliInvocations);
            foreach (var arg in new[] { "--endpoint", sandbox.Endpoint, "--region", sandbox.Region, "--invocations", sizes.CliInvocations.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--work", env.WorkDirectory, "--timeout", Figures.F(limit.TotalSeconds, "0") })
                start.ArgumentList.Add(arg);
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, limit + TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException("The aws CLI loop failed: " + Tail(stderr));
            using var json = JsonDocument.Parse(stdout);
            var root = json.RootElement;
            var result = new CliResult { Elapsed = root.GetProperty("elapsed").GetDouble() };
            foreach (var timing in root.GetProperty("timings").EnumerateObject())
                result.Timings[timing.Name] = timing.Value.EnumerateArray().Select(v => v.GetDouble()).ToList();
            foreach (var entry in root.GetProperty("sample").EnumerateArray())
            {
                var policyId = entry.GetProperty("policyId").GetString()!;
                var facts = new PolicyFacts { Accounts = entry.GetProperty("accounts").GetInt32() };
                var drilled = entry.GetProperty("drilled");
                foreach (var account in entry.GetProperty("nonCompliantAccounts").EnumerateArray())
                {
                    var id = account.GetString()!;
                    facts.NonCompliant[id] = drilled.TryGetProperty(id, out var violators) ? violators.GetInt32() : -1;
                    if (drilled.TryGetProperty(id, out _)) result.Drilled.Add((policyId, id));
                }
                result.Policies[policyId] = facts;
            }
            return result;
        }

        /// <summary>python3 with the sandbox's key pair in the environment (never on a command line).</summary>
        internal static ProcessStartInfo Python(BenchEnvironment env, SandboxProcess sandbox, string script)
        {
            var start = new ProcessStartInfo(env.Python!);
            start.ArgumentList.Add(env.PythonScript(script));
            start.Environment["AWS_ACCESS_KEY_ID"] = sandbox.AccessKeyId;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = sandbox.SecretAccessKey;
            start.Environment.Remove("AWS_SESSION_TOKEN");
            start.Environment.Remove("AWS_PROFILE");
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            // No user configuration: empty config and credentials files of this run.
            foreach (var (variable, file) in new[] { ("AWS_CONFIG_FILE", "aws-config"), ("AWS_SHARED_CREDENTIALS_FILE", "aws-credentials") })
            {
                var path = System.IO.Path.Combine(env.WorkDirectory, file);
                if (!System.IO.File.Exists(path)) System.IO.File.WriteAllText(path, "");
                start.Environment[variable] = path;
            }
            return start;
        }

        internal static string Tail(string text) => text.Length <= 2000 ? text : text.Substring(text.Length - 2000);
    }
}
