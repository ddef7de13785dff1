using FmsTools.Engine.PolicyOperations;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>
    /// Gets Firewall Manager policies. Summaries stream from ListPolicies; -Detailed (or -PolicyId) reads each policy
    /// in full with GetPolicy and its tags, with typed scope and settings.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsPolicy", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsPolicy))]
    public sealed class GetFmsPolicy : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsPolicyNameCompleter))]
        public string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        /// <summary>Only policies of these types.</summary>
        [Parameter(ParameterSetName = "ByName")]
        public FmsPolicyType[]? Type { get; set; }

        /// <summary>Read each policy in full (settings, scope, tags) instead of its summary.</summary>
        [Parameter(ParameterSetName = "ByName")]
        public SwitchParameter Detailed { get; set; }

        protected override void ProcessCore()
        {
            var service = new PolicyService(Session.Fms, Session.Wafv2, Session.Region);
            using var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.ReadPolicies, "Reading Firewall Manager policies", "policies", PolicyId?.Length);
            if (PolicyId != null)
            {
                foreach (var id in PolicyId)
                    TryItem(id, () =>
                    {
                        var policy = Await((r, ct) => service.GetPolicyAsync(id, includeTags: true, ct));
                        progress.Step(policy.Name);
                        WriteObject(policy);
                    });
                return;
            }
            var types = Type?.ToList();
            progress.Status(Detailed.IsPresent ? "Listing policies and reading each in full" : "Listing policies");
            TryItem(Name, () => Stream((r, ct) => service.GetPoliciesAsync(Patterns(Name), types, Detailed.IsPresent, ct), policy =>
            {
                progress.Step(policy.Name);
                WriteObject(policy);
            }));
        }
    }
}
