using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Compliance;
using FmsTools.Tests.Host;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Online policy validation reads the rule groups' rules (DescribeManagedRuleGroup, GetRuleGroup) from the sandbox.</summary>
    public sealed class PolicyOnlineValidationTests : IDisposable
    {
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private readonly PolicySandbox _sandbox = new PolicySandbox();

        public void Dispose() => _sandbox.Dispose();

        private PolicyService Service()
        {
            var admin = SigV4TestClient.Admin(_sandbox.Host);
            return new PolicyService(new FmsClient(admin), new Wafv2Client(admin.For("AWSWAF_20190729", "wafv2")), "us-east-1");
        }

        private string CustomRuleGroupArn()
            => _sandbox.Host.ReadWorld(w => w.GetResources<WafRuleGroup>(_sandbox.Host.AdminAccountId, "us-east-1").Single(g => g.Name == "fms-custom-rules").Arn);

        private static FmsPolicy Policy(Action<WafV2PolicySettings> configure)
            => PolicyBuilder.WafV2("online-rules").WithResourceTypes(AlbType).InRegion("us-east-1").Configure(configure).Build();

        [Fact]
        public async Task A_misspelt_rule_of_a_managed_group_is_a_warning_and_real_names_pass()
        {
            var policy = PolicyBuilder.WafV2("online-rules")
                .WithManagedRuleGroup("AWS", "AWSManagedRulesCommonRuleSet", excludedRules: new[] { "SizeRestrictions_BODY", "SizeRestriction_BODY" })
                .WithResourceTypes(AlbType).InRegion("us-east-1")
                .Configure(s => s.PreProcessRuleGroups[0].RuleActionOverrides.Add(WafV2RuleActionOverride.Create("NoUserAgent_HEADER", "count")))
                .Build();
            var reporter = new RecordingReporter();

            var findings = await Service().ValidateOnlineAsync(policy, reporter, CancellationToken.None);

            var finding = Assert.Single(findings, f => f.Rule.StartsWith("WafV2.RuleName", StringComparison.Ordinal));
            Assert.Equal(("WafV2.RuleName.NotInManagedRuleGroup", "Settings.preProcessRuleGroups[0].excludeRules[1].name", PolicyFindingSeverity.Warning),
                (finding.Rule, finding.Field, finding.SeverityValue));
            Assert.Empty(reporter.Warnings);
            Assert.Equal(1, _sandbox.Calls("DescribeManagedRuleGroup"));
        }

        [Fact]
        public async Task A_pinned_version_is_described_at_that_version()
        {
            var policy = PolicyBuilder.WafV2("online-rules")
                .WithManagedRuleGroup("AWS", "AWSManagedRulesKnownBadInputsRuleSet", version: "Version_1.19", excludedRules: new[] { "Log4JRCE_BODY" })
                .WithResourceTypes(AlbType).InRegion("us-east-1").Build();

            var findings = await Service().ValidateOnlineAsync(policy, new RecordingReporter(), CancellationToken.None);
            Assert.DoesNotContain(findings, f => f.Rule.StartsWith("WafV2.RuleName", StringComparison.Ordinal));

            // A version the group does not have: WAF refuses the describe and does not list the version, so it is an error naming
            // the version field and the versions on offer; the names cannot be checked against a version that does not exist.
            ((WafV2PolicySettings)policy.Settings!).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.Version = "Version_9.9";
            var reporter = new RecordingReporter();
            findings = await Service().ValidateOnlineAsync(policy, reporter, CancellationToken.None);
            Assert.DoesNotContain(findings, f => f.Rule.StartsWith("WafV2.RuleName", StringComparison.Ordinal));
            var version = Assert.Single(findings, f => f.Rule == "WafV2.ManagedRuleGroup.VersionUnknown");
            Assert.Equal(("Settings.preProcessRuleGroups[0].managedRuleGroupIdentifier.version", PolicyFindingSeverity.Error), (version.Field, version.SeverityValue));
            Assert.Contains("\"Version_9.9\"", version.Message);
            Assert.Contains("Version_1.19", version.Message);
            Assert.Empty(reporter.Warnings);
        }

        [Fact]
        public async Task An_unknown_rule_of_a_customer_rule_group_is_an_error_from_GetRuleGroup()
        {
            var arn = CustomRuleGroupArn();
            var policy = Policy(s =>
            {
                var group = WafV2RuleGroup.Custom(arn);
                group.ExcludeRules.Add(new WafV2ExcludedRule("rate-limit-per-ip"));
                group.ExcludeRules.Add(new WafV2ExcludedRule("Block-Admin-Paths"));
                s.PostProcessRuleGroups.Add(group);
            });

            var findings = await Service().ValidateOnlineAsync(policy, new RecordingReporter(), CancellationToken.None);

            var finding = Assert.Single(findings, f => f.Rule.StartsWith("WafV2.RuleName", StringComparison.Ordinal));
            Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[1].name", PolicyFindingSeverity.Error),
                (finding.Rule, finding.Field, finding.SeverityValue));
            Assert.Contains("did you mean \"block-admin-paths\"", finding.Message);
            Assert.Equal(1, _sandbox.Calls("GetRuleGroup"));
        }

        [Fact]
        public void New_FmsWafPolicy_warns_about_the_misspelt_exclusion_and_still_creates_the_policy()
        {
            using var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();

            var result = session.Run($"New-FmsWafPolicy -Name online-rules -ResourceType {AlbType} "
                                     + "-ManagedRuleGroup @{ Vendor = 'AWS'; Name = 'AWSManagedRulesSQLiRuleSet'; ExcludedRules = @('SQLi_Body') }").ShouldSucceed();

            Assert.Single(result.OutputOf<FmsPolicy>());
            Assert.Contains(result.Warnings, w => w.Contains("WafV2.RuleName.NotInManagedRuleGroup") && w.Contains("excludeRules[0].name") && w.Contains("SQLi_BODY"));
            Assert.Equal(1, _sandbox.Calls("PutPolicy"));
        }
    }
}
