using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public partial class PolicyValidatorTests
    {
        /// <summary>
        /// As when connected: WAF's answer for each managed rule group, capacities known (100 WCU each), the rule groups' rules
        /// known, a few policies already deployed.
        /// </summary>
        private static PolicyValidationContext Connected() => new PolicyValidationContext
        {
            ManagedRuleGroupLookup = SampleLookup, RuleGroupCapacity = _ => 100, RuleGroupRuleNames = SampleRuleNames, ExistingPolicyCount = 3,
        };

        /// <summary>The managed rule groups WAF offers in this test: the two the WafV2 sample uses, the second in two versions.</summary>
        private static ManagedRuleGroupLookup? SampleLookup(WafV2RuleGroup group)
        {
            var id = group.ManagedRuleGroupIdentifier;
            if (id == null) return null;
            var offered = new[] { "AWS/AWSManagedRulesCommonRuleSet", "AWS/AWSManagedRulesKnownBadInputsRuleSet" };
            var name = id.VendorName + "/" + id.ManagedRuleGroupName;
            if (!offered.Contains(name))
                return ManagedRuleGroupLookup.GroupUnknown("REGIONAL", "DescribeManagedRuleGroup answered WAFNonexistentItemException", ManagedRuleGroupLookup.Similar(name, offered));
            var versions = id.ManagedRuleGroupName == "AWSManagedRulesKnownBadInputsRuleSet" ? new[] { "Version_1.1", "Version_1.2" } : new string[0];
            if (id.VersionEnabled == true && !versions.Contains(id.Version))
                return ManagedRuleGroupLookup.VersionUnknown("REGIONAL", "ListAvailableManagedRuleGroupVersions does not list it", versions, versions.LastOrDefault());
            return ManagedRuleGroupLookup.Found("REGIONAL", SampleRuleNames(group));
        }

        /// <summary>The rules of the WafV2 sample's rule groups, as DescribeManagedRuleGroup / GetRuleGroup would list them.</summary>
        private static IReadOnlyCollection<string>? SampleRuleNames(WafV2RuleGroup group) => group.ManagedRuleGroupIdentifier?.ManagedRuleGroupName switch
        {
            "AWSManagedRulesCommonRuleSet" => new[] { "NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_BODY", "CrossSiteScripting_BODY" },
            "AWSManagedRulesKnownBadInputsRuleSet" => new[] { "Host_localhost_HEADER", "Log4JRCE_HEADER" },
            null when group.RuleGroupArn != null => new[] { "rate-limit-per-ip", "block-admin-paths" },
            _ => null,
        };

        private sealed class FailingCase
        {
            public FailingCase(string sample, Action<FmsPolicy> mutate, PolicyValidationContext? context = null)
            {
                Sample = sample;
                Mutate = mutate;
                Context = context;
            }

            public string Sample { get; }
            public Action<FmsPolicy> Mutate { get; }
            public PolicyValidationContext? Context { get; }
        }

        private static T S<T>(FmsPolicy p) where T : PolicySettings => (T)p.Settings!;

        private static string ResourceSetId(int i) => "abcdefghijklmnopqrst" + i.ToString("D2");

        /// <summary>One policy that breaks each rule (and starts from a sample that does not).</summary>
        private static readonly Dictionary<string, FailingCase> FailingCases = new Dictionary<string, FailingCase>
        {
            ["Policy.Name.Required"] = new FailingCase("WafV2", p => p.Name = ""),
            ["Policy.Name.Length"] = new FailingCase("WafV2", p => p.Name = new string('a', 129)),
            ["Policy.Name.Pattern"] = new FailingCase("WafV2", p => p.Name = "bad,name"),
            ["Policy.Description.Length"] = new FailingCase("WafV2", p => p.Description = new string('a', 257)),
            ["Policy.Description.Pattern"] = new FailingCase("WafV2", p => p.Description = "line one\nline two"),
            ["Policy.Type.Unknown"] = new FailingCase("DnsFirewall", p =>
            {
                p.TypeValue = FmsPolicyType.Unknown;
                p.TypeName = "NOT_A_TYPE";
                p.Settings = new UnknownPolicySettings("NOT_A_TYPE", null, null);
            }),
            ["Policy.PolicyId.Format"] = new FailingCase("WafV2", p => p.PolicyId = "short"),
            ["Policy.DeleteUnusedFMManagedResources.NotSupported"] = new FailingCase("ShieldAdvanced", p => p.DeleteUnusedFMManagedResources = true),
            ["Policy.Region.Format"] = new FailingCase("WafV2", p => p.Region = "mars-1"),
            ["Policy.Region.Unknown"] = new FailingCase("WafV2", p => p.Region = "us-east-9"),
            ["Settings.Required"] = new FailingCase("WafV2", p => p.Settings = null),
            ["Settings.TypeMismatch"] = new FailingCase("WafV2", p => p.Settings = new DnsFirewallSettings()),
            ["Settings.FieldType"] = new FailingCase("DnsFirewall", p => p.Settings = PolicyWireMapper.ReadSettings("DNS_FIREWALL",
                "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"rslvr-frg-1\",\"priority\":\"ten\"}],\"postProcessRuleGroups\":[]}", null)),
            ["Settings.NotJsonObject"] = new FailingCase("DnsFirewall", p => p.Settings = PolicyWireMapper.ReadSettings("DNS_FIREWALL", "[1,2,3]", null)),
            ["ManagedServiceData.MaxLength"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).AdditionalFields["big"] = JsonValue.Create(new string('x', 30001))),
            ["ManagedServiceData.SingleLine"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).TokenDomains.Add("a\nb")),
            ["ResourceType.Required"] = new FailingCase("WafV2", p => p.ResourceTypes!.Clear()),
            ["ResourceType.Format"] = new FailingCase("DnsFirewall", p => p.ResourceTypes = new List<string> { "ResourceTypeList" }),
            ["ResourceType.NotAllowedForPolicyType"] = new FailingCase("DnsFirewall", p => p.ResourceTypes = new List<string> { FmsResourceTypes.Subnet }),
            ["ResourceType.Duplicate"] = new FailingCase("ShieldAdvanced", p => p.ResourceTypes!.Add(FmsResourceTypes.ElasticIp)),
            ["ResourceType.CloudFrontRegion"] = new FailingCase("WafV2", p =>
            {
                p.ResourceTypes = new List<string> { FmsResourceTypes.CloudFrontDistribution };
                p.Region = "eu-west-1";
            }),
            ["ResourceType.CloudFrontInList"] = new FailingCase("WafV2", p => p.ResourceTypes!.Add(FmsResourceTypes.CloudFrontDistribution)),
            ["Scope.IncludeExcludeExclusive"] = new FailingCase("WafV2", p => p.Scope!.ExcludeAccounts.Add(PolicySamples.AccountC)),
            ["Scope.AccountId.Format"] = new FailingCase("WafClassic", p => p.Scope!.IncludeAccounts.Add("12345")),
            ["Scope.OrganizationalUnitId.Format"] = new FailingCase("WafV2", p => p.Scope!.IncludeOrganizationalUnits.Add("ou-bad")),
            ["Scope.Accounts.MaxCount"] = new FailingCase("WafClassic", p => p.Scope!.IncludeAccounts = Enumerable.Range(0, 201).Select(i => (100000000000L + i).ToString()).ToList()),
            ["Scope.OrganizationalUnits.MaxCount"] = new FailingCase("WafV2", p => p.Scope!.IncludeOrganizationalUnits = Enumerable.Range(0, 21).Select(i => "ou-abcd-" + i.ToString("D8")).ToList()),
            ["Scope.Duplicate"] = new FailingCase("WafClassic", p => p.Scope!.IncludeAccounts.Add(PolicySamples.AccountA)),
            ["Scope.ResourceTags.MaxCount"] = new FailingCase("WafV2", p => p.Scope!.ResourceTags = Enumerable.Range(0, 9).Select(i => new ResourceTagFilter("k" + i, "v")).ToList()),
            ["Scope.ResourceTags.KeyLength"] = new FailingCase("WafV2", p => p.Scope!.ResourceTags[0].Key = ""),
            ["Scope.ResourceTags.ValueLength"] = new FailingCase("WafV2", p => p.Scope!.ResourceTags[0].Value = new string('v', 257)),
            ["Scope.ResourceTags.Pattern"] = new FailingCase("WafV2", p => p.Scope!.ResourceTags[0].Key = "bad,key"),
            ["Scope.ResourceTags.ReservedPrefix"] = new FailingCase("WafV2", p => p.Scope!.ResourceTags[0].Key = "aws:cloudformation:stack-name"),
            ["Scope.ResourceSets.MaxCount"] = new FailingCase("ImportNetworkFirewall", p => p.Scope!.ResourceSetIds = Enumerable.Range(0, 6).Select(ResourceSetId).ToList()),
            ["Scope.ResourceSetId.Format"] = new FailingCase("ImportNetworkFirewall", p => p.Scope!.ResourceSetIds.Add("short")),
            ["Scope.ResourceSets.RequiredForImport"] = new FailingCase("ImportNetworkFirewall", p => p.Scope!.ResourceSetIds.Clear()),
            ["Tags.MaxCount"] = new FailingCase("WafV2", p => p.Tags = Enumerable.Range(0, 201).ToDictionary(i => "k" + i, i => "v")),
            ["Tags.KeyLength"] = new FailingCase("WafV2", p => p.Tags![new string('k', 129)] = "v"),
            ["Tags.ValueLength"] = new FailingCase("WafV2", p => p.Tags!["owner"] = new string('v', 257)),
            ["Tags.Pattern"] = new FailingCase("WafV2", p => p.Tags!["owner"] = "a,b"),
            ["Tags.ReservedPrefix"] = new FailingCase("WafV2", p => p.Tags!["aws:owner"] = "x"),
            ["Quota.PoliciesPerRegion"] = new FailingCase("WafV2", p => { }, new PolicyValidationContext { RuleGroupCapacity = _ => 100, ExistingPolicyCount = 20 }),
            ["WafV2.DefaultAction.Required"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).DefaultAction = null),
            ["WafV2.DefaultAction.Value"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).DefaultAction = new PolicyAction("COUNT")),
            ["WafV2.CustomHandling.MatchesDefaultAction"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).CustomResponse = JsonNode.Parse("{\"responseCode\":403}")),
            ["WafV2.RuleGroup.Identity"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].RuleGroupArn = "arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/x/a1b2c3d4-5678-90ab-cdef-000000000002"),
            ["WafV2.RuleGroup.Type"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].RuleGroupType = WafValues.RuleGroupTypeCustom),
            ["WafV2.RuleGroup.OverrideAction"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].OverrideAction = null),
            ["WafV2.ManagedRuleGroup.Name"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.VendorName = null),
            ["WafV2.ManagedRuleGroup.Version"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[1].ManagedRuleGroupIdentifier!.Version = null),
            ["WafV2.RuleActionOverride.ManagedOnly"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PostProcessRuleGroups[0].RuleActionOverrides.Add(WafV2RuleActionOverride.Create("r", "count"))),
            ["WafV2.RuleActionOverride.Action"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].RuleActionOverrides[0].ActionToUse = JsonNode.Parse("{\"explode\":{}}")),
            ["WafV2.ManagedRuleGroup.Unknown"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.ManagedRuleGroupName = "AWSManagedRulesCommonRuleSett"),
            ["WafV2.ManagedRuleGroup.VersionUnknown"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[1].ManagedRuleGroupIdentifier!.Version = "Version_9.9"),
            ["WafV2.ManagedRuleGroup.NameFormat"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.ManagedRuleGroupName = "Common Rule Set"),
            ["WafV2.ManagedRuleGroup.VersionFormat"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[1].ManagedRuleGroupIdentifier!.Version = "Version 1.1"),
            ["WafV2.RuleName.Format"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].ExcludeRules[0].Name = "SizeRestrictions BODY"),
            ["WafV2.RuleName.NotInManagedRuleGroup"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PreProcessRuleGroups[0].ExcludeRules[0].Name = "SizeRestrictions_Body"),
            ["WafV2.RuleName.NotInRuleGroup"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PostProcessRuleGroups[0].ExcludeRules.Add(new WafV2ExcludedRule("block-admin-path"))),
            ["WafV2.RuleGroupArn.Format"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PostProcessRuleGroups[0].RuleGroupArn = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/custom/a1b2c3d4-5678-90ab-cdef-000000000001"),
            ["WafV2.RuleGroup.Duplicate"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PostProcessRuleGroups.Add(WafV2RuleGroup.Managed("AWS", "AWSManagedRulesCommonRuleSet"))),
            ["WafV2.RuleGroups.MaxCount"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).PostProcessRuleGroups.AddRange(Enumerable.Range(0, 48).Select(i => WafV2RuleGroup.Custom("arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/g" + i + "/a1b2c3d4-5678-90ab-cdef-0000000000" + i.ToString("D2"))))),
            ["WafV2.Capacity.Max"] = new FailingCase("WafV2", p => { }, new PolicyValidationContext { RuleGroupCapacity = _ => 2000 }),
            ["WafV2.Capacity.NotChecked"] = new FailingCase("WafV2", p => { }, new PolicyValidationContext()),
            ["WafV2.WebAclSource.Value"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).WebAclSource = "NEW"),
            ["WafV2.Logging.Limits"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).LoggingConfiguration = JsonNode.Parse("{\"logDestinationConfigs\":[\"a\",\"b\"]}")),
            ["WafV2.Logging.Format"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).LoggingConfiguration = JsonValue.Create("aws-waf-logs-fms")),
            ["WafV2.Logging.Destination"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).LoggingConfiguration = JsonNode.Parse("{\"logDestinationConfigs\":[\"arn:aws:firehose:us-east-1:111111111111:deliverystream/fms-logs\"],\"redactedFields\":[]}")),
            ["WafV2.Logging.RedactedField"] = new FailingCase("WafV2", p => S<WafV2PolicySettings>(p).LoggingConfiguration!["redactedFields"] = JsonNode.Parse("[{\"redactedFieldType\":\"METHOD\"},{\"redactedFieldType\":\"HEADER\"}]")),
            ["Waf.RuleGroups.MaxCount"] = new FailingCase("WafClassic", p => S<WafClassicPolicySettings>(p).RuleGroups.AddRange(new[] { "g2", "g3" }.Select(id => new WafClassicRuleGroup { Id = id, OverrideAction = new PolicyAction("NONE") }))),
            ["Waf.RuleGroup.Id.Required"] = new FailingCase("WafClassic", p => S<WafClassicPolicySettings>(p).RuleGroups[0].Id = null),
            ["Waf.RuleGroup.OverrideAction"] = new FailingCase("WafClassic", p => S<WafClassicPolicySettings>(p).RuleGroups[0].OverrideAction = new PolicyAction("BLOCK")),
            ["Waf.DefaultAction"] = new FailingCase("WafClassic", p => S<WafClassicPolicySettings>(p).DefaultAction = null),
            ["Shield.AutomaticResponse.Status"] = new FailingCase("ShieldAdvanced", p => S<ShieldAdvancedPolicySettings>(p).AutomaticResponseConfiguration = new ShieldAutomaticResponseConfiguration { AutomaticResponseStatus = "ON" }),
            ["Shield.AutomaticResponse.Action"] = new FailingCase("ShieldAdvanced", p => S<ShieldAdvancedPolicySettings>(p).AutomaticResponseConfiguration = new ShieldAutomaticResponseConfiguration { AutomaticResponseStatus = ShieldValues.Enabled }),
            ["SecurityGroup.Id.Format"] = new FailingCase("SecurityGroupsCommon", p => S<SecurityGroupsCommonSettings>(p).SecurityGroups[0].Id = "sg-xyz"),
            ["SecurityGroupsCommon.PrimaryGroup.Count"] = new FailingCase("SecurityGroupsCommon", p => S<SecurityGroupsCommonSettings>(p).SecurityGroups.Add(new SecurityGroupReference("sg-0123456789abcdef1"))),
            ["SecurityGroupsCommon.TagDistribution.RequiresRevert"] = new FailingCase("SecurityGroupsCommon", p =>
            {
                S<SecurityGroupsCommonSettings>(p).EnableTagDistribution = true;
                S<SecurityGroupsCommonSettings>(p).RevertManualSecurityGroupChanges = false;
            }),
            ["SecurityGroupsContentAudit.AuditGroup.Count"] = new FailingCase("SecurityGroupsContentAudit", p => S<SecurityGroupsContentAuditSettings>(p).SecurityGroups.Add(new SecurityGroupReference("sg-0123456789abcdef1"))),
            ["SecurityGroupsContentAudit.Action"] = new FailingCase("SecurityGroupsContentAudit", p => S<SecurityGroupsContentAuditSettings>(p).SecurityGroupAction = new PolicyAction("MAYBE")),
            ["SecurityGroupsUsageAudit.Delay.Range"] = new FailingCase("SecurityGroupsUsageAudit", p => S<SecurityGroupsUsageAuditSettings>(p).OptionalDelayForUnusedInMinutes = 525601),
            ["SecurityGroupsUsageAudit.NoAction"] = new FailingCase("SecurityGroupsUsageAudit", p =>
            {
                S<SecurityGroupsUsageAuditSettings>(p).DeleteUnusedSecurityGroups = false;
                S<SecurityGroupsUsageAuditSettings>(p).CoalesceRedundantSecurityGroups = null;
            }),
            ["DnsFirewall.PreProcess.Priority"] = new FailingCase("DnsFirewall", p => S<DnsFirewallSettings>(p).PreProcessRuleGroups[0].Priority = 100),
            ["DnsFirewall.PostProcess.Priority"] = new FailingCase("DnsFirewall", p => S<DnsFirewallSettings>(p).PostProcessRuleGroups[0].Priority = 9900),
            ["DnsFirewall.Priority.Duplicate"] = new FailingCase("DnsFirewall", p =>
            {
                S<DnsFirewallSettings>(p).PostProcessRuleGroups.Clear();
                S<DnsFirewallSettings>(p).PreProcessRuleGroups.Add(new DnsFirewallRuleGroup("rslvr-frg-3", 10));
            }),
            ["DnsFirewall.RuleGroups.MaxCount"] = new FailingCase("DnsFirewall", p => S<DnsFirewallSettings>(p).PreProcessRuleGroups.Add(new DnsFirewallRuleGroup("rslvr-frg-3", 20))),
            ["DnsFirewall.RuleGroupId.Required"] = new FailingCase("DnsFirewall", p => S<DnsFirewallSettings>(p).PreProcessRuleGroups[0].RuleGroupId = null),
            ["NetworkFirewall.StatelessDefaultActions"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).FirewallPolicy.StatelessDefaultActions.Add(FirewallValues.Drop)),
            ["NetworkFirewall.CustomAction.Undefined"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).FirewallPolicy.StatelessFragmentDefaultActions.Add("undefinedAction")),
            ["NetworkFirewall.RuleGroupArn.Required"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).FirewallPolicy.StatelessRuleGroupReferences[0].ResourceArn = null),
            ["NetworkFirewall.StatelessPriority"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).FirewallPolicy.StatelessRuleGroupReferences[1].Priority = 1),
            ["NetworkFirewall.StatefulPriority"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).FirewallPolicy.StatefulRuleGroupReferences[0].Priority = 5),
            ["NetworkFirewall.StatefulOverride.Value"] = new FailingCase("ImportNetworkFirewall", p => S<ImportNetworkFirewallSettings>(p).FirewallPolicy.StatefulRuleGroupReferences[0].Override!.Action = "PASS"),
            ["NetworkFirewall.RuleOrder.Value"] = new FailingCase("ImportNetworkFirewall", p => S<ImportNetworkFirewallSettings>(p).FirewallPolicy.StatefulEngineOptions!.RuleOrder = "RANDOM"),
            ["NetworkFirewall.DeploymentModel"] = new FailingCase("NetworkFirewallCentralized", p => S<NetworkFirewallSettings>(p).FirewallDeploymentModel = null),
            ["NetworkFirewall.RouteManagementAction.Value"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).OrchestrationConfig!.RouteManagementAction = "ON"),
            ["NetworkFirewall.AvailabilityZone.NameOrId"] = new FailingCase("NetworkFirewallCentralized", p =>
                S<NetworkFirewallSettings>(p).FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList[0].AvailabilityZoneId = "use1-az1"),
            ["NetworkFirewall.AvailabilityZone.Format"] = new FailingCase("NetworkFirewallCentralized", p =>
                S<NetworkFirewallSettings>(p).FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList[0].AvailabilityZoneName = "us-east-1"),
            ["NetworkFirewall.AllowedIpv4Cidr.Format"] = new FailingCase("NetworkFirewall", p => S<NetworkFirewallSettings>(p).OrchestrationConfig!.AllowedIpv4CidrList[1] = "192.168.0.0/33"),
            ["NetworkFirewall.RuleGroupArn.Format"] = new FailingCase("NetworkFirewall", p =>
                S<NetworkFirewallSettings>(p).FirewallPolicy.StatefulRuleGroupReferences[0].ResourceArn = "arn:aws:network-firewall:us-east-1:111111111111:stateless-rulegroup/test"),
            ["ThirdPartyFirewall.Vendor"] = new FailingCase("ThirdPartyFirewall", p => S<ThirdPartyFirewallSettings>(p).ThirdPartyFirewall = "CHECKPOINT"),
            ["ThirdPartyFirewall.DeploymentModel"] = new FailingCase("ThirdPartyFirewall", p => S<ThirdPartyFirewallSettings>(p).DeploymentModel = null),
            ["ThirdPartyFirewall.FirewallPolicy.Required"] = new FailingCase("ThirdPartyFirewall", p => S<ThirdPartyFirewallSettings>(p).FirewallConfig = null),
            ["NetworkAcl.Entries.Required"] = new FailingCase("NetworkAclCommon", p =>
            {
                S<NetworkAclCommonSettings>(p).FirstEntries.Clear();
                S<NetworkAclCommonSettings>(p).LastEntries.Clear();
            }),
            ["NetworkAcl.RuleAction"] = new FailingCase("NetworkAclCommon", p => S<NetworkAclCommonSettings>(p).FirstEntries[0].RuleAction = "permit"),
            ["NetworkAcl.Protocol"] = new FailingCase("NetworkAclCommon", p => S<NetworkAclCommonSettings>(p).FirstEntries[1].Protocol = "tcp"),
            ["NetworkAcl.Cidr"] = new FailingCase("NetworkAclCommon", p => S<NetworkAclCommonSettings>(p).FirstEntries[0].CidrBlock = "10.0.0.0/33"),
            ["NetworkAcl.PortRange"] = new FailingCase("NetworkAclCommon", p => S<NetworkAclCommonSettings>(p).FirstEntries[0].PortRange = null),
            ["NetworkAcl.IcmpTypeCode"] = new FailingCase("NetworkAclCommon", p => S<NetworkAclCommonSettings>(p).LastEntries[0].IcmpTypeCode = null),
        };

        public static IEnumerable<object[]> RuleIds => PolicyRules.AllIds.Select(id => new object[] { id });

        [Fact]
        public void EveryRuleHasAFailingCaseAndEveryCaseIsARule()
        {
            Assert.Empty(PolicyRules.AllIds.Except(FailingCases.Keys));
            Assert.Empty(FailingCases.Keys.Except(PolicyRules.AllIds));
            Assert.Equal(PolicyRules.AllIds.Count, PolicyRules.AllIds.Distinct().Count());
        }

        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void SamplesOfEveryTypePassEveryRule(string sample)
        {
            var findings = PolicyValidator.Validate(PolicySamples.Get(sample), Connected());

            Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        }

        [Theory]
        [MemberData(nameof(RuleIds))]
        public void EachRuleFailsItsCaseAndPassesItsSample(string ruleId)
        {
            var testCase = FailingCases[ruleId];
            var baseline = PolicySamples.Get(testCase.Sample);
            Assert.DoesNotContain(PolicyValidator.Validate(baseline, Connected()), f => f.Rule == ruleId);

            var broken = PolicySamples.Get(testCase.Sample);
            testCase.Mutate(broken);
            var findings = PolicyValidator.Validate(broken, testCase.Context ?? Connected());

            var finding = Assert.Single(findings, f => f.Rule == ruleId);
            var rule = PolicyRules.All.Single(r => r.Id == ruleId);
            Assert.Equal(rule.Severity, finding.SeverityValue);
            Assert.Contains(finding.Field, finding.Message);
            Assert.Contains(ruleId, finding.Message);
        }

        [Fact]
        public void An_unknown_managed_rule_group_names_its_field_suggests_the_near_name_and_is_not_also_an_unknown_capacity()
        {
            var policy = PolicySamples.WafV2();
            S<WafV2PolicySettings>(policy).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.ManagedRuleGroupName = "AWSManagedRulesCommonRuleSett";
            var context = Connected();
            context.RuleGroupCapacity = g => g.ManagedRuleGroupIdentifier?.ManagedRuleGroupName == "AWSManagedRulesCommonRuleSett" ? null : 100;

            var findings = PolicyValidator.Validate(policy, context);

            var unknown = Assert.Single(findings, f => f.Rule == "WafV2.ManagedRuleGroup.Unknown");
            Assert.Equal("Settings.preProcessRuleGroups[0].managedRuleGroupIdentifier.managedRuleGroupName", unknown.Field);
            Assert.Contains("did you mean \"AWS/AWSManagedRulesCommonRuleSet\"?", unknown.Message);
            Assert.DoesNotContain(findings, f => f.Rule == "WafV2.Capacity.NotChecked");

            S<WafV2PolicySettings>(policy).PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.ManagedRuleGroupName = "AWSManagedRulesCommonRuleSet";
            S<WafV2PolicySettings>(policy).PreProcessRuleGroups[1].ManagedRuleGroupIdentifier!.Version = "Version_9.9";
            var version = Assert.Single(PolicyValidator.Validate(policy, Connected()), f => f.Rule == "WafV2.ManagedRuleGroup.VersionUnknown");
            Assert.Equal("Settings.preProcessRuleGroups[1].managedRuleGroupIdentifier.version", version.Field);
            Assert.Contains("available: Version_1.1, Version_1.2 (default Version_1.2)", version.Message);
        }

        [Fact]
        public void FieldPathsPointAtTheOffendingElement()
        {
            var policy = PolicySamples.DnsFirewall();
            ((DnsFirewallSettings)policy.Settings!).PostProcessRuleGroups[0].Priority = 50;
            policy.Scope!.IncludeAccounts.Add("not-an-account");

            var findings = PolicyValidator.Validate(policy, Connected());

            Assert.Contains(findings, f => f.Field == "Settings.postProcessRuleGroups[0].priority" && f.Rule == "DnsFirewall.PostProcess.Priority");
            Assert.Contains(findings, f => f.Field == "Scope.IncludeAccounts[1]" && f.Rule == "Scope.AccountId.Format");
        }

        [Fact]
        public void IncludeAndExcludeTogetherExplainsThatExclusionsAreIgnored()
        {
            var policy = PolicySamples.WafV2();
            policy.Scope!.ExcludeAccounts.Add(PolicySamples.AccountC);

            var finding = Assert.Single(PolicyValidator.Validate(policy, Connected()));

            Assert.Equal(PolicyFindingSeverity.Error, finding.SeverityValue);
            Assert.Contains("ignores the exclusions", finding.Message);
        }

        [Fact]
        public void OfflineCapacityIsAWarningNotAnError()
        {
            var findings = PolicyValidator.Validate(PolicySamples.WafV2());

            var finding = Assert.Single(findings);
            Assert.Equal("WafV2.Capacity.NotChecked", finding.Rule);
            Assert.Equal(PolicyFindingSeverity.Warning, finding.SeverityValue);
            Assert.False(PolicyValidator.HasErrors(findings));
        }

        [Fact]
        public void CapacityLookupIsAskedForEveryRuleGroupAndPartialKnowledgeStillCounts()
        {
            var asked = new List<string>();
            var context = new PolicyValidationContext
            {
                RuleGroupCapacity = g =>
                {
                    asked.Add(g.DisplayName);
                    return g.RuleGroupArn != null ? (int?)null : 2600;
                },
            };

            var findings = PolicyValidator.Validate(PolicySamples.WafV2(), context);

            Assert.Equal(3, asked.Count);
            Assert.Contains(findings, f => f.Rule == "WafV2.Capacity.Max" && f.Message.Contains("5,200"));
            Assert.Contains(findings, f => f.Rule == "WafV2.Capacity.NotChecked" && f.Message.Contains("a1b2c3"));
        }

        [Fact]
        public void RuleNamesAreCheckedAgainstTheRuleGroupsRulesOnlyWhenTheRulesAreKnown()
        {
            var policy = PolicySamples.WafV2();
            var managed = S<WafV2PolicySettings>(policy).PreProcessRuleGroups[0];
            managed.ExcludeRules.Add(new WafV2ExcludedRule("GenericLFI_BODY"));
            managed.RuleActionOverrides.Add(WafV2RuleActionOverride.Create("noUserAgent_HEADER", "count"));
            var asked = new List<string>();

            var findings = PolicyValidator.Validate(policy, new PolicyValidationContext
            {
                RuleGroupCapacity = _ => 100,
                RuleGroupRuleNames = g => { asked.Add(g.DisplayName); return SampleRuleNames(g); },
            });

            // Groups without exclusions or overrides are not looked up (the known-bad-inputs group has neither).
            Assert.Equal(new[] { "AWS/AWSManagedRulesCommonRuleSet" }, asked);
            var names = findings.Where(f => f.Rule == "WafV2.RuleName.NotInManagedRuleGroup").ToList();
            Assert.Equal(new[] { "Settings.preProcessRuleGroups[0].excludeRules[1].name", "Settings.preProcessRuleGroups[0].ruleActionOverrides[1].name" },
                names.Select(f => f.Field));
            Assert.All(names, f => Assert.Equal(PolicyFindingSeverity.Warning, f.SeverityValue));
            Assert.Contains("ignores it silently", names[0].Message);
            Assert.Contains("did you mean \"NoUserAgent_HEADER\"", names[1].Message);

            // Unknown rules (no lookup, or the lookup does not know the group): nothing is reported.
            Assert.DoesNotContain(PolicyValidator.Validate(policy, new PolicyValidationContext { RuleGroupCapacity = _ => 100 }), f => f.Rule.StartsWith("WafV2.RuleName.NotIn", StringComparison.Ordinal));
            Assert.DoesNotContain(PolicyValidator.Validate(policy, new PolicyValidationContext { RuleGroupCapacity = _ => 100, RuleGroupRuleNames = _ => null }),
                f => f.Rule.StartsWith("WafV2.RuleName.NotIn", StringComparison.Ordinal));
        }

        [Fact]
        public void AnUnknownRuleInACustomerRuleGroupIsAnErrorNamingTheExclusion()
        {
            var policy = PolicySamples.WafV2();
            S<WafV2PolicySettings>(policy).PostProcessRuleGroups[0].ExcludeRules.Add(new WafV2ExcludedRule("rate-limit-per-ip"));
            S<WafV2PolicySettings>(policy).PostProcessRuleGroups[0].ExcludeRules.Add(new WafV2ExcludedRule("geo-block"));

            var findings = PolicyValidator.Validate(policy, Connected());

            var finding = Assert.Single(findings);
            Assert.Equal(("WafV2.RuleName.NotInRuleGroup", "Settings.postProcessRuleGroups[0].excludeRules[1].name", PolicyFindingSeverity.Error),
                (finding.Rule, finding.Field, finding.SeverityValue));
            Assert.Contains("\"geo-block\" is not a rule of arn:aws:wafv2:", finding.Message);
        }
    }
}
