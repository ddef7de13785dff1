using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>PutPolicy/GetPolicy/DeletePolicy/ListPolicies semantics (reference #7-#21, #44).</summary>
    public sealed class SandboxFmsPolicyTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start(demo: false);
        private readonly SigV4TestClient _admin;

        public SandboxFmsPolicyTests() { _admin = SigV4TestClient.Admin(_host); }

        public void Dispose() => _host.Dispose();

        private static Dictionary<string, object?> Policy(Dictionary<string, object?> body) => (Dictionary<string, object?>)body["Policy"]!;

        private async Task<JsonElement> CreateAsync(Dictionary<string, object?> body)
        {
            var response = await _admin.CallAsync("PutPolicy", body);
            Assert.True(response.Status == 200, response.Body);
            return response.Json;
        }

        [Fact]
        public async Task CreateReturnsIdArnAndTokenInTheServiceFormat()
        {
            var created = await CreateAsync(TestSandbox.WafPolicy());
            var policy = created.GetProperty("Policy");
            var id = policy.GetProperty("PolicyId").GetString()!;
            Assert.Matches("^[a-z0-9A-Z-]{36}$", id);
            Assert.Equal("arn:aws:fms:us-east-1:" + _host.AdminAccountId + ":policy/" + id, created.GetProperty("PolicyArn").GetString());
            var token = policy.GetProperty("PolicyUpdateToken").GetString()!;
            Assert.Matches("^1:[A-Za-z0-9+/]{22}==$", token);
            Assert.Equal(16, Convert.FromBase64String(token.Substring(2)).Length);
            Assert.Equal("ACTIVE", policy.GetProperty("PolicyStatus").GetString());
            Assert.Equal(0, policy.GetProperty("ResourceTags").GetArrayLength());
            Assert.Equal("AND", policy.GetProperty("ResourceTagLogicalOperator").GetString());
        }

        [Fact]
        public async Task PutWithoutIdAlwaysCreatesEvenWithTheSameName()
        {
            await CreateAsync(TestSandbox.WafPolicy("same"));
            await CreateAsync(TestSandbox.WafPolicy("same"));
            var list = (await _admin.CallAsync("ListPolicies")).Json.GetProperty("PolicyList");
            Assert.Equal(2, list.EnumerateArray().Count(p => p.GetProperty("PolicyName").GetString() == "same"));
        }

        [Fact]
        public async Task UpdateNeedsTheCurrentTokenAndIssuesANewOne()
        {
            var created = (await CreateAsync(TestSandbox.WafPolicy("v1"))).GetProperty("Policy");
            var id = created.GetProperty("PolicyId").GetString()!;
            var token = created.GetProperty("PolicyUpdateToken").GetString()!;

            var missing = await _admin.CallAsync("PutPolicy", TestSandbox.WafPolicy("v2", id));
            Assert.Equal("InvalidInputException", missing.ErrorType);
            Assert.Contains("PolicyUpdateToken is required", missing.ErrorMessage);

            var updated = (await CreateAsync(TestSandbox.WafPolicy("v2", id, token))).GetProperty("Policy");
            Assert.Equal(id, updated.GetProperty("PolicyId").GetString());
            Assert.Equal("v2", updated.GetProperty("PolicyName").GetString());
            Assert.NotEqual(token, updated.GetProperty("PolicyUpdateToken").GetString());

            var stale = await _admin.CallAsync("PutPolicy", TestSandbox.WafPolicy("v3", id, token));
            Assert.Equal("InvalidInputException", stale.ErrorType);
            Assert.Contains("out of date", stale.ErrorMessage);
            var read = (await _admin.CallAsync("GetPolicy", new { PolicyId = id })).Json.GetProperty("Policy");
            Assert.Equal("v2", read.GetProperty("PolicyName").GetString());
        }

        [Fact]
        public async Task UnknownPolicyIsResourceNotFound()
        {
            var id = Guid.NewGuid().ToString();
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("GetPolicy", new { PolicyId = id })).ErrorType);
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("DeletePolicy", new { PolicyId = id })).ErrorType);
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("PutPolicy", TestSandbox.WafPolicy("x", id, "1:AAAAAAAAAAAAAAAAAAAAAA=="))).ErrorType);
        }

        [Fact]
        public async Task ManagedServiceDataComesBackWithServiceDefaultsOnEveryRead()
        {
            var body = TestSandbox.WafPolicy();
            var created = (await CreateAsync(body)).GetProperty("Policy");
            var data = created.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString()!;
            using var parsed = JsonDocument.Parse(data);
            var root = parsed.RootElement;
            Assert.Equal("type", root.EnumerateObject().First().Name);
            Assert.Equal(JsonValueKind.Null, root.GetProperty("customRequestHandling").ValueKind);
            Assert.Equal(JsonValueKind.Null, root.GetProperty("customResponse").ValueKind);
            Assert.Equal(JsonValueKind.Null, root.GetProperty("sampledRequestsEnabledForDefaultActions").ValueKind);
            Assert.Equal(0, root.GetProperty("preProcessRuleGroups")[0].GetProperty("excludeRules").GetArrayLength());

            var id = created.GetProperty("PolicyId").GetString();
            var reread = (await _admin.CallAsync("GetPolicy", new { PolicyId = id })).Json.GetProperty("Policy");
            Assert.Equal(data, reread.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString());
        }

        [Fact]
        public async Task ShieldWithBareTypeGetsAutomaticResponseDefaults()
        {
            var body = TestSandbox.WafPolicy("shield");
            var policy = Policy(body);
            policy["SecurityServicePolicyData"] = new Dictionary<string, object?> { ["Type"] = "SHIELD_ADVANCED", ["ManagedServiceData"] = "{\"type\":\"SHIELD_ADVANCED\"}" };
            var created = (await CreateAsync(body)).GetProperty("Policy");
            Assert.Equal("{\"type\":\"SHIELD_ADVANCED\",\"automaticResponseConfiguration\":{\"automaticResponseStatus\":\"IGNORED\",\"automaticResponseAction\":null},\"overrideCustomerWebaclClassic\":false}",
                created.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString());
        }

        [Fact]
        public async Task UsageAuditGetsNullDelayWhenOmitted()
        {
            var body = TestSandbox.WafPolicy("usage");
            var policy = Policy(body);
            policy["ResourceType"] = "AWS::EC2::SecurityGroup";
            policy["SecurityServicePolicyData"] = new Dictionary<string, object?>
            {
                ["Type"] = "SECURITY_GROUPS_USAGE_AUDIT",
                ["ManagedServiceData"] = "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":false,\"coalesceRedundantSecurityGroups\":true}",
            };
            var created = (await CreateAsync(body)).GetProperty("Policy");
            Assert.Equal("{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":false,\"coalesceRedundantSecurityGroups\":true,\"optionalDelayForUnusedInMinutes\":null}",
                created.GetProperty("SecurityServicePolicyData").GetProperty("ManagedServiceData").GetString());
        }

        [Fact]
        public async Task SeveralResourceTypesUseTheResourceTypeListLiteral()
        {
            var body = TestSandbox.WafPolicy("multi");
            Policy(body)["ResourceTypeList"] = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ApiGateway::Stage" };
            var created = (await CreateAsync(body)).GetProperty("Policy");
            Assert.Equal("ResourceTypeList", created.GetProperty("ResourceType").GetString());
            Assert.Equal(2, created.GetProperty("ResourceTypeList").GetArrayLength());
        }

        [Fact]
        public async Task TagWithoutValueIsStoredEmptyAndOrResetsToAndWhenOmitted()
        {
            var body = TestSandbox.WafPolicy("tags");
            Policy(body)["ResourceTags"] = new[] { new Dictionary<string, string> { ["Key"] = "env" } };
            Policy(body)["ResourceTagLogicalOperator"] = "OR";
            var created = (await CreateAsync(body)).GetProperty("Policy");
            Assert.Equal("", created.GetProperty("ResourceTags")[0].GetProperty("Value").GetString());
            Assert.Equal("OR", created.GetProperty("ResourceTagLogicalOperator").GetString());
            var update = TestSandbox.WafPolicy("tags", created.GetProperty("PolicyId").GetString(), created.GetProperty("PolicyUpdateToken").GetString());
            var updated = (await CreateAsync(update)).GetProperty("Policy");
            Assert.Equal("AND", updated.GetProperty("ResourceTagLogicalOperator").GetString());
        }

        [Fact]
        public async Task CloudFrontOutsideUsEast1AndInsideAListAreRejected()
        {
            var body = TestSandbox.WafPolicy("cf");
            Policy(body)["ResourceType"] = "AWS::CloudFront::Distribution";
            var euClient = SigV4TestClient.Admin(_host, "eu-west-1");
            var outside = await euClient.CallAsync("PutPolicy", body);
            Assert.Equal("InvalidInputException", outside.ErrorType);
            Assert.Equal("Resource [AWS::CloudFront::Distribution] can not be used in region: eu-west-1", outside.ErrorMessage);
            Assert.Equal(200, (await _admin.CallAsync("PutPolicy", body)).Status);

            var listed = TestSandbox.WafPolicy("cf-list");
            Policy(listed)["ResourceTypeList"] = new[] { "AWS::CloudFront::Distribution", "AWS::ElasticLoadBalancingV2::LoadBalancer" };
            Assert.Equal("InvalidInputException", (await _admin.CallAsync("PutPolicy", listed)).ErrorType);
        }

        [Fact]
        public async Task ImportNetworkFirewallNeedsResourceSets()
        {
            var body = TestSandbox.WafPolicy("import");
            Policy(body)["ResourceType"] = "AWS::NetworkFirewall::FirewallPolicy";
            Policy(body)["SecurityServicePolicyData"] = new Dictionary<string, object?>
            {
                ["Type"] = "IMPORT_NETWORK_FIREWALL",
                ["ManagedServiceData"] = "{\"type\":\"IMPORT_NETWORK_FIREWALL\"}",
            };
            var response = await _admin.CallAsync("PutPolicy", body);
            Assert.Equal("InvalidInputException", response.ErrorType);
            Assert.Contains("resourceSetIds", response.ErrorMessage);
        }

        [Fact]
        public async Task PolicyQuotaIsLimitExceeded()
        {
            for (var i = 0; i < 20; i++) await CreateAsync(TestSandbox.WafPolicy("p" + i));
            var over = await _admin.CallAsync("PutPolicy", TestSandbox.WafPolicy("p20"));
            Assert.Equal("LimitExceededException", over.ErrorType);
            // Quotas are per region: eu-west-1 still has room.
            Assert.Equal(200, (await SigV4TestClient.Admin(_host, "eu-west-1").CallAsync("PutPolicy", TestSandbox.WafPolicy("eu"))).Status);
        }

        [Fact]
        public async Task TooManyResourceTagsIsLimitExceeded()
        {
            var body = TestSandbox.WafPolicy("tags9");
            Policy(body)["ResourceTags"] = Enumerable.Range(0, 9).Select(i => new Dictionary<string, string> { ["Key"] = "k" + i, ["Value"] = "v" }).ToArray();
            Assert.Equal("LimitExceededException", (await _admin.CallAsync("PutPolicy", body)).ErrorType);
        }

        [Fact]
        public async Task CallerThatIsNotTheAdministratorIsAccessDenied()
        {
            var management = SigV4TestClient.Management(_host);
            var response = await management.CallAsync("PutPolicy", TestSandbox.WafPolicy());
            Assert.Equal(400, response.Status);
            Assert.Equal("AccessDeniedException", response.ErrorType);
            Assert.Equal("Operation: PutPolicy is only available to Administration account in AWS Firewall Manager.", response.ErrorMessage);
        }

        [Fact]
        public async Task DeleteRemovesThePolicyAndItsTags()
        {
            var body = TestSandbox.WafPolicy("gone");
            body["TagList"] = new[] { new Dictionary<string, string> { ["Key"] = "team", ["Value"] = "sec" } };
            var created = await CreateAsync(body);
            var id = created.GetProperty("Policy").GetProperty("PolicyId").GetString();
            var arn = created.GetProperty("PolicyArn").GetString();
            Assert.Equal("team", (await _admin.CallAsync("ListTagsForResource", new { ResourceArn = arn })).Json.GetProperty("TagList")[0].GetProperty("Key").GetString());
            Assert.Equal(200, (await _admin.CallAsync("DeletePolicy", new { PolicyId = id, DeleteAllPolicyResources = true })).Status);
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("GetPolicy", new { PolicyId = id })).ErrorType);
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("ListTagsForResource", new { ResourceArn = arn })).ErrorType);
        }

        [Fact]
        public async Task ListPoliciesPagesWithNextToken()
        {
            for (var i = 0; i < 5; i++) await CreateAsync(TestSandbox.WafPolicy("page" + i));
            var names = new List<string>();
            string? token = null;
            for (var guard = 0; guard < 10; guard++)
            {
                var page = (await _admin.CallAsync("ListPolicies", token is null ? (object)new { MaxResults = 2 } : new { MaxResults = 2, NextToken = token })).Json;
                names.AddRange(page.GetProperty("PolicyList").EnumerateArray().Select(p => p.GetProperty("PolicyName").GetString()!));
                token = page.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
                if (token is null) break;
            }
            Assert.Equal(new[] { "page0", "page1", "page2", "page3", "page4" }, names);
        }
    }
}
