using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Cost
{
    /// <summary>The usage figures the estimate cannot know; each is printed beside the figures it produced.</summary>
    public sealed class CostAssumptions
    {
        /// <summary>WAF requests per in-scope account and month, in millions.</summary>
        public decimal RequestsPerMonthMillions { get; set; } = 10m;

        /// <summary>Network Firewall traffic per in-scope account and month, in GB.</summary>
        public decimal TrafficGbPerMonth { get; set; } = 100m;

        /// <summary>AWS Config rule evaluations per in-scope account, policy and month.</summary>
        public decimal ConfigEvaluationsPerAccount { get; set; } = 1000m;

        /// <summary>Network Firewall endpoints (one per Availability Zone) per in-scope account.</summary>
        public int FirewallEndpointsPerAccount { get; set; } = 1;

        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture,
                "RequestsPerMonthMillions={0}; TrafficGbPerMonth={1}; ConfigEvaluationsPerAccount={2}; FirewallEndpointsPerAccount={3}",
                RequestsPerMonthMillions, TrafficGbPerMonth, ConfigEvaluationsPerAccount, FirewallEndpointsPerAccount);
    }

    /// <summary>One policy to estimate and the accounts it covers (ids when known; otherwise only a count).</summary>
    public sealed class PolicyCostInput
    {
        public PolicyCostInput(FmsPolicy policy, IReadOnlyList<string> accountIds, int accountCount, string accountSource)
        {
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            AccountIds = accountIds ?? new string[0];
            AccountCount = Math.Max(accountCount, AccountIds.Count);
            AccountSource = accountSource;
        }

        public FmsPolicy Policy { get; }
        public IReadOnlyList<string> AccountIds { get; }
        public int AccountCount { get; }

        /// <summary>Where the account figure came from (compliance status, the policy's account list, -AccountCount).</summary>
        public string AccountSource { get; }
    }

    public enum CostEstimateLevel
    {
        Policy,
        Account,
        Total,
    }

    /// <summary>A monthly cost figure for a policy, for one account under a policy, or the total, split by service.</summary>
    public sealed class FmsCostEstimate
    {
        /// <remarks>The name of a <see cref="CostEstimateLevel"/> value (ConvertTo-Json writes enums as numbers); the engine reads LevelValue.</remarks>
        public string Level { get => LevelValue.ToString(); set => LevelValue = EnumName.Parse<CostEstimateLevel>(value, nameof(Level)); }

        internal CostEstimateLevel LevelValue { get; set; }
        public string? PolicyName { get; set; }
        public string? PolicyId { get; set; }
        public string? PolicyType { get; set; }
        public string? Region { get; set; }
        public string? AccountId { get; set; }

        /// <summary>In-scope accounts counted in this figure.</summary>
        public int Accounts { get; set; }

        /// <summary>Where the account figure came from.</summary>
        public string? AccountSource { get; set; }

        public decimal FmsPolicyFee { get; set; }
        public decimal ConfigEvaluations { get; set; }
        public decimal Waf { get; set; }
        public decimal ShieldAdvanced { get; set; }
        public decimal NetworkFirewall { get; set; }
        public decimal MonthlyTotal => FmsPolicyFee + ConfigEvaluations + Waf + ShieldAdvanced + NetworkFirewall;
        public string Currency { get; set; } = "USD";

        /// <summary>The assumptions and how each component was computed.</summary>
        public string Assumptions { get; set; } = "";

        public string PriceTable { get; set; } = "";

        public override string ToString()
            => $"{Level} {PolicyName ?? ""} {AccountId ?? ""}: {Cost.PriceTable.Money(MonthlyTotal)} {Currency}/month";
    }

    /// <summary>
    /// Monthly cost of Firewall Manager policies: the FMS fee per policy and region, AWS Config rule evaluations per in-scope
    /// account, WAF web ACL, rule (rule group) and request fees, Network Firewall endpoint hours and traffic, and the
    /// Shield Advanced subscription (once for the organization when any Shield Advanced policy is estimated).
    /// </summary>
    public static class CostEstimator
    {
        public static List<FmsCostEstimate> Estimate(IEnumerable<PolicyCostInput> inputs, PriceTable prices, CostAssumptions assumptions)
        {
            if (inputs == null) throw new ArgumentNullException(nameof(inputs));
            if (prices == null) throw new ArgumentNullException(nameof(prices));
            if (assumptions == null) throw new ArgumentNullException(nameof(assumptions));
            var rows = new List<FmsCostEstimate>();
            var total = new FmsCostEstimate { LevelValue = CostEstimateLevel.Total, Currency = prices.Currency, PriceTable = prices.ToString() };
            var anyShield = false;
            foreach (var input in inputs)
            {
                var policy = input.Policy;
                var region = policy.Region;
                var perAccount = PerAccount(policy, region, prices, assumptions, out var note);
                var policyRow = new FmsCostEstimate
                {
                    LevelValue = CostEstimateLevel.Policy, PolicyName = policy.Name, PolicyId = policy.PolicyId, PolicyType = policy.TypeName, Region = region,
                    Accounts = input.AccountCount, AccountSource = input.AccountSource, Currency = prices.Currency, PriceTable = prices.ToString(),
                    FmsPolicyFee = prices.Price(PriceTable.FmsPolicyPerRegionMonth, region),
                    ConfigEvaluations = perAccount.ConfigEvaluations * input.AccountCount,
                    Waf = perAccount.Waf * input.AccountCount,
                    NetworkFirewall = perAccount.NetworkFirewall * input.AccountCount,
                    Assumptions = $"{input.AccountCount} account(s) from {input.AccountSource}; {note}",
                };
                rows.Add(policyRow);
                foreach (var accountId in input.AccountIds)
                {
                    rows.Add(new FmsCostEstimate
                    {
                        LevelValue = CostEstimateLevel.Account, PolicyName = policy.Name, PolicyId = policy.PolicyId, PolicyType = policy.TypeName, Region = region,
                        AccountId = accountId, Accounts = 1, AccountSource = input.AccountSource, Currency = prices.Currency, PriceTable = prices.ToString(),
                        ConfigEvaluations = perAccount.ConfigEvaluations, Waf = perAccount.Waf, NetworkFirewall = perAccount.NetworkFirewall,
                        Assumptions = note + "; the policy's FMS fee is on its policy row",
                    });
                }
                total.FmsPolicyFee += policyRow.FmsPolicyFee;
                total.ConfigEvaluations += policyRow.ConfigEvaluations;
                total.Waf += policyRow.Waf;
                total.NetworkFirewall += policyRow.NetworkFirewall;
                total.Accounts = Math.Max(total.Accounts, input.AccountCount);
                anyShield |= policy.TypeValue == FmsPolicyType.ShieldAdvanced;
            }
            if (anyShield) total.ShieldAdvanced = prices.Price(PriceTable.ShieldAdvancedSubscriptionMonth, null);
            total.Assumptions = assumptions + (anyShield ? "; Shield Advanced subscription counted once for the organization" : "")
                                + "; data transfer, DNS Firewall queries, third-party firewall and managed rule group vendor fees are not included"
                                + (prices.Unconfirmed.Count == 0 ? "" : "; prices not confirmed from a published source (see the price table's sources): " + string.Join(", ", prices.Unconfirmed));
            rows.Add(total);
            return rows;
        }

        private sealed class AccountCost
        {
            public decimal ConfigEvaluations;
            public decimal Waf;
            public decimal NetworkFirewall;
        }

        private static AccountCost PerAccount(FmsPolicy policy, string? region, PriceTable prices, CostAssumptions assumptions, out string note)
        {
            var cost = new AccountCost
            {
                ConfigEvaluations = assumptions.ConfigEvaluationsPerAccount * prices.Price(PriceTable.ConfigRuleEvaluation, region),
            };
            var parts = new List<string> { F("{0} Config evaluations/account", assumptions.ConfigEvaluationsPerAccount) };
            var ruleGroups = policy.Settings switch
            {
                WafV2PolicySettings waf => waf.PreProcessRuleGroups.Count + waf.PostProcessRuleGroups.Count,
                WafClassicPolicySettings classic => classic.RuleGroups.Count,
                _ => -1,
            };
            if (policy.TypeValue == FmsPolicyType.WafV2 || policy.TypeValue == FmsPolicyType.Waf)
            {
                ruleGroups = Math.Max(0, ruleGroups);
                cost.Waf = prices.Price(PriceTable.WafWebAclMonth, region)
                           + ruleGroups * prices.Price(PriceTable.WafRuleMonth, region)
                           + assumptions.RequestsPerMonthMillions * prices.Price(PriceTable.WafRequestsPerMillion, region);
                parts.Add(F("1 web ACL with {0} rule group(s) and {1} million requests/account", ruleGroups, assumptions.RequestsPerMonthMillions));
            }
            if (policy.TypeValue == FmsPolicyType.NetworkFirewall)
            {
                cost.NetworkFirewall = assumptions.FirewallEndpointsPerAccount * prices.HoursPerMonth * prices.Price(PriceTable.NetworkFirewallEndpointHour, region)
                                       + assumptions.TrafficGbPerMonth * prices.Price(PriceTable.NetworkFirewallTrafficGb, region);
                parts.Add(F("{0} firewall endpoint(s) × {1} h and {2} GB/account", assumptions.FirewallEndpointsPerAccount, prices.HoursPerMonth, assumptions.TrafficGbPerMonth));
            }
            note = string.Join("; ", parts);
            return cost;
        }

        private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
