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
    public sealed class GetFmsComplianceStatus : FmsComplianceCmdlet
    {
        private const string ByName = "ByName";
        private const string ById = "ById";
        private const string ByPolicy = "ByPolicy";

        /// <summary>Policies from Get-FmsPolicy (each is read in its own region).</summary>
        [Parameter(ParameterSetName = ByPolicy, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy[]? Policy { get; set; }

        /// <summary>Policy names; wildcards allowed; none means every policy of the region.</summary>
        [Parameter(ParameterSetName = ByName, Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyNameCompleter))]
        public string[]? PolicyName { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        /// <summary>Only these member accounts.</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyAccountIdCompleter))]
        public string[]? AccountId { get; set; }

        /// <summary>Only rows with this status.</summary>
        [Parameter]
        public FmsComplianceState? Status { get; set; }

        /// <summary>Do not read GetComplianceDetail: rows carry ListComplianceStatus's counts only (no reasons, no violators).</summary>
        [Parameter]
        public SwitchParameter NoDetail { get; set; }

        protected override void ProcessCore()
        {
            var query = new ComplianceQuery { AccountIds = AccountSet(AccountId), IncludeViolators = !NoDetail.IsPresent, Status = Status };
            ForEachPolicy(Policy, PolicyId, PolicyName, policy => Emit(policy, query), _ => { });
        }

        private void Emit(PolicyReference policy, ComplianceQuery query)
        {
            var service = ServiceFor(policy.Region);
            RunStream(ct => service.GetComplianceStatusAsync(policy, query, ct), row => WriteObject(row));
        }
    }
}
