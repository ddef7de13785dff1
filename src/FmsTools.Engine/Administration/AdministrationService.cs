using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// Apps lists, protocols lists, resource sets, the notification channel, administrators and tags.
    /// Every write validates its input first and carries the update token it read, so a concurrent change
    /// surfaces as <see cref="FmsConflictException"/> instead of being overwritten.
    /// </summary>
    public sealed class AdministrationService
    {
        /// <summary>Firewall Manager quotas (reference #44).</summary>
        public const int MaxAppsPerList = 50;
        public const int MaxProtocolsPerList = 5;
        public const int MaxResourceSetResourcesPerCall = 100;

        private readonly IFmsClient _fms;

        public AdministrationService(IFmsClient fms) { _fms = fms ?? throw new ArgumentNullException(nameof(fms)); }

        // ---- apps lists -------------------------------------------------------------------------------

        public async IAsyncEnumerable<FmsAppsList> GetAppsListsAsync(string? listId, IReadOnlyList<Wildcard>? names, bool defaultLists,
            [EnumeratorCancellation] CancellationToken ct)
        {
            if (listId != null)
            {
                yield return await GetAppsListAsync(listId, defaultLists, ct).ConfigureAwait(false);
                yield break;
            }
            var request = new ListAppsListsRequest { MaxResults = 100, DefaultLists = defaultLists ? true : (bool?)null };
            await foreach (var summary in _fms.ListAppsListsItemsAsync(request, ct).ConfigureAwait(false))
            {
                if (!Wildcard.MatchesAny(summary.ListName, names) || summary.ListId == null) continue;
                yield return await GetAppsListAsync(summary.ListId, defaultLists, ct).ConfigureAwait(false);
            }
        }

        public async Task<FmsAppsList> GetAppsListAsync(string listId, bool defaultList, CancellationToken ct)
        {
            var response = await _fms.GetAppsListAsync(new GetAppsListRequest { ListId = listId, DefaultList = defaultList ? true : (bool?)null }, ct).ConfigureAwait(false);
            return ToAppsList(response.AppsList!, response.AppsListArn, defaultList);
        }

        public static void ValidateAppsList(FmsAppsList list)
        {
            var findings = new List<InputFinding>();
            InputRules.Name(findings, "AppsList.Name", list.Name);
            if (list.ListId != null) InputRules.ListId(findings, "AppsList.ListId", list.ListId);
            if (list.Apps.Count > MaxAppsPerList)
                findings.Add(new InputFinding("AppsList.Apps", "AppsList.Quota", $"AppsList.Apps has {list.Apps.Count} apps; an apps list holds at most {MaxAppsPerList}."));
            for (var i = 0; i < list.Apps.Count; i++)
            {
                var app = list.Apps[i];
                InputRules.Name(findings, $"AppsList.Apps[{i}].Name", app.Name);
                InputRules.Protocol(findings, $"AppsList.Apps[{i}].Protocol", app.Protocol);
                InputRules.AppPort(findings, $"AppsList.Apps[{i}].Port", app.Protocol, app.Port);
            }
            var duplicates = list.Apps.GroupBy(a => (a.Name.ToLowerInvariant(), a.Protocol.ToLowerInvariant(), a.Port)).Where(g => g.Count() > 1).Select(g => g.First());
            foreach (var d in duplicates)
                findings.Add(new InputFinding("AppsList.Apps", "AppsList.Duplicate", $"AppsList.Apps lists {d} more than once."));
            InputRules.ThrowIfAny(findings);
        }

        /// <summary>Creates (no ListId) or updates the list; returns the stored version.</summary>
        public async Task<FmsAppsList> PutAppsListAsync(FmsAppsList list, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
        {
            ValidateAppsList(list);
            var data = new AppsListData
            {
                ListId = list.ListId,
                ListName = list.Name,
                ListUpdateToken = list.UpdateToken,
                AppsList = list.Apps.Select(a => new App { AppName = a.Name, Protocol = a.Protocol, Port = a.Port }).ToList(),
            };
            try
            {
                var response = await _fms.PutAppsListAsync(new PutAppsListRequest { AppsList = data, TagList = ToTags(tags) }, ct).ConfigureAwait(false);
                return ToAppsList(response.AppsList!, response.AppsListArn, false);
            }
            catch (AwsServiceException e) when (list.ListId != null && IsPossibleConflict(e))
            {
                var current = await GetAppsListAsync(list.ListId, false, ct).ConfigureAwait(false);
                if (current.UpdateToken != list.UpdateToken)
                    throw new FmsConflictException($"apps list '{list.Name}' ({list.ListId})", list.UpdateToken, current.UpdateToken, list, current,
                        $"Current apps: {current.AppSummary}.");
                throw;
            }
        }

        public Task DeleteAppsListAsync(string listId, CancellationToken ct)
            => _fms.DeleteAppsListAsync(new DeleteAppsListRequest { ListId = listId }, ct);

        private static FmsAppsList ToAppsList(AppsListData data, string? arn, bool managed) => new FmsAppsList
        {
            ListId = data.ListId,
            Name = data.ListName ?? "",
            Arn = arn,
            Apps = (data.AppsList ?? new List<App>()).Select(a => new FmsApp(a.AppName ?? "", a.Protocol ?? "", a.Port ?? 0)).ToList(),
            PreviousApps = (data.PreviousAppsList ?? new Dictionary<string, List<App>>())
                .ToDictionary(p => p.Key, p => p.Value.Select(a => new FmsApp(a.AppName ?? "", a.Protocol ?? "", a.Port ?? 0)).ToList()),
            UpdateToken = data.ListUpdateToken,
            CreatedTime = data.CreateTime,
            LastUpdatedTime = data.LastUpdateTime,
            IsManaged = managed,
        };

        // ---- protocols lists --------------------------------------------------------------------------

        public async IAsyncEnumerable<FmsProtocolsList> GetProtocolsListsAsync(string? listId, IReadOnlyList<Wildcard>? names, bool defaultLists,
            [EnumeratorCancellation] CancellationToken ct)
        {
            if (listId != null)
            {
                yield return await GetProtocolsListAsync(listId, defaultLists, ct).ConfigureAwait(false);
                yield break;
            }
            var request = new ListProtocolsListsRequest { MaxResults = 100, DefaultLists = defaultLists ? true : (bool?)null };
            await foreach (var summary in _fms.ListProtocolsListsItemsAsync(request, ct).ConfigureAwait(false))
            {
                if (!Wildcard.MatchesAny(summary.ListName, names) || summary.ListId == null) continue;
                yield return await GetProtocolsListAsync(summary.ListId, defaultLists, ct).ConfigureAwait(false);
            }
        }

        public async Task<FmsProtocolsList> GetProtocolsListAsync(string listId, bool defaultList, CancellationToken ct)
        {
            var response = await _fms.GetProtocolsListAsync(new GetProtocolsListRequest { ListId = listId, DefaultList = defaultList ? true : (bool?)null }, ct).ConfigureAwait(false);
            return ToProtocolsList(response.ProtocolsList!, response.ProtocolsListArn, defaultList);
        }

        public static void ValidateProtocolsList(FmsProtocolsList list)
        {
            var findings = new List<InputFinding>();
            InputRules.Name(findings, "ProtocolsList.Name", list.Name);
            if (list.ListId != null) InputRules.ListId(findings, "ProtocolsList.ListId", list.ListId);
            if (list.Protocols.Count == 0)
                findings.Add(new InputFinding("ProtocolsList.Protocols", "ProtocolsList.Empty", "ProtocolsList.Protocols needs at least one protocol."));
            if (list.Protocols.Count > MaxProtocolsPerList)
                findings.Add(new InputFinding("ProtocolsList.Protocols", "ProtocolsList.Quota", $"ProtocolsList.Protocols has {list.Protocols.Count} protocols; a protocols list holds at most {MaxProtocolsPerList}."));
            for (var i = 0; i < list.Protocols.Count; i++)
                InputRules.Protocol(findings, $"ProtocolsList.Protocols[{i}]", list.Protocols[i]);
            InputRules.ThrowIfAny(findings);
        }

        public async Task<FmsProtocolsList> PutProtocolsListAsync(FmsProtocolsList list, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
        {
            ValidateProtocolsList(list);
            var data = new ProtocolsListData
            {
                ListId = list.ListId,
                ListName = list.Name,
                ListUpdateToken = list.UpdateToken,
                ProtocolsList = list.Protocols.ToList(),
            };
            try
            {
                var response = await _fms.PutProtocolsListAsync(new PutProtocolsListRequest { ProtocolsList = data, TagList = ToTags(tags) }, ct).ConfigureAwait(false);
                return ToProtocolsList(response.ProtocolsList!, response.ProtocolsListArn, false);
            }
            catch (AwsServiceException e) when (list.ListId != null && IsPossibleConflict(e))
            {
                var current = await GetProtocolsListAsync(list.ListId, false, ct).ConfigureAwait(false);
                if (current.UpdateToken != list.UpdateToken)
                    throw new FmsConflictException($"protocols list '{list.Name}' ({list.ListId})", list.UpdateToken, current.UpdateToken, list, current,
                        $"Current protocols: {current.ProtocolSummary}.");
                throw;
            }
        }

        public Task DeleteProtocolsListAsync(string listId, CancellationToken ct)
            => _fms.DeleteProtocolsListAsync(new DeleteProtocolsListRequest { ListId = listId }, ct);

        private static FmsProtocolsList ToProtocolsList(ProtocolsListData data, string? arn, bool managed) => new FmsProtocolsList
        {
            ListId = data.ListId,
            Name = data.ListName ?? "",
            Arn = arn,
            Protocols = data.ProtocolsList ?? new List<string>(),
            PreviousProtocols = data.PreviousProtocolsList ?? new Dictionary<string, List<string>>(),
            UpdateToken = data.ListUpdateToken,
            CreatedTime = data.CreateTime,
            LastUpdatedTime = data.LastUpdateTime,
            IsManaged = managed,
        };

        // ---- resource sets ----------------------------------------------------------------------------

        public async IAsyncEnumerable<FmsResourceSet> GetResourceSetsAsync(string? id, IReadOnlyList<Wildcard>? names,
            [EnumeratorCancellation] CancellationToken ct)
        {
            if (id != null)
            {
                yield return await GetResourceSetAsync(id, ct).ConfigureAwait(false);
                yield break;
            }
            await foreach (var summary in _fms.ListResourceSetsItemsAsync(new ListResourceSetsRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (!Wildcard.MatchesAny(summary.Name, names) || summary.Id == null) continue;
                yield return await GetResourceSetAsync(summary.Id, ct).ConfigureAwait(false);
            }
        }

        public async Task<FmsResourceSet> GetResourceSetAsync(string id, CancellationToken ct)
        {
            var response = await _fms.GetResourceSetAsync(new GetResourceSetRequest { Identifier = id }, ct).ConfigureAwait(false);
            return ToResourceSet(response.ResourceSet!, response.ResourceSetArn);
        }

        public static void ValidateResourceSet(FmsResourceSet set)
        {
            var findings = new List<InputFinding>();
            InputRules.Name(findings, "ResourceSet.Name", set.Name);
            if (set.Id != null) InputRules.ResourceSetId(findings, "ResourceSet.Id", set.Id);
            if (set.Description != null) InputRules.Name(findings, "ResourceSet.Description", set.Description, max: 256, required: false);
            if (set.ResourceTypes.Count == 0)
                findings.Add(new InputFinding("ResourceSet.ResourceTypes", "ResourceSet.ResourceTypesRequired", "ResourceSet.ResourceTypes needs at least one resource type (e.g. AWS::EC2::VPC)."));
            for (var i = 0; i < set.ResourceTypes.Count; i++)
                InputRules.ResourceSetType(findings, $"ResourceSet.ResourceTypes[{i}]", set.ResourceTypes[i]);
            InputRules.ThrowIfAny(findings);
        }

        public async Task<FmsResourceSet> PutResourceSetAsync(FmsResourceSet set, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
        {
            ValidateResourceSet(set);
            var wire = new ResourceSet
            {
                Id = set.Id,
                Name = set.Name,
                Description = set.Description,
                ResourceTypeList = set.ResourceTypes.ToList(),
                UpdateToken = set.UpdateToken,
            };
            try
            {
                var response = await _fms.PutResourceSetAsync(new PutResourceSetRequest { ResourceSet = wire, TagList = ToTags(tags) }, ct).ConfigureAwait(false);
                return ToResourceSet(response.ResourceSet!, response.ResourceSetArn);
            }
            catch (AwsServiceException e) when (set.Id != null && set.UpdateToken != null && IsPossibleConflict(e))
            {
                var current = await GetResourceSetAsync(set.Id, ct).ConfigureAwait(false);
                if (current.UpdateToken != set.UpdateToken)
                    throw new FmsConflictException($"resource set '{set.Name}' ({set.Id})", set.UpdateToken, current.UpdateToken, set, current,
                        $"Current resource types: {current.ResourceTypeSummary}.");
                throw;
            }
        }

        public Task DeleteResourceSetAsync(string id, CancellationToken ct)
            => _fms.DeleteResourceSetAsync(new DeleteResourceSetRequest { Identifier = id }, ct);

        public async IAsyncEnumerable<FmsResourceSetResource> GetResourceSetResourcesAsync(string id, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var r in _fms.ListResourceSetResourcesItemsAsync(new ListResourceSetResourcesRequest { Identifier = id, MaxResults = 100 }, ct).ConfigureAwait(false))
                yield return new FmsResourceSetResource { ResourceSetId = id, Uri = r.URI ?? "", AccountId = r.AccountId };
        }

        /// <summary>Associates (or disassociates) resources in batches of 100; one result per resource.</summary>
        public async IAsyncEnumerable<FmsResourceSetChange> ChangeResourceSetResourcesAsync(string id, IReadOnlyList<string> uris, bool associate,
            [EnumeratorCancellation] CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.ResourceSetId(findings, "ResourceSetId", id);
            for (var i = 0; i < uris.Count; i++)
                InputRules.ResourceUri(findings, $"Uri[{i}]", uris[i]);
            InputRules.ThrowIfAny(findings);
            for (var start = 0; start < uris.Count; start += MaxResourceSetResourcesPerCall)
            {
                var batch = uris.Skip(start).Take(MaxResourceSetResourcesPerCall).ToList();
                List<FailedItem> failed;
                if (associate)
                    failed = (await _fms.BatchAssociateResourceAsync(new BatchAssociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, ct).ConfigureAwait(false)).FailedItems ?? new List<FailedItem>();
                else
                    failed = (await _fms.BatchDisassociateResourceAsync(new BatchDisassociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, ct).ConfigureAwait(false)).FailedItems ?? new List<FailedItem>();
                var failures = failed.Where(f => f.URI != null).GroupBy(f => f.URI!).ToDictionary(g => g.Key, g => g.First().Reason);
                foreach (var uri in batch)
                {
                    failures.TryGetValue(uri, out var reason);
                    yield return new FmsResourceSetChange
                    {
                        ResourceSetId = id,
                        Uri = uri,
                        Action = associate ? "Associate" : "Disassociate",
                        Succeeded = !failures.ContainsKey(uri),
                        FailureReason = reason,
                    };
                }
            }
        }

        private static FmsResourceSet ToResourceSet(ResourceSet set, string? arn) => new FmsResourceSet
        {
            Id = set.Id,
            Name = set.Name ?? "",
            Description = set.Description,
            Arn = arn,
            ResourceTypes = set.ResourceTypeList ?? new List<string>(),
            Status = set.ResourceSetStatus,
            UpdateToken = set.UpdateToken,
            LastUpdatedTime = set.LastUpdateTime,
        };

        // ---- notification channel --------------------------------------------------------------------

        public async Task<FmsNotificationChannel> GetNotificationChannelAsync(CancellationToken ct)
        {
            var r = await _fms.GetNotificationChannelAsync(new GetNotificationChannelRequest(), ct).ConfigureAwait(false);
            return new FmsNotificationChannel { SnsTopicArn = r.SnsTopicArn, SnsRoleName = r.SnsRoleName };
        }

        public async Task<FmsNotificationChannel> SetNotificationChannelAsync(string snsTopicArn, string snsRoleArn, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.NotificationChannel(findings, snsTopicArn, snsRoleArn);
            InputRules.ThrowIfAny(findings);
            await _fms.PutNotificationChannelAsync(new PutNotificationChannelRequest { SnsTopicArn = snsTopicArn, SnsRoleName = snsRoleArn }, ct).ConfigureAwait(false);
            return await GetNotificationChannelAsync(ct).ConfigureAwait(false);
        }

        public Task DeleteNotificationChannelAsync(CancellationToken ct)
            => _fms.DeleteNotificationChannelAsync(new DeleteNotificationChannelRequest(), ct);

        // ---- administrators ---------------------------------------------------------------------------

        /// <summary>The default administrator (GetAdminAccount); null when none is associated.</summary>
        public async Task<FmsAdminAccount?> GetDefaultAdminAsync(CancellationToken ct)
        {
            try
            {
                var r = await _fms.GetAdminAccountAsync(new GetAdminAccountRequest(), ct).ConfigureAwait(false);
                return new FmsAdminAccount { AccountId = r.AdminAccount ?? "", Status = r.RoleStatus, IsDefaultAdmin = true };
            }
            catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
            {
                return null;
            }
        }

        /// <summary>Every administrator of the organization with its scope (management account only).</summary>
        public async IAsyncEnumerable<FmsAdminAccount> GetAdminAccountsAsync(bool includeScope, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var a in _fms.ListAdminAccountsForOrganizationItemsAsync(new ListAdminAccountsForOrganizationRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                var admin = new FmsAdminAccount { AccountId = a.AdminAccount ?? "", Status = a.Status, IsDefaultAdmin = a.DefaultAdmin ?? false };
                if (includeScope && a.AdminAccount != null)
                    admin.Scope = await GetAdminScopeAsync(a.AdminAccount, ct).ConfigureAwait(false);
                yield return admin;
            }
        }

        public async Task<FmsAdminScope?> GetAdminScopeAsync(string adminAccountId, CancellationToken ct)
        {
            var r = await _fms.GetAdminScopeAsync(new GetAdminScopeRequest { AdminAccount = adminAccountId }, ct).ConfigureAwait(false);
            return r.AdminScope == null ? null : ToScope(r.AdminScope);
        }

        /// <summary>Makes <paramref name="accountId"/> an administrator: the default one (no scope) or a scoped one.</summary>
        public async Task<FmsAdminAccount> SetAdminAccountAsync(string accountId, FmsAdminScope? scope, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.AccountId(findings, "AdminAccount", accountId);
            if (scope != null)
            {
                for (var i = 0; i < scope.Accounts.Count; i++) InputRules.AccountId(findings, $"AdminScope.Accounts[{i}]", scope.Accounts[i]);
                for (var i = 0; i < scope.OrganizationalUnits.Count; i++) InputRules.OrganizationalUnitId(findings, $"AdminScope.OrganizationalUnits[{i}]", scope.OrganizationalUnits[i]);
                foreach (var t in scope.PolicyTypes.Where(t => !SecurityServiceTypeValues.All.Contains(t)))
                    findings.Add(new InputFinding("AdminScope.PolicyTypes", "PolicyType.Unknown", $"AdminScope.PolicyTypes '{t}' is not a policy type ({string.Join(", ", SecurityServiceTypeValues.All)})."));
            }
            InputRules.ThrowIfAny(findings);
            if (scope == null)
            {
                await _fms.AssociateAdminAccountAsync(new AssociateAdminAccountRequest { AdminAccount = accountId }, ct).ConfigureAwait(false);
                return await GetDefaultAdminAsync(ct).ConfigureAwait(false) ?? new FmsAdminAccount { AccountId = accountId, IsDefaultAdmin = true };
            }
            await _fms.PutAdminAccountAsync(new PutAdminAccountRequest { AdminAccount = accountId, AdminScope = ToWire(scope) }, ct).ConfigureAwait(false);
            return new FmsAdminAccount { AccountId = accountId, Scope = await GetAdminScopeAsync(accountId, ct).ConfigureAwait(false) };
        }

        /// <summary>Removes the default administrator. FMS deletes the policies that administrator created.</summary>
        public Task RemoveDefaultAdminAsync(CancellationToken ct)
            => _fms.DisassociateAdminAccountAsync(new DisassociateAdminAccountRequest(), ct);

        private static FmsAdminScope ToScope(AdminScope s) => new FmsAdminScope
        {
            AllAccounts = s.AccountScope?.AllAccountsEnabled ?? true,
            ExcludeSpecifiedAccounts = s.AccountScope?.ExcludeSpecifiedAccounts ?? false,
            Accounts = s.AccountScope?.Accounts ?? new List<string>(),
            AllOrganizationalUnits = s.OrganizationalUnitScope?.AllOrganizationalUnitsEnabled ?? true,
            ExcludeSpecifiedOrganizationalUnits = s.OrganizationalUnitScope?.ExcludeSpecifiedOrganizationalUnits ?? false,
            OrganizationalUnits = s.OrganizationalUnitScope?.OrganizationalUnits ?? new List<string>(),
            AllRegions = s.RegionScope?.AllRegionsEnabled ?? true,
            Regions = s.RegionScope?.Regions ?? new List<string>(),
            AllPolicyTypes = s.PolicyTypeScope?.AllPolicyTypesEnabled ?? true,
            PolicyTypes = s.PolicyTypeScope?.PolicyTypes ?? new List<string>(),
        };

        private static AdminScope ToWire(FmsAdminScope s) => new AdminScope
        {
            AccountScope = new AccountScope { AllAccountsEnabled = s.AllAccounts, ExcludeSpecifiedAccounts = s.ExcludeSpecifiedAccounts, Accounts = s.Accounts.ToList() },
            OrganizationalUnitScope = new OrganizationalUnitScope
            {
                AllOrganizationalUnitsEnabled = s.AllOrganizationalUnits,
                ExcludeSpecifiedOrganizationalUnits = s.ExcludeSpecifiedOrganizationalUnits,
                OrganizationalUnits = s.OrganizationalUnits.ToList(),
            },
            RegionScope = new RegionScope { AllRegionsEnabled = s.AllRegions, Regions = s.Regions.ToList() },
            PolicyTypeScope = new PolicyTypeScope { AllPolicyTypesEnabled = s.AllPolicyTypes, PolicyTypes = s.PolicyTypes.ToList() },
        };

        // ---- tags -------------------------------------------------------------------------------------

        public async IAsyncEnumerable<FmsTag> GetTagsAsync(string resourceArn, [EnumeratorCancellation] CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            InputRules.ThrowIfAny(findings);
            var r = await _fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = resourceArn }, ct).ConfigureAwait(false);
            foreach (var t in (r.TagList ?? new List<Tag>()).OrderBy(t => t.Key, StringComparer.Ordinal))
                yield return new FmsTag { ResourceArn = resourceArn, Key = t.Key ?? "", Value = t.Value ?? "" };
        }

        public async Task SetTagsAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            if (tags.Count == 0) findings.Add(new InputFinding("Tag", "Tag.Required", "Tag needs at least one key."));
            if (tags.Count > 200) findings.Add(new InputFinding("Tag", "Tag.Quota", $"Tag has {tags.Count} entries; at most 200 can be set in one call."));
            foreach (var t in tags) InputRules.Tag(findings, $"Tag[{t.Key}]", t.Key, t.Value);
            InputRules.ThrowIfAny(findings);
            await _fms.TagResourceAsync(new TagResourceRequest { ResourceArn = resourceArn, TagList = ToTags(tags)! }, ct).ConfigureAwait(false);
        }

        public async Task RemoveTagsAsync(string resourceArn, IReadOnlyList<string> keys, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            if (keys.Count == 0) findings.Add(new InputFinding("Key", "Tag.Required", "Key needs at least one tag key."));
            InputRules.ThrowIfAny(findings);
            await _fms.UntagResourceAsync(new UntagResourceRequest { ResourceArn = resourceArn, TagKeys = keys.ToList() }, ct).ConfigureAwait(false);
        }

        private static List<Tag>? ToTags(IReadOnlyDictionary<string, string>? tags)
        {
            if (tags == null || tags.Count == 0) return null;
            var findings = new List<InputFinding>();
            foreach (var t in tags) InputRules.Tag(findings, $"Tag[{t.Key}]", t.Key, t.Value);
            InputRules.ThrowIfAny(findings);
            return tags.Select(t => new Tag { Key = t.Key, Value = t.Value ?? "" }).ToList();
        }

        /// <summary>Errors a stale update token may come back as; the caller re-reads to tell a conflict from other failures.</summary>
        private static bool IsPossibleConflict(AwsServiceException e)
            => e.ErrorCode == "InvalidOperationException" || e.ErrorCode == "InvalidInputException" || e.ErrorCode == "OptimisticLockException"
               || e.ErrorCode == "ConflictException";
    }
}
