using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Aws.Wafv2;
using FmsTools.Sandbox;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>GetRuleGroup and DescribeManagedRuleGroup carry rules, shaped as the WAFV2 model says.</summary>
    public sealed class SandboxWafRuleGroupTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);

        public void Dispose() => _host.Dispose();

        private SigV4TestClient Waf() => SigV4TestClient.Admin(_host).For("AWSWAF_20190729", "wafv2");

        /// <summary>The answer, after checking it against the operation's output shape in the embedded WAFV2 model.</summary>
        private async Task<JsonElement> CallAsync(string operation, object body)
        {
            var response = await Waf().CallAsync(operation, body);
            Assert.True(response.Status == 200, operation + ": " + response.Body);
            var model = ServiceModel.Load("wafv2");
            var violations = new ModelValidator(model).ValidateOutput(model.Operations[operation], response.Json);
            Assert.True(violations.Count == 0, operation + " answer breaks the model: " + string.Join("; ", violations));
            return response.Json;
        }

        [Fact]
        public async Task GetRuleGroupReturnsTheDemoGroupsRulesWithStatementsActionsAndVisibility()
        {
            var groups = (await CallAsync("ListRuleGroups", new { Scope = "REGIONAL" })).GetProperty("RuleGroups");
            var arn = groups.EnumerateArray().Single(g => g.GetProperty("Name").GetString() == "fms-custom-rules").GetProperty("ARN").GetString();

            var answer = await CallAsync("GetRuleGroup", new { ARN = arn });

            Assert.False(string.IsNullOrEmpty(answer.GetProperty("LockToken").GetString()));
            var group = answer.GetProperty("RuleGroup");
            Assert.Equal(50, group.GetProperty("Capacity").GetInt64());
            var rules = group.GetProperty("Rules").EnumerateArray().ToList();
            Assert.Equal(new[] { "rate-limit-per-ip", "block-admin-paths", "geo-block-embargoed", "sqli-body-count" },
                rules.Select(r => r.GetProperty("Name").GetString()));
            Assert.Equal(new[] { 0, 1, 2, 3 }, rules.Select(r => r.GetProperty("Priority").GetInt32()));
            Assert.All(rules, r =>
            {
                Assert.Equal(r.GetProperty("Name").GetString(), r.GetProperty("VisibilityConfig").GetProperty("MetricName").GetString());
                Assert.Single(r.GetProperty("Action").EnumerateObject());
                Assert.False(r.TryGetProperty("OverrideAction", out _));
            });
            Assert.Equal(2000, rules[0].GetProperty("Statement").GetProperty("RateBasedStatement").GetProperty("Limit").GetInt64());
            Assert.True(rules[0].GetProperty("Action").TryGetProperty("Block", out _));
            var byteMatch = rules[1].GetProperty("Statement").GetProperty("ByteMatchStatement");
            Assert.Equal("/admin", Encoding.UTF8.GetString(Convert.FromBase64String(byteMatch.GetProperty("SearchString").GetString()!)));
            Assert.Equal("STARTS_WITH", byteMatch.GetProperty("PositionalConstraint").GetString());
            Assert.Equal(new[] { "CU", "IR", "KP", "SY" },
                rules[2].GetProperty("Statement").GetProperty("GeoMatchStatement").GetProperty("CountryCodes").EnumerateArray().Select(c => c.GetString()));
            Assert.True(rules[3].GetProperty("Statement").TryGetProperty("SqliMatchStatement", out _));
            Assert.True(rules[3].GetProperty("Action").TryGetProperty("Count", out _));
        }

        [Fact]
        public async Task TheDemoRuleGroupIsTheSameInEveryDemoWorld()
        {
            using var other = TestSandbox.Start(demo: true);
            var mine = _host.ReadWorld(w => w.GetResources<WafRuleGroup>(_host.AdminAccountId, "us-east-1").Single(g => g.Name == "fms-custom-rules"));
            var theirs = other.ReadWorld(w => w.GetResources<WafRuleGroup>(other.AdminAccountId, "us-east-1").Single(g => g.Name == "fms-custom-rules"));
            Assert.Equal(JsonSerializer.Serialize(mine.Rules), JsonSerializer.Serialize(theirs.Rules));
            Assert.Equal(4, mine.Rules.Count);
            await Task.CompletedTask;
        }

        [Fact]
        public async Task DescribeManagedRuleGroupListsTheCoreRuleSetsRealRulesWithActionsAndLabels()
        {
            var answer = await CallAsync("DescribeManagedRuleGroup", new { VendorName = "AWS", Name = "AWSManagedRulesCommonRuleSet", Scope = "REGIONAL" });

            Assert.Equal(700, answer.GetProperty("Capacity").GetInt64());
            Assert.Equal("Version_1.12", answer.GetProperty("VersionName").GetString());
            Assert.Equal("awswaf:managed:aws:core-rule-set:", answer.GetProperty("LabelNamespace").GetString());
            var rules = answer.GetProperty("Rules").EnumerateArray().ToList();
            var names = rules.Select(r => r.GetProperty("Name").GetString()).ToList();
            Assert.Equal(22, names.Count);
            Assert.Contains("NoUserAgent_HEADER", names);
            Assert.Contains("SizeRestrictions_BODY", names);
            Assert.Contains("CrossSiteScripting_BODY", names);
            Assert.All(rules, r => Assert.True(r.GetProperty("Action").TryGetProperty("Block", out _)));
            var labels = answer.GetProperty("AvailableLabels").EnumerateArray().Select(l => l.GetProperty("Name").GetString()).ToList();
            Assert.Contains("awswaf:managed:aws:core-rule-set:NoUserAgent_HEADER", labels);
            Assert.Equal(names.Count, labels.Count);
        }

        [Fact]
        public async Task AVersionedDescribeAnswersThatVersionAndGroupsWithoutConfirmedNamesAreMarkedSynthetic()
        {
            var pinned = await CallAsync("DescribeManagedRuleGroup", new { VendorName = "AWS", Name = "AWSManagedRulesKnownBadInputsRuleSet", Scope = "REGIONAL", VersionName = "Version_1.19" });
            Assert.Equal("Version_1.19", pinned.GetProperty("VersionName").GetString());
            Assert.Contains(pinned.GetProperty("Rules").EnumerateArray(), r => r.GetProperty("Name").GetString() == "Log4JRCE_HEADER");

            var synthetic = await CallAsync("DescribeManagedRuleGroup", new { VendorName = "AWS", Name = "AWSManagedRulesAdminProtectionRuleSet", Scope = "REGIONAL" });
            var names = synthetic.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.StartsWith("Sandbox_AdminProtectionRuleSet_", n));
            Assert.True(_host.ReadWorld(w => w.FindManagedRuleGroup("AWS", "AWSManagedRulesAdminProtectionRuleSet")!.SyntheticRuleNames));
            Assert.False(_host.ReadWorld(w => w.FindManagedRuleGroup("AWS", "AWSManagedRulesCommonRuleSet")!.SyntheticRuleNames));
        }

        [Fact]
        public async Task AnUnknownManagedRuleGroupIsWAFNonexistentItemExceptionAsWAFV2AnswersIt()
        {
            // The WAFV2 model lists WAFNonexistentItemException for DescribeManagedRuleGroup and
            // ListAvailableManagedRuleGroupVersions: "your resource doesn't exist". FmsTools' online validation relies on it.
            foreach (var operation in new[] { "DescribeManagedRuleGroup", "ListAvailableManagedRuleGroupVersions" })
            {
                var response = await Waf().CallAsync(operation, new { VendorName = "AWS", Name = "AWSManagedRulesCommonRuleSett", Scope = "REGIONAL" });
                Assert.Equal(400, response.Status);
                Assert.Equal("WAFNonexistentItemException", response.ErrorType);
            }
            var offered = (await CallAsync("ListAvailableManagedRuleGroups", new { Scope = "REGIONAL" })).GetProperty("ManagedRuleGroups").EnumerateArray()
                .Select(g => g.GetProperty("Name").GetString()).ToList();
            Assert.Contains("AWSManagedRulesCommonRuleSet", offered);
            Assert.DoesNotContain("AWSManagedRulesCommonRuleSett", offered);
        }

        [Fact]
        public async Task TheGeneratedClientReadsTheRules()
        {
            var client = new Wafv2Client(Waf());
            var described = await client.DescribeManagedRuleGroupAsync(new DescribeManagedRuleGroupRequest { VendorName = "AWS", Name = "AWSManagedRulesSQLiRuleSet", Scope = "REGIONAL" });
            Assert.Contains(described.Rules!, r => r.Name == "SQLi_BODY" && r.Action?.Block != null);
            var summary = (await client.ListRuleGroupsAsync(new ListRuleGroupsRequest { Scope = "REGIONAL" })).RuleGroups!.Single(g => g.Name == "fms-custom-rules");
            var group = await client.GetRuleGroupAsync(new GetRuleGroupRequest { ARN = summary.ARN });
            Assert.Equal("/admin", Encoding.UTF8.GetString(group.RuleGroup!.Rules!.Single(r => r.Name == "block-admin-paths").Statement!.ByteMatchStatement!.SearchString!));
        }
    }
}
