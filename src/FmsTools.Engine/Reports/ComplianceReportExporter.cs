using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    public enum ComplianceReportFormat
    {
        /// <summary>One self-contained page (inline CSS, no scripts, no external assets).</summary>
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
                case ComplianceReportFormat.Html: WriteHtml(report, writer, options); break;
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
            WriteCsvLine(writer, CsvColumns, false);
            foreach (var row in report.Rows)
            {
                WriteCsvLine(writer, new[]
                {
                    row.PolicyId, row.PolicyName, row.PolicyType, row.Region, row.IsGlobal ? "true" : "false", row.AccountId, row.AccountName,
                    row.OrganizationalUnitPath, row.Status.ToString(), Number(row.ViolatorCount), row.ReasonSummary,
                    row.EvaluationLimitExceeded ? "true" : "false", Invariant(row.LastUpdated), Invariant(row.ExpiredAt), row.IssueSummary,
                    Number(row.ExceptedViolatorCount), row.IsExcepted ? "true" : "false",
                }, options.ProtectCsvFormulas);
            }
        }

        /// <summary>One row per violator of the non-compliant rows.</summary>
        public static void WriteViolationsCsv(ComplianceReport report, TextWriter writer, ComplianceExportOptions? options = null)
        {
            options ??= new ComplianceExportOptions();
            WriteCsvLine(writer, ViolationCsvColumns, false);
            foreach (var v in report.NonCompliantResources)
            {
                var metadata = string.Join("; ", FmsComplianceStatus.SortedByKey(v.Metadata).Select(p => p.Key + "=" + p.Value));
                WriteCsvLine(writer, new[]
                {
                    v.PolicyId, v.PolicyName, v.PolicyType, v.Region, v.AccountId, v.AccountName, v.ResourceId, v.ResourceType, v.Reason,
                    v.ReasonDescription, metadata, v.Excepted ? "true" : "false", v.ExceptionOwner, v.ExceptionReason,
                    v.ExceptionExpires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                }, options.ProtectCsvFormulas);
            }
        }

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
                    xml.WriteAttributeString("name", XmlSafe($"{policy.PolicyName} ({policy.PolicyId}) {policy.Region}"));
                    xml.WriteAttributeString("package", "FmsTools.Compliance");
                    xml.WriteAttributeString("tests", Number(policy.Accounts));
                    xml.WriteAttributeString("failures", Number(policy.NonCompliantAccounts - policy.ExceptedAccounts));
                    xml.WriteAttributeString("errors", "0");
                    xml.WriteAttributeString("skipped", Number(policy.UnknownAccounts));
                    xml.WriteAttributeString("time", "0");
                    xml.WriteAttributeString("timestamp", timestamp);
                    xml.WriteAttributeString("hostname", "fms");
                    xml.WriteStartElement("properties");
                    WriteProperty(xml, "policyId", policy.PolicyId);
                    WriteProperty(xml, "policyType", policy.PolicyType);
                    WriteProperty(xml, "region", policy.Region);
                    xml.WriteEndElement();
                    // One pass over the rows per policy keeps memory flat (policies are few).
                    foreach (var row in report.Rows.Where(r => r.PolicyId == policy.PolicyId && r.Region == policy.Region))
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

        // ---------------------------------------------------------------- HTML

        private const string Css = @"body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}.card .n{font-size:22px;font-weight:600}
.card .l{font-size:12px;color:#555}.bad{color:#b00020}.good{color:#1b7a2f}.unknown{color:#8a6d00}
table{border-collapse:collapse;width:100%;font-size:13px;margin-bottom:8px}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}td.num{text-align:right}.note{font-size:12px;color:#555}";

        public static void WriteHtml(ComplianceReport report, TextWriter w, ComplianceExportOptions? options = null)
        {
            options ??= new ComplianceExportOptions();
            var s = report.Summary;
            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>");
            w.Write(E(options.Title));
            w.Write("</title>\n<style>\n");
            w.Write(Css);
            w.Write("\n</style>\n</head>\n<body>\n<h1>");
            w.Write(E(options.Title));
            w.Write("</h1>\n<p class=\"meta\">Generated ");
            w.Write(E(Invariant(report.GeneratedAt)));
            w.Write(" (UTC) for regions ");
            w.Write(E(string.Join(", ", report.Regions)));
            w.Write(".</p>\n<div class=\"cards\">\n");
            Card(w, s.CompliancePercent.ToString("0.0", CultureInfo.InvariantCulture) + "%", "policy × account evaluations compliant", s.NonCompliantEvaluations > 0 ? "bad" : "good");
            Card(w, Number(s.Policies), "policies", "");
            Card(w, Number(s.Accounts), "accounts", "");
            Card(w, Number(s.NonCompliantAccounts), "non-compliant accounts", s.NonCompliantAccounts > 0 ? "bad" : "good");
            Card(w, Number(s.CompliantAccounts), "compliant accounts", "good");
            Card(w, Number(s.UnknownAccounts), "accounts not evaluated yet", s.UnknownAccounts > 0 ? "unknown" : "");
            Card(w, Number(s.NonCompliantResources), "non-compliant resources", s.NonCompliantResources > 0 ? "bad" : "good");
            if (s.ExceptedResources > 0) Card(w, Number(s.ExceptedResources), "of them excepted (accepted violations)", "unknown");
            w.Write("</div>\n");

            if (s.ViolationsByReason.Count > 0)
            {
                w.Write("<h2>Violations by reason</h2>\n<table>\n<thead><tr><th>Reason</th><th>Meaning</th><th>Resources</th></tr></thead>\n<tbody>\n");
                foreach (var pair in s.ViolationsByReason.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
                    Row(w, E(pair.Key), E(ViolationReasons.Describe(pair.Key)), Num(pair.Value));
                w.Write("</tbody>\n</table>\n");
            }

            w.Write("<h2>Policies</h2>\n<table>\n<thead><tr><th>Policy</th><th>Type</th><th>Region</th><th>Accounts</th><th>Compliant</th><th>Non-compliant</th><th>Not evaluated</th><th>Violators</th><th>Compliance</th></tr></thead>\n<tbody>\n");
            foreach (var p in report.PolicyRows)
                Row(w, E(p.PolicyName) + "<br /><span class=\"note\">" + E(p.PolicyId) + "</span>", E(p.PolicyType),
                    E(p.Region + (p.IsGlobal ? " (global)" : "")), Num(p.Accounts), Num(p.CompliantAccounts),
                    Styled(p.NonCompliantAccounts, "bad"), Styled(p.UnknownAccounts, "unknown"), Num(p.Violators),
                    "<span class=\"" + (p.NonCompliantAccounts > 0 ? "bad" : "good") + "\">" + E(p.CompliancePercent.ToString("0.0", CultureInfo.InvariantCulture)) + "%</span>");
            w.Write("</tbody>\n</table>\n");

            w.Write("<h2>Accounts</h2>\n<table>\n<thead><tr><th>Account</th><th>Id</th><th>Organizational unit</th><th>Status</th><th>Policies</th><th>Non-compliant</th><th>Violators</th></tr></thead>\n<tbody>\n");
            foreach (var a in report.AccountRows)
                Row(w, E(a.AccountName), E(a.AccountId), E(a.OrganizationalUnitPath), StatusCell(a.StatusValue), Num(a.Policies),
                    Styled(a.NonCompliantPolicies, "bad"), Num(a.Violators));
            w.Write("</tbody>\n</table>\n");

            w.Write("<h2>Non-compliant resources</h2>\n");
            var listed = 0;
            long more = 0;
            var open = false;
            foreach (var v in report.NonCompliantResources)
            {
                if (listed >= options.MaxResourcesInHtml) { more++; continue; }
                if (!open)
                {
                    w.Write("<table>\n<thead><tr><th>Account</th><th>Region</th><th>Policy</th><th>Resource</th><th>Type</th><th>Reason</th></tr></thead>\n<tbody>\n");
                    open = true;
                }
                Row(w, E(v.AccountName) + "<br /><span class=\"note\">" + E(v.AccountId) + "</span>", E(v.Region), E(v.PolicyName), E(v.ResourceId),
                    E(v.ResourceType), E(v.Reason) + "<br /><span class=\"note\">" + E(v.ReasonDescription) + "</span>"
                    + (v.Excepted ? "<br /><span class=\"unknown\">" + E($"Excepted by {v.ExceptionOwner} until {v.ExceptionExpires:yyyy-MM-dd}: {v.ExceptionReason}") + "</span>" : ""));
                listed++;
            }
            if (open) w.Write("</tbody>\n</table>\n");
            else w.Write("<p>None listed.</p>\n");
            if (more > 0)
                w.Write("<p class=\"note\">" + E($"{more} more non-compliant resources are not listed here; export CSV or JSON for the full list.") + "</p>\n");
            w.Write("<p class=\"note\">Firewall Manager lists at most 100 violators per policy and account. Generated by FmsTools.</p>\n</body>\n</html>\n");
        }

        private static string E(string? value) => WebUtility.HtmlEncode(XmlSafe(value));

        private static string Num(long value) => "\u0001" + Number(value);

        private static string Styled(long value, string css) => value > 0 ? "\u0001<span class=\"" + css + "\">" + Number(value) + "</span>" : Num(value);

        private static string StatusCell(FmsComplianceState state)
            => "<span class=\"" + (state == FmsComplianceState.NonCompliant ? "bad" : state == FmsComplianceState.Compliant ? "good" : "unknown") + "\">"
               + E(state == FmsComplianceState.NonCompliant ? "Non-compliant" : state == FmsComplianceState.Compliant ? "Compliant" : "Not evaluated") + "</span>";

        private static void Card(TextWriter w, string number, string label, string css)
        {
            w.Write("<div class=\"card\"><div class=\"n " + css + "\">" + E(number) + "</div><div class=\"l\">" + E(label) + "</div></div>\n");
        }

        /// <summary>Cells are already encoded; a leading \u0001 marks a numeric cell (right-aligned).</summary>
        private static void Row(TextWriter w, params string[] cells)
        {
            w.Write("<tr>");
            foreach (var cell in cells)
            {
                if (cell.Length > 0 && cell[0] == '\u0001') w.Write("<td class=\"num\">" + cell.Substring(1) + "</td>");
                else w.Write("<td>" + cell + "</td>");
            }
            w.Write("</tr>\n");
        }

        // ---------------------------------------------------------------- JSON

        public static void WriteJson(ComplianceReport report, TextWriter writer)
        {
            var options = ComplianceRowStore.Json;
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteString("schema", "FmsTools.ComplianceReport/1");
                    json.WriteString("generatedAt", Invariant(report.GeneratedAt));
                    json.WritePropertyName("regions");
                    JsonSerializer.Serialize(json, report.Regions, options);
                    json.WritePropertyName("summary");
                    JsonSerializer.Serialize(json, report.Summary, options);
                    json.WritePropertyName("policies");
                    JsonSerializer.Serialize(json, report.PolicyRows, options);
                    json.WritePropertyName("accounts");
                    JsonSerializer.Serialize(json, report.AccountRows, options);
                    json.WritePropertyName("callsByOperation");
                    JsonSerializer.Serialize(json, report.CallsByOperation, options);
                    json.WritePropertyName("rows");
                    json.WriteStartArray();
                    foreach (var row in report.Rows)
                    {
                        JsonSerializer.Serialize(json, row, options);
                        // Hand finished rows to the writer so the buffer stays small.
                        if (buffer.Length > 64 * 1024) Drain(json, buffer, writer);
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                    Drain(json, buffer, writer);
                }
            }
            writer.Write('\n');
        }

        private static void Drain(Utf8JsonWriter json, MemoryStream buffer, TextWriter writer)
        {
            json.Flush();
            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            buffer.SetLength(0);
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
                return ComplianceReportAggregator.Restore(generatedAt, regions, summary, policies, accounts, store, calls);
            }
        }
    }
}
