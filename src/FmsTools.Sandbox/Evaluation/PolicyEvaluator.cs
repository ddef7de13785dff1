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
    /// <summary>
    /// Evaluates FMS policies against the simulated world, per region, the way Firewall Manager reports compliance.
    /// Results are cached per (policy content, region, resource sets, world version) and recomputed when any changes;
    /// usage-audit policies with an unused-delay also key on the minute, since time alone changes their result.
    /// Thread-safe for concurrent Evaluate calls as long as the world is not mutated concurrently (the host serializes that).
    /// </summary>
    public sealed partial class PolicyEvaluator
    {
        private const int CacheLimit = 4096;
        private readonly object gate = new object();

        // One entry per policy and region (the latest evaluation): a policy whose content key changes over time (usage
        // audit keys on the minute) replaces its entry instead of adding one per minute.
        private readonly Dictionary<string, CacheEntry> cache = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);

        private sealed class CacheEntry
        {
            public string ContentKey = "";
            public Sandbox.World.World World = null!;
            public long Version;
            public PolicyEvaluation Evaluation = null!;
        }

        /// <summary>
        /// False: evaluations this evaluator caches drop each violation's GetViolationDetails shapes (<see cref="Violation.Details"/>)
        /// once computed, because at scale they are most of an evaluation's memory; read details from
        /// <see cref="EvaluateAccount"/> instead. True (default): cached evaluations keep them.
        /// </summary>
        public bool RetainViolationDetails { get; set; } = true;

        /// <summary>
        /// False: evaluations this evaluator caches keep their <see cref="PolicyEvaluation.InScopeResources"/> only for Shield
        /// Advanced policies, the one type GetProtectionStatus answers for (at scale the lists are hundreds of thousands of
        /// references); for other types the list is recomputed on read. True (default): cached evaluations keep them.
        /// </summary>
        public bool RetainInScopeResources { get; set; } = true;

        /// <summary>Evaluates (or returns the cached evaluation of) a policy in one region.</summary>
        /// <param name="world">The world to evaluate.</param>
        /// <param name="policy">The policy as stored (wire type).</param>
        /// <param name="region">The policy's region; CloudFront resources are only evaluated in us-east-1.</param>
        /// <param name="now">Evaluation time (usage-audit delays); defaults to the current UTC time.</param>
        /// <param name="resourceSets">Resolves the policy's ResourceSetIds to ARNs; without it a policy using resource sets covers nothing.</param>
        public PolicyEvaluation Evaluate(Sandbox.World.World world, Policy policy, string region, DateTime? now = null, ResourceSetResolver? resourceSets = null)
        {
            var at = now ?? DateTime.UtcNow;
            var contentKey = CacheKey(policy, region, at, resourceSets);
            var slot = string.IsNullOrEmpty(policy.PolicyId) ? contentKey : region + "\u0001" + policy.PolicyId;
            var version = world.Version;
            lock (gate)
            {
                if (cache.TryGetValue(slot, out var hit) && ReferenceEquals(hit.World, world) && hit.Version == version
                    && string.Equals(hit.ContentKey, contentKey, StringComparison.Ordinal)) return hit.Evaluation;
            }
            var keepInScope = RetainInScopeResources || policy.SecurityServicePolicyData?.Type == SecurityServiceTypeValues.ShieldAdvanced;
            var evaluation = EvaluateCore(world, policy, region, at, resourceSets, null, RetainViolationDetails, keepInScope);
            lock (gate)
            {
                if (cache.Count >= CacheLimit && !cache.ContainsKey(slot)) cache.Clear();
                cache[slot] = new CacheEntry { ContentKey = contentKey, World = world, Version = version, Evaluation = evaluation };
            }
            return evaluation;
        }

        /// <summary>Evaluations held in the cache.</summary>
        internal int CachedEvaluations
        {
            get { lock (gate) return cache.Count; }
        }

        /// <summary>Drops every cached evaluation (e.g. after resource sets changed).</summary>
        public void ClearCache()
        {
            lock (gate) cache.Clear();
        }

        private static string CacheKey(Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets)
        {
            var builder = new StringBuilder();
            builder.Append(region).Append('\u0001').Append(JsonSerializer.Serialize(policy));
            if (policy.ResourceSetIds != null && resourceSets != null)
                foreach (var setId in policy.ResourceSetIds)
                    foreach (var arn in (resourceSets(setId) ?? Enumerable.Empty<string>()).OrderBy(a => a, StringComparer.Ordinal))
                        builder.Append('\u0002').Append(arn);
            if (policy.SecurityServicePolicyData?.Type == SecurityServiceTypeValues.SecurityGroupsUsageAudit)
                builder.Append('\u0003').Append(now.Ticks / TimeSpan.TicksPerMinute);
            return builder.ToString();
        }

        /// <summary>Evaluates without the cache.</summary>
        public static PolicyEvaluation EvaluateUncached(Sandbox.World.World world, Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets = null)
            => EvaluateCore(world, policy, region, now, resourceSets, null, retainDetails: true, keepInScope: true);

        /// <summary>
        /// Evaluates the policy for one member account only, uncached and with violation details: the evaluation holds that
        /// account alone (or no account when it is out of scope). Each account's result depends only on its own resources.
        /// </summary>
        public static PolicyEvaluation EvaluateAccount(Sandbox.World.World world, Policy policy, string region, string accountId, DateTime now,
            ResourceSetResolver? resourceSets = null)
            => EvaluateCore(world, policy, region, now, resourceSets, accountId ?? throw new ArgumentNullException(nameof(accountId)), retainDetails: true,
                keepInScope: true);

        private static PolicyEvaluation EvaluateCore(Sandbox.World.World world, Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets,
            string? onlyAccountId, bool retainDetails, bool keepInScope)
        {
            var run = new Run(world, policy, region, now, resourceSets) { RecordInScope = keepInScope };
            foreach (var accountId in run.Scope.AccountIds)
            {
                if (onlyAccountId != null && !string.Equals(accountId, onlyAccountId, StringComparison.Ordinal)) continue;
                var result = new AccountCompliance(accountId);
                run.Accounts.Add(result);
                run.Current = result;
                switch (run.Type)
                {
                    case SecurityServiceTypeValues.Wafv2: EvaluateWafV2(run, accountId); break;
                    case SecurityServiceTypeValues.Waf: EvaluateWafClassic(run, accountId); break;
                    case SecurityServiceTypeValues.ShieldAdvanced: EvaluateShield(run, accountId); break;
                    case SecurityServiceTypeValues.SecurityGroupsCommon: EvaluateSecurityGroupsCommon(run, accountId); break;
                    case SecurityServiceTypeValues.SecurityGroupsContentAudit: EvaluateContentAudit(run, accountId); break;
                    case SecurityServiceTypeValues.SecurityGroupsUsageAudit: EvaluateUsageAudit(run, accountId); break;
                    case SecurityServiceTypeValues.DnsFirewall: EvaluateDnsFirewall(run, accountId); break;
                    case SecurityServiceTypeValues.NetworkFirewall: EvaluateNetworkFirewall(run, accountId); break;
                    case SecurityServiceTypeValues.ImportNetworkFirewall: EvaluateImportNetworkFirewall(run, accountId); break;
                    case SecurityServiceTypeValues.ThirdPartyFirewall: EvaluateThirdPartyFirewall(run, accountId); break;
                    case SecurityServiceTypeValues.NetworkAclCommon: EvaluateNetworkAcl(run, accountId); break;
                }
                if (!retainDetails)
                    foreach (var violation in result.Violations) violation.DropDetails();
                result.Seal();
            }
            run.InScope.TrimExcess();
            run.Accounts.TrimExcess();
            return new PolicyEvaluation(policy, region, world, now, run.Accounts, keepInScope ? run.InScope : null, resourceSets);
        }

        /// <summary>State of one evaluation pass.</summary>
        internal sealed class Run
        {
            public Run(Sandbox.World.World world, Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets)
            {
                World = world;
                Policy = policy;
                Region = region;
                Now = now;
                PolicyId = policy.PolicyId ?? "";
                PolicyName = policy.PolicyName ?? "";
                Type = policy.SecurityServicePolicyData?.Type ?? "";
                Data = ManagedServiceData.Parse(policy.SecurityServicePolicyData?.ManagedServiceData);
                Scope = new PolicyScope(world, policy, region, resourceSets);
            }

            public readonly Sandbox.World.World World;
            public readonly Policy Policy;
            public readonly string Region;
            public readonly DateTime Now;
            public readonly string PolicyId;
            public readonly string PolicyName;
            public readonly string Type;
            public readonly ManagedServiceData Data;
            public readonly PolicyScope Scope;
            public readonly List<AccountCompliance> Accounts = new List<AccountCompliance>();
            public readonly List<WorldResource> InScope = new List<WorldResource>();
            public AccountCompliance Current = null!;

            /// <summary>False: <see cref="InScope"/> stays empty (the evaluation will not keep it).</summary>
            public bool RecordInScope = true;

            /// <summary>Records a resource as in scope (for <see cref="PolicyEvaluation.InScopeResources"/>).</summary>
            public void AddInScope(WorldResource resource)
            {
                if (RecordInScope) InScope.Add(resource);
            }

            public IReadOnlyList<WorldResource> Resources(string accountId) => World.GetResources(accountId, Region);

            /// <summary>In-scope resources of the policy's types in the account (recorded for discovery).</summary>
            public List<WorldResource> InScopeResources(string accountId)
            {
                var list = new List<WorldResource>();
                foreach (var resource in Resources(accountId))
                    if (Scope.Includes(resource)) list.Add(resource);
                Current.ResourcesEvaluated += list.Count;
                if (RecordInScope) InScope.AddRange(list);
                return list;
            }

            public Violation Add(WorldResource resource, string reason)
            {
                var violation = new Violation(resource, reason, Current.AccountId);
                Current.Add(violation);
                return violation;
            }
        }

        // ------------------------------------------------------------------ WAF

        /// <summary>The web ACL rules a WAFV2 policy puts first and last.</summary>
        internal static (List<WebAclRule> Pre, List<WebAclRule> Post) ExpectedWafRules(ManagedServiceData data) =>
            (data.WafV2RuleGroups("preProcessRuleGroups", 0), data.WafV2RuleGroups("postProcessRuleGroups", 0));

        internal static bool HasRuleGroups(WebAclRule[] actual, List<WebAclRule> expected)
        {
            foreach (var rule in expected)
                if (!actual.Any(a => a.ReferencesSameRuleGroupAs(rule) && string.Equals(a.Action, rule.Action, StringComparison.OrdinalIgnoreCase))) return false;
            return true;
        }

        private static void EvaluateWafV2(Run run, string accountId)
        {
            var (pre, post) = ExpectedWafRules(run.Data);
            var retrofit = string.Equals(run.Data.String("webACLSource"), "RETROFIT_EXISTING", StringComparison.OrdinalIgnoreCase);
            var flaggedAcls = new HashSet<string>(StringComparer.Ordinal);
            var inScope = run.InScopeResources(accountId);
            var inScopeSet = new HashSet<WorldResource>(inScope);
            foreach (var resource in inScope.OfType<WebAclProtectableResource>())
            {
                var acl = resource.WebAclArn == null ? null : run.World.FindByArn(resource.WebAclArn) as WebAcl;
                if (acl == null)
                {
                    run.Add(resource, ViolationReasonValues.ResourceMissingWebAcl);
                    continue;
                }
                if (acl.ManagedByFirewallManager && acl.FmsPolicyId == run.PolicyId)
                {
                    if (!(HasRuleGroups(acl.PreProcessFirewallManagerRuleGroups, pre) && HasRuleGroups(acl.PostProcessFirewallManagerRuleGroups, post)) && flaggedAcls.Add(acl.Id))
                        AddMissingRuleGroup(run, acl);
                    continue;
                }
                if (acl.ManagedByFirewallManager)
                {
                    var violation = run.Add(resource, ViolationReasonValues.ResourceIncorrectWebAcl);
                    violation.SetMetadata("WebACLArn", acl.Arn);
                    violation.Details.Add(new ResourceViolation { WebACLHasIncompatibleConfigurationViolation = new WebACLHasIncompatibleConfigurationViolation { WebACLArn = acl.Arn, Description = "The resource is associated with a web ACL that another Firewall Manager policy (" + acl.FmsPolicyType + ") manages." } });
                    continue;
                }
                if (retrofit)
                {
                    var retrofitted = acl.RetrofittedByFirewallManager && acl.RetrofitPolicyId == run.PolicyId
                        && HasRuleGroups(acl.PreProcessFirewallManagerRuleGroups, pre) && HasRuleGroups(acl.PostProcessFirewallManagerRuleGroups, post);
                    if (!retrofitted && flaggedAcls.Add(acl.Id)) AddMissingRuleGroup(run, acl);
                    continue;
                }
                var incorrect = run.Add(resource, ViolationReasonValues.ResourceIncorrectWebAcl);
                incorrect.SetMetadata("WebACLArn", acl.Arn);
                incorrect.Details.Add(new ResourceViolation { WebACLHasIncompatibleConfigurationViolation = new WebACLHasIncompatibleConfigurationViolation { WebACLArn = acl.Arn, Description = "The resource is associated with a customer web ACL instead of the policy's web ACL." } });
            }
            // The policy's own web ACLs must only protect in-scope resources.
            foreach (var acl in run.Resources(accountId).OfType<WebAcl>().Where(a => a.ManagedByFirewallManager && a.FmsPolicyId == run.PolicyId))
            {
                var outOfScope = run.World.GetWebAclAssociations(acl).Where(r => !inScopeSet.Contains(r)).Select(r => r.Arn).ToList();
                if (outOfScope.Count == 0) continue;
                var violation = run.Add(acl, ViolationReasonValues.WebAclConfigurationOrScopeOfUse);
                violation.Details.Add(new ResourceViolation { WebACLHasOutOfScopeResourcesViolation = new WebACLHasOutOfScopeResourcesViolation { WebACLArn = acl.Arn, OutOfScopeResourceList = outOfScope } });
            }
        }

        private static void AddMissingRuleGroup(Run run, WebAcl acl)
        {
            var violation = run.Add(acl, ViolationReasonValues.WebAclMissingRuleGroup);
            violation.SetMetadata("WebACLArn", acl.Arn);
            violation.Details.Add(new ResourceViolation { WebACLHasIncompatibleConfigurationViolation = new WebACLHasIncompatibleConfigurationViolation { WebACLArn = acl.Arn, Description = "The web ACL lacks the rule groups the policy requires in its first and last rule sections." } });
        }

        internal static List<ClassicRuleGroupReference> ExpectedClassicRuleGroups(ManagedServiceData data)
        {
            var groups = new List<ClassicRuleGroupReference>();
            var priority = 1;
            foreach (var group in data.Array("ruleGroups"))
            {
                var id = ManagedServiceData.String(group, "id");
                if (id == null) continue;
                var overrideAction = ManagedServiceData.Get(group, "overrideAction") is { } action ? ManagedServiceData.String(action, "type") ?? "NONE" : "NONE";
                groups.Add(new ClassicRuleGroupReference { RuleGroupId = id, Priority = priority++, OverrideAction = overrideAction });
            }
            return groups;
        }

        private static void EvaluateWafClassic(Run run, string accountId)
        {
            var expected = ExpectedClassicRuleGroups(run.Data);
            foreach (var resource in run.InScopeResources(accountId).OfType<WebAclProtectableResource>())
            {
                var acl = resource.ClassicWebAclId == null ? null : run.World.FindById(resource.ClassicWebAclId) as ClassicWebAcl;
                if (acl == null) run.Add(resource, ViolationReasonValues.ResourceMissingWebAcl);
                else if (acl.ManagedByFirewallManager && acl.FmsPolicyId == run.PolicyId)
                {
                    if (!expected.All(e => acl.RuleGroups.Any(g => g.RuleGroupId == e.RuleGroupId))) run.Add(acl, ViolationReasonValues.WebAclMissingRuleGroup);
                }
                else run.Add(resource, ViolationReasonValues.ResourceIncorrectWebAcl);
            }
        }

        // ------------------------------------------------------------------ Shield Advanced

        internal static HashSet<string> ProtectedArns(Sandbox.World.World world, string accountId, string region)
        {
            var arns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var protection in world.GetResources<ShieldProtection>(accountId, region)) arns.Add(protection.ProtectedResourceArn);
            return arns;
        }

        private static void EvaluateShield(Run run, string accountId)
        {
            var protectedArns = ProtectedArns(run.World, accountId, run.Region);
            var automaticResponse = run.Data.Get("automaticResponseConfiguration") is { } arc
                && string.Equals(ManagedServiceData.String(arc, "automaticResponseStatus"), "ENABLED", StringComparison.OrdinalIgnoreCase);
            var resources = run.InScopeResources(accountId);
            if (resources.Count > 0 && run.World.FindShieldSubscription(accountId) == null)
                run.Current.SetIssue(DependentServiceNameValues.AwsshieldAdvanced, "Account " + accountId + " is not subscribed to Shield Advanced; Firewall Manager subscribes it when remediating.");
            foreach (var resource in resources)
            {
                if (!protectedArns.Contains(resource.Arn))
                {
                    run.Add(resource, ViolationReasonValues.ResourceMissingShieldProtection);
                    continue;
                }
                if (automaticResponse && resource is WebAclProtectableResource web && web.WebAclArn == null)
                    run.Add(resource, ViolationReasonValues.ResourceMissingWebAclOrShieldProtection);
            }
        }

        // ------------------------------------------------------------------ DNS Firewall

        internal static List<(string RuleGroupId, int Priority)> ExpectedDnsAssociations(ManagedServiceData data)
        {
            var expected = new List<(string, int)>();
            foreach (var name in new[] { "preProcessRuleGroups", "postProcessRuleGroups" })
                foreach (var item in data.Array(name))
                {
                    var id = ManagedServiceData.String(item, "ruleGroupId");
                    var priority = ManagedServiceData.Int(item, "priority");
                    if (id != null && priority != null) expected.Add((id, priority.Value));
                }
            return expected;
        }

        private static void EvaluateDnsFirewall(Run run, string accountId)
        {
            var expected = ExpectedDnsAssociations(run.Data);
            var associations = run.Resources(accountId).OfType<DnsFirewallRuleGroupAssociation>().ToList();
            foreach (var vpc in run.InScopeResources(accountId).OfType<Vpc>())
            {
                var onVpc = associations.Where(a => a.VpcId == vpc.Id).ToList();
                var details = new List<ResourceViolation>();
                var missing = false;
                foreach (var (groupId, priority) in expected)
                {
                    if (onVpc.Any(a => a.FirewallRuleGroupId == groupId && a.Priority == priority)) continue;
                    missing = true;
                    var sameGroup = onVpc.FirstOrDefault(a => a.FirewallRuleGroupId == groupId);
                    if (sameGroup != null)
                        details.Add(new ResourceViolation { DnsDuplicateRuleGroupViolation = new DnsDuplicateRuleGroupViolation { ViolationTarget = vpc.Id, ViolationTargetDescription = "Rule group " + groupId + " is already associated with the VPC at priority " + sameGroup.Priority + "." } });
                    var conflict = onVpc.FirstOrDefault(a => a.Priority == priority && a.FirewallRuleGroupId != groupId);
                    if (conflict != null)
                        details.Add(new ResourceViolation
                        {
                            DnsRuleGroupPriorityConflictViolation = new DnsRuleGroupPriorityConflictViolation
                            {
                                ViolationTarget = vpc.Id, ViolationTargetDescription = "Priority " + priority + " is used by association " + conflict.Id + ".",
                                ConflictingPriority = priority, ConflictingPolicyId = conflict.FmsPolicyId ?? "", UnavailablePriorities = onVpc.Select(a => a.Priority).OrderBy(p => p).ToList(),
                            },
                        });
                }
                if (!missing) continue;
                var violation = run.Add(vpc, ViolationReasonValues.ResourceMissingDnsFirewall);
                violation.Details.AddRange(details);
            }
        }
    }
}
