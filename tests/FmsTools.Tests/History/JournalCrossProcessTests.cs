using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using FmsTools.Engine.History;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Several real OS processes (tests/Fixtures/FmsTools.JournalWriter) append to one journal folder at the same time,
    /// as several PowerShell sessions would: the file lock must keep every line whole and separate.
    /// </summary>
    public sealed class JournalCrossProcessTests
    {
        private const int Processes = 4;
        private const int PerProcess = 25;

        // Large lines (well over one write buffer) make a torn or interleaved line show up as bad JSON or a foreign payload.
        private const int PayloadBytes = 64 * 1024;

        [Fact]
        public async System.Threading.Tasks.Task Writers_in_separate_processes_append_whole_lines_that_all_parse()
        {
            var writerDll = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.JournalWriter", "bin", RepoPaths.Configuration,
                Path.GetFileName(RepoPaths.TestOutput.TrimEnd(Path.DirectorySeparatorChar)), "FmsTools.JournalWriter.dll");
            Assert.True(File.Exists(writerDll), $"the journal writer fixture is not built at {writerDll}");
            var folder = TempFolder.Create();
            var writers = new List<(string Name, Process Process)>();
            try
            {
                for (var w = 0; w < Processes; w++)
                {
                    var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
                    {
                        RedirectStandardInput = true,
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        UseShellExecute = false,
                    };
                    var name = "writer" + w;
                    foreach (var arg in new[] { writerDll, folder, name, PerProcess.ToString(), PayloadBytes.ToString() }) start.ArgumentList.Add(arg);
                    writers.Add((name, Process.Start(start)!));
                }
                // Every writer is loaded and waiting before any gets the start signal.
                foreach (var (name, process) in writers)
                {
                    var first = process.StandardOutput.ReadLine();
                    if (first != "ready") Assert.Fail($"{name} did not start ({first}): {process.StandardError.ReadToEnd()}");
                }
                foreach (var (_, process) in writers)
                {
                    process.StandardInput.WriteLine("go");
                    process.StandardInput.Flush();
                }
                foreach (var (name, process) in writers)
                {
                    var stderr = process.StandardError.ReadToEndAsync();
                    Assert.True(process.WaitForExit(120_000), $"{name} did not finish within 120 s");
                    var errors = await stderr;
                    Assert.True(process.ExitCode == 0, $"{name} exited {process.ExitCode}: {errors}");
                }
            }
            finally
            {
                foreach (var (_, process) in writers)
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                    process.Dispose();
                }
            }

            var file = Assert.Single(Directory.GetFiles(folder));
            var text = File.ReadAllText(file);
            Assert.EndsWith("\n", text);
            var lines = text.Split('\n').Take(text.Split('\n').Length - 1).ToList();
            Assert.Equal(Processes * PerProcess, lines.Count);
            var seen = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var writer = root.GetProperty("targetId").GetString()!;
                // The line carries its own writer's payload, whole: nothing of another line is inside it.
                Assert.Equal(Payload(writer), root.GetProperty("beforeDocument").GetString());
                var id = root.GetProperty("id").GetString()!;
                Assert.StartsWith(writer + "-", id);
                if (!seen.TryGetValue(writer, out var numbers)) seen[writer] = numbers = new List<int>();
                numbers.Add(int.Parse(id.Substring(writer.Length + 1)));
            }
            // Each process's entries are all there, in the order it appended them.
            Assert.Equal(Enumerable.Range(0, Processes).Select(w => "writer" + w), seen.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var numbers in seen.Values) Assert.Equal(Enumerable.Range(0, PerProcess), numbers);

            var bad = new List<string>();
            var read = await new ChangeJournalStore(folder).ReadAllAsync(bad.Add, CancellationToken.None);
            Assert.Empty(bad);
            Assert.Equal(Processes * PerProcess, read.Select(e => e.Id).Distinct().Count());
            Assert.All(read, e => Assert.Equal(ChangeTargetType.AppsList, e.TargetTypeValue));
        }

        /// <summary>The fixture's payload, written out here independently: the writer's name and a bar, repeated to the size.</summary>
        private static string Payload(string writer)
        {
            var unit = writer + "|";
            var repeated = string.Concat(Enumerable.Repeat(unit, PayloadBytes / unit.Length + 1));
            return repeated.Substring(0, PayloadBytes);
        }
    }
}
