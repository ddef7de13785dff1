using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>Protocols lists: named sets of IP protocols used by security group policies.</summary>
    public sealed class ProtocolsListKind : FmsListKind<FmsProtocolsList, string>
    {
        /// <summary>Protocols one list holds at most (Firewall Manager quotas, AWS Firewall Manager Developer Guide).</summary>
        public const int MaxProtocols = 5;

        internal ProtocolsListKind() { }

        public override string Noun => "protocols list";

        public override FmsProtocolsList New(string name, string? listId, IEnumerable<string> items)
            => new FmsProtocolsList { Name = name, ListId = listId, Protocols = items.ToList() };

        public override void SetItems(FmsProtocolsList list, IEnumerable<string> items) => list.Protocols = items.ToList();

        public override void Validate(FmsProtocolsList list)
        {
            var findings = new List<InputFinding>();
            InputRules.Name(findings, "ProtocolsList.Name", list.Name);
            if (list.ListId != null) InputRules.ListId(findings, "ProtocolsList.ListId", list.ListId);
            if (list.Protocols.Count == 0)
                findings.Add(new InputFinding("ProtocolsList.Protocols", "ProtocolsList.Empty", "ProtocolsList.Protocols needs at least one protocol."));
            if (list.Protocols.Count > MaxProtocols)
                findings.Add(new InputFinding("ProtocolsList.Protocols", "ProtocolsList.Quota", $"ProtocolsList.Protocols has {list.Protocols.Count} protocols; a protocols list holds at most {MaxProtocols}."));
            for (var i = 0; i < list.Protocols.Count; i++)
                InputRules.Protocol(findings, $"ProtocolsList.Protocols[{i}]", list.Protocols[i]);
            InputRules.ThrowIfAny(findings);
        }

        public override string DescribePut(FmsProtocolsList list) => list.ListId == null
            ? $"Create protocols list: {list.ProtocolSummary}"
            : $"Update protocols list {list.ListId} to: {list.ProtocolSummary}";

        public override string DescribeDelete(FmsProtocolsList list) => $"Delete the protocols list ({list.ProtocolSummary})";

        public override string DescribeContents(FmsListSummary summary) => summary.Items == null ? "" : ": " + string.Join(", ", summary.Items);

        internal override string DescribeCurrent(FmsProtocolsList current) => $"Current protocols: {current.ProtocolSummary}.";

        internal override ChangeTargetType TargetType => ChangeTargetType.ProtocolsList;
        internal override string CreateOperation => ChangeOperations.CreateProtocolsList;
        internal override string UpdateOperation => ChangeOperations.UpdateProtocolsList;
        internal override string DeleteOperation => ChangeOperations.DeleteProtocolsList;

        internal override string? Document(FmsProtocolsList? list, IReadOnlyDictionary<string, string>? tags = null) => ChangeDocuments.Write(list, tags);

        public override async IAsyncEnumerable<FmsListSummary> ListAsync(IFmsClient fms, bool defaultLists, [EnumeratorCancellation] CancellationToken ct)
        {
            var request = new ListProtocolsListsRequest { MaxResults = 100, DefaultLists = defaultLists ? true : (bool?)null };
            await foreach (var list in fms.ListProtocolsListsItemsAsync(request, ct).ConfigureAwait(false))
                if (list?.ListId != null)
                    yield return new FmsListSummary(list.ListId, list.ListName, list.ListArn, list.ProtocolsList);
        }

        internal override async Task<FmsProtocolsList> GetAsync(IFmsClient fms, string listId, bool defaultList, CancellationToken ct)
        {
            var response = await fms.GetProtocolsListAsync(new GetProtocolsListRequest { ListId = listId, DefaultList = defaultList ? true : (bool?)null }, ct).ConfigureAwait(false);
            return FromWire(response.ProtocolsList!, response.ProtocolsListArn, defaultList);
        }

        internal override IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields(FmsProtocolsList list) => list.AdditionalFields;

        internal override async Task<FmsProtocolsList> PutAsync(IFmsClient fms, FmsProtocolsList list, IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields,
            List<Tag>? tags, CancellationToken ct)
        {
            var data = new ProtocolsListData
            {
                ListId = list.ListId,
                ListName = list.Name,
                ListUpdateToken = list.UpdateToken,
                ProtocolsList = list.Protocols.ToList(),
                AdditionalMembers = AdditionalMembers.Unknown(additionalFields, typeof(ProtocolsListData)),
            };
            var response = await fms.PutProtocolsListAsync(new PutProtocolsListRequest { ProtocolsList = data, TagList = tags }, ct).ConfigureAwait(false);
            return FromWire(response.ProtocolsList!, response.ProtocolsListArn, false);
        }

        internal override Task<AwsEmptyResponse> DeleteAsync(IFmsClient fms, string listId, CancellationToken ct)
            => fms.DeleteProtocolsListAsync(new DeleteProtocolsListRequest { ListId = listId }, ct);

        private static FmsProtocolsList FromWire(ProtocolsListData data, string? arn, bool managed) => AdditionalMembers.Keep(new FmsProtocolsList
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
        }, data.AdditionalMembers, l => l.AdditionalFields);
    }
}
