using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// The simulated organization and everything in its accounts: the state the sandbox's FMS evaluates and remediates.
    /// <para>Not thread-safe: the host serializes access. Mutate through <see cref="AddResource"/>, <see cref="RemoveResource"/>
    /// and <see cref="SetTags"/> (they keep the indexes current and bump <see cref="Version"/>); after changing a resource's
    /// properties call <see cref="MarkChanged"/>, and after editing the organization or the lists directly call
    /// <see cref="InvalidateIndexes"/>. <see cref="Version"/> is what evaluation caches key on.</para>
    /// </summary>
    public sealed partial class World
    {
        private long version = 1;
        private volatile WorldIndex? index;

        public int SchemaVersion { get; set; } = 1;

        public Organization Organization { get; set; } = new Organization();

        /// <summary>The regions resources exist in (CloudFront and other global resources are stored under us-east-1).</summary>
        public List<string> Regions { get; set; } = new List<string> { WorldRegions.UsEast1, WorldRegions.EuWest1 };

        public List<AccountRegion> AccountRegions { get; set; } = new List<AccountRegion>();

        public List<ManagedRuleGroupDescriptor> ManagedRuleGroups { get; set; } = new List<ManagedRuleGroupDescriptor>();

        public List<ThirdPartyFirewallAssociation> ThirdPartyFirewallAssociations { get; set; } = new List<ThirdPartyFirewallAssociation>();

        public List<ShieldAttack> ShieldAttacks { get; set; } = new List<ShieldAttack>();

        /// <summary>Seed of the id stream used for resources created after generation (remediation, API calls); persisted so a
        /// reloaded world keeps producing fresh, deterministic ids.</summary>
        public long IdCounter { get; set; } = 1;

        /// <summary>Increases on every change; evaluation results are cached per (policy, world version).</summary>
        [JsonIgnore]
        public long Version => Interlocked.Read(ref version);

        public void MarkChanged() => Interlocked.Increment(ref version);

        /// <summary>Drops the lookup indexes (rebuilt on next use) — needed after editing the organization or the lists directly.</summary>
        public void InvalidateIndexes()
        {
            index = null;
            MarkChanged();
        }

        /// <summary>A fresh id stream for creating resources; advances <see cref="IdCounter"/>.</summary>
        public WorldIds NewIds() => new WorldIds(IdCounter++ * 7919 + 17);

        private readonly object indexGate = new object();

        /// <summary>Built on first use; the lock lets concurrent readers (parallel evaluations) share one build.</summary>
        private WorldIndex Index
        {
            get
            {
                var current = index;
                if (current != null) return current;
                lock (indexGate) return index ??= new WorldIndex(this);
            }
        }

        // ---------------------------------------------------------------- organization lookups

        public Account? FindAccount(string accountId) =>
            accountId != null && Index.Accounts.TryGetValue(accountId, out var account) ? account : null;

        public OrganizationalUnit? FindOrganizationalUnit(string ouId) =>
            ouId != null && Index.OrganizationalUnits.TryGetValue(ouId, out var ou) ? ou : null;

        /// <summary>OUs directly under a root or OU id.</summary>
        public IReadOnlyList<OrganizationalUnit> GetChildOrganizationalUnits(string parentId) =>
            Index.ChildOrganizationalUnits.TryGetValue(parentId, out var children) ? children : (IReadOnlyList<OrganizationalUnit>)new OrganizationalUnit[0];

        /// <summary>Accounts directly under a root or OU id.</summary>
        public IReadOnlyList<Account> GetChildAccounts(string parentId) =>
            Index.ChildAccounts.TryGetValue(parentId, out var children) ? children : (IReadOnlyList<Account>)new Account[0];

        /// <summary>The ids from the root down to the account's direct parent (root id first), or empty for an unknown account.</summary>
        public IReadOnlyList<string> GetParentPath(string accountId) => Index.ParentPath(accountId);

        /// <summary>True when the account sits in the OU or any OU nested below it (a root id matches every account).</summary>
        public bool IsAccountUnder(string accountId, string parentId)
        {
            var path = Index.ParentPath(accountId);
            for (var i = 0; i < path.Count; i++)
                if (string.Equals(path[i], parentId, StringComparison.Ordinal)) return true;
            return false;
        }

        /// <summary>Every account in the OU (or root) and its nested OUs.</summary>
        public IReadOnlyCollection<string> GetAccountsUnder(string parentId) => Index.AccountsUnder(parentId);

        /// <summary>Accounts whose status is ACTIVE, in organization order.</summary>
        public IEnumerable<Account> ActiveAccounts() => Organization.Accounts.Where(a => a.Status == "ACTIVE");

        // ---------------------------------------------------------------- resource lookups

        public AccountRegion? FindAccountRegion(string accountId, string region)
        {
            if (!Index.AccountRegionsByAccount.TryGetValue(accountId, out var buckets)) return null;
            foreach (var bucket in buckets)
                if (string.Equals(bucket.Region, region, StringComparison.Ordinal)) return bucket;
            return null;
        }

        /// <summary>All resources of an account in a region (empty when none).</summary>
        public IReadOnlyList<WorldResource> GetResources(string accountId, string region) =>
            FindAccountRegion(accountId, region)?.Resources ?? (IReadOnlyList<WorldResource>)new WorldResource[0];

        public IEnumerable<T> GetResources<T>(string accountId, string region) where T : WorldResource =>
            GetResources(accountId, region).OfType<T>();

        public IEnumerable<WorldResource> GetResourcesOfType(string accountId, string region, string resourceType) =>
            GetResources(accountId, region).Where(r => string.Equals(r.ResourceType, resourceType, StringComparison.Ordinal));

        public IEnumerable<WorldResource> AllResources() => AccountRegions.SelectMany(b => b.Resources);

        /// <summary>Looks a resource up by its id (EC2 ids, load balancer hex ids, WAF/Shield UUIDs, distribution ids…).
        /// Name-addressed resources (classic ELBs, API stages, Network Firewall) are found by <see cref="FindByArn"/>.</summary>
        public WorldResource? FindById(string id) =>
            id != null && Index.ByKey.TryGetValue(id, out var resource) && !resource.IndexedByArn ? resource : null;

        public T? FindById<T>(string id) where T : WorldResource => FindById(id) as T;

        /// <summary>Looks a resource up by ARN in O(1).</summary>
        public WorldResource? FindByArn(string arn)
        {
            if (string.IsNullOrEmpty(arn)) return null;
            if (Index.ByKey.TryGetValue(arn, out var byArn)) return byArn;
            var slash = arn.LastIndexOf('/');
            if (slash < 0 || slash == arn.Length - 1) return null;
            var id = arn.Substring(slash + 1);
            return Index.ByKey.TryGetValue(id, out var resource) && !resource.IndexedByArn
                && string.Equals(resource.Arn, arn, StringComparison.Ordinal) ? resource : null;
        }

        /// <summary>Finds a resource by the id FMS reports for violators (EC2 id or ARN).</summary>
        public WorldResource? FindByViolatorId(string resourceId) =>
            resourceId != null && resourceId.StartsWith("arn:", StringComparison.Ordinal) ? FindByArn(resourceId) : FindById(resourceId!);

        public ShieldSubscription? FindShieldSubscription(string accountId) =>
            GetResources<ShieldSubscription>(accountId, WorldRegions.Global).FirstOrDefault();

        /// <summary>Resources in the web ACL's account (and scope) associated with it.</summary>
        public IEnumerable<WebAclProtectableResource> GetWebAclAssociations(WebAcl webAcl)
        {
            var arn = webAcl.Arn;
            return GetResources<WebAclProtectableResource>(webAcl.AccountId, webAcl.Region)
                .Where(r => string.Equals(r.WebAclArn, arn, StringComparison.Ordinal));
        }

        /// <summary>The managed rule group catalogue entry, or null.</summary>
        public ManagedRuleGroupDescriptor? FindManagedRuleGroup(string vendorName, string name) =>
            ManagedRuleGroups.FirstOrDefault(m => string.Equals(m.VendorName, vendorName, StringComparison.Ordinal)
                && string.Equals(m.Name, name, StringComparison.Ordinal));

        /// <summary>
        /// ListDiscoveredResources: resources of <paramref name="resourceType"/> in the given member accounts and region
        /// (CloudFront from us-east-1), as FMS reports them (URI is the ARN).
        /// </summary>
        public List<DiscoveredResource> ListDiscoveredResources(IEnumerable<string> memberAccountIds, string resourceType, string region)
        {
            var lookupRegion = resourceType == ResourceTypes.CloudFrontDistribution ? WorldRegions.Global : region;
            var result = new List<DiscoveredResource>();
            foreach (var accountId in memberAccountIds)
                foreach (var resource in GetResourcesOfType(accountId, lookupRegion, resourceType))
                    result.Add(new DiscoveredResource { URI = resource.Arn, AccountId = resource.AccountId, Type = resource.ResourceType, Name = resource.Name ?? resource.Id });
            return result;
        }

        // ---------------------------------------------------------------- mutation

        /// <summary>Adds a resource to its account/region (creating the bucket), indexes it and bumps the version.</summary>
        /// <exception cref="System.InvalidOperationException">Another resource already has the same id (or ARN for name-addressed resources).</exception>
        public void AddResource(WorldResource resource)
        {
            if (string.IsNullOrEmpty(resource.AccountId) || string.IsNullOrEmpty(resource.Region) || string.IsNullOrEmpty(resource.Id))
                throw new ArgumentException("A resource needs an account, a region and an id.", nameof(resource));
            var bucket = GetOrAddAccountRegion(resource.AccountId, resource.Region);
            var key = WorldIndex.KeyOf(resource);
            if (Index.ByKey.ContainsKey(key)) throw new System.InvalidOperationException("A resource with key '" + key + "' already exists.");
            Index.ByKey[key] = resource;
            bucket.Resources.Add(resource);
            MarkChanged();
        }

        /// <summary>Removes a resource; returns false when it was not in the world.</summary>
        public bool RemoveResource(WorldResource resource)
        {
            var bucket = FindAccountRegion(resource.AccountId, resource.Region);
            if (bucket == null || !bucket.Resources.Remove(resource)) return false;
            Index.ByKey.Remove(WorldIndex.KeyOf(resource));
            MarkChanged();
            return true;
        }

        /// <summary>Replaces a resource's tags (null or empty removes them all).</summary>
        public void SetTags(WorldResource resource, WorldTag[]? tags)
        {
            resource.Tags = tags == null || tags.Length == 0 ? null : tags;
            MarkChanged();
        }

        /// <summary>Adds or overwrites tags on the resource with this ARN; false when no such resource exists.</summary>
        public bool TagResource(string arn, IEnumerable<WorldTag> tags)
        {
            var resource = FindByArn(arn);
            if (resource == null) return false;
            var merged = (resource.Tags ?? new WorldTag[0]).ToList();
            foreach (var tag in tags)
            {
                merged.RemoveAll(t => string.Equals(t.Key, tag.Key, StringComparison.Ordinal));
                merged.Add(new WorldTag(tag.Key, tag.Value ?? ""));
            }
            SetTags(resource, merged.ToArray());
            return true;
        }

        /// <summary>Removes tag keys from the resource with this ARN; false when no such resource exists.</summary>
        public bool UntagResource(string arn, IEnumerable<string> tagKeys)
        {
            var resource = FindByArn(arn);
            if (resource == null) return false;
            var keys = new HashSet<string>(tagKeys, StringComparer.Ordinal);
            SetTags(resource, (resource.Tags ?? new WorldTag[0]).Where(t => !keys.Contains(t.Key)).ToArray());
            return true;
        }

        public AccountRegion GetOrAddAccountRegion(string accountId, string region)
        {
            var existing = FindAccountRegion(accountId, region);
            if (existing != null) return existing;
            var bucket = new AccountRegion { AccountId = accountId, Region = region };
            AccountRegions.Add(bucket);
            if (index != null) index.AddBucket(bucket);
            if (!Regions.Contains(region)) Regions.Add(region);
            return bucket;
        }

        // ---------------------------------------------------------------- JSON

        /// <summary>Serializer settings for worlds: nulls omitted, polymorphic resources tagged with "Kind".</summary>
        public static JsonSerializerOptions JsonOptions { get; } = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };

        public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

        /// <summary>Reads a world written by <see cref="ToJson"/>; repeated strings (account ids, regions, tags) are shared again
        /// so a reloaded world is as small in memory as a generated one.</summary>
        public static World FromJson(string json)
        {
            var world = JsonSerializer.Deserialize<World>(json, JsonOptions) ?? throw new JsonException("The world document is empty.");
            world.ShareRepeatedValues();
            return world;
        }

        /// <summary>Makes equal strings and tag arrays share one instance (after deserialization each is a separate copy).</summary>
        internal void ShareRepeatedValues()
        {
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            string Share(string value)
            {
                if (value == null) return value!;
                if (strings.TryGetValue(value, out var shared)) return shared;
                strings[value] = value;
                return value;
            }
            var tagArrays = new Dictionary<string, WorldTag[]>(StringComparer.Ordinal);
            foreach (var bucket in AccountRegions)
            {
                bucket.AccountId = Share(bucket.AccountId);
                bucket.Region = Share(bucket.Region);
                foreach (var resource in bucket.Resources)
                {
                    resource.AccountId = bucket.AccountId;
                    resource.Region = bucket.Region;
                    if (resource.Name != null) resource.Name = Share(resource.Name);
                    if (resource.Tags != null)
                    {
                        var signature = string.Join("\u0001", resource.Tags.Select(t => t.Key + "\u0002" + t.Value));
                        if (tagArrays.TryGetValue(signature, out var sharedTags)) resource.Tags = sharedTags;
                        else
                        {
                            foreach (var tag in resource.Tags)
                            {
                                tag.Key = Share(tag.Key);
                                tag.Value = Share(tag.Value);
                            }
                            tagArrays[signature] = resource.Tags;
                        }
                    }
                    switch (resource)
                    {
                        case Subnet subnet:
                            subnet.VpcId = Share(subnet.VpcId);
                            subnet.AvailabilityZone = Share(subnet.AvailabilityZone);
                            break;
                        case SecurityGroup group:
                            group.VpcId = Share(group.VpcId);
                            group.Description = Share(group.Description);
                            break;
                        case NetworkInterface eni:
                            eni.VpcId = Share(eni.VpcId);
                            eni.SubnetId = Share(eni.SubnetId);
                            for (var i = 0; i < eni.SecurityGroupIds.Length; i++) eni.SecurityGroupIds[i] = Share(eni.SecurityGroupIds[i]);
                            break;
                        case Ec2Instance instance:
                            instance.VpcId = Share(instance.VpcId);
                            instance.SubnetId = Share(instance.SubnetId);
                            instance.InstanceType = Share(instance.InstanceType);
                            instance.State = Share(instance.State);
                            break;
                    }
                }
            }
            InvalidateIndexes();
        }

        // ---------------------------------------------------------------- index

        /// <summary>Dictionaries over the organization and resources; built once, then maintained by the mutation methods.</summary>
        private sealed class WorldIndex
        {
            private readonly World world;
            private readonly Dictionary<string, IReadOnlyList<string>> parentPaths = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            private readonly Dictionary<string, HashSet<string>> accountsUnder = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

            public readonly Dictionary<string, Account> Accounts = new Dictionary<string, Account>(StringComparer.Ordinal);
            public readonly Dictionary<string, OrganizationalUnit> OrganizationalUnits = new Dictionary<string, OrganizationalUnit>(StringComparer.Ordinal);
            public readonly Dictionary<string, List<OrganizationalUnit>> ChildOrganizationalUnits = new Dictionary<string, List<OrganizationalUnit>>(StringComparer.Ordinal);
            public readonly Dictionary<string, List<Account>> ChildAccounts = new Dictionary<string, List<Account>>(StringComparer.Ordinal);
            public readonly Dictionary<string, List<AccountRegion>> AccountRegionsByAccount = new Dictionary<string, List<AccountRegion>>(StringComparer.Ordinal);
            public readonly Dictionary<string, WorldResource> ByKey;

            public WorldIndex(World world)
            {
                this.world = world;
                foreach (var ou in world.Organization.OrganizationalUnits)
                {
                    OrganizationalUnits[ou.Id] = ou;
                    if (!ChildOrganizationalUnits.TryGetValue(ou.ParentId, out var siblings))
                        ChildOrganizationalUnits[ou.ParentId] = siblings = new List<OrganizationalUnit>();
                    siblings.Add(ou);
                }
                foreach (var account in world.Organization.Accounts)
                {
                    Accounts[account.Id] = account;
                    if (!ChildAccounts.TryGetValue(account.ParentId, out var siblings))
                        ChildAccounts[account.ParentId] = siblings = new List<Account>();
                    siblings.Add(account);
                }
                var count = 0;
                foreach (var bucket in world.AccountRegions) count += bucket.Resources.Count;
                ByKey = new Dictionary<string, WorldResource>(count, StringComparer.Ordinal);
                foreach (var bucket in world.AccountRegions)
                {
                    AddBucket(bucket);
                    foreach (var resource in bucket.Resources) ByKey[KeyOf(resource)] = resource;
                }
            }

            public static string KeyOf(WorldResource resource) => resource.IndexedByArn ? resource.Arn : resource.Id;

            public void AddBucket(AccountRegion bucket)
            {
                if (!AccountRegionsByAccount.TryGetValue(bucket.AccountId, out var buckets))
                    AccountRegionsByAccount[bucket.AccountId] = buckets = new List<AccountRegion>(2);
                buckets.Add(bucket);
            }

            public IReadOnlyList<string> ParentPath(string accountId)
            {
                lock (parentPaths) return ComputeParentPath(accountId);
            }

            private IReadOnlyList<string> ComputeParentPath(string accountId)
            {
                if (parentPaths.TryGetValue(accountId, out var cached)) return cached;
                var path = new List<string>();
                if (Accounts.TryGetValue(accountId, out var account))
                {
                    var current = account.ParentId;
                    var guard = 0;
                    while (!string.IsNullOrEmpty(current) && guard++ < 64)
                    {
                        path.Add(current);
                        current = OrganizationalUnits.TryGetValue(current, out var ou) ? ou.ParentId : "";
                    }
                    path.Reverse();
                }
                parentPaths[accountId] = path;
                return path;
            }

            public IReadOnlyCollection<string> AccountsUnder(string parentId)
            {
                lock (accountsUnder) return ComputeAccountsUnder(parentId);
            }

            private IReadOnlyCollection<string> ComputeAccountsUnder(string parentId)
            {
                if (accountsUnder.TryGetValue(parentId, out var cached)) return cached;
                var result = new HashSet<string>(StringComparer.Ordinal);
                var pending = new Stack<string>();
                pending.Push(parentId);
                var visited = new HashSet<string>(StringComparer.Ordinal);
                while (pending.Count > 0)
                {
                    var current = pending.Pop();
                    if (!visited.Add(current)) continue;
                    if (ChildAccounts.TryGetValue(current, out var accounts))
                        foreach (var account in accounts) result.Add(account.Id);
                    if (ChildOrganizationalUnits.TryGetValue(current, out var ous))
                        foreach (var ou in ous) pending.Push(ou.Id);
                }
                accountsUnder[parentId] = result;
                return result;
            }
        }
    }
}
