using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// PutAppsList/GetAppsList/DeleteAppsList/ListAppsLists and the protocols-list operations, written once over a
    /// <see cref="FmsListKind{TRecord, TData, TItem}"/>: an administrator's custom lists in a Region (with a quota, update
    /// tokens and the versions an update replaced) and the FMS-managed default lists every administrator sees.
    /// </summary>
    internal sealed class FmsListOperations<TRecord, TData, TItem> where TRecord : class, IAdminOwned where TData : class
    {
        private static readonly DateTime DefaultListTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private readonly FmsListKind<TRecord, TData, TItem> _kind;
        private readonly SandboxQuotas _quotas;

        public FmsListOperations(FmsListKind<TRecord, TData, TItem> kind, SandboxQuotas quotas)
        {
            _kind = kind;
            _quotas = quotas;
        }

        public object Put(RequestContext context, TData input, List<Tag>? tagList)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var store = context.Store;
            var items = _kind.Items(input) ?? new List<TItem>();
            if (items.Count > _kind.ItemsPerList(_quotas))
                throw SandboxFmsErrors.LimitExceeded(_kind.ItemQuotaMessage(_kind.ItemsPerList(_quotas)));
            var existing = ListToUpdate(context, admin, _kind.Id(input), _kind.Token(input));
            var id = existing == null ? Guid.NewGuid().ToString() : _kind.Id(_kind.Data(existing))!;
            var replaced = existing == null ? null : _kind.Data(existing);
            var data = _kind.NewData(id, _kind.Name(input), FmsAccess.NewUpdateToken(), (replaced == null ? null : _kind.Created(replaced)) ?? context.Now, context.Now,
                items.Select(_kind.Copy).ToList(),
                replaced == null ? null : WithReplacedVersion(_kind.Previous(replaced), _kind.Token(replaced)!, _kind.Items(replaced)));
            var record = _kind.Record(admin.AccountId, context.Region, existing?.Sequence ?? store.NextSequence(_kind.SequenceName), data);
            _kind.Table(store).Put(id, record);
            var arn = FmsAccess.Arn(_kind.ArnKind, context.Region, admin.AccountId, id);
            if (tagList != null && tagList.Count > 0) FmsTagOperations.Merge(store, arn, tagList);
            return _kind.PutResponse(data, arn);
        }

        public object Get(RequestContext context, string id, bool defaultList)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var arn = FmsAccess.Arn(_kind.ArnKind, context.Region, admin.AccountId, id);
            if (defaultList)
            {
                foreach (var entry in _kind.Defaults)
                    if (entry.Id == id)
                        return _kind.GetResponse(DefaultList(entry), arn);
                throw SandboxFmsErrors.NotFound("The default " + _kind.Noun + " " + id + " does not exist.");
            }
            var record = FmsAccess.FindOwned(context, admin, _kind.Table(context.Store), id, "The " + _kind.Noun + " " + id + " does not exist.");
            return _kind.GetResponse(_kind.Data(record), arn);
        }

        public object? Delete(RequestContext context, string id)
            => FmsAccess.DeleteOwned(context, _kind.Table(context.Store), id, _kind.Noun, _kind.ArnKind);

        public object List(RequestContext context, bool defaultLists, int? maxResults, string? nextToken)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var lists = defaultLists
                ? _kind.Defaults.Select(DefaultList).ToList()
                : FmsAccess.OwnedBy(context, admin, _kind.Table(context.Store)).Select(_kind.Data).ToList();
            var page = Pagination.Page(lists, maxResults, nextToken, 100, out var next);
            return _kind.ListResponse(page, l => FmsAccess.Arn(_kind.ArnKind, context.Region, admin.AccountId, _kind.Id(l)!), next);
        }

        /// <summary>The list a Put updates (its ListUpdateToken checked), or null when the Put creates one within the quota.</summary>
        private TRecord? ListToUpdate(RequestContext context, AdminRecord admin, string? id, string? token)
        {
            var table = _kind.Table(context.Store);
            if (!string.IsNullOrEmpty(id))
            {
                var existing = FmsAccess.FindOwned(context, admin, table, id!, "The " + _kind.Noun + " " + id + " does not exist.");
                CheckToken(token, _kind.Token(_kind.Data(existing))!, id!);
                return existing;
            }
            var quota = _kind.ListsPerAdmin(_quotas);
            if (FmsAccess.OwnedBy(context, admin, table).Count() >= quota)
                throw SandboxFmsErrors.LimitExceeded("You have reached the limit of " + quota + " custom " + _kind.Noun + "s in " + context.Region + ".");
            return null;
        }

        private void CheckToken(string? given, string current, string id)
        {
            var kind = _kind.WireName;
            if (string.IsNullOrEmpty(given))
                throw SandboxFmsErrors.InvalidInput("ListUpdateToken is required to update " + kind + " " + id + ". Call Get" + kind + " for the current token.");
            if (!string.Equals(given, current, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("The ListUpdateToken " + given + " is out of date: " + kind + " " + id
                    + " was changed after you read it. Read it again for the current ListUpdateToken and retry.");
        }

        /// <summary>The earlier versions a list keeps after an update: those it had, plus the one replaced, under its token.</summary>
        private static Dictionary<string, List<TItem>> WithReplacedVersion(Dictionary<string, List<TItem>>? kept, string replacedToken, List<TItem>? replaced)
            => new Dictionary<string, List<TItem>>(kept ?? new Dictionary<string, List<TItem>>()) { [replacedToken] = replaced ?? new List<TItem>() };

        /// <summary>A default list as GetAppsList/GetProtocolsList return it, with a fixed token (FMS never changes them).</summary>
        private TData DefaultList(FmsDefaultList<TItem> entry)
            => _kind.NewData(entry.Id, entry.Name, "1:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.Id.Substring(0, 16))),
                DefaultListTime, DefaultListTime, entry.Items.ToList(), null);
    }
}
