using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// Resource sets and the resources associated with them. Writes validate their input first; an update carries the
    /// set's update token, so a concurrent change surfaces as <see cref="FmsConflictException"/>. Every set and resource
    /// read carries its Region.
    /// </summary>
    public sealed class ResourceSetService
    {
        /// <summary>Resources one BatchAssociateResource or BatchDisassociateResource call takes at most.</summary>
        public const int MaxResourcesPerCall = 100;

        private readonly AdministrationContext _context;

        public ResourceSetService(AdministrationContext context)
        {
            _context = context;
        }

        private IFmsClient Fms => _context.Fms;

        public async IAsyncEnumerable<FmsResourceSet> GetResourceSetsAsync(string? id, IReadOnlyList<Wildcard>? names,
            [EnumeratorCancellation] CancellationToken ct)
        {
            if (id != null)
            {
                yield return await GetResourceSetAsync(id, ct).ConfigureAwait(false);
                yield break;
            }
            await foreach (var summary in Fms.ListResourceSetsItemsAsync(new ListResourceSetsRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (!Wildcard.MatchesAny(summary.Name, names) || summary.Id == null) continue;
                yield return await GetResourceSetAsync(summary.Id, ct).ConfigureAwait(false);
            }
        }

        public async Task<FmsResourceSet> GetResourceSetAsync(string id, CancellationToken ct)
        {
            var response = await Fms.GetResourceSetAsync(new GetResourceSetRequest { Identifier = id }, ct).ConfigureAwait(false);
            return ToResourceSet(response.ResourceSet!, response.ResourceSetArn);
        }

        public static void Validate(FmsResourceSet set)
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

        /// <summary>
        /// Creates (no Id) or updates the set; returns the stored version. The set's newer-API members go back with it: a set
        /// read from FMS (an update) carries those of the answer its update token is from.
        /// </summary>
        public Task<FmsResourceSet> PutResourceSetAsync(FmsResourceSet set, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
            => PutResourceSetAsync(set, tags, set.AdditionalFields, ct);

        /// <summary>
        /// Creates or updates the set, sending <paramref name="additionalFields"/> as its newer-API members (a Put replaces the
        /// whole set, so an update sends the deployed set's; a create sends the file's), never in place of a known field.
        /// </summary>
        internal async Task<FmsResourceSet> PutResourceSetAsync(FmsResourceSet set, IReadOnlyDictionary<string, string>? tags,
            IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields, CancellationToken ct)
        {
            Validate(set);
            var wire = new ResourceSet
            {
                Id = set.Id,
                Name = set.Name,
                Description = set.Description,
                ResourceTypeList = set.ResourceTypes.ToList(),
                UpdateToken = set.UpdateToken,
                AdditionalMembers = AdditionalMembers.Unknown(additionalFields, typeof(ResourceSet)),
            };
            var tagList = AdministrationContext.ToTags(tags);
            var change = _context.Change(ChangeTargetType.ResourceSet, set.Id == null ? ChangeOperations.CreateResourceSet : ChangeOperations.UpdateResourceSet, set.Id, set.Name);
            if (change != null)
            {
                if (set.Id != null)
                    change.BeforeDocument = ChangeDocuments.Write(await _context.BeforeAsync(c => GetResourceSetAsync(set.Id, c), ct).ConfigureAwait(false));
                change.AfterDocument = ChangeDocuments.Write(set, tags);
            }
            try
            {
                var response = await _context.SendAsync(change, c => Fms.PutResourceSetAsync(new PutResourceSetRequest { ResourceSet = wire, TagList = tagList }, c), ct).ConfigureAwait(false);
                var stored = ToResourceSet(response.ResourceSet!, response.ResourceSetArn);
                await _context.CompletedAsync(change, stored.Id, stored.Name, ChangeDocuments.Write(stored, tags), ct).ConfigureAwait(false);
                return stored;
            }
            catch (AwsServiceException e) when (set.Id != null && set.UpdateToken != null && AdministrationContext.IsPossibleConflict(e))
            {
                var current = await GetResourceSetAsync(set.Id, ct).ConfigureAwait(false);
                if (current.UpdateToken != set.UpdateToken)
                    throw new FmsConflictException($"resource set '{set.Name}' ({set.Id})", set.UpdateToken, current.UpdateToken, set, current,
                        $"Current resource types: {current.ResourceTypeSummary}.");
                throw;
            }
        }

        /// <summary>With <c>current</c>, the set as the caller has just read it (what the user confirmed deleting): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteResourceSetAsync(string id, FmsResourceSet? current, CancellationToken ct)
        {
            var change = _context.Change(ChangeTargetType.ResourceSet, ChangeOperations.DeleteResourceSet, id);
            if (change != null)
            {
                var before = current ?? await _context.BeforeAsync(c => GetResourceSetAsync(id, c), ct).ConfigureAwait(false);
                change.TargetName = before?.Name;
                change.BeforeDocument = ChangeDocuments.Write(before);
            }
            await _context.SendAsync(change, c => Fms.DeleteResourceSetAsync(new DeleteResourceSetRequest { Identifier = id }, c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, id, change?.TargetName, null, ct).ConfigureAwait(false);
        }

        public async IAsyncEnumerable<FmsResourceSetResource> GetResourcesAsync(string id, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var r in Fms.ListResourceSetResourcesItemsAsync(new ListResourceSetResourcesRequest { Identifier = id, MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                var resource = new FmsResourceSetResource { ResourceSetId = id, Uri = r.URI ?? "", AccountId = r.AccountId, Region = _context.Region };
                AdditionalMembers.Copy(r.AdditionalMembers, resource.AdditionalFields);
                yield return resource;
            }
        }

        /// <summary>Associates (or disassociates) resources in batches of <see cref="MaxResourcesPerCall"/>; one result per resource.</summary>
        public async IAsyncEnumerable<FmsResourceSetChange> ChangeResourcesAsync(string id, IReadOnlyList<string> uris, bool associate,
            [EnumeratorCancellation] CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.ResourceSetId(findings, "ResourceSetId", id);
            for (var i = 0; i < uris.Count; i++)
                InputRules.ResourceUri(findings, $"Uri[{i}]", uris[i]);
            InputRules.ThrowIfAny(findings);
            var action = associate ? "Associate" : "Disassociate";
            // The journal names the set; a set that cannot be read is changed (and recorded) anyway.
            var setName = (await _context.BeforeAsync(c => GetResourceSetAsync(id, c), ct).ConfigureAwait(false))?.Name;
            for (var start = 0; start < uris.Count; start += MaxResourcesPerCall)
            {
                var batch = uris.Skip(start).Take(MaxResourcesPerCall).ToList();
                var change = _context.Change(ChangeTargetType.ResourceSet, associate ? ChangeOperations.AssociateResources : ChangeOperations.DisassociateResources, id, setName);
                if (change != null) change.AfterDocument = ChangeDocuments.WriteMembership(id, action, batch, null);
                var failures = await SendBatchAsync(change, id, batch, associate, ct).ConfigureAwait(false);
                if (change != null)
                {
                    if (failures.Count > 0)
                    {
                        change.PartialFailure = $"{failures.Count} of {batch.Count} resources not {action.ToLowerInvariant()}d: "
                                                + string.Join("; ", failures.Take(5).Select(f => f.Key + ": " + (f.Value ?? "no reason given"))) + (failures.Count > 5 ? "; ..." : "");
                        change.NothingApplied = batch.All(failures.ContainsKey);
                    }
                    await _context.CompletedAsync(change, id, setName, ChangeDocuments.WriteMembership(id, action, batch, failures), ct).ConfigureAwait(false);
                }
                foreach (var uri in batch)
                {
                    failures.TryGetValue(uri, out var reason);
                    yield return new FmsResourceSetChange
                    {
                        ResourceSetId = id,
                        Uri = uri,
                        Action = action,
                        Succeeded = !failures.ContainsKey(uri),
                        FailureReason = reason,
                    };
                }
            }
        }

        /// <summary>One batch call; the resources it refused, with the reason each.</summary>
        private async Task<Dictionary<string, string?>> SendBatchAsync(ChangeRecord? change, string id, List<string> batch, bool associate, CancellationToken ct)
        {
            var failed = associate
                ? (await _context.SendAsync(change, c => Fms.BatchAssociateResourceAsync(new BatchAssociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, c), ct).ConfigureAwait(false)).FailedItems
                : (await _context.SendAsync(change, c => Fms.BatchDisassociateResourceAsync(new BatchDisassociateResourceRequest { ResourceSetIdentifier = id, Items = batch }, c), ct).ConfigureAwait(false)).FailedItems;
            return (failed ?? new List<FailedItem>()).Where(f => f.URI != null).GroupBy(f => f.URI!).ToDictionary(g => g.Key, g => g.First().Reason);
        }

        private FmsResourceSet ToResourceSet(ResourceSet set, string? arn)
        {
            var result = new FmsResourceSet
            {
                Id = set.Id,
                Name = set.Name ?? "",
                Description = set.Description,
                Arn = arn,
                Region = _context.RegionOf(arn),
                ResourceTypes = set.ResourceTypeList ?? new List<string>(),
                Status = set.ResourceSetStatus,
                UpdateToken = set.UpdateToken,
                LastUpdatedTime = set.LastUpdateTime,
            };
            AdditionalMembers.Copy(set.AdditionalMembers, result.AdditionalFields);
            return result;
        }
    }
}
