using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.World
{
    public static partial class DemoOrganization
    {
        /// <summary>
        /// The demo policies for a region, as PutPolicy inputs with PolicyId set (<see cref="PolicyId"/>) and no update token.
        /// demo-waf-cloudfront exists only in us-east-1.
        /// </summary>
        public static IReadOnlyList<Policy> Policies(string region)
        {
            var facts = Cached().Facts[region];
            var policies = new List<Policy>
            {
                NewPolicy(WafPolicyName, region, SecurityServiceTypeValues.Wafv2,
                    "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"ruleGroupArn\":null,\"overrideAction\":{\"type\":\"NONE\"},\"managedRuleGroupIdentifier\":{\"versionEnabled\":null,\"version\":null,\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[],\"sampledRequestsEnabled\":true}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false,\"sampledRequestsEnabledForDefaultActions\":true,\"optimizeUnassociatedWebACL\":true,\"webACLSource\":\"RETROFIT_EXISTING\"}",
                    "ResourceTypeList", new List<string> { ResourceTypes.ApplicationLoadBalancer, ResourceTypes.ApiGatewayStage },
                    include: OrgUnits(ProductionOuId), description: "Common rule set in front of every production ALB and API stage."),
                NewPolicy(ShieldPolicyName, region, SecurityServiceTypeValues.ShieldAdvanced,
                    "{\"type\":\"SHIELD_ADVANCED\",\"automaticResponseConfiguration\":{\"automaticResponseStatus\":\"IGNORED\",\"automaticResponseAction\":null},\"overrideCustomerWebaclClassic\":false,\"optimizeUnassociatedWebACL\":true}",
                    "ResourceTypeList", new List<string> { ResourceTypes.ApplicationLoadBalancer, ResourceTypes.ElasticIp },
                    include: OrgUnits(ProductionOuId), description: "Shield Advanced for production load balancers and Elastic IPs."),
                NewPolicy(SecurityGroupCommonPolicyName, region, SecurityServiceTypeValues.SecurityGroupsCommon,
                    "{\"type\":\"SECURITY_GROUPS_COMMON\",\"securityGroups\":[{\"id\":\"" + facts.BaselineGroupId + "\"}],\"revertManualSecurityGroupChanges\":true,\"exclusiveResourceSecurityGroupManagement\":false,\"applyToAllEC2InstanceENIs\":false,\"includeSharedVPC\":true}",
                    ResourceTypes.Instance, null, exclude: OrgUnits(SandboxOuId),
                    tags: new List<ResourceTag> { new ResourceTag { Key = "fms-exempt", Value = "true" } }, excludeTags: true,
                    description: "Monitoring baseline group on every instance outside the sandbox."),
                NewPolicy(ContentAuditPolicyName, region, SecurityServiceTypeValues.SecurityGroupsContentAudit,
                    "{\"type\":\"SECURITY_GROUPS_CONTENT_AUDIT\",\"preManagedOptions\":[{\"auditSgDirection\":{\"type\":\"INGRESS\"}}],\"securityGroups\":[{\"id\":\"" + facts.AuditGroupId + "\"}],\"securityGroupAction\":{\"type\":\"DENY\"}}",
                    ResourceTypes.SecurityGroup, null, description: "No SSH or RDP open to the internet."),
                NewPolicy(UsageAuditPolicyName, region, SecurityServiceTypeValues.SecurityGroupsUsageAudit,
                    "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":true,\"coalesceRedundantSecurityGroups\":true,\"optionalDelayForUnusedInMinutes\":null}",
                    ResourceTypes.SecurityGroup, null, include: OrgUnits(DevelopmentOuId, SandboxOuId), description: "Clean up unused and duplicate groups in non-production accounts."),
                NewPolicy(DnsFirewallPolicyName, region, SecurityServiceTypeValues.DnsFirewall,
                    "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"" + facts.DnsRuleGroupId + "\",\"priority\":11}],\"postProcessRuleGroups\":[]}",
                    ResourceTypes.Vpc, null, exclude: Accounts(ManagementAccountId), description: "Block known-bad domains in every VPC."),
                NewPolicy(NetworkFirewallPolicyName, region, SecurityServiceTypeValues.NetworkFirewall,
                    "{\"type\":\"NETWORK_FIREWALL\",\"networkFirewallStatelessRuleGroupReferences\":[{\"resourceARN\":\"" + facts.StatelessRuleGroupArn + "\",\"priority\":1}],\"networkFirewallStatelessDefaultActions\":[\"aws:forward_to_sfe\"],\"networkFirewallStatelessFragmentDefaultActions\":[\"aws:forward_to_sfe\"],\"networkFirewallStatelessCustomActions\":[],\"networkFirewallStatefulRuleGroupReferences\":[{\"resourceARN\":\"" + facts.StatefulRuleGroupArn + "\"}],\"networkFirewallOrchestrationConfig\":{\"singleFirewallEndpointPerVPC\":false,\"allowedIPV4CidrList\":[\"10.255.0.0/24\"],\"routeManagementAction\":\"MONITOR\"}}",
                    ResourceTypes.Vpc, null, include: OrgUnits(ProductionOuId),
                    tags: new List<ResourceTag> { new ResourceTag { Key = "network-inspection", Value = "required" } }, excludeTags: false,
                    description: "Network Firewall endpoints in every production VPC that requires inspection."),
                NewPolicy(NetworkAclPolicyName, region, SecurityServiceTypeValues.NetworkAclCommon,
                    "{\"type\":\"NETWORK_ACL_COMMON\"}",
                    ResourceTypes.Subnet, null, include: Accounts(ProdWeb, ProdApi), description: "Deny inbound RDP first and allow intra-network traffic last.",
                    option: new PolicyOption { NetworkAclCommonPolicy = new NetworkAclCommonPolicy { NetworkAclEntrySet = NaclEntrySet() } }),
            };
            if (region == WorldRegions.Global)
                policies.Insert(1, NewPolicy(WafCloudFrontPolicyName, region, SecurityServiceTypeValues.Wafv2,
                    "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"ruleGroupArn\":null,\"overrideAction\":{\"type\":\"NONE\"},\"managedRuleGroupIdentifier\":{\"versionEnabled\":null,\"version\":null,\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesKnownBadInputsRuleSet\"},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[],\"sampledRequestsEnabled\":true}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":true,\"sampledRequestsEnabledForDefaultActions\":true,\"optimizeUnassociatedWebACL\":true}",
                    ResourceTypes.CloudFrontDistribution, null, description: "Known-bad-inputs protection on every CloudFront distribution."));
            return policies;
        }

        /// <summary>The entry set of demo-nacl-baseline: deny inbound RDP from anywhere first, allow inbound 10.0.0.0/8 last.</summary>
        public static NetworkAclEntrySet NaclEntrySet() => new NetworkAclEntrySet
        {
            FirstEntries = new List<Aws.Fms.NetworkAclEntry>
            {
                new Aws.Fms.NetworkAclEntry { Protocol = "6", PortRange = new NetworkAclPortRange { From = 3389, To = 3389 }, CidrBlock = "0.0.0.0/0", RuleAction = "deny", Egress = false },
            },
            ForceRemediateForFirstEntries = false,
            LastEntries = new List<Aws.Fms.NetworkAclEntry>
            {
                new Aws.Fms.NetworkAclEntry { Protocol = "-1", CidrBlock = "10.0.0.0/8", RuleAction = "allow", Egress = false },
            },
            ForceRemediateForLastEntries = false,
        };

        private static Dictionary<string, List<string>> OrgUnits(params string[] ids) =>
            new Dictionary<string, List<string>> { [CustomerPolicyScopeIdTypeValues.OrgUnit] = ids.ToList() };

        private static Dictionary<string, List<string>> Accounts(params string[] ids) =>
            new Dictionary<string, List<string>> { [CustomerPolicyScopeIdTypeValues.Account] = ids.ToList() };

        private static Policy NewPolicy(string name, string region, string type, string managedServiceData, string resourceType, List<string>? resourceTypeList,
            Dictionary<string, List<string>>? include = null, Dictionary<string, List<string>>? exclude = null, List<ResourceTag>? tags = null,
            bool excludeTags = false, string? description = null, PolicyOption? option = null) => new Policy
            {
                PolicyId = PolicyId(name, region),
                PolicyName = name,
                PolicyDescription = description,
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = type, ManagedServiceData = managedServiceData, PolicyOption = option },
                ResourceType = resourceType,
                ResourceTypeList = resourceTypeList ?? new List<string>(),
                ResourceTags = tags ?? new List<ResourceTag>(),
                ExcludeResourceTags = excludeTags,
                RemediationEnabled = true,
                DeleteUnusedFMManagedResources = false,
                IncludeMap = include,
                ExcludeMap = exclude,
                ResourceTagLogicalOperator = ResourceTagLogicalOperatorValues.And,
            };
    }
}
