using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;

namespace FmsTools.Commands
{
    /// <summary>
    /// Organization-wide compliance: every policy × account in every requested region, with account names and OU
    /// paths, read with bounded adaptive parallelism and drilling into non-compliant accounts only. Rows stream as
    /// they complete; -AsReport instead returns one ComplianceReport (summary, per-policy and per-account tables and
    /// the rows) for Export-FmsComplianceReport.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsComplianceReport")]
    [OutputType(typeof(FmsComplianceStatus), typeof(ComplianceReport))]
    public sealed class GetFmsComplianceReport : FmsAccountFilterCmdlet
    {
        /// <summary>
        /// Regions to read (several allowed); the connection's region when omitted. Global (CloudFront) policies live
        /// in us-east-1 and are counted once. Replaces the connection parameter -Region of the other cmdlets; the first
        /// region is also where Organizations is called. Piped policies bind their own Region here, so their Regions are read.
        /// </summary>
        [ValidatePipedFmsId(IdentifierKind.Region)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsRegionCompleter))]
        public new string[]? Region { get => Regions; set => Regions = value; }

        /// <summary>Only these policies (ids); every policy of every region when omitted.</summary>
        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        /// <summary>Also read GetViolationDetails for every violator (one call per resource: slow at scale).</summary>
        [Parameter]
        public SwitchParameter IncludeViolationDetail { get; set; }

        /// <summary>
        /// A JSON file of accepted violations (Data/fms-exceptions.schema.json): matching violations are marked Excepted
        /// (owner, reason, expiry) and rows with only accepted violations are IsExcepted. Defaults to $global:FmsExceptionPath.
        /// </summary>
        [Parameter]
        public string? ExceptionPath { get; set; }

        private Engine.Compliance.Exceptions.ComplianceExceptionSet? _exceptions;

        protected override void BeginCore()
        {
            base.BeginCore();
            _exceptions = ComplianceExceptionLoader.Load(this, ExceptionPath);
        }

        /// <summary>Return one ComplianceReport at the end instead of streaming the rows.</summary>
        [Parameter]
        public SwitchParameter AsReport { get; set; }

        /// <summary>Most calls in flight per operation and region; the throttle starts lower and adapts to throttling.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        private readonly HashSet<string> _policyIds = new HashSet<string>(StringComparer.Ordinal);
        private bool _pipedPolicyIds;

        // Regions given or bound from piped policies, in order (PowerShell binds each piped policy's Region in turn).
        private readonly List<string> _regionsSeen = new List<string>();

        protected override AdaptiveThrottleOptions? ThrottleOptions()
            => new AdaptiveThrottleOptions { MaxConcurrency = ThrottleLimit, InitialConcurrency = Math.Min(8, ThrottleLimit) };

        protected override void ProcessCore()
        {
            foreach (var region in DistinctRegions())
                if (!_regionsSeen.Contains(region)) _regionsSeen.Add(region);
            // Policy ids may arrive from the pipeline (Get-FmsPolicy | Get-FmsComplianceReport): one report over all of them.
            if (PolicyId == null) return;
            _pipedPolicyIds = true;
            foreach (var id in PolicyId) if (!string.IsNullOrWhiteSpace(id)) _policyIds.Add(id);
        }

        protected override void EndCore()
        {
            var regions = _regionsSeen.Concat(DistinctRegions()).Distinct(StringComparer.Ordinal).ToList();
            if (regions.Count == 0) regions.Add(DefaultRegion);
            Region = regions.ToArray();
            if (_pipedPolicyIds && _policyIds.Count == 0) return;
            var request = new ComplianceReportRequest
            {
                Regions = regions,
                PolicyIds = _policyIds.Count == 0 ? null : _policyIds,
                AccountIds = Accounts,
                IncludeViolationDetails = IncludeViolationDetail.IsPresent,
            };
            var builder = new ComplianceReportBuilder(region => SessionFor(region).Fms, Directory, Reporter, Throttle);
            WriteVerbose($"Compliance report over {string.Join(", ", regions)}" + (request.PolicyIds == null ? "" : $", {request.PolicyIds.Count} policies")
                                     + (request.AccountIds == null ? "" : $", {request.AccountIds.Count} accounts") + ".");

            // Each failed part of the report is one non-terminating error (ErrorId ListPoliciesFailed, PolicyNotFound,
            // ComplianceStatusFailed or ComplianceDetailFailed), written with the rows that follow it rather than at the end.
            var errorsWritten = 0;
            void WriteNewErrors(FmsError? except = null)
            {
                if (builder.Statistics.ErrorCount <= errorsWritten) return;
                var errors = builder.Statistics.Errors;
                for (; errorsWritten < errors.Count; errorsWritten++)
                    if (!ReferenceEquals(errors[errorsWritten], except)) WriteFmsError(errors[errorsWritten]);
            }

            var aggregator = AsReport.IsPresent ? new ComplianceReportAggregator(regions, clock: Clock) : null;
            try
            {
                try
                {
                    RunStream(ct => builder.BuildAsync(request, ct), row =>
                    {
                        WriteNewErrors();
                        _exceptions?.Apply(row);
                        if (aggregator != null) aggregator.Add(row);
                        else WriteObject(row);
                    });
                }
                catch (Exception e) when (Unwrap(e) is FmsTerminatingException terminating)
                {
                    // No region could be listed: the first failure ends the command, the other regions' are still reported.
                    WriteNewErrors(except: terminating.Error);
                    throw;
                }
                WriteNewErrors();
                WriteVerbose("Report: " + builder.Statistics);
                ComplianceExceptionLoader.WarnAbout(this, _exceptions);
                if (aggregator != null)
                {
                    var report = aggregator.Complete(builder.Statistics);
                    if (_exceptions != null) report.SetExceptionOutcome(_exceptions);
                    WriteObject(report);
                    aggregator = null;
                }
            }
            finally
            {
                aggregator?.Dispose();
            }
        }
    }
}
