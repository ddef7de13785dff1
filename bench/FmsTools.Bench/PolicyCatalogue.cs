using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using InvalidOperationException = System.InvalidOperationException;
using FmsTools.Sandbox.World;
using SandboxWorld = FmsTools.Sandbox.World.World;

namespace FmsTools.Bench
{
    /// <summary>
    /// The benchmark's policies: a fixed mix of types and scopes over the generated organization, so that many but not
    /// all accounts are non-compliant. The ids the policies reference (the administrator's security groups and DNS rule
    /// group, the OUs) come from the same world generator with the same seed: the organization structure and the
    /// administrator's resources are generated before the member accounts, so they do not depend on the account count.
    /// </summary>
    internal sealed class PolicyCatalogue
    {
        private readonly Dictionary<string, string> _ouByName;
        private readonly Dictionary<(string Region, string Name), string> _adminResourceByName;

        private PolicyCatalogue(Dictionary<string, string> ouByName, Dictionary<(string, string), string> adminResources)
        {
            _ouByName = ouByName;
            _adminResourceByName = adminResources;
        }

        public static PolicyCatalogue ForSeed(int seed, string expectedAdminAccountId)
        {
            var world = SandboxWorld.Generate(0, 0, seed);
            var admin = world.Organization.FmsAdministratorAccountId;
            if (admin != expectedAdminAccountId)
                throw new InvalidOperationException($"The world generator gave administrator {admin} for seed {seed}, the sandbox says {expectedAdminAccountId}.");
            var ous = world.Organization.OrganizationalUnits.ToDictionary(o => o.Name, o => o.Id, StringComparer.Ordinal);
            var resources = new Dictionary<(string, string), string>();
            foreach (var resource in world.AllResources().Where(r => r.AccountId == admin && r.Name != null))
                resources[(resource.Region, resource.Name!)] = resource.Id;
            return new PolicyCatalogue(ous, resources);
        }

        private sealed class Scope
        {
            public Scope(string label, Func<PolicyCatalogue, Policy, Policy> apply) { Label = label; Apply = apply; }
            public string Label { get; }
            public Func<PolicyCatalogue, Policy, Policy> Apply { get; }
        }

        private static readonly Scope[] Scopes =
        {
            new Scope("all", (c, p) => p),
            new Scope("prod", (c, p) => { p.IncludeMap = c.OrgUnits("Production"); return p; }),
            new Scope("nonprod", (c, p) => { p.IncludeMap = c.OrgUnits("Development", "Sandbox"); return p; }),
            new Scope("not-prod", (c, p) => { p.ExcludeMap = c.OrgUnits("Production"); return p; }),
            new Scope("workloads", (c, p) => { p.IncludeMap = c.OrgUnits("Workloads"); return p; }),
        };

        private Dictionary<string, List<string>> OrgUnits(params string[] names) => new Dictionary<string, List<string>>
        {
            [CustomerPolicyScopeIdTypeValues.OrgUnit] = names.Select(n => _ouByName.TryGetValue(n, out var id) ? id
                : throw new InvalidOperationException("The generated organization has no OU named " + n)).ToList(),
        };

        private string? AdminResource(string region, string name) => _adminResourceByName.TryGetValue((region, name), out var id) ? id : null;

        /// <summary>The policy types in rotation; those that reference the administrator's resources only where they exist.</summary>
        private IEnumerable<Func<string, Policy>> Types(string region)
        {
            yield return name => New(name, SecurityServiceTypeValues.Wafv2,
                "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"managedRuleGroupIdentifier\":{\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"overrideAction\":{\"type\":\"NONE\"},\"ruleGroupType\":\"ManagedRuleGroup\",\"excludeRules\":[]}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false}",
                "ResourceTypeList", new List<string> { "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage" });
            yield return name => New(name, SecurityServiceTypeValues.SecurityGroupsUsageAudit,
                "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":true,\"coalesceRedundantSecurityGroups\":true}",
                "AWS::EC2::SecurityGroup");
            var audit = AdminResource(region, "fms-audit-deny-sg");
            if (audit != null)
                yield return name => New(name, SecurityServiceTypeValues.SecurityGroupsContentAudit,
                    "{\"type\":\"SECURITY_GROUPS_CONTENT_AUDIT\",\"securityGroups\":[{\"id\":\"" + audit + "\"}],\"securityGroupAction\":{\"type\":\"DENY\"}}",
                    "AWS::EC2::SecurityGroup");
            yield return name => New(name, SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}",
                "ResourceTypeList", new List<string> { "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::EC2::EIP" });
            var baseline = AdminResource(region, "fms-baseline-sg");
            if (baseline != null)
                yield return name => New(name, SecurityServiceTypeValues.SecurityGroupsCommon,
                    "{\"type\":\"SECURITY_GROUPS_COMMON\",\"securityGroups\":[{\"id\":\"" + baseline + "\"}],\"revertManualSecurityGroupChanges\":false,\"exclusiveResourceSecurityGroupManagement\":false,\"applyToAllEC2InstanceENIs\":false}",
                    "AWS::EC2::Instance");
            yield return name =>
            {
                var policy = New(name, SecurityServiceTypeValues.NetworkAclCommon, "{\"type\":\"NETWORK_ACL_COMMON\"}", "AWS::EC2::Subnet");
                policy.SecurityServicePolicyData!.PolicyOption = new PolicyOption
                {
                    NetworkAclCommonPolicy = new NetworkAclCommonPolicy
                    {
                        NetworkAclEntrySet = new NetworkAclEntrySet
                        {
                            FirstEntries = new List<NetworkAclEntry>
                            {
                                new NetworkAclEntry { Protocol = "6", PortRange = new NetworkAclPortRange { From = 3389, To = 3389 }, CidrBlock = "0.0.0.0/0", RuleAction = "deny", Egress = false },
                            },
                            ForceRemediateForFirstEntries = false,
                            LastEntries = new List<NetworkAclEntry>(),
                            ForceRemediateForLastEntries = false,
                        },
                    },
                };
                return policy;
            };
            var dns = AdminResource(region, "fms-dns-blocklist");
            if (dns != null)
                yield return name => New(name, SecurityServiceTypeValues.DnsFirewall,
                    "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"" + dns + "\",\"priority\":11}],\"postProcessRuleGroups\":[]}",
                    "AWS::EC2::VPC");
        }

        /// <summary>The first <paramref name="count"/> policies of the rotation for a region (types and scopes interleaved).</summary>
        public IReadOnlyList<Policy> Policies(string region, int count)
        {
            var types = Types(region).ToList();
            var result = new List<Policy>();
            for (var i = 0; i < count; i++)
            {
                var scope = Scopes[(i + i / types.Count) % Scopes.Length];
                var name = $"bench-{i:D2}-{scope.Label}";
                var policy = types[i % types.Count](name);
                result.Add(scope.Apply(this, policy));
            }
            return result;
        }

        private static Policy New(string name, string type, string managedServiceData, string resourceType, List<string>? resourceTypeList = null) => new Policy
        {
            PolicyName = name,
            SecurityServicePolicyData = new SecurityServicePolicyData { Type = type, ManagedServiceData = managedServiceData },
            ResourceType = resourceType,
            ResourceTypeList = resourceTypeList,
            ExcludeResourceTags = false,
            // Report only: remediation would change the world under the benchmark.
            RemediationEnabled = false,
        };

        /// <summary>Creates the policies with PutPolicy (sequentially: setup, not measured); returns their ids.</summary>
        public static async Task<List<string>> CreateAsync(AwsSession session, IEnumerable<Policy> policies, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            foreach (var policy in policies)
            {
                var created = await session.Fms.PutPolicyAsync(new PutPolicyRequest { Policy = policy }, cancellationToken).ConfigureAwait(false);
                ids.Add(created.Policy!.PolicyId!);
            }
            return ids;
        }
    }
}
