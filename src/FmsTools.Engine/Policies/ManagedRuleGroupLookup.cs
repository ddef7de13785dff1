namespace FmsTools.Engine.Policies
{
    /// <summary>What WAF said about a managed rule group a WAFV2 policy names.</summary>
    public enum ManagedRuleGroupOutcome
    {
        /// <summary>WAF describes the group (at the pinned version, when one is pinned).</summary>
        Found = 0,
        /// <summary>WAF has no such group for this caller and scope (DescribeManagedRuleGroup: WAFNonexistentItemException).</summary>
        GroupUnknown,
        /// <summary>The group exists, but not at the pinned version.</summary>
        VersionUnknown,
    }

    /// <summary>
    /// The online answer for one managed rule group: whether WAF offers it (and its pinned version), with what the message
    /// needs (the evidence, similar names for a typo, the versions on offer) and, when found, its rule names.
    /// </summary>
    public sealed class ManagedRuleGroupLookup
    {
        private ManagedRuleGroupLookup(ManagedRuleGroupOutcome outcome, string scope, string evidence, IReadOnlyCollection<string>? ruleNames,
            IReadOnlyList<string>? suggestions, IReadOnlyList<string>? availableVersions, string? defaultVersion)
        {
            Outcome = outcome;
            Scope = scope;
            Evidence = evidence;
            RuleNames = ruleNames;
            Suggestions = suggestions ?? Array.Empty<string>();
            AvailableVersions = availableVersions ?? Array.Empty<string>();
            DefaultVersion = defaultVersion;
        }

        public ManagedRuleGroupOutcome Outcome { get; }

        /// <summary>The WAF scope asked about: REGIONAL or CLOUDFRONT.</summary>
        public string Scope { get; }

        /// <summary>What WAF answered, for the message, e.g. "DescribeManagedRuleGroup answered WAFNonexistentItemException".</summary>
        public string Evidence { get; }

        /// <summary>The group's rule names when found (at the pinned version); null otherwise or when WAF listed none.</summary>
        public IReadOnlyCollection<string>? RuleNames { get; }

        /// <summary>For an unknown group: names WAF offers that are close to the one given (a typo), best first.</summary>
        public IReadOnlyList<string> Suggestions { get; }

        /// <summary>For an unknown version: the versions WAF offers for the group.</summary>
        public IReadOnlyList<string> AvailableVersions { get; }

        /// <summary>For an unknown version: the group's current default version, when WAF names one.</summary>
        public string? DefaultVersion { get; }

        public static ManagedRuleGroupLookup Found(string scope, IReadOnlyCollection<string>? ruleNames)
            => new ManagedRuleGroupLookup(ManagedRuleGroupOutcome.Found, scope, "DescribeManagedRuleGroup found it", ruleNames, null, null, null);

        public static ManagedRuleGroupLookup GroupUnknown(string scope, string evidence, IReadOnlyList<string>? suggestions)
            => new ManagedRuleGroupLookup(ManagedRuleGroupOutcome.GroupUnknown, scope, evidence, null, suggestions, null, null);

        public static ManagedRuleGroupLookup VersionUnknown(string scope, string evidence, IReadOnlyList<string>? availableVersions, string? defaultVersion)
            => new ManagedRuleGroupLookup(ManagedRuleGroupOutcome.VersionUnknown, scope, evidence, null, null, availableVersions, defaultVersion);

        /// <summary>
        /// The names among <paramref name="offered"/> ("Vendor/Name") close enough to <paramref name="wanted"/> to be what was
        /// meant: the same letters in another case, or a few characters apart (edit distance), best first, at most three.
        /// </summary>
        public static IReadOnlyList<string> Similar(string wanted, IEnumerable<string> offered)
        {
            var target = wanted.ToLowerInvariant();
            var limit = Math.Max(2, target.Length / 6);
            return offered.Distinct(StringComparer.Ordinal)
                .Select(name => (Name: name, Distance: EditDistance(target, name.ToLowerInvariant())))
                .Where(c => c.Distance <= limit && !string.Equals(c.Name, wanted, StringComparison.Ordinal))
                .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Take(3).Select(c => c.Name).ToList();
        }

        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) previous[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }
    }
}
