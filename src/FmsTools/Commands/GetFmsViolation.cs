using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;

namespace FmsTools.Commands
{
    /// <summary>
    /// The non-compliant resources of a policy in an account (GetComplianceDetail), one FmsViolation each; with
    /// -IncludeDetail each is enriched with GetViolationDetails (what exactly is wrong, FMS's possible remediation actions).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsViolation", DefaultParameterSetName = ByStatus)]
    [OutputType(typeof(FmsViolation))]
    public sealed class GetFmsViolation : FmsComplianceCmdlet
    {
        private const string ByStatus = "ByStatus";
        private const string ById = "ById";

        /// <summary>Rows from Get-FmsComplianceStatus or Get-FmsComplianceReport; compliant rows have no violators and cost no call.</summary>
        [Parameter(ParameterSetName = ByStatus, Mandatory = true, ValueFromPipeline = true)]
        public FmsComplianceStatus[]? InputObject { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string? PolicyId { get; set; }

        /// <summary>Member accounts to read (ById), or a filter on the piped rows (ByStatus).</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 1)]
        [Parameter(ParameterSetName = ByStatus)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyAccountIdCompleter))]
        public string[]? AccountId { get; set; }

        /// <summary>Also read GetViolationDetails for each violator (one call per resource).</summary>
        [Parameter]
        public SwitchParameter IncludeDetail { get; set; }

        /// <summary>Only violations with these reason codes (e.g. RESOURCE_MISSING_WEB_ACL); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsViolationReasonCompleter))]
        public string[]? Reason { get; set; }

        protected override void ProcessCore()
        {
            if (InputObject != null)
            {
                foreach (var row in InputObject)
                {
                    if (row == null || row.StatusValue == FmsComplianceState.Compliant) continue;
                    if (AccountId != null && AccountId.Length > 0 && !AccountId.Contains(row.AccountId)) continue;
                    TryItem(row, () => FromRow(row));
                }
                return;
            }
            foreach (var account in AccountId ?? new string[0])
            {
                TryItem(PolicyId + "/" + account, () =>
                {
                    var policy = Run(ct => PolicyByIdAsync(DefaultRegion, PolicyId!, ct));
                    var service = ServiceFor(policy.Region);
                    RunStream(ct => service.GetViolationsAsync(policy, account, IncludeDetail.IsPresent, ct), Write);
                });
            }
        }

        private void FromRow(FmsComplianceStatus row)
        {
            var service = ServiceFor(row.Region);
            if (row.DetailRetrieved)
            {
                // The row was drilled into already (Get-FmsComplianceStatus, the report): its violators are current enough.
                // -IncludeDetail enriches copies, so the piped row keeps its violations as they were.
                foreach (var violation in row.Violations.Where(Wanted))
                {
                    if (!IncludeDetail.IsPresent || violation.IsEnriched)
                    {
                        Write(violation);
                        continue;
                    }
                    var enriched = violation.Copy();
                    Run(ct => Enrich(service, enriched, ct));
                    Write(enriched);
                }
                return;
            }
            var policy = new PolicyReference(row.PolicyId, row.PolicyName, row.PolicyType, row.Region,
                row.IsGlobal ? PolicyReference.CloudFrontResourceType : "");
            RunStream(ct => service.GetViolationsAsync(policy, row.AccountId, IncludeDetail.IsPresent, ct), Write);
        }

        private static async System.Threading.Tasks.Task<bool> Enrich(ComplianceService service, FmsViolation violation, System.Threading.CancellationToken ct)
        {
            await service.EnrichAsync(violation, ct).ConfigureAwait(false);
            return true;
        }

        private System.Collections.Generic.IReadOnlyList<Engine.Diagnostics.Wildcard>? _reasonPatterns;

        private bool Wanted(FmsViolation violation)
            => Reason == null || Reason.Length == 0 || Engine.Diagnostics.Wildcard.MatchesAny(violation.Reason, _reasonPatterns ??= Patterns(Reason));

        private void Write(FmsViolation violation)
        {
            if (Wanted(violation)) WriteObject(violation);
        }
    }
}
