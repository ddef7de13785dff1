using System;
using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>
    /// Sync-FmsPolicy checks every create and update online before its first change; Test-FmsPolicy -Online runs the same
    /// checks without deploying. Both read each rule group once and never change anything when a check fails.
    /// </summary>
    public sealed class PolicyOnlineCheckCmdletTests : IDisposable
    {
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private readonly string _folder = TempFolder.Create();

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        private static string CustomRuleGroupArn(PolicySandbox sandbox)
            => sandbox.Host.ReadWorld(w => w.GetResources<WafRuleGroup>(sandbox.Host.AdminAccountId, "us-east-1").Single(g => g.Name == "fms-custom-rules").Arn);

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
            using var sandbox = new PolicySandbox();
            WriteFile(ShieldPolicy("good-shield"));
            var bad = WriteFile(WafPolicy("bad-waf", CustomRuleGroupArn(sandbox), "Block-Admin-Paths"));

            // Offline the file is fine: the rule name is well formed.
            Assert.True(CmdletRunner.Run(new TestFmsPolicy { Path = new[] { bad }, QuietFlag = true }).OutputOf<bool>().Single());

            foreach (var whatIf in new[] { true, false })
            {
                sandbox.Host.RequestLog.Clear();
                var host = new RecordingCommandHost { WhatIf = whatIf };
                var aborted = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new SyncFmsPolicy { Path = new[] { _folder } }, host));

                Assert.Equal("SyncAborted", aborted.Error.ErrorId);
                Assert.Contains("nothing was changed", aborted.Error.Message);
                Assert.Contains(Path.GetFileName(bad), aborted.Error.Message);
                Assert.DoesNotContain("good-shield", aborted.Error.Message);
                var error = Assert.Single(host.Errors);
                Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[0].name"), (error.ErrorId, (string?)error.TargetObject));
                Assert.Contains("Policy 'bad-waf'", error.Message);
                Assert.Empty(host.ShouldProcessCalls);
                Assert.Empty(host.OutputOf<PolicySyncResult>());
                Assert.Equal(0, sandbox.MutatingCalls);
                Assert.Equal(1, sandbox.Calls("GetRuleGroup"));
            }
            Assert.Empty(sandbox.RunClean(new GetFmsPolicy { Name = new[] { "good-shield", "bad-waf" } }).Output);
        }

        [Fact]
        public void Sync_counts_the_whole_plan_against_the_policy_quota()
        {
            // The sandbox enforces the service's default quota (20 per region); the demo has ten policies.
            using var sandbox = new PolicySandbox(policyQuota: 20);
            var deployed = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).OutputOf<FmsPolicy>().ToList();
            foreach (var policy in deployed) WriteFile(policy, includePolicyId: true);
            var creates = 20 - deployed.Count + 1;
            Assert.True(creates > 1);
            for (var i = 1; i <= creates; i++) WriteFile(ShieldPolicy($"new-shield-{i:00}"));

            // Deployed + creates = 21: each create alone fits (deployed < 20), the plan does not; the last create is named.
            sandbox.Host.RequestLog.Clear();
            var host = new RecordingCommandHost();
            var aborted = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new SyncFmsPolicy { Path = new[] { _folder } }, host));
            Assert.Equal("SyncAborted", aborted.Error.ErrorId);
            var quota = Assert.Single(host.Errors);
            Assert.Equal("Quota.PoliciesPerRegion", quota.ErrorId);
            Assert.Contains($"Policy 'new-shield-{creates:00}'", quota.Message);
            Assert.Contains("already have 20 policies", quota.Message);
            Assert.Equal(0, sandbox.MutatingCalls);
            Assert.Equal(deployed.Count, sandbox.RunClean(new GetFmsPolicy()).OutputOf<FmsPolicy>().Count());

            // Without one deployed policy's file and with -DeleteMissing: deployed - 1 + creates = 20 fits, and the delete goes first.
            var dropped = deployed.First(p => p.StatusValue != FmsPolicyStatus.OutOfAdminScope);
            File.Delete(Path.Combine(_folder, PolicyDocumentSerializer.SafeFileName(dropped)));
            var applied = sandbox.RunClean(new SyncFmsPolicy { Path = new[] { _folder }, DeleteMissingFlag = true });
            var results = applied.OutputOf<PolicySyncResult>().ToList();
            Assert.Equal(creates + 1, results.Count(r => r.StatusValue == PolicySyncStatus.Applied));
            Assert.Equal(SyncActionKind.Delete, results.First(r => r.StatusValue == PolicySyncStatus.Applied).ActionValue);
            Assert.Equal(20, sandbox.RunClean(new GetFmsPolicy()).OutputOf<FmsPolicy>().Count());
        }

        [Fact]
        public void Sync_reads_each_rule_group_once_for_the_whole_plan()
        {
            using var sandbox = new PolicySandbox();
            var arn = CustomRuleGroupArn(sandbox);
            foreach (var name in new[] { "shared-group-1", "shared-group-2" })
            {
                var policy = WafPolicy(name, arn, "rate-limit-per-ip");
                var managed = WafV2RuleGroup.Managed("AWS", "AWSManagedRulesSQLiRuleSet");
                managed.ExcludeRules.Add(new WafV2ExcludedRule("SQLi_BODY"));
                ((WafV2PolicySettings)policy.Settings!).PreProcessRuleGroups.Add(managed);
                WriteFile(policy);
            }

            sandbox.Host.RequestLog.Clear();
            var host = sandbox.RunClean(new SyncFmsPolicy { Path = new[] { _folder } }, new RecordingCommandHost { WhatIf = true });

            Assert.Equal(2, host.ShouldProcessCalls.Count);
            Assert.Equal(0, sandbox.MutatingCalls);
            Assert.Equal(1, sandbox.Calls("GetRuleGroup"));
            Assert.Equal(1, sandbox.Calls("DescribeManagedRuleGroup"));
            Assert.Equal(2, sandbox.Calls("CheckCapacity"));
            Assert.DoesNotContain(host.Warnings, w => w.Contains("not checked"));
        }

        [Fact]
        public void Test_FmsPolicy_Online_passes_the_exported_deployed_policies_with_reads_only()
        {
            // What tests/pester/Policy.Tests.ps1 relies on: the demo's own policies pass the online checks.
            using var sandbox = new PolicySandbox();
            var deployed = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).OutputOf<FmsPolicy>().ToList();
            foreach (var policy in deployed) WriteFile(policy, includePolicyId: true);

            sandbox.Host.RequestLog.Clear();
            var host = sandbox.RunClean(new TestFmsPolicy { Path = new[] { _folder }, OnlineFlag = true, QuietFlag = true });

            Assert.True(host.OutputOf<bool>().Single());
            Assert.True(sandbox.Calls("CheckCapacity") > 0);
            Assert.Equal(0, sandbox.MutatingCalls);
        }

        [Fact]
        public void Test_FmsPolicy_Online_finds_what_offline_misses_with_reads_only()
        {
            using var sandbox = new PolicySandbox();
            var arn = CustomRuleGroupArn(sandbox);
            var bad = WriteFile(WafPolicy("bad-waf", arn, "Block-Admin-Paths"));
            var good = WriteFile(WafPolicy("good-waf", arn, "rate-limit-per-ip"));

            sandbox.Host.RequestLog.Clear();
            var offline = sandbox.Run(new TestFmsPolicy { Path = new[] { bad, good } });
            Assert.Empty(offline.Errors);
            Assert.DoesNotContain(offline.OutputOf<PolicyFinding>(), f => f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Contains(offline.OutputOf<PolicyFinding>(), f => f.Rule == "WafV2.Capacity.NotChecked");
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);

            var online = sandbox.Run(new TestFmsPolicy { Path = new[] { bad, good }, OnlineFlag = true });
            Assert.Empty(online.Errors);
            var error = Assert.Single(online.OutputOf<PolicyFinding>(), f => f.SeverityValue == PolicyFindingSeverity.Error);
            Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[0].name"), ((string)error.Rule, error.Field));
            Assert.DoesNotContain(online.OutputOf<PolicyFinding>(), f => f.Rule == "WafV2.Capacity.NotChecked");
            Assert.Equal(1, sandbox.Calls("GetRuleGroup"));
            Assert.Equal(1, sandbox.Calls("CheckCapacity"));
            Assert.Equal(1, sandbox.Calls("ListPolicies"));

            var quiet = sandbox.Run(new TestFmsPolicy { Path = new[] { bad, good }, OnlineFlag = true, QuietFlag = true });
            Assert.False(quiet.OutputOf<bool>().Single());
            Assert.True(sandbox.Run(new TestFmsPolicy { Path = new[] { good }, OnlineFlag = true, QuietFlag = true }).OutputOf<bool>().Single());
            Assert.Equal(0, sandbox.MutatingCalls);
        }
    }
}
