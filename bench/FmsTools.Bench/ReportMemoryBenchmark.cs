using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
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
        private const int CheckpointRows = 2000;

        internal sealed class Measurement
        {
            public long Rows;
            public long NonCompliant;
            public long Violators;
            public long PeakLiveManagedBytes;
            public long PeakRssBytes;
            public double Seconds;
            public long Calls;
        }

        public static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, SandboxProcess small, SandboxProcess large, Figures figures,
            CancellationToken cancellationToken)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}: report over {sizes.ScanPolicies} policies at {sizes.ScanAccounts:N0} and {sizes.LargeAccounts:N0} accounts, rows consumed and dropped");
            var a = await MeasureAsync(env, small, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  {sizes.ScanAccounts:N0} accounts: {Describe(a)}");
            var b = await MeasureAsync(env, large, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  {sizes.LargeAccounts:N0} accounts: {Describe(b)}");
            if (b.Rows < a.Rows * 5) throw new InvalidOperationException($"The large report has {b.Rows} rows, the small one {a.Rows}: the organizations are not comparable.");
            figures.AtMost(Section, $"peak live managed memory, {sizes.LargeAccounts:N0} ÷ {sizes.ScanAccounts:N0} accounts ({Mb(b.PeakLiveManagedBytes)} vs {Mb(a.PeakLiveManagedBytes)})",
                (double)b.PeakLiveManagedBytes / a.PeakLiveManagedBytes, 1.2);
            if (a.PeakRssBytes > 0)
                figures.AtMost(Section, $"peak resident memory (VmHWM), {sizes.LargeAccounts:N0} ÷ {sizes.ScanAccounts:N0} accounts ({Mb(b.PeakRssBytes)} vs {Mb(a.PeakRssBytes)})",
                    (double)b.PeakRssBytes / a.PeakRssBytes, 1.2);
            figures.Info(Section, "rows streamed (small / large)", $"{a.Rows:N0} / {b.Rows:N0} in {a.Seconds:0.0} / {b.Seconds:0.0} s");
        }

        private static string Mb(long bytes) => Figures.F(bytes / 1048576.0, "0.0") + " MB";

        private static string Describe(Measurement m)
            => $"{m.Rows:N0} rows ({m.NonCompliant:N0} non-compliant, {m.Violators:N0} violators), {m.Calls:N0} calls, {m.Seconds:0.0} s; "
               + $"peak live managed {Mb(m.PeakLiveManagedBytes)}, peak RSS {Mb(m.PeakRssBytes)}";

        private static async Task<Measurement> MeasureAsync(BenchEnvironment env, SandboxProcess sandbox, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("dotnet");
            start.ArgumentList.Add(BenchEnvironment.SelfDll);
            start.ArgumentList.Add(ChildFlag);
            start.Environment["FMSBENCH_ENDPOINT"] = sandbox.Endpoint;
            start.Environment["FMSBENCH_REGION"] = sandbox.Region;
            start.Environment["FMSBENCH_ACCESS_KEY"] = sandbox.AccessKeyId;
            start.Environment["FMSBENCH_SECRET_KEY"] = sandbox.SecretAccessKey;
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException("The report-memory child failed: " + ScanBenchmark.Tail(stderr + stdout));
            var line = stdout.Trim();
            var lastLine = line.Substring(line.LastIndexOf('\n') + 1);
            return JsonSerializer.Deserialize<Measurement>(lastLine, new JsonSerializerOptions { IncludeFields = true })
                ?? throw new InvalidOperationException("The report-memory child printed nothing.");
        }

        /// <summary>
        /// The child: builds the report and drops every row. Live managed memory is read with a full collection every
        /// <see cref="CheckpointRows"/> rows and at the end; peak RSS is the kernel's VmHWM.
        /// </summary>
        public static async Task<int> ChildAsync()
        {
            string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException(name + " is not set.");
            using var session = AwsSessionFactory.Create(new AwsConnectionOptions
            {
                EndpointUrl = Env("FMSBENCH_ENDPOINT"), Region = Env("FMSBENCH_REGION"),
                AccessKey = Env("FMSBENCH_ACCESS_KEY"), SecretKey = Env("FMSBENCH_SECRET_KEY"), MaxAttempts = 1,
            });
            var builder = new ComplianceReportBuilder(_ => session.Fms, OrganizationDirectory.Empty);
            var measurement = new Measurement();
            long nextCheckpoint = CheckpointRows;
            var watch = Stopwatch.StartNew();
            await foreach (var row in builder.BuildAsync(new ComplianceReportRequest { Regions = { session.Region } }).ConfigureAwait(false))
            {
                measurement.Rows++;
                if (row.Status == FmsComplianceState.NonCompliant)
                {
                    measurement.NonCompliant++;
                    measurement.Violators += row.Violations.Count;
                }
                if (measurement.Rows >= nextCheckpoint)
                {
                    measurement.PeakLiveManagedBytes = Math.Max(measurement.PeakLiveManagedBytes, GC.GetTotalMemory(forceFullCollection: true));
                    nextCheckpoint += CheckpointRows;
                }
            }
            measurement.Seconds = watch.Elapsed.TotalSeconds;
            measurement.PeakLiveManagedBytes = Math.Max(measurement.PeakLiveManagedBytes, GC.GetTotalMemory(forceFullCollection: true));
            measurement.PeakRssBytes = ChildProcesses.Memory(Environment.ProcessId)?.PeakRss ?? 0;
            measurement.Calls = builder.Statistics.TotalCalls;
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
