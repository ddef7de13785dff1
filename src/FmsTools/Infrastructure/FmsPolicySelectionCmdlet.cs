using FmsTools.Engine.Compliance;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the compliance cmdlets that select policies three ways (Get-FmsComplianceStatus, Test- and
    /// Assert-FmsCompliance): piped FmsPolicy objects (ByPolicy), ids (ById: -PolicyId is declared by each cmdlet, as its
    /// pipeline binding differs), or name patterns in the default Region (ByName, every policy without names).
    /// </summary>
    public abstract class FmsPolicySelectionCmdlet : FmsAccountFilterCmdlet
    {
        protected const string ByName = "ByName";
        protected const string ById = "ById";
        protected const string ByPolicy = "ByPolicy";

        /// <summary>Policies from Get-FmsPolicy (each is read in its own Region).</summary>
        [Parameter(ParameterSetName = ByPolicy, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy[]? Policy { get; set; }

        /// <summary>Policy names; wildcards allowed; none means every policy of the region.</summary>
        [Parameter(ParameterSetName = ByName, Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyNameCompleter))]
        public string[]? PolicyName { get; set; }

        /// <summary>The ids of the ById parameter set (the cmdlet's -PolicyId).</summary>
        protected abstract string[]? PolicyIds { get; }

        /// <summary>
        /// Calls <paramref name="each"/> for every selected policy: the piped policies, else the policies with the given
        /// ids, else the default region's policies whose names match (every one without names). Each input is an item of
        /// its own (a failure is written as an error and the others go on); <paramref name="done"/> hears whether each
        /// one succeeded.
        /// </summary>
        protected void ForEachPolicy(Action<PolicyReference> each, Action<bool> done)
        {
            if (Policy != null)
            {
                foreach (var policy in Policy.Where(p => p != null))
                    done(TryItem(policy, () => each(ReferenceOf(policy))));
                return;
            }
            if (PolicyIds != null)
            {
                foreach (var id in PolicyIds)
                    done(TryItem(id, () => each(Run(ct => PolicyByIdAsync(DefaultRegion, id, ct)))));
                return;
            }
            done(TryItem(PolicyName, () =>
            {
                foreach (var policy in Run(ct => PoliciesByNameAsync(DefaultRegion, PolicyName, ct)))
                    done(TryItem(policy, () => each(policy)));
            }));
        }
    }
}
