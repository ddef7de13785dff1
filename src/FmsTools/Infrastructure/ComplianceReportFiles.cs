using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.History;
using FmsTools.Engine.Reports;

namespace FmsTools.Infrastructure
{
    /// <summary>Reads saved compliance reports and earlier readings for the report cmdlets, with clear errors naming the file.</summary>
    internal static class ComplianceReportFiles
    {
        /// <summary>A report saved with Export-FmsComplianceReport -Format Json.</summary>
        internal static ComplianceReport ReadReport(FmsCmdlet cmdlet, string path)
        {
            var full = cmdlet.ResolvePath(path);
            if (!File.Exists(full))
                throw new FmsTerminatingException(new FmsError("ReportFileNotFound", FmsErrorCategory.ObjectNotFound,
                    $"The saved report '{full}' does not exist.", full, recommendedAction: "Save one with Export-FmsComplianceReport -Format Json."));
            try
            {
                using (var reader = new StreamReader(full))
                    return ComplianceReportExporter.ReadJson(reader);
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException || e is ArgumentException)
            {
                throw new FmsTerminatingException(new FmsError("ReportFileInvalid", FmsErrorCategory.InvalidData,
                    $"'{full}' is not a saved compliance report ({ComplianceHistory.ReportSchema}): {e.Message}", full,
                    recommendedAction: "Pass a file written by Export-FmsComplianceReport -Format Json."));
            }
        }

        /// <summary>
        /// Earlier readings for the trend: paths (or FileInfo) of saved JSON reports or Watch-FmsCompliance snapshots,
        /// ComplianceReport or ComplianceSnapshot objects, or ComplianceTrendPoint objects.
        /// </summary>
        internal static List<ComplianceTrendPoint> ReadHistory(FmsCmdlet cmdlet, IEnumerable<object>? items)
        {
            var points = new List<ComplianceTrendPoint>();
            if (items == null) return points;
            foreach (var item in items)
            {
                var value = item is PSObject wrapped ? wrapped.BaseObject : item;
                switch (value)
                {
                    case null: continue;
                    case ComplianceTrendPoint point: points.Add(point); break;
                    case ComplianceReport report: points.Add(ComplianceHistory.FromReport(report)); break;
                    case ComplianceSnapshot snapshot: points.Add(ComplianceHistory.FromSnapshot(snapshot)); break;
                    case FileInfo file: points.Add(Load(cmdlet, file.FullName)); break;
                    case string path: points.Add(Load(cmdlet, path)); break;
                    default:
                        throw new FmsTerminatingException(new FmsError("HistoryItemInvalid", FmsErrorCategory.InvalidArgument,
                            $"-History takes paths of saved JSON reports or Watch-FmsCompliance snapshots, or ComplianceReport objects; not a {value.GetType().Name}.", value));
                }
            }
            return points;
        }

        private static ComplianceTrendPoint Load(FmsCmdlet cmdlet, string path)
        {
            var full = cmdlet.ResolvePath(path);
            if (!File.Exists(full))
                throw new FmsTerminatingException(new FmsError("HistoryFileNotFound", FmsErrorCategory.ObjectNotFound,
                    $"The earlier reading '{full}' does not exist.", full));
            try { return ComplianceHistory.Load(full); }
            catch (Exception e) when (e is InvalidDataException || e is JsonException || e is FormatException)
            {
                throw new FmsTerminatingException(new FmsError("HistoryFileInvalid", FmsErrorCategory.InvalidData, e.Message, full,
                    recommendedAction: "Pass reports saved with Export-FmsComplianceReport -Format Json or files of Watch-FmsCompliance -SnapshotPath."));
            }
        }
    }
}
