using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.History;

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

        public AdministrationService(IFmsClient fms, string? region = null)
        {
            _fms = fms ?? throw new ArgumentNullException(nameof(fms));
            Region = region;
        }

        /// <summary>The region the client calls; stamped on journal entries.</summary>
        public string? Region { get; }

        /// <summary>
        /// Where every state-changing call this service sends is recorded with the state before and after and its outcome
        /// (null records nothing). The state before is read just before the call, unless the caller passes the state it has
        /// just read itself (the Remove- cmdlets read it for their prompt); only calls actually sent are recorded.
        /// </summary>
        public IChangeJournal? Journal { get; set; }

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
            var tagList = ToTags(tags);
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.AppsList,
                Operation = list.ListId == null ? ChangeOperations.CreateAppsList : ChangeOperations.UpdateAppsList,
                TargetId = list.ListId,
                TargetName = list.Name,
                BeforeDocument = list.ListId == null ? null : ChangeDocuments.Write(await BeforeAsync(c => GetAppsListAsync(list.ListId, false, c), ct).ConfigureAwait(false)),
                AfterDocument = ChangeDocuments.Write(list, tags),
            };
            try
            {
                var response = await SendAsync(change, c => _fms.PutAppsListAsync(new PutAppsListRequest { AppsList = data, TagList = tagList }, c), ct).ConfigureAwait(false);
                var stored = ToAppsList(response.AppsList!, response.AppsListArn, false);
                await CompletedAsync(change, stored.ListId, stored.Name, ChangeDocuments.Write(stored, tags), ct).ConfigureAwait(false);
                return stored;
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

        public Task DeleteAppsListAsync(string listId, CancellationToken ct) => DeleteAppsListAsync(listId, null, ct);

        /// <summary>With <c>current</c>, the list as the caller has just read it (what the user confirmed deleting): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteAppsListAsync(string listId, FmsAppsList? current, CancellationToken ct)
        {
            ChangeRecord? change = null;
            if (Journal != null)
            {
                var before = current ?? await BeforeAsync(c => GetAppsListAsync(listId, false, c), ct).ConfigureAwait(false);
                change = new ChangeRecord
                {
                    TargetType = ChangeTargetType.AppsList, Operation = ChangeOperations.DeleteAppsList, TargetId = listId, TargetName = before?.Name,
                    BeforeDocument = ChangeDocuments.Write(before),
                };
            }
            await SendAsync(change, c => _fms.DeleteAppsListAsync(new DeleteAppsListRequest { ListId = listId }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, listId, change?.TargetName, null, ct).ConfigureAwait(false);
        }

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
            var tagList = ToTags(tags);
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.ProtocolsList,
                Operation = list.ListId == null ? ChangeOperations.CreateProtocolsList : ChangeOperations.UpdateProtocolsList,
                TargetId = list.ListId,
                TargetName = list.Name,
                BeforeDocument = list.ListId == null ? null : ChangeDocuments.Write(await BeforeAsync(c => GetProtocolsListAsync(list.ListId, false, c), ct).ConfigureAwait(false)),
                AfterDocument = ChangeDocuments.Write(list, tags),
            };
            try
            {
                var response = await SendAsync(change, c => _fms.PutProtocolsListAsync(new PutProtocolsListRequest { ProtocolsList = data, TagList = tagList }, c), ct).ConfigureAwait(false);
                var stored = ToProtocolsList(response.ProtocolsList!, response.ProtocolsListArn, false);
                await CompletedAsync(change, stored.ListId, stored.Name, ChangeDocuments.Write(stored, tags), ct).ConfigureAwait(false);
                return stored;
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

        public Task DeleteProtocolsListAsync(string listId, CancellationToken ct) => DeleteProtocolsListAsync(listId, null, ct);

        /// <summary>With <c>current</c>, the list as the caller has just read it (what the user confirmed deleting): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteProtocolsListAsync(string listId, FmsProtocolsList? current, CancellationToken ct)
        {
            ChangeRecord? change = null;
            if (Journal != null)
            {
                var before = current ?? await BeforeAsync(c => GetProtocolsListAsync(listId, false, c), ct).ConfigureAwait(false);
                change = new ChangeRecord
                {
                    TargetType = ChangeTargetType.ProtocolsList, Operation = ChangeOperations.DeleteProtocolsList, TargetId = listId, TargetName = before?.Name,
                    BeforeDocument = ChangeDocuments.Write(before),
                };
            }
            await SendAsync(change, c => _fms.DeleteProtocolsListAsync(new DeleteProtocolsListRequest { ListId = listId }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, listId, change?.TargetName, null, ct).ConfigureAwait(false);
        }

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
            var tagList = ToTags(tags);
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.ResourceSet,
                Operation = set.Id == null ? ChangeOperations.CreateResourceSet : ChangeOperations.UpdateResourceSet,
                TargetId = set.Id,
                TargetName = set.Name,
                BeforeDocument = set.Id == null ? null : ChangeDocuments.Write(await BeforeAsync(c => GetResourceSetAsync(set.Id, c), ct).ConfigureAwait(false)),
                AfterDocument = ChangeDocuments.Write(set, tags),
            };
            try
            {
                var response = await SendAsync(change, c => _fms.PutResourceSetAsync(new PutResourceSetRequest { ResourceSet = wire, TagList = tagList }, c), ct).ConfigureAwait(false);
                var stored = ToResourceSet(response.ResourceSet!, response.ResourceSetArn);
                await CompletedAsync(change, stored.Id, stored.Name, ChangeDocuments.Write(stored, tags), ct).ConfigureAwait(false);
                return stored;
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

        public Task DeleteResourceSetAsync(string id, CancellationToken ct) => DeleteResourceSetAsync(id, null, ct);

        /// <summary>With <c>current</c>, the set as the caller has just read it (what the user confirmed deleting): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteResourceSetAsync(string id, FmsResourceSet? current, CancellationToken ct)
        {
            ChangeRecord? change = null;
            if (Journal != null)
            {
                var before = current ?? await BeforeAsync(c => GetResourceSetAsync(id, c), ct).ConfigureAwait(false);
                change = new ChangeRecord
                {
                    TargetType = ChangeTargetType.ResourceSet, Operation = ChangeOperations.DeleteResourceSet, TargetId = id, TargetName = before?.Name,
                    BeforeDocument = ChangeDocuments.Write(before),
                };
            }
            await SendAsync(change, c => _fms.DeleteResourceSetAsync(new DeleteResourceSetRequest { Identifier = id }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, id, change?.TargetName, null, ct).ConfigureAwait(false);
        }

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
            var action = associate ? "Associate" : "Disassociate";
            // The journal names the set; a set that cannot be read is changed (and recorded) anyway.
            var setName = Journal == null ? null : (await BeforeAsync(c => GetResourceSetAsync(id, c), ct).ConfigureAwait(false))?.Name;
            for (var start = 0; start < uris.Count; start += MaxResourceSetResourcesPerCall)
            {
                var batch = uris.Skip(start).Take(MaxResourceSetResourcesPerCall).ToList();
                var change = Journal == null ? null : new ChangeRecord
                {
                    TargetType = ChangeTargetType.ResourceSet,
                    Operation = associate ? ChangeOperations.AssociateResources : ChangeOperations.DisassociateResources,
                    TargetId = id,
                    TargetName = setName,
                    AfterDocument = ChangeDocuments.WriteMembership(id, action, batch, null),
                };
                List<FailedItem> failed;
                if (associate)
                    failed = (await SendAsync(change, c => _fms.BatchAssociateResourceAsync(new BatchAssociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, c), ct).ConfigureAwait(false)).FailedItems ?? new List<FailedItem>();
                else
                    failed = (await SendAsync(change, c => _fms.BatchDisassociateResourceAsync(new BatchDisassociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, c), ct).ConfigureAwait(false)).FailedItems ?? new List<FailedItem>();
                var failures = failed.Where(f => f.URI != null).GroupBy(f => f.URI!).ToDictionary(g => g.Key, g => g.First().Reason);
                if (change != null)
                {
                    if (failures.Count > 0)
                    {
                        change.PartialFailure = $"{failures.Count} of {batch.Count} resources not {action.ToLowerInvariant()}d: "
                                                + string.Join("; ", failures.Take(5).Select(f => f.Key + ": " + (f.Value ?? "no reason given"))) + (failures.Count > 5 ? "; ..." : "");
                        change.NothingApplied = batch.All(failures.ContainsKey);
                    }
                    await CompletedAsync(change, id, setName, ChangeDocuments.WriteMembership(id, action, batch, failures), ct).ConfigureAwait(false);
                }
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

        public Task<FmsNotificationChannel> SetNotificationChannelAsync(string snsTopicArn, string snsRoleArn, CancellationToken ct)
            => SetNotificationChannelAsync(snsTopicArn, snsRoleArn, null, ct);

        /// <summary>With <c>current</c>, the channel as the caller has just read it: it is the journal's state before, not read again; null reads it here.</summary>
        public async Task<FmsNotificationChannel> SetNotificationChannelAsync(string snsTopicArn, string snsRoleArn, FmsNotificationChannel? current, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.NotificationChannel(findings, snsTopicArn, snsRoleArn);
            InputRules.ThrowIfAny(findings);
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.NotificationChannel,
                Operation = ChangeOperations.SetNotificationChannel,
                TargetId = snsTopicArn,
                BeforeDocument = ChangeDocuments.Write(current ?? await BeforeAsync(GetNotificationChannelAsync, ct).ConfigureAwait(false)),
                AfterDocument = ChangeDocuments.Write(new FmsNotificationChannel { SnsTopicArn = snsTopicArn, SnsRoleName = snsRoleArn }),
            };
            await SendAsync(change, c => _fms.PutNotificationChannelAsync(new PutNotificationChannelRequest { SnsTopicArn = snsTopicArn, SnsRoleName = snsRoleArn }, c), ct).ConfigureAwait(false);
            FmsNotificationChannel stored;
            try
            {
                stored = await GetNotificationChannelAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (change != null)
            {
                // The channel was set; the read-back failing must not keep that out of the journal.
                await CompletedAsync(change, snsTopicArn, null, change.AfterDocument, ct).ConfigureAwait(false);
                throw;
            }
            await CompletedAsync(change, snsTopicArn, null, ChangeDocuments.Write(stored), ct).ConfigureAwait(false);
            return stored;
        }

        public Task DeleteNotificationChannelAsync(CancellationToken ct) => DeleteNotificationChannelAsync(null, ct);

        /// <summary>With <c>current</c>, the channel as the caller has just read it (what the user confirmed removing): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteNotificationChannelAsync(FmsNotificationChannel? current, CancellationToken ct)
        {
            ChangeRecord? change = null;
            if (Journal != null)
            {
                var before = current ?? await BeforeAsync(GetNotificationChannelAsync, ct).ConfigureAwait(false);
                change = new ChangeRecord
                {
                    TargetType = ChangeTargetType.NotificationChannel, Operation = ChangeOperations.DeleteNotificationChannel,
                    TargetId = before?.SnsTopicArn, BeforeDocument = ChangeDocuments.Write(before),
                };
            }
            await SendAsync(change, c => _fms.DeleteNotificationChannelAsync(new DeleteNotificationChannelRequest(), c), ct).ConfigureAwait(false);
            await CompletedAsync(change, change?.TargetId, null, null, ct).ConfigureAwait(false);
        }

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
                // The setting that changes is which account is the default administrator: before is the one there was.
                var defaultChange = Journal == null ? null : new ChangeRecord
                {
                    TargetType = ChangeTargetType.AdminAccount,
                    Operation = ChangeOperations.AssociateAdminAccount,
                    TargetId = accountId,
                    BeforeDocument = ChangeDocuments.Write(await BeforeAsync(GetDefaultAdminAsync, ct).ConfigureAwait(false)),
                    AfterDocument = ChangeDocuments.Write(new FmsAdminAccount { AccountId = accountId, IsDefaultAdmin = true }),
                };
                await SendAsync(defaultChange, c => _fms.AssociateAdminAccountAsync(new AssociateAdminAccountRequest { AdminAccount = accountId }, c), ct).ConfigureAwait(false);
                await CompletedAsync(defaultChange, accountId, null, defaultChange?.AfterDocument, ct).ConfigureAwait(false);
                return await GetDefaultAdminAsync(ct).ConfigureAwait(false) ?? new FmsAdminAccount { AccountId = accountId, IsDefaultAdmin = true };
            }
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.AdminAccount,
                Operation = ChangeOperations.PutAdminAccount,
                TargetId = accountId,
                BeforeDocument = ChangeDocuments.Write(await BeforeAsync(async c =>
                {
                    var current = await GetAdminScopeAsync(accountId, c).ConfigureAwait(false);
                    return current == null ? null : new FmsAdminAccount { AccountId = accountId, Scope = current };
                }, ct).ConfigureAwait(false)),
                AfterDocument = ChangeDocuments.Write(new FmsAdminAccount { AccountId = accountId, Scope = scope }),
            };
            await SendAsync(change, c => _fms.PutAdminAccountAsync(new PutAdminAccountRequest { AdminAccount = accountId, AdminScope = ToWire(scope) }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, accountId, null, change?.AfterDocument, ct).ConfigureAwait(false);
            return new FmsAdminAccount { AccountId = accountId, Scope = await GetAdminScopeAsync(accountId, ct).ConfigureAwait(false) };
        }

        /// <summary>Removes the default administrator. FMS deletes the policies that administrator created.</summary>
        public async Task RemoveDefaultAdminAsync(CancellationToken ct)
        {
            ChangeRecord? change = null;
            if (Journal != null)
            {
                var before = await BeforeAsync(GetDefaultAdminAsync, ct).ConfigureAwait(false);
                change = new ChangeRecord
                {
                    TargetType = ChangeTargetType.AdminAccount, Operation = ChangeOperations.DisassociateAdminAccount,
                    TargetId = before?.AccountId, BeforeDocument = ChangeDocuments.Write(before),
                };
            }
            await SendAsync(change, c => _fms.DisassociateAdminAccountAsync(new DisassociateAdminAccountRequest(), c), ct).ConfigureAwait(false);
            await CompletedAsync(change, change?.TargetId, null, null, ct).ConfigureAwait(false);
        }

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
            var tagList = ToTags(tags)!;
            var before = Journal == null ? null : await TagsBeforeAsync(resourceArn, ct).ConfigureAwait(false);
            Dictionary<string, string>? after = null;
            if (before != null)
            {
                after = new Dictionary<string, string>(before, StringComparer.Ordinal);
                foreach (var t in tags) after[t.Key] = t.Value ?? "";
            }
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.Tags, Operation = ChangeOperations.TagResource, TargetId = resourceArn,
                BeforeDocument = ChangeDocuments.WriteTags(resourceArn, before),
                AfterDocument = ChangeDocuments.WriteTags(resourceArn, after ?? tags.ToDictionary(t => t.Key, t => t.Value ?? "")),
            };
            await SendAsync(change, c => _fms.TagResourceAsync(new TagResourceRequest { ResourceArn = resourceArn, TagList = tagList }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, resourceArn, null, change?.AfterDocument, ct).ConfigureAwait(false);
        }

        public async Task RemoveTagsAsync(string resourceArn, IReadOnlyList<string> keys, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            if (keys.Count == 0) findings.Add(new InputFinding("Key", "Tag.Required", "Key needs at least one tag key."));
            InputRules.ThrowIfAny(findings);
            var before = Journal == null ? null : await TagsBeforeAsync(resourceArn, ct).ConfigureAwait(false);
            var change = Journal == null ? null : new ChangeRecord
            {
                TargetType = ChangeTargetType.Tags, Operation = ChangeOperations.UntagResource, TargetId = resourceArn,
                BeforeDocument = ChangeDocuments.WriteTags(resourceArn, before),
                AfterDocument = ChangeDocuments.WriteTags(resourceArn, before?.Where(t => !keys.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal)),
            };
            await SendAsync(change, c => _fms.UntagResourceAsync(new UntagResourceRequest { ResourceArn = resourceArn, TagKeys = keys.ToList() }, c), ct).ConfigureAwait(false);
            await CompletedAsync(change, resourceArn, null, change?.AfterDocument, ct).ConfigureAwait(false);
        }

        private async Task<Dictionary<string, string>?> TagsBeforeAsync(string resourceArn, CancellationToken ct)
        {
            var listed = await BeforeAsync(c => _fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = resourceArn }, c), ct).ConfigureAwait(false);
            return listed == null ? null
                : (listed.TagList ?? new List<Tag>()).Where(t => t.Key != null).GroupBy(t => t.Key!).ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal);
        }

        // ---- journal ----------------------------------------------------------------------------------

        /// <summary>
        /// The state before a change, for the journal. A state the service refuses to show (an error answer) is recorded as
        /// unknown (null) and the change goes ahead; a transport failure stops the command here, before anything is sent.
        /// </summary>
        private static async Task<T?> BeforeAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct) where T : class?
        {
            try
            {
                return await read(ct).ConfigureAwait(false);
            }
            catch (AwsServiceException)
            {
                return null;
            }
        }

        /// <summary>Sends one state-changing call; with a journal, a failure is recorded (with the attempted document) before it is rethrown.</summary>
        private async Task<T> SendAsync<T>(ChangeRecord? change, Func<CancellationToken, Task<T>> send, CancellationToken ct)
        {
            if (change == null) return await send(ct).ConfigureAwait(false);
            change.Region ??= Region;
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    var result = await send(ct).ConfigureAwait(false);
                    change.RequestId = requestIds.LastRequestId;
                    return result;
                }
                catch (Exception e) when (!(e is AwsRequestValidationException))
                {
                    // AwsRequestValidationException: refused locally before sending, so there is no change to record.
                    change.Error = e;
                    change.RequestId = requestIds.LastRequestId;
                    await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
                    throw;
                }
            }
        }

        private async Task CompletedAsync(ChangeRecord? change, string? targetId, string? targetName, string? afterDocument, CancellationToken ct)
        {
            if (change == null) return;
            change.TargetId = targetId ?? change.TargetId;
            change.TargetName = targetName ?? change.TargetName;
            change.AfterDocument = afterDocument;
            await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
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
