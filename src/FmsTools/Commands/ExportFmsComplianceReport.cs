using System.IO;
using System.Text;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;

namespace FmsTools.Commands
{
    /// <summary>
    /// Writes a compliance report as a self-contained HTML page (heatmap, charts, trend, filters), JUnit or NUnit XML,
    /// CSV, JSON, SARIF or Markdown. Takes the ComplianceReport of Get-FmsComplianceReport -AsReport, or the streamed rows of
    /// Get-FmsComplianceReport / Get-FmsComplianceStatus (aggregated here). An existing file is replaced only with -Force.
    /// </summary>
    [Cmdlet(VerbsData.Export, "FmsComplianceReport", DefaultParameterSetName = ByRows, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ComplianceReportFile))]
    public sealed class ExportFmsComplianceReport : FmsCmdlet
    {
        private const string ByRows = "ByRows";
        private const string ByReport = "ByReport";

        /// <summary>A report from Get-FmsComplianceReport -AsReport.</summary>
        [Parameter(ParameterSetName = ByReport, Mandatory = true, ValueFromPipeline = true)]
        public ComplianceReport? Report { get; set; }

        /// <summary>Policy × account rows (Get-FmsComplianceReport, Get-FmsComplianceStatus); all of them become one report.</summary>
        [Parameter(ParameterSetName = ByRows, Mandatory = true, ValueFromPipeline = true)]
        public FmsComplianceStatus[]? InputObject { get; set; }

        /// <summary>The file to write. With several formats, the file name gets each format's extension (.html, .xml, .csv, .json, .sarif, .md; JUnit and NUnit together: .junit.xml and .nunit.xml).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string? Path { get; set; }

        /// <summary>Html, JUnit, NUnit, Csv, Json, Sarif or Markdown (several allowed); taken from the file extension when omitted (.xml is JUnit).</summary>
        [Parameter(Position = 1)]
        public ComplianceReportFormat[]? Format { get; set; }

        /// <summary>The HTML page's title.</summary>
        [Parameter]
        public string? Title { get; set; }

        /// <summary>
        /// A JSON file of accepted violations (Data/fms-exceptions.schema.json) applied before writing: accepted
        /// violations are shown as Excepted with owner and reason. Defaults to $global:FmsExceptionPath.
        /// </summary>
        [Parameter]
        public string? ExceptionPath { get; set; }

        /// <summary>
        /// Earlier readings the HTML report draws as a trend over time: paths of reports saved with -Format Json or of
        /// Watch-FmsCompliance snapshot files (-SnapshotPath), or ComplianceReport objects. Other formats ignore it.
        /// </summary>
        [Parameter]
        [Alias("PreviousReport")]
        public object[]? History { get; set; }

        private Engine.Compliance.Exceptions.ComplianceExceptionSet? _exceptions;
        private List<ComplianceTrendPoint> _history = new List<ComplianceTrendPoint>();

        protected override void BeginCore()
        {
            base.BeginCore();
            _exceptions = ComplianceExceptionLoader.Load(this, ExceptionPath);
            _history = ComplianceReportFiles.ReadHistory(this, History);
            if (_history.Count > 0) WriteVerbose($"Read {_history.Count} earlier readings for the trend.");
        }

        /// <summary>Replace an existing file (without -Force an existing file is an error and is left alone).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        // Without an exceptions file the rows go straight into the report (its store keeps them on disk, so an
        // organization's rows need not fit in memory).
        private ComplianceReportAggregator? _aggregator;

        // With one, rows wait on disk until the end and are read back as copies, so applying the exceptions never changes
        // the caller's objects.
        private ComplianceRowStore? _pending;
        private readonly List<string> _regions = new List<string>();

        protected override void ProcessCore()
        {
            if (Report != null)
            {
                if (_exceptions == null)
                {
                    Write(Report);
                    return;
                }
                // The exceptions change rows and counts: the report is rebuilt from its rows with them applied.
                using (var aggregator = new ComplianceReportAggregator(Report.Regions, clock: EngineClock.System))
                {
                    foreach (var row in Report.Rows)
                    {
                        _exceptions.Apply(row);
                        aggregator.Add(row);
                    }
                    using (var report = aggregator.Complete())
                    {
                        report.SetExceptionOutcome(_exceptions);
                        ComplianceExceptionLoader.WarnAbout(this, _exceptions);
                        Write(report);
                    }
                }
                return;
            }
            if (InputObject == null) return;
            foreach (var row in InputObject)
            {
                if (row == null) continue;
                if (_exceptions == null)
                {
                    _aggregator ??= new ComplianceReportAggregator(new string[0], clock: EngineClock.System);
                    _aggregator.AddRegion(row.Region);
                    _aggregator.Add(row);
                    continue;
                }
                _pending ??= ComplianceRowStore.TemporaryFile();
                if (!_regions.Contains(row.Region)) _regions.Add(row.Region);
                _pending.Add(row);
            }
        }

        protected override void EndCore()
        {
            if (_aggregator != null)
            {
                try
                {
                    using (var report = _aggregator.Complete())
                        Write(report);
                }
                finally
                {
                    _aggregator.Dispose();
                    _aggregator = null;
                }
                return;
            }
            if (_pending == null) return;
            try
            {
                using (var aggregator = new ComplianceReportAggregator(_regions, clock: EngineClock.System))
                {
                    foreach (var row in _pending.Read())
                    {
                        _exceptions?.Apply(row);
                        aggregator.Add(row);
                    }
                    using (var report = aggregator.Complete())
                    {
                        if (_exceptions != null)
                        {
                            report.SetExceptionOutcome(_exceptions);
                            ComplianceExceptionLoader.WarnAbout(this, _exceptions);
                        }
                        Write(report);
                    }
                }
            }
            finally
            {
                _pending.Dispose();
                _pending = null;
            }
        }

        private void Write(ComplianceReport report)
        {
            var fullPath = ResolvePath(Path!);
            var formats = Formats(fullPath);
            foreach (var format in formats)
            {
                var extension = ComplianceReportExporter.ExtensionOf(format);
                // JUnit and NUnit are both .xml: together they become name.junit.xml and name.nunit.xml.
                if (formats.Count(f => ComplianceReportExporter.ExtensionOf(f) == extension) > 1) extension = "." + format.ToString().ToLowerInvariant() + extension;
                var target = formats.Count == 1 ? fullPath : System.IO.Path.ChangeExtension(fullPath, extension);
                TryItem(target, () => WriteOne(report, format, target));
            }
        }

        private void WriteOne(ComplianceReport report, ComplianceReportFormat format, string target)
        {
            var exists = File.Exists(target);
            if (Directory.Exists(target))
                throw new FmsItemException(new FmsError("ReportPathIsDirectory", FmsErrorCategory.InvalidArgument,
                    $"'{target}' is a directory; -Path names the report file.", target));
            if (exists && !Force.IsPresent)
                throw new FmsItemException(new FmsError("ReportFileExists", FmsErrorCategory.ResourceExists,
                    $"'{target}' already exists; nothing was written.", target, recommendedAction: "Use -Force to replace it, or choose another -Path."));
            var summary = report.Summary;
            var action = (exists ? "Replace the existing file with" : "Write") + $" the {format} compliance report: {summary.Evaluations} policy × account rows, "
                         + $"{summary.NonCompliantEvaluations} non-compliant, {summary.NonCompliantResources} violating resources";
            if (!ShouldProcess(target, action, Force.IsPresent)) return;

            var directory = System.IO.Path.GetDirectoryName(target);
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
                throw new FmsItemException(new FmsError("ReportDirectoryNotFound", FmsErrorCategory.ObjectNotFound,
                    $"The folder '{directory}' does not exist; nothing was written.", target));

            // Written beside the target and moved into place, so a failure never leaves half a report under the final name.
            var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                {
                    var options = new ComplianceExportOptions { ToolVersion = typeof(ExportFmsComplianceReport).Assembly.GetName().Version?.ToString(3) ?? "", History = _history };
                    if (!string.IsNullOrWhiteSpace(Title)) options.Title = Title!;
                    ComplianceReportExporter.Export(report, format, writer, options);
                }
                if (File.Exists(target)) File.Delete(target);
                File.Move(temporary, target);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            var info = new FileInfo(target);
            WriteVerbose($"Wrote {format} report {target} ({info.Length} bytes).");
            WriteObject(new ComplianceReportFile(info.FullName, format, info.Length, info.LastWriteTime, summary.Evaluations,
                summary.NonCompliantEvaluations, summary.NonCompliantResources, exists));
        }

        private List<ComplianceReportFormat> Formats(string path)
        {
            if (Format != null && Format.Length > 0) return Format.Distinct().ToList();
            switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
            {
                case ".html":
                case ".htm": return new List<ComplianceReportFormat> { ComplianceReportFormat.Html };
                case ".xml": return new List<ComplianceReportFormat> { ComplianceReportFormat.JUnit };
                case ".csv": return new List<ComplianceReportFormat> { ComplianceReportFormat.Csv };
                case ".json": return new List<ComplianceReportFormat> { ComplianceReportFormat.Json };
                case ".sarif": return new List<ComplianceReportFormat> { ComplianceReportFormat.Sarif };
                case ".md":
                case ".markdown": return new List<ComplianceReportFormat> { ComplianceReportFormat.Markdown };
                default:
                    throw new FmsTerminatingException(new FmsError("ReportFormatUnknown", FmsErrorCategory.InvalidArgument,
                        $"Cannot tell the report format from '{System.IO.Path.GetFileName(path)}'.", path,
                        recommendedAction: "Pass -Format Html, JUnit, NUnit, Csv, Json, Sarif or Markdown, or use a .html, .xml, .csv, .json, .sarif or .md file name."));
            }
        }
    }
}
