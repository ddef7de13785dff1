using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Reports
{
    /// <summary>One earlier reading of compliance: the counts the HTML report's trend chart draws.</summary>
    public sealed class ComplianceTrendPoint
    {
        /// <summary>When the reading was taken (UTC).</summary>
        public DateTime Time { get; set; }

        public long CompliantEvaluations { get; set; }
        public long NonCompliantEvaluations { get; set; }
        public long UnknownEvaluations { get; set; }

        /// <summary>Non-compliant evaluations whose violations are all accepted (0 for a Watch-FmsCompliance snapshot).</summary>
        public long ExceptedEvaluations { get; set; }

        /// <summary>Where the reading came from: a file name, "snapshot" or "report".</summary>
        public string Source { get; set; } = "";

        /// <summary>Compliant share of the evaluated (known) policy × account pairs, 0-100.</summary>
        public double CompliancePercent => ComplianceSummary.Percent(CompliantEvaluations, CompliantEvaluations + NonCompliantEvaluations);

        public override string ToString()
            => Time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + CompliancePercent.ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>
    /// Earlier readings for the trend: a saved JSON report (Export-FmsComplianceReport -Format Json), a
    /// Watch-FmsCompliance snapshot file (-SnapshotPath), or the objects themselves.
    /// </summary>
    public static class ComplianceHistory
    {
        public const string ReportSchema = "FmsTools.ComplianceReport/1";

        public static ComplianceTrendPoint FromReport(ComplianceReport report, string source = "report")
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var s = report.Summary;
            return new ComplianceTrendPoint
            {
                Time = report.GeneratedAt.ToUniversalTime(), CompliantEvaluations = s.CompliantEvaluations, NonCompliantEvaluations = s.NonCompliantEvaluations,
                UnknownEvaluations = s.UnknownEvaluations, ExceptedEvaluations = s.ExceptedEvaluations, Source = source,
            };
        }

        public static ComplianceTrendPoint FromSnapshot(ComplianceSnapshot snapshot, string source = "snapshot")
        {
            if (snapshot == null) throw new ArgumentNullException(nameof(snapshot));
            var point = new ComplianceTrendPoint { Time = snapshot.TakenAt.ToUniversalTime(), Source = source };
            foreach (var row in snapshot.Rows)
            {
                if (row.Status == nameof(FmsComplianceState.Compliant)) point.CompliantEvaluations++;
                else if (row.Status == nameof(FmsComplianceState.NonCompliant)) point.NonCompliantEvaluations++;
                else point.UnknownEvaluations++;
            }
            return point;
        }

        /// <summary>
        /// The reading in <paramref name="path"/>: a saved JSON report (only its generatedAt and summary are read) or a
        /// Watch-FmsCompliance snapshot. Anything else is an <see cref="InvalidDataException"/> naming the file.
        /// </summary>
        public static ComplianceTrendPoint Load(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var name = Path.GetFileName(path);
            JsonDocument document;
            try { document = JsonDocument.Parse(File.ReadAllText(path)); }
            catch (JsonException e) { throw new InvalidDataException($"{name} is not JSON: {e.Message}", e); }
            using (document)
            {
                var root = document.RootElement;
                var schema = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (schema == ComplianceSnapshot.SchemaValue)
                    return FromSnapshot(ComplianceSnapshot.Load(path)!, name);
                if (schema != ReportSchema || !root.TryGetProperty("summary", out var summaryElement) || !root.TryGetProperty("generatedAt", out var at))
                    throw new InvalidDataException($"{name} is neither a saved compliance report ({ReportSchema}) nor a Watch-FmsCompliance snapshot ({ComplianceSnapshot.SchemaValue}).");
                var summary = summaryElement.Deserialize<ComplianceSummary>(ComplianceRowStore.Json) ?? new ComplianceSummary();
                return new ComplianceTrendPoint
                {
                    Time = DateTime.Parse(at.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    CompliantEvaluations = summary.CompliantEvaluations, NonCompliantEvaluations = summary.NonCompliantEvaluations,
                    UnknownEvaluations = summary.UnknownEvaluations, ExceptedEvaluations = summary.ExceptedEvaluations, Source = name,
                };
            }
        }

        /// <summary>The readings in time order with the current report last; readings at or after the current one are left out.</summary>
        public static List<ComplianceTrendPoint> Trend(IEnumerable<ComplianceTrendPoint> history, ComplianceReport current)
        {
            var now = FromReport(current, "this report");
            var points = (history ?? Enumerable.Empty<ComplianceTrendPoint>()).Where(p => p != null && p.Time.ToUniversalTime() < now.Time)
                .OrderBy(p => p.Time.ToUniversalTime()).ToList();
            points.Add(now);
            return points;
        }
    }
}
