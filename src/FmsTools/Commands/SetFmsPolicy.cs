using FmsTools.Engine.PolicyOperations;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>
    /// Updates a policy (or creates one that has no PolicyId yet). The deployed version is read first, the change is
    /// validated and shown as a diff, and PutPolicy carries the update token the object was read with, so a change made
    /// by someone else in between is reported as a conflict showing both versions instead of being overwritten.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FmsPolicy", SupportsShouldProcess = true, DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class SetFmsPolicy : FmsPolicyScopeCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string ByIdSet = "ById";

        /// <summary>The desired policy: from Get-FmsPolicy, Import-FmsPolicy or New-Fms*Policy -Offline.</summary>
        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy? InputObject { get; set; }

        /// <summary>The deployed policy to change with the other parameters.</summary>
        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsPolicyIdCompleter))]
        public string? PolicyId { get; set; }

        /// <summary>Renames the policy.</summary>
        [Parameter]
        public string? NewName { get; set; }

        [Parameter]
        public ResourceTagLogicalOperator? ResourceTagOperator { get; set; }

        /// <summary>Writes the created or updated policy to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped policy is updated in its own Region.</summary>
        protected override string? InputRegion => InputObject?.Region;

        protected override void ProcessCore()
        {
            var service = NewPolicyService();
            var target = InputObject != null ? (object)InputObject.Name : PolicyId;
            TryItem(target, () =>
            {
                FmsPolicy? current = null;
                FmsPolicy desired;
                if (InputObject == null || InputObject.Settings == null)
                {
                    // By id, or a ListPolicies summary: start from the deployed policy.
                    var id = InputObject?.PolicyId ?? PolicyId!;
                    current = Await((r, ct) => service.GetPolicyAsync(id, includeTags: true, ct));
                    desired = current.Clone();
                    desired.Tags = current.Tags == null ? null : new System.Collections.Generic.SortedDictionary<string, string>(current.Tags, System.StringComparer.Ordinal);
                }
                else
                {
                    desired = InputObject.Clone();
                }
                ApplyParameters(desired);
                desired.Region ??= Session.Region;

                if (desired.PolicyId == null)
                {
                    Create(service, desired);
                    return;
                }
                if (current == null)
                {
                    current = Await((r, ct) => service.GetPolicyAsync(desired.PolicyId, includeTags: desired.Tags != null, ct));
                }
                PolicyService.EnsureNotStale(desired, current);
                if (!Validate(service, desired)) return;
                var diff = PolicyComparer.Compare(desired, current);
                if (diff.IsEqual)
                {
                    WriteVerbose($"Policy '{current.Name}' ({current.PolicyId}) already matches; nothing to update.");
                    if (PassThru.IsPresent) WriteObject(current);
                    return;
                }
                if (!ShouldProcess(PolicyService.Target(current), $"Update {current.TypeName} policy: {diff}")) return;
                var stored = Await((r, ct) => service.UpdateAsync(desired, current, ct));
                if (PassThru.IsPresent) WriteObject(stored);
            });
        }

        private void Create(PolicyService service, FmsPolicy desired)
        {
            if (!Validate(service, desired)) return;
            if (!ShouldProcess(PolicyService.Target(desired), PolicyService.DescribeCreate(desired))) return;
            var stored = Await((r, ct) => service.CreateAsync(desired, ct));
            WriteVerbose($"Created {stored.TypeName} policy '{stored.Name}' with id {stored.PolicyId}.");
            if (PassThru.IsPresent) WriteObject(stored);
        }

        /// <summary>Offline checks, then (only when those pass) the ones that call AWS; false when anything is an error.</summary>
        private bool Validate(PolicyService service, FmsPolicy desired)
        {
            var offline = PolicyService.ValidateOffline(desired, desired.Region);
            if (PolicyFindingWriter.Write(this, offline.Where(f => f.SeverityValue == PolicyFindingSeverity.Error), desired)) return false;
            var online = Await((r, ct) => service.ValidateOnlineAsync(desired, r, ct));
            return !PolicyFindingWriter.Write(this, online, desired);
        }

        private void ApplyParameters(FmsPolicy policy)
        {
            if (NewName != null) policy.Name = NewName;
            ApplyScopeParameters(policy);
            if (ResourceTagOperator.HasValue) (policy.Scope ??= new PolicyScope()).ResourceTagLogicalOperatorValue = ResourceTagOperator.Value;
            if (ResourceType != null) policy.ResourceTypes = ResourceType.ToList();
        }
    }
}
