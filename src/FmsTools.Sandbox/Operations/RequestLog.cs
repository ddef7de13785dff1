using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox
{
    /// <summary>One request the sandbox answered. Never holds credentials, signatures or bodies.</summary>
    public sealed class RequestLogEntry
    {
        /// <summary>Real UTC time the request arrived.</summary>
        [JsonPropertyName("time")] public DateTime Time { get; set; }

        /// <summary>The sandbox clock at that moment (differs from Time once the clock was advanced).</summary>
        [JsonPropertyName("sandboxTime")] public DateTime SandboxTime { get; set; }

        /// <summary>fms, organizations, wafv2, sts, ec2, or sandbox for the admin surface.</summary>
        [JsonPropertyName("service")] public string Service { get; set; } = "";
        [JsonPropertyName("operation")] public string Operation { get; set; } = "";
        [JsonPropertyName("callerAccount")] public string? CallerAccount { get; set; }
        [JsonPropertyName("region")] public string? Region { get; set; }
        [JsonPropertyName("mutating")] public bool Mutating { get; set; }

        /// <summary>"Success" or the error code answered (e.g. ThrottlingException, ConnectionReset).</summary>
        [JsonPropertyName("outcome")] public string Outcome { get; set; } = "";
        [JsonPropertyName("httpStatus")] public int HttpStatus { get; set; }
        [JsonPropertyName("requestId")] public string RequestId { get; set; } = "";
        [JsonPropertyName("durationMs")] public double DurationMs { get; set; }

        /// <summary>True when the outcome came from a rate limit or injected fault rather than the service logic.</summary>
        [JsonPropertyName("injected")] public bool Injected { get; set; }

        /// <summary>True when the request asked for a dry run (EC2's DryRun=true): it was checked but changed nothing.</summary>
        [JsonPropertyName("dryRun")] public bool DryRun { get; set; }

        public override string ToString()
            => Time.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " " + Service + " " + Operation + " " + CallerAccount + ": " + Outcome;
    }

    /// <summary>
    /// The sandbox's request log: a bounded in-memory ring that tests and users read, plus an optional
    /// JSON-lines file (one entry per line, flushed per entry so a tail sees every request).
    /// </summary>
    public sealed class RequestLog : IDisposable
    {
        private static readonly byte[] NewLine = { (byte)'\n' };
        private readonly object _gate = new object();
        private readonly Queue<RequestLogEntry> _entries = new Queue<RequestLogEntry>();
        private readonly int _capacity;
        private FileStream? _file;
        private MemoryStream? _line;
        private Utf8JsonWriter? _lineWriter;
        private long _total;

        public RequestLog(int capacity = 10000, string? jsonLinesPath = null)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _capacity = capacity;
            if (!string.IsNullOrEmpty(jsonLinesPath))
            {
                _file = new FileStream(jsonLinesPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
                _line = new MemoryStream(512);
                _lineWriter = new Utf8JsonWriter(_line);
            }
        }

        /// <summary>Requests logged since start (or the last Clear), including ones the ring has dropped.</summary>
        public override string ToString() => TotalCount + " requests";

        public long TotalCount
        {
            get { lock (_gate) return _total; }
        }

        /// <summary>A copy of the retained entries, oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> Entries
        {
            get { lock (_gate) return _entries.ToArray(); }
        }

        /// <summary>Entries for one operation (e.g. "PutPolicy"), oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> For(string operation)
        {
            var matches = new List<RequestLogEntry>();
            lock (_gate)
                foreach (var entry in _entries)
                    if (string.Equals(entry.Operation, operation, StringComparison.Ordinal)) matches.Add(entry);
            return matches;
        }

        public void Clear()
        {
            lock (_gate)
            {
                _entries.Clear();
                _total = 0;
            }
        }

        internal void Add(RequestLogEntry entry)
        {
            lock (_gate)
            {
                _entries.Enqueue(entry);
                _total++;
                while (_entries.Count > _capacity) _entries.Dequeue();
                if (_file != null) WriteLine(entry);
            }
        }

        /// <summary>
        /// One JSON line, written as it is, straight to the file (so a tail sees every request): the members and their
        /// spelling are the serializer's for <see cref="RequestLogEntry"/>, written without building a string per entry.
        /// </summary>
        private void WriteLine(RequestLogEntry entry)
        {
            _line!.SetLength(0);
            _lineWriter!.Reset(_line);
            _lineWriter.WriteStartObject();
            _lineWriter.WriteString("time", entry.Time);
            _lineWriter.WriteString("sandboxTime", entry.SandboxTime);
            _lineWriter.WriteString("service", entry.Service);
            _lineWriter.WriteString("operation", entry.Operation);
            _lineWriter.WriteString("callerAccount", entry.CallerAccount);
            _lineWriter.WriteString("region", entry.Region);
            _lineWriter.WriteBoolean("mutating", entry.Mutating);
            _lineWriter.WriteString("outcome", entry.Outcome);
            _lineWriter.WriteNumber("httpStatus", entry.HttpStatus);
            _lineWriter.WriteString("requestId", entry.RequestId);
            _lineWriter.WriteNumber("durationMs", entry.DurationMs);
            _lineWriter.WriteBoolean("injected", entry.Injected);
            _lineWriter.WriteBoolean("dryRun", entry.DryRun);
            _lineWriter.WriteEndObject();
            _lineWriter.Flush();
            _line.Write(NewLine, 0, 1);
            _file!.Write(_line.GetBuffer(), 0, (int)_line.Length);
            _file.Flush();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _file?.Dispose();
                _file = null;
                _lineWriter?.Dispose();
                _lineWriter = null;
            }
        }
    }
}
