using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Engine.History
{
    /// <summary>
    /// The append-only journal on disk: one JSON line per change in one file per UTC day (changes-yyyy-MM-dd.jsonl).
    /// A writer holds the file exclusively while it appends one whole line and flushes it to disk, so writers in
    /// other threads or PowerShell processes wait for each other and lines never interleave or tear.
    /// </summary>
    public sealed class ChangeJournalStore
    {
        /// <summary>The environment variable naming the journal folder; "off" turns the journal off.</summary>
        public const string EnvironmentVariable = "FMSTOOLS_JOURNAL";

        private const string FilePrefix = "changes-";
        private const string FileExtension = ".jsonl";
        private const int LockAttempts = 400;

        internal static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };

        public ChangeJournalStore(string folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("The journal folder is empty.", nameof(folder));
            Folder = Path.GetFullPath(folder);
        }

        public string Folder { get; }

        /// <summary>
        /// The folder from $env:FMSTOOLS_JOURNAL, else LocalApplicationData/FmsTools/journal; null when the variable says "off".
        /// </summary>
        public static string? DefaultFolder()
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
                return string.Equals(configured!.Trim(), "off", StringComparison.OrdinalIgnoreCase) ? null : configured.Trim();
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(data)) data = Path.GetTempPath();
            return Path.Combine(data, "FmsTools", "journal");
        }

        /// <summary>Appends one entry as one line, flushed to disk before returning.</summary>
        public async Task AppendAsync(FmsChangeEntry entry, CancellationToken ct)
        {
            if (entry == null) throw new ArgumentNullException(nameof(entry));
            Directory.CreateDirectory(Folder);
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, JsonOptions) + "\n");
            var path = Path.Combine(Folder, FilePrefix + entry.Time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + FileExtension);
            // FileShare.None is an exclusive lock (flock on Unix, a share mode on Windows): a second writer gets
            // IOException until the first closes, and then appends after the first's complete line.
            using (var stream = await OpenLockedAsync(() => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, 4096, FileOptions.None), ct).ConfigureAwait(false))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>Every entry in time order (oldest first). A line that does not parse is reported and skipped.</summary>
        public async Task<List<FmsChangeEntry>> ReadAllAsync(Action<string>? onBadLine, CancellationToken ct)
        {
            var result = new List<FmsChangeEntry>();
            if (!Directory.Exists(Folder)) return result;
            foreach (var file in Directory.GetFiles(Folder, FilePrefix + "*" + FileExtension).OrderBy(f => f, StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                string text;
                // Readers share with each other but wait while a writer holds the file, so they never see half a line.
                using (var stream = await OpenLockedAsync(() => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read), ct).ConfigureAwait(false))
                using (var reader = new StreamReader(stream, Encoding.UTF8))
                    text = reader.ReadToEnd();
                var lineNumber = 0;
                foreach (var line in text.Split('\n'))
                {
                    lineNumber++;
                    if (line.Trim().Length == 0) continue;
                    try
                    {
                        var entry = JsonSerializer.Deserialize<FmsChangeEntry>(line, JsonOptions);
                        if (entry != null) result.Add(entry);
                    }
                    catch (JsonException e)
                    {
                        onBadLine?.Invoke($"{Path.GetFileName(file)} line {lineNumber.ToString(CultureInfo.InvariantCulture)} is not a journal entry: {e.Message}");
                    }
                }
            }
            result.Sort((a, b) => a.Time.CompareTo(b.Time));
            NumberVersions(result);
            return result;
        }

        /// <summary>Numbers each policy's recorded versions 1, 2, ... in time order; failures get 0.</summary>
        public static void NumberVersions(IEnumerable<FmsChangeEntry> entries)
        {
            var counters = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.RecordedDocument == null || entry.PolicyId == null)
                {
                    entry.Version = 0;
                    continue;
                }
                counters.TryGetValue(entry.PolicyId, out var count);
                entry.Version = counters[entry.PolicyId] = count + 1;
            }
        }

        internal static async Task<FileStream> OpenLockedAsync(Func<FileStream> open, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    return open();
                }
                catch (IOException e) when (attempt < LockAttempts && !ct.IsCancellationRequested && IsHeldByAnotherWriter(e))
                {
                    // Another writer holds the file for the few milliseconds one line takes.
                    await Task.Delay(Math.Min(50, 2 * attempt), ct).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// Only a file held by another writer is worth waiting for; a missing folder or file, or a path that is too long,
        /// will not change by waiting and is reported at once.
        /// </summary>
        private static bool IsHeldByAnotherWriter(IOException e)
            => !(e is FileNotFoundException || e is DirectoryNotFoundException || e is PathTooLongException || e is EndOfStreamException);
    }
}
