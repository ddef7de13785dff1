using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public class PolicyComparerTests
    {
        private static FmsPolicy Deployed(FmsPolicy desired) =>
            PolicyWireMapper.FromWire(SimulatedFmsService.PutThenGet(PolicyWireMapper.ToWire(desired)), "arn:aws:fms:us-east-1:111111111111:policy/" + SimulatedFmsService.PolicyId);

        [Fact]
        public void ChangedDnsPriorityIsOneChangeAddressedByRuleGroup()
        {
            var desired = PolicySamples.DnsFirewall();
            var deployed = Deployed(desired);
            ((DnsFirewallSettings)desired.Settings!).PreProcessRuleGroups[0].Priority = 20;

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Settings.preProcessRuleGroups[rslvr-frg-1].priority", difference.Path);
            Assert.Equal(PolicyDifferenceKind.Changed, difference.KindValue);
            Assert.Equal("20", difference.DesiredValue);
            Assert.Equal("10", difference.DeployedValue);
        }

        [Fact]
        public void AddedAccountIsReported()
        {
            var desired = PolicySamples.WafClassic();
            var deployed = Deployed(desired);
            desired.Scope!.IncludeAccounts.Add(PolicySamples.AccountC);

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Scope.IncludeAccounts", difference.Path);
            Assert.Equal(PolicyDifferenceKind.Added, difference.KindValue);
            Assert.Equal("\"333333333333\"", difference.DesiredValue);
        }

        [Fact]
        public void RemovedOuIsReported()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            desired.Scope!.IncludeOrganizationalUnits.RemoveAt(1);

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal(PolicyDifferenceKind.Removed, difference.KindValue);
            Assert.Equal("\"" + PolicySamples.OuB + "\"", difference.DeployedValue);
        }

        [Fact]
        public void ReorderedWafRuleGroupsAreADifference()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            ((WafV2PolicySettings)desired.Settings!).PreProcessRuleGroups.Reverse();

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Settings.preProcessRuleGroups", difference.Path);
            Assert.Equal(PolicyDifferenceKind.Changed, difference.KindValue);
            Assert.Contains("order", difference.Note);
        }

        [Fact]
        public void ReorderedNetworkAclEntriesAreADifference()
        {
            var desired = PolicySamples.NetworkAclCommon();
            var deployed = Deployed(desired);
            ((NetworkAclCommonSettings)desired.Settings!).FirstEntries.Reverse();

            var diff = PolicyComparer.Compare(desired, deployed);

            Assert.Equal("PolicyOption.networkAclCommonPolicy.networkAclEntrySet.firstEntries", Assert.Single(diff.Differences).Path);
        }

        [Fact]
        public void OrderOfSetsDoesNotMatter()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            desired.Scope!.IncludeOrganizationalUnits.Reverse();
            desired.Scope.ResourceTags.Reverse();
            desired.ResourceTypes!.Reverse();
            ((WafV2PolicySettings)desired.Settings!).TokenDomains.Reverse();
            desired.Tags = new SortedDictionary<string, string>(desired.Tags!);

            Assert.True(PolicyComparer.Compare(desired, deployed).IsEqual);
        }

        [Fact]
        public void DnsRuleGroupListOrderDoesNotMatterBecausePrioritiesOrderThem()
        {
            var desired = PolicySamples.DnsFirewall();
            var settings = (DnsFirewallSettings)desired.Settings!;
            settings.PostProcessRuleGroups.Clear();
            settings.PreProcessRuleGroups.Add(new DnsFirewallRuleGroup("rslvr-frg-9", 20));
            var deployed = Deployed(desired);
            settings.PreProcessRuleGroups.Reverse();

            Assert.True(PolicyComparer.Compare(desired, deployed).IsEqual);
        }

        [Fact]
        public void ServerOnlyFieldsAreIgnored()
        {
            var desired = PolicySamples.ShieldAdvanced();
            var deployed = Deployed(desired);
            deployed.PolicyId = "ffffffffffffffffffffffffffffffffffff";
            deployed.UpdateToken = "2:abc";
            deployed.Arn = "arn:aws:fms:eu-west-1:1:policy/x";
            deployed.StatusValue = FmsPolicyStatus.OutOfAdminScope;
            deployed.Region = "eu-west-1";

            Assert.True(PolicyComparer.Compare(desired, deployed).IsEqual);
        }

        [Fact]
        public void ExplicitDefaultsEqualOmittedOnes()
        {
            var omitted = PolicySamples.ShieldAdvanced();
            var explicitDefaults = PolicySamples.ShieldAdvanced();
            var shield = (ShieldAdvancedPolicySettings)explicitDefaults.Settings!;
            shield.OverrideCustomerWebAclClassic = false;
            shield.AutomaticResponseConfiguration = new ShieldAutomaticResponseConfiguration { AutomaticResponseStatus = ShieldValues.Ignored };
            explicitDefaults.Scope!.ResourceTagLogicalOperatorValue = ResourceTagLogicalOperator.And;

            Assert.True(PolicyComparer.Compare(explicitDefaults, omitted).IsEqual);

            var usage = PolicySamples.SecurityGroupsUsageAudit();
            var usageDeployed = PolicyWireMapper.FromWire(SimulatedFmsService.PutThenGet(PolicyWireMapper.ToWire(usage)));
            Assert.True(PolicyComparer.Compare(usage, usageDeployed).IsEqual);
        }

        [Fact]
        public void NonDefaultShieldResponseIsADifference()
        {
            var desired = PolicySamples.ShieldAdvanced();
            var deployed = Deployed(desired);
            ((ShieldAdvancedPolicySettings)desired.Settings!).AutomaticResponseConfiguration = new ShieldAutomaticResponseConfiguration
            {
                AutomaticResponseStatus = ShieldValues.Enabled,
                AutomaticResponseAction = ShieldValues.Count,
            };

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Settings.automaticResponseConfiguration", difference.Path);
            Assert.Equal(PolicyDifferenceKind.Added, difference.KindValue);
        }

        [Fact]
        public void TagOperatorMattersOnlyWithSeveralTags()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            deployed.Scope!.ResourceTagLogicalOperatorValue = ResourceTagLogicalOperator.And;

            Assert.Equal("Scope.ResourceTagLogicalOperator", Assert.Single(PolicyComparer.Compare(desired, deployed).Differences).Path);

            desired.Scope!.ResourceTags.RemoveAt(1);
            deployed.Scope.ResourceTags.RemoveAt(1);
            Assert.True(PolicyComparer.Compare(desired, deployed).IsEqual);
        }

        [Fact]
        public void ChangedTagValueIsAChangeOfThatTag()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            desired.Scope!.ResourceTags[0].Value = "staging";

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Scope.ResourceTags[env].Value", difference.Path);
        }

        [Fact]
        public void PolicyTagsAreComparedOnlyWhenBothSidesHaveThem()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            Assert.Null(deployed.Tags);
            Assert.True(PolicyComparer.Compare(desired, deployed).IsEqual);

            deployed.Tags = new Dictionary<string, string> { ["owner"] = "netops" };
            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);
            Assert.Equal("Tags.owner", difference.Path);
        }

        [Fact]
        public void SummaryAgainstDetailedSaysSettingsCannotBeCompared()
        {
            var desired = PolicySamples.DnsFirewall();
            var summary = Deployed(desired);
            summary.Settings = null;

            var difference = Assert.Single(PolicyComparer.Compare(desired, summary).Differences);

            Assert.Equal("Settings", difference.Path);
            Assert.Contains("GetPolicy", difference.Note);
        }

        [Fact]
        public void UnknownSettingsKeysAreCompared()
        {
            var desired = PolicySamples.WafV2();
            var deployed = Deployed(desired);
            ((WafV2PolicySettings)deployed.Settings!).AdditionalFields["futureFeature"] = System.Text.Json.Nodes.JsonNode.Parse("{\"enabled\":false}");

            var difference = Assert.Single(PolicyComparer.Compare(desired, deployed).Differences);

            Assert.Equal("Settings.futureFeature.enabled", difference.Path);
        }

        [Fact]
        public void ToStringListsEveryDifference()
        {
            var desired = PolicySamples.DnsFirewall();
            var deployed = Deployed(desired);
            desired.Name = "dns-firewall-v2";
            desired.Scope!.IncludeAccounts.Add(PolicySamples.AccountB);

            var text = PolicyComparer.Compare(desired, deployed).ToString();

            Assert.StartsWith("2 differences", text);
            Assert.Contains("~ Name: \"dns-firewall\" -> \"dns-firewall-v2\"", text);
            Assert.Contains("+ Scope.IncludeAccounts: \"222222222222\"", text);
            Assert.Equal("No differences.", PolicyComparer.Compare(deployed, deployed).ToString());
        }

        [Fact]
        public void A_difference_and_its_policy_row_read_the_same_but_the_row_names_the_policy_and_leaves_out_the_note()
        {
            var added = new PolicyDifference("Scope.IncludeAccounts", PolicyDifferenceKind.Added, "\"2\"", null);
            var removed = new PolicyDifference("Scope.IncludeAccounts", PolicyDifferenceKind.Removed, null, "\"1\"");
            var changed = new PolicyDifference("Settings.tokenDomains", PolicyDifferenceKind.Changed, "[\"b\",\"a\"]", "[\"a\",\"b\"]", "same items, different order");

            Assert.Equal("+ Scope.IncludeAccounts: \"2\"", added.ToString());
            Assert.Equal("- Scope.IncludeAccounts: \"1\"", removed.ToString());
            Assert.Equal("~ Settings.tokenDomains: [\"a\",\"b\"] -> [\"b\",\"a\"] (same items, different order)", changed.ToString());

            string Row(PolicyDifference d) => new FmsTools.Engine.PolicyOperations.FmsPolicyDifference("waf", "id-1", d).ToString();
            Assert.Equal("waf: + Scope.IncludeAccounts: \"2\"", Row(added));
            Assert.Equal("waf: - Scope.IncludeAccounts: \"1\"", Row(removed));
            Assert.Equal("waf: ~ Settings.tokenDomains: [\"a\",\"b\"] -> [\"b\",\"a\"]", Row(changed));
        }
    }
}
