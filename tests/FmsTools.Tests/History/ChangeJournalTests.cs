using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Commands;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>The change journal on disk, the journal hook in PolicyService, Get-FmsChangeHistory and Restore-FmsPolicy.</summary>
    public class ChangeJournalTests
    {
        private static FmsPolicy Demo(PolicySandbox sandbox, string name)
            => sandbox.RunClean(new GetFmsPolicy { Name = new[] { name }, DetailedFlag = true }).OutputOf<FmsPolicy>().Single();

        private static List<FmsChangeEntry> History(string journal, Action<GetFmsChangeHistory>? filter = null)
        {
            var cmdlet = new GetFmsChangeHistory { JournalPath = journal };
            filter?.Invoke(cmdlet);
            var result = CmdletRunner.Run(cmdlet);
            Assert.Empty(result.Errors);
            return result.OutputOf<FmsChangeEntry>().ToList();
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
            var folder = TempFolder.Create();
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
        public void Set_records_an_update_with_caller_and_documents_and_WhatIf_records_nothing()
        {
            using var sandbox = new PolicySandbox();
            var journal = TempFolder.Create();
            var before = Demo(sandbox, "demo-waf-baseline");

            sandbox.RunClean(new SetFmsPolicy { InputObject = before, RemediationEnabledValue = false, JournalFolder = journal }, new RecordingCommandHost { WhatIf = true });
            Assert.Empty(History(journal));

            sandbox.RunClean(new SetFmsPolicy { InputObject = before, RemediationEnabledValue = false, Description = "reviewed", JournalFolder = journal });
            var entry = Assert.Single(History(journal));
            Assert.Equal(ChangeOperations.UpdatePolicy, entry.Operation);
            Assert.Equal(ChangeOutcome.Succeeded, entry.OutcomeValue);
            Assert.Equal(before.PolicyId, entry.PolicyId);
            Assert.Equal("demo-waf-baseline", entry.PolicyName);
            Assert.Equal(sandbox.Host.Region, entry.Region);
            Assert.StartsWith("arn:aws:", entry.CallerArn);
            Assert.Matches("^[0-9]{12}$", entry.Account);
            Assert.Equal(DateTimeKind.Utc, entry.Time.Kind);
            Assert.True((DateTime.UtcNow - entry.Time).Duration() < TimeSpan.FromMinutes(5));
            Assert.Equal(1, entry.Version);
            Assert.True(entry.Before!.RemediationEnabled);
            Assert.False(entry.After!.RemediationEnabled);
            Assert.Equal("reviewed", entry.After.Description);

            // The recorded documents compare with Compare-FmsPolicy like any two policies.
            var rows = sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = entry.Before, DifferencePolicy = entry.After }).OutputOf<FmsPolicyDifference>();
            Assert.Equal(new[] { "Description", "RemediationEnabled" }, rows.Select(r => r.Path).OrderBy(p => p, StringComparer.Ordinal));

            // Filters.
            Assert.Single(History(journal, c => c.PolicyName = new[] { "demo-waf-*" }));
            Assert.Empty(History(journal, c => c.PolicyName = new[] { "demo-shield-*" }));
            Assert.Single(History(journal, c => c.Operation = new[] { ChangeOperations.UpdatePolicy }));
            Assert.Empty(History(journal, c => c.Operation = new[] { ChangeOperations.DeletePolicy }));
            Assert.Empty(History(journal, c => c.Since = DateTime.UtcNow.AddMinutes(10)));
            Assert.Single(History(journal, c => c.Until = DateTime.UtcNow.AddMinutes(10)));
            Assert.Empty(History(journal, c => c.Caller = new[] { "arn:aws:iam::000000000000:*" }));
            Assert.Single(History(journal, c => c.Caller = new[] { entry.CallerArn! }));
        }

        [Fact]
        public void Restore_by_version_brings_back_exactly_the_recorded_document_and_WhatIf_only_shows_the_diff()
        {
            using var sandbox = new PolicySandbox();
            var journal = TempFolder.Create();
            var original = Demo(sandbox, "demo-shield-advanced");
            sandbox.RunClean(new SetFmsPolicy { PolicyId = original.PolicyId, Description = "first change", JournalFolder = journal });
            sandbox.RunClean(new SetFmsPolicy { PolicyId = original.PolicyId, Description = "second change", RemediationEnabledValue = !original.RemediationEnabled, JournalFolder = journal });
            var versions = History(journal, c => c.PolicyId = new[] { original.PolicyId! });
            Assert.Equal(new[] { 1, 2 }, versions.Select(v => v.Version));
            var puts = sandbox.Calls("PutPolicy");

            var preview = sandbox.RunClean(new RestoreFmsPolicy { PolicyId = original.PolicyId, Version = 1, JournalPath = journal }, new RecordingCommandHost { WhatIf = true });
            var call = Assert.Single(preview.ShouldProcessCalls);
            Assert.Contains("Description", call.Action);
            Assert.Contains("first change", call.Action);
            Assert.Contains("RemediationEnabled", call.Action);
            Assert.Equal(puts, sandbox.Calls("PutPolicy"));
            Assert.Equal(2, History(journal).Count);

            var restored = Assert.Single(sandbox.RunClean(new RestoreFmsPolicy { PolicyId = original.PolicyId, Version = 1, JournalPath = journal, PassThruFlag = true }).OutputOf<FmsPolicy>());
            Assert.Equal(original.PolicyId, restored.PolicyId);
            var deployed = sandbox.Get(original.PolicyId!);
            Assert.Empty(sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = versions[0].After, DifferencePolicy = deployed }).Output);
            Assert.Equal("first change", deployed.Description);
            Assert.Equal(original.RemediationEnabled, deployed.RemediationEnabled);

            var restore = History(journal).Last();
            Assert.Equal(ChangeOperations.Restore, restore.Operation);
            Assert.Equal("second change", restore.Before!.Description);
            Assert.Equal("first change", restore.After!.Description);

            // Restoring again changes nothing and sends nothing.
            var putsAfter = sandbox.Calls("PutPolicy");
            sandbox.RunClean(new RestoreFmsPolicy { Entry = versions[0], JournalPath = journal });
            Assert.Equal(putsAfter, sandbox.Calls("PutPolicy"));

            var missing = sandbox.Run(new RestoreFmsPolicy { PolicyId = original.PolicyId, Version = 9, JournalPath = journal });
            Assert.Equal("PolicyVersionNotFound", Assert.Single(missing.Errors).ErrorId);
        }

        [Fact]
        public void A_deleted_policy_is_recreated_from_its_delete_entry()
        {
            using var sandbox = new PolicySandbox();
            var journal = TempFolder.Create();
            var policy = Demo(sandbox, "demo-dns-firewall");
            sandbox.RunClean(new RemoveFmsPolicy { PolicyId = policy.PolicyId, ForceFlag = true, JournalFolder = journal });

            var deleted = Assert.Single(History(journal, c => c.Operation = new[] { ChangeOperations.DeletePolicy }));
            Assert.Equal(policy.PolicyId, deleted.PolicyId);
            Assert.Null(deleted.After);
            Assert.Empty(sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = policy, DifferencePolicy = deleted.Before! }).Output);

            var host = new RecordingCommandHost();
            CmdletRunner.RunPipeline(sandbox.Connect(new RestoreFmsPolicy { JournalPath = journal, PassThruFlag = true }), new[] { deleted }, (c, e) => c.Entry = e, host);
            Assert.Empty(host.Errors);
            Assert.Contains("Recreate", Assert.Single(host.ShouldProcessCalls).Action);
            var recreated = Assert.Single(host.OutputOf<FmsPolicy>());
            Assert.NotEqual(policy.PolicyId, recreated.PolicyId);
            var deployed = sandbox.Get(recreated.PolicyId!);
            var rows = sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = policy, DifferencePolicy = deployed }).OutputOf<FmsPolicyDifference>();
            Assert.Empty(rows);

            var restore = History(journal).Last();
            Assert.Equal(ChangeOperations.Restore, restore.Operation);
            Assert.Equal(recreated.PolicyId, restore.PolicyId);
            Assert.Null(restore.Before);
        }

        [Fact]
        public void A_created_policy_is_recorded_and_AsOf_restores_the_version_in_force_at_that_time()
        {
            using var sandbox = new PolicySandbox();
            var journal = TempFolder.Create();
            var created = Assert.Single(sandbox.RunClean(new NewFmsDnsFirewallPolicy
            {
                Name = "journaled-dns", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, Description = "v1", JournalFolder = journal,
            }).OutputOf<FmsPolicy>());
            var create = Assert.Single(History(journal));
            Assert.Equal(ChangeOperations.CreatePolicy, create.Operation);
            Assert.Equal(created.PolicyId, create.PolicyId);
            Assert.Null(create.Before);
            Assert.Equal("v1", create.After!.Description);

            sandbox.RunClean(new SetFmsPolicy { PolicyId = created.PolicyId, Description = "v2", JournalFolder = journal });
            var update = History(journal).Last();
            Assert.Equal(2, update.Version);

            // Just before the update was recorded, version 1 was in force.
            var restored = Assert.Single(sandbox.RunClean(new RestoreFmsPolicy { PolicyId = created.PolicyId, AsOf = update.Time.AddTicks(-1), JournalPath = journal, PassThruFlag = true })
                .OutputOf<FmsPolicy>());
            Assert.Equal("v1", restored.Description);
            Assert.Empty(sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = create.After, DifferencePolicy = sandbox.Get(created.PolicyId!) }).Output);

            var tooEarly = sandbox.Run(new RestoreFmsPolicy { PolicyId = created.PolicyId, AsOf = create.Time.AddDays(-1), JournalPath = journal });
            Assert.Equal("PolicyVersionNotFound", Assert.Single(tooEarly.Errors).ErrorId);
        }

        [Fact]
        public async Task A_failed_change_is_recorded_as_failed_and_is_no_version()
        {
            var folder = TempFolder.Create();
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
            var folder = TempFolder.Create();
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
            var folder = TempFolder.Create();
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
    }
}
