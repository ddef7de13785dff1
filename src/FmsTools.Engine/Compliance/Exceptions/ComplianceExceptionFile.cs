using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FmsTools.Engine.Compliance.Exceptions
{
    /// <summary>
    /// Reads an exceptions file: a JSON array of objects with policy, account, resource, violationReason (optional),
    /// owner, reason and expires (yyyy-MM-dd). The rules are those of the module's Data/fms-exceptions.schema.json;
    /// every broken rule becomes a finding naming the entry's index and the field.
    /// </summary>
    public static class ComplianceExceptionFile
    {
        /// <summary>The properties an entry may have; the required ones first.</summary>
        public static readonly IReadOnlyList<string> RequiredProperties = new[] { "policy", "account", "resource", "owner", "reason", "expires" };

        public static readonly IReadOnlyList<string> AllowedProperties = new[] { "policy", "account", "resource", "violationReason", "owner", "reason", "expires" };

        private static readonly Regex AccountPattern = new Regex("^([0-9]{12}|[0-9*?]*[*?][0-9*?]*)$", RegexOptions.CultureInvariant);
        private static readonly Regex ReasonPattern = new Regex("^[A-Z0-9_*?]+$", RegexOptions.CultureInvariant);
        private static readonly Regex DatePattern = new Regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant);

        /// <summary>Reads and checks the file; throws <see cref="ComplianceExceptionFileException"/> with every finding.</summary>
        public static IReadOnlyList<ComplianceExceptionEntry> Load(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string text;
            try
            {
                text = System.IO.File.ReadAllText(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new ComplianceExceptionFileException(path, new[] { new ComplianceExceptionFinding(-1, "", "cannot be read: " + e.Message) });
            }
            return Parse(text, path);
        }

        /// <summary>Parses and checks <paramref name="json"/>; throws <see cref="ComplianceExceptionFileException"/> with every finding.</summary>
        public static IReadOnlyList<ComplianceExceptionEntry> Parse(string json, string source)
        {
            var findings = new List<ComplianceExceptionFinding>();
            var entries = Check(json, source, findings);
            if (findings.Count > 0) throw new ComplianceExceptionFileException(source, findings);
            return entries;
        }

        /// <summary>The findings of <paramref name="json"/> (empty when it is valid) and the valid entries.</summary>
        public static List<ComplianceExceptionEntry> Check(string json, string source, List<ComplianceExceptionFinding> findings)
        {
            var entries = new List<ComplianceExceptionEntry>();
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                findings.Add(new ComplianceExceptionFinding(-1, "", "is not JSON: " + e.Message));
                return entries;
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Array)
                {
                    findings.Add(new ComplianceExceptionFinding(-1, "", $"must be a JSON array of exception objects, not {Kind(root)}"));
                    return entries;
                }
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    var entry = CheckEntry(item, index, source, findings);
                    if (entry != null) entries.Add(entry);
                    index++;
                }
            }
            return entries;
        }

        private static ComplianceExceptionEntry? CheckEntry(JsonElement item, int index, string source, List<ComplianceExceptionFinding> findings)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                findings.Add(new ComplianceExceptionFinding(index, "", $"must be an object, not {Kind(item)}"));
                return null;
            }
            var before = findings.Count;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                if (!AllowedProperties.Contains(property.Name, StringComparer.Ordinal))
                {
                    findings.Add(new ComplianceExceptionFinding(index, property.Name,
                        "is not a known property (allowed: " + string.Join(", ", AllowedProperties) + "; names are case-sensitive)"));
                    continue;
                }
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    findings.Add(new ComplianceExceptionFinding(index, property.Name, $"must be a string, not {Kind(property.Value)}"));
                    continue;
                }
                var value = property.Value.GetString()!.Trim();
                if (value.Length == 0)
                {
                    findings.Add(new ComplianceExceptionFinding(index, property.Name, "must not be empty"));
                    continue;
                }
                values[property.Name] = value;
            }
            foreach (var required in RequiredProperties)
                if (!values.ContainsKey(required) && !HasProperty(item, required))
                    findings.Add(new ComplianceExceptionFinding(index, required, "is required"));

            if (values.TryGetValue("account", out var account) && !AccountPattern.IsMatch(account))
                findings.Add(new ComplianceExceptionFinding(index, "account", $"'{account}' must be a 12-digit account id or a pattern of digits with * or ?"));
            if (values.TryGetValue("violationReason", out var reason) && !ReasonPattern.IsMatch(reason))
                findings.Add(new ComplianceExceptionFinding(index, "violationReason",
                    $"'{reason}' must be an FMS violation reason code such as RESOURCE_MISSING_WEB_ACL (upper case, digits, _; wildcards * and ?)"));
            var expires = DateTime.MinValue;
            if (values.TryGetValue("expires", out var date)
                && (!DatePattern.IsMatch(date) || !DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expires)))
                findings.Add(new ComplianceExceptionFinding(index, "expires", $"'{date}' must be a date as yyyy-MM-dd (the last day the exception holds)"));

            if (findings.Count > before) return null;
            return new ComplianceExceptionEntry(index, values["policy"], values["account"], values["resource"],
                values.TryGetValue("violationReason", out var r) ? r : "", values["owner"], values["reason"], expires, source);
        }

        private static bool HasProperty(JsonElement item, string name) => item.TryGetProperty(name, out _);

        private static string Kind(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object: return "an object";
                case JsonValueKind.Array: return "an array";
                case JsonValueKind.String: return "a string";
                case JsonValueKind.Number: return "a number";
                case JsonValueKind.True:
                case JsonValueKind.False: return "a boolean";
                case JsonValueKind.Null: return "null";
                default: return "nothing";
            }
        }
    }
}
