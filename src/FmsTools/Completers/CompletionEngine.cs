using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;

namespace FmsTools.Completers
{
    /// <summary>
    /// Tab completion from live data, without a PowerShell host: the argument completers are thin adaptors over
    /// this. The connection is resolved exactly as the cmdlets resolve it (the -ProfileName/-Region/-EndpointUrl/
    /// keys already on the command line, then Connect-Fms's session defaults, then AWS.Tools' stored settings).
    /// Lists are cached per connection for a short time; a fetch never holds the prompt longer than the wait
    /// bound (it goes on in the background and the next Tab uses it), and any failure completes nothing.
    /// </summary>
    internal sealed class CompletionEngine
    {
        /// <summary>The process-wide instance the completers use: lists live 60 s, Tab waits at most 2 s.</summary>
        public static CompletionEngine Shared { get; } = new CompletionEngine(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));

        /// <summary>The most organizational units listed (the OU tree is walked breadth-first).</summary>
        internal const int MaxOrganizationalUnits = 1000;

        // A background fetch is abandoned after this long even if nobody waits for it.
        private static readonly TimeSpan FetchLimit = TimeSpan.FromSeconds(30);

        // After a failure (no credentials, access denied) the next Tab tries again only after this.
        private static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(5);

        private static readonly IReadOnlyList<CompletionCandidate> Nothing = new CompletionCandidate[0];

        private readonly object _gate = new object();
        private readonly Dictionary<string, CacheEntry> _cache = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);
        private readonly TimeSpan _lifetime;
        private readonly TimeSpan _wait;
        private readonly Func<DateTime> _clock;

        public CompletionEngine(TimeSpan lifetime, TimeSpan wait, Func<DateTime>? clock = null)
        {
            _lifetime = lifetime;
            _wait = wait;
            _clock = clock ?? (() => DateTime.UtcNow);
        }

        /// <summary>How many times a list was fetched from the service (tests check the cache with it).</summary>
        public int FetchCount => Volatile.Read(ref _fetchCount);
        private int _fetchCount;

        /// <summary>
        /// Candidates for <paramref name="wordToComplete"/>. <paramref name="boundParameters"/> are the parameters
        /// already on the command line (PowerShell's fakeBoundParameters); <paramref name="readVariable"/> reads a
        /// session variable such as "global:FmsToolsSessionDefaults". Never throws.
        /// </summary>
        public IReadOnlyList<CompletionCandidate> Complete(FmsCompletionKind kind, string? wordToComplete, IDictionary? boundParameters,
            Func<string, object?> readVariable)
        {
            try
            {
                var word = Unquote(wordToComplete ?? "");
                var items = kind == FmsCompletionKind.Region ? RegionItems : Fetch(kind, boundParameters, readVariable);
                return Candidates(kind, items, word);
            }
            catch (Exception e) when (!(e is OutOfMemoryException) && !(e is StackOverflowException))
            {
                // Completion must never surface an error at the prompt.
                return Nothing;
            }
        }

        /// <summary>One value the service knows: the parameter value, a human name, and a detail for the tooltip.</summary>
        internal sealed class Item
        {
            public Item(string value, string? name, string detail)
            {
                Value = value;
                Name = name;
                Detail = detail;
            }

            public string Value { get; }
            public string? Name { get; }
            public string Detail { get; }
        }

        private sealed class CacheEntry
        {
            public CacheEntry(DateTime created, Task<List<Item>> items)
            {
                Created = created;
                Items = items;
            }

            public DateTime Created { get; }
            public Task<List<Item>> Items { get; }
        }

        private IReadOnlyList<Item> Fetch(FmsCompletionKind kind, IDictionary? boundParameters, Func<string, object?> readVariable)
        {
            // Variables are read here, on the caller's (pipeline) thread; only the service calls go to the pool.
            var resolved = FmsConnectedCmdlet.ResolveLayers(CallSettings(boundParameters), readVariable);
            var key = ConnectionResolver.CacheKey(resolved.Options) + "|" + ListName(kind);
            CacheEntry entry;
            lock (_gate)
            {
                var now = _clock();
                if (!_cache.TryGetValue(key, out entry!) || !IsFresh(entry, now))
                {
                    Interlocked.Increment(ref _fetchCount);
                    entry = new CacheEntry(now, Task.Run(() => LoadAsync(kind, resolved)));
                    _cache[key] = entry;
                }
            }
            try
            {
                if (!entry.Items.Wait(_wait)) return new Item[0];
            }
            catch (AggregateException)
            {
                return new Item[0];
            }
            return entry.Items.Result;
        }

        private bool IsFresh(CacheEntry entry, DateTime now)
        {
            var items = entry.Items;
            if (items.IsFaulted || items.IsCanceled) return now - entry.Created < FailureMemory;
            if (!items.IsCompleted) return now - entry.Created < FetchLimit;
            return now - entry.Created < _lifetime;
        }

        // Policy names and ids come from one list, so completing -Name then -PolicyId calls the service once.
        private static string ListName(FmsCompletionKind kind)
            => kind == FmsCompletionKind.PolicyId ? FmsCompletionKind.PolicyName.ToString() : kind.ToString();

        private static async Task<List<Item>> LoadAsync(FmsCompletionKind kind, ResolvedConnection resolved)
        {
            using var limit = new CancellationTokenSource(FetchLimit);
            var ct = limit.Token;
            var session = FmsConnectedCmdlet.OpenSession(resolved.Options);
            var items = new List<Item>();
            switch (kind)
            {
                case FmsCompletionKind.PolicyName:
                case FmsCompletionKind.PolicyId:
                    var policies = new PolicyService(session.Fms, session.Wafv2, session.Region);
                    await foreach (var policy in policies.GetPoliciesAsync(null, null, false, ct).ConfigureAwait(false))
                        if (policy.PolicyId != null)
                            items.Add(new Item(policy.PolicyId, policy.Name, policy.Type.ToString()));
                    break;
                case FmsCompletionKind.AccountId:
                    await LoadAccountsAsync(session, items, ct).ConfigureAwait(false);
                    break;
                case FmsCompletionKind.OrganizationalUnitId:
                    await LoadOrganizationalUnitsAsync(session, items, ct).ConfigureAwait(false);
                    break;
                case FmsCompletionKind.ManagedRuleGroup:
                    var request = new ListAvailableManagedRuleGroupsRequest { Scope = "REGIONAL" };
                    await foreach (var group in session.Wafv2.ListAvailableManagedRuleGroupsItemsAsync(request, ct).ConfigureAwait(false))
                        if (group?.VendorName != null && group.Name != null)
                            items.Add(new Item(group.VendorName + "/" + group.Name, group.Name, group.Description ?? group.VendorName + " managed rule group"));
                    break;
            }
            return items;
        }

        private static async Task LoadAccountsAsync(AwsSession session, List<Item> items, CancellationToken ct)
        {
            try
            {
                await foreach (var account in session.Organizations.ListAccountsItemsAsync(new ListAccountsRequest(), ct).ConfigureAwait(false))
                    if (account?.Id != null)
                        items.Add(new Item(account.Id, account.Name, string.Join(", ", new[] { account.Name, account.Email, account.State ?? account.Status }.Where(s => !string.IsNullOrEmpty(s)))));
                return;
            }
            catch (AwsServiceException)
            {
                // Only the management account (or a delegated administrator) may list the organization;
                // the FMS administrator can still list the accounts it manages, without names.
                items.Clear();
            }
            await foreach (var id in session.Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest(), ct).ConfigureAwait(false))
                if (id != null) items.Add(new Item(id, null, "member account"));
        }

        private static async Task LoadOrganizationalUnitsAsync(AwsSession session, List<Item> items, CancellationToken ct)
        {
            var pending = new Queue<KeyValuePair<string, string>>();
            await foreach (var root in session.Organizations.ListRootsItemsAsync(new ListRootsRequest(), ct).ConfigureAwait(false))
                if (root?.Id != null) pending.Enqueue(new KeyValuePair<string, string>(root.Id, root.Name ?? "Root"));
            while (pending.Count > 0 && items.Count < MaxOrganizationalUnits)
            {
                var parent = pending.Dequeue();
                var request = new ListOrganizationalUnitsForParentRequest { ParentId = parent.Key };
                await foreach (var ou in session.Organizations.ListOrganizationalUnitsForParentItemsAsync(request, ct).ConfigureAwait(false))
                {
                    if (ou?.Id == null) continue;
                    var path = parent.Value + "/" + (ou.Name ?? ou.Id);
                    items.Add(new Item(ou.Id, ou.Name, path));
                    pending.Enqueue(new KeyValuePair<string, string>(ou.Id, path));
                    if (items.Count >= MaxOrganizationalUnits) break;
                }
            }
        }

        private static readonly IReadOnlyList<Item> RegionItems =
            AwsRegions.All.Select(r => new Item(r.Key, r.Value, r.Value)).ToList();

        private static IReadOnlyList<CompletionCandidate> Candidates(FmsCompletionKind kind, IReadOnlyList<Item> items, string word)
        {
            var pattern = new Wildcard(word + "*");
            var matchesName = kind != FmsCompletionKind.PolicyName;
            var result = new List<CompletionCandidate>();
            foreach (var item in items.OrderBy(i => kind == FmsCompletionKind.PolicyName ? i.Name : i.Value, StringComparer.OrdinalIgnoreCase))
            {
                switch (kind)
                {
                    case FmsCompletionKind.PolicyName:
                        if (item.Name == null || !pattern.IsMatch(item.Name)) continue;
                        result.Add(new CompletionCandidate(Quote(item.Name), item.Name, $"{item.Name} ({item.Detail} policy {item.Value})"));
                        break;
                    case FmsCompletionKind.ManagedRuleGroup:
                        if (!pattern.IsMatch(item.Value) && !(item.Name != null && pattern.IsMatch(item.Name))) continue;
                        result.Add(new CompletionCandidate(Quote(item.Value), item.Value, item.Detail));
                        break;
                    default:
                        if (!pattern.IsMatch(item.Value) && !(matchesName && item.Name != null && pattern.IsMatch(item.Name))) continue;
                        var list = item.Name == null ? item.Value : item.Value + " (" + item.Name + ")";
                        var tip = kind == FmsCompletionKind.PolicyId ? $"{item.Name} ({item.Detail} policy)" : item.Detail;
                        result.Add(new CompletionCandidate(Quote(item.Value), list, tip));
                        break;
                }
            }
            return result;
        }

        /// <summary>The connection parameters already typed on the command line, as the cmdlet would bind them.</summary>
        internal static ConnectionSettings CallSettings(IDictionary? bound)
        {
            string? Text(params string[] names)
            {
                if (bound == null) return null;
                foreach (var name in names)
                {
                    foreach (DictionaryEntry entry in bound)
                    {
                        if (!string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase)) continue;
                        var value = BaseObject(entry.Value);
                        if (value is string s && s.Length > 0) return s;
                    }
                }
                return null;
            }

            var call = new ConnectionSettings
            {
                Source = "parameters",
                ProfileName = Text("ProfileName", "Profile", "StoredCredentials"),
                ProfilesLocation = Text("ProfileLocation", "ProfilesLocation"),
                Region = Text("Region", "RegionToCall"),
                EndpointUrl = Text("EndpointUrl"),
                AccessKey = Text("AccessKey"),
                SecretKey = Text("SecretKey"),
                SessionToken = Text("SessionToken"),
            };
            if (bound != null)
            {
                foreach (DictionaryEntry entry in bound)
                    if (string.Equals(entry.Key as string, "Credential", StringComparison.OrdinalIgnoreCase))
                        call.Credentials = AwsCredentialObject.From(entry.Value);
            }
            return call;
        }

        /// <summary>PowerShell hands values wrapped in PSObject; read the wrapped object without needing a host.</summary>
        internal static object? BaseObject(object? value)
        {
            for (var i = 0; i < 4 && value != null; i++)
            {
                var type = value.GetType();
                if (type.FullName != "System.Management.Automation.PSObject") break;
                var inner = type.GetProperty("BaseObject")?.GetValue(value);
                if (inner == null || ReferenceEquals(inner, value)) break;
                value = inner;
            }
            return value;
        }

        internal static string Unquote(string word)
        {
            word = word.Trim();
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"')) word = word.Substring(1);
            if (word.Length > 0 && (word[word.Length - 1] == '\'' || word[word.Length - 1] == '"')) word = word.Substring(0, word.Length - 1);
            // Inside a single-quoted literal a doubled quote character (' or a typographic one) stands for one.
            var builder = new System.Text.StringBuilder(word.Length);
            for (var i = 0; i < word.Length; i++)
            {
                builder.Append(word[i]);
                if (PowerShellLiteral.IsSingleQuote(word[i]) && i + 1 < word.Length && word[i + 1] == word[i]) i++;
            }
            return builder.ToString();
        }

        /// <summary>Single-quotes a value that a command line would otherwise split or expand.</summary>
        internal static string Quote(string value)
        {
            var needs = value.Length == 0 || value[0] == '-'
                        || value.Any(c => char.IsWhiteSpace(c) || PowerShellLiteral.IsSingleQuote(c) || "\"`$;,(){}|&@#<>".IndexOf(c) >= 0);
            return needs ? PowerShellLiteral.Quote(value) : value;
        }
    }
}
