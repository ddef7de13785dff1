using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    /// <summary>
    /// SARIF 2.1.0 for code scanning: one run of the tool FmsTools, a rule per FMS violation reason (with the reason's
    /// meaning as help text), a result per violating resource located at fms/&lt;account&gt;/&lt;region&gt;/&lt;resource&gt;.
    /// Accepted violations carry an external, accepted suppression with the exception's owner and reason; accounts
    /// whose violators FMS counted but did not list get one result each under the rule FMS_UNLISTED_VIOLATORS.
    /// </summary>
    public static class SarifReportWriter
    {
        public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

        /// <summary>The rule of a non-compliant account whose violators were not listed (more than 100, or the detail was not read).</summary>
        public const string UnlistedRuleId = "FMS_UNLISTED_VIOLATORS";

        public static void Write(ComplianceReport report, TextWriter writer, ComplianceExportOptions? options = null)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            options ??= new ComplianceExportOptions();
            // First pass: the rules (reasons are few); second pass: the results, streamed.
            var reasons = new SortedSet<string>(report.Summary.ViolationsByReason.Keys.Select(RuleId), StringComparer.Ordinal);
            var unlisted = false;
            foreach (var row in report.Rows)
            {
                foreach (var v in row.Violations) reasons.Add(RuleId(v.Reason));
                if (row.StatusValue == FmsComplianceState.NonCompliant && row.ViolatorCount > row.Violations.Count) unlisted = true;
            }
            var rules = reasons.ToList();
            if (unlisted) rules.Add(UnlistedRuleId);
            var ruleIndex = rules.Select((id, i) => new KeyValuePair<string, int>(id, i)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

            using (var buffer = new MemoryStream())
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("$schema", SchemaUri);
                json.WriteString("version", "2.1.0");
                json.WriteStartArray("runs");
                json.WriteStartObject();
                json.WriteStartObject("tool");
                json.WriteStartObject("driver");
                json.WriteString("name", "FmsTools");
                json.WriteString("fullName", "FmsTools Firewall Manager compliance");
                if (options.ToolVersion.Length > 0) json.WriteString("semanticVersion", options.ToolVersion);
                json.WriteStartArray("rules");
                foreach (var id in rules) WriteRule(json, id);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteStartObject("automationDetails");
                json.WriteString("id", "fms-compliance/" + string.Join("+", report.Regions) + "/");
                json.WriteEndObject();
                json.WriteStartArray("invocations");
                json.WriteStartObject();
                json.WriteBoolean("executionSuccessful", true);
                json.WriteString("endTimeUtc", report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                var notes = report.StaleExceptions.Select(e => "Stale exception " + e)
                    .Concat(report.ExpiredExceptions.Select(e => "Expired exception " + e)).ToList();
                if (notes.Count > 0)
                {
                    json.WriteStartArray("toolExecutionNotifications");
                    foreach (var note in notes)
                    {
                        json.WriteStartObject();
                        json.WriteStartObject("message");
                        json.WriteString("text", note);
                        json.WriteEndObject();
                        json.WriteString("level", "warning");
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartArray("results");
                foreach (var row in report.Rows)
                {
                    if (row.StatusValue != FmsComplianceState.NonCompliant) continue;
                    foreach (var v in row.Violations) WriteResult(json, row, v, ruleIndex);
                    if (row.ViolatorCount > row.Violations.Count) WriteUnlisted(json, row, ruleIndex[UnlistedRuleId]);
                    if (buffer.Length > 64 * 1024) Drain(json, buffer, writer);
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                Drain(json, buffer, writer);
            }
            writer.Write('\n');
        }

        internal static string RuleId(string reason) => string.IsNullOrEmpty(reason) ? "FMS_UNKNOWN_REASON" : reason;

        private static void WriteRule(Utf8JsonWriter json, string id)
        {
            var meaning = id == UnlistedRuleId
                ? "The account is non-compliant, but Firewall Manager did not list its violating resources (more than 100, or the detail was not read)."
                : ViolationReasons.Describe(id);
            var help = meaning + " Get-FmsViolation -IncludeDetail shows what is wrong with each resource; Invoke-FmsRemediation -WhatIf shows how "
                       + "Firewall Manager would fix it. To accept a violation for a while, add it to the exceptions file (-ExceptionPath) with an owner, a reason and an expiry date.";
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("name", Pascal(id));
            json.WriteStartObject("shortDescription");
            json.WriteString("text", meaning);
            json.WriteEndObject();
            json.WriteStartObject("fullDescription");
            json.WriteString("text", "AWS Firewall Manager violation reason " + id + ": " + meaning);
            json.WriteEndObject();
            json.WriteStartObject("help");
            json.WriteString("text", help);
            json.WriteString("markdown", "**" + id + "**: " + meaning + "\n\n- `Get-FmsViolation -IncludeDetail` shows what is wrong with each resource.\n"
                                         + "- `Invoke-FmsRemediation -WhatIf` shows how Firewall Manager would fix it.\n"
                                         + "- To accept a violation for a while, add it to the exceptions file (`-ExceptionPath`) with an owner, a reason and an expiry date.");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", "error");
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteStartArray("tags");
            json.WriteStringValue("security");
            json.WriteStringValue("aws-firewall-manager");
            json.WriteEndArray();
            json.WriteString("security-severity", "7.0");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void WriteResult(Utf8JsonWriter json, FmsComplianceStatus row, FmsViolation v, IReadOnlyDictionary<string, int> ruleIndex)
        {
            var ruleId = RuleId(v.Reason);
            var account = v.AccountId.Length > 0 ? v.AccountId : row.AccountId;
            var region = v.Region.Length > 0 ? v.Region : row.Region;
            json.WriteStartObject();
            json.WriteString("ruleId", ruleId);
            json.WriteNumber("ruleIndex", ruleIndex[ruleId]);
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", $"{v.ResourceType} {v.ResourceId} in account {account} ({region}) violates policy {row.PolicyName}: {ViolationReasons.Describe(v.Reason)}");
            json.WriteEndObject();
            WriteLocation(json, account, region, v.ResourceId, v.ResourceType);
            json.WriteStartObject("partialFingerprints");
            json.WriteString("fmsViolation/v1", Fingerprint(row.PolicyId, account, region, v.ResourceId, v.Reason));
            json.WriteEndObject();
            if (v.Excepted)
            {
                json.WriteStartArray("suppressions");
                json.WriteStartObject();
                json.WriteString("kind", "external");
                json.WriteString("status", "accepted");
                json.WriteString("justification", $"{v.ExceptionReason} (owner {v.ExceptionOwner}, expires {v.ExceptionExpires:yyyy-MM-dd}, {v.ExceptionEntry})");
                json.WriteEndObject();
                json.WriteEndArray();
            }
            json.WriteStartObject("properties");
            json.WriteString("policyId", row.PolicyId);
            json.WriteString("policyName", row.PolicyName);
            json.WriteString("policyType", row.PolicyType);
            json.WriteString("accountId", account);
            json.WriteString("accountName", row.AccountName);
            json.WriteString("organizationalUnitPath", row.OrganizationalUnitPath);
            json.WriteString("region", region);
            json.WriteString("resourceId", v.ResourceId);
            json.WriteString("resourceType", v.ResourceType);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void WriteUnlisted(Utf8JsonWriter json, FmsComplianceStatus row, int index)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", UnlistedRuleId);
            json.WriteNumber("ruleIndex", index);
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", $"Account {row.AccountId} ({row.Region}) has {row.ViolatorCount - row.Violations.Count} violating resources of policy {row.PolicyName} that Firewall Manager did not list.");
            json.WriteEndObject();
            WriteLocation(json, row.AccountId, row.Region, row.PolicyId, "AWS::FMS::Policy");
            json.WriteStartObject("partialFingerprints");
            json.WriteString("fmsViolation/v1", Fingerprint(row.PolicyId, row.AccountId, row.Region, "", UnlistedRuleId));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void WriteLocation(Utf8JsonWriter json, string account, string region, string resourceId, string resourceType)
        {
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", "fms/" + Uri.EscapeDataString(account) + "/" + Uri.EscapeDataString(region) + "/" + Uri.EscapeDataString(resourceId));
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", 1);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", resourceId);
            json.WriteString("fullyQualifiedName", account + "/" + region + "/" + resourceId);
            json.WriteString("kind", "resource");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("properties");
            json.WriteString("resourceType", resourceType);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        private static string Fingerprint(params string[] parts)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", parts)));
                return string.Concat(hash.Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            }
        }

        private static string Pascal(string code)
            => string.Concat(code.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Substring(0, 1).ToUpperInvariant() + part.Substring(1).ToLowerInvariant()));

        private static void Drain(Utf8JsonWriter json, MemoryStream buffer, TextWriter writer)
        {
            json.Flush();
            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            buffer.SetLength(0);
        }
    }
}
