using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Organization
{
    /// <summary>An account of the organization as reports show it.</summary>
    public sealed class OrganizationAccount
    {
        public OrganizationAccount(string accountId, string accountName, string organizationalUnitPath, string email = "", string status = "")
        {
            AccountId = accountId ?? throw new ArgumentNullException(nameof(accountId));
            AccountName = string.IsNullOrEmpty(accountName) ? accountId : accountName;
            OrganizationalUnitPath = organizationalUnitPath ?? "";
            Email = email ?? "";
            Status = status ?? "";
        }

        public string AccountId { get; }

        /// <summary>The account's name, or its id when the name is not known.</summary>
        public string AccountName { get; }

        /// <summary>Names from the root down to the account's parent, e.g. "Root/Production/Web"; empty when unknown.</summary>
        public string OrganizationalUnitPath { get; }

        public string Email { get; }

        /// <summary>ACTIVE, SUSPENDED ...; empty when unknown.</summary>
        public string Status { get; }

        /// <summary>An entry for an account Organizations did not describe (or could not be read): the id stands in for the name.</summary>
        public static OrganizationAccount Unknown(string accountId) => new OrganizationAccount(accountId, accountId, "");

        public override string ToString() => $"{AccountName} ({AccountId}) {OrganizationalUnitPath}";
    }

    /// <summary>
    /// Account id → name and OU path, read once from Organizations (ListRoots, then ListOrganizationalUnitsForParent
    /// and ListAccountsForParent down the tree) and cached for the directory's lifetime (keep one per session).
    /// Without Organizations permissions (or outside an organization) it warns once and answers with ids only.
    /// </summary>
    public sealed class OrganizationDirectory
    {
        private readonly IOrganizationsClient? _client;
        private readonly IOperationReporter _reporter;
        private readonly AdaptiveThrottle? _throttle;
        private readonly object _lock = new object();
        private Task<IReadOnlyDictionary<string, OrganizationAccount>>? _load;

        public OrganizationDirectory(IOrganizationsClient? client, IOperationReporter? reporter = null, AdaptiveThrottle? throttle = null)
        {
            _client = client;
            _reporter = reporter ?? NullOperationReporter.Instance;
            _throttle = throttle;
        }

        /// <summary>A directory that knows nothing (ids stand in for names), without warnings.</summary>
        public static OrganizationDirectory Empty { get; } = new OrganizationDirectory(null);

        /// <summary>A directory over accounts already known (tests, or accounts read elsewhere).</summary>
        public static OrganizationDirectory FromAccounts(IEnumerable<OrganizationAccount> accounts)
        {
            var map = new Dictionary<string, OrganizationAccount>(StringComparer.Ordinal);
            foreach (var account in accounts) map[account.AccountId] = account;
            var directory = new OrganizationDirectory(null);
            directory._load = Task.FromResult<IReadOnlyDictionary<string, OrganizationAccount>>(map);
            directory.IsAvailable = true;
            return directory;
        }

        /// <summary>False when Organizations could not be read; names are then account ids.</summary>
        public bool IsAvailable { get; private set; }

        /// <summary>All accounts, loading them on first use.</summary>
        public Task<IReadOnlyDictionary<string, OrganizationAccount>> GetAccountsAsync(CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                if (_load == null || _load.IsCanceled || (_load.IsFaulted))
                    _load = LoadAsync(cancellationToken);
                return _load;
            }
        }

        /// <summary>One account's entry; an id-only entry when unknown.</summary>
        public async Task<OrganizationAccount> GetAccountAsync(string accountId, CancellationToken cancellationToken = default)
        {
            var accounts = await GetAccountsAsync(cancellationToken).ConfigureAwait(false);
            return accounts.TryGetValue(accountId, out var account) ? account : OrganizationAccount.Unknown(accountId);
        }

        private async Task<IReadOnlyDictionary<string, OrganizationAccount>> LoadAsync(CancellationToken cancellationToken)
        {
            var accounts = new Dictionary<string, OrganizationAccount>(StringComparer.Ordinal);
            if (_client == null) return accounts;
            try
            {
                var roots = new List<Root>();
                await foreach (var root in Paged<ListRootsRequest, ListRootsResponse, Root>("ListRoots", new ListRootsRequest(),
                    (r, t) => r.NextToken = t, r => r.NextToken, r => r.Roots, _client.ListRootsAsync, cancellationToken).ConfigureAwait(false))
                    roots.Add(root);

                // Breadth first, one level of the tree at a time; the parents of a level are read concurrently (at most
                // MaxParentsInFlight at once, each listing its accounts and its child OUs together), so the walk takes
                // about as many round trips as the tree is deep rather than one per parent.
                var level = new List<KeyValuePair<string, string>>();
                foreach (var root in roots)
                    if (root.Id != null) level.Add(new KeyValuePair<string, string>(root.Id, string.IsNullOrEmpty(root.Name) ? "Root" : root.Name!));
                var visited = new HashSet<string>(StringComparer.Ordinal);
                using (var gate = new SemaphoreSlim(MaxParentsInFlight))
                {
                    while (level.Count > 0)
                    {
                        var parents = level.Where(p => visited.Add(p.Key)).ToList();
                        var read = await Task.WhenAll(parents.Select(p => ReadParentAsync(p, gate, cancellationToken))).ConfigureAwait(false);
                        level = new List<KeyValuePair<string, string>>();
                        foreach (var (parentAccounts, children) in read)
                        {
                            foreach (var account in parentAccounts) accounts[account.AccountId] = account;
                            level.AddRange(children);
                        }
                    }
                }
                IsAvailable = true;
                _reporter.Verbose($"Organizations: {accounts.Count} accounts in {visited.Count} roots and organizational units.");
                return accounts;
            }
            catch (AwsServiceException e) when (IsUnavailable(e))
            {
                IsAvailable = false;
                _reporter.Warning($"Account names and OU paths are not shown: Organizations answered {e.ErrorCode} ({e.Message}). "
                                  + "Reports use account ids instead; grant organizations:ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent to see names.");
                return new Dictionary<string, OrganizationAccount>(StringComparer.Ordinal);
            }
        }

        /// <summary>How many parents (roots or OUs) are read at once while walking the tree.</summary>
        internal const int MaxParentsInFlight = 4;

        private async Task<(List<OrganizationAccount> Accounts, List<KeyValuePair<string, string>> Children)> ReadParentAsync(
            KeyValuePair<string, string> parent, SemaphoreSlim gate, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var accountsTask = ListAccountsAsync(parent, cancellationToken);
                var childrenTask = ListChildrenAsync(parent, cancellationToken);
                await Task.WhenAll(accountsTask, childrenTask).ConfigureAwait(false);
                return (accountsTask.Result, childrenTask.Result);
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task<List<OrganizationAccount>> ListAccountsAsync(KeyValuePair<string, string> parent, CancellationToken cancellationToken)
        {
            var result = new List<OrganizationAccount>();
            await foreach (var account in Paged<ListAccountsForParentRequest, ListAccountsForParentResponse, Account>("ListAccountsForParent",
                new ListAccountsForParentRequest { ParentId = parent.Key }, (r, t) => r.NextToken = t, r => r.NextToken, r => r.Accounts,
                _client!.ListAccountsForParentAsync, cancellationToken).ConfigureAwait(false))
            {
                if (account.Id == null) continue;
                result.Add(new OrganizationAccount(account.Id, account.Name ?? account.Id, parent.Value, account.Email ?? "", account.Status ?? account.State ?? ""));
            }
            return result;
        }

        private async Task<List<KeyValuePair<string, string>>> ListChildrenAsync(KeyValuePair<string, string> parent, CancellationToken cancellationToken)
        {
            var result = new List<KeyValuePair<string, string>>();
            await foreach (var unit in Paged<ListOrganizationalUnitsForParentRequest, ListOrganizationalUnitsForParentResponse, OrganizationalUnit>(
                "ListOrganizationalUnitsForParent", new ListOrganizationalUnitsForParentRequest { ParentId = parent.Key },
                (r, t) => r.NextToken = t, r => r.NextToken, r => r.OrganizationalUnits, _client!.ListOrganizationalUnitsForParentAsync,
                cancellationToken).ConfigureAwait(false))
            {
                if (unit.Id != null) result.Add(new KeyValuePair<string, string>(unit.Id, parent.Value + "/" + (unit.Name ?? unit.Id)));
            }
            return result;
        }

        private static bool IsUnavailable(AwsServiceException e)
            => e.ErrorCode == OrganizationsErrorCodes.AccessDeniedException
               || e.ErrorCode == OrganizationsErrorCodes.AWSOrganizationsNotInUseException
               || e.ErrorCode == "AccessDenied"
               || e.ErrorCode == "UnauthorizedOperation"
               || e.ErrorCode == OrganizationsErrorCodes.UnsupportedAPIEndpointException
               || e.StatusCode == System.Net.HttpStatusCode.Forbidden;

        private async IAsyncEnumerable<TItem> Paged<TRequest, TResponse, TItem>(string operation, TRequest request,
            Action<TRequest, string?> setToken, Func<TResponse, string?> nextToken, Func<TResponse, List<TItem>?> items,
            Func<TRequest, CancellationToken, Task<TResponse>> call,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
            where TRequest : class where TResponse : class
        {
            var throttle = _throttle;
            Func<TRequest, CancellationToken, Task<TResponse>> send = throttle == null
                ? call
                : (r, ct) => throttle.RunAsync("organizations:" + operation, null, c => call(r, c), ct);
            await foreach (var page in AwsPagination.PagesAsync(request, send, nextToken, setToken, cancellationToken).ConfigureAwait(false))
            {
                var list = items(page);
                if (list == null) continue;
                foreach (var item in list) yield return item;
            }
        }
    }
}
