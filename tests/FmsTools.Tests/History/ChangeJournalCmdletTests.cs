using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// The change journal as a user meets it: policy changes made in a runspace are recorded where $env:FMSTOOLS_JOURNAL
    /// points, Get-FmsChangeHistory reads and filters them, Restore-FmsPolicy brings a recorded version back. The journal
    /// folder is the process's environment, so these tests run alone.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class ChangeJournalCmdletTests : IClassFixture<SandboxSessionFixture>, IDisposable
    {
        private readonly SandboxSessionFixture _fixture;
        private readonly JournalEnvironment _journal;

        public ChangeJournalCmdletTests(SandboxSessionFixture fixture)
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

        private int Puts(long mark) => _fixture.Calls("PutPolicy", mark);

        private FmsPolicy Deployed(string policyId) => Assert.Single(_fixture.Read<FmsPolicy>($"Get-FmsPolicy -PolicyId '{policyId}'"));

        private List<FmsPolicyDifference> Differences(string reference, string difference)
            => _fixture.Read<FmsPolicyDifference>($"Compare-FmsPolicy -ReferencePolicy {reference} -DifferencePolicy {difference}");

        [Fact]
        public void Set_records_an_update_with_caller_and_documents_and_WhatIf_records_nothing()
        {
            _fixture.Succeed("$before = Get-FmsPolicy -Name demo-waf-baseline -Detailed");
            var text = _fixture.Host.Text.Length;
            _fixture.Succeed("$before | Set-FmsPolicy -RemediationEnabled:$false -WhatIf");
            Assert.Single(_fixture.Host.WhatIfLines(text));
            Assert.Empty(History());

            _fixture.Succeed("$before | Set-FmsPolicy -RemediationEnabled:$false -Description reviewed");
            var entry = Assert.Single(History());
            var before = Assert.Single(_fixture.Read<FmsPolicy>("$before"));
            Assert.Equal(ChangeOperations.UpdatePolicy, entry.Operation);
            Assert.Equal(ChangeOutcome.Succeeded, entry.OutcomeValue);
            Assert.Equal(before.PolicyId, entry.PolicyId);
            Assert.Equal("demo-waf-baseline", entry.PolicyName);
            Assert.Equal(_fixture.Sandbox.Region, entry.Region);
            Assert.StartsWith("arn:aws:", entry.CallerArn);
            Assert.Matches("^[0-9]{12}$", entry.Account);
            Assert.Equal(DateTimeKind.Utc, entry.Time.Kind);
            Assert.True((DateTime.UtcNow - entry.Time).Duration() < TimeSpan.FromMinutes(5));
            Assert.Equal(1, entry.Version);
            Assert.True(entry.Before!.RemediationEnabled);
            Assert.False(entry.After!.RemediationEnabled);
            Assert.Equal("reviewed", entry.After.Description);

            // The recorded documents compare with Compare-FmsPolicy like any two policies.
            _fixture.Succeed("$entry = Get-FmsChangeHistory");
            Assert.Equal(new[] { "Description", "RemediationEnabled" },
                Differences("$entry.Before", "$entry.After").Select(r => r.Path).OrderBy(p => p, StringComparer.Ordinal));

            // Filters.
            Assert.Single(History("-PolicyName 'demo-waf-*'"));
            Assert.Empty(History("-PolicyName 'demo-shield-*'"));
            Assert.Single(History("-Operation UpdatePolicy"));
            Assert.Empty(History("-Operation DeletePolicy"));
            Assert.Empty(History("-Since ([datetime]::UtcNow.AddMinutes(10))"));
            Assert.Single(History("-Until ([datetime]::UtcNow.AddMinutes(10))"));
            Assert.Empty(History("-Caller 'arn:aws:iam::000000000000:*'"));
            Assert.Single(History("-Caller $entry.CallerArn"));
        }

        [Fact]
        public void Restore_by_version_brings_back_exactly_the_recorded_document_and_WhatIf_only_shows_the_diff()
        {
            var original = Assert.Single(_fixture.Read<FmsPolicy>("$original = Get-FmsPolicy -Name demo-shield-advanced -Detailed; $original"));
            _fixture.Succeed("Set-FmsPolicy -PolicyId $original.PolicyId -Description 'first change'");
            _fixture.Succeed("Set-FmsPolicy -PolicyId $original.PolicyId -Description 'second change' -RemediationEnabled:(-not $original.RemediationEnabled)");
            var versions = History("-PolicyId $original.PolicyId");
            Assert.Equal(new[] { 1, 2 }, versions.Select(v => v.Version));
            _fixture.Succeed("$versions = Get-FmsChangeHistory -PolicyId $original.PolicyId");

            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;
            _fixture.Succeed("Restore-FmsPolicy -PolicyId $original.PolicyId -Version 1 -JournalPath $journal -WhatIf");
            var preview = Assert.Single(_fixture.Host.WhatIfLines(text));
            Assert.Contains("Description", preview);
            Assert.Contains("first change", preview);
            Assert.Contains("RemediationEnabled", preview);
            Assert.Equal(0, Puts(mark));
            Assert.Equal(2, History().Count);

            var restored = Assert.Single(_fixture.Read<FmsPolicy>("Restore-FmsPolicy -PolicyId $original.PolicyId -Version 1 -JournalPath $journal -PassThru"));
            Assert.Equal(original.PolicyId, restored.PolicyId);
            Assert.Empty(Differences("$versions[0].After", "(Get-FmsPolicy -PolicyId $original.PolicyId)"));
            var deployed = Deployed(original.PolicyId!);
            Assert.Equal("first change", deployed.Description);
            Assert.Equal(original.RemediationEnabled, deployed.RemediationEnabled);

            var restore = History().Last();
            Assert.Equal(ChangeOperations.Restore, restore.Operation);
            Assert.Equal("second change", restore.Before!.Description);
            Assert.Equal("first change", restore.After!.Description);

            // Restoring again changes nothing and sends nothing.
            mark = _fixture.Mark;
            _fixture.Succeed("$versions[0] | Restore-FmsPolicy -JournalPath $journal");
            Assert.Equal(0, Puts(mark));

            var missing = _fixture.Run("Restore-FmsPolicy -PolicyId $original.PolicyId -Version 9 -JournalPath $journal").ShouldReportOne("PolicyVersionNotFound");
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        }

        [Fact]
        public void A_deleted_policy_is_recreated_from_its_delete_entry()
        {
            var policy = Assert.Single(_fixture.Read<FmsPolicy>("$policy = Get-FmsPolicy -Name demo-dns-firewall -Detailed; $policy"));
            _fixture.Succeed("Remove-FmsPolicy -PolicyId $policy.PolicyId -Force");

            var deleted = Assert.Single(History("-Operation DeletePolicy"));
            Assert.Equal(policy.PolicyId, deleted.PolicyId);
            Assert.Null(deleted.After);
            _fixture.Succeed("$deleted = Get-FmsChangeHistory -Operation DeletePolicy");
            Assert.Empty(Differences("$policy", "$deleted.Before"));

            // Under -Confirm the prompt says what will happen: the policy is recreated.
            var prompts = _fixture.Host.Prompts.Count;
            _fixture.Host.Answers.Enqueue("Yes");
            var recreated = Assert.Single(_fixture.Read<FmsPolicy>("$deleted | Restore-FmsPolicy -PassThru -Confirm"));
            Assert.Contains("Recreate", Assert.Single(_fixture.Host.Prompts.Skip(prompts)).Message);
            Assert.NotEqual(policy.PolicyId, recreated.PolicyId);
            _fixture.Set("recreated", recreated);
            Assert.Empty(Differences("$policy", "(Get-FmsPolicy -PolicyId $recreated.PolicyId)"));

            var restore = History().Last();
            Assert.Equal(ChangeOperations.Restore, restore.Operation);
            Assert.Equal(recreated.PolicyId, restore.PolicyId);
            Assert.Null(restore.Before);
        }

        [Fact]
        public void A_created_policy_is_recorded_and_AsOf_restores_the_version_in_force_at_that_time()
        {
            var created = Assert.Single(_fixture.Read<FmsPolicy>(
                "$created = New-FmsDnsFirewallPolicy -Name journaled-dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Description v1; $created"));
            var create = Assert.Single(History());
            Assert.Equal(ChangeOperations.CreatePolicy, create.Operation);
            Assert.Equal(created.PolicyId, create.PolicyId);
            Assert.Null(create.Before);
            Assert.Equal("v1", create.After!.Description);

            _fixture.Succeed("Set-FmsPolicy -PolicyId $created.PolicyId -Description v2");
            Assert.Equal(2, History().Last().Version);
            _fixture.Succeed("$create, $update = Get-FmsChangeHistory -PolicyId $created.PolicyId");

            // Just before the update was recorded, version 1 was in force.
            var restored = Assert.Single(_fixture.Read<FmsPolicy>("Restore-FmsPolicy -PolicyId $created.PolicyId -AsOf $update.Time.AddTicks(-1) -PassThru"));
            Assert.Equal("v1", restored.Description);
            Assert.Empty(Differences("$create.After", "(Get-FmsPolicy -PolicyId $created.PolicyId)"));

            _fixture.Run("Restore-FmsPolicy -PolicyId $created.PolicyId -AsOf $create.Time.AddDays(-1)").ShouldReportOne("PolicyVersionNotFound");
        }
    }
}
