using System.Linq;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public class PolicyBuilderTests
    {
        [Fact]
        public void BuilderSetsTypeScopeAndSettings()
        {
            var policy = PolicyBuilder.WafV2("web")
                .WithManagedRuleGroup("AWS", "AWSManagedRulesCommonRuleSet")
                .WithDefaultAction(WafValues.Block)
                .WithResourceTypes(FmsResourceTypes.ApplicationLoadBalancer)
                .IncludeOrganizationalUnits(PolicySamples.OuA)
                .WithResourceTag("env")
                .ExcludingTaggedResources()
                .WithRemediation()
                .Build();

            Assert.Equal(FmsPolicyType.WafV2, policy.TypeValue);
            Assert.Equal("WAFV2", policy.TypeName);
            Assert.True(policy.IsDetailed);
            Assert.True(policy.RemediationEnabled);
            Assert.Equal("1 OU, excl. tags env=", policy.ScopeSummary);
            var settings = Assert.IsType<WafV2PolicySettings>(policy.Settings);
            Assert.Equal(WafValues.Block, settings.DefaultAction!.Type);
            Assert.Equal(WafValues.RuleGroupTypeManaged, Assert.Single(settings.PreProcessRuleGroups).RuleGroupType);
        }

        [Fact]
        public void TypesWithOneObviousResourceTypeGetIt()
        {
            Assert.Equal(new[] { FmsResourceTypes.Vpc }, PolicyBuilder.DnsFirewall("d").Build().ResourceTypes);
            Assert.Equal(new[] { FmsResourceTypes.Subnet }, PolicyBuilder.NetworkAclCommon("n").Build().ResourceTypes);
            Assert.Equal(new[] { FmsResourceTypes.SecurityGroup }, PolicyBuilder.SecurityGroupsUsageAudit("u").Build().ResourceTypes);
            Assert.Empty(PolicyBuilder.ShieldAdvanced("s").Build().ResourceTypes!);
        }

        [Fact]
        public void EachBuildIsIndependent()
        {
            var builder = PolicyBuilder.DnsFirewall("d").WithRuleGroup("rslvr-frg-1", 10);
            var first = builder.Build();
            ((DnsFirewallSettings)first.Settings!).PreProcessRuleGroups.Clear();
            first.Scope!.IncludeAccounts.Add(PolicySamples.AccountA);

            var second = builder.Build();

            Assert.Single(((DnsFirewallSettings)second.Settings!).PreProcessRuleGroups);
            Assert.Empty(second.Scope!.IncludeAccounts);
        }

        [Fact]
        public void DnsRuleGroupsGoFirstOrLastByPriority()
        {
            var settings = (DnsFirewallSettings)PolicyBuilder.DnsFirewall("d").WithRuleGroup("a", 5).WithRuleGroup("b", 9950).Build().Settings!;

            Assert.Equal("a", settings.PreProcessRuleGroups.Single().RuleGroupId);
            Assert.Equal("b", settings.PostProcessRuleGroups.Single().RuleGroupId);
        }

        [Fact]
        public void PolicyOptionViewReflectsTheSettings()
        {
            Assert.Equal("CENTRALIZED", PolicySamples.NetworkFirewallCentralized().PolicyOption!.NetworkFirewallDeploymentModel);
            Assert.Null(PolicySamples.NetworkFirewall().PolicyOption);
            Assert.Equal("DISTRIBUTED", PolicySamples.ThirdPartyFirewall().PolicyOption!.ThirdPartyFirewallDeploymentModel);
            Assert.Equal(2, PolicySamples.NetworkAclCommon().PolicyOption!.NetworkAclCommonPolicy!.FirstEntries.Count);
            Assert.Null(PolicySamples.WafV2().PolicyOption);
        }

        [Fact]
        public void TypeNameFollowsTheTypeAndKeepsUnknownWireNames()
        {
            var policy = PolicySamples.DnsFirewall();
            policy.TypeName = "WAFV2";
            Assert.Equal(FmsPolicyType.WafV2, policy.TypeValue);
            policy.TypeValue = FmsPolicyType.ShieldAdvanced;
            Assert.Equal("SHIELD_ADVANCED", policy.TypeName);
            policy.TypeValue = FmsPolicyType.Unknown;
            policy.TypeName = "NEW_TYPE";
            Assert.Equal("NEW_TYPE", policy.TypeName);
        }
    }
}
