using System;
using System.IO;
using System.Linq;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>
    /// Sync-FmsPolicy checks every create and update online before its first change; Test-FmsPolicy -Online runs the same
    /// checks without deploying. Both read each rule group once and never change anything when a check fails.
    /// </summary>
    public sealed class PolicyOnlineCheckCmdletTests : IClassFixture<DefaultQuotaSessionFixture>
    {
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private readonly DefaultQuotaSessionFixture _fixture;
        private readonly string _folder;

        public PolicyOnlineCheckCmdletTests(DefaultQuotaSessionFixture fixture)
        {
            _fixture = fixture;
            _folder = fixture.NewFolder();
            _fixture.Set("folder", _folder);
        }

        private string CustomRuleGroupArn()
            => _fixture.Sandbox.ReadWorld(w => w.GetResources<WafRuleGroup>(_fixture.Sandbox.AdminAccountId, "us-east-1").Single(g => g.Name == "fms-custom-rules").Arn);

        /// <summary>A WAF policy whose customer-owned rule group excludes <paramref name="ruleName"/> (the group has rate-limit-per-ip, block-admin-paths).</summary>
        private static FmsPolicy WafPolicy(string name, string arn, string ruleName)
            => PolicyBuilder.WafV2(name).WithResourceTypes(AlbType).InRegion("us-east-1")
                .Configure(s =>
                {
                    var group = WafV2RuleGroup.Custom(arn);
                    group.ExcludeRules.Add(new WafV2ExcludedRule(ruleName));
                    s.PostProcessRuleGroups.Add(group);
                })
                .Build();

        private static FmsPolicy ShieldPolicy(string name)
            => PolicyBuilder.ShieldAdvanced(name).WithResourceTypes(AlbType).InRegion("us-east-1").Build();

        private string WriteFile(FmsPolicy policy, bool includePolicyId = false)
        {
            var path = Path.Combine(_folder, PolicyDocumentSerializer.SafeFileName(policy));
            File.WriteAllText(path, PolicyDocumentSerializer.Write(policy, includePolicyId));
            return path;
        }

        [Fact]
        public void Sync_with_one_file_the_account_refuses_changes_nothing_and_names_the_file_and_the_field()
        {
            WriteFile(ShieldPolicy("good-shield"));
            var bad = WriteFile(WafPolicy("bad-waf", CustomRuleGroupArn(), "Block-Admin-Paths"));
            _fixture.Set("bad", bad);

            // Offline the file is fine: the rule name is well formed.
            Assert.Equal(new[] { true }, _fixture.Read<bool>("Test-FmsPolicy -Path $bad -Quiet"));

            // Under -WhatIf, and under -Confirm (which would show a prompt for any change it asked about).
            foreach (var mode in new[] { "-WhatIf", "-Confirm" })
            {
                var mark = _fixture.Mark;
                var text = _fixture.Host.Text.Length;
                var prompts = _fixture.Host.Prompts.Count;
                var result = _fixture.Run("Sync-FmsPolicy -Path $folder " + mode);

                var aborted = result.ShouldStopWith("SyncAborted");
                Assert.Contains("nothing was changed", aborted.Message());
                Assert.Contains(Path.GetFileName(bad), aborted.Message());
                Assert.DoesNotContain("good-shield", aborted.Message());
                var error = Assert.Single(result.Errors);
                Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[0].name"), (error.ErrorId(), (string?)error.TargetObject));
                Assert.Contains("Policy 'bad-waf'", error.Message());
                Assert.Empty(_fixture.Host.WhatIfLines(text));
                Assert.Equal(prompts, _fixture.Host.Prompts.Count);
                Assert.Empty(result.OutputOf<PolicySyncResult>());
                Assert.Empty(_fixture.MutatingSince(mark));
                Assert.Equal(1, _fixture.Calls("GetRuleGroup", mark));
            }
            Assert.Empty(_fixture.Succeed("Get-FmsPolicy -Name good-shield, bad-waf").Output);
        }

        [Fact]
        public void Sync_counts_the_whole_plan_against_the_policy_quota()
        {
            // The sandbox enforces the service's default quota (20 per region); the demo has ten policies.
            _fixture.Renew();
            _fixture.Set("folder", _folder);
            var deployed = _fixture.Read<FmsPolicy>("Get-FmsPolicy -Detailed");
            foreach (var policy in deployed) WriteFile(policy, includePolicyId: true);
            var creates = 20 - deployed.Count + 1;
            Assert.True(creates > 1);
            for (var i = 1; i <= creates; i++) WriteFile(ShieldPolicy($"new-shield-{i:00}"));

            // Deployed + creates = 21: each create alone fits (deployed < 20), the plan does not; the last create is named.
            var mark = _fixture.Mark;
            var result = _fixture.Run("Sync-FmsPolicy -Path $folder");
            result.ShouldStopWith("SyncAborted");
            var quota = Assert.Single(result.Errors);
            Assert.Equal("Quota.PoliciesPerRegion", quota.ErrorId());
            Assert.Contains($"Policy 'new-shield-{creates:00}'", quota.Message());
            Assert.Contains("already have 20 policies", quota.Message());
            Assert.Empty(_fixture.MutatingSince(mark));
            Assert.Equal(deployed.Count, _fixture.Read<FmsPolicy>("Get-FmsPolicy").Count);

            // Without one deployed policy's file and with -DeleteMissing: deployed - 1 + creates = 20 fits, and the delete goes first.
            var dropped = deployed.First(p => p.StatusValue != FmsPolicyStatus.OutOfAdminScope);
            File.Delete(Path.Combine(_folder, PolicyDocumentSerializer.SafeFileName(dropped)));
            var results = _fixture.Read<PolicySyncResult>("Sync-FmsPolicy -Path $folder -DeleteMissing");
            Assert.Equal(creates + 1, results.Count(r => r.StatusValue == PolicySyncStatus.Applied));
            Assert.Equal(SyncActionKind.Delete, results.First(r => r.StatusValue == PolicySyncStatus.Applied).ActionValue);
            Assert.Equal(20, _fixture.Read<FmsPolicy>("Get-FmsPolicy").Count);
            // The next test starts from the untouched demo again.
            _fixture.Renew();
        }

        [Fact]
        public void Sync_reads_each_rule_group_once_for_the_whole_plan()
        {
            var arn = CustomRuleGroupArn();
            foreach (var name in new[] { "shared-group-1", "shared-group-2" })
            {
                var policy = WafPolicy(name, arn, "rate-limit-per-ip");
                var managed = WafV2RuleGroup.Managed("AWS", "AWSManagedRulesSQLiRuleSet");
                managed.ExcludeRules.Add(new WafV2ExcludedRule("SQLi_BODY"));
                ((WafV2PolicySettings)policy.Settings!).PreProcessRuleGroups.Add(managed);
                WriteFile(policy);
            }

            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;
            var result = _fixture.Succeed("Sync-FmsPolicy -Path $folder -WhatIf");

            Assert.Equal(2, _fixture.Host.WhatIfLines(text).Count);
            Assert.Empty(_fixture.MutatingSince(mark));
            Assert.Equal(1, _fixture.Calls("GetRuleGroup", mark));
            Assert.Equal(1, _fixture.Calls("DescribeManagedRuleGroup", mark));
            Assert.Equal(2, _fixture.Calls("CheckCapacity", mark));
            Assert.DoesNotContain(result.Warnings, w => w.Contains("not checked"));
        }

        [Fact]
        public void Test_FmsPolicy_Online_passes_the_exported_deployed_policies_with_reads_only()
        {
            // What tests/pester/Policy.Tests.ps1 relies on: the demo's own policies pass the online checks.
            foreach (var policy in _fixture.Read<FmsPolicy>("Get-FmsPolicy -Detailed")) WriteFile(policy, includePolicyId: true);

            var mark = _fixture.Mark;
            Assert.Equal(new[] { true }, _fixture.Read<bool>("Test-FmsPolicy -Path $folder -Online -Quiet"));
            Assert.True(_fixture.Calls("CheckCapacity", mark) > 0);
            Assert.Empty(_fixture.MutatingSince(mark));
        }

        [Fact]
        public void Test_FmsPolicy_Online_finds_what_offline_misses_with_reads_only()
        {
            var arn = CustomRuleGroupArn();
            _fixture.Set("bad", WriteFile(WafPolicy("bad-waf", arn, "Block-Admin-Paths")));
            _fixture.Set("good", WriteFile(WafPolicy("good-waf", arn, "rate-limit-per-ip")));

            var mark = _fixture.Mark;
            var offline = _fixture.Read<PolicyFinding>("Test-FmsPolicy -Path $bad, $good");
            Assert.DoesNotContain(offline, f => f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Contains(offline, f => f.Rule == "WafV2.Capacity.NotChecked");
            Assert.Empty(_fixture.RequestsSince(mark));

            var online = _fixture.Read<PolicyFinding>("Test-FmsPolicy -Path $bad, $good -Online");
            var error = Assert.Single(online, f => f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[0].name"), ((string)error.Rule, error.Field));
            Assert.DoesNotContain(online, f => f.Rule == "WafV2.Capacity.NotChecked");
            Assert.Equal(1, _fixture.Calls("GetRuleGroup", mark));
            Assert.Equal(1, _fixture.Calls("CheckCapacity", mark));
            Assert.Equal(1, _fixture.Calls("ListPolicies", mark));

            Assert.Equal(new[] { false }, _fixture.Read<bool>("Test-FmsPolicy -Path $bad, $good -Online -Quiet"));
            Assert.Equal(new[] { true }, _fixture.Read<bool>("Test-FmsPolicy -Path $good -Online -Quiet"));
            Assert.Empty(_fixture.MutatingSince(mark));
        }
    }
}
