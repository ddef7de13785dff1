using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using FmsTools.Engine.Administration;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Journal entries of lists, resource sets and the like, made in a runspace: their documents, old lines, filters,
    /// Restore-FmsPolicy's refusal, outcomes. The journal is $env:FMSTOOLS_JOURNAL (process-wide), so these tests run alone.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class JournalTargetsTests : IClassFixture<SandboxSessionFixture>, IDisposable
    {
        private readonly SandboxSessionFixture _fixture;
        private readonly JournalEnvironment _journal;

        public JournalTargetsTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            _journal = new JournalEnvironment(fixture.Env.Session);
        }

        public void Dispose() => _journal.Dispose();

        private List<FmsChangeEntry> History(string parameters = "")
        {
            var result = _fixture.Succeed("Get-FmsChangeHistory " + parameters);
            Assert.Empty(result.Warnings);
            return result.OutputOf<FmsChangeEntry>().ToList();
        }

        private static JsonElement Json(string? document)
        {
            Assert.NotNull(document);
            using var parsed = JsonDocument.Parse(document!);
            return parsed.RootElement.Clone();
        }

        private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

        private static IEnumerable<(string, string, long)> Apps(IEnumerable<FmsApp> apps) => apps.Select(a => (a.Name, a.Protocol, a.Port));

        private static IEnumerable<(string, string, long)> Apps(JsonElement apps)
            => apps.EnumerateArray().Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("protocol").GetString()!, a.GetProperty("port").GetInt64()));

        /// <summary>Changes made before the journal of the test was chosen: they go to the process's journal, not this one.</summary>
        private void Unjournaled(string script)
        {
            _fixture.Succeed("$env:FMSTOOLS_JOURNAL = 'off'");
            try
            {
                _fixture.Succeed(script);
            }
            finally
            {
                _fixture.Succeed("$env:FMSTOOLS_JOURNAL = $journal");
            }
        }

        [Fact]
        public void Removing_a_list_records_the_list_the_command_read_for_its_prompt_without_reading_it_again()
        {
            Unjournaled("Set-FmsAppsList -Name journal-removed -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }");
            var was = Assert.Single(_fixture.Read<FmsAppsList>("$was = Get-FmsAppsList -Name journal-removed; $was"));

            var mark = _fixture.Mark;
            _fixture.Succeed("Remove-FmsAppsList -ListId $was.ListId -Force");

            // One read (the prompt's), one delete: the journal takes its state before from the command.
            Assert.Equal(new[] { "GetAppsList", "DeleteAppsList" }, _fixture.RequestsSince(mark).Where(e => e.Service == "fms").Select(e => e.Operation));
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
            Unjournaled("Set-FmsAppsList -Name journal-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'dns'; Protocol = 'udp'; Port = 53 }");
            var was = Assert.Single(_fixture.Read<FmsAppsList>("Get-FmsAppsList -Name journal-apps"));

            _fixture.Succeed("Set-FmsAppsList -Name journal-apps -App @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 }");
            var now = Assert.Single(_fixture.Read<FmsAppsList>("Get-FmsAppsList -Name journal-apps"));

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
            Assert.Equal(Apps(was.Apps), Apps(before.GetProperty("apps")));
            Assert.Equal(Apps(now.Apps), Apps(after.GetProperty("apps")));
            Assert.Equal(new[] { ("ssh", "tcp", 22L) }, Apps(now.Apps));
            Assert.Equal(now.Arn, after.GetProperty("arn").GetString());
            // Only what the user sets and what identifies the list: no token, timestamps or FMS's version history.
            Assert.Equal(new[] { "listId", "name", "arn", "apps" }, after.EnumerateObject().Select(p => p.Name));

            // The request id is the one the sandbox logged for the PutAppsList.
            Assert.Contains(_fixture.Sandbox.RequestLog.Entries, e => e.Operation == "PutAppsList" && e.RequestId == entry.RequestId);
        }

        [Fact]
        public void A_resource_set_update_records_the_set_as_it_was_and_as_it_became_and_filters_find_it()
        {
            Unjournaled("$set = Set-FmsResourceSet -Name journal-set -ResourceType AWS::EC2::VPC -Description first -PassThru");
            var set = Assert.Single(_fixture.Read<FmsResourceSet>("$set"));
            _fixture.Succeed("Set-FmsResourceSet -Id $set.Id -Name journal-set -ResourceType AWS::EC2::Subnet, AWS::EC2::VPC -Description second");
            var now = Assert.Single(_fixture.Read<FmsResourceSet>("Get-FmsResourceSet -Id $set.Id"));

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
            Assert.Single(History("-TargetType ResourceSet"));
            Assert.Empty(History("-TargetType Policy, AppsList"));
            Assert.Single(History("-Target 'journal-*'"));
            Assert.Single(History("-Target $set.Id"));
            Assert.Empty(History("-Target 'other-*'"));
            Assert.Single(History("-Operation UpdateResourceSet"));
            Assert.Empty(History("-PolicyName '*'"));
        }

        [Fact]
        public void Journal_lines_written_before_target_types_read_as_policy_entries()
        {
            var policy = _fixture.Read<FmsPolicy>("Get-FmsPolicy -Detailed").First(p => p.TypeValue == FmsPolicyType.WafV2);
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
            Directory.CreateDirectory(_journal.Folder);
            File.WriteAllText(Path.Combine(_journal.Folder, "changes-2026-01-05.jsonl"), JsonSerializer.Serialize(old) + "\n");

            var entry = Assert.Single(History());
            Assert.Equal(ChangeTargetType.Policy, entry.TargetTypeValue);
            Assert.Equal(policy.PolicyId, entry.TargetId);
            Assert.Equal(policy.Name, entry.TargetName);
            Assert.Equal(1, entry.Version);
            Assert.Equal(policy.Name, entry.Before!.Name);
            Assert.Single(History("-TargetType Policy"));
            Assert.Single(History($"-Target '{policy.Name}'"));
            Assert.Single(History($"-PolicyId '{policy.PolicyId}'"));
            Assert.Empty(History("-TargetType Tags"));

            // Still restorable by version, and still comparable.
            _fixture.Succeed($"Restore-FmsPolicy -PolicyId '{policy.PolicyId}' -Version 1 -JournalPath $journal");
            Assert.Empty(_fixture.Succeed("$old = Get-FmsChangeHistory | Where-Object Id -eq old-line-1; Compare-FmsPolicy -ReferencePolicy $old.Before -DifferencePolicy $old.After").Output);
        }

        [Fact]
        public void Restore_refuses_a_non_policy_entry_with_a_non_terminating_error_and_goes_on_with_the_next()
        {
            var policy = Assert.Single(_fixture.Read<FmsPolicy>("$policy = Get-FmsPolicy -Detailed | Where-Object Type -eq WafV2 | Select-Object -First 1; $policy"));
            _fixture.Succeed("Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'journaled version'");
            _fixture.Succeed("Set-FmsTag -ResourceArn $policy.Arn -Tag @{ env = 'prod' }");
            Unjournaled("Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'changed since'");
            var entries = History();
            Assert.Equal(new[] { ChangeTargetType.Policy, ChangeTargetType.Tags }, entries.Select(e => e.TargetTypeValue));
            var tags = entries[1];
            Assert.Equal(policy.Arn, tags.TargetId);
            Assert.Equal(0, tags.Version);
            Assert.Equal("prod", Json(tags.AfterDocument).GetProperty("tags").GetProperty("env").GetString());
            Assert.False(Json(tags.BeforeDocument).GetProperty("tags").TryGetProperty("env", out _));

            var mark = _fixture.Mark;
            var result = _fixture.Run("$entries = Get-FmsChangeHistory; $entries[1], $entries[0] | Restore-FmsPolicy");
            var error = result.ShouldReportOne("ChangeEntryNotAPolicy");
            Assert.Contains("Tags", error.Message());
            Assert.Contains("policies only", error.Message());
            // The policy entry after it was still restored: one PutPolicy, and the policy has the journaled description again.
            Assert.Equal(1, _fixture.Calls("PutPolicy", mark));
            Assert.Equal("journaled version", _fixture.Text("(Get-FmsPolicy -PolicyId $policy.PolicyId).Description"));
        }

        [Fact]
        public void A_write_whose_answer_is_lost_is_journaled_as_Unknown()
        {
            _fixture.Succeed("$null = Get-FmsAdminAccount"); // a pooled connection, as in a session
            _fixture.Sandbox.Faults.FailNext("PutProtocolsList", 1, FaultKind.ResponseLost);
            var error = Assert.Single(_fixture.Run("Set-FmsProtocolsList -Name lost-protocols -Protocol tcp").AllErrors());
            Assert.Equal("OutcomeUnknown", error.ErrorId());

            var entry = Assert.Single(History());
            Assert.Equal(ChangeOutcome.Unknown, entry.OutcomeValue);
            Assert.Equal(ChangeOperations.CreateProtocolsList, entry.Operation);
            Assert.Contains("may have been applied", entry.Error);
            Assert.Equal(new[] { "tcp" }, Strings(Json(entry.AfterDocument).GetProperty("protocols")));
            // It was in fact applied, which is why Failed would have been wrong.
            Assert.Single(_fixture.Read<FmsProtocolsList>("Get-FmsProtocolsList -Name lost-protocols"));
            Assert.Single(History("-Target lost-protocols"));
        }

        [Fact]
        public void A_refused_write_is_journaled_as_Failed_with_its_request_id()
        {
            // Only the management account may make administrators: the service refuses the administrator's own call.
            var mark = _fixture.Mark;
            Assert.NotEmpty(_fixture.Run("Set-FmsAdminAccount -AccountId $sandbox.AdminAccountId -ScopeRegion us-east-1 -Force").AllErrors());
            var entry = Assert.Single(History());
            Assert.Equal(ChangeOutcome.Failed, entry.OutcomeValue);
            Assert.Equal(ChangeTargetType.AdminAccount, entry.TargetTypeValue);
            Assert.Equal(ChangeOperations.PutAdminAccount, entry.Operation);
            Assert.Equal(_fixture.Sandbox.AdminAccountId, entry.TargetId);
            Assert.Equal(_fixture.RequestsSince(mark).Single(e => e.Operation == "PutAdminAccount").RequestId, entry.RequestId);
            Assert.StartsWith("InvalidOperationException: ", entry.Error);
            Assert.Equal(new[] { "us-east-1" }, Strings(Json(entry.AfterDocument).GetProperty("scope").GetProperty("regions")));
        }

        [Fact]
        public void A_journal_that_cannot_be_written_does_not_hide_that_the_change_was_made()
        {
            var notAFolder = Path.Combine(Directory.CreateDirectory(_journal.Folder).FullName, "file");
            File.WriteAllText(notAFolder, "a file where the journal folder should be");
            _fixture.Set("notAFolder", notAFolder);
            var result = _fixture.Run("$env:FMSTOOLS_JOURNAL = $notAFolder; try { Set-FmsAppsList -Name unjournaled-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } } finally { $env:FMSTOOLS_JOURNAL = $journal }");
            var error = Assert.Single(result.AllErrors());
            Assert.Equal("ChangeJournalWriteFailed", error.ErrorId());
            Assert.Contains("CreateAppsList of apps list", error.Message());
            Assert.Contains("succeeded", error.Message());
            Assert.Single(_fixture.Read<FmsAppsList>("Get-FmsAppsList -Name unjournaled-apps"));
        }

        [Fact]
        public void Get_FmsChangeHistory_accepts_exactly_the_journaled_operations()
        {
            var values = _fixture.Text("(Get-Command Get-FmsChangeHistory).Parameters['Operation'].Attributes.Where({ $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues")
                .Split('|');
            Assert.Equal(ChangeOperations.All.OrderBy(o => o, StringComparer.Ordinal), values.OrderBy(o => o, StringComparer.Ordinal));
            var constants = typeof(ChangeOperations).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
            Assert.Equal(constants.OrderBy(o => o, StringComparer.Ordinal), ChangeOperations.All.OrderBy(o => o, StringComparer.Ordinal));
        }
    }
}
