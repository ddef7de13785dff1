using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    public enum ComplianceReportFormat
    {
        /// <summary>One self-contained page (inline CSS, SVG charts and a small inline script; no external assets, no network).</summary>
        Html,

        /// <summary>JUnit XML: a testsuite per policy, a testcase per policy × account, failures for non-compliant ones.</summary>
        JUnit,

        /// <summary>RFC 4180 CSV, one row per policy × account.</summary>
        Csv,

        /// <summary>Stable camelCase JSON of the whole report.</summary>
        Json,

        /// <summary>SARIF 2.1.0: a rule per violation reason, a result per violating resource (accepted ones suppressed).</summary>
        Sarif,

        /// <summary>NUnit 3 test-run XML: a fixture per policy, a test case per policy × account.</summary>
        NUnit,

        /// <summary>GitHub-flavoured Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY.</summary>
        Markdown,
    }

    /// <summary>Export knobs.</summary>
    public sealed class ComplianceExportOptions
    {
        /// <summary>Non-compliant resources listed in the HTML page; the rest are counted (the CSV and JSON have them all).</summary>
        public int MaxResourcesInHtml { get; set; } = 2000;

        /// <summary>Prefix CSV cells that start with = + - @ (spreadsheet formulas) with an apostrophe.</summary>
        public bool ProtectCsvFormulas { get; set; } = true;

        public string Title { get; set; } = "Firewall Manager compliance report";

        /// <summary>Violating and accepted resources listed in the Markdown summary (each table); the rest are counted.</summary>
        public int MaxResourcesInMarkdown { get; set; } = 50;

        /// <summary>Earlier readings the HTML report draws as a trend (saved reports, Watch-FmsCompliance snapshots); none by default.</summary>
        public IList<ComplianceTrendPoint> History { get; set; } = new List<ComplianceTrendPoint>();

        /// <summary>Accounts shown as heatmap columns; the tables list every account.</summary>
        public int MaxHeatmapAccounts { get; set; } = 300;

        /// <summary>The tool version SARIF names (the module's version).</summary>
        public string ToolVersion { get; set; } = "";
    }

    /// <summary>
    /// Writes a <see cref="ComplianceReport"/> as HTML, JUnit XML, CSV or JSON to a TextWriter, reading rows from the
    /// report's store as it writes. Reports carry no credentials, and nothing here adds any.
    /// </summary>
    public static class ComplianceReportExporter
    {
        private static readonly string[] CsvColumns =
        {
            "PolicyId", "PolicyName", "PolicyType", "Region", "IsGlobal", "AccountId", "AccountName", "OrganizationalUnitPath", "Status",
            "ViolatorCount", "ViolationsByReason", "EvaluationLimitExceeded", "LastUpdated", "ExpiredAt", "IssueInfo", "ExceptedViolatorCount", "IsExcepted",
        };

        private static readonly string[] ViolationCsvColumns =
        {
            "PolicyId", "PolicyName", "PolicyType", "Region", "AccountId", "AccountName", "ResourceId", "ResourceType", "Reason",
            "ReasonDescription", "Metadata", "Excepted", "ExceptionOwner", "ExceptionReason", "ExceptionExpires",
        };

        public static void Export(ComplianceReport report, ComplianceReportFormat format, TextWriter writer, ComplianceExportOptions? options = null)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            options ??= new ComplianceExportOptions();
            switch (format)
            {
                case ComplianceReportFormat.Html: HtmlReportWriter.Write(report, writer, options); break;
                case ComplianceReportFormat.JUnit: WriteJUnit(report, writer); break;
                case ComplianceReportFormat.Csv: WriteCsv(report, writer, options); break;
                case ComplianceReportFormat.Json: WriteJson(report, writer); break;
                case ComplianceReportFormat.Sarif: SarifReportWriter.Write(report, writer, options); break;
                case ComplianceReportFormat.NUnit: NUnitReportWriter.Write(report, writer); break;
                case ComplianceReportFormat.Markdown: MarkdownReportWriter.Write(report, writer, options); break;
                default: throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format.");
            }
            writer.Flush();
        }

        /// <summary>The usual file extension of a format.</summary>
        public static string ExtensionOf(ComplianceReportFormat format)
        {
            switch (format)
            {
                case ComplianceReportFormat.Html: return ".html";
                case ComplianceReportFormat.JUnit:
                case ComplianceReportFormat.NUnit: return ".xml";
                case ComplianceReportFormat.Csv: return ".csv";
                case ComplianceReportFormat.Sarif: return ".sarif";
                case ComplianceReportFormat.Markdown: return ".md";
                default: return ".json";
            }
        }

        private static string Invariant(DateTime? value)
            => value == null ? "" : DateTime.SpecifyKind(value.Value, value.Value.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : value.Value.Kind)
                .ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        // ---------------------------------------------------------------- CSV

        public static void WriteCsv(ComplianceReport report, TextWriter writer, ComplianceExportOptions? options = null)
        {
            options ??= new ComplianceExportOptions();
            var multi = report.Organizations.Count > 0;
            WriteCsvLine(writer, WithOrganization(multi, "OrganizationId", "Organization", CsvColumns), false);
            foreach (var row in report.Rows)
            {
                WriteCsvLine(writer, WithOrganization(multi, row.OrganizationId, row.Organization, new[]
                {
                    row.PolicyId, row.PolicyName, row.PolicyType, row.Region, row.IsGlobal ? "true" : "false", row.AccountId, row.AccountName,
                    row.OrganizationalUnitPath, row.Status.ToString(), Number(row.ViolatorCount), row.ReasonSummary,
                    row.EvaluationLimitExceeded ? "true" : "false", Invariant(row.LastUpdated), Invariant(row.ExpiredAt), row.IssueSummary,
                    Number(row.ExceptedViolatorCount), row.IsExcepted ? "true" : "false",
                }), options.ProtectCsvFormulas);
            }
        }

        /// <summary>One row per violator of the non-compliant rows.</summary>
        public static void WriteViolationsCsv(ComplianceReport report, TextWriter writer, ComplianceExportOptions? options = null)
        {
            options ??= new ComplianceExportOptions();
            var multi = report.Organizations.Count > 0;
            WriteCsvLine(writer, WithOrganization(multi, "OrganizationId", "Organization", ViolationCsvColumns), false);
            foreach (var v in report.NonCompliantResources)
            {
                var metadata = string.Join("; ", FmsComplianceStatus.SortedByKey(v.Metadata).Select(p => p.Key + "=" + p.Value));
                WriteCsvLine(writer, WithOrganization(multi, v.OrganizationId, v.Organization, new[]
                {
                    v.PolicyId, v.PolicyName, v.PolicyType, v.Region, v.AccountId, v.AccountName, v.ResourceId, v.ResourceType, v.Reason,
                    v.ReasonDescription, metadata, v.Excepted ? "true" : "false", v.ExceptionOwner, v.ExceptionReason,
                    v.ExceptionExpires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                }), options.ProtectCsvFormulas);
            }
        }

        /// <summary>A merged report's CSV starts with the organization id and name; a one-organization report has no such columns.</summary>
        private static IReadOnlyList<string> WithOrganization(bool multi, string id, string name, IReadOnlyList<string> cells)
            => multi ? new[] { id, name }.Concat(cells).ToArray() : cells;

        internal static void WriteCsvLine(TextWriter writer, IReadOnlyList<string> cells, bool protectFormulas)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                if (i > 0) writer.Write(',');
                writer.Write(CsvCell(cells[i] ?? "", protectFormulas));
            }
            writer.Write("\r\n");
        }

        /// <summary>RFC 4180: quoted when it holds a comma, quote, CR or LF (or edge spaces); quotes doubled.</summary>
        internal static string CsvCell(string value, bool protectFormulas)
        {
            if (protectFormulas && value.Length > 0 && "=+-@\t\r".IndexOf(value[0]) >= 0) value = "'" + value;
            var quote = value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0
                        || (value.Length > 0 && (value[0] == ' ' || value[value.Length - 1] == ' '));
            return quote ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        // ---------------------------------------------------------------- JUnit

        public static void WriteJUnit(ComplianceReport report, TextWriter writer)
        {
            var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, CloseOutput = false, Encoding = new UTF8Encoding(false) };
            using (var xml = XmlWriter.Create(writer, settings))
            {
                var timestamp = report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
                xml.WriteStartDocument();
                xml.WriteStartElement("testsuites");
                xml.WriteAttributeString("name", "FmsTools compliance");
                xml.WriteAttributeString("tests", Number(report.Summary.Evaluations));
                xml.WriteAttributeString("failures", Number(report.Summary.NonCompliantEvaluations - report.Summary.ExceptedEvaluations));
                xml.WriteAttributeString("errors", "0");
                xml.WriteAttributeString("skipped", Number(report.Summary.UnknownEvaluations));
                xml.WriteAttributeString("time", "0");
                xml.WriteAttributeString("timestamp", timestamp);
                var id = 0;
                foreach (var policy in report.PolicyRows)
                {
                    xml.WriteStartElement("testsuite");
                    xml.WriteAttributeString("id", Number(id++));
                    xml.WriteAttributeString("name", XmlSafe((policy.OrganizationId.Length > 0 ? policy.Organization + ": " : "") + $"{policy.PolicyName} ({policy.PolicyId}) {policy.Region}"));
                    xml.WriteAttributeString("package", "FmsTools.Compliance");
                    xml.WriteAttributeString("tests", Number(policy.Accounts));
                    xml.WriteAttributeString("failures", Number(policy.NonCompliantAccounts - policy.ExceptedAccounts));
                    xml.WriteAttributeString("errors", "0");
                    xml.WriteAttributeString("skipped", Number(policy.UnknownAccounts));
                    xml.WriteAttributeString("time", "0");
                    xml.WriteAttributeString("timestamp", timestamp);
                    xml.WriteAttributeString("hostname", "fms");
                    xml.WriteStartElement("properties");
                    if (policy.OrganizationId.Length > 0)
                    {
                        WriteProperty(xml, "organizationId", policy.OrganizationId);
                        WriteProperty(xml, "organization", policy.Organization);
                    }
                    WriteProperty(xml, "policyId", policy.PolicyId);
                    WriteProperty(xml, "policyType", policy.PolicyType);
                    WriteProperty(xml, "region", policy.Region);
                    xml.WriteEndElement();
                    // One pass over the rows per policy keeps memory flat (policies are few).
                    foreach (var row in report.Rows.Where(r => r.PolicyId == policy.PolicyId && r.Region == policy.Region && r.OrganizationId == policy.OrganizationId))
                    {
                        xml.WriteStartElement("testcase");
                        xml.WriteAttributeString("classname", XmlSafe($"FmsTools.Compliance.{policy.PolicyType}.{policy.PolicyName}"));
                        xml.WriteAttributeString("name", XmlSafe($"{row.AccountName} ({row.AccountId}) {row.Region}"));
                        xml.WriteAttributeString("time", "0");
                        if (row.IsExcepted)
                        {
                            xml.WriteStartElement("system-out");
                            xml.WriteString(XmlSafe(AcceptedText(row)));
                            xml.WriteEndElement();
                        }
                        else if (row.StatusValue == FmsComplianceState.NonCompliant)
                        {
                            xml.WriteStartElement("failure");
                            xml.WriteAttributeString("message", XmlSafe($"{row.ViolatorCount} non-compliant resources"
                                + (row.ReasonSummary.Length > 0 ? ": " + row.ReasonSummary : "")));
                            xml.WriteAttributeString("type", "NonCompliant");
                            var text = new StringBuilder();
                            foreach (var v in row.Violations) text.Append(v.Excepted ? "[excepted] " : "").Append(v.ResourceType).Append(' ').Append(v.ResourceId).Append(": ").Append(v.Reason).Append(" - ").Append(v.ReasonDescription).Append('\n');
                            if (row.EvaluationLimitExceeded) text.Append("More than 100 violators: FMS lists only the first 100.\n");
                            if (text.Length == 0) text.Append("FMS reports ").Append(row.ViolatorCount).Append(" violators; none were listed.\n");
                            xml.WriteString(XmlSafe(text.ToString()));
                            xml.WriteEndElement();
                        }
                        else if (row.StatusValue == FmsComplianceState.Unknown)
                        {
                            xml.WriteStartElement("skipped");
                            xml.WriteAttributeString("message", XmlSafe("Not evaluated yet" + (row.IssueSummary.Length > 0 ? ": " + row.IssueSummary : "")));
                            xml.WriteEndElement();
                        }
                        xml.WriteEndElement();
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
        }

        /// <summary>"Excepted: resource (reason) accepted by owner until date: why" lines of a row's accepted violations.</summary>
        internal static string AcceptedText(FmsComplianceStatus row)
        {
            var text = new StringBuilder();
            foreach (var v in row.Violations.Where(v => v.Excepted))
                text.Append("Excepted: ").Append(v.ResourceType).Append(' ').Append(v.ResourceId).Append(" (").Append(v.Reason).Append(") accepted by ")
                    .Append(v.ExceptionOwner).Append(" until ").Append(v.ExceptionExpires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    .Append(": ").Append(v.ExceptionReason).Append(" [").Append(v.ExceptionEntry).Append("]\n");
            return text.ToString();
        }

        private static void WriteProperty(XmlWriter xml, string name, string value)
        {
            xml.WriteStartElement("property");
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("value", XmlSafe(value));
            xml.WriteEndElement();
        }

        /// <summary>Drops characters XML 1.0 cannot carry (control characters, lone surrogates) instead of failing the export.</summary>
        internal static string XmlSafe(string? value)
        {
            if (string.IsNullOrEmpty(value)) return "";
            StringBuilder? copy = null;
            for (var i = 0; i < value!.Length; i++)
            {
                var c = value[i];
                bool valid;
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    copy?.Append(c).Append(value[i + 1]);
                    i++;
                    continue;
                }
                valid = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
                if (!valid)
                {
                    if (copy == null) copy = new StringBuilder(value.Substring(0, i));
                    continue;
                }
                copy?.Append(c);
            }
            return copy?.ToString() ?? value;
        }

        // ---------------------------------------------------------------- JSON

        public static void WriteJson(ComplianceReport report, TextWriter writer)
        {
            var options = ComplianceRowStore.Json;
            using (var buffer = new MemoryStream())
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                // Finished values go to the writer whenever the buffer passes JsonDrainBytes, so memory holds a chunk, not
                // the accounts table or the rows (both grow with the organization).
                var drain = new JsonDrain(json, buffer, writer);
                json.WriteStartObject();
                json.WriteString("schema", "FmsTools.ComplianceReport/1");
                json.WriteString("generatedAt", Invariant(report.GeneratedAt));
                json.WritePropertyName("regions");
                JsonSerializer.Serialize(json, report.Regions, options);
                json.WritePropertyName("summary");
                JsonSerializer.Serialize(json, report.Summary, options);
                WriteJsonArray(json, "policies", report.PolicyRows, options, drain);
                WriteJsonArray(json, "accounts", report.AccountRows, options, drain);
                json.WritePropertyName("callsByOperation");
                JsonSerializer.Serialize(json, report.CallsByOperation, options);
                WriteExceptionEntries(json, "staleExceptions", report.StaleExceptions);
                WriteExceptionEntries(json, "expiredExceptions", report.ExpiredExceptions);
                WriteJsonArray(json, "rows", report.Rows, options, drain);
                json.WriteEndObject();
                drain.Write();
            }
            writer.Write('\n');
        }

        private static void WriteJsonArray<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, JsonSerializerOptions options, JsonDrain drain)
        {
            json.WriteStartArray(name);
            foreach (var item in items)
            {
                JsonSerializer.Serialize(json, item, options);
                drain.WriteIfFull();
            }
            json.WriteEndArray();
        }

        private const int JsonDrainBytes = 32 * 1024;

        /// <summary>Moves what a Utf8JsonWriter has written into its buffer to a TextWriter, through one reused char buffer.</summary>
        private sealed class JsonDrain
        {
            private readonly Utf8JsonWriter _json;
            private readonly MemoryStream _buffer;
            private readonly TextWriter _writer;
            private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
            private readonly char[] _chars = new char[JsonDrainBytes];

            public JsonDrain(Utf8JsonWriter json, MemoryStream buffer, TextWriter writer)
            {
                _json = json;
                _buffer = buffer;
                _writer = writer;
            }

            public void WriteIfFull()
            {
                if (_json.BytesPending + _buffer.Length > JsonDrainBytes) Write();
            }

            public void Write()
            {
                _json.Flush();
                var bytes = _buffer.GetBuffer();
                var length = (int)_buffer.Length;
                var offset = 0;
                while (offset < length)
                {
                    _decoder.Convert(bytes, offset, length - offset, _chars, 0, _chars.Length, false, out var used, out var written, out _);
                    _writer.Write(_chars, 0, written);
                    offset += used;
                }
                _buffer.SetLength(0);
            }
        }

        /// <summary>Reads a report written by <see cref="WriteJson"/> (rows kept in memory).</summary>
        public static ComplianceReport ReadJson(TextReader reader)
        {
            if (reader == null) throw new ArgumentNullException(nameof(reader));
            var options = ComplianceRowStore.Json;
            using (var document = JsonDocument.Parse(reader.ReadToEnd()))
            {
                var root = document.RootElement;
                var generatedAt = DateTime.Parse(root.GetProperty("generatedAt").GetString() ?? "", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                var regions = root.GetProperty("regions").Deserialize<List<string>>(options) ?? new List<string>();
                var summary = root.GetProperty("summary").Deserialize<ComplianceSummary>(options) ?? new ComplianceSummary();
                var policies = root.GetProperty("policies").Deserialize<List<PolicyComplianceSummary>>(options) ?? new List<PolicyComplianceSummary>();
                var accounts = root.GetProperty("accounts").Deserialize<List<AccountComplianceSummary>>(options) ?? new List<AccountComplianceSummary>();
                var calls = root.TryGetProperty("callsByOperation", out var callsElement)
                    ? callsElement.Deserialize<SortedDictionary<string, long>>(options) ?? new SortedDictionary<string, long>()
                    : new SortedDictionary<string, long>();
                var store = ComplianceRowStore.InMemory();
                foreach (var row in root.GetProperty("rows").EnumerateArray())
                    store.Add(row.Deserialize<FmsComplianceStatus>(options)!);
                var report = ComplianceReportAggregator.Restore(generatedAt, regions, summary, policies, accounts, store, calls);
                report.SetExceptionOutcome(ReadExceptionEntries(root, "staleExceptions"), ReadExceptionEntries(root, "expiredExceptions"));
                return report;
            }
        }

        private static void WriteExceptionEntries(Utf8JsonWriter json, string name, IEnumerable<Compliance.Exceptions.ComplianceExceptionEntry> entries)
        {
            json.WriteStartArray(name);
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteNumber("index", e.Index);
                json.WriteString("policy", e.Policy);
                json.WriteString("account", e.Account);
                json.WriteString("resource", e.Resource);
                json.WriteString("violationReason", e.ViolationReason);
                json.WriteString("owner", e.Owner);
                json.WriteString("reason", e.Reason);
                json.WriteString("expires", e.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("source", e.Source);
                json.WriteString("location", e.Location);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        /// <summary>The entries a saved report lists under <paramref name="name"/> (none in reports saved before they were written).</summary>
        private static List<Compliance.Exceptions.ComplianceExceptionEntry> ReadExceptionEntries(JsonElement root, string name)
        {
            var entries = new List<Compliance.Exceptions.ComplianceExceptionEntry>();
            if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return entries;
            string Text(JsonElement e, string property) => e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
            foreach (var e in array.EnumerateArray())
            {
                var index = e.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : 0;
                var expires = DateTime.ParseExact(Text(e, "expires"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                entries.Add(new Compliance.Exceptions.ComplianceExceptionEntry(index, Text(e, "policy"), Text(e, "account"), Text(e, "resource"),
                    Text(e, "violationReason"), Text(e, "owner"), Text(e, "reason"), expires, Text(e, "source")));
            }
            return entries;
        }
    }
}
