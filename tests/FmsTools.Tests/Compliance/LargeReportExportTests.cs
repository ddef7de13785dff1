using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>
    /// A generated organization large enough that the exporters write in many chunks (2,000 accounts × 5 policies, every
    /// state, violators, non-ASCII names): the JSON is byte for byte the document a one-shot serializer writes, and every
    /// format is the same whether the report was aggregated from the rows themselves or from copies read back from a
    /// temporary row store.
    /// </summary>
    public sealed class LargeReportExportTests
    {
        private const int Accounts = 2000;
        private static readonly ManualClock Clock = new ManualClock();

        private static readonly string[] Units =
            Enumerable.Range(0, 12).Select(u => "Root/" + (u % 3 == 0 ? "Prod" : u % 3 == 1 ? "Dev" : "Zürich ops") + "/Team " + u).ToArray();

        private static readonly string[] Reasons = { "RESOURCE_MISSING_WEB_ACL", "RESOURCE_INCORRECT_WEB_ACL", "RESOURCE_MISSING_SECURITY_GROUP" };

        private static IEnumerable<FmsComplianceStatus> Rows()
        {
            for (var p = 0; p < 5; p++)
                for (var a = 0; a < Accounts; a++)
                    yield return Row(p, a);
        }

        private static FmsComplianceStatus Row(int p, int a)
        {
            var account = (100000000000L + a * 7919L).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var region = p < 3 ? "us-east-1" : "eu-west-1";
            var state = ((a * 7 + p) % 5) switch { 0 or 1 => FmsComplianceState.Compliant, 4 => FmsComplianceState.Unknown, _ => FmsComplianceState.NonCompliant };
            var row = new FmsComplianceStatus
            {
                PolicyId = "pol-" + p, PolicyName = "Policy " + p + (p == 2 ? " — WAF «edge»" : ""), PolicyType = p % 2 == 0 ? "WAFV2" : "SECURITY_GROUPS_CONTENT_AUDIT",
                Region = region, IsGlobal = p == 0, AccountId = account, AccountName = "acct-" + a + (a % 11 == 0 ? "-日本" : ""),
                OrganizationalUnitPath = Units[a % Units.Length], StatusValue = state,
                LastUpdated = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(a),
            };
            if (a % 13 == 0) row.IssueInfo = new Dictionary<string, string> { ["AWSCONFIG"] = "Config off in " + region };
            if (state != FmsComplianceState.NonCompliant) return row;
            var count = 1 + (a + p) % 3;
            row.ViolatorCount = count + (a % 17 == 0 ? 2 : 0);
            row.EvaluationLimitExceeded = a % 97 == 0;
            row.DetailRetrieved = true;
            row.Violations = Enumerable.Range(0, count).Select(v => new FmsViolation
            {
                PolicyId = row.PolicyId, PolicyName = row.PolicyName, PolicyType = row.PolicyType, Region = region, AccountId = account, AccountName = row.AccountName,
                ResourceId = $"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/lb-{v}", ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer",
                Reason = Reasons[(a + v) % Reasons.Length], ReasonDescription = ViolationReasons.Describe(Reasons[(a + v) % Reasons.Length]),
                Metadata = new Dictionary<string, string> { ["vpc"] = "vpc-" + (a % 50) },
            }).ToList();
            row.ViolationsByReason = row.Violations.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Count());
            return row;
        }

        private static ComplianceReport Aggregate(IEnumerable<FmsComplianceStatus> rows)
        {
            var aggregator = new ComplianceReportAggregator(new[] { "us-east-1", "eu-west-1" }, null, Clock.ToEngineClock());
            foreach (var row in rows) aggregator.Add(row);
            return aggregator.Complete();
        }

        private static string Export(ComplianceReport report, ComplianceReportFormat format)
        {
            var writer = new StringWriter();
            ComplianceReportExporter.Export(report, format, writer);
            return writer.ToString();
        }

        /// <summary>The report as one document written in one go (no chunks), with the exporter's serializer options.</summary>
        private static string OneShotJson(ComplianceReport report)
        {
            var options = ComplianceRowStore.Json;
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("schema", "FmsTools.ComplianceReport/1");
                json.WriteString("generatedAt", report.GeneratedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                json.WritePropertyName("regions");
                JsonSerializer.Serialize(json, report.Regions.ToList(), options);
                json.WritePropertyName("summary");
                JsonSerializer.Serialize(json, report.Summary, options);
                json.WritePropertyName("policies");
                JsonSerializer.Serialize(json, report.PolicyRows.ToList(), options);
                json.WritePropertyName("accounts");
                JsonSerializer.Serialize(json, report.AccountRows.ToList(), options);
                json.WritePropertyName("callsByOperation");
                JsonSerializer.Serialize(json, report.CallsByOperation, options);
                json.WriteStartArray("staleExceptions");
                json.WriteEndArray();
                json.WriteStartArray("expiredExceptions");
                json.WriteEndArray();
                json.WritePropertyName("rows");
                JsonSerializer.Serialize(json, report.Rows.ToList(), options);
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        }

        [Fact]
        public void The_json_of_a_large_report_is_the_document_a_one_shot_serializer_writes()
        {
            using var report = Aggregate(Rows());
            Assert.Equal(Accounts, report.AccountRows.Count);
            var json = Export(report, ComplianceReportFormat.Json);
            Assert.True(json.Length > 1_000_000, $"only {json.Length} characters: too small to be written in chunks");
            Assert.Equal(OneShotJson(report), json);
        }

        [Theory]
        [InlineData(ComplianceReportFormat.Html)]
        [InlineData(ComplianceReportFormat.JUnit)]
        [InlineData(ComplianceReportFormat.NUnit)]
        [InlineData(ComplianceReportFormat.Csv)]
        [InlineData(ComplianceReportFormat.Json)]
        [InlineData(ComplianceReportFormat.Sarif)]
        [InlineData(ComplianceReportFormat.Markdown)]
        public void Every_format_is_the_same_from_the_rows_themselves_and_from_copies_read_back_from_a_row_store(ComplianceReportFormat format)
        {
            using var store = ComplianceRowStore.TemporaryFile();
            foreach (var row in Rows()) store.Add(row);
            using var fromRows = Aggregate(Rows());
            using var fromCopies = Aggregate(store.Read());
            Assert.Equal(Export(fromCopies, format), Export(fromRows, format));
        }
    }
}
