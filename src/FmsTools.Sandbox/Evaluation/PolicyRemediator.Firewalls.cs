using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;
using NetworkFirewallPolicy = FmsTools.Sandbox.World.NetworkFirewallPolicy;

namespace FmsTools.Sandbox.Evaluation
{
    public static partial class PolicyRemediator
    {
        // ------------------------------------------------------------------ Network Firewall

        private static NetworkFirewallPolicy EnsureFirewallPolicy(Context c, string accountId, PolicyEvaluator.NetworkFirewallSettings settings)
        {
            var existing = c.World.GetResources<NetworkFirewallPolicy>(accountId, c.Region).FirstOrDefault(p => p.FmsPolicyId == c.PolicyId);
            if (existing != null) return existing;
            var firewallPolicy = new NetworkFirewallPolicy
            {
                Id = c.NewId(i => i.Uuid()), AccountId = accountId, Region = c.Region, Name = "FMManagedNetworkFirewallPolicy" + c.PolicyName,
                StatelessRuleGroups = settings.Stateless.ToArray(), StatefulRuleGroups = settings.Stateful.ToArray(), FmsPolicyId = c.PolicyId,
                StatelessDefaultActions = settings.StatelessDefaultActions.Count > 0 ? settings.StatelessDefaultActions.ToArray() : new[] { "aws:forward_to_sfe" },
                StatelessFragmentDefaultActions = settings.StatelessFragmentDefaultActions.Count > 0 ? settings.StatelessFragmentDefaultActions.ToArray() : new[] { "aws:forward_to_sfe" },
            };
            c.World.AddResource(firewallPolicy);
            c.Report.Add("CreateFirewallPolicy", firewallPolicy, "Created " + firewallPolicy.Name);
            return firewallPolicy;
        }

        private static void FixFirewallPolicy(Context c, NetworkFirewallPolicy firewallPolicy, PolicyEvaluator.NetworkFirewallSettings settings)
        {
            if (settings.PolicyMatches(firewallPolicy)) return;
            firewallPolicy.StatelessRuleGroups = settings.Stateless.ToArray();
            firewallPolicy.StatefulRuleGroups = settings.Stateful.ToArray();
            c.World.MarkChanged();
            c.Report.Add("UpdateFirewallPolicy", firewallPolicy, "Restored the policy's rule groups");
        }

        /// <summary>A /28 firewall subnet in the zone, carved from the top of the VPC's /16.</summary>
        private static Subnet CreateFirewallSubnet(Context c, Vpc vpc, string zone)
        {
            var prefix = vpc.CidrBlock.Substring(0, vpc.CidrBlock.IndexOf('.', vpc.CidrBlock.IndexOf('.') + 1));
            var taken = new HashSet<string>(c.World.GetResources<Subnet>(vpc.AccountId, c.Region).Where(s => s.VpcId == vpc.Id).Select(s => s.CidrBlock), StringComparer.Ordinal);
            var cidr = Enumerable.Range(0, 16).Select(k => prefix + ".255." + (k * 16) + "/28").First(x => !taken.Contains(x));
            var defaultAcl = c.World.GetResources<NetworkAcl>(vpc.AccountId, c.Region).FirstOrDefault(a => a.VpcId == vpc.Id && a.IsDefault);
            var subnet = new Subnet
            {
                Id = c.NewId(i => i.Ec2Id("subnet")), AccountId = vpc.AccountId, Region = c.Region, VpcId = vpc.Id, CidrBlock = cidr, AvailabilityZone = zone,
                Name = "FMSManagedFirewallSubnet-" + zone.Substring(zone.Length - 1), NetworkAclId = defaultAcl?.Id ?? "", NetworkAclAssociationId = c.NewId(i => i.Ec2Id("aclassoc")),
                FmsPolicyId = c.PolicyId, Tags = WorldBuilder.Tags("FMManaged", "true"),
            };
            c.World.AddResource(subnet);
            c.Report.Add("CreateSubnet", subnet, "Created firewall subnet " + cidr + " in " + zone);
            // FMS also creates a route table for each firewall subnet (with only the local route: the customer adds the rest).
            // Only where the world models the VPC's routes.
            if (c.World.GetResources<RouteTable>(vpc.AccountId, c.Region).Any(t => t.VpcId == vpc.Id))
            {
                var name = PolicyEvaluator.FirewallRouteTablePrefix + zone.Substring(zone.Length - 1);
                var table = new RouteTable
                {
                    Id = c.NewId(i => i.Ec2Id("rtb")), AccountId = vpc.AccountId, Region = c.Region, VpcId = vpc.Id, Name = name, FmsPolicyId = c.PolicyId,
                    Tags = WorldBuilder.Tags("Name", name, "FMManaged", "true"), Routes = new[] { RouteEntry.To(vpc.CidrBlock, "local") },
                };
                c.World.AddResource(table);
                subnet.RouteTableId = table.Id;
                subnet.RouteTableAssociationId = c.NewId(i => i.Ec2Id("rtbassoc"));
                c.Report.Add("CreateRouteTable", table, "Created route table " + name + " for the firewall subnet in " + zone);
            }
            return subnet;
        }

        private static void RemediateNetworkFirewall(Context c)
        {
            if (!c.Enabled) return;
            var settings = new PolicyEvaluator.NetworkFirewallSettings(c.Policy, c.Data);
            foreach (var violation in c.Evaluation.AllViolations.ToList())
            {
                if (violation.Resource is NetworkFirewallPolicy modified)
                {
                    FixFirewallPolicy(c, modified, settings);
                    continue;
                }
                // Route violations (routeManagementAction MONITOR) are reported only: FMS never changes customer routes.
                if (!(violation.Resource is Vpc vpc) || (violation.Reason != ViolationReasonValues.MissingFirewall && violation.Reason != ViolationReasonValues.MissingFirewallSubnetInAz)) continue;
                var zones = PolicyEvaluator.RequiredZones(c.World, vpc, settings, c.Region);
                var firewall = PolicyEvaluator.FindPolicyFirewall(c.World, c.PolicyId, vpc, c.Region);
                if (firewall == null)
                {
                    var firewallPolicy = EnsureFirewallPolicy(c, vpc.AccountId, settings);
                    FixFirewallPolicy(c, firewallPolicy, settings);
                    firewall = new NetworkFirewall
                    {
                        Id = c.NewId(i => i.Uuid()), AccountId = vpc.AccountId, Region = c.Region, VpcId = vpc.Id,
                        Name = "FMManagedNetworkFirewall" + c.PolicyName + vpc.Id, FirewallPolicyArn = firewallPolicy.Arn, FmsPolicyId = c.PolicyId,
                    };
                    c.World.AddResource(firewall);
                    c.Report.Add("CreateFirewall", firewall, "Created " + firewall.Name);
                }
                var mappings = firewall.SubnetMappings.ToList();
                foreach (var zone in zones.Where(z => !mappings.Any(m => m.AvailabilityZone == z)))
                {
                    var subnet = CreateFirewallSubnet(c, vpc, zone);
                    mappings.Add(new FirewallSubnetMapping { SubnetId = subnet.Id, AvailabilityZone = zone, EndpointId = c.NewId(i => i.Ec2Id("vpce")) });
                    c.Report.Add("CreateFirewallEndpoint", firewall, "Added an endpoint in " + zone);
                }
                firewall.SubnetMappings = mappings.ToArray();
                c.World.MarkChanged();
            }
            if (!c.DeleteUnused) return;
            foreach (var firewall in c.RegionResources().OfType<NetworkFirewall>().Where(f => f.FmsPolicyId == c.PolicyId).ToList())
            {
                if (c.World.FindById(firewall.VpcId) is Vpc vpc && c.InScope.Contains(vpc)) continue;
                DeleteFirewall(c.World, firewall, c.Report);
            }
        }

        private static void DeleteFirewall(Sandbox.World.World world, NetworkFirewall firewall, RemediationReport report)
        {
            world.RemoveResource(firewall);
            report.Add("DeleteFirewall", firewall, "Deleted " + firewall.Name);
            foreach (var mapping in firewall.SubnetMappings)
                if (world.FindById(mapping.SubnetId) is Subnet subnet && subnet.FmsPolicyId == firewall.FmsPolicyId)
                {
                    world.RemoveResource(subnet);
                    report.Add("DeleteSubnet", subnet, "Deleted firewall subnet " + subnet.CidrBlock);
                    if (subnet.RouteTableId != null && world.FindById(subnet.RouteTableId) is RouteTable table && table.FmsPolicyId == firewall.FmsPolicyId
                        && !world.GetResources<Subnet>(table.AccountId, table.Region).Any(s => s.RouteTableId == table.Id))
                    {
                        world.RemoveResource(table);
                        report.Add("DeleteRouteTable", table, "Deleted route table " + table.Name);
                    }
                }
        }

        private static void RemediateImportNetworkFirewall(Context c)
        {
            if (!c.Enabled) return;
            var settings = new PolicyEvaluator.NetworkFirewallSettings(c.Policy, c.Data);
            foreach (var violation in c.Evaluation.AllViolations.ToList())
                if (violation.Resource is NetworkFirewallPolicy firewallPolicy) FixFirewallPolicy(c, firewallPolicy, settings);
        }

        private static void RemediateThirdPartyFirewall(Context c)
        {
            if (!c.Enabled) return;
            var vendor = c.Data.String("thirdPartyFirewall") ?? "";
            var association = c.World.ThirdPartyFirewallAssociations.FirstOrDefault(a => a.ThirdPartyFirewall == vendor);
            if (association == null || association.Status != ThirdPartyFirewallAssociationStatusValues.OnboardComplete) return;
            var policyName = c.Data.Get("thirdPartyFirewallConfig") is { } config ? ManagedServiceData.Strings(config, "thirdPartyFirewallPolicyList").FirstOrDefault() : null;
            foreach (var violation in c.Evaluation.AllViolations.ToList())
            {
                if (!(violation.Resource is Vpc vpc)) continue;
                var subnets = c.World.GetResources<Subnet>(vpc.AccountId, c.Region).Where(s => s.VpcId == vpc.Id).GroupBy(s => s.AvailabilityZone).Select(g => g.First()).ToList();
                var firewall = new ThirdPartyFirewall
                {
                    Id = c.NewId(i => i.Uuid()), AccountId = vpc.AccountId, Region = c.Region, VpcId = vpc.Id, Vendor = vendor, FirewallPolicyName = policyName,
                    Name = "FMManagedThirdPartyFirewall" + c.PolicyName + vpc.Id, FmsPolicyId = c.PolicyId,
                    SubnetMappings = subnets.Select(s => new FirewallSubnetMapping { SubnetId = s.Id, AvailabilityZone = s.AvailabilityZone, EndpointId = c.NewId(i => i.Ec2Id("vpce")) }).ToArray(),
                };
                c.World.AddResource(firewall);
                c.Report.Add("CreateFirewall", firewall, "Deployed " + vendor + " into " + vpc.Id);
            }
        }

        // ------------------------------------------------------------------ Network ACLs

        private static void RemediateNetworkAcl(Context c)
        {
            if (!c.Enabled) return;
            var subnets = c.Evaluation.AllViolations.Select(v => v.Resource).OfType<Subnet>().ToList();
            var inScope = new HashSet<Subnet>(c.Evaluation.InScopeResources.OfType<Subnet>());
            foreach (var subnet in subnets) RemediateSubnet(c.World, c.Policy, c.Region, subnet, inScope.Contains, c.Now, c.Report);
        }

        private static bool RemediateSubnet(Sandbox.World.World world, Policy policy, string region, Subnet subnet, Func<Subnet, bool> inScope, DateTime now, RemediationReport report)
        {
            var assessment = PolicyEvaluator.AssessSubnet(world, policy, subnet, inScope);
            if (assessment.IsCompliant || !assessment.CanRemediate) return false;
            var policyId = policy.PolicyId ?? "";
            var entrySet = policy.SecurityServicePolicyData?.PolicyOption?.NetworkAclCommonPolicy?.NetworkAclEntrySet;
            if (assessment.NeedsNewAcl)
            {
                var original = assessment.Acl;
                var name = "FMManagedNetworkAcl-" + (policy.PolicyName ?? "") + "-" + (original?.Id ?? subnet.VpcId);
                var target = world.GetResources<NetworkAcl>(subnet.AccountId, region).FirstOrDefault(a => a.FmsPolicyId == policyId && a.VpcId == subnet.VpcId && a.Name == name);
                if (target == null)
                {
                    var expected = NaclExpectations.ExpectedEntries(entrySet).Select(e => e.Rule).ToList();
                    var custom = (original?.Entries ?? new NetworkAclRule[0]).Where(e => !expected.Any(x => x.Egress == e.Egress && x.RuleNumber == e.RuleNumber) && !expected.Any(x => x.SameEntryAs(e)));
                    var ids = world.NewIds();
                    target = new NetworkAcl
                    {
                        Id = NewUniqueId(world, ids, "acl"), AccountId = subnet.AccountId, Region = region, VpcId = subnet.VpcId, Name = name, FmsPolicyId = policyId,
                        Entries = expected.Concat(custom).OrderBy(e => e.Egress).ThenBy(e => e.RuleNumber).ToArray(), Tags = WorldBuilder.Tags("FMManaged", "true"),
                    };
                    world.AddResource(target);
                    report.Add("CreateNetworkAcl", target, "Created " + name + " with the policy's entries and the custom entries of " + (original?.Id ?? "no NACL"));
                }
                if (subnet.FmsOriginalNetworkAclId == null) subnet.FmsOriginalNetworkAclId = subnet.NetworkAclId;
                subnet.NetworkAclId = target.Id;
                subnet.NetworkAclAssociationId = NewUniqueId(world, world.NewIds(), "aclassoc");
                world.MarkChanged();
                report.Add("ReplaceNetworkAclAssociation", subnet, "Associated with " + target.Id);
                return true;
            }
            var acl = assessment.Acl!;
            var entries = acl.Entries.Where(e => !assessment.ToDelete.Contains(e)).Concat(assessment.ToCreate).OrderBy(e => e.Egress).ThenBy(e => e.RuleNumber).ToArray();
            acl.Entries = entries;
            acl.FmsPolicyId ??= policyId;
            acl.Tags = (acl.Tags ?? new WorldTag[0]).Where(t => t.Key != "FMManaged").Concat(WorldBuilder.Tags("FMManaged", "true")).ToArray();
            world.MarkChanged();
            report.Add("ReplaceNetworkAclEntries", acl, "Deleted " + assessment.ToDelete.Count + " and created " + assessment.ToCreate.Count + " entries");
            return true;
        }

        private static string NewUniqueId(Sandbox.World.World world, WorldIds ids, string prefix)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var id = ids.Ec2Id(prefix);
                if (world.FindById(id) == null) return id;
            }
            throw new System.InvalidOperationException("Could not produce a unique id.");
        }
    }
}
