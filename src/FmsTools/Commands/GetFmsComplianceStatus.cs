using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;

namespace FmsTools.Commands
{
    /// <summary>
    /// Where each member account stands against each policy: one FmsComplianceStatus per policy × account, streamed as
    /// ListComplianceStatus pages arrive, with violators counted by reason (GetComplianceDetail, non-compliant accounts only).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsComplianceStatus", DefaultParameterSetName = ByName)]
    [OutputType(typeof(FmsComplianceStatus))]
    public sealed class GetFmsComplianceStatus : FmsPolicySelectionCmdlet
    {
        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        protected override string[]? PolicyIds => PolicyId;

        /// <summary>Only rows with this status.</summary>
        [Parameter]
        public FmsComplianceState? Status { get; set; }

        /// <summary>Do not read GetComplianceDetail: rows carry ListComplianceStatus's counts only (no reasons, no violators).</summary>
        [Parameter]
        public SwitchParameter NoDetail { get; set; }

        protected override void ProcessCore()
        {
            var query = new ComplianceQuery { AccountIds = Accounts, IncludeViolators = !NoDetail.IsPresent, Status = Status };
            ForEachPolicy(policy => Emit(policy, query), _ => { });
        }

        private void Emit(PolicyReference policy, ComplianceQuery query)
        {
            var service = ServiceFor(policy.Region);
            RunStream(ct => service.GetComplianceStatusAsync(policy, query, ct), row => WriteObject(row));
        }
    }
}
