using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    /// <summary>
    /// Where a report keeps its policy × account rows between aggregation and export. The temporary-file store keeps
    /// memory flat whatever the organization's size (rows are JSON lines on disk, read back once per export pass).
    /// </summary>
    public abstract class ComplianceRowStore : IDisposable
    {
        internal static readonly JsonSerializerOptions Json = CreateJsonOptions();

        /// <summary>camelCase, enums as strings: the options the JSON export uses too.</summary>
        internal static JsonSerializerOptions CreateJsonOptions()
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                DictionaryKeyPolicy = null,
                PropertyNameCaseInsensitive = true,
                WriteIndented = false,
            };
            options.Converters.Add(new JsonStringEnumConverter());
            return options;
        }

        /// <summary>Rows in memory: for small reports and for reports read back from JSON.</summary>
        public static ComplianceRowStore InMemory() => new MemoryRowStore();

        /// <summary>Rows in a temporary file deleted when the store is disposed.</summary>
        public static ComplianceRowStore TemporaryFile() => new TemporaryFileRowStore();

        public abstract long Count { get; }

        public abstract void Add(FmsComplianceStatus row);

        /// <summary>Every row in the order added; each call reads from the start.</summary>
        public abstract IEnumerable<FmsComplianceStatus> Read();

        public virtual void Dispose() { }

        private sealed class MemoryRowStore : ComplianceRowStore
        {
            private readonly List<FmsComplianceStatus> _rows = new List<FmsComplianceStatus>();
            public override long Count { get { lock (_rows) return _rows.Count; } }
            public override void Add(FmsComplianceStatus row) { lock (_rows) _rows.Add(row); }
            public override IEnumerable<FmsComplianceStatus> Read()
            {
                FmsComplianceStatus[] copy;
                lock (_rows) copy = _rows.ToArray();
                return copy;
            }
        }

        private sealed class TemporaryFileRowStore : ComplianceRowStore
        {
            private static readonly byte[] NewLine = { (byte)'\n' };
            private readonly object _lock = new object();
            private readonly string _path;
            private FileStream? _file;
            private long _count;

            public TemporaryFileRowStore()
            {
                _path = Path.Combine(Path.GetTempPath(), "fmstools-report-" + Guid.NewGuid().ToString("N") + ".jsonl");
                _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 64 * 1024,
                    FileOptions.DeleteOnClose);
            }

            public override long Count { get { lock (_lock) return _count; } }

            public override void Add(FmsComplianceStatus row)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(row, Json);
                lock (_lock)
                {
                    if (_file == null) throw new ObjectDisposedException(nameof(ComplianceRowStore));
                    _file.Write(bytes, 0, bytes.Length);
                    _file.Write(NewLine, 0, 1);
                    _count++;
                }
            }

            public override IEnumerable<FmsComplianceStatus> Read()
            {
                long length;
                lock (_lock)
                {
                    if (_file == null) throw new ObjectDisposedException(nameof(ComplianceRowStore));
                    _file.Flush();
                    length = _file.Length;
                }
                return ReadUpTo(length);
            }

            private IEnumerable<FmsComplianceStatus> ReadUpTo(long length)
            {
                using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024))
                using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
                {
                    string? line;
                    long consumed = 0;
                    while (consumed < length && (line = reader.ReadLine()) != null)
                    {
                        consumed += Encoding.UTF8.GetByteCount(line) + 1;
                        if (line.Length == 0) continue;
                        yield return JsonSerializer.Deserialize<FmsComplianceStatus>(line, Json)!;
                    }
                }
            }

            public override void Dispose()
            {
                lock (_lock)
                {
                    _file?.Dispose();
                    _file = null;
                }
            }
        }
    }
}
