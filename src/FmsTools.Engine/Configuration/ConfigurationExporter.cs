using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Engine.Configuration
{
    /// <summary>
    /// Reads a Region's Firewall Manager configuration as configuration objects: policies (in full, with tags; resource
    /// set ids replaced by the sets' names), custom apps and protocols lists (FMS-managed defaults are not configuration),
    /// resource sets with their resources, tags, and the notification channel. Administrators are read once for the
    /// organization by <see cref="ReadAdminAccountsAsync"/>.
    /// </summary>
    public sealed class ConfigurationExporter
    {
        private readonly PolicyService _policies;
        private readonly AdministrationContext _context;
        private readonly string _region;

        public ConfigurationExporter(PolicyService policies, AdministrationContext context, string region)
        {
            _policies = policies ?? throw new ArgumentNullException(nameof(policies));
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _region = region ?? throw new ArgumentNullException(nameof(region));
        }

        /// <summary>Findings met while reading (a policy naming a resource set that no longer exists), as warnings.</summary>
        public List<string> Warnings { get; } = new List<string>();

        /// <summary>The live resource sets of the Region by name (read whenever policies or resource sets are), for resolving names to ids.</summary>
        public Dictionary<string, string> ResourceSetIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public async Task<List<FmsConfigurationItem>> ReadRegionAsync(IReadOnlyCollection<ConfigurationKind> kinds, CancellationToken ct)
        {
            var items = new List<FmsConfigurationItem>();
            var tags = new TagService(_context);
            var resourceSetNames = new Dictionary<string, string>(StringComparer.Ordinal);
            var needSets = kinds.Contains(ConfigurationKind.ResourceSet) || kinds.Contains(ConfigurationKind.Policy);
            if (needSets)
            {
                var service = new ResourceSetService(_context);
                await foreach (var set in service.GetResourceSetsAsync(null, null, ct).ConfigureAwait(false))
                {
                    if (set.Id != null) resourceSetNames[set.Id] = set.Name;
                    if (set.Id != null) ResourceSetIds[set.Name] = set.Id;
                    if (!kinds.Contains(ConfigurationKind.ResourceSet)) continue;
                    var item = new FmsConfigurationItem { KindValue = ConfigurationKind.ResourceSet, Region = _region, Name = set.Name, ResourceSet = Unbound(set), Id = set.Id, Deployed = set };
                    Keep(set.AdditionalFields, item.AdditionalFields);
                    await foreach (var r in service.GetResourcesAsync(set.Id!, ct).ConfigureAwait(false))
                    {
                        item.Resources.Add(r.Uri);
                        if (r.AdditionalFields.Count > 0) item.ResourceAdditionalFields[r.Uri] = r.AdditionalFields;
                    }
                    item.Resources.Sort(StringComparer.Ordinal);
                    item.Tags = await TagsAsync(tags, set.Arn, ct).ConfigureAwait(false);
                    items.Add(item);
                }
            }
            if (kinds.Contains(ConfigurationKind.AppsList))
            {
                var service = new FmsListService<FmsAppsList, FmsApp>(_context, FmsListKinds.Apps);
                await foreach (var list in service.GetListsAsync(null, null, false, ct).ConfigureAwait(false))
                {
                    if (list.IsManaged) continue;
                    var copy = new FmsAppsList { Name = list.Name, Region = _region, Apps = list.Apps.ToList() };
                    var item = new FmsConfigurationItem
                    {
                        KindValue = ConfigurationKind.AppsList, Region = _region, Name = list.Name, AppsList = copy, Id = list.ListId, Deployed = list,
                        Tags = await TagsAsync(tags, list.Arn, ct).ConfigureAwait(false),
                    };
                    Keep(list.AdditionalFields, item.AdditionalFields);
                    items.Add(item);
                }
            }
            if (kinds.Contains(ConfigurationKind.ProtocolsList))
            {
                var service = new FmsListService<FmsProtocolsList, string>(_context, FmsListKinds.Protocols);
                await foreach (var list in service.GetListsAsync(null, null, false, ct).ConfigureAwait(false))
                {
                    if (list.IsManaged) continue;
                    var copy = new FmsProtocolsList { Name = list.Name, Region = _region, Protocols = list.Protocols.ToList() };
                    var item = new FmsConfigurationItem
                    {
                        KindValue = ConfigurationKind.ProtocolsList, Region = _region, Name = list.Name, ProtocolsList = copy, Id = list.ListId, Deployed = list,
                        Tags = await TagsAsync(tags, list.Arn, ct).ConfigureAwait(false),
                    };
                    Keep(list.AdditionalFields, item.AdditionalFields);
                    items.Add(item);
                }
            }
            if (kinds.Contains(ConfigurationKind.NotificationChannel))
            {
                var channel = await new NotificationChannelService(_context).GetNotificationChannelAsync(ct).ConfigureAwait(false);
                if (channel.IsConfigured)
                {
                    var item = new FmsConfigurationItem { KindValue = ConfigurationKind.NotificationChannel, Region = _region, Name = _region, NotificationChannel = channel, Deployed = channel };
                    Keep(channel.AdditionalFields, item.AdditionalFields);
                    items.Add(item);
                }
            }
            if (kinds.Contains(ConfigurationKind.Policy))
            {
                foreach (var policy in await _policies.GetAllDetailedAsync(ct).ConfigureAwait(false))
                    items.Add(PolicyItem(policy, resourceSetNames));
            }
            return items;
        }

        private FmsConfigurationItem PolicyItem(FmsPolicy policy, IReadOnlyDictionary<string, string> resourceSetNames)
        {
            var copy = policy.Clone();
            copy.PolicyId = null;
            copy.Region = _region;
            var names = new List<string>();
            foreach (var id in copy.Scope?.ResourceSetIds ?? new List<string>())
            {
                if (resourceSetNames.TryGetValue(id, out var name)) names.Add(name);
                else
                {
                    // Kept as the id so nothing is silently dropped; Test-FmsConfiguration reports it as a broken reference.
                    names.Add(id);
                    Warnings.Add($"Policy '{policy.Name}' in {_region} is scoped to resource set '{id}', which does not exist; the file keeps the id.");
                }
            }
            if (copy.Scope != null) copy.Scope.ResourceSetIds = new List<string>();
            return new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.Policy, Region = _region, Name = policy.Name, Policy = copy, ResourceSetNames = names, Id = policy.PolicyId, Deployed = policy,
                Tags = policy.Tags == null ? new Dictionary<string, string>() : new Dictionary<string, string>(policy.Tags),
            };
        }

        /// <summary>The answer's fields this version does not know go into the file (Export writes what the service returns).</summary>
        private static void Keep(IDictionary<string, System.Text.Json.Nodes.JsonNode?> answer, IDictionary<string, System.Text.Json.Nodes.JsonNode?> file)
        {
            foreach (var pair in answer) file[pair.Key] = pair.Value?.DeepClone();
        }

        private static FmsResourceSet Unbound(FmsResourceSet set) => new FmsResourceSet
        {
            Name = set.Name,
            Description = set.Description,
            Region = set.Region,
            ResourceTypes = set.ResourceTypes.ToList(),
        };

        private static async Task<Dictionary<string, string>> TagsAsync(TagService tags, string? arn, CancellationToken ct)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (string.IsNullOrEmpty(arn)) return result;
            await foreach (var tag in tags.GetTagsAsync(arn!, ct).ConfigureAwait(false)) result[tag.Key] = tag.Value;
            return result;
        }

        /// <summary>Every administrator with its scope (the management account may list them); null when this account may not.</summary>
        public static async Task<List<FmsConfigurationItem>> ReadAdminAccountsAsync(AdministrationContext context, CancellationToken ct)
        {
            var items = new List<FmsConfigurationItem>();
            await foreach (var admin in new AdminAccountService(context).GetAdminAccountsAsync(includeScope: true, ct).ConfigureAwait(false))
            {
                var copy = new FmsAdminAccount { AccountId = admin.AccountId, IsDefaultAdmin = admin.IsDefaultAdmin, Scope = admin.Scope };
                var item = new FmsConfigurationItem { KindValue = ConfigurationKind.AdminAccount, Name = admin.AccountId, AdminAccount = copy, Id = admin.AccountId, Deployed = admin };
                Keep(admin.AdditionalFields, item.AdditionalFields);
                items.Add(item);
            }
            return items;
        }
    }
}
