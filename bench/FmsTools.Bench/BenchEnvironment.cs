using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace FmsTools.Bench
{
    /// <summary>Sizes of one run: the full benchmark or the quick smoke run (same code paths, small numbers).</summary>
    internal sealed class BenchSizes
    {
        public bool Quick { get; private set; }

        /// <summary>Print the adaptive throttle's state every half second during the scan.</summary>
        public bool Trace { get; set; }

        /// <summary>Accounts of the organization the compliance scan reads (issue: 1,000).</summary>
        public int ScanAccounts { get; private set; }

        /// <summary>Policies of the scan (issue: 20, the FMS default quota per administrator and region).</summary>
        public int ScanPolicies { get; private set; } = 20;

        /// <summary>Resources per generated account (enough for every resource type the policies cover).</summary>
        public int ResourcesPerAccount { get; private set; } = 30;

        /// <summary>ListComplianceStatus and GetComplianceDetail requests per second the sandbox allows during the scan.</summary>
        public double ScanRatePerSecond { get; private set; }

        /// <summary>aws CLI invocations of the sequential CLI sample (each starts a Python process).</summary>
        public int CliInvocations { get; private set; }

        /// <summary>Time the sequential boto3 loop may take before it stops and the rest is extrapolated.</summary>
        public TimeSpan Boto3Budget { get; private set; }

        /// <summary>Time each request-rate measurement runs.</summary>
        public TimeSpan LoadDuration { get; private set; }

        /// <summary>Concurrency "N" of the load measurements.</summary>
        public int Concurrency { get; private set; } = 8;

        /// <summary>Accounts of the large organization (issue: 10,000) and its policies (issue: 50).</summary>
        public int LargeAccounts { get; private set; }
        public int LargePolicies { get; private set; } = 50;

        /// <summary>Rows of report built and dropped before the report-memory measurement starts (same at both sizes).</summary>
        public int ReportWarmupRows { get; private set; }

        /// <summary>Fresh pwsh processes per module in the import comparison (issue: a median of at least 7).</summary>
        public int ImportRuns { get; private set; }

        /// <summary>Rate limit of the large organization's report in pwsh (the scan's at full size; higher in the smoke run).</summary>
        public double LargeScanRatePerSecond { get; private set; }

        /// <summary>Rows the time-to-first-row run watches arrive before it stops the command.</summary>
        public int FirstRowRows { get; private set; }

        public static BenchSizes Full() => new BenchSizes
        {
            ScanAccounts = 1000,
            ScanRatePerSecond = 500,
            CliInvocations = 40,
            Boto3Budget = TimeSpan.FromSeconds(150),
            LoadDuration = TimeSpan.FromSeconds(3),
            LargeAccounts = 10000,
            ReportWarmupRows = 3000,
            ImportRuns = 9,
            LargeScanRatePerSecond = 500,
            FirstRowRows = 2000,
        };

        public static BenchSizes QuickRun() => new BenchSizes
        {
            Quick = true,
            ScanAccounts = 200,
            ScanRatePerSecond = 400,
            CliInvocations = 3,
            Boto3Budget = TimeSpan.FromSeconds(10),
            LoadDuration = TimeSpan.FromSeconds(0.5),
            // 1,500 (not 2,000) large accounts: the cmdlet path reads the whole large report in pwsh, and the smoke run must
            // stay inside .ci/run's 240 s on a busy machine; the report-memory section wants at least 5× the small one's rows.
            LargeAccounts = 1500,
            ReportWarmupRows = 1000,
            ImportRuns = 3,
            LargeScanRatePerSecond = 2000,
            FirstRowRows = 200,
        };
    }

    /// <summary>Where things are: the repository, the fms-sandbox build, python and the aws CLI.</summary>
    internal sealed class BenchEnvironment
    {
        public BenchEnvironment(string repoRoot, string configuration, string sandboxServerDll, string? python, string? awsCli, string? pwsh, string workDirectory,
            string? pwshVersion = null)
        {
            PwshVersion = pwshVersion;
            RepoRoot = repoRoot;
            Configuration = configuration;
            SandboxServerDll = sandboxServerDll;
            Python = python;
            AwsCli = awsCli;
            Pwsh = pwsh;
            WorkDirectory = workDirectory;
        }

        public string RepoRoot { get; }
        public string Configuration { get; }
        public string SandboxServerDll { get; }
        public string? Python { get; }
        public string? AwsCli { get; }
        /// <summary>The pwsh executable the PowerShell sections start (the repository's, from its tool manifest), or null.</summary>
        public string? Pwsh { get; }

        /// <summary>$PSVersionTable.PSVersion of <see cref="Pwsh"/>.</summary>
        public string? PwshVersion { get; }

        /// <summary>A temporary directory of this run (request logs, CLI config); deleted at the end.</summary>
        public string WorkDirectory { get; }

        public string PythonScript(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);

        /// <summary>The benchmark's own dll, to run a measurement in a fresh child process.</summary>
        public static string SelfDll => typeof(BenchEnvironment).Assembly.Location;

        public static BenchEnvironment Discover()
        {
            var root = FindRepoRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("Run fms-bench from inside the FmsTools repository (FmsTools.sln not found above " + AppContext.BaseDirectory + ").");
            var configuration = typeof(BenchEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "FmsBenchConfiguration")?.Value ?? "Release";
            var server = Path.Combine(root, "src", "FmsTools.Sandbox.Server", "bin", configuration, "net10.0", "fms-sandbox.dll");
            if (!File.Exists(server))
                throw new InvalidOperationException("fms-sandbox is not built: " + server + " (build bench/FmsTools.Bench, which builds it).");
            var work = Path.Combine(Path.GetTempPath(), "fms-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(work);
            var (pwsh, pwshVersion) = FindPwsh(root);
            return new BenchEnvironment(root, configuration, server, OnPath("python3"), OnPath("aws"), pwsh, work, pwshVersion);
        }

        /// <summary>
        /// The repository's PowerShell (.config/dotnet-tools.json pins 7.6.10): `dotnet pwsh` runs it, and it names its own
        /// executable (Join-Path $PSHOME pwsh), which the benchmarks start directly so that no dotnet tool shim sits between
        /// them and what they measure. The tool is restored once when `dotnet pwsh` cannot start it; a pwsh on PATH is the
        /// fallback when the tool cannot be had at all.
        /// </summary>
        private static (string? Path, string? Version) FindPwsh(string root)
        {
            const string ask = "(Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) + '|' + $PSVersionTable.PSVersion";
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var answer = RunQuietly(root, TimeSpan.FromSeconds(180), "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-Command", ask);
                var line = answer?.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains('|'));
                if (line != null)
                {
                    var parts = line.Split('|');
                    if (File.Exists(parts[0])) return (parts[0], parts[1]);
                }
                if (attempt == 0 && RunQuietly(root, TimeSpan.FromSeconds(300), "dotnet", "tool", "restore") == null) break;
            }
            var onPath = OnPath("pwsh");
            if (onPath == null) return (null, null);
            var version = RunQuietly(root, TimeSpan.FromSeconds(60), onPath, "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()");
            return (onPath, version?.Trim());
        }

        /// <summary>Standard output of a command that exited 0 within the limit, else null.</summary>
        private static string? RunQuietly(string workingDirectory, TimeSpan limit, string file, params string[] args)
        {
            try
            {
                var start = new System.Diagnostics.ProcessStartInfo(file)
                {
                    WorkingDirectory = workingDirectory,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var arg in args) start.ArgumentList.Add(arg);
                using var process = System.Diagnostics.Process.Start(start);
                if (process == null) return null;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit((int)limit.TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    return null;
                }
                stderr.Wait();
                return process.ExitCode == 0 ? stdout.Result : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        private static string? FindRepoRoot(string start)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FmsTools.sln"))) return dir.FullName;
            return null;
        }

        public static string? OnPath(string command)
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? "";
            foreach (var dir in path.Split(Path.PathSeparator))
            {
                if (string.IsNullOrEmpty(dir)) continue;
                var candidate = Path.Combine(dir, command);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}
