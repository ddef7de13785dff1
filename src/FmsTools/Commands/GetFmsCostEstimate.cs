using System.IO;
using System.Threading.Tasks;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Cost;

namespace FmsTools.Commands
{
    /// <summary>
    /// Estimates the monthly cost of deployed policies (accounts in scope from their compliance status) or proposed ones
    /// (-Offline: accounts from the policy's account list or -AccountCount): per policy, per account and in total, from a
    /// price table file, with every usage assumption a parameter printed beside the figures.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsCostEstimate")]
    [OutputType(typeof(FmsCostEstimate))]
    public sealed class GetFmsCostEstimate : FmsComplianceCmdlet
    {
        /// <summary>The price table shipped with the module, next to the assembly.</summary>
        internal static string DefaultPriceTablePath
            => Path.Combine(Path.GetDirectoryName(typeof(GetFmsCostEstimate).Assembly.Location) ?? ".", "Data", "fms-prices.json");

        /// <summary>Policies to estimate (Get-FmsPolicy or New-Fms*Policy output); none means every deployed policy of the region.</summary>
        [Parameter(ValueFromPipeline = true, Position = 0)]
        public FmsPolicy[]? Policy { get; set; }

        /// <summary>Calls nothing: accounts come from the policy's account list, or -AccountCount.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>In-scope accounts assumed for a policy whose accounts cannot be listed (offline, scoped by OU or the whole organization).</summary>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int? AccountCount { get; set; }

        [Parameter]
        public string? PriceTablePath { get; set; }

        [Parameter]
        [ValidateRange(0, 10000000)]
        public decimal RequestsPerMonthMillions { get; set; } = 10m;

        [Parameter]
        [ValidateRange(0, 100000000)]
        public decimal TrafficGbPerMonth { get; set; } = 100m;

        [Parameter]
        [ValidateRange(0, 1000000000)]
        public decimal ConfigEvaluationsPerAccount { get; set; } = 1000m;

        [Parameter]
        [ValidateRange(0, 100)]
        public int FirewallEndpointsPerAccount { get; set; } = 1;

        private readonly List<PolicyCostInput> _inputs = new List<PolicyCostInput>();
        private PriceTable? _prices;

        protected override void BeginCore()
        {
            var path = PriceTablePath == null ? DefaultPriceTablePath : ResolvePath(PriceTablePath);
            try
            {
                _prices = PriceTable.Load(path);
            }
            catch (InvalidDataException e)
            {
                throw new FmsTerminatingException(new FmsError("PriceTableInvalid", FmsErrorCategory.InvalidData, e.Message, path, e,
                    "Fix the file or pass -PriceTablePath with a table in the format of the module's Data/fms-prices.json."));
            }
            WriteVerbose($"Prices from {_prices}.");
        }

        protected override void ProcessCore()
        {
            if (Policy == null || Policy.Length == 0)
            {
                if (Offline.IsPresent)
                    throw new FmsTerminatingException(new FmsError("PolicyRequired", FmsErrorCategory.InvalidArgument,
                        "-Offline estimates the policies given with -Policy (or piped); none were given.", null));
                foreach (var deployed in Run(ct => AllDeployedAsync(ct)))
                    TryItem(deployed, () => _inputs.Add(Deployed(deployed)));
                return;
            }
            foreach (var policy in Policy)
                TryItem(policy, () => _inputs.Add(Offline.IsPresent || string.IsNullOrEmpty(policy.PolicyId) ? Proposed(policy) : Deployed(policy)));
        }

        protected override void EndCore()
        {
            if (_inputs.Count == 0) return;
            var assumptions = new CostAssumptions
            {
                RequestsPerMonthMillions = RequestsPerMonthMillions,
                TrafficGbPerMonth = TrafficGbPerMonth,
                ConfigEvaluationsPerAccount = ConfigEvaluationsPerAccount,
                FirewallEndpointsPerAccount = FirewallEndpointsPerAccount,
            };
            foreach (var row in CostEstimator.Estimate(_inputs, _prices!, assumptions)) WriteObject(row);
        }

        private PolicyCostInput Proposed(FmsPolicy policy)
        {
            var scope = policy.Scope ?? throw new FmsItemException(new FmsError("PolicyScopeNotRead", FmsErrorCategory.InvalidArgument,
                $"Policy '{policy.Name}' is a ListPolicies summary, which does not carry the policy's scope, so its accounts cannot be counted offline.", policy,
                recommendedAction: "Pipe Get-FmsPolicy -Detailed instead, or leave out -Offline to count the accounts FMS has in scope."));
            var listed = scope.IncludeAccounts.Where(a => !scope.ExcludeAccounts.Contains(a)).Distinct(StringComparer.Ordinal).ToList();
            if (listed.Count > 0 && scope.IncludeOrganizationalUnits.Count == 0)
                return new PolicyCostInput(WithRegion(policy), listed, listed.Count, "the policy's account list");
            if (AccountCount == null)
                throw new FmsItemException(new FmsError("AccountCountRequired", FmsErrorCategory.InvalidArgument,
                    $"Policy '{policy.Name}' is scoped by organizational unit or to the whole organization, so its accounts are not known offline; give -AccountCount.", policy));
            return new PolicyCostInput(WithRegion(policy), new string[0], AccountCount.Value, "-AccountCount");
        }

        private PolicyCostInput Deployed(FmsPolicy policy)
        {
            var region = string.IsNullOrWhiteSpace(policy.Region) ? DefaultRegion : policy.Region!;
            var detailed = policy.Settings != null ? policy : Run(ct => PolicyServiceFor(region).EnsureDetailedAsync(policy, ct));
            detailed.Region ??= region;
            var reference = ReferenceOf(detailed);
            var accounts = Run(async ct =>
            {
                var ids = new SortedSet<string>(StringComparer.Ordinal);
                await foreach (var row in ServiceFor(region).GetComplianceStatusAsync(reference, new ComplianceQuery { IncludeViolators = false }, ct).ConfigureAwait(false))
                    ids.Add(row.AccountId);
                return ids.ToList();
            });
            return new PolicyCostInput(detailed, accounts, accounts.Count, "the policy's compliance status (accounts FMS has in scope)");
        }

        private async Task<List<FmsPolicy>> AllDeployedAsync(System.Threading.CancellationToken ct)
        {
            var list = new List<FmsPolicy>();
            await foreach (var policy in PolicyServiceFor(DefaultRegion).GetPoliciesAsync(null, null, detailed: true, ct).ConfigureAwait(false)) list.Add(policy);
            return list;
        }

        private FmsTools.Engine.PolicyOperations.PolicyService PolicyServiceFor(string region)
        {
            var session = SessionFor(region);
            return new FmsTools.Engine.PolicyOperations.PolicyService(session.Fms, session.Wafv2, region);
        }

        private FmsPolicy WithRegion(FmsPolicy policy)
        {
            if (!string.IsNullOrWhiteSpace(policy.Region)) return policy;
            var copy = policy.Clone();
            copy.Region = Offline.IsPresent ? Region : DefaultRegion;
            return copy;
        }
    }
}
