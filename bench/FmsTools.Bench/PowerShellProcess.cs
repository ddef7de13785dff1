using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>Fresh `pwsh -NoProfile -NonInteractive` processes of the repository's PowerShell, and the laid-out module they import.</summary>
    internal static class PowerShellProcess
    {
        /// <summary>The newest laid-out module manifest under out/FmsTools (build.ps1 -Task Build), or null.</summary>
        public static string? FindManifest(string root)
        {
            var outDir = Path.Combine(root, "out", "FmsTools");
            if (!Directory.Exists(outDir)) return null;
            return Directory.GetFiles(outDir, "FmsTools.psd1", SearchOption.AllDirectories).OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault();
        }

        /// <summary>
        /// A start description for pwsh with <paramref name="arguments"/> after the standard switches. The child gets no
        /// AWS configuration of the user's (empty config and credentials files of this run, no profile) and, when given,
        /// the sandbox's key pair in the environment, never on its command line.
        /// </summary>
        public static ProcessStartInfo Start(BenchEnvironment env, SandboxProcess? sandbox, params string[] arguments)
        {
            var start = new ProcessStartInfo(env.Pwsh!) { WorkingDirectory = env.WorkDirectory };
            foreach (var arg in new[] { "-NoProfile", "-NonInteractive" }.Concat(arguments)) start.ArgumentList.Add(arg);
            start.Environment.Remove("AWS_SESSION_TOKEN");
            start.Environment.Remove("AWS_PROFILE");
            start.Environment.Remove("AWS_ACCESS_KEY_ID");
            start.Environment.Remove("AWS_SECRET_ACCESS_KEY");
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment["NO_COLOR"] = "1";
            foreach (var (variable, file) in new[] { ("AWS_CONFIG_FILE", "aws-config"), ("AWS_SHARED_CREDENTIALS_FILE", "aws-credentials") })
            {
                var path = Path.Combine(env.WorkDirectory, file);
                if (!File.Exists(path)) File.WriteAllText(path, "");
                start.Environment[variable] = path;
            }
            if (sandbox != null)
            {
                start.Environment["AWS_ACCESS_KEY_ID"] = sandbox.AccessKeyId;
                start.Environment["AWS_SECRET_ACCESS_KEY"] = sandbox.SecretAccessKey;
            }
            return start;
        }

        /// <summary>Runs pwsh to completion; the last line of its output, or an exception with its error output.</summary>
        public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan limit, string what)
        {
            var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, limit).ConfigureAwait(false);
            var lines = stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (exit != 0 || lines.Count == 0)
                throw new InvalidOperationException($"{what} failed (pwsh exited {exit}): " + ScanBenchmark.Tail(stderr + stdout));
            return lines[lines.Count - 1];
        }
    }
}
