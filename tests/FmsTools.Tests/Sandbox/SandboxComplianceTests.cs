using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>Compliance operations over the PolicyEvaluator and remediation convergence driven by the sandbox clock.</summary>
    public sealed class SandboxComplianceTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);
        private readonly SigV4TestClient _admin;

        public SandboxComplianceTests() { _admin = SigV4TestClient.Admin(_host); }

        public void Dispose() => _host.Dispose();

        private string DemoPolicyId(string name) => DemoOrganization.PolicyId(name, "us-east-1");

        private async Task<JsonElement> OkAsync(string operation, object body)
        {
            var response = await _admin.CallAsync(operation, body);
            Assert.True(response.Status == 200, operation + ": " + response.Body);
            return response.Json;
        }

        [Fact]
        public async Task ListComplianceStatusReportsTheDemoGroundTruthThenConvergesAfterTheDelay()
        {
            var policyId = DemoPolicyId(DemoOrganization.WafPolicyName);
            var expected = DemoOrganization.ExpectedViolations(DemoOrganization.WafPolicyName, "us-east-1");
            Assert.NotEmpty(expected);
            var statuses = (await OkAsync("ListComplianceStatus", new { PolicyId = policyId })).GetProperty("PolicyComplianceStatusList").EnumerateArray().ToList();
            Assert.All(statuses, s => Assert.Equal(_host.AdminAccountId, s.GetProperty("PolicyOwner").GetString()));
            foreach (var account in expected.Select(v => v.AccountId).Distinct())
            {
                var status = statuses.Single(s => s.GetProperty("MemberAccount").GetString() == account);
                var nonCompliant = status.GetProperty("EvaluationResults").EnumerateArray().Single(r => r.GetProperty("ComplianceStatus").GetString() == "NON_COMPLIANT");
                Assert.Equal(expected.Count(v => v.AccountId == account), nonCompliant.GetProperty("ViolatorCount").GetInt32());
            }

            var account0 = expected[0].AccountId;
            var detail = (await OkAsync("GetComplianceDetail", new { PolicyId = policyId, MemberAccount = account0 })).GetProperty("PolicyComplianceDetail");
            var violators = detail.GetProperty("Violators").EnumerateArray().Select(v => v.GetProperty("ResourceId").GetString() + " " + v.GetProperty("ViolationReason").GetString());
            Assert.Equal(expected.Where(v => v.AccountId == account0).Select(v => v.ResourceId + " " + v.ViolationReason).OrderBy(x => x), violators.OrderBy(x => x));

            var violation = expected[0];
            var details = await OkAsync("GetViolationDetails", new { PolicyId = policyId, MemberAccount = violation.AccountId, ResourceId = violation.ResourceId, ResourceType = violation.ResourceType });
            Assert.Equal(violation.ResourceId, details.GetProperty("ViolationDetail").GetProperty("ResourceId").GetString());

            // Not converged before the delay; converged after it.
            _host.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.NotEmpty((await OkAsync("GetComplianceDetail", new { PolicyId = policyId, MemberAccount = account0 })).GetProperty("PolicyComplianceDetail").GetProperty("Violators").EnumerateArray());
            _host.Clock.Advance(TimeSpan.FromMinutes(3));
            Assert.Empty((await OkAsync("GetComplianceDetail", new { PolicyId = policyId, MemberAccount = account0 })).GetProperty("PolicyComplianceDetail").GetProperty("Violators").EnumerateArray());
        }

        [Fact]
        public async Task ProtectionStatusIsOnlyForShieldPolicies()
        {
            var waf = await _admin.CallAsync("GetProtectionStatus", new { PolicyId = DemoPolicyId(DemoOrganization.WafPolicyName) });
            Assert.Equal("InvalidInputException", waf.ErrorType);
            var shield = await OkAsync("GetProtectionStatus", new { PolicyId = DemoPolicyId(DemoOrganization.ShieldPolicyName) });
            Assert.Equal("SHIELD_ADVANCED", shield.GetProperty("ServiceType").GetString());
            Assert.Equal(_host.AdminAccountId, shield.GetProperty("AdminAccountId").GetString());
            using var data = JsonDocument.Parse(shield.GetProperty("Data").GetString()!);
            Assert.Equal(JsonValueKind.Array, data.RootElement.GetProperty("AttackSummaries").ValueKind);
        }

        [Fact]
        public async Task DeletePolicyWithDeleteAllPolicyResourcesRemovesFmsWebAcls()
        {
            var policyId = DemoPolicyId(DemoOrganization.WafPolicyName);
            _host.Clock.Advance(TimeSpan.FromMinutes(3));
            var waf = _admin.For("AWSWAF_20190729", "wafv2");
            var prodWeb = new SigV4TestClient(_host.Endpoint, "AKIAPRODWEBTEST00001", "prod-web", "us-east-1", null, "AWSWAF_20190729", "wafv2");
            _host.AddCredential(new SandboxCredential("AKIAPRODWEBTEST00001", "prod-web", DemoOrganization.ProdApi));
            int FmsAcls(JsonElement list) => list.GetProperty("WebACLs").EnumerateArray().Count(a => a.GetProperty("Name").GetString()!.StartsWith("FMManagedWebACLV2-" + DemoOrganization.WafPolicyName));
            var before = FmsAcls((await prodWeb.CallAsync("ListWebACLs", new { Scope = "REGIONAL" })).Json);
            Assert.True(before > 0);
            Assert.Equal(200, (await _admin.CallAsync("DeletePolicy", new { PolicyId = policyId, DeleteAllPolicyResources = true })).Status);
            Assert.Equal(0, FmsAcls((await prodWeb.CallAsync("ListWebACLs", new { Scope = "REGIONAL" })).Json));
        }
    }
}
