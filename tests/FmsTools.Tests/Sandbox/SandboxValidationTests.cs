using System.Linq;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using FmsTools.Sandbox.Protocol;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>Generic input validation against the embedded botocore models, with AWS's wording.</summary>
    public sealed class SandboxValidationTests : System.IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start();

        public void Dispose() => _host.Dispose();

        [Fact]
        public async Task TooLongPolicyNameIsInvalidInputWithAwsMessage()
        {
            var body = TestSandbox.WafPolicy(new string('p', 129));
            var response = await SigV4TestClient.Admin(_host).CallAsync("PutPolicy", body);
            Assert.Equal(400, response.Status);
            Assert.Equal("InvalidInputException", response.ErrorType);
            Assert.Equal("1 validation error detected: Value '" + new string('p', 129) + "' at 'policy.policyName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128", response.ErrorMessage);
        }

        [Fact]
        public async Task MissingRequiredMemberIsReportedAsNull()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("GetPolicy", new { });
            Assert.Equal("InvalidInputException", response.ErrorType);
            Assert.Equal("1 validation error detected: Value null at 'policyId' failed to satisfy constraint: Member must not be null", response.ErrorMessage);
        }

        [Fact]
        public async Task SeveralViolationsAreCountedAndJoined()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("ListAppsLists", new { MaxResults = 0, NextToken = "" });
            Assert.Equal("InvalidInputException", response.ErrorType);
            Assert.StartsWith("2 validation errors detected: ", response.ErrorMessage);
            Assert.Contains("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1", response.ErrorMessage);
            Assert.Contains("at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1", response.ErrorMessage);
        }

        [Fact]
        public async Task EnumAndPatternViolationsNameTheConstraint()
        {
            var body = TestSandbox.WafPolicy();
            var policy = (System.Collections.Generic.Dictionary<string, object?>)body["Policy"]!;
            ((System.Collections.Generic.Dictionary<string, object?>)policy["SecurityServicePolicyData"]!)["Type"] = "FIREWALL_OF_DOOM";
            policy["PolicyId"] = "short";
            var response = await SigV4TestClient.Admin(_host).CallAsync("PutPolicy", body);
            Assert.Contains("Value 'FIREWALL_OF_DOOM' at 'policy.securityServicePolicyData.type' failed to satisfy constraint: Member must satisfy enum value set: [WAF, WAFV2,",
                response.ErrorMessage);
            Assert.Contains("Value 'short' at 'policy.policyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9A-Z-]{36}$",
                response.ErrorMessage);
        }

        [Fact]
        public async Task ManagedServiceDataWithEscapedNewlineFailsThePattern()
        {
            var body = TestSandbox.WafPolicy();
            var data = (System.Collections.Generic.Dictionary<string, object?>)((System.Collections.Generic.Dictionary<string, object?>)body["Policy"]!)["SecurityServicePolicyData"]!;
            data["ManagedServiceData"] = "{\"type\":\"WAFV2\",\n\"defaultAction\":{\"type\":\"ALLOW\"}}";
            var response = await SigV4TestClient.Admin(_host).CallAsync("PutPolicy", body);
            Assert.Equal("InvalidInputException", response.ErrorType);
            Assert.Contains("'policy.securityServicePolicyData.managedServiceData' failed to satisfy constraint: Member must satisfy regular expression pattern", response.ErrorMessage);
        }

        [Fact]
        public async Task ListItemsAreAddressedWithMemberIndex()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("UntagResource", new { ResourceArn = "arn:aws:fms:us-east-1:1:policy/x", TagKeys = new[] { "" } });
            Assert.Contains("at 'tagKeys.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1", response.ErrorMessage);
        }

        [Theory]
        [InlineData("fms")]
        [InlineData("organizations")]
        [InlineData("wafv2")]
        public void EveryModelPatternCompilesInDotNet(string service)
        {
            var model = ServiceModel.Load(service);
            var patterns = model.Shapes.Values.Where(s => s.PatternText != null).ToList();
            Assert.NotEmpty(patterns);
            Assert.All(patterns, s => Assert.NotNull(s.Pattern));
        }

        [Fact]
        public async Task OrganizationsAndWafUseTheirOwnValidationErrors()
        {
            var client = SigV4TestClient.Management(_host);
            var organizations = await client.For("AWSOrganizationsV20161128", "organizations").CallAsync("DescribeAccount", new { AccountId = "12" });
            Assert.Equal("InvalidInputException", organizations.ErrorType);
            var waf = await SigV4TestClient.Admin(_host).For("AWSWAF_20190729", "wafv2").CallAsync("ListWebACLs", new { Scope = "EVERYWHERE" });
            Assert.Equal("WAFInvalidParameterException", waf.ErrorType);
        }
    }
}
