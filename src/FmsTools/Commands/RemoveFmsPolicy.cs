using FmsTools.Engine.PolicyOperations;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>Deletes a Firewall Manager policy, optionally with everything FMS created for it.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class RemoveFmsPolicy : FmsChangeCmdlet
    {
        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsPolicyIdCompleter))]
        public string? PolicyId { get; set; }

        /// <summary>
        /// The Region to call. A piped policy (Get-FmsPolicy output) binds its own Region here, so it is deleted where it
        /// lives (one without a Region, such as a policy read from a file, goes to the connection's Region); given on the
        /// command line, it applies to every policy.
        /// </summary>
        [ValidatePipedFmsId(IdentifierKind.Region)]
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(FmsRegionCompleter))]
        public new string? Region { get => base.Region; set => base.Region = value; }

        /// <summary>Also clean up what FMS created: web ACLs, rule groups, security group replicas, firewalls (per type).</summary>
        [Parameter]
        public SwitchParameter DeleteAllPolicyResources { get; set; }

        protected override void ProcessCore()
        {
            var service = NewPolicyService();
            TryItem(PolicyId, () =>
            {
                var current = Await((r, ct) => service.GetPolicyAsync(PolicyId!, includeTags: PassThru.IsPresent, ct));
                var action = $"Delete {current.TypeName} policy covering {PolicyService.DescribeResourceTypes(current)} in scope {current.ScopeSummary}"
                    + (DeleteAllPolicyResources.IsPresent
                        ? "; FMS also removes the web ACLs, rule groups, security groups and firewalls it created for it"
                        : "; resources FMS created for it stay in the accounts");
                if (!ShouldChange(PolicyService.Target(current), action)) return;
                Await((r, ct) => service.DeleteAsync(PolicyId!, DeleteAllPolicyResources.IsPresent, ct));
                WriteVerbose($"Deleted policy '{current.Name}' ({current.PolicyId}).");
                PassOn(current);
            });
        }
    }
}
