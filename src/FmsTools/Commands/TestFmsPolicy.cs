using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Commands
{
    /// <summary>
    /// Validates policies without deploying them and writes every finding (errors and warnings) naming its field and
    /// rule; -Quiet answers with one boolean instead. Only summaries (from Get-FmsPolicy without -Detailed) are read
    /// again from AWS; nothing else is called, unless -Online also runs the checks that need the account: WAF rule group
    /// capacity (CheckCapacity), the rule names in excludeRules and ruleActionOverrides (DescribeManagedRuleGroup,
    /// GetRuleGroup) and, for a policy without a policyId, the policy quota (ListPolicies). Reads only, each once per run.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FmsPolicy", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(PolicyFinding), typeof(bool))]
    public sealed class TestFmsPolicy : FmsConnectedCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string PathSet = "Path";
        private bool _allValid = true;

        [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy? InputObject { get; set; }

        /// <summary>Policy files or folders of *.fmspolicy.json files; wildcards allowed.</summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Writes a single $true (every policy is free of errors) or $false instead of the findings.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Also runs the checks that read the account (capacity, rule names, policy quota); reads only, nothing is changed.</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        // Reads only (summaries, and with -Online the account checks): the service is never asked to write, so it needs no journal.
        // One per Region, with its own cache of rule group reads and the policy count (the quota is per Region).
        private readonly Dictionary<string, (PolicyService Service, OnlineValidationCache Cache)> _readers =
            new Dictionary<string, (PolicyService, OnlineValidationCache)>(System.StringComparer.Ordinal);

        private FmsPolicy? _checking;

        /// <summary>A policy (piped, or read from a file) is read and checked against the account in its own Region.</summary>
        protected override string? InputRegion => (_checking ?? InputObject)?.Region;

        private (PolicyService Service, OnlineValidationCache Cache) Reader
        {
            get
            {
                var session = Session;
                if (!_readers.TryGetValue(session.Region, out var reader))
                    _readers[session.Region] = reader = (new PolicyService(session.Fms, session.Wafv2, session.Region), new OnlineValidationCache());
                return reader;
            }
        }

        protected override void ProcessCore()
        {
            if (InputObject != null)
            {
                var policy = InputObject;
                if (policy.Settings == null && policy.PolicyId != null)
                {
                    var service = Reader.Service;
                    if (!TryItem(policy.Name, () => policy = Await((r, ct) => service.EnsureDetailedAsync(InputObject, ct)))) { _allValid = false; return; }
                }
                Check(policy);
                return;
            }
            foreach (var read in PolicyFileReader.Read(this, Path!, recurse: false))
            {
                if (read.Policy == null) _allValid = false;
                else Check(read.Policy);
            }
        }

        protected override void EndCore()
        {
            if (Quiet.IsPresent) WriteObject(_allValid);
        }

        private void Check(FmsPolicy policy)
        {
            IReadOnlyList<PolicyFinding> findings;
            if (Online.IsPresent)
            {
                IReadOnlyList<PolicyFinding>? online = null;
                var checkedOnline = TryItem(policy.Name, () =>
                {
                    _checking = policy;
                    try
                    {
                        var (service, cache) = Reader;
                        online = Await((r, ct) => service.ValidateOnlineAsync(policy, r, cache, null, ct));
                    }
                    finally
                    {
                        _checking = null;
                    }
                });
                if (!checkedOnline) { _allValid = false; return; }
                findings = online!;
            }
            else
            {
                findings = PolicyService.ValidateOffline(policy, policy.Region ?? Region);
            }
            if (PolicyValidator.HasErrors(findings)) _allValid = false;
            WriteVerbose($"Policy '{policy.Name}': {findings.Count} finding(s).");
            if (Quiet.IsPresent) return;
            foreach (var finding in findings) WriteObject(finding);
        }
    }
}
