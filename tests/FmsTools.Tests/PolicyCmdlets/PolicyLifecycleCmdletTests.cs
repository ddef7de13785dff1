using System.Collections;
using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Set, Remove, Test, Import, Compare and Sync against the demo sandbox.</summary>
    public class PolicyLifecycleCmdletTests
    {
        private static FmsPolicy Demo(PolicySandbox sandbox, string name)
            => sandbox.RunClean(new GetFmsPolicy { Name = new[] { name }, DetailedFlag = true }).OutputOf<FmsPolicy>().Single();

        [Fact]
        public void Set_shows_the_diff_in_ShouldProcess_and_updates_with_the_token_it_read()
        {
            using var sandbox = new PolicySandbox();
            var before = Demo(sandbox, "demo-waf-baseline");
            Assert.True(before.RemediationEnabled);

            var preview = sandbox.RunClean(new SetFmsPolicy { InputObject = before, RemediationEnabledValue = false, Description = "reviewed" }, new RecordingCommandHost { WhatIf = true });
            var call = Assert.Single(preview.ShouldProcessCalls);
            Assert.Contains("RemediationEnabled: true -> false", call.Action);
            Assert.Contains("Description", call.Action);
            Assert.Equal(0, sandbox.Calls("PutPolicy"));

            var applied = sandbox.RunClean(new SetFmsPolicy { InputObject = before, RemediationEnabledValue = false, Description = "reviewed", PassThruFlag = true });
            var stored = Assert.Single(applied.OutputOf<FmsPolicy>());
            Assert.False(stored.RemediationEnabled);
            Assert.NotEqual(before.UpdateToken, stored.UpdateToken);
            Assert.Equal("reviewed", sandbox.Get(before.PolicyId!).Description);

            // Applying the same again: nothing differs, so nothing is sent.
            var again = sandbox.RunClean(new SetFmsPolicy { InputObject = stored });
            Assert.Empty(again.ShouldProcessCalls);
            Assert.Equal(1, sandbox.Calls("PutPolicy"));
        }

        [Fact]
        public void Set_with_a_stale_token_reports_a_conflict_naming_both_versions_and_overwrites_nothing()
        {
            using var sandbox = new PolicySandbox();
            var mine = Demo(sandbox, "demo-shield-advanced");

            // Someone else changes the policy after I read it.
            sandbox.RunClean(new SetFmsPolicy { PolicyId = mine.PolicyId, Description = "changed by someone else" });
            var theirs = sandbox.Get(mine.PolicyId!);
            Assert.NotEqual(mine.UpdateToken, theirs.UpdateToken);
            var puts = sandbox.Calls("PutPolicy");

            var result = sandbox.Run(new SetFmsPolicy { InputObject = mine, RemediationEnabledValue = false });
            var error = Assert.Single(result.Errors);
            Assert.Equal("ConcurrentModification", error.ErrorId);
            Assert.Contains(mine.UpdateToken!, error.Message);
            Assert.Contains(theirs.UpdateToken!, error.Message);
            Assert.Contains("Description", error.Message);
            Assert.Contains("changed by someone else", error.Message);
            var conflict = Assert.IsType<FmsTools.Engine.Diagnostics.FmsConflictException>(error.Exception);
            Assert.Equal(theirs.UpdateToken, Assert.IsType<FmsPolicy>(conflict.CurrentVersion).UpdateToken);
            Assert.Equal(mine.UpdateToken, conflict.YourToken);

            Assert.Equal(puts, sandbox.Calls("PutPolicy"));
            var after = sandbox.Get(mine.PolicyId!);
            Assert.Equal("changed by someone else", after.Description);
            Assert.True(after.RemediationEnabled);
            Assert.Equal(theirs.UpdateToken, after.UpdateToken);
        }

        [Fact]
        public void Set_by_id_changes_scope_and_tags()
        {
            using var sandbox = new PolicySandbox();
            var policy = Demo(sandbox, "demo-dns-firewall");
            var result = sandbox.RunClean(new SetFmsPolicy
            {
                PolicyId = policy.PolicyId,
                IncludeOrganizationalUnit = new[] { "ou-d3m0-dev00001" },
                ExcludeAccount = new string[0],
                Tag = new Hashtable { ["owner"] = "netops" },
                PassThruFlag = true,
            });
            var stored = Assert.Single(result.OutputOf<FmsPolicy>());
            Assert.Equal(new[] { "ou-d3m0-dev00001" }, stored.Scope!.IncludeOrganizationalUnits);
            var read = sandbox.Get(policy.PolicyId!);
            Assert.Equal(new[] { "ou-d3m0-dev00001" }, read.Scope!.IncludeOrganizationalUnits);
            Assert.Equal("netops", read.Tags!["owner"]);
            Assert.Single(read.Tags);
        }

        [Fact]
        public void Remove_with_WhatIf_makes_no_mutating_call_and_Force_deletes()
        {
            using var sandbox = new PolicySandbox();
            var policy = Demo(sandbox, "demo-nacl-baseline");
            sandbox.Host.RequestLog.Clear();

            var preview = sandbox.Run(new RemoveFmsPolicy { PolicyId = policy.PolicyId, DeleteAllPolicyResourcesFlag = true }, new RecordingCommandHost { WhatIf = true });
            var call = Assert.Single(preview.ShouldProcessCalls);
            Assert.Contains("NETWORK_ACL_COMMON", call.Action);
            Assert.Contains("also removes", call.Action);
            Assert.Equal(0, sandbox.MutatingCalls);
            Assert.Equal(0, sandbox.Calls("DeletePolicy"));

            var removed = sandbox.RunClean(new RemoveFmsPolicy { PolicyId = policy.PolicyId, ForceFlag = true, PassThruFlag = true });
            Assert.Equal(policy.PolicyId, Assert.Single(removed.OutputOf<FmsPolicy>()).PolicyId);
            Assert.Equal(1, sandbox.Calls("DeletePolicy"));
            var gone = sandbox.Run(new GetFmsPolicy { PolicyId = new[] { policy.PolicyId! } });
            Assert.Equal("ResourceNotFoundException", Assert.Single(gone.Errors).ErrorId);
        }

        [Fact]
        public void Test_and_Set_apply_the_same_settings_rules_as_the_builders()
        {
            var policy = Assert.Single(CmdletRunner.Run(new NewFmsNetworkFirewallPolicy { Name = "nfw", StatefulRuleGroup = new object[] { "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny" }, OfflineFlag = true, Region = "us-east-1" }).OutputOf<FmsPolicy>());
            ((NetworkFirewallSettings)policy.Settings!).FirewallPolicy.StatefulRuleGroupReferences[0].ResourceArn = "arn:aws:network-firewall:us-east-1:222222222222:firewall/deny";

            var findings = CmdletRunner.Run(new TestFmsPolicy { InputObject = policy }).OutputOf<PolicyFinding>().ToList();
            Assert.Equal("NetworkFirewall.RuleGroupArn.Format", Assert.Single(findings, f => f.SeverityValue == PolicyFindingSeverity.Error).Rule);

            using var sandbox = new PolicySandbox();
            sandbox.Host.RequestLog.Clear();
            var set = sandbox.Run(new SetFmsPolicy { InputObject = policy });
            Assert.Equal("NetworkFirewall.RuleGroupArn.Format", Assert.Single(set.Errors).ErrorId);
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);
        }

        [Fact]
        public void Test_writes_findings_and_Quiet_answers_once()
        {
            var invalid = CmdletRunner.Run(new NewFmsSecurityGroupPolicy { Name = "sg", UsageAuditFlag = true, OfflineFlag = true });
            var policy = Assert.Single(invalid.OutputOf<FmsPolicy>()); // only a warning: no action chosen
            policy.Scope!.IncludeAccounts.Add("111111111111");
            policy.Scope.ExcludeAccounts.Add("222222222222");

            var findings = CmdletRunner.Run(new TestFmsPolicy { InputObject = policy }).OutputOf<PolicyFinding>().ToList();
            Assert.Contains(findings, f => f.Rule == "Scope.IncludeExcludeExclusive" && f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Contains(findings, f => f.Rule == "SecurityGroupsUsageAudit.NoAction" && f.SeverityValue == PolicyFindingSeverity.Warning);

            var valid = Assert.Single(CmdletRunner.Run(new NewFmsDnsFirewallPolicy { Name = "dns", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, OfflineFlag = true }).OutputOf<FmsPolicy>());
            var host = new RecordingCommandHost();
            CmdletRunner.RunPipeline(new TestFmsPolicy { QuietFlag = true }, new[] { valid }, (c, p) => c.InputObject = p, host);
            Assert.Equal(new object?[] { true }, host.Output);
            host = new RecordingCommandHost();
            CmdletRunner.RunPipeline(new TestFmsPolicy { QuietFlag = true }, new[] { valid, policy }, (c, p) => c.InputObject = p, host);
            Assert.Equal(new object?[] { false }, host.Output);
        }

        [Fact]
        public void Import_reports_each_bad_file_with_its_field_and_reads_the_others()
        {
            var folder = TempFolder.Create();
            var good = Assert.Single(CmdletRunner.Run(new NewFmsDnsFirewallPolicy { Name = "dns-good", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, OfflineFlag = true }).OutputOf<FmsPolicy>());
            File.WriteAllText(Path.Combine(folder, "good.fmspolicy.json"), PolicyDocumentSerializer.Write(good));
            File.WriteAllText(Path.Combine(folder, "bad.fmspolicy.json"), PolicyDocumentSerializer.Write(good).Replace("\"remediationEnabled\": false", "\"remediationEnabled\": \"no\""));
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a policy");

            var result = CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { folder } });
            Assert.Equal("dns-good", Assert.Single(result.OutputOf<FmsPolicy>()).Name);
            var error = Assert.Single(result.Errors);
            Assert.Equal("PolicyDocument.Invalid", error.ErrorId);
            Assert.Contains("bad.fmspolicy.json", error.Message);
            Assert.Contains("remediationEnabled", error.Message);

            var wildcard = CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { Path.Combine(folder, "go*.fmspolicy.json") } }, new RecordingCommandHost { CurrentDirectory = folder });
            Assert.Single(wildcard.OutputOf<FmsPolicy>());
            Assert.Empty(wildcard.Errors);
            var missing = CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { Path.Combine(folder, "nothing-*.json") } });
            Assert.Equal("PathNotFound", Assert.Single(missing.Errors).ErrorId);
        }

        [Fact]
        public void Import_refuses_a_file_whose_values_the_builders_would_refuse_naming_file_and_field()
        {
            var folder = TempFolder.Create();
            var good = Assert.Single(CmdletRunner.Run(new NewFmsDnsFirewallPolicy { Name = "dns-good", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, OfflineFlag = true }).OutputOf<FmsPolicy>());
            var text = PolicyDocumentSerializer.Write(good);
            File.WriteAllText(Path.Combine(folder, "good.fmspolicy.json"), text);
            // Right JSON types, wrong values: a 300-character name and an account id of 5 digits.
            File.WriteAllText(Path.Combine(folder, "long.fmspolicy.json"), text.Replace("\"dns-good\"", "\"" + new string('n', 300) + "\""));
            var scoped = good.Clone();
            scoped.Scope!.IncludeAccounts.Add("12345");
            File.WriteAllText(Path.Combine(folder, "scoped.fmspolicy.json"), PolicyDocumentSerializer.Write(scoped));

            var result = CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { folder } });

            Assert.Equal("dns-good", Assert.Single(result.OutputOf<FmsPolicy>()).Name);
            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Equal("PolicyDocument.Invalid", e.ErrorId));
            Assert.Contains(result.Errors, e => e.Message.Contains("long.fmspolicy.json") && e.Message.Contains("field 'name'") && e.Message.Contains("Policy.Name.Length"));
            Assert.Contains(result.Errors, e => e.Message.Contains("scoped.fmspolicy.json") && e.Message.Contains("field 'scope.includeAccounts[0]'") && e.Message.Contains("Scope.AccountId.Format"));
        }

        [Fact]
        public void Every_demo_policy_exported_is_imported_again_without_errors()
        {
            using var sandbox = new PolicySandbox();
            var folder = TempFolder.Create();
            var summaries = sandbox.RunClean(new GetFmsPolicy()).OutputOf<FmsPolicy>().ToList();
            Assert.NotEmpty(summaries);
            var export = CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = folder }), summaries, (c, p) => c.InputObject = p);
            Assert.Empty(export.Errors);

            var imported = CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { folder } });

            Assert.Empty(imported.Errors);
            Assert.Equal(summaries.Select(p => p.Name).OrderBy(n => n), imported.OutputOf<FmsPolicy>().Select(p => p.Name).OrderBy(n => n));
        }

        [Fact]
        public void Export_keeps_existing_files_unless_Force()
        {
            using var sandbox = new PolicySandbox();
            var folder = TempFolder.Create();
            var summaries = sandbox.RunClean(new GetFmsPolicy { Name = new[] { "demo-sg-*" } }).OutputOf<FmsPolicy>().ToList();
            Assert.Equal(3, summaries.Count);
            Assert.All(summaries, p => Assert.False(p.IsDetailed));
            var first = CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = folder }), summaries, (c, p) => c.InputObject = p);
            Assert.Empty(first.Errors);
            Assert.Equal(3, first.OutputOf<PolicyFileInfo>().Count());
            Assert.Equal(3, Directory.GetFiles(folder, "*.fmspolicy.json").Length);

            var second = CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = folder }), summaries.Take(1), (c, p) => c.InputObject = p);
            Assert.Equal("FileExists", Assert.Single(second.Errors).ErrorId);
            var forced = CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = folder, ForceFlag = true }), summaries.Take(1), (c, p) => c.InputObject = p);
            Assert.True(Assert.Single(forced.OutputOf<PolicyFileInfo>()).Overwritten);
        }

        [Fact]
        public void Compare_two_policies_lists_each_difference_and_nothing_when_equal()
        {
            using var sandbox = new PolicySandbox();
            var deployed = Demo(sandbox, "demo-waf-baseline");
            var desired = deployed.Clone();
            desired.RemediationEnabled = false;
            desired.Scope!.IncludeOrganizationalUnits.Add("ou-d3m0-dev00001");
            var rows = sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = deployed, DifferencePolicy = desired }).OutputOf<FmsPolicyDifference>().ToList();
            Assert.Equal(new[] { "RemediationEnabled", "Scope.IncludeOrganizationalUnits" }, rows.Select(r => r.Path).OrderBy(p => p));
            Assert.All(rows, r => Assert.Equal("demo-waf-baseline", r.PolicyName));
            Assert.Empty(sandbox.RunClean(new CompareFmsPolicy { ReferencePolicy = deployed, DifferencePolicy = deployed.Clone() }).Output);

            var notDeployed = Assert.Single(CmdletRunner.Run(new NewFmsDnsFirewallPolicy { Name = "never-deployed", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, OfflineFlag = true }).OutputOf<FmsPolicy>());
            var summary = sandbox.RunClean(new CompareFmsPolicy { InputObject = notDeployed, SummaryFlag = true });
            Assert.Equal(PolicyComparisonStatus.NotDeployed, Assert.Single(summary.OutputOf<FmsPolicyComparison>()).StatusValue);
            Assert.Equal("PolicyNotDeployed", Assert.Single(sandbox.Run(new CompareFmsPolicy { InputObject = notDeployed }).Errors).ErrorId);
        }

        [Fact]
        public void Sync_plans_under_WhatIf_then_creates_updates_and_deletes_and_is_then_idempotent()
        {
            using var sandbox = new PolicySandbox();
            var folder = TempFolder.Create();
            var deployed = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).OutputOf<FmsPolicy>().ToList();
            CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = folder }), deployed, (c, p) => c.InputObject = p);
            var files = Directory.GetFiles(folder, "*.fmspolicy.json").OrderBy(f => f).ToList();
            Assert.Equal(deployed.Count, files.Count);

            // Edit one file, delete another, add a new policy.
            var shieldFile = files.Single(f => Path.GetFileName(f).StartsWith("demo-shield-advanced"));
            File.WriteAllText(shieldFile, File.ReadAllText(shieldFile).Replace("\"remediationEnabled\": true", "\"remediationEnabled\": false"));
            var naclFile = files.Single(f => Path.GetFileName(f).StartsWith("demo-nacl-baseline"));
            var naclId = deployed.Single(p => p.Name == "demo-nacl-baseline").PolicyId;
            File.Delete(naclFile);
            var added = Assert.Single(CmdletRunner.Run(new NewFmsDnsFirewallPolicy { Name = "dns-from-git", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, OfflineFlag = true }).OutputOf<FmsPolicy>());
            File.WriteAllText(Path.Combine(folder, "dns-from-git.fmspolicy.json"), PolicyDocumentSerializer.Write(added));

            sandbox.Host.RequestLog.Clear();
            var plan = sandbox.Run(new SyncFmsPolicy { Path = new[] { folder }, DeleteMissingFlag = true }, new RecordingCommandHost { WhatIf = true });
            Assert.Empty(plan.Errors);
            Assert.Equal(0, sandbox.MutatingCalls);
            var planned = plan.OutputOf<PolicySyncResult>().ToList();
            Assert.Equal(deployed.Count + 1, planned.Count);
            Assert.Equal(SyncActionKind.Create, planned.Single(r => r.Name == "dns-from-git").ActionValue);
            Assert.Equal(SyncActionKind.Update, planned.Single(r => r.Name == "demo-shield-advanced").ActionValue);
            Assert.Equal(SyncActionKind.Delete, planned.Single(r => r.Name == "demo-nacl-baseline").ActionValue);
            Assert.All(planned.Where(r => r.ActionValue != SyncActionKind.Unchanged), r => Assert.Equal(PolicySyncStatus.NotApplied, r.StatusValue));
            Assert.Equal(deployed.Count - 2, planned.Count(r => r.StatusValue == PolicySyncStatus.Unchanged));
            Assert.Equal(3, plan.ShouldProcessCalls.Count);
            Assert.Contains(plan.ShouldProcessCalls, c => c.Action.Contains("RemediationEnabled: true -> false"));

            var applied = sandbox.RunClean(new SyncFmsPolicy { Path = new[] { folder }, DeleteMissingFlag = true });
            Assert.Equal(3, applied.OutputOf<PolicySyncResult>().Count(r => r.StatusValue == PolicySyncStatus.Applied));
            Assert.False(sandbox.Get(deployed.Single(p => p.Name == "demo-shield-advanced").PolicyId!).RemediationEnabled);
            Assert.Equal("ResourceNotFoundException", Assert.Single(sandbox.Run(new GetFmsPolicy { PolicyId = new[] { naclId! } }).Errors).ErrorId);
            Assert.Single(sandbox.RunClean(new GetFmsPolicy { Name = new[] { "dns-from-git" } }).Output);

            sandbox.Host.RequestLog.Clear();
            var rerun = sandbox.RunClean(new SyncFmsPolicy { Path = new[] { folder }, DeleteMissingFlag = true });
            Assert.All(rerun.OutputOf<PolicySyncResult>(), r => Assert.Equal(PolicySyncStatus.Unchanged, r.StatusValue));
            Assert.Equal(0, sandbox.MutatingCalls);
        }

        [Fact]
        public void Sync_changes_nothing_when_a_file_is_bad_or_the_folder_is_empty()
        {
            using var sandbox = new PolicySandbox();
            var folder = TempFolder.Create();
            sandbox.Host.RequestLog.Clear();
            var empty = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new SyncFmsPolicy { Path = new[] { folder }, DeleteMissingFlag = true }));
            Assert.Equal("SyncAborted", empty.Error.ErrorId);

            File.WriteAllText(Path.Combine(folder, "broken.fmspolicy.json"), "{ \"schema\": ");
            var host = new RecordingCommandHost();
            var broken = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new SyncFmsPolicy { Path = new[] { folder }, DeleteMissingFlag = true }, host));
            Assert.Equal("SyncAborted", broken.Error.ErrorId);
            Assert.Contains(host.Errors, e => e.ErrorId == "PolicyDocument.Invalid" && e.Message.Contains("broken.fmspolicy.json"));
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);
        }
    }
}
