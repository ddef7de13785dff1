using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using FmsTools.Tests.Reliability;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>Journal entries of lists, resource sets and the like: their documents, old lines, filters, Restore-FmsPolicy's refusal, outcomes.</summary>
    public sealed class JournalTargetsTests : IDisposable
    {
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox();
        private readonly string _journal = TempFolder.Create();

        public void Dispose() => _sandbox.Dispose();

        private T Journaled<T>(T cmdlet) where T : FmsTools.Infrastructure.FmsConnectedCmdlet
        {
            cmdlet.JournalFolder = _journal;
            return cmdlet;
        }

        private List<FmsChangeEntry> History(Action<GetFmsChangeHistory>? filter = null)
        {
            var cmdlet = new GetFmsChangeHistory { JournalPath = _journal };
            filter?.Invoke(cmdlet);
            var host = CmdletRunner.Run(cmdlet);
            Assert.Empty(host.Errors);
            Assert.Empty(host.Warnings);
            return host.OutputOf<FmsChangeEntry>().ToList();
        }

        private static JsonElement Json(string? document)
        {
            Assert.NotNull(document);
            using var parsed = JsonDocument.Parse(document!);
            return parsed.RootElement.Clone();
        }

        private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

        [Fact]
        public void Removing_a_list_records_the_list_the_command_read_for_its_prompt_without_reading_it_again()
        {
            _sandbox.RunClean(new SetFmsAppsList { Name = "journal-removed", App = new[] { new FmsApp("https", "tcp", 443) } });
            var was = _sandbox.RunClean(new GetFmsAppsList { Name = new[] { "journal-removed" } }).Output.OfType<FmsAppsList>().Single();

            var mark = _sandbox.Host.RequestLog.TotalCount;
            _sandbox.RunClean(Journaled(new RemoveFmsAppsList { ListId = was.ListId, ForceFlag = true }));

            // One read (the prompt's), one delete: the journal takes its state before from the command.
            Assert.Equal(new[] { "GetAppsList", "DeleteAppsList" },
                _sandbox.EntriesSince(mark).Where(e => e.Service == "fms").Select(e => e.Operation));
            var entry = Assert.Single(History());
            Assert.Equal(ChangeOperations.DeleteAppsList, entry.Operation);
            Assert.Equal("journal-removed", entry.TargetName);
            var before = Json(entry.BeforeDocument);
            Assert.Equal(was.ListId, before.GetProperty("listId").GetString());
            Assert.Equal("https", Assert.Single(before.GetProperty("apps").EnumerateArray()).GetProperty("name").GetString());
            Assert.Null(entry.AfterDocument);
        }

        [Fact]
        public void An_apps_list_update_records_the_list_as_it_was_and_as_it_became()
        {
            _sandbox.RunClean(new SetFmsAppsList { Name = "journal-apps", App = new[] { new FmsApp("https", "tcp", 443), new FmsApp("dns", "udp", 53) } });
            var was = _sandbox.RunClean(new GetFmsAppsList { Name = new[] { "journal-apps" } }).Output.OfType<FmsAppsList>().Single();

            _sandbox.RunClean(Journaled(new SetFmsAppsList { Name = "journal-apps", App = new[] { new FmsApp("ssh", "tcp", 22) } }));
            var now = _sandbox.RunClean(new GetFmsAppsList { Name = new[] { "journal-apps" } }).Output.OfType<FmsAppsList>().Single();

            var entry = Assert.Single(History());
            Assert.Equal(ChangeTargetType.AppsList, entry.TargetTypeValue);
            Assert.Equal(ChangeOperations.UpdateAppsList, entry.Operation);
            Assert.Equal(was.ListId, entry.TargetId);
            Assert.Equal("journal-apps", entry.TargetName);
            Assert.Null(entry.PolicyId);
            Assert.Equal(0, entry.Version);
            Assert.Null(entry.Before);
            Assert.Null(entry.RecordedDocument);
            Assert.Matches("^[0-9a-f-]{36}$", entry.RequestId);

            var before = Json(entry.BeforeDocument);
            var after = Json(entry.AfterDocument);
            Assert.Equal(was.ListId, before.GetProperty("listId").GetString());
            Assert.Equal(was.Apps.Select(a => (a.Name, a.Protocol, a.Port)),
                before.GetProperty("apps").EnumerateArray().Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("protocol").GetString()!, a.GetProperty("port").GetInt64())));
            Assert.Equal(now.Apps.Select(a => (a.Name, a.Protocol, a.Port)),
                after.GetProperty("apps").EnumerateArray().Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("protocol").GetString()!, a.GetProperty("port").GetInt64())));
            Assert.Equal(new[] { ("ssh", "tcp", 22L) }, now.Apps.Select(a => (a.Name, a.Protocol, a.Port)));
            Assert.Equal(now.Arn, after.GetProperty("arn").GetString());
            // Only what the user sets and what identifies the list: no token, timestamps or FMS's version history.
            Assert.Equal(new[] { "listId", "name", "arn", "apps" }, after.EnumerateObject().Select(p => p.Name));

            // The request id is the one the sandbox logged for the PutAppsList.
            Assert.Contains(_sandbox.Host.RequestLog.Entries, e => e.Operation == "PutAppsList" && e.RequestId == entry.RequestId);
        }

        [Fact]
        public void A_resource_set_update_records_the_set_as_it_was_and_as_it_became_and_filters_find_it()
        {
            var set = _sandbox.RunClean(new SetFmsResourceSet { Name = "journal-set", ResourceType = new[] { "AWS::EC2::VPC" }, Description = "first", PassThruFlag = true })
                .Output.OfType<FmsResourceSet>().Single();
            _sandbox.RunClean(Journaled(new SetFmsResourceSet { Id = set.Id, Name = "journal-set", ResourceType = new[] { "AWS::EC2::Subnet", "AWS::EC2::VPC" }, Description = "second" }));
            var now = _sandbox.RunClean(new GetFmsResourceSet { Id = set.Id }).Output.OfType<FmsResourceSet>().Single();

            var entry = Assert.Single(History());
            Assert.Equal(ChangeTargetType.ResourceSet, entry.TargetTypeValue);
            Assert.Equal(ChangeOperations.UpdateResourceSet, entry.Operation);
            Assert.Equal(set.Id, entry.TargetId);
            var before = Json(entry.BeforeDocument);
            var after = Json(entry.AfterDocument);
            Assert.Equal(set.ResourceTypes, Strings(before.GetProperty("resourceTypes")));
            Assert.Equal("first", before.GetProperty("description").GetString());
            Assert.Equal(now.ResourceTypes, Strings(after.GetProperty("resourceTypes")));
            Assert.Equal("second", now.Description);
            Assert.Equal(now.Description, after.GetProperty("description").GetString());

            // Filters: by target type, by id or name (wildcards), together with the operation filter.
            Assert.Single(History(c => c.TargetType = new[] { ChangeTargetType.ResourceSet }));
            Assert.Empty(History(c => c.TargetType = new[] { ChangeTargetType.Policy, ChangeTargetType.AppsList }));
            Assert.Single(History(c => c.Target = new[] { "journal-*" }));
            Assert.Single(History(c => c.Target = new[] { set.Id! }));
            Assert.Empty(History(c => c.Target = new[] { "other-*" }));
            Assert.Single(History(c => c.Operation = new[] { ChangeOperations.UpdateResourceSet }));
            Assert.Empty(History(c => c.PolicyName = new[] { "*" }));
        }

        [Fact]
        public void Journal_lines_written_before_target_types_read_as_policy_entries()
        {
            var policy = _sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output.OfType<FmsPolicy>().First(p => p.TypeValue == FmsPolicyType.WafV2);
            // A line exactly as the journal wrote it before TargetType, TargetId and TargetName existed.
            var old = new Dictionary<string, object?>
            {
                ["id"] = "old-line-1",
                ["time"] = "2026-01-05T10:00:00Z",
                ["callerArn"] = "arn:aws:iam::123456789012:user/ops",
                ["operation"] = "UpdatePolicy",
                ["policyId"] = policy.PolicyId,
                ["policyName"] = policy.Name,
                ["policyType"] = policy.TypeName,
                ["region"] = policy.Region,
                ["account"] = "123456789012",
                ["beforeDocument"] = PolicyDocumentSerializer.Write(policy),
                ["afterDocument"] = PolicyDocumentSerializer.Write(policy),
                ["outcome"] = "Succeeded",
            };
            File.WriteAllText(Path.Combine(_journal, "changes-2026-01-05.jsonl"), JsonSerializer.Serialize(old) + "\n");

            var entry = Assert.Single(History());
            Assert.Equal(ChangeTargetType.Policy, entry.TargetTypeValue);
            Assert.Equal(policy.PolicyId, entry.TargetId);
            Assert.Equal(policy.Name, entry.TargetName);
            Assert.Equal(1, entry.Version);
            Assert.Equal(policy.Name, entry.Before!.Name);
            Assert.Single(History(c => c.TargetType = new[] { ChangeTargetType.Policy }));
            Assert.Single(History(c => c.Target = new[] { policy.Name }));
            Assert.Single(History(c => c.PolicyId = new[] { policy.PolicyId! }));
            Assert.Empty(History(c => c.TargetType = new[] { ChangeTargetType.Tags }));

            // Still restorable by version, and still comparable.
            var restore = _sandbox.Run(new RestoreFmsPolicy { PolicyId = policy.PolicyId, Version = 1, JournalPath = _journal });
            Assert.Empty(restore.AllErrors);
            Assert.Empty(_sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = entry.Before, DifferencePolicy = entry.After }).Output);
        }

        [Fact]
        public void Restore_refuses_a_non_policy_entry_with_a_non_terminating_error_and_goes_on_with_the_next()
        {
            var policy = _sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output.OfType<FmsPolicy>().First(p => p.TypeValue == FmsPolicyType.WafV2);
            _sandbox.RunClean(Journaled(new SetFmsPolicy { PolicyId = policy.PolicyId, Description = "journaled version" }));
            _sandbox.RunClean(Journaled(new SetFmsTag { ResourceArn = policy.Arn, Tag = new System.Collections.Hashtable { ["env"] = "prod" } }));
            _sandbox.RunClean(new SetFmsPolicy { PolicyId = policy.PolicyId, Description = "changed since" });
            var entries = History();
            Assert.Equal(new[] { ChangeTargetType.Policy, ChangeTargetType.Tags }, entries.Select(e => e.TargetTypeValue));
            var tags = entries[1];
            Assert.Equal(policy.Arn, tags.TargetId);
            Assert.Equal(0, tags.Version);
            Assert.Equal("prod", Json(tags.AfterDocument).GetProperty("tags").GetProperty("env").GetString());
            Assert.False(Json(tags.BeforeDocument).GetProperty("tags").TryGetProperty("env", out _));

            var host = new RecordingCommandHost();
            var puts = _sandbox.Host.RequestLog.For("PutPolicy").Count;
            CmdletRunner.RunPipeline(_sandbox.Connect(new RestoreFmsPolicy { JournalPath = _journal }), new[] { tags, entries[0] }, (c, e) => c.Entry = e, host);
            var error = Assert.Single(host.Errors);
            Assert.Equal("ChangeEntryNotAPolicy", error.ErrorId);
            Assert.Contains("Tags", error.Message);
            Assert.Contains("policies only", error.Message);
            // The policy entry after it was still restored: one PutPolicy, and the policy has the journaled description again.
            Assert.Equal(puts + 1, _sandbox.Host.RequestLog.For("PutPolicy").Count);
            Assert.Equal("journaled version", _sandbox.RunClean(new GetFmsPolicy { PolicyId = new[] { policy.PolicyId! }, DetailedFlag = true }).Output.OfType<FmsPolicy>().Single().Description);
        }

        [Fact]
        public void A_write_whose_answer_is_lost_is_journaled_as_Unknown()
        {
            _sandbox.RunClean(new GetFmsAdminAccount()); // a pooled connection, as in a session
            _sandbox.Host.Faults.FailNext("PutProtocolsList", 1, FaultKind.ResponseLost);
            var run = _sandbox.Run(Journaled(new SetFmsProtocolsList { Name = "lost-protocols", Protocol = new[] { "tcp" } }));
            Assert.Equal("OutcomeUnknown", Assert.Single(run.AllErrors).ErrorId);

            var entry = Assert.Single(History());
            Assert.Equal(ChangeOutcome.Unknown, entry.OutcomeValue);
            Assert.Equal(ChangeOperations.CreateProtocolsList, entry.Operation);
            Assert.Contains("may have been applied", entry.Error);
            Assert.Equal(new[] { "tcp" }, Strings(Json(entry.AfterDocument).GetProperty("protocols")));
            // It was in fact applied, which is why Failed would have been wrong.
            Assert.Single(_sandbox.RunClean(new GetFmsProtocolsList { Name = new[] { "lost-protocols" } }).Output);
            Assert.Single(History(c => c.Target = new[] { "lost-protocols" }));
        }

        [Fact]
        public void A_refused_write_is_journaled_as_Failed_with_its_request_id()
        {
            // Only the management account may make administrators: the service refuses the administrator's own call.
            var run = _sandbox.Run(Journaled(new SetFmsAdminAccount { AccountId = _sandbox.Host.AdminAccountId, ScopeRegion = new[] { "us-east-1" }, ForceFlag = true }));
            Assert.NotEmpty(run.AllErrors);
            var entry = Assert.Single(History());
            Assert.Equal(ChangeOutcome.Failed, entry.OutcomeValue);
            Assert.Equal(ChangeTargetType.AdminAccount, entry.TargetTypeValue);
            Assert.Equal(ChangeOperations.PutAdminAccount, entry.Operation);
            Assert.Equal(_sandbox.Host.AdminAccountId, entry.TargetId);
            Assert.Equal(_sandbox.Host.RequestLog.For("PutAdminAccount").Single().RequestId, entry.RequestId);
            Assert.StartsWith("InvalidOperationException: ", entry.Error);
            Assert.Equal(new[] { "us-east-1" }, Strings(Json(entry.AfterDocument).GetProperty("scope").GetProperty("regions")));
        }

        [Fact]
        public void A_journal_that_cannot_be_written_does_not_hide_that_the_change_was_made()
        {
            var notAFolder = Path.Combine(_journal, "file");
            File.WriteAllText(notAFolder, "a file where the journal folder should be");
            var cmdlet = new SetFmsAppsList { Name = "unjournaled-apps", App = new[] { new FmsApp("https", "tcp", 443) } };
            cmdlet.JournalFolder = notAFolder;
            var run = _sandbox.Run(cmdlet);
            var error = Assert.Single(run.AllErrors);
            Assert.Equal("ChangeJournalWriteFailed", error.ErrorId);
            Assert.Contains("CreateAppsList of apps list", error.Message);
            Assert.Contains("succeeded", error.Message);
            Assert.Single(_sandbox.RunClean(new GetFmsAppsList { Name = new[] { "unjournaled-apps" } }).Output);
        }

        [Fact]
        public void Get_FmsChangeHistory_accepts_exactly_the_journaled_operations()
        {
            var property = typeof(GetFmsChangeHistory).GetProperty(nameof(GetFmsChangeHistory.Operation))!;
            // Read from metadata: PowerShellStandard's ValidateSetAttribute is a stub.
            var validateSet = property.GetCustomAttributesData().Single(a => a.AttributeType == typeof(System.Management.Automation.ValidateSetAttribute));
            var values = ((IEnumerable<CustomAttributeTypedArgument>)validateSet.ConstructorArguments[0].Value!).Select(v => (string)v.Value!).ToList();
            Assert.Equal(ChangeOperations.All.OrderBy(o => o, StringComparer.Ordinal), values.OrderBy(o => o, StringComparer.Ordinal));
            var constants = typeof(ChangeOperations).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
            Assert.Equal(constants.OrderBy(o => o, StringComparer.Ordinal), ChangeOperations.All.OrderBy(o => o, StringComparer.Ordinal));
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

            var journal = new ChangeJournal(new ChangeJournalStore(_journal), ct => Task.FromResult<(string?, string?)>(("arn:aws:iam::123456789012:user/ops", "123456789012")));
            await journal.RecordAsync(new ChangeRecord { TargetType = ChangeTargetType.AppsList, Operation = ChangeOperations.CreateAppsList, TargetName = "x", Error = lost }, CancellationToken.None);
            var entry = Assert.Single(await new ChangeJournalStore(_journal).ReadAllAsync(null, CancellationToken.None));
            Assert.Equal(ChangeOutcome.Unknown, entry.OutcomeValue);
            Assert.Contains("may have been applied", entry.Error);
            Assert.Contains("\"outcome\":\"Unknown\"", File.ReadAllText(Directory.GetFiles(_journal).Single()));
        }
    }
}
