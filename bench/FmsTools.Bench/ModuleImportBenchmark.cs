using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>5. Import-Module time in pwsh, where pwsh and a laid-out module exist (reported, not asserted).</summary>
    internal static class ModuleImportBenchmark
    {
        private const string Section = "5. Module import";

        public static async Task RunAsync(BenchEnvironment env, Figures figures)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}");
            if (env.Pwsh == null)
            {
                figures.Info(Section, "Import-Module FmsTools", "pwsh not available");
                return;
            }
            var manifest = FindManifest(env.RepoRoot);
            if (manifest == null)
            {
                figures.Info(Section, "Import-Module FmsTools", "module not laid out (run ./build.ps1 -Task Build or the layout step of .ci/run)");
                return;
            }
            // Three fresh pwsh processes; the median import time (pwsh's own start-up is outside the stopwatch).
            var times = new double[3];
            for (var i = 0; i < times.Length; i++)
            {
                var start = new ProcessStartInfo(env.Pwsh);
                foreach (var arg in new[] { "-NoProfile", "-NonInteractive", "-Command",
                    "$s = [Diagnostics.Stopwatch]::StartNew(); Import-Module '" + manifest.Replace("'", "''") + "'; $s.Elapsed.TotalMilliseconds" })
                    start.ArgumentList.Add(arg);
                var (exit, stdout, stderr) = await ChildProcesses.RunAsync(start, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                if (exit != 0) throw new InvalidOperationException("Import-Module failed: " + ScanBenchmark.Tail(stderr));
                times[i] = double.Parse(stdout.Trim().Split('\n').Last().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            Array.Sort(times);
            figures.Info(Section, "Import-Module FmsTools (median of 3 fresh pwsh processes)", Figures.F(times[1], "0") + " ms");
        }

        private static string? FindManifest(string root)
        {
            var outDir = Path.Combine(root, "out", "FmsTools");
            if (!Directory.Exists(outDir)) return null;
            return Directory.GetFiles(outDir, "FmsTools.psd1", SearchOption.AllDirectories).OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault();
        }
    }
}
