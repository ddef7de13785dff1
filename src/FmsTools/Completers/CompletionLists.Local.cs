using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Engine.History;
using FmsTools.Sandbox;

namespace FmsTools.Completers
{
    /// <summary>The kinds whose values need no call: those that depend on the command line, and the local change journal.</summary>
    internal sealed partial class CompletionEngine
    {
        // ---- known values that depend on the command line -------------------------------------------------------

        /// <summary>
        /// -ResourceType of a policy builder: the types its policy type may scope to. Set-FmsPolicy: those of the piped
        /// -InputObject's or the -PolicyId's policy type (from the cached policy list). Anything else: every type.
        /// </summary>
        private List<Item> PolicyResourceTypes(Call call)
        {
            var types = KnownValues.PolicyTypesOf(call.Request.CommandName, names => call.Has(names));
            if (types == null)
            {
                if (call.Value("InputObject") is FmsPolicy piped && piped.TypeValue != FmsPolicyType.Unknown) types = new[] { piped.TypeValue };
                else
                {
                    var id = call.Text("PolicyId");
                    var policy = id == null ? null : Policies(call).FirstOrDefault(p => string.Equals(p.Value, id, StringComparison.Ordinal));
                    if (policy?.Extra != null && Enum.TryParse<FmsPolicyType>(policy.Extra, out var type) && type != FmsPolicyType.Unknown) types = new[] { type };
                }
            }
            return KnownValues.ResourceTypesFor(types ?? FmsPolicyTypes.All);
        }

        private static List<Item> Profiles(Call call)
        {
            var location = call.Text("ProfileLocation", "ProfilesLocation");
            if (location != null && call.Request.ResolvePath != null) location = call.Request.ResolvePath(location) ?? location;
            return AwsProfileNames.List(location)
                .Select(p => new Item(p.Key, null, p.Value == null ? "AWS profile" : "AWS profile (region " + p.Value + ")"))
                .ToList();
        }

        private static List<Item> SandboxEndpoints()
            => SandboxSessions.All().Select(h => new Item(h.Endpoint, null, $"FmsTools sandbox, region {h.Region}, administrator {h.AdminAccountId}")).ToList();

        private static List<Item> SandboxOperations(Call call)
        {
            var host = call.Value("Sandbox") as SandboxHost ?? SandboxSessions.Latest();
            if (host == null) return NoItems;
            return host.RequestLog.Entries
                .GroupBy(e => e.Operation, StringComparer.Ordinal)
                .Select(g => new Item(g.Key, null, $"{g.First().Service} {g.Key}: {g.Count().ToString(CultureInfo.InvariantCulture)} request(s){(g.Any(e => e.Mutating) ? ", mutating" : "")}"))
                .ToList();
        }

        // ---- the change journal -------------------------------------------------------------------------------------

        /// <summary>
        /// Values recorded in the change journal the command would read (-JournalPath, else $env:FMSTOOLS_JOURNAL or the
        /// default folder). The journal is re-read only when one of its files changed.
        /// </summary>
        private List<Item> JournalItems(FmsCompletionKind kind, Call call)
        {
            var folder = call.Text("JournalPath");
            if (folder != null && call.Request.ResolvePath != null) folder = call.Request.ResolvePath(folder) ?? folder;
            folder ??= ChangeJournalStore.DefaultFolder();
            if (folder == null) return NoItems;
            var journal = Journal(Path.GetFullPath(folder), call);
            if (journal.Count == 0) return NoItems;
            switch (kind)
            {
                case FmsCompletionKind.JournalPolicyId:
                case FmsCompletionKind.RestorablePolicyId:
                    return journal.Where(e => e.PolicyId != null && (kind == FmsCompletionKind.JournalPolicyId || e.Version > 0))
                        .GroupBy(e => e.PolicyId!, StringComparer.Ordinal)
                        .Select(g =>
                        {
                            var last = g.Last();
                            var name = g.Select(e => e.PolicyName).LastOrDefault(n => n != null);
                            var versions = g.Count(e => e.Version > 0);
                            return new Item(g.Key, name, $"{name ?? g.Key}: {versions.ToString(CultureInfo.InvariantCulture)} recorded version(s), last {last.Operation} {last.Time.ToString("u", CultureInfo.InvariantCulture)}");
                        }).ToList();
                case FmsCompletionKind.JournalPolicyName:
                    return journal.Where(e => e.PolicyName != null && e.PolicyId != null)
                        .GroupBy(e => e.PolicyName!, StringComparer.Ordinal)
                        .Select(g => new Item(g.Last().PolicyId!, g.Key, g.Key, $"{g.Key} (policy {g.Last().PolicyId}, {g.Count().ToString(CultureInfo.InvariantCulture)} change(s) recorded)"))
                        .ToList();
                case FmsCompletionKind.JournalCaller:
                    return journal.Where(e => e.CallerArn != null)
                        .GroupBy(e => e.CallerArn!, StringComparer.Ordinal)
                        .Select(g => new Item(g.Key, null, $"{g.Count().ToString(CultureInfo.InvariantCulture)} change(s), last {g.Last().Time.ToString("u", CultureInfo.InvariantCulture)}"))
                        .ToList();
                case FmsCompletionKind.JournalTarget:
                    return journal.Where(e => e.TargetId != null)
                        .GroupBy(e => e.TargetId!, StringComparer.Ordinal)
                        .Select(g => new Item(g.Key, g.Select(e => e.TargetName).LastOrDefault(n => n != null), $"{g.Last().TargetType} {g.Select(e => e.TargetName).LastOrDefault(n => n != null) ?? g.Key}: {g.Count().ToString(CultureInfo.InvariantCulture)} change(s)"))
                        .ToList();
                case FmsCompletionKind.RestoreVersion:
                    var policyId = call.Text("PolicyId");
                    if (policyId == null) return NoItems;
                    // Newest first: the version a restore most often goes back to is a recent one.
                    return journal.Where(e => e.Version > 0 && string.Equals(e.PolicyId, policyId, StringComparison.Ordinal))
                        .OrderByDescending(e => e.Version)
                        .Select(e => new Item(e.Version.ToString(CultureInfo.InvariantCulture), null,
                            $"{e.Time.ToString("u", CultureInfo.InvariantCulture)} {e.Operation} of {e.PolicyName ?? e.PolicyId}{(e.CallerArn != null ? " by " + e.CallerArn : "")}"))
                        .ToList();
                default:
                    return NoItems;
            }
        }

        private readonly Dictionary<string, KeyValuePair<string, Task<List<FmsChangeEntry>>>> _journals =
            new Dictionary<string, KeyValuePair<string, Task<List<FmsChangeEntry>>>>(StringComparer.Ordinal);

        /// <summary>The journal's entries, read again (in the background) whenever its files changed since the last read.</summary>
        private List<FmsChangeEntry> Journal(string folder, Call call)
        {
            var stamp = JournalStamp(folder);
            if (stamp == null) return new List<FmsChangeEntry>();
            Task<List<FmsChangeEntry>> read;
            lock (_gate)
            {
                if (!_journals.TryGetValue(folder, out var known) || known.Key != stamp || known.Value.IsFaulted || known.Value.IsCanceled)
                {
                    Interlocked.Increment(ref _fetchCount);
                    known = new KeyValuePair<string, Task<List<FmsChangeEntry>>>(stamp, Task.Run(async () =>
                    {
                        using var limit = new CancellationTokenSource(FetchLimit);
                        return await new ChangeJournalStore(folder).ReadAllAsync(null, limit.Token).ConfigureAwait(false);
                    }));
                    _journals[folder] = known;
                }
                read = known.Value;
            }
            try
            {
                return read.Wait(call.Remaining) ? read.Result : new List<FmsChangeEntry>();
            }
            catch (AggregateException)
            {
                return new List<FmsChangeEntry>();
            }
        }

        /// <summary>Names, sizes and write times of the journal's files: it changes whenever a change is recorded.</summary>
        private static string? JournalStamp(string folder)
        {
            if (!Directory.Exists(folder)) return null;
            var text = new StringBuilder();
            foreach (var file in new DirectoryInfo(folder).GetFiles("changes-*.jsonl").OrderBy(f => f.Name, StringComparer.Ordinal))
                text.Append(file.Name).Append(':').Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append(':')
                    .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append(';');
            return text.Length == 0 ? null : text.ToString();
        }
    }
}
