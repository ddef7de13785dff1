using System.Runtime.CompilerServices;
using FmsTools.Aws.Runtime;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// Reads, creates, updates and deletes one kind of FMS list (apps or protocols lists, <see cref="FmsListKinds"/>).
    /// Every write validates its input first and carries the update token it read, so a concurrent change surfaces as
    /// <see cref="FmsConflictException"/> instead of being overwritten; every list read carries its Region.
    /// </summary>
    public sealed class FmsListService<TList, TItem> where TList : class, IFmsList
    {
        private readonly AdministrationContext _context;

        public FmsListService(AdministrationContext context, FmsListKind<TList, TItem> kind)
        {
            _context = context;
            Kind = kind;
        }

        public FmsListKind<TList, TItem> Kind { get; }

        /// <summary>The list with <paramref name="listId"/>, or the lists whose names match <paramref name="names"/> (all when null).</summary>
        public async IAsyncEnumerable<TList> GetListsAsync(string? listId, IReadOnlyList<Wildcard>? names, bool defaultLists,
            [EnumeratorCancellation] CancellationToken ct)
        {
            if (listId != null)
            {
                yield return await GetListAsync(listId, defaultLists, ct).ConfigureAwait(false);
                yield break;
            }
            await foreach (var summary in Kind.ListAsync(_context.Fms, defaultLists, ct).ConfigureAwait(false))
            {
                if (!Wildcard.MatchesAny(summary.Name, names)) continue;
                yield return await GetListAsync(summary.ListId, defaultLists, ct).ConfigureAwait(false);
            }
        }

        public async Task<TList> GetListAsync(string listId, bool defaultList, CancellationToken ct)
            => WithRegion(await Kind.GetAsync(_context.Fms, listId, defaultList, ct).ConfigureAwait(false));

        /// <summary>
        /// Creates (no ListId) or updates the list; returns the stored version. The list's newer-API members go back with it:
        /// a list read from FMS (an update) carries those of the answer its update token is from.
        /// </summary>
        public Task<TList> PutListAsync(TList list, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
            => PutListAsync(list, tags, Kind.AdditionalFields(list), ct);

        /// <summary>
        /// Creates or updates the list, sending <paramref name="additionalFields"/> as its newer-API members (a Put replaces
        /// the whole list, so an update sends the deployed list's, read with its update token; a create sends the file's).
        /// </summary>
        internal async Task<TList> PutListAsync(TList list, IReadOnlyDictionary<string, string>? tags, IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields,
            CancellationToken ct)
        {
            Kind.Validate(list);
            var tagList = AdministrationContext.ToTags(tags);
            var change = _context.Change(Kind.TargetType, list.ListId == null ? Kind.CreateOperation : Kind.UpdateOperation, list.ListId, list.Name);
            if (change != null)
            {
                if (list.ListId != null)
                    change.BeforeDocument = Kind.Document(await _context.BeforeAsync(c => GetListAsync(list.ListId, false, c), ct).ConfigureAwait(false));
                change.AfterDocument = Kind.Document(list, tags);
            }
            try
            {
                var stored = WithRegion(await _context.SendAsync(change, c => Kind.PutAsync(_context.Fms, list, additionalFields, tagList, c), ct).ConfigureAwait(false));
                await _context.CompletedAsync(change, stored.ListId, stored.Name, Kind.Document(stored, tags), ct).ConfigureAwait(false);
                return stored;
            }
            catch (AwsServiceException e) when (list.ListId != null && AdministrationContext.IsPossibleConflict(e))
            {
                var current = await GetListAsync(list.ListId, false, ct).ConfigureAwait(false);
                if (current.UpdateToken != list.UpdateToken)
                    throw new FmsConflictException($"{Kind.Noun} '{list.Name}' ({list.ListId})", list.UpdateToken, current.UpdateToken, list, current,
                        Kind.DescribeCurrent(current));
                throw;
            }
        }

        /// <summary>With <c>current</c>, the list as the caller has just read it (what the user confirmed deleting): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteListAsync(string listId, TList? current, CancellationToken ct)
        {
            var change = _context.Change(Kind.TargetType, Kind.DeleteOperation, listId);
            if (change != null)
            {
                var before = current ?? await _context.BeforeAsync(c => GetListAsync(listId, false, c), ct).ConfigureAwait(false);
                change.TargetName = before?.Name;
                change.BeforeDocument = Kind.Document(before);
            }
            await _context.SendAsync(change, c => Kind.DeleteAsync(_context.Fms, listId, c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, listId, change?.TargetName, null, ct).ConfigureAwait(false);
        }

        private TList WithRegion(TList list)
        {
            list.Region = _context.RegionOf(list.Arn);
            return list;
        }
    }
}
