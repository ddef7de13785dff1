using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// The change journal on disk and its writer (engine types): concurrent writers, a held file, failed changes, the caller
    /// read shared by records, a change recorded after the command was stopped. The cmdlets are in ChangeJournalCmdletTests.
    /// </summary>
    public class ChangeJournalTests
    {
        private static string NewFolder()
        {
            var path = Path.Combine(Path.GetTempPath(), "fmstools-journal-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }

        [Fact]
        public async Task Opening_a_journal_file_waits_out_another_writer_but_reports_a_missing_folder_at_once()
        {
            var path = Path.Combine(Path.GetTempPath(), "fmstools-journal-open-" + Guid.NewGuid().ToString("N"));
            try
            {
                var heldTries = 0;
                using (var stream = await ChangeJournalStore.OpenLockedAsync(() =>
                       {
                           // Two sharing violations (another writer holds the file), then the file opens.
                           if (++heldTries <= 2) throw new IOException("The process cannot access the file because it is being used by another process.");
                           return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                       }, CancellationToken.None))
                {
                    Assert.True(stream.CanWrite);
                }
                Assert.Equal(3, heldTries);

                var missingTries = 0;
                await Assert.ThrowsAsync<DirectoryNotFoundException>(() => ChangeJournalStore.OpenLockedAsync(() =>
                {
                    missingTries++;
                    throw new DirectoryNotFoundException("Could not find a part of the path.");
                }, CancellationToken.None));
                Assert.Equal(1, missingTries);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task Concurrent_writers_append_whole_lines_that_all_parse()
        {
            var folder = NewFolder();
            const int writers = 6, perWriter = 20;
            // Large documents make a torn or interleaved line show up as a parse failure.
            var payload = new string('x', 48 * 1024);
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                // Each writer has its own store object and file handle, as two PowerShell processes would.
                var store = new ChangeJournalStore(folder);
                for (var i = 0; i < perWriter; i++)
                {
                    await store.AppendAsync(new FmsChangeEntry
                    {
                        Id = $"w{w}-{i}",
                        Time = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddSeconds(i),
                        Operation = ChangeOperations.UpdatePolicy,
                        PolicyId = "p-" + w,
                        BeforeDocument = payload,
                        OutcomeValue = ChangeOutcome.Succeeded,
                    }, CancellationToken.None);
                }
            })).ToArray();
            await Task.WhenAll(tasks);

            var file = Assert.Single(Directory.GetFiles(folder));
            Assert.Equal("changes-2026-03-01.jsonl", Path.GetFileName(file));
            var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
            Assert.Equal(writers * perWriter, lines.Count);
            foreach (var line in lines)
            {
                using var document = JsonDocument.Parse(line);
                Assert.Equal(payload, document.RootElement.GetProperty("beforeDocument").GetString());
            }
            var bad = new List<string>();
            var read = await new ChangeJournalStore(folder).ReadAllAsync(bad.Add, CancellationToken.None);
            Assert.Empty(bad);
            Assert.Equal(writers * perWriter, read.Select(e => e.Id).Distinct().Count());
            // Versions are numbered per policy, oldest first.
            Assert.Equal(Enumerable.Range(1, perWriter), read.Where(e => e.PolicyId == "p-3").Select(e => e.Version));
        }

        [Fact]
        public async Task A_failed_change_is_recorded_as_failed_and_is_no_version()
        {
            var folder = NewFolder();
            var journal = new ChangeJournal(new ChangeJournalStore(folder), ct => Task.FromResult<(string?, string?)>(("arn:aws:iam::123456789012:user/ops", "123456789012")));
            var policy = new FmsPolicy { Name = "p", PolicyId = "abc", Region = "us-east-1" };
            await journal.RecordAsync(new PolicyChange
            {
                Operation = ChangeOperations.UpdatePolicy,
                PolicyId = "abc",
                Before = policy,
                Error = new FmsTools.Aws.Runtime.AwsServiceException("LimitExceededException", "too many", System.Net.HttpStatusCode.BadRequest, "req-123", "PutPolicy"),
            }, CancellationToken.None);
            var entry = Assert.Single(await new ChangeJournalStore(folder).ReadAllAsync(null, CancellationToken.None));
            Assert.Equal(ChangeOutcome.Failed, entry.OutcomeValue);
            Assert.Equal("req-123", entry.RequestId);
            Assert.Contains("LimitExceededException", entry.Error);
            Assert.Equal(0, entry.Version);
            Assert.Null(entry.RecordedDocument);
            Assert.Equal("arn:aws:iam::123456789012:user/ops", entry.CallerArn);
        }

        [Fact]
        public async Task A_record_sharing_the_caller_read_is_not_lost_when_the_record_that_started_the_read_is_cancelled()
        {
            var folder = NewFolder();
            var identity = new TaskCompletionSource<(string?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var reads = 0;
            var journal = new ChangeJournal(new ChangeJournalStore(folder), ct =>
            {
                Interlocked.Increment(ref reads);
                ct.Register(() => identity.TrySetCanceled());
                return identity.Task;
            });
            using var first = new CancellationTokenSource();
            ChangeRecord Change(string id) => new ChangeRecord { TargetType = ChangeTargetType.AppsList, Operation = ChangeOperations.DeleteAppsList, TargetId = id };

            var cancelled = journal.RecordAsync(Change("first"), first.Token);
            var second = journal.RecordAsync(Change("second"), CancellationToken.None);
            first.Cancel();
            identity.TrySetResult(("arn:aws:iam::123456789012:user/ops", "123456789012"));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            await second;
            var entry = Assert.Single(await new ChangeJournalStore(folder).ReadAllAsync(null, CancellationToken.None));
            Assert.Equal("second", entry.TargetId);
            Assert.Equal("arn:aws:iam::123456789012:user/ops", entry.CallerArn);
            Assert.Equal(1, reads);
        }

        [Fact]
        public async Task A_change_that_succeeded_is_recorded_even_when_the_command_is_stopped_right_after_it()
        {
            var folder = NewFolder();
            var journal = new ChangeJournal(new ChangeJournalStore(folder), ct => Task.FromResult<(string?, string?)>(("arn:aws:iam::123456789012:user/ops", "123456789012")));
            using var stopped = new CancellationTokenSource();
            stopped.Cancel();

            await ChangeRecorder.RecordAsync(journal, new ChangeRecord
            {
                TargetType = ChangeTargetType.AppsList, Operation = ChangeOperations.DeleteAppsList, TargetId = "list-1",
            }, stopped.Token);

            var entry = Assert.Single(await new ChangeJournalStore(folder).ReadAllAsync(null, CancellationToken.None));
            Assert.Equal("list-1", entry.TargetId);
            Assert.Equal(ChangeOutcome.Succeeded, entry.OutcomeValue);
        }

        [Fact]
        public async Task Outcome_maps_a_change_that_may_have_been_applied_to_Unknown()
        {
            var lost = new FmsTools.Aws.Runtime.AwsTransportException("PutAppsList", new Uri("https://fms.us-east-1.amazonaws.com"), 1, new IOException("reset"), mayHaveBeenApplied: true);
            var neverSent = new FmsTools.Aws.Runtime.AwsTransportException("PutAppsList", new Uri("https://fms.us-east-1.amazonaws.com"), 3, new IOException("refused"), mayHaveBeenApplied: false);
            Assert.Equal(ChangeOutcome.Unknown, ChangeJournal.OutcomeOf(lost));
            Assert.Equal(ChangeOutcome.Unknown, ChangeJournal.OutcomeOf(new TimeoutException()));
            Assert.Equal(ChangeOutcome.Unknown, ChangeJournal.OutcomeOf(new OperationCanceledException()));
            Assert.Equal(ChangeOutcome.Failed, ChangeJournal.OutcomeOf(neverSent));
            Assert.Equal(ChangeOutcome.Succeeded, ChangeJournal.OutcomeOf(null));

            var folder = NewFolder();
            var journal = new ChangeJournal(new ChangeJournalStore(folder), ct => Task.FromResult<(string?, string?)>(("arn:aws:iam::123456789012:user/ops", "123456789012")));
            await journal.RecordAsync(new ChangeRecord { TargetType = ChangeTargetType.AppsList, Operation = ChangeOperations.CreateAppsList, TargetName = "x", Error = lost }, CancellationToken.None);
            var entry = Assert.Single(await new ChangeJournalStore(folder).ReadAllAsync(null, CancellationToken.None));
            Assert.Equal(ChangeOutcome.Unknown, entry.OutcomeValue);
            Assert.Contains("may have been applied", entry.Error);
            Assert.Contains("\"outcome\":\"Unknown\"", File.ReadAllText(Directory.GetFiles(folder).Single()));
        }
    }
}
