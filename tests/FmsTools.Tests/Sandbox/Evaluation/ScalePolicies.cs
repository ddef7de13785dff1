using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    /// <summary>Twenty policies of every major type for generated worlds (the org-scan benchmark's shape).</summary>
    internal static class ScalePolicies
    {
        public static List<Policy> Twenty(World world, string region)
        {
            var admin = world.Organization.FmsAdministratorAccountId;
            var baseline = world.GetResources<SecurityGroup>(admin, region).Single(g => g.Name == "fms-baseline-sg").Id;
            var audit = world.GetResources<SecurityGroup>(admin, region).Single(g => g.Name == "fms-audit-deny-sg").Id;
            var dns = world.GetResources<DnsFirewallRuleGroup>(admin, region).Single().Id;
            var ous = world.Organization.OrganizationalUnits.Select(o => o.Id).ToList();
            var templates = new[]
            {
                (SecurityServiceTypeValues.Wafv2, "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"managedRuleGroupIdentifier\":{\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"overrideAction\":{\"type\":\"NONE\"},\"ruleGroupType\":\"ManagedRuleGroup\"}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false}", "ResourceTypeList", new List<string> { ResourceTypes.ApplicationLoadBalancer, ResourceTypes.ApiGatewayStage }),
                (SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", "ResourceTypeList", new List<string> { ResourceTypes.ApplicationLoadBalancer, ResourceTypes.ElasticIp }),
                (SecurityServiceTypeValues.SecurityGroupsCommon, "{\"type\":\"SECURITY_GROUPS_COMMON\",\"securityGroups\":[{\"id\":\"" + baseline + "\"}],\"revertManualSecurityGroupChanges\":true}", ResourceTypes.Instance, new List<string>()),
                (SecurityServiceTypeValues.SecurityGroupsContentAudit, "{\"type\":\"SECURITY_GROUPS_CONTENT_AUDIT\",\"securityGroups\":[{\"id\":\"" + audit + "\"}],\"securityGroupAction\":{\"type\":\"DENY\"}}", ResourceTypes.SecurityGroup, new List<string>()),
                (SecurityServiceTypeValues.SecurityGroupsUsageAudit, "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":true,\"coalesceRedundantSecurityGroups\":true}", ResourceTypes.SecurityGroup, new List<string>()),
                (SecurityServiceTypeValues.DnsFirewall, "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"" + dns + "\",\"priority\":11}],\"postProcessRuleGroups\":[]}", ResourceTypes.Vpc, new List<string>()),
                (SecurityServiceTypeValues.NetworkFirewall, "{\"type\":\"NETWORK_FIREWALL\",\"networkFirewallStatelessRuleGroupReferences\":[],\"networkFirewallStatefulRuleGroupReferences\":[]}", ResourceTypes.Vpc, new List<string>()),
            };
            var policies = new List<Policy>();
            for (var i = 0; i < 20; i++)
            {
                var (type, data, resourceType, list) = templates[i % templates.Length];
                policies.Add(new Policy
                {
                    PolicyId = "scale000-0000-4000-8000-" + i.ToString("D12"),
                    PolicyName = "scale-" + i,
                    SecurityServicePolicyData = new SecurityServicePolicyData { Type = type, ManagedServiceData = data },
                    ResourceType = resourceType,
                    ResourceTypeList = list,
                    RemediationEnabled = false,
                    IncludeMap = i % 3 == 0 ? new Dictionary<string, List<string>> { ["ORG_UNIT"] = new List<string> { ous[i % ous.Count] } } : null,
                    ResourceTags = i % 4 == 1 ? new List<ResourceTag> { new ResourceTag { Key = "environment", Value = "production" } } : new List<ResourceTag>(),
                });
            }
            return policies;
        }
    }
}
