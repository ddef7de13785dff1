using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>What an apps list and a protocols list have in common: an FMS list with an id, a name and an update token.</summary>
    public interface IFmsList
    {
        string? ListId { get; set; }
        string Name { get; set; }
        string? Arn { get; set; }

        /// <summary>The Region the list lives in (its ARN's, or the one it was read from); null for a list not read from FMS.</summary>
        string? Region { get; set; }

        /// <summary>ListUpdateToken of the version read; sent back on update so a concurrent change is detected.</summary>
        string? UpdateToken { get; set; }

        /// <summary>True for FMS-managed default lists, which cannot be changed.</summary>
        bool IsManaged { get; set; }
    }

    /// <summary>One entry of ListAppsLists or ListProtocolsLists.</summary>
    public sealed class FmsListSummary
    {
        public FmsListSummary(string listId, string? name, string? arn, IReadOnlyList<string>? items)
        {
            ListId = listId;
            Name = name;
            Arn = arn;
            Items = items;
        }

        public string ListId { get; }
        public string? Name { get; }
        public string? Arn { get; }

        /// <summary>The list's apps (names) or protocols; null when the service sent none.</summary>
        public IReadOnlyList<string>? Items { get; }
    }

    /// <summary>
    /// One kind of FMS list (applications or protocols): its wire calls, its rules and how it is described in prompts,
    /// conflicts and the journal. <see cref="FmsListService{TList, TItem}"/> and the list cmdlets are written once
    /// against this and serve both kinds.
    /// </summary>
    public abstract class FmsListKind<TList, TItem> where TList : class, IFmsList
    {
        /// <summary>"apps list" or "protocols list", as messages name one list.</summary>
        public abstract string Noun { get; }

        /// <summary>A new list (not read from FMS) with this name, id (null creates) and items.</summary>
        public abstract TList New(string name, string? listId, IEnumerable<TItem> items);

        /// <summary>Replaces the list's apps or protocols.</summary>
        public abstract void SetItems(TList list, IEnumerable<TItem> items);

        /// <summary>Checks the list against FMS's rules and quotas; throws <see cref="Diagnostics.FmsInputException"/> with every finding.</summary>
        public abstract void Validate(TList list);

        /// <summary>What a Put does, for ShouldProcess: create a list, or update one (it has a ListId).</summary>
        public abstract string DescribePut(TList list);

        /// <summary>What deleting the list does, for ShouldProcess.</summary>
        public abstract string DescribeDelete(TList list);

        /// <summary>What a listed list holds, appended to its name and noun in tab completion.</summary>
        public abstract string DescribeContents(FmsListSummary summary);

        /// <summary>The current contents a conflict error shows.</summary>
        internal abstract string DescribeCurrent(TList current);

        internal abstract ChangeTargetType TargetType { get; }
        internal abstract string CreateOperation { get; }
        internal abstract string UpdateOperation { get; }
        internal abstract string DeleteOperation { get; }

        /// <summary>The journal document of a list (null for none).</summary>
        internal abstract string? Document(TList? list, IReadOnlyDictionary<string, string>? tags = null);

        /// <summary>The custom lists (or with <paramref name="defaultLists"/> the FMS-managed ones), entries without an id left out.</summary>
        public abstract IAsyncEnumerable<FmsListSummary> ListAsync(IFmsClient fms, bool defaultLists, CancellationToken ct);

        internal abstract Task<TList> GetAsync(IFmsClient fms, string listId, bool defaultList, CancellationToken ct);

        /// <summary>The list's members of a newer API (kept from the answer or the file it was read from).</summary>
        internal abstract IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields(TList list);

        /// <summary>
        /// Creates (no ListId) or updates the list; returns it as stored. <paramref name="additionalFields"/> (a newer API's
        /// members, may be null) go on the request beside the known fields, never in place of one.
        /// </summary>
        internal abstract Task<TList> PutAsync(IFmsClient fms, TList list, IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields, List<Tag>? tags,
            CancellationToken ct);

        internal abstract Task<AwsEmptyResponse> DeleteAsync(IFmsClient fms, string listId, CancellationToken ct);
    }

    /// <summary>The two kinds of FMS list.</summary>
    public static class FmsListKinds
    {
        public static AppsListKind Apps { get; } = new AppsListKind();
        public static ProtocolsListKind Protocols { get; } = new ProtocolsListKind();
    }
}
