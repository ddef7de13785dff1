using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Reports;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Several organizations' compliance as one report: reports from Get-FmsComplianceReport -AsReport (one per
    /// connection) or reports saved with Export-FmsComplianceReport -Format Json. Every row, policy and account carries
    /// its organization (an id and a friendly name), which every export format shows and the HTML page filters on.
    /// </summary>
    [Cmdlet(VerbsData.Merge, "FmsComplianceReport", DefaultParameterSetName = ByPath)]
    [OutputType(typeof(ComplianceReport))]
    public sealed class MergeFmsComplianceReport : FmsCmdlet
    {
        private const string ByPath = "ByPath";
        private const string ByReport = "ByReport";

        /// <summary>Saved JSON reports (Export-FmsComplianceReport -Format Json), one per organization.</summary>
        [Parameter(ParameterSetName = ByPath, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Reports of Get-FmsComplianceReport -AsReport (or Merge-FmsComplianceReport), one per organization; piped reports are merged in order.</summary>
        [Parameter(ParameterSetName = ByReport, Mandatory = true, ValueFromPipeline = true)]
        public ComplianceReport[]? Report { get; set; }

        /// <summary>
        /// The organization of each input, in input order: the organization id (o-...) or the management account id.
        /// Defaults to the file's base name (-Path) or org1, org2, ... (-Report). Rows that already carry one (a merged report) keep it.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? OrganizationId { get; set; }

        /// <summary>A friendly name for each input's organization, in input order; defaults to its OrganizationId.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? OrganizationName { get; set; }

        private readonly List<(ComplianceReport Report, string DefaultId, bool Owned)> _inputs = new List<(ComplianceReport, string, bool)>();

        protected override void BeginCore()
        {
            base.BeginCore();
            if (Path == null) return;
            foreach (var path in Path)
                _inputs.Add((ComplianceReportFiles.ReadReport(this, path), System.IO.Path.GetFileNameWithoutExtension(path), true));
        }

        protected override void ProcessCore()
        {
            if (Report == null) return;
            foreach (var report in Report)
                if (report != null) _inputs.Add((report, "org" + (_inputs.Count + 1), false));
        }

        protected override void EndCore()
        {
            try
            {
                if (_inputs.Count == 0) return;
                if ((OrganizationId?.Length ?? 0) > _inputs.Count || (OrganizationName?.Length ?? 0) > _inputs.Count)
                    throw new FmsTerminatingException(new FmsError("OrganizationCountMismatch", FmsErrorCategory.InvalidArgument,
                        $"{_inputs.Count} reports were given but {Math.Max(OrganizationId?.Length ?? 0, OrganizationName?.Length ?? 0)} organization ids or names; give at most one per report, in the same order.", null));
                var sources = new List<ComplianceReportSource>();
                for (var i = 0; i < _inputs.Count; i++)
                {
                    var id = OrganizationId != null && i < OrganizationId.Length ? OrganizationId[i] : _inputs[i].DefaultId;
                    var name = OrganizationName != null && i < OrganizationName.Length ? OrganizationName[i] : id;
                    sources.Add(new ComplianceReportSource(_inputs[i].Report, id, name));
                }
                var duplicate = sources.GroupBy(s => s.OrganizationId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate != null)
                    throw new FmsTerminatingException(new FmsError("OrganizationIdDuplicate", FmsErrorCategory.InvalidArgument,
                        $"Two reports would be organization '{duplicate.Key}'; give each report its own -OrganizationId.", duplicate.Key));
                var merged = ComplianceReportMerger.Merge(sources, EngineClock.System);
                WriteVerbose($"Merged {sources.Count} reports: {merged.Summary.Evaluations} policy × account rows of {merged.Organizations.Count} organizations.");
                WriteObject(merged);
            }
            finally
            {
                foreach (var input in _inputs.Where(i => i.Owned)) input.Report.Dispose();
                _inputs.Clear();
            }
        }
    }
}
