using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;

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
            var query = new ComplianceQuery
            {
                AccountIds = AccountId == null || AccountId.Length == 0 ? null : new HashSet<string>(AccountId),
                IncludeViolators = !NoDetail.IsPresent,
                Status = Status,
            };
            switch (BoundSet)
            {
                case ByPolicy:
                    foreach (var policy in Policy ?? new FmsPolicy[0])
                        TryItem(policy, () => Emit(ReferenceOf(policy), query));
                    break;
                case ById:
                    foreach (var id in PolicyId ?? new string[0])
                        TryItem(id, () => Emit(Run(ct => PolicyByIdAsync(DefaultRegion, id, ct)), query));
                    break;
                default:
                    TryItem(PolicyName, () =>
                    {
                        foreach (var policy in Run(ct => PoliciesByNameAsync(DefaultRegion, PolicyName, ct)))
                            TryItem(policy, () => Emit(policy, query));
                    });
                    break;
            }
        }

        private void Emit(PolicyReference policy, ComplianceQuery query)
        {
            var service = ServiceFor(policy.Region);
            RunStream(ct => service.GetComplianceStatusAsync(policy, query, ct), row => WriteObject(row));
        }

        // Read from the bound parameters rather than ParameterSetName, so the body runs the same without a PowerShell host.
        private string BoundSet => Policy != null ? ByPolicy : PolicyId != null ? ById : ByName;
    }
}
