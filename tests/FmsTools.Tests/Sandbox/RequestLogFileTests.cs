using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>The request log's ring keeps the newest entries, and its JSON-lines file holds one serializer-shaped line per request.</summary>
    public class RequestLogFileTests
    {
        private static RequestLogEntry Entry(int n, string? caller) => new RequestLogEntry
        {
            Time = new DateTime(2026, 12, 7, 21, 30, n, 123, DateTimeKind.Utc).AddTicks(4567),
            SandboxTime = new DateTime(2026, 12, 8, 0, 0, n, DateTimeKind.Utc),
            Service = n % 2 == 0 ? "organizations" : "sandbox",
            Operation = n % 2 == 0 ? "ListAccounts" : "POST /_sandbox/clock/advance",
            CallerAccount = caller,
            Region = caller is null ? null : "eu-west-1",
            Mutating = n % 2 == 1,
            Outcome = n == 3 ? "ThrottlingException" : "Success",
            HttpStatus = n == 3 ? 400 : 200,
            RequestId = Guid.NewGuid().ToString(),
            DurationMs = n * 0.1 + 1.0 / 3,
            Injected = n == 3,
            DryRun = n == 4,
        };

        [Fact]
        public void The_ring_keeps_the_newest_entries_counts_them_all_and_the_file_has_every_one_as_the_serializer_writes_it()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "requests.jsonl");
            var entries = Enumerable.Range(0, 5).Select(n => Entry(n, n == 1 ? null : "123456789012")).ToList();
            entries[2].Operation = "Quote\"and+<html>&é";
            using (var log = new RequestLog(capacity: 3, jsonLinesPath: path))
            {
                foreach (var entry in entries) log.Add(entry);
                Assert.Equal(entries.Skip(2).Select(e => e.RequestId), log.Entries.Select(e => e.RequestId));
                Assert.Equal(5, log.TotalCount);
                Assert.Equal("5 requests", log.ToString());
                Assert.Equal(new[] { entries[4].RequestId }, log.For("ListAccounts").Select(e => e.RequestId));

                // Each line is on disk as soon as its request is logged.
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                Assert.Equal(5, new StreamReader(reader).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            }
            var lines = File.ReadAllText(path).Split('\n');
            Assert.Equal("", lines[^1]);
            Assert.Equal(entries.Select(e => JsonSerializer.Serialize(e)), lines.Take(5));
            var parsed = JsonSerializer.Deserialize<RequestLogEntry>(lines[1])!;
            Assert.Null(parsed.CallerAccount);
            Assert.Equal(entries[1].Time, parsed.Time);
            Assert.Equal(entries[1].DurationMs, parsed.DurationMs);
        }
    }
}
