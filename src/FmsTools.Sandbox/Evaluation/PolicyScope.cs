using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>Resolves a policy's resource set ids to the resource ARNs they contain (resource sets live in the FMS store).</summary>
    public delegate IEnumerable<string> ResourceSetResolver(string resourceSetId);

    /// <summary>
    /// Which accounts and resources a policy covers.
    /// <list type="bullet">
    /// <item>Accounts: ACTIVE accounts only. With a non-empty IncludeMap, exactly the listed accounts plus every account in the
    /// listed OUs and their nested OUs; the ExcludeMap is then ignored. Otherwise every account minus the ExcludeMap's accounts
    /// and OUs (nested included). With no maps every account is in scope — including the FMS administrator and the management
    /// account (FMS applies policies to every account of the organization; nothing in the API or guide exempts the administrator).
    /// ORG_UNIT is also accepted spelled ORGUNIT (CloudFormation's spelling).</item>
    /// <item>Resources: of the policy's ResourceType (or ResourceTypeList when ResourceType is "ResourceTypeList" or empty);
    /// CloudFront only in us-east-1. ResourceTags with AND (default) or OR: a policy tag matches a resource tag with the same
    /// key and the same value, a policy tag without a value matching only the value "". ExcludeResourceTags true drops
    /// matching resources, false keeps only them. ResourceSetIds further restrict scope to the ARNs in those sets.</item>
    /// </list>
    /// </summary>
    public sealed class PolicyScope
    {
        private readonly HashSet<string> resourceTypes;
        private readonly List<KeyValuePair<string, string>> tags;
        private readonly bool tagOr;
        private readonly bool excludeTags;
        private readonly HashSet<string>? resourceSetArns;

        public PolicyScope(Sandbox.World.World world, Policy policy, string region, ResourceSetResolver? resourceSets)
        {
            Region = region;
            AccountIds = ResolveAccounts(world, policy);
            resourceTypes = new HashSet<string>(ResourceTypesOf(policy), StringComparer.Ordinal);
            if (region != WorldRegions.Global) resourceTypes.Remove(ResourceTypes.CloudFrontDistribution);
            tags = (policy.ResourceTags ?? new List<ResourceTag>())
                .Where(t => !string.IsNullOrEmpty(t.Key))
                .Select(t => new KeyValuePair<string, string>(t.Key!, t.Value ?? ""))
                .ToList();
            tagOr = string.Equals(policy.ResourceTagLogicalOperator, ResourceTagLogicalOperatorValues.Or, StringComparison.OrdinalIgnoreCase);
            excludeTags = policy.ExcludeResourceTags == true;
            var setIds = policy.ResourceSetIds ?? new List<string>();
            if (setIds.Count > 0)
            {
                resourceSetArns = new HashSet<string>(StringComparer.Ordinal);
                if (resourceSets != null)
                    foreach (var setId in setIds)
                        foreach (var arn in resourceSets(setId) ?? Enumerable.Empty<string>())
                            resourceSetArns.Add(arn);
            }
        }

        public string Region { get; }

        /// <summary>In-scope account ids, in organization order.</summary>
        public IReadOnlyList<string> AccountIds { get; }

        public IReadOnlyCollection<string> ResourceTypeSet => resourceTypes;

        /// <summary>ARNs the policy's resource sets contain, or null when it uses none.</summary>
        public IReadOnlyCollection<string>? ResourceSetArns => resourceSetArns;

        public bool IncludesType(string resourceType) => resourceTypes.Contains(resourceType);

        /// <summary>Type, tag and resource-set scope of a resource (account scope is checked separately).</summary>
        public bool Includes(WorldResource resource) =>
            resourceTypes.Contains(resource.ResourceType) && MatchesTagsAndSets(resource);

        /// <summary>Tag and resource-set scope only (for resources evaluated on behalf of another type, e.g. ENIs of an instance).</summary>
        public bool MatchesTagsAndSets(WorldResource resource)
        {
            if (resourceSetArns != null && !resourceSetArns.Contains(resource.Arn)) return false;
            if (tags.Count == 0) return true;
            return excludeTags ? !TagsMatch(resource) : TagsMatch(resource);
        }

        private bool TagsMatch(WorldResource resource)
        {
            if (tagOr)
            {
                foreach (var tag in tags)
                    if (HasTag(resource, tag)) return true;
                return false;
            }
            foreach (var tag in tags)
                if (!HasTag(resource, tag)) return false;
            return true;
        }

        private static bool HasTag(WorldResource resource, KeyValuePair<string, string> tag)
        {
            var value = resource.GetTag(tag.Key);
            return value != null && string.Equals(value, tag.Value, StringComparison.Ordinal);
        }

        /// <summary>The policy's resource types: ResourceTypeList when ResourceType is "ResourceTypeList" (or absent), else ResourceType.</summary>
        public static List<string> ResourceTypesOf(Policy policy)
        {
            var list = policy.ResourceTypeList ?? new List<string>();
            if (string.IsNullOrEmpty(policy.ResourceType) || policy.ResourceType == "ResourceTypeList") return list.ToList();
            var types = new List<string> { policy.ResourceType! };
            types.AddRange(list.Where(t => t != policy.ResourceType));
            return types;
        }

        public static List<string> ResolveAccounts(Sandbox.World.World world, Policy policy)
        {
            var include = ScopeSet(world, policy.IncludeMap);
            var exclude = include == null ? ScopeSet(world, policy.ExcludeMap) : null;
            var accounts = new List<string>();
            foreach (var account in world.Organization.Accounts)
            {
                if (!string.Equals(account.Status, "ACTIVE", StringComparison.Ordinal)) continue;
                if (include != null ? include.Contains(account.Id) : exclude == null || !exclude.Contains(account.Id))
                    accounts.Add(account.Id);
            }
            return accounts;
        }

        /// <summary>The accounts a map names (ACCOUNT ids plus the accounts under ORG_UNIT ids), or null for a missing/empty map.</summary>
        private static HashSet<string>? ScopeSet(Sandbox.World.World world, Dictionary<string, List<string>>? map)
        {
            if (map == null || map.Values.All(v => v == null || v.Count == 0)) return null;
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in map)
            {
                if (entry.Value == null) continue;
                var isOu = string.Equals(entry.Key, CustomerPolicyScopeIdTypeValues.OrgUnit, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(entry.Key, "ORGUNIT", StringComparison.OrdinalIgnoreCase);
                foreach (var id in entry.Value)
                {
                    if (isOu) set.UnionWith(world.GetAccountsUnder(id));
                    else set.Add(id);
                }
            }
            return set;
        }
    }
}
