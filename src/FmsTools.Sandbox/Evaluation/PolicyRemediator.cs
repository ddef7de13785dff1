using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;
using NetworkFirewallPolicy = FmsTools.Sandbox.World.NetworkFirewallPolicy;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>One change remediation or cleanup made to the world.</summary>
    public sealed class RemediationChange
    {
        public RemediationChange(string action, string accountId, string resourceArn, string description)
        {
            Action = action;
            AccountId = accountId;
            ResourceArn = resourceArn;
            Description = description;
        }

        /// <summary>A verb such as CreateWebACL, AssociateWebACL, CreateProtection, DeleteSecurityGroup.</summary>
        public string Action { get; }
        public string AccountId { get; }
        public string ResourceArn { get; }
        public string Description { get; }

        public override string ToString() => Action + " " + ResourceArn + ": " + Description;
    }

    public sealed class RemediationReport
    {
        public List<RemediationChange> Changes { get; } = new List<RemediationChange>();

        internal void Add(string action, WorldResource resource, string description) =>
            Changes.Add(new RemediationChange(action, resource.AccountId, resource.Arn, description));
    }

    /// <summary>
    /// What Firewall Manager does to the accounts: converge a policy, clean up after its deletion
    /// and execute a single violation's remediation action. Every change goes through the world's mutation methods,
    /// so the world version moves and cached evaluations are recomputed.
    /// </summary>
    public static class PolicyRemediator
    {
        /// <summary>
        /// Converges the world towards the policy in one region. With RemediationEnabled false only what FMS does regardless
        /// happens (a WAF policy without optimizeUnassociatedWebACL still creates its web ACL in every in-scope account).
        /// With DeleteUnusedFMManagedResources true, FMS protections on resources that left the scope are removed
        /// (not for Shield Advanced or WAF Classic).
        /// </summary>
        public static RemediationReport Remediate(Sandbox.World.World world, Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets = null)
        {
            var report = new RemediationReport();
            var evaluation = PolicyEvaluator.EvaluateUncached(world, policy, region, now, resourceSets);
            var context = new Context(world, policy, region, now, evaluation, report);
            switch (context.Type)
            {
                case SecurityServiceTypeValues.Wafv2: RemediateWafV2(context); break;
                case SecurityServiceTypeValues.Waf: RemediateWafClassic(context); break;
                case SecurityServiceTypeValues.ShieldAdvanced: RemediateShield(context); break;
                case SecurityServiceTypeValues.SecurityGroupsCommon: RemediateSecurityGroupsCommon(context); break;
                case SecurityServiceTypeValues.SecurityGroupsContentAudit: RemediateContentAudit(context); break;
                case SecurityServiceTypeValues.SecurityGroupsUsageAudit: RemediateUsageAudit(context); break;
                case SecurityServiceTypeValues.DnsFirewall: RemediateDnsFirewall(context); break;
                case SecurityServiceTypeValues.NetworkFirewall: RemediateNetworkFirewall(context); break;
                case SecurityServiceTypeValues.ImportNetworkFirewall: RemediateImportNetworkFirewall(context); break;
                case SecurityServiceTypeValues.ThirdPartyFirewall: RemediateThirdPartyFirewall(context); break;
                case SecurityServiceTypeValues.NetworkAclCommon: RemediateNetworkAcl(context); break;
            }
            return report;
        }

        private sealed class Context
        {
            public Context(Sandbox.World.World world, Policy policy, string region, DateTime now, PolicyEvaluation evaluation, RemediationReport report)
            {
                World = world;
                Policy = policy;
                Region = region;
                Now = now;
                Evaluation = evaluation;
                Report = report;
                PolicyId = policy.PolicyId ?? "";
                PolicyName = policy.PolicyName ?? "";
                Type = policy.SecurityServicePolicyData?.Type ?? "";
                Data = ManagedServiceData.Parse(policy.SecurityServicePolicyData?.ManagedServiceData);
                Enabled = policy.RemediationEnabled == true;
                InScope = new HashSet<WorldResource>(evaluation.InScopeResources);
            }

            public readonly Sandbox.World.World World;
            public readonly Policy Policy;
            public readonly string Region;
            public readonly DateTime Now;
            public readonly PolicyEvaluation Evaluation;
            public readonly RemediationReport Report;
            public readonly string PolicyId;
            public readonly string PolicyName;
            public readonly string Type;
            public readonly ManagedServiceData Data;
            public readonly bool Enabled;
            public readonly HashSet<WorldResource> InScope;
            private WorldIds? ids;

            public WorldIds Ids => ids ??= World.NewIds();

            public string Stamp => DemoOrganization.ToEpochMs(Now).ToString(CultureInfo.InvariantCulture);

            public bool DeleteUnused => Policy.DeleteUnusedFMManagedResources == true;

            public IEnumerable<WorldResource> InScopeOf(string accountId) => Evaluation.InScopeResources.Where(r => r.AccountId == accountId);

            public IEnumerable<WorldResource> RegionResources() =>
                World.AccountRegions.Where(b => b.Region == Region).SelectMany(b => b.Resources).ToList();

            public string NewId(Func<WorldIds, string> make)
            {
                for (var attempt = 0; attempt < 100; attempt++)
                {
                    var id = make(Ids);
                    if (World.FindById(id) == null) return id;
                }
                throw new System.InvalidOperationException("Could not produce a unique id.");
            }
        }

        // ------------------------------------------------------------------ WAF

        private static string WafScopeOf(WorldResource resource) => resource is CloudFrontDistribution ? WafScopes.CloudFront : WafScopes.Regional;

        private static WebAcl? FindPolicyWebAcl(Context c, string accountId, string scope, string policyType) =>
            c.World.GetResources<WebAcl>(accountId, scope == WafScopes.CloudFront ? WorldRegions.Global : c.Region)
                .FirstOrDefault(a => a.ManagedByFirewallManager && a.FmsPolicyId == c.PolicyId && a.Scope == scope && a.FmsPolicyType == policyType);

        private static WebAcl EnsurePolicyWebAcl(Context c, string accountId, string scope, string policyType, List<WebAclRule> pre, List<WebAclRule> post, string defaultAction)
        {
            var existing = FindPolicyWebAcl(c, accountId, scope, policyType);
            if (existing != null) return existing;
            var acl = new WebAcl
            {
                Id = c.NewId(i => i.Uuid()), AccountId = accountId, Region = scope == WafScopes.CloudFront ? WorldRegions.Global : c.Region, Scope = scope,
                Name = "FMManagedWebACLV2-" + c.PolicyName + "-" + c.Stamp, DefaultAction = defaultAction, ManagedByFirewallManager = true,
                FmsPolicyId = c.PolicyId, FmsPolicyType = policyType, PreProcessFirewallManagerRuleGroups = pre.ToArray(),
                PostProcessFirewallManagerRuleGroups = post.ToArray(), LockToken = c.Ids.Token(), Capacity = Capacity(c.World, pre.Concat(post)),
                Description = "Managed by Firewall Manager policy " + c.PolicyName,
            };
            c.World.AddResource(acl);
            c.Report.Add("CreateWebACL", acl, "Created " + acl.Name);
            return acl;
        }

        private static long Capacity(Sandbox.World.World world, IEnumerable<WebAclRule> rules)
        {
            long total = 0;
            foreach (var rule in rules)
                total += rule.StatementType == WebAclStatementTypes.ManagedRuleGroup
                    ? world.FindManagedRuleGroup(rule.VendorName ?? "", rule.ManagedRuleGroupName ?? "")?.Capacity ?? 100
                    : (world.FindByArn(rule.ReferenceArn ?? "") as WafRuleGroup)?.Capacity ?? 100;
            return total;
        }

        private static void Associate(Context c, WebAclProtectableResource resource, WebAcl acl)
        {
            resource.WebAclArn = acl.Arn;
            c.World.MarkChanged();
            c.Report.Add("AssociateWebACL", resource, "Associated " + acl.Name);
        }

        private static void RemediateWafV2(Context c)
        {
            var (pre, post) = PolicyEvaluator.ExpectedWafRules(c.Data);
            var retrofit = string.Equals(c.Data.String("webACLSource"), "RETROFIT_EXISTING", StringComparison.OrdinalIgnoreCase);
            var overrideCustomer = c.Data.Bool("overrideCustomerWebACLAssociation", false);
            var optimize = c.Data.Bool("optimizeUnassociatedWebACL", false);
            var defaultAction = c.Data.Get("defaultAction") is { } action ? ManagedServiceData.String(action, "type") ?? "ALLOW" : "ALLOW";
            var types = PolicyScope.ResourceTypesOf(c.Policy);
            var scopes = new List<string>();
            if (types.Any(t => t != ResourceTypes.CloudFrontDistribution)) scopes.Add(WafScopes.Regional);
            if (types.Contains(ResourceTypes.CloudFrontDistribution) && c.Region == WorldRegions.Global) scopes.Add(WafScopes.CloudFront);
            foreach (var account in c.Evaluation.Accounts)
            {
                if (!optimize)
                    foreach (var scope in scopes) EnsurePolicyWebAcl(c, account.AccountId, scope, SecurityServiceTypeValues.Wafv2, pre, post, defaultAction);
                if (!c.Enabled) continue;
                foreach (var scope in scopes)
                {
                    var own = FindPolicyWebAcl(c, account.AccountId, scope, SecurityServiceTypeValues.Wafv2);
                    if (own != null && !(PolicyEvaluator.HasRuleGroups(own.PreProcessFirewallManagerRuleGroups, pre) && PolicyEvaluator.HasRuleGroups(own.PostProcessFirewallManagerRuleGroups, post)))
                    {
                        own.PreProcessFirewallManagerRuleGroups = pre.ToArray();
                        own.PostProcessFirewallManagerRuleGroups = post.ToArray();
                        own.LockToken = c.Ids.Token();
                        c.World.MarkChanged();
                        c.Report.Add("UpdateWebACL", own, "Restored the policy's first and last rule groups");
                    }
                }
                foreach (var resource in c.InScopeOf(account.AccountId).OfType<WebAclProtectableResource>().ToList())
                {
                    var scope = WafScopeOf(resource);
                    var current = resource.WebAclArn == null ? null : c.World.FindByArn(resource.WebAclArn) as WebAcl;
                    if (current == null || (current.ManagedByFirewallManager && current.FmsPolicyType == SecurityServiceTypeValues.ShieldAdvanced))
                        Associate(c, resource, EnsurePolicyWebAcl(c, account.AccountId, scope, SecurityServiceTypeValues.Wafv2, pre, post, defaultAction));
                    else if (current.ManagedByFirewallManager) continue; // ours (fixed above) or another active policy's: never replaced
                    else if (retrofit)
                    {
                        if (current.RetrofittedByFirewallManager && current.RetrofitPolicyId == c.PolicyId
                            && PolicyEvaluator.HasRuleGroups(current.PreProcessFirewallManagerRuleGroups, pre) && PolicyEvaluator.HasRuleGroups(current.PostProcessFirewallManagerRuleGroups, post)) continue;
                        current.PreProcessFirewallManagerRuleGroups = pre.ToArray();
                        current.PostProcessFirewallManagerRuleGroups = post.ToArray();
                        current.RetrofittedByFirewallManager = true;
                        current.RetrofitPolicyId = c.PolicyId;
                        current.LockToken = c.Ids.Token();
                        current.Capacity = Capacity(c.World, current.Rules.Concat(pre).Concat(post));
                        c.World.MarkChanged();
                        c.Report.Add("RetrofitWebACL", current, "Added the policy's first and last rule groups to the customer web ACL");
                    }
                    else if (overrideCustomer)
                        Associate(c, resource, EnsurePolicyWebAcl(c, account.AccountId, scope, SecurityServiceTypeValues.Wafv2, pre, post, defaultAction));
                }
            }
            if (!c.Enabled || !c.DeleteUnused) return;
            foreach (var resource in c.RegionResources().OfType<WebAclProtectableResource>())
            {
                if (c.InScope.Contains(resource) || resource.WebAclArn == null) continue;
                if (c.World.FindByArn(resource.WebAclArn) is WebAcl acl && acl.FmsPolicyId == c.PolicyId && acl.ManagedByFirewallManager)
                {
                    resource.WebAclArn = null;
                    c.World.MarkChanged();
                    c.Report.Add("DisassociateWebACL", resource, "Removed " + acl.Name + " from a resource outside the policy's scope");
                }
            }
        }

        private static void RemediateWafClassic(Context c)
        {
            var expected = PolicyEvaluator.ExpectedClassicRuleGroups(c.Data);
            var overrideCustomer = c.Data.Bool("overrideCustomerWebACLAssociation", false);
            var defaultAction = c.Data.Get("defaultAction") is { } action ? ManagedServiceData.String(action, "type") ?? "ALLOW" : "ALLOW";
            if (!c.Enabled) return;
            foreach (var account in c.Evaluation.Accounts)
            {
                foreach (var resource in c.InScopeOf(account.AccountId).OfType<WebAclProtectableResource>().ToList())
                {
                    var global = resource is CloudFrontDistribution;
                    var region = global ? WorldRegions.Global : c.Region;
                    var own = c.World.GetResources<ClassicWebAcl>(account.AccountId, region).FirstOrDefault(a => a.FmsPolicyId == c.PolicyId && a.IsGlobal == global);
                    if (own == null)
                    {
                        own = new ClassicWebAcl
                        {
                            Id = c.NewId(i => i.Uuid()), AccountId = account.AccountId, Region = region, IsGlobal = global, Name = "FMManagedWebACL" + c.PolicyName + c.Stamp,
                            DefaultAction = defaultAction, RuleGroups = expected.ToArray(), ManagedByFirewallManager = true, FmsPolicyId = c.PolicyId,
                        };
                        c.World.AddResource(own);
                        c.Report.Add("CreateWebACL", own, "Created " + own.Name);
                    }
                    else if (!expected.All(e => own.RuleGroups.Any(g => g.RuleGroupId == e.RuleGroupId)))
                    {
                        own.RuleGroups = expected.ToArray();
                        c.World.MarkChanged();
                        c.Report.Add("UpdateWebACL", own, "Restored the policy's rule groups");
                    }
                    var current = resource.ClassicWebAclId == null ? null : c.World.FindById(resource.ClassicWebAclId) as ClassicWebAcl;
                    if (current == null || (overrideCustomer && !current.ManagedByFirewallManager))
                    {
                        resource.ClassicWebAclId = own.Id;
                        c.World.MarkChanged();
                        c.Report.Add("AssociateWebACL", resource, "Associated " + own.Name);
                    }
                }
            }
        }

        // ------------------------------------------------------------------ Shield Advanced

        private static void RemediateShield(Context c)
        {
            if (!c.Enabled) return;
            foreach (var account in c.Evaluation.Accounts)
            {
                var resources = c.InScopeOf(account.AccountId).ToList();
                if (resources.Count == 0) continue;
                if (c.World.FindShieldSubscription(account.AccountId) == null)
                {
                    var subscription = new ShieldSubscription { Id = c.NewId(i => i.HexString(12)), AccountId = account.AccountId, Region = WorldRegions.Global, StartTime = c.Now };
                    c.World.AddResource(subscription);
                    c.Report.Add("CreateSubscription", subscription, "Subscribed the account to Shield Advanced");
                }
                var protectedArns = PolicyEvaluator.ProtectedArns(c.World, account.AccountId, c.Region);
                foreach (var resource in resources)
                {
                    if (!protectedArns.Contains(resource.Arn))
                    {
                        var protection = new ShieldProtection
                        {
                            Id = c.NewId(i => i.Uuid()), AccountId = resource.AccountId, Region = resource.Region, Name = "FMManagedShieldProtection" + c.PolicyName,
                            ProtectedResourceArn = resource.Arn, FmsPolicyId = c.PolicyId,
                        };
                        c.World.AddResource(protection);
                        c.Report.Add("CreateProtection", resource, "Protected with Shield Advanced");
                    }
                    // Application-layer resources without any web ACL get the policy's empty web ACL for monitoring.
                    if (resource is WebAclProtectableResource web && !(resource is ApiGatewayStage) && web.WebAclArn == null)
                        Associate(c, web, EnsurePolicyWebAcl(c, account.AccountId, WafScopeOf(resource), SecurityServiceTypeValues.ShieldAdvanced, new List<WebAclRule>(), new List<WebAclRule>(), "ALLOW"));
                }
            }
        }

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

        // ------------------------------------------------------------------ single violation actions

        /// <summary>
        /// Executes the default PossibleRemediationAction FMS offers for one resource's violation (network ACL entries, or
        /// a content-audit REMOVE/MODIFY of a security group's violating rules). Nothing changes when there is nothing FMS can do
        /// (no violation, an unforced entry conflict, or a violation type without client-executable actions) — the report is then empty.
        /// For content audit pass REMOVE (the default) or MODIFY as <paramref name="actionType"/>; network ACLs ignore it.
        /// </summary>
        public static RemediationReport ApplyViolationRemediation(Sandbox.World.World world, Policy policy, string region, string accountId, string resourceId,
            DateTime now, string? actionType = null, ResourceSetResolver? resourceSets = null)
        {
            var report = new RemediationReport();
            var evaluation = PolicyEvaluator.EvaluateUncached(world, policy, region, now, resourceSets);
            var violations = evaluation.ViolationsFor(accountId, resourceId);
            var data = ManagedServiceData.Parse(policy.SecurityServicePolicyData?.ManagedServiceData);
            foreach (var violation in violations)
            {
                if (violation.Resource is Subnet subnet && violation.Reason == ViolationReasonValues.InvalidNetworkAclEntry)
                {
                    var inScope = new HashSet<Subnet>(evaluation.InScopeResources.OfType<Subnet>());
                    RemediateSubnet(world, policy, region, subnet, inScope.Contains, now, report);
                }
                else if (violation.Resource is SecurityGroup group && violation.Reason == ViolationReasonValues.ResourceViolatesAuditSecurityGroup)
                    ApplyContentAuditAction(world, data, group, actionType ?? RemediationActionTypeValues.Remove, report);
            }
            return report;
        }

        // ------------------------------------------------------------------ policy deletion

        /// <summary>
        /// What FMS does in one region when the policy is deleted. Always: the policy's resources stop being managed by it.
        /// With <paramref name="deleteAllPolicyResources"/>: WAF/Shield web ACLs are disassociated and deleted, retrofitted
        /// customer web ACLs lose the policy's rule sections, Shield protections the policy created are removed (subscriptions
        /// stay), replicas are detached and deleted, DNS Firewall associations, firewalls, firewall policies and firewall subnets
        /// are deleted, and network ACL changes are undone (association restored, else the policy's entries removed).
        /// </summary>
        public static RemediationReport CleanupDeletedPolicy(Sandbox.World.World world, Policy policy, string region, bool deleteAllPolicyResources, DateTime now)
        {
            var report = new RemediationReport();
            var policyId = policy.PolicyId ?? "";
            var resources = world.AccountRegions.Where(b => b.Region == region).SelectMany(b => b.Resources).ToList();
            var owned = resources.Where(r => r.FmsPolicyId == policyId).ToList();
            if (!deleteAllPolicyResources)
            {
                foreach (var resource in owned)
                {
                    resource.FmsPolicyId = null;
                    if (resource is WebAcl acl) acl.ManagedByFirewallManager = false;
                    if (resource is ClassicWebAcl classic) classic.ManagedByFirewallManager = false;
                    if (resource is DnsFirewallRuleGroupAssociation association) association.ManagedOwnerName = null;
                    if (resource.GetTag("FMManaged") != null)
                        resource.Tags = resource.Tags!.Select(t => t.Key == "FMManaged" ? new WorldTag("FMManaged", "false") : t).ToArray();
                    report.Add("ReleaseResource", resource, "No longer managed by Firewall Manager");
                }
                foreach (var acl in resources.OfType<WebAcl>().Where(a => a.RetrofitPolicyId == policyId))
                {
                    acl.RetrofitPolicyId = null;
                    acl.RetrofittedByFirewallManager = false;
                }
                world.MarkChanged();
                return report;
            }

            // Web ACLs (WAFV2 and Shield): disassociate, then delete.
            foreach (var acl in owned.OfType<WebAcl>())
            {
                foreach (var resource in world.GetWebAclAssociations(acl).ToList())
                {
                    resource.WebAclArn = null;
                    report.Add("DisassociateWebACL", resource, "Removed " + acl.Name);
                }
                world.RemoveResource(acl);
                report.Add("DeleteWebACL", acl, "Deleted " + acl.Name);
            }
            foreach (var acl in resources.OfType<WebAcl>().Where(a => a.RetrofitPolicyId == policyId))
            {
                acl.PreProcessFirewallManagerRuleGroups = new WebAclRule[0];
                acl.PostProcessFirewallManagerRuleGroups = new WebAclRule[0];
                acl.RetrofittedByFirewallManager = false;
                acl.RetrofitPolicyId = null;
                report.Add("UpdateWebACL", acl, "Removed the policy's first and last rule sections");
            }
            foreach (var acl in owned.OfType<ClassicWebAcl>())
            {
                foreach (var resource in resources.OfType<WebAclProtectableResource>().Where(r => r.ClassicWebAclId == acl.Id))
                {
                    resource.ClassicWebAclId = null;
                    report.Add("DisassociateWebACL", resource, "Removed " + acl.Name);
                }
                world.RemoveResource(acl);
                report.Add("DeleteWebACL", acl, "Deleted " + acl.Name);
            }
            foreach (var protection in owned.OfType<ShieldProtection>())
            {
                world.RemoveResource(protection);
                report.Add("DeleteProtection", protection, "Removed the protection of " + protection.ProtectedResourceArn);
            }

            // Security group replicas: detach everywhere, then delete.
            var replicas = new HashSet<string>(owned.OfType<SecurityGroup>().Select(g => g.Id), StringComparer.Ordinal);
            if (replicas.Count > 0)
            {
                foreach (var resource in resources)
                {
                    switch (resource)
                    {
                        case NetworkInterface eni when eni.SecurityGroupIds.Any(replicas.Contains): eni.SecurityGroupIds = Detach(eni.SecurityGroupIds, replicas); break;
                        case ApplicationLoadBalancer alb when alb.SecurityGroupIds.Any(replicas.Contains): alb.SecurityGroupIds = Detach(alb.SecurityGroupIds, replicas); break;
                        case ClassicLoadBalancer elb when elb.SecurityGroupIds.Any(replicas.Contains): elb.SecurityGroupIds = Detach(elb.SecurityGroupIds, replicas); break;
                        default: continue;
                    }
                    report.Add("DisassociateSecurityGroup", resource, "Removed the policy's replica");
                }
                foreach (var group in owned.OfType<SecurityGroup>())
                {
                    world.RemoveResource(group);
                    report.Add("DeleteSecurityGroup", group, "Deleted replica " + group.Id);
                }
            }

            foreach (var association in owned.OfType<DnsFirewallRuleGroupAssociation>())
            {
                world.RemoveResource(association);
                report.Add("DisassociateFirewallRuleGroup", association, "Removed from " + association.VpcId);
            }
            foreach (var firewall in owned.OfType<NetworkFirewall>()) DeleteFirewall(world, firewall, report);
            foreach (var firewallPolicy in owned.OfType<NetworkFirewallPolicy>())
            {
                world.RemoveResource(firewallPolicy);
                report.Add("DeleteFirewallPolicy", firewallPolicy, "Deleted " + firewallPolicy.Name);
            }
            foreach (var firewall in owned.OfType<ThirdPartyFirewall>())
            {
                world.RemoveResource(firewall);
                report.Add("DeleteFirewall", firewall, "Deleted " + firewall.Name);
            }
            foreach (var subnet in owned.OfType<Subnet>().Where(s => world.FindById(s.Id) != null))
            {
                world.RemoveResource(subnet);
                report.Add("DeleteSubnet", subnet, "Deleted firewall subnet " + subnet.CidrBlock);
            }

            // Network ACLs: put associations back, else strip the policy's entries.
            var expectedEntries = NaclExpectations.ExpectedEntries(policy.SecurityServicePolicyData?.PolicyOption?.NetworkAclCommonPolicy?.NetworkAclEntrySet).Select(e => e.Rule).ToList();
            foreach (var acl in owned.OfType<NetworkAcl>())
            {
                foreach (var subnet in resources.OfType<Subnet>().Where(s => s.NetworkAclId == acl.Id && s.FmsOriginalNetworkAclId != null))
                {
                    if (world.FindById(subnet.FmsOriginalNetworkAclId!) is NetworkAcl original)
                    {
                        subnet.NetworkAclId = original.Id;
                        subnet.FmsOriginalNetworkAclId = null;
                        report.Add("ReplaceNetworkAclAssociation", subnet, "Restored the association with " + original.Id);
                    }
                }
                var stillUsed = resources.OfType<Subnet>().Any(s => s.NetworkAclId == acl.Id);
                if (!stillUsed && acl.Name != null && acl.Name.StartsWith("FMManagedNetworkAcl-", StringComparison.Ordinal))
                {
                    world.RemoveResource(acl);
                    report.Add("DeleteNetworkAcl", acl, "Deleted " + acl.Name);
                    continue;
                }
                acl.Entries = acl.Entries.Where(e => !expectedEntries.Any(x => x.RuleNumber == e.RuleNumber && x.SameEntryAs(e))).ToArray();
                acl.FmsPolicyId = null;
                acl.Tags = (acl.Tags ?? new WorldTag[0]).Select(t => t.Key == "FMManaged" ? new WorldTag("FMManaged", "false") : t).ToArray();
                report.Add("ReplaceNetworkAclEntries", acl, "Removed the policy's first and last entries");
            }
            world.MarkChanged();
            return report;
        }
    }
}
