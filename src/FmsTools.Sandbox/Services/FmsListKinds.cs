using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;

namespace FmsTools.Sandbox.Services
{
    /// <summary>An FMS-managed default list: fixed id, name and items in every Region.</summary>
    internal sealed class FmsDefaultList<TItem>
    {
        public FmsDefaultList(string id, string name, params TItem[] items)
        {
            Id = id;
            Name = name;
            Items = items;
        }

        public string Id { get; }
        public string Name { get; }
        public IReadOnlyList<TItem> Items { get; }
    }

    /// <summary>
    /// One kind of FMS list as the sandbox stores and answers it: where its records live, its names and quotas, and how its
    /// wire shapes (AppsListData or ProtocolsListData, their responses and summaries) are read and built.
    /// </summary>
    internal abstract class FmsListKind<TRecord, TData, TItem> where TRecord : class, IAdminOwned where TData : class
    {
        /// <summary>"applications list" or "protocols list", as error messages name one.</summary>
        public abstract string Noun { get; }

        /// <summary>"AppsList" or "ProtocolsList", as the operation names spell it.</summary>
        public abstract string WireName { get; }

        /// <summary>The resource part of the list's ARN: applications-list or protocols-list.</summary>
        public abstract string ArnKind { get; }

        /// <summary>The store counter that orders the lists.</summary>
        public abstract string SequenceName { get; }

        public abstract IReadOnlyList<FmsDefaultList<TItem>> Defaults { get; }
        public abstract int ItemsPerList(SandboxQuotas quotas);
        public abstract int ListsPerAdmin(SandboxQuotas quotas);
        public abstract string ItemQuotaMessage(int quota);

        public abstract StateTable<TRecord> Table(SandboxStore store);
        public abstract TData Data(TRecord record);
        public abstract TRecord Record(string ownerAccountId, string region, long sequence, TData data);

        public abstract string? Id(TData data);
        public abstract string? Name(TData data);
        public abstract string? Token(TData data);
        public abstract DateTime? Created(TData data);
        public abstract List<TItem>? Items(TData data);
        public abstract Dictionary<string, List<TItem>>? Previous(TData data);

        /// <summary>An item as stored: a copy, so a later change to the request cannot reach the store.</summary>
        public abstract TItem Copy(TItem item);

        public abstract TData NewData(string id, string? name, string token, DateTime created, DateTime updated, List<TItem> items,
            Dictionary<string, List<TItem>>? previous);

        public abstract object PutResponse(TData data, string arn);
        public abstract object GetResponse(TData data, string arn);
        public abstract object ListResponse(List<TData> page, Func<TData, string> arnOf, string? nextToken);
    }

    internal sealed class AppsListKind : FmsListKind<AppsListRecord, AppsListData, App>
    {
        private static readonly FmsDefaultList<App>[] DefaultLists =
        {
            new FmsDefaultList<App>("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0a001", "FMS-Default-Public-Access-Apps-Allowed",
                new App { AppName = "HTTP", Protocol = "tcp", Port = 80 },
                new App { AppName = "HTTPS", Protocol = "tcp", Port = 443 }),
            new FmsDefaultList<App>("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0a002", "FMS-Default-Apps-List",
                new App { AppName = "HTTP", Protocol = "tcp", Port = 80 },
                new App { AppName = "HTTPS", Protocol = "tcp", Port = 443 },
                new App { AppName = "SSH", Protocol = "tcp", Port = 22 },
                new App { AppName = "RDP", Protocol = "tcp", Port = 3389 },
                new App { AppName = "MySQL", Protocol = "tcp", Port = 3306 },
                new App { AppName = "PostgreSQL", Protocol = "tcp", Port = 5432 },
                new App { AppName = "DNS", Protocol = "udp", Port = 53 }),
        };

        public override string Noun => "applications list";
        public override string WireName => "AppsList";
        public override string ArnKind => "applications-list";
        public override string SequenceName => "appsLists";
        public override IReadOnlyList<FmsDefaultList<App>> Defaults => DefaultLists;
        public override int ItemsPerList(SandboxQuotas quotas) => quotas.AppsPerList;
        public override int ListsPerAdmin(SandboxQuotas quotas) => quotas.CustomAppsLists;
        public override string ItemQuotaMessage(int quota) => "An applications list can hold at most " + quota + " applications.";

        public override StateTable<AppsListRecord> Table(SandboxStore store) => store.AppsLists;
        public override AppsListData Data(AppsListRecord record) => record.List;

        public override AppsListRecord Record(string ownerAccountId, string region, long sequence, AppsListData data)
            => new AppsListRecord { OwnerAccountId = ownerAccountId, Region = region, Sequence = sequence, List = data };

        public override string? Id(AppsListData data) => data.ListId;
        public override string? Name(AppsListData data) => data.ListName;
        public override string? Token(AppsListData data) => data.ListUpdateToken;
        public override DateTime? Created(AppsListData data) => data.CreateTime;
        public override List<App>? Items(AppsListData data) => data.AppsList;
        public override Dictionary<string, List<App>>? Previous(AppsListData data) => data.PreviousAppsList;
        public override App Copy(App item) => new App { AppName = item.AppName, Protocol = item.Protocol, Port = item.Port };

        public override AppsListData NewData(string id, string? name, string token, DateTime created, DateTime updated, List<App> items,
            Dictionary<string, List<App>>? previous) => new AppsListData
        {
            ListId = id, ListName = name, ListUpdateToken = token, CreateTime = created, LastUpdateTime = updated, AppsList = items, PreviousAppsList = previous,
        };

        public override object PutResponse(AppsListData data, string arn) => new PutAppsListResponse { AppsList = data, AppsListArn = arn };
        public override object GetResponse(AppsListData data, string arn) => new GetAppsListResponse { AppsList = data, AppsListArn = arn };

        public override object ListResponse(List<AppsListData> page, Func<AppsListData, string> arnOf, string? nextToken) => new ListAppsListsResponse
        {
            AppsLists = page.Select(l => new AppsListDataSummary { ListArn = arnOf(l), ListId = l.ListId, ListName = l.ListName, AppsList = l.AppsList }).ToList(),
            NextToken = nextToken,
        };
    }

    internal sealed class ProtocolsListKind : FmsListKind<ProtocolsListRecord, ProtocolsListData, string>
    {
        private static readonly FmsDefaultList<string>[] DefaultLists =
        {
            new FmsDefaultList<string>("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0b001", "FMS-Default-Protocols-Allowed", "tcp", "udp", "icmp"),
        };

        public override string Noun => "protocols list";
        public override string WireName => "ProtocolsList";
        public override string ArnKind => "protocols-list";
        public override string SequenceName => "protocolsLists";
        public override IReadOnlyList<FmsDefaultList<string>> Defaults => DefaultLists;
        public override int ItemsPerList(SandboxQuotas quotas) => quotas.ProtocolsPerList;
        public override int ListsPerAdmin(SandboxQuotas quotas) => quotas.CustomProtocolsLists;
        public override string ItemQuotaMessage(int quota) => "A protocols list can hold at most " + quota + " protocols.";

        public override StateTable<ProtocolsListRecord> Table(SandboxStore store) => store.ProtocolsLists;
        public override ProtocolsListData Data(ProtocolsListRecord record) => record.List;

        public override ProtocolsListRecord Record(string ownerAccountId, string region, long sequence, ProtocolsListData data)
            => new ProtocolsListRecord { OwnerAccountId = ownerAccountId, Region = region, Sequence = sequence, List = data };

        public override string? Id(ProtocolsListData data) => data.ListId;
        public override string? Name(ProtocolsListData data) => data.ListName;
        public override string? Token(ProtocolsListData data) => data.ListUpdateToken;
        public override DateTime? Created(ProtocolsListData data) => data.CreateTime;
        public override List<string>? Items(ProtocolsListData data) => data.ProtocolsList;
        public override Dictionary<string, List<string>>? Previous(ProtocolsListData data) => data.PreviousProtocolsList;
        public override string Copy(string item) => item;

        public override ProtocolsListData NewData(string id, string? name, string token, DateTime created, DateTime updated, List<string> items,
            Dictionary<string, List<string>>? previous) => new ProtocolsListData
        {
            ListId = id, ListName = name, ListUpdateToken = token, CreateTime = created, LastUpdateTime = updated, ProtocolsList = items, PreviousProtocolsList = previous,
        };

        public override object PutResponse(ProtocolsListData data, string arn) => new PutProtocolsListResponse { ProtocolsList = data, ProtocolsListArn = arn };
        public override object GetResponse(ProtocolsListData data, string arn) => new GetProtocolsListResponse { ProtocolsList = data, ProtocolsListArn = arn };

        public override object ListResponse(List<ProtocolsListData> page, Func<ProtocolsListData, string> arnOf, string? nextToken) => new ListProtocolsListsResponse
        {
            ProtocolsLists = page.Select(l => new ProtocolsListDataSummary { ListArn = arnOf(l), ListId = l.ListId, ListName = l.ListName, ProtocolsList = l.ProtocolsList }).ToList(),
            NextToken = nextToken,
        };
    }
}
