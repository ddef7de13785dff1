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
        // ------------------------------------------------------------------ Security groups

        private static void RemediateSecurityGroupsCommon(Context c)
        {
            var settings = new PolicyEvaluator.CommonGroupSettings(c.World, c.Data);
            if (!c.Enabled || settings.Primaries.Count == 0) return;
            foreach (var account in c.Evaluation.Accounts)
            {
                foreach (var resource in c.InScopeOf(account.AccountId).ToList())
                {
                    if (!settings.IncludeSharedVpc && PolicyEvaluator.IsInSharedVpc(c.World, resource)) continue;
                    var vpcId = PolicyEvaluator.VpcOf(resource);
                    if (vpcId == null) continue;
                    var replicaIds = settings.Primaries.Select(p => EnsureReplica(c, account.AccountId, vpcId, p).Id).ToList();
                    switch (resource)
                    {
                        case ApplicationLoadBalancer alb:
                            alb.SecurityGroupIds = Attach(c, alb, alb.SecurityGroupIds, replicaIds, settings.Exclusive);
                            break;
                        case ClassicLoadBalancer elb:
                            elb.SecurityGroupIds = Attach(c, elb, elb.SecurityGroupIds, replicaIds, settings.Exclusive);
                            break;
                        default:
                            foreach (var eni in PolicyEvaluator.ManagedInterfaces(c.World, resource, settings.AllEnis))
                                eni.SecurityGroupIds = Attach(c, eni, eni.SecurityGroupIds, replicaIds, settings.Exclusive);
                            break;
                    }
                }
                if (settings.RevertManualChanges)
                    foreach (var replica in c.World.GetResources<SecurityGroup>(account.AccountId, c.Region).Where(g => g.FmsPolicyId == c.PolicyId).ToList())
                    {
                        var primary = settings.Primaries.FirstOrDefault(p => p.Id == replica.ReplicaOfGroupId);
                        if (primary == null || PolicyEvaluator.SameRules(primary, replica)) continue;
                        replica.Ingress = primary.Ingress;
                        replica.Egress = primary.Egress;
                        c.World.MarkChanged();
                        c.Report.Add("RevertSecurityGroup", replica, "Reverted manual changes to the primary group's rules");
                    }
            }
            if (!c.DeleteUnused) return;
            var replicaSet = new HashSet<string>(c.RegionResources().OfType<SecurityGroup>().Where(g => g.FmsPolicyId == c.PolicyId).Select(g => g.Id), StringComparer.Ordinal);
            foreach (var resource in c.RegionResources())
            {
                if (c.InScope.Contains(resource)) continue;
                if (resource is NetworkInterface eni && eni.SecurityGroupIds.Any(replicaSet.Contains))
                {
                    var owner = eni.InstanceId == null ? null : c.World.FindById(eni.InstanceId);
                    if (owner != null && c.InScope.Contains(owner)) continue;
                    eni.SecurityGroupIds = Detach(eni.SecurityGroupIds, replicaSet);
                    c.World.MarkChanged();
                    c.Report.Add("DisassociateSecurityGroup", eni, "Removed the policy's replica from an interface outside the scope");
                }
            }
        }

        private static SecurityGroup EnsureReplica(Context c, string accountId, string vpcId, SecurityGroup primary)
        {
            var existing = c.World.GetResources<SecurityGroup>(accountId, c.Region).FirstOrDefault(g => g.FmsPolicyId == c.PolicyId && g.VpcId == vpcId && g.ReplicaOfGroupId == primary.Id);
            if (existing != null) return existing;
            var replica = new SecurityGroup
            {
                Id = c.NewId(i => i.Ec2Id("sg")), AccountId = accountId, Region = c.Region, VpcId = vpcId, Name = "FMManagedSecurityGroup" + c.PolicyName + "-" + vpcId,
                Description = "FMS replica of " + primary.Id, Ingress = primary.Ingress, Egress = primary.Egress, CreatedAt = c.Now, ReplicaOfGroupId = primary.Id,
                FmsPolicyId = c.PolicyId, Tags = WorldBuilder.Tags("FMManaged", "true"),
            };
            c.World.AddResource(replica);
            c.Report.Add("CreateSecurityGroup", replica, "Replicated " + primary.Id + " into " + vpcId);
            return replica;
        }

        private static string[] Attach(Context c, WorldResource target, string[] current, List<string> replicaIds, bool exclusive)
        {
            var next = exclusive ? replicaIds.ToArray() : current.Concat(replicaIds.Where(id => !current.Contains(id))).ToArray();
            if (next.Length == current.Length && next.All(current.Contains)) return current;
            foreach (var removed in current.Where(id => !next.Contains(id)))
                if (c.World.FindById(removed) is SecurityGroup group) group.LastDetachedAt = c.Now;
            c.World.MarkChanged();
            c.Report.Add("AssociateSecurityGroup", target, (exclusive ? "Replaced the groups with " : "Added ") + string.Join(", ", replicaIds));
            return next;
        }

        private static string[] Detach(string[] current, ICollection<string> remove) => current.Where(id => !remove.Contains(id)).ToArray();

        private static void RemediateContentAudit(Context c)
        {
            if (!c.Enabled) return;
            foreach (var violation in c.Evaluation.AllViolations.ToList())
            {
                switch (violation.Resource)
                {
                    case SecurityGroup group:
                        ApplyContentAuditAction(c.World, c.Data, group, RemediationActionTypeValues.Remove, c.Report);
                        break;
                    case NetworkInterface eni:
                        DetachViolatingGroups(c, eni);
                        break;
                    case Ec2Instance instance:
                        foreach (var id in instance.NetworkInterfaceIds)
                            if (c.World.FindById(id) is NetworkInterface instanceEni) DetachViolatingGroups(c, instanceEni);
                        break;
                }
            }
        }

        /// <summary>For ENI/instance scope: take the violating groups off the interface (the VPC's default group stays as a fallback).</summary>
        private static void DetachViolatingGroups(Context c, NetworkInterface eni)
        {
            var violating = eni.SecurityGroupIds.Where(id => c.World.FindById(id) is SecurityGroup g && PolicyEvaluator.ContentAuditFindings(c.World, c.Data, g).Count > 0).ToList();
            if (violating.Count == 0) return;
            var remaining = eni.SecurityGroupIds.Where(id => !violating.Contains(id)).ToList();
            if (remaining.Count == 0)
            {
                var fallback = c.World.GetResources<SecurityGroup>(eni.AccountId, eni.Region).FirstOrDefault(g => g.IsDefault && g.VpcId == eni.VpcId);
                if (fallback != null) remaining.Add(fallback.Id);
            }
            eni.SecurityGroupIds = remaining.ToArray();
            foreach (var id in violating)
                if (c.World.FindById(id) is SecurityGroup group) group.LastDetachedAt = c.Now;
            c.World.MarkChanged();
            c.Report.Add("DisassociateSecurityGroup", eni, "Removed " + string.Join(", ", violating) + " which violate the audit group");
        }

        private static bool ApplyContentAuditAction(Sandbox.World.World world, ManagedServiceData data, SecurityGroup group, string actionType, RemediationReport report)
        {
            var findings = PolicyEvaluator.ContentAuditFindings(world, data, group);
            if (findings.Count == 0) return false;
            SecurityGroupRule[] Rewrite(SecurityGroupRule[] rules, bool egress) => rules.SelectMany(rule =>
            {
                var finding = findings.FirstOrDefault(f => f.Egress == egress && ReferenceEquals(f.Rule, rule));
                if (finding == null) return new[] { rule };
                if (actionType == RemediationActionTypeValues.Modify && finding.AuditRule != null && finding.Reason == "RULE_NOT_WITHIN_ALLOWED_RANGE")
                    return new[] { new SecurityGroupRule { Protocol = finding.AuditRule.Protocol, FromPort = finding.AuditRule.FromPort, ToPort = finding.AuditRule.ToPort, CidrIpv4 = finding.AuditRule.CidrIpv4, CidrIpv6 = finding.AuditRule.CidrIpv6, Description = rule.Description } };
                return new SecurityGroupRule[0];
            }).ToArray();
            group.Ingress = Rewrite(group.Ingress, false);
            group.Egress = Rewrite(group.Egress, true);
            world.MarkChanged();
            report.Add(actionType == RemediationActionTypeValues.Modify ? "ModifySecurityGroupRules" : "RevokeSecurityGroupRules", group,
                (actionType == RemediationActionTypeValues.Modify ? "Narrowed " : "Removed ") + string.Join("; ", findings.Select(f => (f.Egress ? "egress " : "ingress ") + f.Rule)));
            return true;
        }

        private static void RemediateUsageAudit(Context c)
        {
            if (!c.Enabled) return;
            var deleteUnused = c.Data.Bool("deleteUnusedSecurityGroups", false);
            var coalesce = c.Data.Bool("coalesceRedundantSecurityGroups", false);
            var delay = PolicyEvaluator.UnusedDelayMinutes(c.Data);
            foreach (var account in c.Evaluation.Accounts)
            {
                var candidates = c.InScopeOf(account.AccountId).OfType<SecurityGroup>().ToList();
                var resources = c.World.GetResources(account.AccountId, c.Region);
                var assessment = PolicyEvaluator.AssessUsage(c.World, resources, candidates, deleteUnused, coalesce, delay, c.Now);
                foreach (var pair in assessment.Redundant)
                {
                    foreach (var resource in resources.ToList())
                    {
                        switch (resource)
                        {
                            case NetworkInterface eni when eni.SecurityGroupIds.Contains(pair.Key.Id):
                                eni.SecurityGroupIds = Replace(eni.SecurityGroupIds, pair.Key.Id, pair.Value.Id);
                                break;
                            case ApplicationLoadBalancer alb when alb.SecurityGroupIds.Contains(pair.Key.Id):
                                alb.SecurityGroupIds = Replace(alb.SecurityGroupIds, pair.Key.Id, pair.Value.Id);
                                break;
                            case ClassicLoadBalancer elb when elb.SecurityGroupIds.Contains(pair.Key.Id):
                                elb.SecurityGroupIds = Replace(elb.SecurityGroupIds, pair.Key.Id, pair.Value.Id);
                                break;
                            default:
                                continue;
                        }
                        c.Report.Add("ReplaceSecurityGroup", resource, "Replaced redundant " + pair.Key.Id + " with " + pair.Value.Id);
                    }
                    pair.Key.LastDetachedAt = c.Now;
                    c.World.MarkChanged();
                }
                if (!deleteUnused) continue;
                // Consolidation may have freed groups; delete what is unused for at least the delay.
                var afterCoalescing = PolicyEvaluator.AssessUsage(c.World, c.World.GetResources(account.AccountId, c.Region), candidates, true, false, delay, c.Now);
                foreach (var group in afterCoalescing.Unused)
                {
                    c.World.RemoveResource(group);
                    c.Report.Add("DeleteSecurityGroup", group, "Deleted the unused group " + (group.Name ?? group.Id));
                }
            }
        }

        private static string[] Replace(string[] ids, string from, string to) =>
            ids.Select(id => id == from ? to : id).Distinct(StringComparer.Ordinal).ToArray();

        // ------------------------------------------------------------------ DNS Firewall

        private static void RemediateDnsFirewall(Context c)
        {
            var expected = PolicyEvaluator.ExpectedDnsAssociations(c.Data);
            if (c.Enabled)
                foreach (var violation in c.Evaluation.AllViolations.ToList())
                {
                    if (!(violation.Resource is Vpc vpc)) continue;
                    var onVpc = c.World.GetResources<DnsFirewallRuleGroupAssociation>(vpc.AccountId, c.Region).Where(a => a.VpcId == vpc.Id).ToList();
                    foreach (var (groupId, priority) in expected)
                    {
                        if (onVpc.Any(a => a.FirewallRuleGroupId == groupId && a.Priority == priority)) continue;
                        if (onVpc.Any(a => a.Priority == priority && a.FmsPolicyId != c.PolicyId)) continue; // priority conflict: FMS cannot remediate
                        var ours = onVpc.FirstOrDefault(a => a.FirewallRuleGroupId == groupId && a.FmsPolicyId == c.PolicyId);
                        if (ours != null)
                        {
                            ours.Priority = priority;
                            c.World.MarkChanged();
                            c.Report.Add("UpdateFirewallRuleGroupAssociation", ours, "Moved to priority " + priority);
                            continue;
                        }
                        var association = new DnsFirewallRuleGroupAssociation
                        {
                            Id = c.NewId(i => "rslvr-frgassoc-" + i.HexString(16)), AccountId = vpc.AccountId, Region = c.Region, VpcId = vpc.Id,
                            FirewallRuleGroupId = groupId, Priority = priority, Name = "FMManaged_" + c.PolicyName, FmsPolicyId = c.PolicyId, ManagedOwnerName = "AWS Firewall Manager",
                        };
                        c.World.AddResource(association);
                        onVpc.Add(association);
                        c.Report.Add("AssociateFirewallRuleGroup", association, "Associated " + groupId + " with " + vpc.Id + " at priority " + priority);
                    }
                }
            if (!c.Enabled || !c.DeleteUnused) return;
            foreach (var association in c.RegionResources().OfType<DnsFirewallRuleGroupAssociation>().Where(a => a.FmsPolicyId == c.PolicyId).ToList())
            {
                if (c.World.FindById(association.VpcId) is Vpc vpc && c.InScope.Contains(vpc)) continue;
                c.World.RemoveResource(association);
                c.Report.Add("DisassociateFirewallRuleGroup", association, "Removed from a VPC outside the policy's scope");
            }
        }
    }
}
