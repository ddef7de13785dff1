using System;
using System.Diagnostics;
using System.IO;

namespace FmsTools.Tests.Aws
{
    /// <summary>Finds Python tooling the wire tests compare against, once per test run.</summary>
    public static class PythonTooling
    {
        private static readonly Lazy<(string? Path, string Problem)> BotocoreLazy = new Lazy<(string?, string)>(() =>
        {
            var (ok, output) = Run("python3", "-c \"import botocore,os;print(os.path.dirname(botocore.__file__))\"");
            if (!ok) return (null, "python3 with botocore is not available: " + output);
            var path = output.Trim();
            return Directory.Exists(Path.Combine(path, "data")) ? (path, "") : (null, "botocore has no data directory at " + path);
        });

        private static readonly Lazy<string> MotoProblemLazy = new Lazy<string>(() =>
        {
            var (ok, output) = Run("python3", "-c \"import moto.server, boto3, flask\"");
            return ok ? "" : "python3 with moto[server] and boto3 is not available: " + output;
        });

        /// <summary>botocore's package directory, or null with <see cref="BotocoreProblem"/> saying why.</summary>
        public static string? BotocorePath => BotocoreLazy.Value.Path;

        public static string BotocoreProblem => BotocoreLazy.Value.Problem;

        public static string MotoProblem => MotoProblemLazy.Value;

        public static string RequireBotocore() => BotocorePath ?? throw new InvalidOperationException(
            "FMSTOOLS_REQUIRE_CONFORMANCE=1 but " + BotocoreProblem);

        public static (bool Ok, string Output) Run(string file, string arguments, int timeoutMs = 60000)
        {
            try
            {
                var psi = new ProcessStartInfo(file, arguments)
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                using var process = Process.Start(psi)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(timeoutMs))
                {
                    process.Kill(entireProcessTree: true);
                    return (false, $"{file} timed out");
                }
                return (process.ExitCode == 0, process.ExitCode == 0 ? stdout.Result : stderr.Result.Trim());
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (false, e.Message);
            }
        }
    }
}
