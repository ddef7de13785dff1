using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>Applications lists: named sets of (name, protocol, port) used by security group policies.</summary>
    public sealed class AppsListKind : FmsListKind<FmsAppsList, FmsApp>
    {
        /// <summary>Apps one list holds at most (Firewall Manager quotas, AWS Firewall Manager Developer Guide).</summary>
        public const int MaxApps = 50;

        internal AppsListKind() { }

        public override string Noun => "apps list";

        public override FmsAppsList New(string name, string? listId, IEnumerable<FmsApp> items)
            => new FmsAppsList { Name = name, ListId = listId, Apps = items.ToList() };

        public override void SetItems(FmsAppsList list, IEnumerable<FmsApp> items) => list.Apps = items.ToList();

        public override void Validate(FmsAppsList list)
        {
            var findings = new List<InputFinding>();
            InputRules.Name(findings, "AppsList.Name", list.Name);
            if (list.ListId != null) InputRules.ListId(findings, "AppsList.ListId", list.ListId);
            if (list.Apps.Count > MaxApps)
                findings.Add(new InputFinding("AppsList.Apps", "AppsList.Quota", $"AppsList.Apps has {list.Apps.Count} apps; an apps list holds at most {MaxApps}."));
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

        public override string DescribePut(FmsAppsList list) => list.ListId == null
            ? $"Create apps list with {list.Apps.Count} apps: {list.AppSummary}"
            : $"Update apps list {list.ListId} to {list.Apps.Count} apps: {list.AppSummary}";

        public override string DescribeDelete(FmsAppsList list) => $"Delete the apps list and its {list.Apps.Count} apps";

        public override string DescribeContents(FmsListSummary summary) => $", {summary.Items?.Count ?? 0} apps";

        internal override string DescribeCurrent(FmsAppsList current) => $"Current apps: {current.AppSummary}.";

        internal override ChangeTargetType TargetType => ChangeTargetType.AppsList;
        internal override string CreateOperation => ChangeOperations.CreateAppsList;
        internal override string UpdateOperation => ChangeOperations.UpdateAppsList;
        internal override string DeleteOperation => ChangeOperations.DeleteAppsList;

        internal override string? Document(FmsAppsList? list, IReadOnlyDictionary<string, string>? tags = null) => ChangeDocuments.Write(list, tags);

        public override async IAsyncEnumerable<FmsListSummary> ListAsync(IFmsClient fms, bool defaultLists, [EnumeratorCancellation] CancellationToken ct)
        {
            var request = new ListAppsListsRequest { MaxResults = 100, DefaultLists = defaultLists ? true : (bool?)null };
            await foreach (var list in fms.ListAppsListsItemsAsync(request, ct).ConfigureAwait(false))
                if (list?.ListId != null)
                    yield return new FmsListSummary(list.ListId, list.ListName, list.ListArn, list.AppsList?.Select(a => a.AppName ?? "").ToList());
        }

        internal override async Task<FmsAppsList> GetAsync(IFmsClient fms, string listId, bool defaultList, CancellationToken ct)
        {
            var response = await fms.GetAppsListAsync(new GetAppsListRequest { ListId = listId, DefaultList = defaultList ? true : (bool?)null }, ct).ConfigureAwait(false);
            return FromWire(response.AppsList!, response.AppsListArn, defaultList);
        }

        internal override IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields(FmsAppsList list) => list.AdditionalFields;

        internal override async Task<FmsAppsList> PutAsync(IFmsClient fms, FmsAppsList list, IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields,
            List<Tag>? tags, CancellationToken ct)
        {
            var data = new AppsListData
            {
                ListId = list.ListId,
                ListName = list.Name,
                ListUpdateToken = list.UpdateToken,
                AppsList = list.Apps.Select(a => new App { AppName = a.Name, Protocol = a.Protocol, Port = a.Port }).ToList(),
                AdditionalMembers = AdditionalMembers.Unknown(additionalFields, typeof(AppsListData)),
            };
            var response = await fms.PutAppsListAsync(new PutAppsListRequest { AppsList = data, TagList = tags }, ct).ConfigureAwait(false);
            return FromWire(response.AppsList!, response.AppsListArn, false);
        }

        internal override Task<AwsEmptyResponse> DeleteAsync(IFmsClient fms, string listId, CancellationToken ct)
            => fms.DeleteAppsListAsync(new DeleteAppsListRequest { ListId = listId }, ct);

        private static FmsAppsList FromWire(AppsListData data, string? arn, bool managed) => AdditionalMembers.Keep(new FmsAppsList
        {
            ListId = data.ListId,
            Name = data.ListName ?? "",
            Arn = arn,
            Apps = (data.AppsList ?? new List<App>()).Select(ToApp).ToList(),
            PreviousApps = (data.PreviousAppsList ?? new Dictionary<string, List<App>>()).ToDictionary(p => p.Key, p => p.Value.Select(ToApp).ToList()),
            UpdateToken = data.ListUpdateToken,
            CreatedTime = data.CreateTime,
            LastUpdatedTime = data.LastUpdateTime,
            IsManaged = managed,
        }, data.AdditionalMembers, l => l.AdditionalFields);

        private static FmsApp ToApp(App a)
        {
            var app = new FmsApp(a.AppName ?? "", a.Protocol ?? "", a.Port ?? 0);
            AdditionalMembers.Copy(a.AdditionalMembers, app.AdditionalFields);
            return app;
        }
    }
}
