using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    /// <summary>One report to merge and the organization its rows belong to.</summary>
    public sealed class ComplianceReportSource
    {
        public ComplianceReportSource(ComplianceReport report, string organizationId, string organization)
        {
            Report = report ?? throw new ArgumentNullException(nameof(report));
            OrganizationId = organizationId ?? "";
            Organization = organization ?? "";
        }

        public ComplianceReport Report { get; }

        /// <summary>Stamped on rows that have no organization yet; rows of an already merged report keep theirs.</summary>
        public string OrganizationId { get; }

        public string Organization { get; }
    }

    /// <summary>
    /// Several organizations' reports as one: every row carries its organization (id and friendly name), policies and
    /// accounts are counted per organization, and the summary covers them all.
    /// </summary>
    public static class ComplianceReportMerger
    {
        public static ComplianceReport Merge(IReadOnlyList<ComplianceReportSource> sources, EngineClock? clock = null)
        {
            if (sources == null) throw new ArgumentNullException(nameof(sources));
            if (sources.Count == 0) throw new ArgumentException("Nothing to merge.", nameof(sources));
            var regions = sources.SelectMany(s => s.Report.Regions).Distinct(StringComparer.Ordinal).ToList();
            var aggregator = new ComplianceReportAggregator(regions, clock: clock);
            try
            {
                foreach (var source in sources)
                {
                    foreach (var original in source.Report.Rows)
                    {
                        var row = original.Copy();
                        if (row.OrganizationId.Length == 0)
                        {
                            row.OrganizationId = source.OrganizationId;
                            row.Organization = source.Organization.Length > 0 ? source.Organization : source.OrganizationId;
                        }
                        row.Violations = row.Violations.Select(v =>
                        {
                            var copy = v.Copy();
                            copy.OrganizationId = row.OrganizationId;
                            copy.Organization = row.Organization;
                            return copy;
                        }).ToList();
                        aggregator.Add(row);
                    }
                }
                var report = aggregator.Complete();
                report.SetExceptionOutcome(sources.SelectMany(s => s.Report.StaleExceptions), sources.SelectMany(s => s.Report.ExpiredExceptions));
                return report;
            }
            catch
            {
                aggregator.Dispose();
                throw;
            }
        }
    }
}
