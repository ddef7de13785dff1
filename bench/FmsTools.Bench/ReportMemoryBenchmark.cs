using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using InvalidOperationException = System.InvalidOperationException;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Organization;
using FmsTools.Engine.Reports;

namespace FmsTools.Bench
{
    /// <summary>
    /// 4. The report's memory at two organization sizes. Each build runs in a fresh child process of fms-bench that
    /// consumes the rows without keeping them, so its peak resident memory and its live managed memory belong to the
    /// report alone (no sandbox, no earlier benchmark in the same process).
    /// </summary>
    internal static class ReportMemoryBenchmark
    {
        private const string Section = "4. Report memory";
        public const string ChildFlag = "--report-memory-child";
        /// <summary>Live-memory samples per build, evenly spaced over its steady state: the same number at every size, so
        /// that the peaks of the two builds are maxima over equally many samples.</summary>
        private const int SampleCount = 400;

        internal sealed class Measurement
        {
            public long Rows;
            public long NonCompliant;
            public long Violators;
            public long PeakLiveManagedBytes;
            public long MedianLiveManagedBytes;
            public long HighestLiveManagedBytes;
            public long PeakRssBytes;
            public double Seconds;
            public long Calls;
            public int Samples;
            public long WarmupPeakRssBytes;
            public long GcCommittedBytes;
            public long JitCompiledIlBytes;
        }

        public static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess small, SandboxProcess large, Figures figures,
            CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}: report over {sizes.ScanPolicies} policies at {sizes.ScanAccounts:N0} and {sizes.LargeAccounts:N0} accounts, rows consumed and dropped");
            var a = await MeasureAsync(env, sizes, small, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  {sizes.ScanAccounts:N0} accounts: {Describe(a)}");
            var b = await MeasureAsync(env, sizes, large, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  {sizes.LargeAccounts:N0} accounts: {Describe(b)}");

            if (b.Rows < a.Rows * 5) throw new InvalidOperationException($"The large report has {b.Rows} rows, the small one {a.Rows}: the organizations are not comparable.");
            var ratio = $"{sizes.LargeAccounts:N0} ÷ {sizes.ScanAccounts:N0} accounts";
            figures.AtMost(Section, $"peak live managed memory, steady state ({SampleCount} samples from 10% to 70% of the rows), {ratio} "
                + $"({Mb(b.PeakLiveManagedBytes)} vs {Mb(a.PeakLiveManagedBytes)})", (double)b.PeakLiveManagedBytes / a.PeakLiveManagedBytes, 1.2);
            figures.Info(Section, $"  same, median ({Mb(b.MedianLiveManagedBytes)} vs {Mb(a.MedianLiveManagedBytes)})",
                Figures.F((double)b.MedianLiveManagedBytes / a.MedianLiveManagedBytes) + "×");
            figures.Info(Section, $"  highest sample from 10% of the rows to the end ({Mb(b.HighestLiveManagedBytes)} vs {Mb(a.HighestLiveManagedBytes)})",
                Figures.F((double)b.HighestLiveManagedBytes / a.HighestLiveManagedBytes) + "×");
            if (a.PeakRssBytes > 0)
            {
                figures.AtMost(Section, $"peak resident memory after a {sizes.ReportWarmupRows:N0}-row warm-up (VmHWM), {ratio} ({Mb(b.PeakRssBytes)} vs {Mb(a.PeakRssBytes)})",
                    (double)b.PeakRssBytes / a.PeakRssBytes, 1.2);
                figures.Info(Section, $"  peak resident memory of the warm-up itself ({Mb(b.WarmupPeakRssBytes)} vs {Mb(a.WarmupPeakRssBytes)})",
                    Figures.F((double)b.WarmupPeakRssBytes / a.WarmupPeakRssBytes) + "×");
            }
            figures.Info(Section, "rows streamed (small / large)", $"{a.Rows:N0} / {b.Rows:N0} in {a.Seconds:0.0} / {b.Seconds:0.0} s");
        }

        private static string Mb(long bytes) => Figures.F(bytes / 1048576.0, "0.0") + " MB";

        private static string Describe(Measurement m)
            => $"{m.Rows:N0} rows ({m.NonCompliant:N0} non-compliant, {m.Violators:N0} violators), {m.Calls:N0} calls, {m.Seconds:0.0} s; "
               + $"live managed: steady-state peak {Mb(m.PeakLiveManagedBytes)}, median {Mb(m.MedianLiveManagedBytes)} ({m.Samples} samples), highest {Mb(m.HighestLiveManagedBytes)}; "
               + $"peak RSS {Mb(m.PeakRssBytes)} (warm-up {Mb(m.WarmupPeakRssBytes)}); GC committed {Mb(m.GcCommittedBytes)}, JIT compiled {m.JitCompiledIlBytes:N0} IL bytes";

        private static async Task<Measurement> MeasureAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess sandbox, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("dotnet");
            start.ArgumentList.Add(BenchEnvironment.SelfDll);
            start.ArgumentList.Add(ChildFlag);
            start.Environment["FMSBENCH_ENDPOINT"] = sandbox.Endpoint;
            start.Environment["FMSBENCH_REGION"] = sandbox.Region;
            start.Environment["FMSBENCH_ACCESS_KEY"] = sandbox.AccessKeyId;
            start.Environment["FMSBENCH_SECRET_KEY"] = sandbox.SecretAccessKey;
            start.Environment["FMSBENCH_WARMUP_ROWS"] = sizes.ReportWarmupRows.ToString(CultureInfo.InvariantCulture);
            start.Environment["FMSBENCH_EXPECTED_ROWS"] = (await CountRowsAsync(sandbox, cancellationToken).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException("The report-memory child failed: " + ScanBenchmark.Tail(stderr + stdout));
            var line = stdout.Trim();
            var lastLine = line.Substring(line.LastIndexOf('\n') + 1);
            return JsonSerializer.Deserialize<Measurement>(lastLine, new JsonSerializerOptions { IncludeFields = true })
                ?? throw new InvalidOperationException("The report-memory child printed nothing.");
        }

        /// <summary>
        /// Bytes live after a full blocking, compacting collection, as that collection measured them. Not
        /// GC.GetTotalMemory(true): it reads the total after the collection, when the producers (other threads) have
        /// already allocated again, which showed up as spikes of several MB that were not live data.
        /// </summary>
        private static long LiveHeapBytes()
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            return info.HeapSizeBytes - info.FragmentedBytes;
        }

        /// <summary>Policy × account rows the report will have (every ListComplianceStatus page of every policy; not timed).</summary>
        private static async Task<long> CountRowsAsync(SandboxProcess sandbox, CancellationToken cancellationToken)
        {
            using var session = sandbox.AdminSession(maxAttempts: 10);
            long rows = 0;
            var policies = await session.Fms.ListPoliciesAsync(new ListPoliciesRequest(), cancellationToken).ConfigureAwait(false);
            if (policies.NextToken != null) throw new InvalidOperationException("More than one page of policies.");
            foreach (var policy in policies.PolicyList ?? new System.Collections.Generic.List<PolicySummary>())
            {
                string? token = null;
                do
                {
                    var page = await session.Fms.ListComplianceStatusAsync(new ListComplianceStatusRequest { PolicyId = policy.PolicyId, NextToken = token }, cancellationToken)
                        .ConfigureAwait(false);
                    rows += page.PolicyComplianceStatusList?.Count ?? 0;
                    token = page.NextToken;
                } while (token != null);
            }
            return rows;
        }

        /// <summary>
        /// The child: builds the report and drops every row. Live managed memory is read with a full collection at
        /// <see cref="SampleCount"/> points evenly spaced over the steady state; peak RSS is the kernel's VmHWM.
        /// </summary>
        public static async Task<int> ChildAsync()
        {
            string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException(name + " is not set.");
            using var session = AwsSessionFactory.Create(new AwsConnectionOptions
            {
                EndpointUrl = Env("FMSBENCH_ENDPOINT"), Region = Env("FMSBENCH_REGION"),
                AccessKey = Env("FMSBENCH_ACCESS_KEY"), SecretKey = Env("FMSBENCH_SECRET_KEY"), MaxAttempts = 1,
            });
            var measurement = new Measurement();
            // Warm-up: the first rows of a build (the same number at every size: JIT tiering and GC sizing are start-up
            // costs, not per-row ones), then a fresh peak.
            var warmupRows = long.Parse(Env("FMSBENCH_WARMUP_ROWS"), CultureInfo.InvariantCulture);
            var warmup = new ComplianceReportBuilder(_ => session.Fms, OrganizationDirectory.Empty);
            long warmRows = 0;
            await foreach (var row in warmup.BuildAsync(new ComplianceReportRequest { Regions = { session.Region } }).ConfigureAwait(false))
                if (++warmRows >= warmupRows) break;
            GC.Collect();
            measurement.WarmupPeakRssBytes = ChildProcesses.Memory(Environment.ProcessId)?.PeakRss ?? 0;
            // Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak below is the measured build's own.
            if (System.IO.File.Exists("/proc/self/clear_refs")) System.IO.File.WriteAllText("/proc/self/clear_refs", "5");
            var builder = new ComplianceReportBuilder(_ => session.Fms, OrganizationDirectory.Empty);
            var expectedRows = long.Parse(Env("FMSBENCH_EXPECTED_ROWS"), CultureInfo.InvariantCulture);
            // Steady state: from 10% to 70% of the rows every policy is still being read at both sizes (the start and the
            // tail, where policies finish one by one, are a larger share of a small build).
            var windowStart = expectedRows / 10;
            var checkpointRows = Math.Max(1, expectedRows * 6 / 10 / SampleCount);
            var nextCheckpoint = windowStart;
            var samples = new System.Collections.Generic.List<long>();
            var everywhere = 0L;
            var watch = Stopwatch.StartNew();
            await foreach (var row in builder.BuildAsync(new ComplianceReportRequest { Regions = { session.Region } }).ConfigureAwait(false))
            {
                measurement.Rows++;
                if (row.Status == nameof(FmsComplianceState.NonCompliant))
                {
                    measurement.NonCompliant++;
                    measurement.Violators += row.Violations.Count;
                }
                if (measurement.Rows >= nextCheckpoint)
                {
                    var live = LiveHeapBytes();
                    if (samples.Count < SampleCount) samples.Add(live);
                    everywhere = Math.Max(everywhere, live);
                    nextCheckpoint += checkpointRows;
                }
            }
            measurement.Seconds = watch.Elapsed.TotalSeconds;
            measurement.HighestLiveManagedBytes = everywhere;
            samples.Sort();
            measurement.Samples = samples.Count;
            measurement.PeakLiveManagedBytes = samples.Count == 0 ? 0 : samples[samples.Count - 1];
            measurement.MedianLiveManagedBytes = samples.Count == 0 ? 0 : samples[samples.Count / 2];
            measurement.PeakRssBytes = ChildProcesses.Memory(Environment.ProcessId)?.PeakRss ?? 0;
            measurement.Calls = builder.Statistics.TotalCalls;
            measurement.JitCompiledIlBytes = System.Runtime.JitInfo.GetCompiledILBytes();
            measurement.GcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (builder.Statistics.Errors.Count > 0)
            {
                Console.Error.WriteLine("The report had errors: " + builder.Statistics.Errors[0].Message);
                return 1;
            }
            Console.WriteLine(JsonSerializer.Serialize(measurement, new JsonSerializerOptions { IncludeFields = true }));
            return 0;
        }
    }
}
