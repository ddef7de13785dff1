using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Persistence
{
    /// <summary>
    /// Crash-safe state files without a native database:
    /// <list type="bullet">
    /// <item><c>PATH</c> — the snapshot: the whole state as JSON with a generation number, only ever
    /// replaced by writing PATH.tmp, fsyncing it and renaming it over PATH (atomic on NTFS and POSIX).</item>
    /// <item><c>PATH.journal</c> — an append-only journal for that generation: a header line, then one
    /// line per committed request, "crc32hex json", fsynced before the response is sent.</item>
    /// </list>
    /// Loading takes the snapshot and replays journal lines of the same generation up to the first line
    /// whose checksum fails (a write torn by a crash), then truncates the torn tail. A journal of another
    /// generation is left over from a crash during compaction and is already contained in the snapshot.
    /// </summary>
    internal sealed class StateFiles : IDisposable
    {
        private const string Format = "fms-sandbox-state";
        private readonly string _snapshotPath;
        private readonly string _journalPath;
        private FileStream? _journal;
        private long _generation;

        public StateFiles(string path)
        {
            _snapshotPath = Path.GetFullPath(path);
            _journalPath = _snapshotPath + ".journal";
            var directory = Path.GetDirectoryName(_snapshotPath);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }

        public string SnapshotPath => _snapshotPath;
        public string JournalPath => _journalPath;

        public long JournalBytes => _journal?.Length ?? 0;
        public long JournalRecords { get; private set; }

        /// <summary>The loaded state: snapshot tables (may be empty) and journal batches to replay in order.</summary>
        internal sealed class Loaded
        {
            public JsonDocument? Snapshot;
            public List<JsonDocument> Batches = new List<JsonDocument>();
            public int TornBytesDiscarded;
        }

        /// <summary>Reads the files (creating an empty journal when there is none) and opens the journal for appending.</summary>
        public Loaded Load()
        {
            var loaded = new Loaded();
            if (File.Exists(_snapshotPath))
            {
                var bytes = File.ReadAllBytes(_snapshotPath);
                try
                {
                    loaded.Snapshot = JsonDocument.Parse(bytes);
                }
                catch (JsonException error)
                {
                    throw new InvalidDataException("The sandbox state file " + _snapshotPath + " is not valid JSON; it was not written by this sandbox or was edited.", error);
                }
                var root = loaded.Snapshot.RootElement;
                if (!root.TryGetProperty("format", out var format) || format.GetString() != Format)
                    throw new InvalidDataException("The file " + _snapshotPath + " is not an fms-sandbox state file.");
                _generation = root.GetProperty("generation").GetInt64();
            }

            long validLength = 0;
            var journalUsable = false;
            if (File.Exists(_journalPath))
            {
                var bytes = File.ReadAllBytes(_journalPath);
                var position = 0;
                var first = true;
                while (position < bytes.Length)
                {
                    var newline = Array.IndexOf(bytes, (byte)'\n', position);
                    if (newline < 0) break;
                    var payload = ParseLine(bytes, position, newline - position);
                    if (payload is null) break;
                    if (first)
                    {
                        first = false;
                        if (!payload.RootElement.TryGetProperty("journalFor", out var generation) || generation.GetInt64() != _generation)
                        {
                            payload.Dispose();
                            break;
                        }
                        journalUsable = true;
                        payload.Dispose();
                    }
                    else
                    {
                        loaded.Batches.Add(payload);
                        JournalRecords++;
                    }
                    position = newline + 1;
                    validLength = position;
                }
                if (journalUsable) loaded.TornBytesDiscarded = bytes.Length - (int)validLength;
            }

            if (journalUsable)
            {
                _journal = new FileStream(_journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                _journal.SetLength(validLength);
                _journal.Seek(0, SeekOrigin.End);
                _journal.Flush(true);
            }
            else
            {
                foreach (var stale in loaded.Batches) stale.Dispose();
                loaded.Batches.Clear();
                JournalRecords = 0;
                StartJournal();
            }
            return loaded;
        }

        /// <summary>Appends one atomic batch and forces it to disk.</summary>
        public void Append(long sequence, IReadOnlyList<StateChange> changes)
        {
            if (_journal is null) throw new InvalidOperationException("The state files were not loaded.");
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("seq", sequence);
                writer.WriteStartArray("changes");
                foreach (var change in changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("t", change.Table);
                    writer.WriteString("k", change.Key);
                    if (change.Value is null)
                    {
                        writer.WriteBoolean("d", true);
                    }
                    else if (change.Value is RawJsonValue raw)
                    {
                        writer.WritePropertyName("v");
                        writer.WriteRawValue(raw.Json, skipInputValidation: true);
                    }
                    else
                    {
                        writer.WritePropertyName("v");
                        JsonSerializer.Serialize(writer, change.Value, change.Value.GetType(), SandboxJson.Wire);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            WriteLine(_journal, buffer.ToArray());
            _journal.Flush(true);
            JournalRecords++;
        }

        /// <summary>
        /// Writes the whole state as a new snapshot generation and starts an empty journal for it. Each
        /// step leaves a loadable pair of files if the process dies in between.
        /// </summary>
        public void Compact(Action<Utf8JsonWriter> writeTables)
        {
            var next = _generation + 1;
            var temporary = _snapshotPath + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(file))
                {
                    writer.WriteStartObject();
                    writer.WriteString("format", Format);
                    writer.WriteNumber("version", 1);
                    writer.WriteNumber("generation", next);
                    writer.WriteString("writtenAt", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                    writer.WritePropertyName("tables");
                    writeTables(writer);
                    writer.WriteEndObject();
                }
                file.Flush(true);
            }
            ReplaceFile(temporary, _snapshotPath);
            _generation = next;
            StartJournal();
        }

        private void StartJournal()
        {
            _journal?.Dispose();
            var temporary = _journalPath + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteLine(file, Encoding.UTF8.GetBytes("{\"journalFor\":" + _generation.ToString(CultureInfo.InvariantCulture) + "}"));
                file.Flush(true);
            }
            ReplaceFile(temporary, _journalPath);
            _journal = new FileStream(_journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            _journal.Seek(0, SeekOrigin.End);
            JournalRecords = 0;
        }

        private static void ReplaceFile(string source, string destination)
        {
            if (File.Exists(destination)) File.Replace(source, destination, null);
            else File.Move(source, destination);
        }

        private static void WriteLine(Stream stream, byte[] payload)
        {
            var crc = Crc32.Compute(payload, 0, payload.Length).ToString("x8", CultureInfo.InvariantCulture);
            var line = new byte[9 + payload.Length + 1];
            Encoding.ASCII.GetBytes(crc, 0, 8, line, 0);
            line[8] = (byte)' ';
            Buffer.BlockCopy(payload, 0, line, 9, payload.Length);
            line[line.Length - 1] = (byte)'\n';
            stream.Write(line, 0, line.Length);
        }

        private static JsonDocument? ParseLine(byte[] bytes, int offset, int length)
        {
            if (length < 10 || bytes[offset + 8] != (byte)' ') return null;
            var crcText = Encoding.ASCII.GetString(bytes, offset, 8);
            if (!uint.TryParse(crcText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var expected)) return null;
            if (Crc32.Compute(bytes, offset + 9, length - 9) != expected) return null;
            try
            {
                return JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, offset + 9, length - 9));
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            _journal?.Dispose();
            _journal = null;
        }
    }
}
