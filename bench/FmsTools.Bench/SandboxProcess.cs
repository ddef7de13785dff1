using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;

namespace FmsTools.Bench
{
    /// <summary>fms-sandbox in a child process on 127.0.0.1 (its own memory, its own CPU accounting).</summary>
    internal sealed class SandboxProcess : IDisposable
    {
        private static readonly HttpClient Admin = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        private readonly Process _process;

        private SandboxProcess(Process process, JsonElement ready, string? requestLogPath)
        {
            _process = process;
            Endpoint = ready.GetProperty("endpoint").GetString()!;
            Region = ready.GetProperty("region").GetString()!;
            AccessKeyId = ready.GetProperty("accessKeyId").GetString()!;
            SecretAccessKey = ready.GetProperty("secretAccessKey").GetString()!;
            ManagementAccessKeyId = ready.GetProperty("managementAccessKeyId").GetString()!;
            ManagementSecretAccessKey = ready.GetProperty("managementSecretAccessKey").GetString()!;
            AdminAccountId = ready.GetProperty("adminAccountId").GetString()!;
            Pid = ready.GetProperty("pid").GetInt32();
            RequestLogPath = requestLogPath;
        }

        public string Endpoint { get; }
        public string Region { get; }
        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string ManagementAccessKeyId { get; }
        public string ManagementSecretAccessKey { get; }
        public string AdminAccountId { get; }
        public int Pid { get; }
        public string? RequestLogPath { get; }

        /// <summary>Starts fms-sandbox and waits (bounded) for its ready line.</summary>
        public static async Task<SandboxProcess> StartAsync(BenchEnvironment env, int accounts, int resourcesPerAccount, int seed, string? requestLogPath = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(env.SandboxServerDll);
            foreach (var arg in new[] { "--port", "0", "--accounts", Invariant(accounts), "--resources", Invariant(resourcesPerAccount), "--seed", Invariant(seed) })
                start.ArgumentList.Add(arg);
            if (requestLogPath != null)
            {
                start.ArgumentList.Add("--request-log");
                start.ArgumentList.Add(requestLogPath);
            }
            var process = ChildProcesses.Start(start);
            var errors = new StringBuilder();
            process.ErrorDataReceived += (sender, e) => { if (e.Data != null) lock (errors) errors.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            try
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                if (string.IsNullOrEmpty(line)) throw new InvalidOperationException("fms-sandbox exited before it was ready: " + errors);
                using var ready = JsonDocument.Parse(line);
                // Nothing else is read from stdout; discard it so the pipe never fills.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return new SandboxProcess(process, ready.RootElement.Clone(), requestLogPath);
            }
            catch
            {
                ChildProcesses.Kill(process);
                throw;
            }
        }

        public AwsSession AdminSession(string? region = null, int maxAttempts = 1) => Session(AccessKeyId, SecretAccessKey, region, maxAttempts);

        public AwsSession ManagementSession(int maxAttempts = 1) => Session(ManagementAccessKeyId, ManagementSecretAccessKey, null, maxAttempts);

        private AwsSession Session(string accessKey, string secretKey, string? region, int maxAttempts) => AwsSessionFactory.Create(new AwsConnectionOptions
        {
            EndpointUrl = Endpoint,
            AccessKey = accessKey,
            SecretKey = secretKey,
            Region = region ?? Region,
            MaxAttempts = maxAttempts,
        });

        /// <summary>Per-operation token bucket through the admin API (POST /_sandbox/ratelimits).</summary>
        public async Task SetRateLimitAsync(string operation, double ratePerSecond, int burst)
        {
            var body = JsonSerializer.Serialize(new { key = operation, ratePerSecond, burst });
            using var response = await Admin.PostAsync(Endpoint + "/_sandbox/ratelimits", new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        public async Task ClearRateLimitsAsync()
        {
            using var response = await Admin.DeleteAsync(Endpoint + "/_sandbox/ratelimits").ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        /// <summary>Bytes in the request log file now (a mark to count requests from).</summary>
        public long RequestLogMark() => RequestLogPath != null && File.Exists(RequestLogPath) ? new FileInfo(RequestLogPath).Length : 0;

        /// <summary>Requests the sandbox logged after <paramref name="mark"/>, by operation, and how many of them it throttled.</summary>
        public ServerCallCounts CountRequestsSince(long mark)
        {
            if (RequestLogPath == null) throw new InvalidOperationException("The sandbox was started without a request log file.");
            var counts = new ServerCallCounts();
            using var stream = new FileStream(RequestLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(mark, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                if (line.Length == 0) continue;
                using var entry = JsonDocument.Parse(line);
                var service = entry.RootElement.GetProperty("service").GetString() ?? "";
                if (service == "sandbox") continue;
                var operation = entry.RootElement.GetProperty("operation").GetString() ?? "";
                var status = entry.RootElement.GetProperty("httpStatus").GetInt32();
                var outcome = entry.RootElement.GetProperty("outcome").GetString() ?? "";
                counts.Add(operation, throttled: status == 429 || outcome.IndexOf("Throttl", StringComparison.OrdinalIgnoreCase) >= 0);
            }
            return counts;
        }

        public (long Rss, long PeakRss)? Memory() => ChildProcesses.Memory(Pid);

        public void Dispose() => ChildProcesses.Kill(_process);

        private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Requests counted on the server side, per operation.</summary>
    internal sealed class ServerCallCounts
    {
        public SortedDictionary<string, long> Calls { get; } = new SortedDictionary<string, long>(StringComparer.Ordinal);
        public SortedDictionary<string, long> Throttled { get; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

        public long Total => Calls.Values.Sum();
        public long TotalThrottled => Throttled.Values.Sum();

        public long Of(string operation) => Calls.TryGetValue(operation, out var n) ? n : 0;

        public void Add(string operation, bool throttled)
        {
            Calls[operation] = Of(operation) + 1;
            if (throttled) Throttled[operation] = (Throttled.TryGetValue(operation, out var t) ? t : 0) + 1;
        }

        public override string ToString() => string.Join(", ", Calls.Select(c => $"{c.Key} {c.Value}" + (Throttled.TryGetValue(c.Key, out var t) ? $" ({t} throttled)" : "")));
    }
}
