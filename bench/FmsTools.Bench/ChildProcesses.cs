using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Bench
{
    /// <summary>
    /// Every process the benchmarks start: killed (with its tree) when disposed, on Ctrl+C and at exit, so no
    /// sandbox or moto server outlives a run whatever happens.
    /// </summary>
    internal static class ChildProcesses
    {
        private static readonly object Gate = new object();
        private static readonly List<Process> Running = new List<Process>();
        private static int _hooked;

        public static Process Start(ProcessStartInfo start)
        {
            Hook();
            start.UseShellExecute = false;
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + start.FileName);
            lock (Gate) Running.Add(process);
            return process;
        }

        public static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            lock (Gate) Running.Remove(process);
            process.Dispose();
        }

        public static void KillAll()
        {
            List<Process> all;
            lock (Gate) all = new List<Process>(Running);
            foreach (var process in all) Kill(process);
        }

        private static void Hook()
        {
            if (Interlocked.Exchange(ref _hooked, 1) != 0) return;
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => KillAll();
            Console.CancelKeyPress += (sender, e) => KillAll();
        }

        /// <summary>Runs a command to completion within a time limit; the output and exit code, or a timeout exception.</summary>
        public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(ProcessStartInfo start, TimeSpan limit)
        {
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var process = Start(start);
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using (var timeout = new CancellationTokenSource(limit))
                {
                    try
                    {
                        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new TimeoutException($"{start.FileName} {string.Join(" ", start.ArgumentList)} did not finish within {limit.TotalSeconds:0} s.");
                    }
                }
                return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            }
            finally
            {
                Kill(process);
            }
        }

        /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot report the port they bound).</summary>
        public static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
            finally { listener.Stop(); }
        }

        /// <summary>VmRSS and VmHWM (peak) of a process in bytes, from /proc; null where /proc is missing.</summary>
        public static (long Rss, long PeakRss)? Memory(int pid)
        {
            var path = "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status";
            if (!File.Exists(path)) return null;
            long rss = 0, peak = 0;
            foreach (var line in File.ReadAllLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) * 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line) * 1024;
            }
            return (rss, peak);
        }

        private static long Kilobytes(string line)
        {
            var digits = new StringBuilder();
            foreach (var c in line) if (c >= '0' && c <= '9') digits.Append(c);
            return long.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        }
    }
}
