using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public class PolicyWireMapperTests
    {
        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void RoundTripThroughServiceDefaultsComparesEqual(string sample)
        {
            var desired = PolicySamples.Get(sample);
            var sent = PolicyWireMapper.ToPutPolicyRequest(desired);
            var returned = SimulatedFmsService.PutThenGet(sent.Policy!);
            var arn = "arn:aws:fms:us-east-1:111111111111:policy/" + returned.PolicyId;
            var deployed = PolicyWireMapper.FromWire(returned, arn, sent.TagList);

            var diff = PolicyComparer.Compare(desired, deployed);

            Assert.True(diff.IsEqual, sample + ": " + diff);
            Assert.Equal(desired.Type, deployed.Type);
            Assert.Equal(SimulatedFmsService.PolicyId, deployed.PolicyId);
            Assert.Equal(FmsPolicyStatus.Active, deployed.StatusValue);
            Assert.Equal("us-east-1", deployed.Region);
            Assert.Empty(deployed.Settings!.ReadIssues);
            // The service really did return something different on the wire (NACL data is just its type).
            if (desired.TypeValue != FmsPolicyType.NetworkAclCommon) Assert.NotEqual(sent.Policy!.SecurityServicePolicyData!.ManagedServiceData, returned.SecurityServicePolicyData!.ManagedServiceData);
        }

        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void RoundTripStillSeesARealChange(string sample)
        {
            var desired = PolicySamples.Get(sample);
            var deployed = PolicyWireMapper.FromWire(SimulatedFmsService.PutThenGet(PolicyWireMapper.ToWire(desired)));
            deployed.RemediationEnabled = !deployed.RemediationEnabled;

            var diff = PolicyComparer.Compare(desired, deployed);

            var difference = Assert.Single(diff.Differences);
            Assert.Equal("RemediationEnabled", difference.Path);
        }

        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void ManagedServiceDataIsCompactOneLineAndStable(string sample)
        {
            var policy = PolicySamples.Get(sample);
            var first = PolicyWireMapper.ToWire(policy).SecurityServicePolicyData!.ManagedServiceData!;
            var again = PolicyWireMapper.ToWire(PolicyWireMapper.FromWire(PolicyWireMapper.ToWire(policy))).SecurityServicePolicyData!.ManagedServiceData!;

            Assert.DoesNotContain("\n", first);
            Assert.DoesNotContain("\r", first);
            Assert.DoesNotContain(": ", first);
            Assert.StartsWith("{\"type\":\"" + policy.TypeName + "\"", first);
            Assert.Equal(first, again);
        }

        [Fact]
        public void WafV2ManagedServiceDataUsesTheServiceFieldNames()
        {
            var data = PolicyWireMapper.ToWire(PolicySamples.WafV2()).SecurityServicePolicyData!.ManagedServiceData!;

            Assert.Equal(
                "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"overrideAction\":{\"type\":\"NONE\"},\"managedRuleGroupIdentifier\":{\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[{\"name\":\"SizeRestrictions_BODY\"}],\"sampledRequestsEnabled\":true,\"ruleActionOverrides\":[{\"name\":\"NoUserAgent_HEADER\",\"actionToUse\":{\"count\":{}}}]},"
                + "{\"overrideAction\":{\"type\":\"NONE\"},\"managedRuleGroupIdentifier\":{\"versionEnabled\":true,\"version\":\"Version_1.1\",\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesKnownBadInputsRuleSet\"},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[]}],"
                + "\"postProcessRuleGroups\":[{\"ruleGroupArn\":\"arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/custom/a1b2c3d4-5678-90ab-cdef-000000000001\",\"overrideAction\":{\"type\":\"COUNT\"},\"ruleGroupType\":\"RuleGroup\",\"excludeRules\":[]}],"
                + "\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false,\"loggingConfiguration\":{\"logDestinationConfigs\":[\"arn:aws:firehose:us-east-1:111111111111:deliverystream/aws-waf-logs-fms\"],\"redactedFields\":[]},"
                + "\"sampledRequestsEnabledForDefaultActions\":true,\"optimizeUnassociatedWebACL\":true,\"captchaConfig\":{\"immunityTimeProperty\":{\"immunityTime\":500}},\"tokenDomains\":[\"example.com\",\"example.org\"],\"futureFeature\":{\"enabled\":true}}",
                data);
        }

        [Fact]
        public void ModelExampleForWafV2ParsesWithoutLoss()
        {
            // From the botocore model's ManagedServiceData documentation (WAFV2 with ATP and Bot Control).
            const string example = "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"ruleGroupArn\":null,\"overrideAction\":{\"type\":\"NONE\"},\"managedRuleGroupIdentifier\":{\"versionEnabled\":null,\"version\":null,\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesATPRuleSet\",\"managedRuleGroupConfigs\":[{\"awsmanagedRulesATPRuleSet\":{\"loginPath\":\"/loginpath\",\"requestInspection\":{\"payloadType\":\"JSON\",\"usernameField\":{\"identifier\":\"/form/username\"},\"passwordField\":{\"identifier\":\"/form/password\"}}}}]},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[],\"sampledRequestsEnabled\":true}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"customRequestHandling\":null,\"customResponse\":null,\"overrideCustomerWebACLAssociation\":false,\"loggingConfiguration\":null,\"sampledRequestsEnabledForDefaultActions\":true,\"optimizeUnassociatedWebACL\":true}";

            var settings = Assert.IsType<WafV2PolicySettings>(PolicyWireMapper.ReadSettings("WAFV2", example, null));

            Assert.Empty(settings.ReadIssues);
            var group = Assert.Single(settings.PreProcessRuleGroups);
            Assert.Equal("AWSManagedRulesATPRuleSet", group.ManagedRuleGroupIdentifier!.ManagedRuleGroupName);
            Assert.Equal("/loginpath", group.ManagedRuleGroupIdentifier.ManagedRuleGroupConfigs![0]!["awsmanagedRulesATPRuleSet"]!["loginPath"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(StripNulls(JsonNode.Parse(example)), StripNulls(settings.ToManagedServiceDataJson())));
        }

        [Fact]
        public void UnknownKeysAreKeptAtEveryLevel()
        {
            const string data = "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"rslvr-frg-1\",\"priority\":10,\"newNestedFlag\":true}],\"postProcessRuleGroups\":[],\"newTopLevel\":[1,2]}";

            var settings = Assert.IsType<DnsFirewallSettings>(PolicyWireMapper.ReadSettings("DNS_FIREWALL", data, null));

            Assert.Equal("[1,2]", settings.AdditionalFields["newTopLevel"]!.ToJsonString());
            Assert.Equal("true", settings.PreProcessRuleGroups[0].AdditionalFields["newNestedFlag"]!.ToJsonString());
            Assert.Equal(data, settings.ToManagedServiceData());
        }

        [Fact]
        public void ValuesOfTheWrongTypeAreReportedAndKept()
        {
            const string data = "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"rslvr-frg-1\",\"priority\":\"ten\"}],\"postProcessRuleGroups\":[]}";

            var settings = (DnsFirewallSettings)PolicyWireMapper.ReadSettings("DNS_FIREWALL", data, null);

            var issue = Assert.Single(settings.ReadIssues);
            Assert.Equal("Settings.preProcessRuleGroups[0].priority", issue.Path);
            Assert.Equal(data, settings.ToManagedServiceData());
        }

        [Fact]
        public void NonJsonManagedServiceDataIsKeptVerbatim()
        {
            var settings = PolicyWireMapper.ReadSettings("WAFV2", "not json at all", null);

            var unknown = Assert.IsType<UnknownPolicySettings>(settings);
            Assert.Equal("not json at all", unknown.ToManagedServiceData());
        }

        [Fact]
        public void EmptyShieldManagedServiceDataMeansDefaults()
        {
            var settings = PolicyWireMapper.ReadSettings("SHIELD_ADVANCED", "", null);

            var shield = Assert.IsType<ShieldAdvancedPolicySettings>(settings);
            Assert.Null(shield.AutomaticResponseConfiguration);
        }

        [Fact]
        public void UnknownPolicyTypeIsKeptWithItsWireName()
        {
            var wire = new Policy
            {
                PolicyName = "future",
                ResourceType = "AWS::EC2::VPC",
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = "QUANTUM_FIREWALL", ManagedServiceData = "{\"type\":\"QUANTUM_FIREWALL\",\"x\":1}" },
            };

            var policy = PolicyWireMapper.FromWire(wire);

            Assert.Equal(FmsPolicyType.Unknown, policy.TypeValue);
            Assert.Equal("QUANTUM_FIREWALL", policy.TypeName);
            var back = PolicyWireMapper.ToWire(policy);
            Assert.Equal("QUANTUM_FIREWALL", back.SecurityServicePolicyData!.Type);
            Assert.Equal("{\"type\":\"QUANTUM_FIREWALL\",\"x\":1}", back.SecurityServicePolicyData.ManagedServiceData);
        }

        [Fact]
        public void SeveralResourceTypesUseTheResourceTypeListLiteral()
        {
            var wire = PolicyWireMapper.ToWire(PolicySamples.ShieldAdvanced());

            Assert.Equal("ResourceTypeList", wire.ResourceType);
            Assert.Equal(3, wire.ResourceTypeList!.Count);

            var single = PolicyWireMapper.ToWire(PolicySamples.DnsFirewall());
            Assert.Equal("AWS::EC2::VPC", single.ResourceType);
            Assert.Null(single.ResourceTypeList);
        }

        [Fact]
        public void ReadingToleratesResourceTypeListBesideARealType()
        {
            var wire = new Policy
            {
                PolicyName = "p",
                ResourceType = "AWS::EC2::EIP",
                ResourceTypeList = new List<string> { "AWS::EC2::EIP", "AWS::ElasticLoadBalancing::LoadBalancer" },
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = "SHIELD_ADVANCED" },
            };

            Assert.Equal(new[] { "AWS::EC2::EIP", "AWS::ElasticLoadBalancing::LoadBalancer" }, PolicyWireMapper.FromWire(wire).ResourceTypes);
        }

        [Fact]
        public void ScopeMapsAcceptTheCloudFormationSpellingAndAlwaysSendTheTagOperator()
        {
            var wire = new Policy
            {
                PolicyName = "p",
                ResourceType = "AWS::EC2::VPC",
                IncludeMap = new Dictionary<string, List<string>> { ["ORGUNIT"] = new List<string> { PolicySamples.OuA }, ["ACCOUNT"] = new List<string> { PolicySamples.AccountA } },
                ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "env", Value = "prod" } },
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = "DNS_FIREWALL" },
            };

            var policy = PolicyWireMapper.FromWire(wire);

            Assert.Equal(new[] { PolicySamples.OuA }, policy.Scope!.IncludeOrganizationalUnits);
            Assert.Equal(new[] { PolicySamples.AccountA }, policy.Scope.IncludeAccounts);
            var back = PolicyWireMapper.ToWire(policy);
            Assert.Equal("AND", back.ResourceTagLogicalOperator);
            Assert.Equal(new[] { "ACCOUNT", "ORG_UNIT" }, back.IncludeMap!.Keys.OrderBy(k => k));
        }

        [Fact]
        public void NetworkAclEntriesTravelInPolicyOption()
        {
            var wire = PolicyWireMapper.ToWire(PolicySamples.NetworkAclCommon());

            Assert.Equal("{\"type\":\"NETWORK_ACL_COMMON\"}", wire.SecurityServicePolicyData!.ManagedServiceData);
            var set = wire.SecurityServicePolicyData.PolicyOption!.NetworkAclCommonPolicy!.NetworkAclEntrySet!;
            Assert.Equal(2, set.FirstEntries!.Count);
            Assert.Equal("6", set.FirstEntries[0].Protocol);
            Assert.Equal(443, set.FirstEntries[0].PortRange!.From);
            Assert.True(set.ForceRemediateForFirstEntries);
            Assert.False(set.ForceRemediateForLastEntries);
            Assert.Equal(-1, set.LastEntries![0].IcmpTypeCode!.Type);
        }

        [Fact]
        public void CentralizedNetworkFirewallWrapsTheFirewallPolicyAndSetsPolicyOption()
        {
            var wire = PolicyWireMapper.ToWire(PolicySamples.NetworkFirewallCentralized());

            Assert.Equal("CENTRALIZED", wire.SecurityServicePolicyData!.PolicyOption!.NetworkFirewallPolicy!.FirewallDeploymentModel);
            var data = JsonNode.Parse(wire.SecurityServicePolicyData.ManagedServiceData!)!;
            Assert.NotNull(data["awsNetworkFirewallConfig"]!["networkFirewallStatelessRuleGroupReferences"]);
            Assert.Equal("vpc-1234", data["firewallDeploymentModel"]!["centralizedFirewallDeploymentModel"]!["centralizedFirewallOrchestrationConfig"]!["inspectionVpcIds"]![0]!["resourceId"]!.GetValue<string>());

            var distributed = JsonNode.Parse(PolicyWireMapper.ToWire(PolicySamples.NetworkFirewall()).SecurityServicePolicyData!.ManagedServiceData!)!;
            Assert.Null(distributed["awsNetworkFirewallConfig"]);
            Assert.NotNull(distributed["networkFirewallStatelessRuleGroupReferences"]);
            Assert.Null(PolicyWireMapper.ToWire(PolicySamples.NetworkFirewall()).SecurityServicePolicyData!.PolicyOption);
        }

        [Fact]
        public void SummaryIsNotDetailed()
        {
            var policy = PolicyWireMapper.FromSummary(new PolicySummary
            {
                PolicyArn = "arn:aws:fms:eu-west-1:111111111111:policy/0123456789abcdef0123456789abcdef0123",
                PolicyId = "0123456789abcdef0123456789abcdef0123",
                PolicyName = "p",
                ResourceType = "ResourceTypeList",
                SecurityServiceType = "SHIELD_ADVANCED",
                PolicyStatus = "OUT_OF_ADMIN_SCOPE",
            });

            Assert.False(policy.IsDetailed);
            Assert.Null(policy.Settings);
            // What the summary does not say is absent, never a default that reads as data ("all accounts", no resource types).
            Assert.Null(policy.ResourceTypes); // the summary names only "ResourceTypeList": the list is not known
            Assert.Null(policy.Scope);
            Assert.Null(policy.ScopeSummary);
            Assert.Null(policy.Tags);
            Assert.Null(policy.Description);
            Assert.Null(policy.UpdateToken);
            Assert.DoesNotContain("all accounts", policy.ToString());
            Assert.Null(policy.Clone().Scope);
            Assert.Null(policy.Clone().ResourceTypes);
            Assert.Equal("eu-west-1", policy.Region);
            Assert.Equal(FmsPolicyStatus.OutOfAdminScope, policy.StatusValue);
            Assert.Equal(FmsPolicyType.ShieldAdvanced, policy.TypeValue);
        }

        [Fact]
        public void ScopeSummaryReadsLikeAHuman()
        {
            var scope = new PolicyScope
            {
                IncludeOrganizationalUnits = { "ou-a", "ou-b", "ou-c" },
                ExcludeAccounts = { "111111111111" },
                ResourceTags = { new ResourceTagFilter("env", "prod") },
            };

            Assert.Equal("3 OUs, excl. 1 account (ignored: include list set), tags env=prod", scope.Summary);
            Assert.Equal("all accounts, excl. 2 OUs", new PolicyScope { ExcludeOrganizationalUnits = { "ou-a", "ou-b" } }.Summary);
        }

        private static JsonNode? StripNulls(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var copy = new JsonObject();
                    foreach (var pair in obj)
                    {
                        if (pair.Value == null) continue;
                        copy[pair.Key] = StripNulls(pair.Value);
                    }
                    return copy;
                case JsonArray array:
                    return new JsonArray(array.Select(StripNulls).ToArray());
                default:
                    return node?.DeepClone();
            }
        }
    }
}
