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
            var evaluation = EvaluateCore(world, policy, region, at, resourceSets, null, RetainViolationDetails);
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
            => EvaluateCore(world, policy, region, now, resourceSets, null, retainDetails: true);

        /// <summary>
        /// Evaluates the policy for one member account only, uncached and with violation details: the evaluation holds that
        /// account alone (or no account when it is out of scope). Each account's result depends only on its own resources.
        /// </summary>
        public static PolicyEvaluation EvaluateAccount(Sandbox.World.World world, Policy policy, string region, string accountId, DateTime now,
            ResourceSetResolver? resourceSets = null)
            => EvaluateCore(world, policy, region, now, resourceSets, accountId ?? throw new ArgumentNullException(nameof(accountId)), retainDetails: true);

        private static PolicyEvaluation EvaluateCore(Sandbox.World.World world, Policy policy, string region, DateTime now, ResourceSetResolver? resourceSets,
            string? onlyAccountId, bool retainDetails)
        {
            var run = new Run(world, policy, region, now, resourceSets);
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
            }
            return new PolicyEvaluation(policy, region, world.Version, now, run.Accounts, run.InScope);
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

            public IReadOnlyList<WorldResource> Resources(string accountId) => World.GetResources(accountId, Region);

            /// <summary>In-scope resources of the policy's types in the account (recorded for discovery).</summary>
            public List<WorldResource> InScopeResources(string accountId)
            {
                var list = new List<WorldResource>();
                foreach (var resource in Resources(accountId))
                    if (Scope.Includes(resource)) list.Add(resource);
                Current.ResourcesEvaluated += list.Count;
                InScope.AddRange(list);
                return list;
            }

            public Violation Add(WorldResource resource, string reason)
            {
                var violation = new Violation(resource, reason, Current.AccountId);
                Current.Violations.Add(violation);
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
                    violation.Metadata["WebACLArn"] = acl.Arn;
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
                incorrect.Metadata["WebACLArn"] = acl.Arn;
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
            violation.Metadata["WebACLArn"] = acl.Arn;
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
                run.Current.IssueInfoMap[DependentServiceNameValues.AwsshieldAdvanced] = "Account " + accountId + " is not subscribed to Shield Advanced; Firewall Manager subscribes it when remediating.";
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
                    violation.Metadata["SecurityGroupIds"] = string.Join(",", settings.Primaries.Select(p => p.Id));
                }
            }
            if (!settings.RevertManualChanges) return;
            foreach (var replica in run.Resources(accountId).OfType<SecurityGroup>().Where(g => g.FmsPolicyId == run.PolicyId && g.ReplicaOfGroupId != null).ToList())
            {
                var primary = settings.Primaries.FirstOrDefault(p => p.Id == replica.ReplicaOfGroupId);
                if (primary != null && !SameRules(primary, replica))
                    run.Add(replica, ViolationReasonValues.FmsCreatedSecurityGroupEdited).Metadata["PrimarySecurityGroupId"] = primary.Id;
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
                else if (assessment.Redundant.TryGetValue(group, out var keep)) run.Add(group, ViolationReasonValues.SecurityGroupRedundant).Metadata["ReplacementSecurityGroupId"] = keep.Id;
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

        // ------------------------------------------------------------------ Network Firewall

        internal sealed class NetworkFirewallSettings
        {
            public List<NetworkFirewallRuleGroupReference> Stateless = new List<NetworkFirewallRuleGroupReference>();
            public List<NetworkFirewallRuleGroupReference> Stateful = new List<NetworkFirewallRuleGroupReference>();
            public List<string> StatelessDefaultActions = new List<string>();
            public List<string> StatelessFragmentDefaultActions = new List<string>();
            public List<string>? RequiredZones;
            public bool SingleEndpoint;
            public bool Centralized;
            public HashSet<string> InspectionVpcIds = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>routeManagementAction MONITOR: FMS checks the VPCs' routes (distributed deployments only; it never changes them).</summary>
            public bool MonitorRoutes;

            /// <summary>routeManagementConfig.allowCrossAZTrafficIfNoEndpoint: a subnet in a zone without an endpoint may use another zone's.</summary>
            public bool AllowCrossAzIfNoEndpoint;

            /// <summary>The policy's firewallCreationConfig as JSON (FMSPolicyUpdateFirewallCreationConfigAction proposes a new one).</summary>
            public string? FirewallCreationConfig;

            public NetworkFirewallSettings(Policy policy, ManagedServiceData data)
            {
                var config = data.NetworkFirewallConfig();
                Stateless = ManagedServiceData.RuleGroupReferences(config, "networkFirewallStatelessRuleGroupReferences");
                Stateful = ManagedServiceData.RuleGroupReferences(config, "networkFirewallStatefulRuleGroupReferences");
                StatelessDefaultActions = ManagedServiceData.Strings(config, "networkFirewallStatelessDefaultActions");
                StatelessFragmentDefaultActions = ManagedServiceData.Strings(config, "networkFirewallStatelessFragmentDefaultActions");
                Centralized = string.Equals(policy.SecurityServicePolicyData?.PolicyOption?.NetworkFirewallPolicy?.FirewallDeploymentModel, FirewallDeploymentModelValues.Centralized, StringComparison.Ordinal);
                JsonElement? orchestration = data.Get("networkFirewallOrchestrationConfig");
                if (Centralized && data.Get("firewallDeploymentModel") is { } model
                    && ManagedServiceData.Get(model, "centralizedFirewallDeploymentModel") is { } centralized
                    && ManagedServiceData.Get(centralized, "centralizedFirewallOrchestrationConfig") is { } centralConfig)
                {
                    orchestration = centralConfig;
                    foreach (var vpc in ManagedServiceData.Array(centralConfig, "inspectionVpcIds"))
                        if (ManagedServiceData.String(vpc, "resourceId") is string id) InspectionVpcIds.Add(id);
                }
                if (orchestration is { } o)
                {
                    SingleEndpoint = ManagedServiceData.Bool(o, "singleFirewallEndpointPerVPC", false);
                    MonitorRoutes = !Centralized && string.Equals(ManagedServiceData.String(o, "routeManagementAction"), "MONITOR", StringComparison.Ordinal);
                    if (ManagedServiceData.Get(o, "routeManagementConfig") is { } routeConfig)
                        AllowCrossAzIfNoEndpoint = ManagedServiceData.Bool(routeConfig, "allowCrossAZTrafficIfNoEndpoint", false);
                    if (ManagedServiceData.Get(o, "firewallCreationConfig") is { } creationConfig) FirewallCreationConfig = creationConfig.GetRawText();
                    if (ManagedServiceData.Get(o, "firewallCreationConfig") is { } creation && ManagedServiceData.Get(creation, "endpointLocation") is { } location)
                    {
                        var zones = ManagedServiceData.Array(location, "availabilityZoneConfigList").Select(z => ManagedServiceData.String(z, "availabilityZoneName")).Where(z => z != null).Select(z => z!).ToList();
                        if (zones.Count > 0) RequiredZones = zones;
                    }
                }
            }

            public bool PolicyMatches(NetworkFirewallPolicy firewallPolicy) =>
                SameArns(firewallPolicy.StatelessRuleGroups, Stateless) && SameArns(firewallPolicy.StatefulRuleGroups, Stateful);

            private static bool SameArns(NetworkFirewallRuleGroupReference[] actual, List<NetworkFirewallRuleGroupReference> expected) =>
                new HashSet<string>(actual.Select(a => a.ResourceArn), StringComparer.Ordinal).SetEquals(expected.Select(e => e.ResourceArn));

            public NetworkFirewallPolicyDescription Describe() => Describe(Stateless, Stateful, StatelessDefaultActions, StatelessFragmentDefaultActions);

            public static NetworkFirewallPolicyDescription Describe(IEnumerable<NetworkFirewallRuleGroupReference> stateless, IEnumerable<NetworkFirewallRuleGroupReference> stateful,
                IEnumerable<string> defaultActions, IEnumerable<string> fragmentActions) => new NetworkFirewallPolicyDescription
                {
                    StatelessRuleGroups = stateless.Select(s => new StatelessRuleGroup { RuleGroupName = ManagedServiceData.RuleGroupNameFromArn(s.ResourceArn + "/x"), ResourceId = s.ResourceArn, Priority = s.Priority }).ToList(),
                    StatefulRuleGroups = stateful.Select(s => new StatefulRuleGroup { RuleGroupName = ManagedServiceData.RuleGroupNameFromArn(s.ResourceArn + "/x"), ResourceId = s.ResourceArn, Priority = s.Priority }).ToList(),
                    StatelessDefaultActions = defaultActions.ToList(),
                    StatelessFragmentDefaultActions = fragmentActions.ToList(),
                    StatelessCustomActions = new List<string>(),
                    StatefulDefaultActions = new List<string>(),
                };
        }

        /// <summary>Zones that need an endpoint: the policy's zone list, else every zone with a workload subnet (firewall subnets excluded).</summary>
        internal static List<string> RequiredZones(Sandbox.World.World world, Vpc vpc, NetworkFirewallSettings settings, string region)
        {
            if (settings.RequiredZones != null) return settings.RequiredZones;
            var firewallSubnets = new HashSet<string>(world.GetResources<NetworkFirewall>(vpc.AccountId, region).SelectMany(f => f.SubnetMappings).Select(m => m.SubnetId), StringComparer.Ordinal);
            var zones = world.GetResources<Subnet>(vpc.AccountId, region).Where(s => s.VpcId == vpc.Id && !firewallSubnets.Contains(s.Id)
                && !(s.Name ?? "").StartsWith("FMSManagedFirewallSubnet", StringComparison.Ordinal))
                .Select(s => s.AvailabilityZone).Distinct().OrderBy(z => z, StringComparer.Ordinal).ToList();
            return settings.SingleEndpoint ? zones.Take(1).ToList() : zones;
        }

        internal static NetworkFirewall? FindPolicyFirewall(Sandbox.World.World world, string policyId, Vpc vpc, string region) =>
            world.GetResources<NetworkFirewall>(vpc.AccountId, region).FirstOrDefault(f => f.VpcId == vpc.Id && f.FmsPolicyId == policyId);

        private static void EvaluateNetworkFirewall(Run run, string accountId)
        {
            var settings = new NetworkFirewallSettings(run.Policy, run.Data);
            var flaggedPolicies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var vpc in run.InScopeResources(accountId).OfType<Vpc>())
            {
                if (settings.Centralized && !settings.InspectionVpcIds.Contains(vpc.Id)) continue;
                var firewall = FindPolicyFirewall(run.World, run.PolicyId, vpc, run.Region);
                if (firewall == null)
                {
                    var zone = RequiredZones(run.World, vpc, settings, run.Region).FirstOrDefault();
                    run.Add(vpc, ViolationReasonValues.MissingFirewall).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallMissingFirewallViolation = new NetworkFirewallMissingFirewallViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, AvailabilityZone = zone, TargetViolationReason = ViolationReasonValues.MissingFirewall },
                    });
                    continue;
                }
                var missingZones = RequiredZones(run.World, vpc, settings, run.Region).Where(z => !firewall.SubnetMappings.Any(m => m.AvailabilityZone == z)).ToList();
                if (missingZones.Count > 0)
                {
                    var violation = run.Add(vpc, ViolationReasonValues.MissingFirewallSubnetInAz);
                    foreach (var zone in missingZones)
                        violation.Details.Add(new ResourceViolation
                        {
                            NetworkFirewallMissingSubnetViolation = new NetworkFirewallMissingSubnetViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, AvailabilityZone = zone, TargetViolationReason = ViolationReasonValues.MissingFirewallSubnetInAz },
                        });
                }
                if (run.World.FindByArn(firewall.FirewallPolicyArn) is NetworkFirewallPolicy firewallPolicy && !settings.PolicyMatches(firewallPolicy) && flaggedPolicies.Add(firewallPolicy.Arn))
                    AddPolicyModified(run, firewallPolicy, settings);
                if (settings.MonitorRoutes) EvaluateRoutes(run, vpc, firewall, settings);
            }
        }

        private static void AddPolicyModified(Run run, NetworkFirewallPolicy firewallPolicy, NetworkFirewallSettings settings)
        {
            run.Add(firewallPolicy, ViolationReasonValues.NetworkFirewallPolicyModified).Details.Add(new ResourceViolation
            {
                NetworkFirewallPolicyModifiedViolation = new NetworkFirewallPolicyModifiedViolation
                {
                    ViolationTarget = firewallPolicy.Arn,
                    CurrentPolicyDescription = NetworkFirewallSettings.Describe(firewallPolicy.StatelessRuleGroups, firewallPolicy.StatefulRuleGroups, firewallPolicy.StatelessDefaultActions, firewallPolicy.StatelessFragmentDefaultActions),
                    ExpectedPolicyDescription = settings.Describe(),
                },
            });
        }

        /// <summary>IMPORT_NETWORK_FIREWALL: the firewalls in the policy's resource sets must run the policy's rule groups.</summary>
        private static void EvaluateImportNetworkFirewall(Run run, string accountId)
        {
            var settings = new NetworkFirewallSettings(run.Policy, run.Data);
            var arns = run.Scope.ResourceSetArns ?? (IReadOnlyCollection<string>)new string[0];
            var flagged = new HashSet<string>(StringComparer.Ordinal);
            foreach (var firewall in run.Resources(accountId).OfType<NetworkFirewall>().Where(f => arns.Contains(f.Arn)).ToList())
            {
                run.Current.ResourcesEvaluated++;
                run.InScope.Add(firewall);
                if (run.World.FindByArn(firewall.FirewallPolicyArn) is NetworkFirewallPolicy firewallPolicy && !settings.PolicyMatches(firewallPolicy) && flagged.Add(firewallPolicy.Arn))
                    AddPolicyModified(run, firewallPolicy, settings);
            }
        }

        // ------------------------------------------------------------------ Third-party firewall

        private static void EvaluateThirdPartyFirewall(Run run, string accountId)
        {
            var vendor = run.Data.String("thirdPartyFirewall") ?? "";
            var firewalls = run.Resources(accountId).OfType<ThirdPartyFirewall>().ToList();
            var association = run.World.ThirdPartyFirewallAssociations.FirstOrDefault(a => a.ThirdPartyFirewall == vendor);
            var onboarded = association != null && association.Status == ThirdPartyFirewallAssociationStatusValues.OnboardComplete;
            foreach (var vpc in run.InScopeResources(accountId).OfType<Vpc>())
            {
                if (firewalls.Any(f => f.VpcId == vpc.Id && f.Vendor == vendor)) continue;
                if (!onboarded) run.Current.IssueInfoMap[DependentServiceNameValues.Awsvpc] = "The Firewall Manager administrator is not onboarded with " + vendor + ".";
                run.Add(vpc, ViolationReasonValues.MissingFirewall).Details.Add(new ResourceViolation
                {
                    ThirdPartyFirewallMissingFirewallViolation = new ThirdPartyFirewallMissingFirewallViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, TargetViolationReason = ViolationReasonValues.MissingFirewall },
                });
            }
        }

        // ------------------------------------------------------------------ Network ACLs

        /// <summary>Assesses one subnet's NACL against a NETWORK_ACL_COMMON policy.</summary>
        internal static NaclAssessment AssessSubnet(Sandbox.World.World world, Policy policy, Subnet subnet, Func<Subnet, bool> inScope)
        {
            var acl = world.FindById(subnet.NetworkAclId) as NetworkAcl;
            var servesOthers = acl != null && world.GetResources<Subnet>(subnet.AccountId, subnet.Region)
                .Any(s => s != subnet && s.NetworkAclId == acl.Id && !inScope(s));
            return NaclExpectations.Assess(acl, policy.SecurityServicePolicyData?.PolicyOption?.NetworkAclCommonPolicy?.NetworkAclEntrySet, servesOthers);
        }

        private static void EvaluateNetworkAcl(Run run, string accountId)
        {
            var inScope = run.InScopeResources(accountId).OfType<Subnet>().ToList();
            var inScopeSet = new HashSet<Subnet>(inScope);
            foreach (var subnet in inScope)
            {
                var assessment = AssessSubnet(run.World, run.Policy, subnet, inScopeSet.Contains);
                if (assessment.IsCompliant) continue;
                var violation = run.Add(subnet, ViolationReasonValues.InvalidNetworkAclEntry);
                violation.Details.Add(new ResourceViolation
                {
                    InvalidNetworkAclEntriesViolation = new InvalidNetworkAclEntriesViolation
                    {
                        Vpc = subnet.VpcId, Subnet = subnet.Id, SubnetAvailabilityZone = subnet.AvailabilityZone,
                        CurrentAssociatedNetworkAcl = subnet.NetworkAclId, EntryViolations = assessment.EntryViolations,
                    },
                    PossibleRemediationActions = NaclRemediationActions(subnet, assessment),
                });
            }
        }

        /// <summary>The remediation options FMS offers for a NACL violation.</summary>
        internal static PossibleRemediationActions NaclRemediationActions(Subnet subnet, NaclAssessment assessment)
        {
            var ordered = new List<RemediationActionWithOrder>();
            var order = 1;
            var aclTarget = new ActionTarget { ResourceId = subnet.NetworkAclId, Description = "Network ACL " + subnet.NetworkAclId };
            if (assessment.NeedsNewAcl)
            {
                ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Create a network ACL in " + subnet.VpcId, CreateNetworkAclAction = new CreateNetworkAclAction { Description = "Create a Firewall Manager network ACL", Vpc = new ActionTarget { ResourceId = subnet.VpcId }, FMSCanRemediate = true } } });
                ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Create the policy's entries in the new network ACL", CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction { Description = "Create entries", NetworkAclEntriesToBeCreated = assessment.ToCreate.Select(r => NaclExpectations.Describe(r, r.RuleNumber < 100 ? EntryTypeValues.FmsManagedFirstEntry : EntryTypeValues.FmsManagedLastEntry)).ToList(), FMSCanRemediate = true } } });
                ordered.Add(new RemediationActionWithOrder { Order = order, RemediationAction = new RemediationAction { Description = "Associate the subnet with the new network ACL", ReplaceNetworkAclAssociationAction = new ReplaceNetworkAclAssociationAction { Description = "Replace the subnet's network ACL association", AssociationId = new ActionTarget { ResourceId = subnet.NetworkAclAssociationId }, NetworkAclId = aclTarget, FMSCanRemediate = true } } });
            }
            else
            {
                if (assessment.ToDelete.Count > 0)
                    ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Delete misplaced or conflicting entries", DeleteNetworkAclEntriesAction = new DeleteNetworkAclEntriesAction { Description = "Delete entries", NetworkAclId = aclTarget, NetworkAclEntriesToBeDeleted = assessment.ToDelete.Select(r => NaclExpectations.Describe(r, EntryTypeValues.CustomEntry)).ToList(), FMSCanRemediate = assessment.CanRemediate } } });
                ordered.Add(new RemediationActionWithOrder { Order = order, RemediationAction = new RemediationAction { Description = "Create the policy's missing entries", CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction { Description = "Create entries", NetworkAclId = aclTarget, NetworkAclEntriesToBeCreated = assessment.ToCreate.Select(r => NaclExpectations.Describe(r, r.RuleNumber < 100 ? EntryTypeValues.FmsManagedFirstEntry : EntryTypeValues.FmsManagedLastEntry)).ToList(), FMSCanRemediate = assessment.CanRemediate } } });
            }
            return new PossibleRemediationActions
            {
                Description = "Bring the subnet's network ACL in line with the policy's first and last entries.",
                Actions = new List<PossibleRemediationAction> { new PossibleRemediationAction { Description = assessment.NeedsNewAcl ? "Move the subnet to a Firewall Manager network ACL" : "Edit the associated network ACL", OrderedRemediationActions = ordered, IsDefaultAction = true } },
            };
        }
    }
}
