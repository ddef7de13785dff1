using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Set, Remove, Test, Import, Export, Compare and Sync in a runspace connected to the demo sandbox.</summary>
    public sealed class PolicyLifecycleCmdletTests : IClassFixture<SandboxSessionFixture>
    {
        private readonly SandboxSessionFixture _fixture;

        public PolicyLifecycleCmdletTests(SandboxSessionFixture fixture) { _fixture = fixture; }

        /// <summary>A demo policy, detailed, into <c>$variable</c>.</summary>
        private FmsPolicy Demo(string variable, string name)
            => Assert.Single(_fixture.Read<FmsPolicy>($"${variable} = Get-FmsPolicy -Name {name} -Detailed; ${variable}"));

        private FmsPolicy Deployed(string policyId) => Assert.Single(_fixture.Read<FmsPolicy>($"Get-FmsPolicy -PolicyId '{policyId}'"));

        [Fact]
        public void Set_shows_the_diff_in_ShouldProcess_and_updates_with_the_token_it_read()
        {
            _fixture.Renew();
            var before = Demo("before", "demo-waf-baseline");
            Assert.True(before.RemediationEnabled);

            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;
            _fixture.Succeed("$before | Set-FmsPolicy -RemediationEnabled:$false -Description reviewed -WhatIf");
            var preview = Assert.Single(_fixture.Host.WhatIfLines(text));
            Assert.Contains("RemediationEnabled: true -> false", preview);
            Assert.Contains("Description", preview);
            Assert.Equal(0, _fixture.Calls("PutPolicy", mark));

            var stored = Assert.Single(_fixture.Read<FmsPolicy>("$stored = $before | Set-FmsPolicy -RemediationEnabled:$false -Description reviewed -PassThru; $stored"));
            Assert.False(stored.RemediationEnabled);
            Assert.NotEqual(before.UpdateToken, stored.UpdateToken);
            Assert.Equal("reviewed", Deployed(before.PolicyId!).Description);

            // Applying the same again: nothing differs, so nothing is asked and nothing is sent.
            var prompts = _fixture.Host.Prompts.Count;
            _fixture.Succeed("$stored | Set-FmsPolicy -Confirm");
            Assert.Equal(prompts, _fixture.Host.Prompts.Count);
            Assert.Equal(1, _fixture.Calls("PutPolicy", mark));
        }

        [Fact]
        public void Set_with_a_stale_token_reports_a_conflict_naming_both_versions_and_overwrites_nothing()
        {
            _fixture.Renew();
            var mine = Demo("mine", "demo-shield-advanced");

            // Someone else changes the policy after I read it.
            _fixture.Succeed("Set-FmsPolicy -PolicyId $mine.PolicyId -Description 'changed by someone else'");
            var theirs = Deployed(mine.PolicyId!);
            Assert.NotEqual(mine.UpdateToken, theirs.UpdateToken);
            var mark = _fixture.Mark;

            var error = _fixture.Run("$mine | Set-FmsPolicy -RemediationEnabled:$false").ShouldReportOne("ConcurrentModification");
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Contains(mine.UpdateToken!, error.Message());
            Assert.Contains(theirs.UpdateToken!, error.Message());
            Assert.Contains("Description", error.Message());
            Assert.Contains("changed by someone else", error.Message());
            var conflict = Assert.IsType<FmsConflictException>(error.Exception);
            Assert.Equal(theirs.UpdateToken, Assert.IsType<FmsPolicy>(conflict.CurrentVersion).UpdateToken);
            Assert.Equal(mine.UpdateToken, conflict.YourToken);

            Assert.Equal(0, _fixture.Calls("PutPolicy", mark));
            var after = Deployed(mine.PolicyId!);
            Assert.Equal("changed by someone else", after.Description);
            Assert.True(after.RemediationEnabled);
            Assert.Equal(theirs.UpdateToken, after.UpdateToken);
        }

        [Fact]
        public void Set_by_id_changes_scope_and_tags()
        {
            _fixture.Renew();
            var policy = Demo("policy", "demo-dns-firewall");
            var stored = Assert.Single(_fixture.Read<FmsPolicy>(
                "Set-FmsPolicy -PolicyId $policy.PolicyId -IncludeOrganizationalUnit ou-d3m0-dev00001 -ExcludeAccount @() -Tag @{ owner = 'netops' } -PassThru"));
            Assert.Equal(new[] { "ou-d3m0-dev00001" }, stored.Scope!.IncludeOrganizationalUnits);
            var read = Deployed(policy.PolicyId!);
            Assert.Equal(new[] { "ou-d3m0-dev00001" }, read.Scope!.IncludeOrganizationalUnits);
            Assert.Equal("netops", read.Tags!["owner"]);
            Assert.Single(read.Tags);
        }

        [Fact]
        public void Remove_with_WhatIf_makes_no_mutating_call_and_Force_deletes()
        {
            _fixture.Renew();
            var policy = Demo("policy", "demo-nacl-baseline");
            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;

            _fixture.Succeed("Remove-FmsPolicy -PolicyId $policy.PolicyId -DeleteAllPolicyResources -WhatIf");
            var preview = Assert.Single(_fixture.Host.WhatIfLines(text));
            Assert.Contains("NETWORK_ACL_COMMON", preview);
            Assert.Contains("also removes", preview);
            Assert.Empty(_fixture.MutatingSince(mark));

            var removed = Assert.Single(_fixture.Read<FmsPolicy>("Remove-FmsPolicy -PolicyId $policy.PolicyId -Force -PassThru"));
            Assert.Equal(policy.PolicyId, removed.PolicyId);
            Assert.Equal(1, _fixture.Calls("DeletePolicy", mark));
            Assert.Equal(ErrorCategory.ObjectNotFound,
                _fixture.Run("Get-FmsPolicy -PolicyId $policy.PolicyId").ShouldReportOne("ResourceNotFoundException").CategoryInfo.Category);
        }

        [Fact]
        public void Test_and_Set_apply_the_same_settings_rules_as_the_builders()
        {
            _fixture.Succeed("$nfw = New-FmsNetworkFirewallPolicy -Name nfw -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -Offline -Region us-east-1; "
                             + "$nfw.Settings.FirewallPolicy.StatefulRuleGroupReferences[0].ResourceArn = 'arn:aws:network-firewall:us-east-1:222222222222:firewall/deny'");

            var findings = _fixture.Read<PolicyFinding>("$nfw | Test-FmsPolicy");
            Assert.Equal("NetworkFirewall.RuleGroupArn.Format", Assert.Single(findings, f => f.SeverityValue == PolicyFindingSeverity.Error).Rule);

            var mark = _fixture.Mark;
            _fixture.Run("$nfw | Set-FmsPolicy").ShouldReportOne("NetworkFirewall.RuleGroupArn.Format");
            Assert.Empty(_fixture.RequestsSince(mark));
        }

        [Fact]
        public void Test_writes_findings_and_Quiet_answers_once()
        {
            // Only a warning when built: no action chosen.
            _fixture.Succeed("$sg = New-FmsSecurityGroupPolicy -Name sg -UsageAudit -Offline; $sg.Scope.IncludeAccounts.Add('111111111111'); $sg.Scope.ExcludeAccounts.Add('222222222222')");
            var findings = _fixture.Read<PolicyFinding>("$sg | Test-FmsPolicy");
            Assert.Contains(findings, f => f.Rule == "Scope.IncludeExcludeExclusive" && f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Contains(findings, f => f.Rule == "SecurityGroupsUsageAudit.NoAction" && f.SeverityValue == PolicyFindingSeverity.Warning);

            _fixture.Succeed("$dns = New-FmsDnsFirewallPolicy -Name dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline");
            Assert.Equal(new[] { true }, _fixture.Read<bool>("$dns | Test-FmsPolicy -Quiet"));
            Assert.Equal(new[] { false }, _fixture.Read<bool>("$dns, $sg | Test-FmsPolicy -Quiet"));
        }

        [Fact]
        public void Import_reports_each_bad_file_with_its_field_and_reads_the_others()
        {
            var folder = _fixture.NewFolder();
            _fixture.Set("folder", folder);
            var good = Assert.Single(_fixture.Read<FmsPolicy>("New-FmsDnsFirewallPolicy -Name dns-good -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline"));
            File.WriteAllText(Path.Combine(folder, "good.fmspolicy.json"), PolicyDocumentSerializer.Write(good));
            File.WriteAllText(Path.Combine(folder, "bad.fmspolicy.json"), PolicyDocumentSerializer.Write(good).Replace("\"remediationEnabled\": false", "\"remediationEnabled\": \"no\""));
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a policy");

            var result = _fixture.Run("Import-FmsPolicy -Path $folder");
            Assert.Equal("dns-good", Assert.Single(result.OutputOf<FmsPolicy>()).Name);
            var error = result.ShouldReportOne("PolicyDocument.Invalid");
            Assert.Contains("bad.fmspolicy.json", error.Message());
            Assert.Contains("remediationEnabled", error.Message());

            // A relative wildcard path resolves against the session's current location.
            var wildcard = _fixture.Succeed("Push-Location $folder; try { Import-FmsPolicy -Path 'go*.fmspolicy.json' } finally { Pop-Location }");
            Assert.Single(wildcard.OutputOf<FmsPolicy>());
            var missing = _fixture.Run("Import-FmsPolicy -Path (Join-Path $folder 'nothing-*.json')").ShouldReportOne("PathNotFound");
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        }

        [Fact]
        public void Import_refuses_a_file_whose_values_the_builders_would_refuse_naming_file_and_field()
        {
            var folder = _fixture.NewFolder();
            _fixture.Set("folder", folder);
            var good = Assert.Single(_fixture.Read<FmsPolicy>("New-FmsDnsFirewallPolicy -Name dns-good -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline"));
            var text = PolicyDocumentSerializer.Write(good);
            File.WriteAllText(Path.Combine(folder, "good.fmspolicy.json"), text);
            // Right JSON types, wrong values: a 300-character name and an account id of 5 digits.
            File.WriteAllText(Path.Combine(folder, "long.fmspolicy.json"), text.Replace("\"dns-good\"", "\"" + new string('n', 300) + "\""));
            var scoped = good.Clone();
            scoped.Scope!.IncludeAccounts.Add("12345");
            File.WriteAllText(Path.Combine(folder, "scoped.fmspolicy.json"), PolicyDocumentSerializer.Write(scoped));

            var result = _fixture.Run("Import-FmsPolicy -Path $folder");

            Assert.Equal("dns-good", Assert.Single(result.OutputOf<FmsPolicy>()).Name);
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "PolicyDocument.Invalid", "PolicyDocument.Invalid" }, result.ErrorIds());
            Assert.Contains(result.Errors, e => e.Message().Contains("long.fmspolicy.json") && e.Message().Contains("field 'name'") && e.Message().Contains("Policy.Name.Length"));
            Assert.Contains(result.Errors, e => e.Message().Contains("scoped.fmspolicy.json") && e.Message().Contains("field 'scope.includeAccounts[0]'") && e.Message().Contains("Scope.AccountId.Format"));
        }

        [Fact]
        public void Every_demo_policy_exported_is_imported_again_without_errors()
        {
            _fixture.Renew();
            _fixture.Set("folder", _fixture.NewFolder());
            var summaries = _fixture.Read<FmsPolicy>("$summaries = Get-FmsPolicy; $summaries");
            Assert.NotEmpty(summaries);
            _fixture.Succeed("$null = $summaries | Export-FmsPolicy -Path $folder");

            var imported = _fixture.Read<FmsPolicy>("Import-FmsPolicy -Path $folder");
            Assert.Equal(summaries.Select(p => p.Name).OrderBy(n => n), imported.Select(p => p.Name).OrderBy(n => n));
        }

        [Fact]
        public void Export_keeps_existing_files_unless_Force()
        {
            var folder = _fixture.NewFolder();
            _fixture.Set("folder", folder);
            var summaries = _fixture.Read<FmsPolicy>("$summaries = Get-FmsPolicy -Name 'demo-sg-*'; $summaries");
            Assert.Equal(3, summaries.Count);
            Assert.All(summaries, p => Assert.False(p.IsDetailed));
            Assert.Equal(3, _fixture.Read<PolicyFileInfo>("$summaries | Export-FmsPolicy -Path $folder").Count);
            Assert.Equal(3, Directory.GetFiles(folder, "*.fmspolicy.json").Length);

            var exists = _fixture.Run("$summaries[0] | Export-FmsPolicy -Path $folder").ShouldReportOne("FileExists");
            Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);
            Assert.True(Assert.Single(_fixture.Read<PolicyFileInfo>("$summaries[0] | Export-FmsPolicy -Path $folder -Force")).Overwritten);
        }

        [Fact]
        public void Compare_two_policies_lists_each_difference_and_nothing_when_equal()
        {
            Demo("deployed", "demo-waf-baseline");
            var rows = _fixture.Read<FmsPolicyDifference>("$desired = $deployed.Clone(); $desired.RemediationEnabled = -not $deployed.RemediationEnabled; "
                                                           + "$desired.Scope.IncludeOrganizationalUnits.Add('ou-d3m0-dev00001'); Compare-FmsPolicy -ReferencePolicy $deployed -DifferencePolicy $desired");
            Assert.Equal(new[] { "RemediationEnabled", "Scope.IncludeOrganizationalUnits" }, rows.Select(r => r.Path).OrderBy(p => p));
            Assert.All(rows, r => Assert.Equal("demo-waf-baseline", r.PolicyName));
            Assert.Empty(_fixture.Succeed("Compare-FmsPolicy -ReferencePolicy $deployed -DifferencePolicy $deployed.Clone()").Output);

            _fixture.Succeed("$never = New-FmsDnsFirewallPolicy -Name never-deployed -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Offline");
            Assert.Equal(PolicyComparisonStatus.NotDeployed, Assert.Single(_fixture.Read<FmsPolicyComparison>("$never | Compare-FmsPolicy -Summary")).StatusValue);
            _fixture.Run("$never | Compare-FmsPolicy").ShouldReportOne("PolicyNotDeployed");
        }
    }
}
