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
    public static partial class PolicyRemediator
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
