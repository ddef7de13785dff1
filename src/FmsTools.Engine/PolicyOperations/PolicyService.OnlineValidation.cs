using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.PolicyOperations
{
    // Online validation: the checks that read WAF and FMS (managed rule groups, capacity, rule names, the policy quota).
    public sealed partial class PolicyService
    {
        /// <summary>
        /// Offline checks plus, for WAFV2, that WAF offers each managed rule group and its pinned version (DescribeManagedRuleGroup,
        /// then ListAvailableManagedRuleGroupVersions to tell an unknown version from an unknown group), rule group capacity from
        /// WAF CheckCapacity, the rule names that excludeRules and ruleActionOverrides refer to (DescribeManagedRuleGroup /
        /// GetRuleGroup) and, for a new policy, the per-region policy quota. What cannot be read is reported to
        /// <paramref name="reporter"/> as a warning and left unknown; only what WAF answered becomes a finding.
        /// </summary>
        public Task<IReadOnlyList<PolicyFinding>> ValidateOnlineAsync(FmsPolicy policy, IOperationReporter reporter, CancellationToken ct)
            => ValidateOnlineAsync(policy, reporter, null, null, ct);

        /// <summary>
        /// <see cref="ValidateOnlineAsync(FmsPolicy, IOperationReporter, CancellationToken)"/> for one policy of several:
        /// <paramref name="cache"/> (when given) shares the rule group reads and the policy count between the policies, so each
        /// distinct rule group is read once. <paramref name="projectedPolicyCount"/>, for a new policy, is how many policies the
        /// region will have just before this one is created once the other planned changes are made (a sync's deletes and earlier
        /// creates); it replaces the ListPolicies count in the quota rule.
        /// </summary>
        public async Task<IReadOnlyList<PolicyFinding>> ValidateOnlineAsync(FmsPolicy policy, IOperationReporter reporter, OnlineValidationCache? cache,
            int? projectedPolicyCount, CancellationToken ct)
        {
            cache = cache ?? new OnlineValidationCache();
            var context = new PolicyValidationContext { Region = policy.Region ?? Region };
            if (policy.Settings is WafV2PolicySettings waf && _wafv2 != null)
            {
                var scope = policy.ResourceTypes != null && policy.ResourceTypes.Contains(FmsResourceTypes.CloudFrontDistribution) ? ScopeValues.Cloudfront : ScopeValues.Regional;
                var groups = waf.PreProcessRuleGroups.Concat(waf.PostProcessRuleGroups).Where(g => g != null).ToList();

                // Managed groups first: one that WAF does not offer is an error, and its capacity and rules cannot be read anyway.
                var lookups = new Dictionary<WafV2RuleGroup, ManagedRuleGroupLookup?>();
                foreach (var group in groups.Where(g => g.ManagedRuleGroupIdentifier != null))
                    lookups[group] = await CachedAsync(cache.ManagedGroups, group, scope, () => LookupManagedAsync(group, scope, reporter, cache, ct)).ConfigureAwait(false);
                context.ManagedRuleGroupLookup = group => lookups.TryGetValue(group, out var lookup) ? lookup : null;
                bool Unknown(WafV2RuleGroup group) => lookups.TryGetValue(group, out var lookup) && lookup != null && lookup.Outcome != ManagedRuleGroupOutcome.Found;

                var capacities = new Dictionary<WafV2RuleGroup, int?>();
                foreach (var group in groups.Where(g => !Unknown(g)))
                    capacities[group] = await CachedAsync(cache.Capacities, group, scope, () => CapacityAsync(group, scope, reporter, ct)).ConfigureAwait(false);
                context.RuleGroupCapacity = group => capacities.TryGetValue(group, out var capacity) ? capacity : null;

                var ruleNames = new Dictionary<WafV2RuleGroup, IReadOnlyCollection<string>?>();
                foreach (var group in groups.Where(g => g.ExcludeRules.Count > 0 || g.RuleActionOverrides.Count > 0))
                {
                    if (group.ManagedRuleGroupIdentifier != null)
                        ruleNames[group] = lookups.TryGetValue(group, out var lookup) ? lookup?.RuleNames : null;
                    else
                        ruleNames[group] = await CachedAsync(cache.RuleNames, group, scope, () => RuleNamesAsync(group, scope, reporter, ct)).ConfigureAwait(false);
                }
                context.RuleGroupRuleNames = group => ruleNames.TryGetValue(group, out var names) ? names : null;
            }
            if (policy.PolicyId == null)
            {
                if (projectedPolicyCount.HasValue)
                {
                    context.ExistingPolicyCount = projectedPolicyCount;
                    context.PolicyCountIsProjected = true;
                }
                else
                {
                    cache.PolicyCount ??= (await ListSummariesAsync(ct).ConfigureAwait(false)).Count;
                    context.ExistingPolicyCount = cache.PolicyCount;
                }
            }
            return PolicyValidator.Validate(policy, context);
        }

        /// <summary>A rule group read from the cache, or read now and kept (unknown included) when the group can be identified.</summary>
        private static async Task<T> CachedAsync<T>(Dictionary<string, T> cache, WafV2RuleGroup group, string scope, Func<Task<T>> read)
        {
            var key = OnlineValidationCache.Key(group, scope);
            if (key != null && cache.TryGetValue(key, out var known)) return known;
            var value = await read().ConfigureAwait(false);
            if (key != null) cache[key] = value;
            return value;
        }

        /// <summary>
        /// Whether WAF offers a managed rule group at its pinned version, and its rule names: DescribeManagedRuleGroup. When that
        /// refuses a pinned version, ListAvailableManagedRuleGroupVersions tells an unknown version (listing the ones on offer)
        /// from an unknown group, whatever error code WAF chose for the describe. An unknown group gets suggestions from
        /// ListAvailableManagedRuleGroups. Null, reported as a warning, when WAF could not be asked (access, throttling, network).
        /// </summary>
        private async Task<ManagedRuleGroupLookup?> LookupManagedAsync(WafV2RuleGroup group, string scope, IOperationReporter reporter, OnlineValidationCache cache,
            CancellationToken ct)
        {
            var identifier = group.ManagedRuleGroupIdentifier!;
            if (string.IsNullOrEmpty(identifier.VendorName) || string.IsNullOrEmpty(identifier.ManagedRuleGroupName)) return null;
            var vendor = identifier.VendorName!;
            var name = identifier.ManagedRuleGroupName!;
            var version = identifier.VersionEnabled == true && !string.IsNullOrEmpty(identifier.Version) ? identifier.Version : null;
            AwsServiceException refused;
            try
            {
                var described = await _wafv2!.DescribeManagedRuleGroupAsync(new DescribeManagedRuleGroupRequest
                {
                    VendorName = vendor, Name = name, Scope = scope, VersionName = version,
                }, ct).ConfigureAwait(false);
                var rules = described.Rules?.Select(r => r?.Name).Where(n => n != null).Select(n => n!).ToList();
                return ManagedRuleGroupLookup.Found(scope, rules);
            }
            catch (AwsServiceException e) when (e.ErrorCode == NonexistentItem && version == null)
            {
                return ManagedRuleGroupLookup.GroupUnknown(scope, "DescribeManagedRuleGroup answered " + e.ErrorCode,
                    await SuggestAsync(vendor + "/" + name, scope, cache, ct).ConfigureAwait(false));
            }
            catch (AwsServiceException e) when (version != null && VersionRefusals.Contains(e.ErrorCode))
            {
                refused = e;
            }
            catch (AwsServiceException e)
            {
                reporter.Warning($"Could not read managed rule group {group.DisplayName} from WAF, so whether WAF offers it (and the rule names in its excludeRules and ruleActionOverrides) was not checked: {e.ErrorCode}: {e.Message}");
                return null;
            }

            // The describe refused the pinned version: is the version unknown, or the whole group?
            try
            {
                var versions = new List<string>();
                string? defaultVersion = null;
                await foreach (var page in _wafv2!.ListAvailableManagedRuleGroupVersionsPagesAsync(new ListAvailableManagedRuleGroupVersionsRequest
                {
                    VendorName = vendor, Name = name, Scope = scope,
                }, ct).ConfigureAwait(false))
                {
                    defaultVersion ??= page.CurrentDefaultVersion;
                    versions.AddRange((page.Versions ?? new List<ManagedRuleGroupVersion>()).Select(v => v?.Name).Where(v => v != null).Select(v => v!));
                }
                if (!versions.Contains(version!, StringComparer.Ordinal))
                {
                    return ManagedRuleGroupLookup.VersionUnknown(scope,
                        "DescribeManagedRuleGroup answered " + refused.ErrorCode + " and ListAvailableManagedRuleGroupVersions does not list it", versions, defaultVersion);
                }
            }
            catch (AwsServiceException e) when (e.ErrorCode == NonexistentItem)
            {
                return ManagedRuleGroupLookup.GroupUnknown(scope, "DescribeManagedRuleGroup answered " + refused.ErrorCode + " and ListAvailableManagedRuleGroupVersions " + e.ErrorCode,
                    await SuggestAsync(vendor + "/" + name, scope, cache, ct).ConfigureAwait(false));
            }
            catch (AwsServiceException e)
            {
                reporter.Warning($"Could not read the versions of managed rule group {group.DisplayName} from WAF, so its version {version} was not checked: {e.ErrorCode}: {e.Message}");
                return null;
            }
            reporter.Warning($"WAF lists version {version} of managed rule group {group.DisplayName} but refused to describe it, so its rule names were not checked: {refused.ErrorCode}: {refused.Message}");
            return null;
        }

        private const string NonexistentItem = "WAFNonexistentItemException";

        /// <summary>The errors WAF may answer DescribeManagedRuleGroup with for a version it does not offer (the code is not documented).</summary>
        private static readonly HashSet<string> VersionRefusals = new HashSet<string>(StringComparer.Ordinal)
        {
            NonexistentItem, "WAFInvalidParameterException", "WAFExpiredManagedRuleGroupVersionException",
        };

        /// <summary>Managed rule groups WAF offers whose "Vendor/Name" is close to <paramref name="wanted"/>; none when the list cannot be read.</summary>
        private async Task<IReadOnlyList<string>> SuggestAsync(string wanted, string scope, OnlineValidationCache cache, CancellationToken ct)
        {
            if (!cache.AvailableManagedGroups.TryGetValue(scope, out var offered))
            {
                try
                {
                    var names = new List<string>();
                    await foreach (var summary in _wafv2!.ListAvailableManagedRuleGroupsItemsAsync(new ListAvailableManagedRuleGroupsRequest { Scope = scope }, ct).ConfigureAwait(false))
                        if (summary?.VendorName != null && summary.Name != null) names.Add(summary.VendorName + "/" + summary.Name);
                    offered = names;
                }
                catch (AwsServiceException)
                {
                    offered = null; // suggestions are a courtesy; the finding stands without them
                }
                cache.AvailableManagedGroups[scope] = offered;
            }
            return offered == null ? Array.Empty<string>() : ManagedRuleGroupLookup.Similar(wanted, offered);
        }

        /// <summary>
        /// The rule names of a customer-owned rule group the policy excludes rules from (GetRuleGroup). Null, reported as a
        /// warning, when they cannot be read. (A managed group's names come with its lookup, <see cref="LookupManagedAsync"/>.)
        /// </summary>
        private async Task<IReadOnlyCollection<string>?> RuleNamesAsync(WafV2RuleGroup group, string scope, IOperationReporter reporter, CancellationToken ct)
        {
            try
            {
                if (string.IsNullOrEmpty(group.RuleGroupArn)) return null;
                var owned = await _wafv2!.GetRuleGroupAsync(new GetRuleGroupRequest { ARN = group.RuleGroupArn }, ct).ConfigureAwait(false);
                return owned.RuleGroup?.Rules?.Select(r => r?.Name).Where(n => n != null).Select(n => n!).ToList();
            }
            catch (AwsServiceException e)
            {
                reporter.Warning($"Could not read the rules of rule group {group.DisplayName}, so the names in its excludeRules and ruleActionOverrides were not checked: {e.ErrorCode}: {e.Message}");
                return null;
            }
        }

        private async Task<int?> CapacityAsync(WafV2RuleGroup group, string scope, IOperationReporter reporter, CancellationToken ct)
        {
            var statement = new Statement();
            var identifier = group.ManagedRuleGroupIdentifier;
            if (identifier != null && identifier.VendorName != null && identifier.ManagedRuleGroupName != null)
            {
                statement.ManagedRuleGroupStatement = new ManagedRuleGroupStatement
                {
                    VendorName = identifier.VendorName,
                    Name = identifier.ManagedRuleGroupName,
                    Version = identifier.VersionEnabled == true ? identifier.Version : null,
                };
            }
            else if (!string.IsNullOrEmpty(group.RuleGroupArn))
            {
                statement.RuleGroupReferenceStatement = new RuleGroupReferenceStatement { ARN = group.RuleGroupArn };
            }
            else
            {
                return null;
            }
            var rule = new Rule
            {
                Name = "fmstools-capacity-check",
                Priority = 0,
                Statement = statement,
                OverrideAction = new OverrideAction { None = new NoneAction() },
                VisibilityConfig = new VisibilityConfig { SampledRequestsEnabled = false, CloudWatchMetricsEnabled = false, MetricName = "fmstools-capacity-check" },
            };
            try
            {
                var response = await _wafv2!.CheckCapacityAsync(new CheckCapacityRequest { Scope = scope, Rules = new List<Rule> { rule } }, ct).ConfigureAwait(false);
                return response.Capacity.HasValue ? (int)Math.Min(int.MaxValue, response.Capacity.Value) : (int?)null;
            }
            catch (AwsServiceException e)
            {
                reporter.Warning($"Could not read the capacity of rule group {group.DisplayName}: {e.ErrorCode}: {e.Message}");
                return null;
            }
        }
    }
}
