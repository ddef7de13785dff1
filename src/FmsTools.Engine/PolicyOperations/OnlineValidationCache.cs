using FmsTools.Engine.Policies;

namespace FmsTools.Engine.PolicyOperations
{
    /// <summary>
    /// What the online validation of several policies reads once and shares: whether WAF offers each distinct managed rule
    /// group and its rule names (DescribeManagedRuleGroup, and ListAvailableManagedRuleGroups[Versions] when it does not),
    /// the WCU of each distinct WAFV2 rule group (CheckCapacity), the rule names of customer-owned ones (GetRuleGroup) and
    /// the region's policy count (ListPolicies).
    /// A read that failed is kept as unknown, so it is neither sent nor reported again. Not thread-safe: one command's
    /// sequential checks share one cache.
    /// </summary>
    public sealed class OnlineValidationCache
    {
        internal Dictionary<string, int?> Capacities { get; } = new Dictionary<string, int?>(System.StringComparer.Ordinal);

        internal Dictionary<string, IReadOnlyCollection<string>?> RuleNames { get; } = new Dictionary<string, IReadOnlyCollection<string>?>(System.StringComparer.Ordinal);

        internal Dictionary<string, ManagedRuleGroupLookup?> ManagedGroups { get; } = new Dictionary<string, ManagedRuleGroupLookup?>(System.StringComparer.Ordinal);

        /// <summary>The managed rule groups WAF offers per scope ("Vendor/Name"), read once when a name needs suggestions; null when unreadable.</summary>
        internal Dictionary<string, IReadOnlyList<string>?> AvailableManagedGroups { get; } = new Dictionary<string, IReadOnlyList<string>?>(System.StringComparer.Ordinal);

        /// <summary>The policies listed in the region (ListPolicies), once read.</summary>
        internal int? PolicyCount { get; set; }

        /// <summary>
        /// What identifies a rule group's reads: the scope plus vendor, name and (when enabled) version of a managed group,
        /// or the ARN of a customer-owned one; null when the group names neither (nothing can be read for it).
        /// </summary>
        internal static string? Key(WafV2RuleGroup group, string scope)
        {
            var identifier = group.ManagedRuleGroupIdentifier;
            if (identifier != null)
            {
                if (identifier.VendorName == null || identifier.ManagedRuleGroupName == null) return null;
                return scope + "|managed|" + identifier.VendorName + "|" + identifier.ManagedRuleGroupName + "|" + (identifier.VersionEnabled == true ? identifier.Version : null);
            }
            return string.IsNullOrEmpty(group.RuleGroupArn) ? null : scope + "|arn|" + group.RuleGroupArn;
        }
    }
}
