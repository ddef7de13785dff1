using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>
    /// 6. What a user at the prompt gets, in the repository's pwsh with the laid-out module: the time from pressing Enter
    /// on Get-FmsComplianceReport to its first row (and whether rows keep coming), and the whole report through
    /// `Get-FmsComplianceReport | Export-FmsComplianceReport -Format Json` against the rate bound, at the scan's size and at
    /// the large organization's, with pwsh's peak resident memory at both. The sandboxes enforce the scan's per-operation
    /// rate limits; each measurement runs in a fresh pwsh that imports the module and connects first (outside the timing).
    /// </summary>
    internal static class CmdletPathBenchmark
    {
        private const string Section = "6. The cmdlet path (pwsh)";

        private sealed class ReportRun
        {
            public double Seconds { get; set; }
            public double CpuSeconds { get; set; }
            public long Rows { get; set; }
            public long NonCompliant { get; set; }
            public long Bytes { get; set; }
            public int Errors { get; set; }
            public long RssBefore { get; set; }
            public long PeakRss { get; set; }
            public long GcHeap { get; set; }
        }

        private sealed class FirstRowRun
        {
            public double FirstRowMs { get; set; }
            public int Rows { get; set; }
            public double TotalMs { get; set; }
            public double[] Stamps { get; set; } = new double[0];
            public double WarmFirstRowMs { get; set; }
            public int Errors { get; set; }
        }

        public static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess small, SandboxProcess large, Figures figures,
            CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}: Get-FmsComplianceReport in fresh pwsh processes, {sizes.ScanAccounts:N0} and {sizes.LargeAccounts:N0} accounts, "
                + $"ListComplianceStatus and GetComplianceDetail limited to {sizes.ScanRatePerSecond:0} / {sizes.LargeScanRatePerSecond:0} req/s");
            var manifest = env.Pwsh == null ? null : PowerShellProcess.FindManifest(env.RepoRoot);
            if (env.Pwsh == null || manifest == null)
            {
                figures.Info(Section, "Get-FmsComplianceReport in pwsh", env.Pwsh == null ? "pwsh not available" : "module not laid out (run ./build.ps1 -Task Build)");
                return;
            }
            // Listed before any limit is set, with the plain client: what a complete report must read.
            var smallFacts = await OrganizationFacts.ReadAsync(small, small.Region, cancellationToken).ConfigureAwait(false);
            var largeFacts = await OrganizationFacts.ReadAsync(large, large.Region, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  {sizes.ScanAccounts:N0} accounts: {smallFacts}");
            Console.WriteLine($"  {sizes.LargeAccounts:N0} accounts: {largeFacts}");

            // 3. Time to first row, 1,000 accounts, rate-limited like the scan.
            var rate = sizes.ScanRatePerSecond;
            var burst = Math.Max(1, (int)(rate / 5));
            await SetLimitsAsync(small, rate, burst).ConfigureAwait(false);
            var first = await RunAsync<FirstRowRun>(env, small, manifest, "FirstRow", sizes.FirstRowRows, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            var gaps = first.Stamps.Zip(first.Stamps.Skip(1), (a, b) => b - a).DefaultIfEmpty(0).ToArray();
            var streamingSeconds = first.Stamps.Length > 1 ? (first.Stamps[first.Stamps.Length - 1] - first.Stamps[0]) / 1000.0 : 0;
            Console.WriteLine($"  first row after {first.FirstRowMs:0} ms; {first.Rows} rows in {first.TotalMs / 1000:0.00} s, longest gap {gaps.Max():0} ms; "
                + $"a second run in the same session: first row after {first.WarmFirstRowMs:0} ms");
            figures.AtMost(Section, $"time to first row: Enter on Get-FmsComplianceReport (connected, imported) to its first row, {sizes.ScanAccounts:N0} accounts",
                first.FirstRowMs / 1000.0, 1.0, " s", "0.00");
            figures.Check(Section, $"rows keep streaming: {first.Rows} rows, none more than 1 s after the one before",
                first.Rows == sizes.FirstRowRows && gaps.Max() <= 1000 && first.Errors == 0,
                $"longest gap {gaps.Max():0} ms, {(first.Rows - 1) / Math.Max(0.001, streamingSeconds):0} rows/s after the first" + (first.Errors > 0 ? $", {first.Errors} errors" : ""));
            figures.Info(Section, "  same command again in that session (code compiled): first row after", Figures.F(first.WarmFirstRowMs, "0") + " ms");

            // 2. The whole report through the pipeline, 1,000 accounts.
            await SetLimitsAsync(small, rate, burst).ConfigureAwait(false);
            var mark = small.RequestLogMark();
            var a = await RunAsync<ReportRun>(env, small, manifest, "Report", 0, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            var calls = small.CountRequestsSince(mark);
            var fmsCalls = calls.Of("ListPolicies") + calls.Of("ListComplianceStatus") + calls.Of("GetComplianceDetail");
            var boundA = smallFacts.RateBound(rate, burst);
            Console.WriteLine($"  {sizes.ScanAccounts:N0} accounts: {Describe(a)}; server saw {calls}");
            CheckComplete(figures, sizes.ScanAccounts, a, smallFacts);
            figures.AtMost(Section, $"Get-FmsComplianceReport | Export-FmsComplianceReport -Format Json, {sizes.ScanAccounts:N0} accounts: time ÷ rate bound "
                + $"({Figures.F(a.Seconds)} vs {Figures.F(boundA)} s)", a.Seconds / boundA, 1.10);
            figures.Info(Section, "  pwsh CPU time ÷ rate bound (above 1: one core cannot keep up with the rate bound)", Figures.F(a.CpuSeconds / boundA) + "×");
            figures.Info(Section, $"  FMS calls ÷ minimum ({fmsCalls:N0} vs {smallFacts.MinimumCalls:N0}; {calls.TotalThrottled:N0} throttled; Organizations calls of the account directory not counted)",
                Figures.F((double)fmsCalls / smallFacts.MinimumCalls, "0.000") + "×");

            // The same at the large organization: time and pwsh's peak memory.
            var largeRate = sizes.LargeScanRatePerSecond;
            var largeBurst = Math.Max(1, (int)(largeRate / 5));
            await SetLimitsAsync(large, largeRate, largeBurst).ConfigureAwait(false);
            var b = await RunAsync<ReportRun>(env, large, manifest, "Report", 0, TimeSpan.FromMinutes(20)).ConfigureAwait(false);
            await large.ClearRateLimitsAsync().ConfigureAwait(false);
            await small.ClearRateLimitsAsync().ConfigureAwait(false);
            var boundB = largeFacts.RateBound(largeRate, largeBurst);
            Console.WriteLine($"  {sizes.LargeAccounts:N0} accounts: {Describe(b)}");
            CheckComplete(figures, sizes.LargeAccounts, b, largeFacts);
            figures.AtMost(Section, $"same, {sizes.LargeAccounts:N0} accounts at {largeRate:0} req/s: time ÷ rate bound ({Figures.F(b.Seconds)} vs {Figures.F(boundB)} s)",
                b.Seconds / boundB, 1.10);
            figures.Info(Section, "  pwsh CPU time ÷ rate bound", Figures.F(b.CpuSeconds / boundB) + "×");
            figures.AtMost(Section, $"pwsh peak resident memory (VmHWM), {sizes.LargeAccounts:N0} ÷ {sizes.ScanAccounts:N0} accounts ({Mb(b.PeakRss)} vs {Mb(a.PeakRss)})",
                (double)b.PeakRss / a.PeakRss, 1.2);
            figures.Info(Section, "  resident memory before the command (module imported, connected)", $"{Mb(b.RssBefore)} / {Mb(a.RssBefore)}");
        }

        private static void CheckComplete(Figures figures, int accounts, ReportRun run, OrganizationFacts facts)
            => figures.Check(Section, $"  the exported report is complete, {accounts:N0} accounts (rows and non-compliant rows as listed, no error)",
                run.Rows == facts.Rows && run.NonCompliant == facts.NonCompliantRows && run.Errors == 0,
                $"{run.Rows:N0} rows, {run.NonCompliant:N0} non-compliant, {run.Errors} errors");

        private static string Describe(ReportRun run)
            => $"{run.Seconds:0.00} s (pwsh CPU {run.CpuSeconds:0.0} s, {run.CpuSeconds * 1000000 / Math.Max(1, run.Rows):0} µs a row), {run.Rows:N0} rows ({run.NonCompliant:N0} non-compliant), {run.Bytes / 1048576.0:0.0} MB of JSON, {run.Errors} errors; "
               + $"pwsh resident {Mb(run.RssBefore)} before, peak {Mb(run.PeakRss)}; GC heap {Mb(run.GcHeap)} at the end";

        private static string Mb(long bytes) => Figures.F(bytes / 1048576.0, "0") + " MB";

        /// <summary>Setting a limit gives its key a fresh, full bucket.</summary>
        private static async Task SetLimitsAsync(SandboxProcess sandbox, double rate, int burst)
        {
            await sandbox.SetRateLimitAsync("fms:ListComplianceStatus", rate, burst).ConfigureAwait(false);
            await sandbox.SetRateLimitAsync("fms:GetComplianceDetail", rate, burst).ConfigureAwait(false);
        }

        private static async Task<T> RunAsync<T>(BenchEnvironment env, SandboxProcess sandbox, string manifest, string mode, int rows, TimeSpan limit)
        {
            var script = Path.Combine(AppContext.BaseDirectory, "pwsh", "cmdlet-path.ps1");
            var outFile = Path.Combine(env.WorkDirectory, "report-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".json");
            var start = PowerShellProcess.Start(env, sandbox, "-File", script, "-Manifest", manifest, "-Mode", mode, "-Endpoint", sandbox.Endpoint,
                "-Region", sandbox.Region, "-OutFile", outFile, "-Rows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                var line = await PowerShellProcess.RunAsync(start, limit, "Get-FmsComplianceReport in pwsh (" + mode + ")").ConfigureAwait(false);
                return JsonSerializer.Deserialize<T>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
                    ?? throw new InvalidOperationException("pwsh printed no measurement.");
            }
            finally
            {
                if (File.Exists(outFile)) File.Delete(outFile);
            }
        }
    }
}
