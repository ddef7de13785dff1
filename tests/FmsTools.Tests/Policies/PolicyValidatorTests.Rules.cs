using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    /// <summary>The validator's rules on quotas, Regions, rule group ARNs, log destinations, Availability Zones and CIDRs.</summary>
    public partial class PolicyValidatorTests
    {
        [Fact]
        public void UpdatesDoNotCountAgainstThePolicyQuota()
        {
            var policy = PolicySamples.WafV2();
            policy.PolicyId = SimulatedFmsService.PolicyId;

            var findings = PolicyValidator.Validate(policy, new PolicyValidationContext { RuleGroupCapacity = _ => 1, ExistingPolicyCount = 20 });

            Assert.DoesNotContain(findings, f => f.Rule == "Quota.PoliciesPerRegion");
        }

        [Theory]
        [InlineData(null, 20)]
        [InlineData("", 20)]
        [InlineData("50", 50)]
        [InlineData("0", 20)]
        [InlineData("-5", 20)]
        [InlineData("25.5", 20)]
        [InlineData(" 30", 20)]
        [InlineData("lots", 20)]
        public void The_policy_quota_comes_from_FMSTOOLS_POLICY_QUOTA_when_it_is_a_positive_whole_number(string? text, int expected)
            => Assert.Equal(expected, PolicyValidationContext.ParsePolicyQuota(text));

        [Fact]
        public void A_raised_policy_quota_lets_a_create_through_and_the_finding_says_how_to_raise_it()
        {
            var policy = PolicySamples.WafV2();
            var atDefault = PolicyValidator.Validate(policy, new PolicyValidationContext { RuleGroupCapacity = _ => 100, ExistingPolicyCount = 20, MaxPoliciesPerRegion = 20 });
            var quota = Assert.Single(atDefault, f => f.Rule == "Quota.PoliciesPerRegion");
            Assert.Contains("FMSTOOLS_POLICY_QUOTA", quota.Message);
            var raised = PolicyValidator.Validate(policy, new PolicyValidationContext { RuleGroupCapacity = _ => 100, ExistingPolicyCount = 20, MaxPoliciesPerRegion = 50 });
            Assert.DoesNotContain(raised, f => f.Rule == "Quota.PoliciesPerRegion");
        }

        [Theory]
        [InlineData("mars-1", "Policy.Region.Format")]
        [InlineData("7", "Policy.Region.Format")]
        [InlineData("", "Policy.Region.Format")]
        [InlineData("us-east-1\n", "Policy.Region.Format")]
        [InlineData("US-EAST-1", "Policy.Region.Format")]
        [InlineData("eu-west-99", "Policy.Region.Unknown")]
        [InlineData("eu-west-1", null)]
        [InlineData("us-gov-west-1", null)]
        [InlineData("cn-northwest-1", null)]
        public void TheRegionFromTheContextIsCheckedWhenThePolicyHasNone(string region, string? rule)
        {
            var policy = PolicySamples.WafV2();
            policy.Region = null;

            var findings = PolicyValidator.Validate(policy, new PolicyValidationContext { Region = region, RuleGroupCapacity = _ => 100 });

            Assert.Equal(rule, findings.SingleOrDefault(f => f.Field == "Region")?.Rule);
        }

        [Fact]
        public void EveryRegionFmsToolsKnowsHasTheModelsRegionForm()
        {
            foreach (var region in FmsTools.Engine.Connection.AwsRegionNames.All.Select(r => r.Key))
            {
                var policy = PolicySamples.Get("DnsFirewall");
                policy.Region = region;
                Assert.True(PolicyValidator.Validate(policy, Connected()).Count == 0, region);
            }
        }

        [Fact]
        public void CloudFrontAloneInUsEast1IsFine()
        {
            var policy = PolicySamples.WafV2();
            policy.ResourceTypes = new List<string> { FmsResourceTypes.CloudFrontDistribution };

            Assert.Empty(PolicyValidator.Validate(policy, Connected()));
        }

        [Fact]
        public void EscapedNewlineSequencesAreCaughtToo()
        {
            var policy = PolicySamples.WafV2();
            ((WafV2PolicySettings)policy.Settings!).TokenDomains.Add("literal\\nbackslash-n");

            var finding = Assert.Single(PolicyValidator.Validate(policy, Connected()));

            Assert.Equal("ManagedServiceData.SingleLine", finding.Rule);
            Assert.Equal("Settings.tokenDomains", finding.Field.Substring(0, "Settings.tokenDomains".Length));
        }

        private static List<string> RulesFor(FmsPolicy policy) => PolicyValidator.Validate(policy, Connected()).Select(f => f.Rule).ToList();

        [Theory]
        [InlineData("arn:aws:wafv2:us-east-1:111111111111:global/rulegroup/cf-rules/a1b2c3d4-5678-90ab-cdef-000000000001")]
        [InlineData("arn:aws-us-gov:wafv2:us-gov-west-1:111111111111:regional/rulegroup/Gov_Rules-2/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")]
        [InlineData("arn:aws-cn:wafv2:cn-north-1:111111111111:regional/rulegroup/x/a1b2c3d4-5678-90ab-cdef-000000000001")]
        public void RuleGroupArnsOfEveryScopeAndPartitionPass(string arn)
        {
            var policy = PolicySamples.WafV2();
            ((WafV2PolicySettings)policy.Settings!).PostProcessRuleGroups[0].RuleGroupArn = arn;

            Assert.Empty(RulesFor(policy));
        }

        [Theory]
        [InlineData("arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/x/1")]
        [InlineData("arn:aws:wafv2:us-east-1:11111111111:regional/rulegroup/x/a1b2c3d4-5678-90ab-cdef-000000000001")]
        [InlineData("arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/x/a1b2c3d4-5678-90ab-cdef-000000000001\n")]
        [InlineData("arn:aws:wafv2:us-east-1:111111111111:local/rulegroup/x/a1b2c3d4-5678-90ab-cdef-000000000001")]
        [InlineData("arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/has space/a1b2c3d4-5678-90ab-cdef-000000000001")]
        [InlineData("arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/deny")]
        [InlineData("not-an-arn")]
        public void MalformedRuleGroupArnsFail(string arn)
        {
            var policy = PolicySamples.WafV2();
            ((WafV2PolicySettings)policy.Settings!).PostProcessRuleGroups[0].RuleGroupArn = arn;

            // (A newline also breaks ManagedServiceData.SingleLine; every other rule stays quiet.)
            var findings = PolicyValidator.Validate(policy, Connected());
            var finding = Assert.Single(findings, f => f.Rule == "WafV2.RuleGroupArn.Format");
            Assert.Equal("Settings.postProcessRuleGroups[0].ruleGroupArn", finding.Field);
            Assert.All(findings, f => Assert.Contains(f.Rule, new[] { "WafV2.RuleGroupArn.Format", "ManagedServiceData.SingleLine" }));
        }

        [Theory]
        [InlineData("arn:aws:s3:::aws-waf-logs-example-bucket")]
        [InlineData("arn:aws:s3:::aws-waf-logs-example-bucket/fms/")]
        [InlineData("arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-edge")]
        [InlineData("arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-edge:*")]
        [InlineData("arn:aws:firehose:us-east-1:111111111111:deliverystream/aws-waf-logs-fms-admin-destination")]
        public void LogDestinationsOfEveryKindPass(string arn)
        {
            var policy = PolicySamples.WafV2();
            ((WafV2PolicySettings)policy.Settings!).LoggingConfiguration = JsonNode.Parse("{\"logDestinationConfigs\":[\"" + arn + "\"],"
                + "\"redactedFields\":[{\"redactedFieldType\":\"SingleHeader\",\"redactedFieldValue\":\"Cookies\"},{\"redactedFieldType\":\"Method\"},{\"redactedFieldType\":\"URI\"},{\"redactedFieldType\":\"QUERY_STRING\"}],"
                + "\"loggingFilterConfigs\":{\"defaultBehavior\":\"KEEP\",\"filters\":[]}}");

            Assert.Empty(RulesFor(policy));
        }

        [Theory]
        [InlineData("{}", "WafV2.Logging.Format")]
        [InlineData("[\"arn:aws:s3:::aws-waf-logs-x\"]", "WafV2.Logging.Format")]
        [InlineData("{\"logDestinationConfigs\":[\"arn:aws:s3:::my-bucket\"]}", "WafV2.Logging.Destination")]
        [InlineData("{\"logDestinationConfigs\":[42]}", "WafV2.Logging.Destination")]
        [InlineData("{\"logDestinationConfigs\":[\"arn:aws:s3:::aws-waf-logs-x\"],\"redactedFields\":[{\"singleHeader\":{\"name\":\"cookie\"}}]}", "WafV2.Logging.RedactedField")]
        [InlineData("{\"logDestinationConfigs\":[\"arn:aws:s3:::aws-waf-logs-x\"],\"redactedFields\":\"URI\"}", "WafV2.Logging.RedactedField")]
        public void MalformedLoggingConfigurationsFail(string json, string rule)
        {
            var policy = PolicySamples.WafV2();
            ((WafV2PolicySettings)policy.Settings!).LoggingConfiguration = JsonNode.Parse(json);

            Assert.Equal(new[] { rule }, RulesFor(policy));
        }

        [Theory]
        [InlineData("us-east-1a", null)]
        [InlineData("us-west-2-lax-1a", null)]
        [InlineData("us-gov-west-1b", null)]
        [InlineData(null, "use1-az1")]
        [InlineData(null, "usw2-lax1-az1")]
        public void AvailabilityZoneNamesAndIdsPass(string? name, string? id)
        {
            var policy = PolicySamples.NetworkFirewallCentralized();
            var zone = ((NetworkFirewallSettings)policy.Settings!).FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList[0];
            zone.AvailabilityZoneName = name;
            zone.AvailabilityZoneId = id;

            Assert.Empty(RulesFor(policy));
        }

        [Theory]
        [InlineData("mars-1a", null)]
        [InlineData("us-east-1", null)]
        [InlineData("us-east-1a\n", null)]
        [InlineData(null, "use1-az")]
        [InlineData(null, "az")]
        public void MalformedAvailabilityZonesFail(string? name, string? id)
        {
            var policy = PolicySamples.NetworkFirewallCentralized();
            var zone = ((NetworkFirewallSettings)policy.Settings!).FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList[0];
            zone.AvailabilityZoneName = name;
            zone.AvailabilityZoneId = id;

            Assert.Equal(new[] { "NetworkFirewall.AvailabilityZone.Format" }, RulesFor(policy).Where(r => r != "ManagedServiceData.SingleLine"));
        }

        [Fact]
        public void CidrsAndRuleGroupArnsAreCheckedInEveryFirewallList()
        {
            var policy = PolicySamples.NetworkFirewallCentralized();
            var settings = (NetworkFirewallSettings)policy.Settings!;
            var orchestration = settings.FirewallDeploymentModel!.Centralized!.OrchestrationConfig!;
            orchestration.AllowedIpv4CidrList.Add("10.0.0.0/8/8");
            orchestration.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList[0].AllowedIpv4CidrList.Add("::/0");
            settings.FirewallPolicy.StatelessRuleGroupReferences[0].ResourceArn = "arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/test";

            var findings = PolicyValidator.Validate(policy, Connected());

            Assert.Equal(3, findings.Count);
            Assert.Contains(findings, f => f.Rule == "NetworkFirewall.AllowedIpv4Cidr.Format" && f.Field.EndsWith("centralizedFirewallOrchestrationConfig.allowedIPV4CidrList[0]", StringComparison.Ordinal));
            Assert.Contains(findings, f => f.Rule == "NetworkFirewall.AllowedIpv4Cidr.Format" && f.Field.EndsWith("availabilityZoneConfigList[0].allowedIPV4CidrList[1]", StringComparison.Ordinal));
            Assert.Contains(findings, f => f.Rule == "NetworkFirewall.RuleGroupArn.Format" && f.Field.EndsWith("networkFirewallStatelessRuleGroupReferences[0].resourceARN", StringComparison.Ordinal) && f.Message.Contains("stateful rule group"));
        }

        [Fact]
        public void AwsManagedNetworkFirewallRuleGroupsPass()
        {
            var policy = PolicySamples.NetworkFirewall();
            ((NetworkFirewallSettings)policy.Settings!).FirewallPolicy.StatefulRuleGroupReferences[0].ResourceArn = "arn:aws:network-firewall:us-east-1:aws-managed:stateful-rulegroup/ThreatSignaturesBotnetActionOrder";

            Assert.Empty(RulesFor(policy));
        }
    }
}
