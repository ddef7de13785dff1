using System.Collections;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Engine.Connection;

namespace FmsTools.Completers
{
    /// <summary>
    /// Tab completion from live data, without a PowerShell host: the argument completers are thin adaptors over
    /// this. The connection is resolved exactly as the cmdlets resolve it (the -ProfileName/-Region/-EndpointUrl/
    /// keys already on the command line, then Connect-Fms's session defaults, then AWS.Tools' stored settings).
    /// Lists are cached per connection for a short time; a fetch never holds the prompt longer than the wait
    /// bound (it goes on in the background and the next Tab uses it), and any failure completes nothing.
    /// Known value sets (regions, resource types, violation reasons, ...) need no connection at all.
    /// </summary>
    internal sealed partial class CompletionEngine
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
        private static readonly List<Item> NoItems = new List<Item>();

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
            Func<string, object?> readVariable, CompletionRequest? request = null)
        {
            try
            {
                var word = Unquote(wordToComplete ?? "");
                var call = new Call(this, boundParameters, readVariable, request ?? new CompletionRequest(), word);
                return Candidates(kind, Items(kind, call), word);
            }
            catch (Exception e) when (!(e is OutOfMemoryException) && !(e is StackOverflowException))
            {
                // Completion must never surface an error at the prompt.
                return Nothing;
            }
        }

        /// <summary>
        /// One value: the parameter value, a human name (listed beside an id, and matched by what is typed), the
        /// tooltip, the tooltip when the name is what gets inserted, and one more fact a dependent list needs.
        /// </summary>
        internal sealed class Item
        {
            public Item(string value, string? name, string detail, string? nameTip = null, string? extra = null, string? listed = null)
            {
                Listed = listed;
                Value = value;
                Name = name;
                Detail = detail;
                NameTip = nameTip;
                Extra = extra;
            }

            public string Value { get; }
            public string? Name { get; }
            public string Detail { get; }
            public string? NameTip { get; }
            public string? Extra { get; }

            /// <summary>The menu text, when it is not the value with the name beside it.</summary>
            public string? Listed { get; }
        }

        /// <summary>One completion: what is on the command line, and the time left to wait for the service.</summary>
        private sealed class Call
        {
            private readonly Stopwatch _watch = Stopwatch.StartNew();
            private readonly TimeSpan _wait;

            public Call(CompletionEngine engine, IDictionary? bound, Func<string, object?> readVariable, CompletionRequest request, string word)
            {
                _wait = engine._wait;
                Bound = bound;
                ReadVariable = readVariable;
                Request = request;
                Word = word;
            }

            public IDictionary? Bound { get; }
            public Func<string, object?> ReadVariable { get; }
            public CompletionRequest Request { get; }
            public string Word { get; }

            public TimeSpan Remaining
            {
                get
                {
                    var left = _wait - _watch.Elapsed;
                    return left > TimeSpan.Zero ? left : TimeSpan.Zero;
                }
            }

            /// <summary>The value of the first of <paramref name="names"/> on the command line (unwrapped), or null.</summary>
            public object? Value(params string[] names)
            {
                if (Bound == null) return null;
                foreach (var name in names)
                    foreach (DictionaryEntry entry in Bound)
                        if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
                            return BaseObject(entry.Value);
                return null;
            }

            public bool Has(params string[] names)
            {
                if (Bound == null) return false;
                foreach (var name in names)
                    foreach (DictionaryEntry entry in Bound)
                        if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
                            return true;
                return false;
            }

            /// <summary>The text values of a string or string[] parameter on the command line.</summary>
            public List<string> Texts(params string[] names)
            {
                var result = new List<string>();
                var value = Value(names);
                if (value is string s)
                {
                    if (s.Length > 0) result.Add(s);
                }
                else if (value is IEnumerable many)
                {
                    foreach (var item in many)
                        if (BaseObject(item) is string one && one.Length > 0) result.Add(one);
                }
                return result;
            }

            public string? Text(params string[] names) => Texts(names).FirstOrDefault();
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

        /// <summary>The cached list under <paramref name="key"/>, started with <paramref name="load"/> when missing or stale.</summary>
        private CacheEntry Entry(string key, Func<Task<List<Item>>> load)
        {
            lock (_gate)
            {
                var now = _clock();
                if (!_cache.TryGetValue(key, out var entry) || !IsFresh(entry, now))
                {
                    Interlocked.Increment(ref _fetchCount);
                    entry = new CacheEntry(now, Task.Run(load));
                    _cache[key] = entry;
                }
                return entry;
            }
        }

        /// <summary>The entry's items, or none when they do not arrive within the call's remaining wait or failed.</summary>
        private static List<Item> Await(CacheEntry entry, Call call)
        {
            try
            {
                if (!entry.Items.Wait(call.Remaining)) return NoItems;
            }
            catch (AggregateException)
            {
                return NoItems;
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

        private delegate Task<List<Item>> Loader(AwsSession session, CancellationToken ct);

        /// <summary>
        /// Starts (or finds cached) one service list per connection the command line names: one, or one per Region
        /// when a -Region array is given (Get-FmsComplianceReport). The service is called on the thread pool only;
        /// variables are read here, on the caller's (pipeline) thread.
        /// </summary>
        private List<CacheEntry> Start(Call call, string list, Loader load)
        {
            var entries = new List<CacheEntry>();
            foreach (var settings in ConnectionVariants(call))
            {
                var resolved = FmsConnectedCmdlet.ResolveLayers(settings, call.ReadVariable);
                entries.Add(Entry(ConnectionResolver.CacheKey(resolved.Options) + "|" + list, () => LoadAsync(resolved, load)));
            }
            return entries;
        }

        private static List<Item> Collect(Call call, IEnumerable<CacheEntry> entries)
        {
            var result = new List<Item>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
                foreach (var item in Await(entry, call))
                    if (seen.Add(item.Value)) result.Add(item);
            return result;
        }

        private List<Item> Remote(Call call, string list, Loader load) => Collect(call, Start(call, list, load));

        private static async Task<List<Item>> LoadAsync(ResolvedConnection resolved, Loader load)
        {
            using var limit = new CancellationTokenSource(FetchLimit);
            var session = FmsConnectedCmdlet.OpenSession(resolved.Options);
            return await load(session, limit.Token).ConfigureAwait(false);
        }

        private static IEnumerable<ConnectionSettings> ConnectionVariants(Call call)
        {
            var regions = call.Texts("Region", "RegionToCall");
            if (regions.Count <= 1)
            {
                yield return CallSettings(call.Bound);
                yield break;
            }
            foreach (var region in regions.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var settings = CallSettings(call.Bound);
                settings.Region = region;
                yield return settings;
            }
        }

        /// <summary>Kinds whose value is the name (the id goes in the tooltip).</summary>
        private static bool InsertsName(FmsCompletionKind kind)
            => kind == FmsCompletionKind.PolicyName || kind == FmsCompletionKind.AppsListName || kind == FmsCompletionKind.ProtocolsListName
               || kind == FmsCompletionKind.ResourceSetName || kind == FmsCompletionKind.JournalPolicyName;

        /// <summary>Kinds listed in their own order (most useful first) rather than alphabetically.</summary>
        private static bool KeepsOrder(FmsCompletionKind kind)
            => kind == FmsCompletionKind.RestoreVersion || kind == FmsCompletionKind.StatelessAction || kind == FmsCompletionKind.StatefulDefaultAction
               || kind == FmsCompletionKind.Protocol || kind == FmsCompletionKind.MemberAccountRoleName || kind == FmsCompletionKind.PolicyResourceType
               || kind == FmsCompletionKind.PolicyType;

        private static IReadOnlyList<CompletionCandidate> Candidates(FmsCompletionKind kind, IReadOnlyList<Item> items, string word)
        {
            var pattern = new Wildcard(word + "*");
            var byName = InsertsName(kind);
            IEnumerable<Item> ordered = items;
            if (!KeepsOrder(kind))
                ordered = items.OrderBy(i => byName ? i.Name : i.Value, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Value, StringComparer.Ordinal);
            var result = new List<CompletionCandidate>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in ordered)
            {
                if (byName)
                {
                    if (item.Name == null || !pattern.IsMatch(item.Name) || !seen.Add(item.Name)) continue;
                    result.Add(new CompletionCandidate(Quote(item.Name), item.Name, item.NameTip ?? item.Detail));
                    continue;
                }
                if (!pattern.IsMatch(item.Value) && !(item.Name != null && pattern.IsMatch(item.Name))) continue;
                if (!seen.Add(item.Value)) continue;
                var list = item.Listed ?? (item.Name == null ? item.Value : item.Value + " (" + item.Name + ")");
                result.Add(new CompletionCandidate(Quote(item.Value), list, item.Detail));
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
                        // Get-FmsComplianceReport takes several regions; each is its own connection (ConnectionVariants).
                        if (value is IEnumerable many && !(value is string))
                            foreach (var one in many)
                                if (BaseObject(one) is string first && first.Length > 0) return first;
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
