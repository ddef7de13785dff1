using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FmsTools.Commands;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Cost;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Get-FmsCostEstimate against figures computed by hand from the shipped price table (src/FmsTools/Data/fms-prices.json):
    /// FMS 100.00/policy, Config 0.001/evaluation, WAF 5.00/web ACL + 1.00/rule group + 0.60/million requests,
    /// Shield Advanced 3000.00/organization, Network Firewall 0.395/endpoint-hour (730 h) + 0.065/GB. These are the US East
    /// list prices as checked on 2026-11-22 against the sources the table names per price (none of the values changed then;
    /// the FMS policy fee is marked unconfirmed for us-east-1, see the table's "sources").
    /// </summary>
    public sealed class CostEstimateTests : IClassFixture<SandboxSessionFixture>
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string A = "111100000001", B = "111100000002", C = "111100000003";
        private readonly SandboxSessionFixture _fixture;

        public CostEstimateTests(SandboxSessionFixture fixture) { _fixture = fixture; }

        /// <summary>Builds a policy offline into <c>$variable</c>.</summary>
        private void Offline(string variable, string builder) => Assert.Single(_fixture.Read<FmsPolicy>($"${variable} = {builder} -Offline -Region us-east-1; ${variable}"));

        private List<FmsCostEstimate> Estimate(string parameters) => _fixture.Read<FmsCostEstimate>("Get-FmsCostEstimate " + parameters);

        [Fact]
        public void A_small_organization_costs_what_the_price_table_says()
        {
            Offline("web", $"New-FmsWafPolicy -Name web -ResourceType {Alb} -IncludeAccount {A}, {B}, {C} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet', 'AWS/AWSManagedRulesSQLiRuleSet'");
            Offline("nfw", $"New-FmsNetworkFirewallPolicy -Name nfw -IncludeAccount {A}, {B} -StatelessRuleGroup 'arn:aws:network-firewall:us-east-1:111100000001:stateless-rulegroup/base'");
            Offline("shield", $"New-FmsShieldPolicy -Name shield -ResourceType {Alb}");

            var rows = Estimate("-Policy $web, $nfw, $shield -Offline -AccountCount 4 -Region us-east-1 -RequestsPerMonthMillions 20 -TrafficGbPerMonth 50 "
                                + "-ConfigEvaluationsPerAccount 2000 -FirewallEndpointsPerAccount 2");

            // web: 3 accounts. Config 3 × 2000 × 0.001 = 6; WAF per account 5 + 2 × 1 + 20 × 0.60 = 19, × 3 = 57; + 100 = 163.
            var webRow = rows.Single(r => r.LevelValue == CostEstimateLevel.Policy && r.PolicyName == "web");
            Assert.Equal(3, webRow.Accounts);
            Assert.Equal(100.00m, webRow.FmsPolicyFee);
            Assert.Equal(6.00m, webRow.ConfigEvaluations);
            Assert.Equal(57.00m, webRow.Waf);
            Assert.Equal(163.00m, webRow.MonthlyTotal);
            var webAccounts = rows.Where(r => r.LevelValue == CostEstimateLevel.Account && r.PolicyName == "web").ToList();
            Assert.Equal(new[] { A, B, C }, webAccounts.Select(r => r.AccountId));
            Assert.All(webAccounts, r => Assert.Equal(21.00m, r.MonthlyTotal)); // 2 Config + 19 WAF

            // nfw: 2 accounts. Config 2 × 2 = 4; per account 2 endpoints × 730 h × 0.395 = 576.70 + 50 GB × 0.065 = 3.25 → 579.95, × 2 = 1159.90.
            var nfwRow = rows.Single(r => r.LevelValue == CostEstimateLevel.Policy && r.PolicyName == "nfw");
            Assert.Equal(4.00m, nfwRow.ConfigEvaluations);
            Assert.Equal(1159.90m, nfwRow.NetworkFirewall);
            Assert.Equal(1263.90m, nfwRow.MonthlyTotal);

            // shield: scoped to the whole organization, so -AccountCount 4: 100 + 4 × 2 = 108; the subscription is in the total.
            var shieldRow = rows.Single(r => r.LevelValue == CostEstimateLevel.Policy && r.PolicyName == "shield");
            Assert.Equal(4, shieldRow.Accounts);
            Assert.Equal(108.00m, shieldRow.MonthlyTotal);
            Assert.Equal(0m, shieldRow.ShieldAdvanced);

            var total = Assert.Single(rows, r => r.LevelValue == CostEstimateLevel.Total);
            Assert.Equal(300.00m, total.FmsPolicyFee);
            Assert.Equal(18.00m, total.ConfigEvaluations);
            Assert.Equal(57.00m, total.Waf);
            Assert.Equal(1159.90m, total.NetworkFirewall);
            Assert.Equal(3000.00m, total.ShieldAdvanced);
            Assert.Equal(4534.90m, total.MonthlyTotal);
            Assert.Equal("USD", total.Currency);

            // Every assumption is printed beside the figures.
            Assert.Contains("RequestsPerMonthMillions=20", total.Assumptions);
            Assert.Contains("TrafficGbPerMonth=50", total.Assumptions);
            Assert.Contains("ConfigEvaluationsPerAccount=2000", total.Assumptions);
            Assert.Contains("FirewallEndpointsPerAccount=2", total.Assumptions);
            Assert.Contains("-AccountCount", shieldRow.Assumptions);
            Assert.Contains("20 million requests", webRow.Assumptions);
        }

        [Fact]
        public void A_users_price_table_replaces_the_shipped_one_and_a_bad_one_stops_the_command()
        {
            Offline("web", $"New-FmsWafPolicy -Name web -ResourceType {Alb} -IncludeAccount {A} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet'");
            var table = Path.Combine(_fixture.NewFolder(), "prices.json");
            File.WriteAllText(table, File.ReadAllText(GetFmsCostEstimate.DefaultPriceTablePath)
                .Replace("\"fmsPolicyPerRegionMonth\": 100.00", "\"fmsPolicyPerRegionMonth\": 80.00"));
            _fixture.Set("table", table);
            var rows = Estimate("-Policy $web -Offline -PriceTablePath $table");
            // 80 + 1000 × 0.001 + (5 + 1 + 10 × 0.60) = 80 + 1 + 12 = 93.
            Assert.Equal(93.00m, Assert.Single(rows, r => r.LevelValue == CostEstimateLevel.Total).MonthlyTotal);

            File.WriteAllText(table, "{\"schema\": \"fmstools.prices/v1\", \"prices\": {\"fmsPolicyPerRegionMonth\": 100}}");
            var error = _fixture.Run("Get-FmsCostEstimate -Policy $web -Offline -PriceTablePath $table").ShouldStopWith("PriceTableInvalid");
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("configRuleEvaluation", error.Message());

            Offline("unknownScope", $"New-FmsShieldPolicy -Name org-wide -ResourceType {Alb}");
            _fixture.Run("Get-FmsCostEstimate -Policy $unknownScope -Offline").ShouldReportOne("AccountCountRequired");
        }

        [Fact]
        public void Every_shipped_price_names_its_source_and_unconfirmed_ones_are_said_beside_the_figures()
        {
            var table = PriceTable.Load(GetFmsCostEstimate.DefaultPriceTablePath);
            foreach (var item in new[]
            {
                PriceTable.FmsPolicyPerRegionMonth, PriceTable.ConfigRuleEvaluation, PriceTable.WafWebAclMonth, PriceTable.WafRuleMonth,
                PriceTable.WafRequestsPerMillion, PriceTable.ShieldAdvancedSubscriptionMonth, PriceTable.NetworkFirewallEndpointHour, PriceTable.NetworkFirewallTrafficGb,
            })
            {
                Assert.True(table.Sources.TryGetValue(item, out var source), item + " has no source");
                Assert.StartsWith("https://", source!.Url);
                Assert.False(string.IsNullOrWhiteSpace(source.AsOf), item + " has no as-of note");
                Assert.NotNull(source.Confirmed);
            }
            Assert.Equal(new[] { PriceTable.FmsPolicyPerRegionMonth }, table.Unconfirmed);

            Offline("web", $"New-FmsWafPolicy -Name web -ResourceType {Alb} -IncludeAccount {A}");
            var total = Assert.Single(Estimate("-Policy $web -Offline"), r => r.LevelValue == CostEstimateLevel.Total);
            Assert.Contains("not confirmed from a published source (see the price table's sources): fmsPolicyPerRegionMonth", total.Assumptions);
        }

        [Fact]
        public void Price_sources_are_optional_may_carry_extra_fields_and_a_malformed_one_is_named()
        {
            const string Prices = "\"prices\": {\"fmsPolicyPerRegionMonth\": 1, \"configRuleEvaluation\": 1, \"wafWebAclMonth\": 1, \"wafRuleMonth\": 1, "
                + "\"wafRequestsPerMillion\": 1, \"shieldAdvancedSubscriptionMonth\": 1, \"networkFirewallEndpointHour\": 1, \"networkFirewallTrafficGb\": 1}";
            var bare = PriceTable.Parse("bare.json", "{\"schema\": \"fmstools.prices/v1\", " + Prices + "}");
            Assert.Empty(bare.Sources);
            Assert.Empty(bare.Unconfirmed);

            var rich = PriceTable.Parse("rich.json", "{\"schema\": \"fmstools.prices/v1\", " + Prices
                + ", \"sources\": {\"wafRuleMonth\": {\"url\": \"https://example.test/waf\", \"asOf\": \"2026-01-01\", \"confirmed\": false, \"checkedBy\": \"me\"},"
                + " \"networkFirewallTrafficGb\": {\"note\": \"negotiated\"}}}");
            Assert.Equal(new[] { "wafRuleMonth" }, rich.Unconfirmed);
            Assert.Equal("https://example.test/waf", rich.Sources["wafRuleMonth"].Url);
            Assert.Null(rich.Sources["networkFirewallTrafficGb"].Confirmed);
            Assert.Equal(1m, rich.Price(PriceTable.WafRuleMonth, null));

            var wrongShape = Assert.Throws<InvalidDataException>(() => PriceTable.Parse("bad.json", "{\"schema\": \"fmstools.prices/v1\", " + Prices
                + ", \"sources\": {\"wafRuleMonth\": {\"confirmed\": \"yes\"}}}"));
            Assert.Contains("sources.wafRuleMonth.confirmed", wrongShape.Message);
            var notObject = Assert.Throws<InvalidDataException>(() => PriceTable.Parse("bad.json", "{\"schema\": \"fmstools.prices/v1\", " + Prices + ", \"sources\": []}"));
            Assert.Contains("\"sources\"", notObject.Message);
        }

        [Fact]
        public void A_deployed_policy_is_estimated_for_the_accounts_FMS_has_in_scope()
        {
            var policy = Assert.Single(_fixture.Read<FmsPolicy>("$policy = Get-FmsPolicy -Name demo-waf-baseline -Detailed; $policy"));
            var accounts = _fixture.Read<FmsComplianceStatus>("Get-FmsComplianceStatus -PolicyName demo-waf-baseline -NoDetail")
                .Select(r => r.AccountId).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(accounts);
            var settings = Assert.IsType<WafV2PolicySettings>(policy.Settings);
            var ruleGroups = settings.PreProcessRuleGroups.Count + settings.PostProcessRuleGroups.Count;

            var mark = _fixture.Mark;
            var rows = _fixture.Read<FmsCostEstimate>("$policy | Get-FmsCostEstimate");
            Assert.Empty(_fixture.MutatingSince(mark));
            var perAccount = 1000m * 0.001m + 5.00m + ruleGroups * 1.00m + 10m * 0.60m;
            var policyRow = Assert.Single(rows, r => r.LevelValue == CostEstimateLevel.Policy);
            Assert.Equal(accounts.Count, policyRow.Accounts);
            Assert.Equal(100.00m + accounts.Count * perAccount, policyRow.MonthlyTotal);
            Assert.Equal(accounts, rows.Where(r => r.LevelValue == CostEstimateLevel.Account).Select(r => r.AccountId));
            Assert.Equal(policyRow.MonthlyTotal, Assert.Single(rows, r => r.LevelValue == CostEstimateLevel.Total).MonthlyTotal);
        }
    }
}
