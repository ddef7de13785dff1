using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>
    /// 5. Import-Module time in the repository's pwsh: FmsTools against Microsoft.PowerShell.PSResourceGet (a binary module
    /// with dependencies, formats and a nested script module, shipped with PowerShell), each imported in fresh
    /// `pwsh -NoProfile` processes, alternating, so that both see the same machine. Medians of wall-clock time (the
    /// figure) and of the process's CPU time during the import (steadier when other work shares the cores).
    /// </summary>
    internal static class ModuleImportBenchmark
    {
        private const string Section = "5. Module import (pwsh)";
        private const string Peer = "Microsoft.PowerShell.PSResourceGet";

        // Stopwatch and CPU time around Import-Module only (pwsh's own start-up is outside), printed as ticks (integers print
        // the same in every culture).
        private const string Measure = "$p = [Diagnostics.Process]::GetCurrentProcess(); $c = $p.TotalProcessorTime; $s = [Diagnostics.Stopwatch]::StartNew(); "
            + "Import-Module $env:FMSBENCH_MODULE; $w = $s.Elapsed.Ticks; $p.Refresh(); \"$w $(($p.TotalProcessorTime - $c).Ticks)\"";

        public static async Task RunAsync(BenchEnvironment env, BenchSizes sizes, Figures figures)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {Section}: Import-Module in fresh `pwsh -NoProfile` processes, alternating with its peers, median of {sizes.ImportRuns}");
            if (env.Pwsh == null)
            {
                figures.Info(Section, "Import-Module FmsTools", "pwsh not available (dotnet tool restore failed and no pwsh on PATH)");
                return;
            }
            var manifest = PowerShellProcess.FindManifest(env.RepoRoot);
            if (manifest == null)
            {
                figures.Info(Section, "Import-Module FmsTools", "module not laid out (run ./build.ps1 -Task Build)");
                return;
            }
            Console.WriteLine($"  pwsh {env.PwshVersion} ({env.Pwsh}); FmsTools from {manifest}");
            var modules = new List<(string Name, string Import)> { ("FmsTools", manifest), (Peer, Peer) };
            if (!sizes.Quick)
            {
                modules.Add(("PSReadLine", "PSReadLine"));
                modules.Add(("Microsoft.PowerShell.ThreadJob", "Microsoft.PowerShell.ThreadJob"));
            }
            // One untimed round first: the first process to read a module's files pays the disk, not the import.
            foreach (var module in modules) await ImportAsync(env, module.Import).ConfigureAwait(false);
            var wall = modules.ToDictionary(m => m.Name, _ => new List<double>());
            var cpu = modules.ToDictionary(m => m.Name, _ => new List<double>());
            for (var run = 0; run < sizes.ImportRuns; run++)
            {
                // Alternating, and the order rotated each round so that neither module always follows the other.
                for (var i = 0; i < modules.Count; i++)
                {
                    var module = modules[(i + run) % modules.Count];
                    var (w, c) = await ImportAsync(env, module.Import).ConfigureAwait(false);
                    wall[module.Name].Add(w);
                    cpu[module.Name].Add(c);
                }
            }
            foreach (var module in modules)
                Console.WriteLine($"  {module.Name}: wall {string.Join(" ", wall[module.Name].OrderBy(v => v).Select(v => Figures.F(v, "0")))} ms; "
                    + $"CPU {string.Join(" ", cpu[module.Name].OrderBy(v => v).Select(v => Figures.F(v, "0")))} ms");
            double Median(List<double> values) { var sorted = values.OrderBy(v => v).ToList(); return sorted[sorted.Count / 2]; }
            var ours = Median(wall["FmsTools"]);
            var peer = Median(wall[Peer]);
            figures.AtMost(Section, $"Import-Module FmsTools ÷ {Peer}, wall clock ({Figures.F(ours, "0")} vs {Figures.F(peer, "0")} ms, medians of {sizes.ImportRuns})",
                ours / peer, 1.3);
            figures.Info(Section, $"  same, CPU time of the importing process ({Figures.F(Median(cpu["FmsTools"]), "0")} vs {Figures.F(Median(cpu[Peer]), "0")} ms)",
                Figures.F(Median(cpu["FmsTools"]) / Median(cpu[Peer])) + "×");
            foreach (var other in modules.Skip(2))
                figures.Info(Section, $"  Import-Module {other.Name}, wall clock (same runs)", Figures.F(Median(wall[other.Name]), "0") + " ms");
        }

        /// <summary>Wall-clock and CPU milliseconds of one Import-Module in a fresh pwsh.</summary>
        private static async Task<(double Wall, double Cpu)> ImportAsync(BenchEnvironment env, string module)
        {
            var start = PowerShellProcess.Start(env, null, "-Command", Measure);
            start.Environment["FMSBENCH_MODULE"] = module;
            var line = await PowerShellProcess.RunAsync(start, TimeSpan.FromSeconds(120), "Import-Module " + module).ConfigureAwait(false);
            var parts = line.Split(' ');
            if (parts.Length != 2) throw new InvalidOperationException($"Import-Module {module} printed '{line}' instead of two tick counts.");
            return (long.Parse(parts[0], CultureInfo.InvariantCulture) / 10000.0, long.Parse(parts[1], CultureInfo.InvariantCulture) / 10000.0);
        }
    }
}
