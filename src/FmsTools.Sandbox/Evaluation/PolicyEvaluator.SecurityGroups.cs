using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;
using NetworkFirewallPolicy = FmsTools.Sandbox.World.NetworkFirewallPolicy;

namespace FmsTools.Sandbox.Evaluation
{
    public sealed partial class PolicyEvaluator
    {
        // ------------------------------------------------------------------ Security groups: common

        internal sealed class CommonGroupSettings
        {
            public readonly List<SecurityGroup> Primaries = new List<SecurityGroup>();
            public bool RevertManualChanges;
            public bool Exclusive;
            public bool AllEnis;
            public bool IncludeSharedVpc;

            public CommonGroupSettings(Sandbox.World.World world, ManagedServiceData data)
            {
                foreach (var id in data.SecurityGroupIds())
                    if (world.FindById(id) is SecurityGroup group) Primaries.Add(group);
                RevertManualChanges = data.Bool("revertManualSecurityGroupChanges", false);
                Exclusive = data.Bool("exclusiveResourceSecurityGroupManagement", false);
                AllEnis = data.Bool("applyToAllEC2InstanceENIs", false);
                IncludeSharedVpc = data.Bool("includeSharedVPC", false);
            }
        }

        /// <summary>The ENIs of an in-scope resource the common policy manages (primary ENI only unless applyToAllEC2InstanceENIs).</summary>
        internal static List<NetworkInterface> ManagedInterfaces(Sandbox.World.World world, WorldResource resource, bool allEnis)
        {
            var result = new List<NetworkInterface>();
            if (resource is Ec2Instance instance)
            {
                for (var i = 0; i < instance.NetworkInterfaceIds.Length && (allEnis || i == 0); i++)
                    if (world.FindById(instance.NetworkInterfaceIds[i]) is NetworkInterface eni) result.Add(eni);
            }
            else if (resource is NetworkInterface eni && !eni.RequesterManaged && eni.InterfaceType == "interface") result.Add(eni);
            return result;
        }

        internal static string? VpcOf(WorldResource resource) => resource switch
        {
            Ec2Instance i => i.VpcId,
            NetworkInterface n => n.VpcId,
            ApplicationLoadBalancer a => a.VpcId,
            ClassicLoadBalancer c => c.VpcId,
            _ => null,
        };

        internal static bool IsInSharedVpc(Sandbox.World.World world, WorldResource resource)
        {
            var vpcId = VpcOf(resource);
            return vpcId != null && world.FindById(vpcId) is Vpc vpc && vpc.AccountId != resource.AccountId;
        }

        /// <summary>The policy's replica of a primary group in (account, VPC), or null.</summary>
        internal static SecurityGroup? FindReplica(Run run, string accountId, string vpcId, SecurityGroup primary) =>
            run.World.GetResources<SecurityGroup>(accountId, run.Region)
                .FirstOrDefault(g => g.FmsPolicyId == run.PolicyId && g.VpcId == vpcId && g.ReplicaOfGroupId == primary.Id);

        internal static bool SameRules(SecurityGroup a, SecurityGroup b) =>
            SameRuleSet(a.Ingress, b.Ingress) && SameRuleSet(a.Egress, b.Egress);

        private static bool SameRuleSet(SecurityGroupRule[] a, SecurityGroupRule[] b) =>
            a.Length == b.Length && a.All(x => b.Any(x.SameTrafficAs)) && b.All(x => a.Any(x.SameTrafficAs));

        private static void EvaluateSecurityGroupsCommon(Run run, string accountId)
        {
            var settings = new CommonGroupSettings(run.World, run.Data);
            foreach (var resource in run.InScopeResources(accountId))
            {
                if (!settings.IncludeSharedVpc && IsInSharedVpc(run.World, resource)) continue;
                var vpcId = VpcOf(resource);
                if (vpcId == null) continue;
                var missing = false;
                foreach (var primary in settings.Primaries)
                {
                    var replica = FindReplica(run, accountId, vpcId, primary);
                    if (replica == null) { missing = true; break; }
                    if (resource is ApplicationLoadBalancer alb ? !alb.SecurityGroupIds.Contains(replica.Id)
                        : resource is ClassicLoadBalancer elb ? !elb.SecurityGroupIds.Contains(replica.Id)
                        : ManagedInterfaces(run.World, resource, settings.AllEnis).Any(e => !e.SecurityGroupIds.Contains(replica.Id)))
                    {
                        missing = true;
                        break;
                    }
                }
                if (missing)
                {
                    var violation = run.Add(resource, ViolationReasonValues.ResourceMissingSecurityGroup);
                    violation.SetMetadata("SecurityGroupIds", string.Join(",", settings.Primaries.Select(p => p.Id)));
                }
            }
            if (!settings.RevertManualChanges) return;
            foreach (var replica in run.Resources(accountId).OfType<SecurityGroup>().Where(g => g.FmsPolicyId == run.PolicyId && g.ReplicaOfGroupId != null).ToList())
            {
                var primary = settings.Primaries.FirstOrDefault(p => p.Id == replica.ReplicaOfGroupId);
                if (primary != null && !SameRules(primary, replica))
                    run.Add(replica, ViolationReasonValues.FmsCreatedSecurityGroupEdited).SetMetadata("PrimarySecurityGroupId", primary.Id);
            }
        }

        // ------------------------------------------------------------------ Security groups: content audit

        private static void EvaluateContentAudit(Run run, string accountId)
        {
            var audit = new ContentAuditRules(run.World, run.Data);
            var findingsByGroup = new Dictionary<string, List<RuleFinding>>(StringComparer.Ordinal);
            List<RuleFinding> FindingsOf(string groupId)
            {
                if (findingsByGroup.TryGetValue(groupId, out var cached)) return cached;
                var group = run.World.FindById(groupId) as SecurityGroup;
                var findings = group == null || audit.AuditGroupIds.Contains(group.Id) ? new List<RuleFinding>() : audit.Findings(group);
                findingsByGroup[groupId] = findings;
                return findings;
            }
            foreach (var resource in run.InScopeResources(accountId))
            {
                switch (resource)
                {
                    case SecurityGroup group:
                        var findings = FindingsOf(group.Id);
                        if (findings.Count == 0) continue;
                        var violation = run.Add(group, ViolationReasonValues.ResourceViolatesAuditSecurityGroup);
                        foreach (var finding in findings) violation.Details.Add(new ResourceViolation { AwsVPCSecurityGroupViolation = DescribeFinding(group, finding, audit) });
                        break;
                    case NetworkInterface eni:
                        var eniViolation = InterfaceViolation(eni, FindingsOf);
                        if (eniViolation != null) run.Add(eni, ViolationReasonValues.ResourceViolatesAuditSecurityGroup).Details.Add(new ResourceViolation { AwsEc2NetworkInterfaceViolation = eniViolation });
                        break;
                    case Ec2Instance instance:
                        var interfaceViolations = instance.NetworkInterfaceIds.Select(id => run.World.FindById(id) as NetworkInterface)
                            .Where(e => e != null).Select(e => InterfaceViolation(e!, FindingsOf)).Where(v => v != null).Select(v => v!).ToList();
                        if (interfaceViolations.Count > 0)
                            run.Add(instance, ViolationReasonValues.ResourceViolatesAuditSecurityGroup).Details.Add(new ResourceViolation
                            {
                                AwsEc2InstanceViolation = new AwsEc2InstanceViolation { ViolationTarget = instance.Id, AwsEc2NetworkInterfaceViolations = interfaceViolations },
                            });
                        break;
                }
            }
        }

        private static AwsEc2NetworkInterfaceViolation? InterfaceViolation(NetworkInterface eni, Func<string, List<RuleFinding>> findingsOf)
        {
            var violating = eni.SecurityGroupIds.Where(id => findingsOf(id).Count > 0).ToList();
            return violating.Count == 0 ? null : new AwsEc2NetworkInterfaceViolation { ViolationTarget = eni.Id, ViolatingSecurityGroups = violating };
        }

        private static AwsVPCSecurityGroupViolation DescribeFinding(SecurityGroup group, RuleFinding finding, ContentAuditRules audit)
        {
            var direction = finding.Egress ? "outbound" : "inbound";
            var actions = new List<SecurityGroupRemediationAction>
            {
                new SecurityGroupRemediationAction
                {
                    RemediationActionType = RemediationActionTypeValues.Remove,
                    Description = "Remove the " + direction + " rule " + finding.Rule + " from " + group.Id + ".",
                    RemediationResult = RuleFinding.Describe(finding.Rule),
                    IsDefaultAction = true,
                },
            };
            if (audit.Allow && finding.AuditRule != null && finding.AuditRule.CidrIpv4 != null)
                actions.Add(new SecurityGroupRemediationAction
                {
                    RemediationActionType = RemediationActionTypeValues.Modify,
                    Description = "Narrow the " + direction + " rule " + finding.Rule + " to the allowed range " + finding.AuditRule + ".",
                    RemediationResult = RuleFinding.Describe(finding.AuditRule),
                    IsDefaultAction = false,
                });
            return new AwsVPCSecurityGroupViolation
            {
                ViolationTarget = group.Id,
                ViolationTargetDescription = (finding.Egress ? "Egress" : "Ingress") + " rule " + finding.Rule + " of " + (group.Name ?? group.Id),
                PartialMatches = new List<PartialMatch>
                {
                    new PartialMatch { Reference = finding.AuditRule == null ? "denyProtocolAllValue" : finding.AuditRule.ToString(), TargetViolationReasons = new List<string> { finding.Reason } },
                },
                PossibleSecurityGroupRemediationActions = actions,
            };
        }

        internal static List<RuleFinding> ContentAuditFindings(Sandbox.World.World world, ManagedServiceData data, SecurityGroup group)
        {
            var audit = new ContentAuditRules(world, data);
            return audit.AuditGroupIds.Contains(group.Id) ? new List<RuleFinding>() : audit.Findings(group);
        }

        // ------------------------------------------------------------------ Security groups: usage audit

        internal sealed class UsageAssessment
        {
            public readonly List<SecurityGroup> Unused = new List<SecurityGroup>();

            /// <summary>Redundant group → the group that replaces it.</summary>
            public readonly Dictionary<SecurityGroup, SecurityGroup> Redundant = new Dictionary<SecurityGroup, SecurityGroup>();
        }

        /// <summary>Group ids used by an ENI, load balancer or another group's rule in the account/region.</summary>
        internal static HashSet<string> UsedGroupIds(IEnumerable<WorldResource> resources)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in resources)
            {
                switch (resource)
                {
                    case NetworkInterface eni: used.UnionWith(eni.SecurityGroupIds); break;
                    case ApplicationLoadBalancer alb: used.UnionWith(alb.SecurityGroupIds); break;
                    case ClassicLoadBalancer elb: used.UnionWith(elb.SecurityGroupIds); break;
                    case SecurityGroup group:
                        foreach (var rule in group.Ingress.Concat(group.Egress))
                            if (rule.ReferencedGroupId != null && rule.ReferencedGroupId != group.Id) used.Add(rule.ReferencedGroupId);
                        break;
                }
            }
            return used;
        }

        private static string RuleSignature(SecurityGroup group)
        {
            string Sig(SecurityGroupRule r) => r.NormalizedProtocol + "|" + r.NormalizedFrom + "|" + r.NormalizedTo + "|" + r.CidrIpv4 + "|" + r.CidrIpv6 + "|" + r.PrefixListId + "|" + r.ReferencedGroupId;
            return group.VpcId + "#" + string.Join(";", group.Ingress.Select(Sig).OrderBy(s => s, StringComparer.Ordinal))
                + "#" + string.Join(";", group.Egress.Select(Sig).OrderBy(s => s, StringComparer.Ordinal));
        }

        internal static UsageAssessment AssessUsage(Sandbox.World.World world, IReadOnlyList<WorldResource> accountResources, IEnumerable<SecurityGroup> candidates,
            bool deleteUnused, bool coalesce, int delayMinutes, DateTime now)
        {
            var assessment = new UsageAssessment();
            var used = UsedGroupIds(accountResources);
            var eligible = candidates.Where(g => !g.IsDefault && g.FmsPolicyId == null).ToList();
            if (coalesce)
            {
                foreach (var family in eligible.Where(g => used.Contains(g.Id)).GroupBy(RuleSignature).Where(f => f.Count() > 1))
                {
                    var keep = family.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id, StringComparer.Ordinal).First();
                    foreach (var group in family.Where(g => g != keep)) assessment.Redundant[group] = keep;
                }
            }
            if (deleteUnused)
            {
                foreach (var group in eligible.Where(g => !used.Contains(g.Id)))
                {
                    var since = group.LastDetachedAt.HasValue && group.LastDetachedAt.Value > group.CreatedAt ? group.LastDetachedAt.Value : group.CreatedAt;
                    if ((now - since).TotalMinutes >= delayMinutes) assessment.Unused.Add(group);
                }
            }
            return assessment;
        }

        internal static int UnusedDelayMinutes(ManagedServiceData data) =>
            Math.Max(0, Math.Min(525600, ManagedServiceData.Int(data.Root, "optionalDelayForUnusedInMinutes") ?? 0));

        private static void EvaluateUsageAudit(Run run, string accountId)
        {
            var inScope = run.InScopeResources(accountId).OfType<SecurityGroup>().ToList();
            var assessment = AssessUsage(run.World, run.Resources(accountId), inScope, run.Data.Bool("deleteUnusedSecurityGroups", false),
                run.Data.Bool("coalesceRedundantSecurityGroups", false), UnusedDelayMinutes(run.Data), run.Now);
            foreach (var group in inScope)
            {
                if (assessment.Unused.Contains(group)) run.Add(group, ViolationReasonValues.SecurityGroupUnused);
                else if (assessment.Redundant.TryGetValue(group, out var keep)) run.Add(group, ViolationReasonValues.SecurityGroupRedundant).SetMetadata("ReplacementSecurityGroupId", keep.Id);
            }
        }
    }
}
