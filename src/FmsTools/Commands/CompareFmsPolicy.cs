using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Commands
{
    /// <summary>
    /// Compares policies by meaning (service defaults, null/[] and set-like order ignored). Either two given policies,
    /// or each piped desired policy with the deployed one of the same PolicyId (or, without one, the same name).
    /// Writes one row per differing field, none when equal; -Summary writes one comparison per policy instead.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "FmsPolicy", DefaultParameterSetName = DeployedSet)]
    [OutputType(typeof(FmsPolicyDifference), typeof(FmsPolicyComparison))]
    public sealed class CompareFmsPolicy : FmsConnectedCmdlet
    {
        private const string DeployedSet = "Deployed";
        private const string PairSet = "Pair";

        /// <summary>The desired policy, compared with what is deployed.</summary>
        [Parameter(ParameterSetName = DeployedSet, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy? InputObject { get; set; }

        /// <summary>The baseline (deployed) side of the comparison.</summary>
        [Parameter(ParameterSetName = PairSet, Mandatory = true, Position = 0)]
        public FmsPolicy? ReferencePolicy { get; set; }

        /// <summary>The changed (desired) side of the comparison.</summary>
        [Parameter(ParameterSetName = PairSet, Mandatory = true, Position = 1)]
        public FmsPolicy? DifferencePolicy { get; set; }

        /// <summary>Writes one FmsPolicyComparison per policy (also for equal ones) instead of difference rows.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        private FmsPolicy? _reading;

        /// <summary>Each policy is read in its own Region, and a piped one compared with the deployed one there.</summary>
        protected override string? InputRegion => (_reading ?? InputObject)?.Region;

        protected override void ProcessCore()
        {
            if (ReferencePolicy != null && DifferencePolicy != null)
            {
                TryItem(DifferencePolicy.Name, () =>
                {
                    var desired = Detailed(DifferencePolicy);
                    var deployed = Detailed(ReferencePolicy);
                    Write(desired, deployed.PolicyId ?? desired.PolicyId, PolicyComparer.Compare(desired, deployed));
                });
                return;
            }
            TryItem(InputObject?.Name, () =>
            {
                var service = new PolicyService(Session.Fms, Session.Wafv2, Session.Region);
                var desired = Detailed(InputObject!);
                FmsPolicy deployed;
                try
                {
                    deployed = Await((r, ct) => service.FindDeployedAsync(desired, ct));
                }
                catch (FmsItemException e) when (Summary.IsPresent && e.Error.ErrorId == "PolicyNotDeployed")
                {
                    WriteObject(new FmsPolicyComparison(desired.Name, null, desired.TypeName, PolicyComparisonStatus.NotDeployed, new FmsPolicyDifference[0]));
                    return;
                }
                Write(desired, deployed.PolicyId, PolicyComparer.Compare(desired, deployed));
            });
        }

        private FmsPolicy Detailed(FmsPolicy policy)
        {
            if (policy.Settings != null || policy.PolicyId == null) return policy;
            PolicyService service;
            _reading = policy;
            try
            {
                service = new PolicyService(Session.Fms, Session.Wafv2, Session.Region);
            }
            finally
            {
                _reading = null;
            }
            return Await((r, ct) => service.EnsureDetailedAsync(policy, ct));
        }

        private void Write(FmsPolicy desired, string? policyId, PolicyDiff diff)
        {
            var rows = diff.Differences.Select(d => new FmsPolicyDifference(desired.Name, policyId, d)).ToList();
            if (Summary.IsPresent)
            {
                WriteObject(new FmsPolicyComparison(desired.Name, policyId, desired.TypeName,
                    diff.IsEqual ? PolicyComparisonStatus.Equal : PolicyComparisonStatus.Different, rows));
                return;
            }
            WriteVerbose($"Policy '{desired.Name}': {diff.Differences.Count} difference(s).");
            foreach (var row in rows) WriteObject(row);
        }
    }
}
