using System;
using System.IO;
using System.Linq;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Sync-FmsPolicy from a folder of exported policies, in a runspace connected to the demo sandbox.</summary>
    public sealed class PolicySyncCmdletTests : IClassFixture<SandboxSessionFixture>
    {
        private readonly SandboxSessionFixture _fixture;

        public PolicySyncCmdletTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            // Each test syncs the whole region: it starts from the demo's ten policies.
            _fixture.Renew();
        }

        [Fact]
        public void Sync_plans_under_WhatIf_then_creates_updates_and_deletes_and_is_then_idempotent()
        {
            var folder = _fixture.NewFolder();
            _fixture.Set("folder", folder);
            var deployed = _fixture.Read<FmsPolicy>("$deployed = Get-FmsPolicy -Detailed; $deployed");
            _fixture.Succeed("$null = $deployed | Export-FmsPolicy -Path $folder");
            var files = Directory.GetFiles(folder, "*.fmspolicy.json").OrderBy(f => f).ToList();
            Assert.Equal(deployed.Count, files.Count);

            // Edit one file, delete another, add a new policy.
            var shieldFile = files.Single(f => Path.GetFileName(f).StartsWith("demo-shield-advanced"));
            File.WriteAllText(shieldFile, File.ReadAllText(shieldFile).Replace("\"remediationEnabled\": true", "\"remediationEnabled\": false"));
            var naclId = deployed.Single(p => p.Name == "demo-nacl-baseline").PolicyId;
            File.Delete(files.Single(f => Path.GetFileName(f).StartsWith("demo-nacl-baseline")));
            _fixture.Succeed("$null = New-FmsDnsFirewallPolicy -Name dns-from-git -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline | Export-FmsPolicy -Path $folder");

            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;
            var planned = _fixture.Read<PolicySyncResult>("Sync-FmsPolicy -Path $folder -DeleteMissing -WhatIf");
            Assert.Empty(_fixture.MutatingSince(mark));
            Assert.Equal(deployed.Count + 1, planned.Count);
            Assert.Equal(SyncActionKind.Create, planned.Single(r => r.Name == "dns-from-git").ActionValue);
            Assert.Equal(SyncActionKind.Update, planned.Single(r => r.Name == "demo-shield-advanced").ActionValue);
            Assert.Equal(SyncActionKind.Delete, planned.Single(r => r.Name == "demo-nacl-baseline").ActionValue);
            Assert.All(planned.Where(r => r.ActionValue != SyncActionKind.Unchanged), r => Assert.Equal(PolicySyncStatus.NotApplied, r.StatusValue));
            Assert.Equal(deployed.Count - 2, planned.Count(r => r.StatusValue == PolicySyncStatus.Unchanged));
            var whatIf = _fixture.Host.WhatIfLines(text);
            Assert.Equal(3, whatIf.Count);
            Assert.Contains(whatIf, l => l.Contains("RemediationEnabled: true -> false"));

            var applied = _fixture.Read<PolicySyncResult>("Sync-FmsPolicy -Path $folder -DeleteMissing");
            Assert.Equal(3, applied.Count(r => r.StatusValue == PolicySyncStatus.Applied));
            Assert.Equal("False", _fixture.Text("(Get-FmsPolicy -Name demo-shield-advanced -Detailed).RemediationEnabled"));
            _fixture.Run($"Get-FmsPolicy -PolicyId '{naclId}'").ShouldReportOne("ResourceNotFoundException");
            Assert.Single(_fixture.Read<FmsPolicy>("Get-FmsPolicy -Name dns-from-git"));

            mark = _fixture.Mark;
            var rerun = _fixture.Read<PolicySyncResult>("Sync-FmsPolicy -Path $folder -DeleteMissing");
            Assert.All(rerun, r => Assert.Equal(PolicySyncStatus.Unchanged, r.StatusValue));
            Assert.Empty(_fixture.MutatingSince(mark));
        }

        [Fact]
        public void Sync_changes_nothing_when_a_file_is_bad_or_the_folder_is_empty()
        {
            var folder = _fixture.NewFolder();
            _fixture.Set("folder", folder);
            var mark = _fixture.Mark;
            _fixture.Run("Sync-FmsPolicy -Path $folder -DeleteMissing").ShouldStopWith("SyncAborted");

            File.WriteAllText(Path.Combine(folder, "broken.fmspolicy.json"), "{ \"schema\": ");
            var broken = _fixture.Run("Sync-FmsPolicy -Path $folder -DeleteMissing");
            broken.ShouldStopWith("SyncAborted");
            Assert.Contains(broken.Errors, e => e.ErrorId() == "PolicyDocument.Invalid" && e.Message().Contains("broken.fmspolicy.json"));
            Assert.Empty(_fixture.RequestsSince(mark));
        }
    }
}
