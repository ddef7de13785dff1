using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;

namespace FmsTools.Tests.Policies
{
    /// <summary>A valid, richly filled policy of every type (plus the centralized Network Firewall model).</summary>
    internal static class PolicySamples
    {
        public const string OuA = "ou-abcd-12345678";
        public const string OuB = "ou-abcd-87654321";
        public const string AccountA = "111111111111";
        public const string AccountB = "222222222222";
        public const string AccountC = "333333333333";

        public static IReadOnlyList<string> Names { get; } = new[]
        {
            "WafV2", "WafClassic", "ShieldAdvanced", "SecurityGroupsCommon", "SecurityGroupsContentAudit", "SecurityGroupsUsageAudit",
            "NetworkFirewall", "NetworkFirewallCentralized", "ImportNetworkFirewall", "DnsFirewall", "ThirdPartyFirewall", "NetworkAclCommon",
        };

        public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

        public static FmsPolicy Get(string name)
        {
            switch (name)
            {
                case "WafV2": return WafV2();
                case "WafClassic": return WafClassic();
                case "ShieldAdvanced": return ShieldAdvanced();
                case "SecurityGroupsCommon": return SecurityGroupsCommon();
                case "SecurityGroupsContentAudit": return SecurityGroupsContentAudit();
                case "SecurityGroupsUsageAudit": return SecurityGroupsUsageAudit();
                case "NetworkFirewall": return NetworkFirewall();
                case "NetworkFirewallCentralized": return NetworkFirewallCentralized();
                case "ImportNetworkFirewall": return ImportNetworkFirewall();
                case "DnsFirewall": return DnsFirewall();
                case "ThirdPartyFirewall": return ThirdPartyFirewall();
                case "NetworkAclCommon": return NetworkAclCommon();
                default: throw new ArgumentOutOfRangeException(nameof(name), name, "no such sample");
            }
        }

        public static FmsPolicy ForType(FmsPolicyType type) => Get(type switch
        {
            FmsPolicyType.Waf => "WafClassic",
            _ => type.ToString(),
        });

        public static FmsPolicy WafV2()
        {
            var policy = PolicyBuilder.WafV2("waf-baseline")
                .WithManagedRuleGroup("AWS", "AWSManagedRulesCommonRuleSet", excludedRules: new[] { "SizeRestrictions_BODY" })
                .WithManagedRuleGroup("AWS", "AWSManagedRulesKnownBadInputsRuleSet", version: "Version_1.1")
                .WithRuleGroupArn("arn:aws:wafv2:us-east-1:111111111111:regional/rulegroup/custom/a1b2c3d4-5678-90ab-cdef-000000000001", postProcess: true, overrideAction: WafValues.OverrideCount)
                .WithResourceTypes(FmsResourceTypes.ApplicationLoadBalancer, FmsResourceTypes.ApiGatewayStage)
                .IncludeOrganizationalUnits(OuA, OuB)
                .WithResourceTag("env", "prod")
                .WithResourceTag("team", "web")
                .MatchAnyResourceTag()
                .WithRemediation()
                .WithDescription("Baseline WAF rules for public apps")
                .WithTag("owner", "secops")
                .InRegion("us-east-1")
                .Configure(s =>
                {
                    s.PreProcessRuleGroups[0].SampledRequestsEnabled = true;
                    s.PreProcessRuleGroups[0].RuleActionOverrides.Add(WafV2RuleActionOverride.Create("NoUserAgent_HEADER", "count"));
                    s.LoggingConfiguration = JsonNode.Parse("{\"logDestinationConfigs\":[\"arn:aws:firehose:us-east-1:111111111111:deliverystream/aws-waf-logs-fms\"],\"redactedFields\":[]}");
                    s.SampledRequestsEnabledForDefaultActions = true;
                    s.OptimizeUnassociatedWebAcl = true;
                    s.TokenDomains.AddRange(new[] { "example.com", "example.org" });
                    s.CaptchaConfig = JsonNode.Parse("{\"immunityTimeProperty\":{\"immunityTime\":500}}");
                    s.AdditionalFields["futureFeature"] = JsonNode.Parse("{\"enabled\":true}");
                })
                .Build();
            return policy;
        }

        public static FmsPolicy WafClassic() =>
            PolicyBuilder.WafClassic("waf-classic")
                .WithRuleGroup("78cb36c0-1b5e-4d7d-82b2-cf48d3ad9659")
                .Configure(s => s.OverrideCustomerWebAclAssociation = true)
                .WithResourceTypes(FmsResourceTypes.ApplicationLoadBalancer)
                .IncludeAccounts(AccountA, AccountB)
                .Build();

        public static FmsPolicy ShieldAdvanced() =>
            PolicyBuilder.ShieldAdvanced("shield-regional")
                .WithResourceTypes(FmsResourceTypes.ApplicationLoadBalancer, FmsResourceTypes.ClassicLoadBalancer, FmsResourceTypes.ElasticIp)
                .ExcludeAccounts(AccountC)
                .WithRemediation()
                .InRegion("eu-west-1")
                .Build();

        public static FmsPolicy SecurityGroupsCommon() =>
            PolicyBuilder.SecurityGroupsCommon("sg-common", "sg-0123456789abcdef0")
                .Configure(s =>
                {
                    s.RevertManualSecurityGroupChanges = true;
                    s.ExclusiveResourceSecurityGroupManagement = false;
                    s.ApplyToAllEc2InstanceEnis = false;
                    s.IncludeSharedVpc = true;
                    s.EnableSecurityGroupReferencesDistribution = true;
                })
                .WithResourceTypes(FmsResourceTypes.Instance, FmsResourceTypes.NetworkInterface)
                .IncludeOrganizationalUnits(OuA)
                .WithResourceTag("managed")
                .WithDeleteUnusedResources()
                .Build();

        public static FmsPolicy SecurityGroupsContentAudit() =>
            PolicyBuilder.SecurityGroupsContentAudit("sg-content-audit", "sg-049b2393a25468971")
                .Configure(s => s.PreManagedOptions = JsonNode.Parse("[{\"denyProtocolAllValue\":true},{\"auditSgDirection\":{\"type\":\"ALL\"}}]"))
                .Build();

        public static FmsPolicy SecurityGroupsUsageAudit() =>
            PolicyBuilder.SecurityGroupsUsageAudit("sg-usage-audit").WithRemediation().Build();

        public static FmsPolicy NetworkFirewall() =>
            PolicyBuilder.NetworkFirewall("nfw-distributed")
                .WithStatelessRuleGroup("arn:aws:network-firewall:us-east-1:111111111111:stateless-rulegroup/test", 1)
                .WithStatelessRuleGroup("arn:aws:network-firewall:us-east-1:111111111111:stateless-rulegroup/second", 2)
                .WithStatefulRuleGroup("arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/test")
                .Configure(s =>
                {
                    s.FirewallPolicy.StatelessDefaultActions.Add("customActionName");
                    s.FirewallPolicy.StatelessCustomActions.Add(new NetworkFirewallCustomAction
                    {
                        ActionName = "customActionName",
                        ActionDefinition = JsonNode.Parse("{\"publishMetricAction\":{\"dimensions\":[{\"value\":\"metricdimensionvalue\"}]}}"),
                    });
                    s.FirewallPolicy.LoggingConfiguration = JsonNode.Parse("{\"logDestinationConfigs\":[{\"logDestinationType\":\"S3\",\"logType\":\"ALERT\",\"logDestination\":{\"bucketName\":\"s3-bucket-name\"}}],\"overrideExistingConfig\":true}");
                    s.OrchestrationConfig = new NetworkFirewallOrchestrationConfig
                    {
                        SingleFirewallEndpointPerVpc = false,
                        AllowedIpv4CidrList = { "10.0.0.0/28", "192.168.0.0/28" },
                        RouteManagementAction = FirewallValues.RouteManagementMonitor,
                        RouteManagementTargetTypes = { "InternetGateway" },
                    };
                })
                .Build();

        public static FmsPolicy NetworkFirewallCentralized()
        {
            var policy = PolicyBuilder.NetworkFirewall("nfw-centralized", FirewallValues.Centralized)
                .WithStatelessRuleGroup("arn:aws:network-firewall:us-east-1:111111111111:stateless-rulegroup/test", 1)
                .WithStatefulRuleGroup("arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/test")
                .Configure(s => s.FirewallDeploymentModel = new FirewallDeploymentModelConfig
                {
                    Centralized = new CentralizedFirewallDeploymentModel
                    {
                        OrchestrationConfig = new FirewallOrchestrationConfig
                        {
                            InspectionVpcIds = { new InspectionVpc { ResourceId = "vpc-1234", AccountId = AccountA } },
                            FirewallCreationConfig = new FirewallCreationConfig
                            {
                                EndpointLocation = new FirewallEndpointLocation
                                {
                                    AvailabilityZoneConfigList = { new AvailabilityZoneConfig { AvailabilityZoneName = "us-east-1a", AllowedIpv4CidrList = { "10.0.0.0/28" } } },
                                },
                            },
                        },
                    },
                })
                .Build();
            return policy;
        }

        public static FmsPolicy ImportNetworkFirewall() =>
            PolicyBuilder.ImportNetworkFirewall("nfw-import", "abcdefghijklmnopqrstuv")
                .Configure(s =>
                {
                    var config = s.FirewallPolicy;
                    config.StatelessRuleGroupReferences.Add(new NetworkFirewallStatelessRuleGroupReference { ResourceArn = "arn:aws:network-firewall:us-west-2:000000000000:stateless-rulegroup/rg1", Priority = 1 });
                    config.StatelessDefaultActions.Add(FirewallValues.Drop);
                    config.StatelessFragmentDefaultActions.Add(FirewallValues.Pass);
                    config.StatefulRuleGroupReferences.Add(new NetworkFirewallStatefulRuleGroupReference
                    {
                        ResourceArn = "arn:aws:network-firewall:us-west-2:aws-managed:stateful-rulegroup/ThreatSignaturesEmergingEventsStrictOrder",
                        Priority = 8,
                        Override = new NetworkFirewallStatefulRuleGroupOverride { Action = FirewallValues.DropToAlert },
                    });
                    config.StatefulEngineOptions = new NetworkFirewallStatefulEngineOptions { RuleOrder = FirewallValues.StrictOrder };
                    config.StatefulDefaultActions.Add("aws:drop_strict");
                })
                .Build();

        public static FmsPolicy DnsFirewall() =>
            PolicyBuilder.DnsFirewall("dns-firewall")
                .WithRuleGroup("rslvr-frg-1", 10)
                .WithRuleGroup("rslvr-frg-2", 9911)
                .IncludeAccounts(AccountA)
                .Build();

        public static FmsPolicy ThirdPartyFirewall() =>
            PolicyBuilder.ThirdPartyFirewall("cloud-ngfw", FirewallValues.PaloAltoCloudNgfw, FirewallValues.Distributed, "global-1")
                .Configure(s => s.FirewallDeploymentModel = new FirewallDeploymentModelConfig
                {
                    Distributed = new DistributedFirewallDeploymentModel
                    {
                        OrchestrationConfig = new FirewallOrchestrationConfig
                        {
                            FirewallCreationConfig = new FirewallCreationConfig
                            {
                                EndpointLocation = new FirewallEndpointLocation { AvailabilityZoneConfigList = { new AvailabilityZoneConfig { AvailabilityZoneName = "us-east-1a" } } },
                            },
                        },
                    },
                })
                .Build();

        public static FmsPolicy NetworkAclCommon() =>
            PolicyBuilder.NetworkAclCommon("nacl-baseline")
                .WithEntry(first: true, ruleAction: FirewallValues.AclAllow, protocol: "6", cidrBlock: "10.0.0.0/8", egress: false, fromPort: 443, toPort: 443)
                .WithEntry(first: true, ruleAction: FirewallValues.AclDeny, protocol: "-1", cidrBlock: "0.0.0.0/0", egress: true)
                .Configure(s =>
                {
                    s.ForceRemediateForFirstEntries = true;
                    s.LastEntries.Add(new NetworkAclRule
                    {
                        RuleAction = FirewallValues.AclAllow,
                        Protocol = "1",
                        CidrBlock = "192.168.0.0/16",
                        IcmpTypeCode = new NetworkAclRuleIcmpTypeCode { Type = -1, Code = -1 },
                    });
                })
                .WithRemediation()
                .Build();
    }
}
