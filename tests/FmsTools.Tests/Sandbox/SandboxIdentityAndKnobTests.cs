using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml.Linq;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>STS identity flows, Organizations/WAFv2 reads, and the operations knobs (rate limits, faults, log, clock, admin HTTP).</summary>
    public sealed class SandboxIdentityAndKnobTests : IDisposable
    {
        private static readonly HttpClient Http = new HttpClient();
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);

        public void Dispose() => _host.Dispose();

        private static XElement Xml(RawResponse response) => XElement.Parse(response.Body);

        private static string Sts(RawResponse response, string name)
            => Xml(response).Descendants().First(e => e.Name.LocalName == name).Value;

        private static Task<RawResponse> StsCallAsync(SigV4TestClient client, string form)
            => client.For("", "sts").SendAsync(Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", null);

        [Fact]
        public async Task GetCallerIdentityNamesTheAccountOfTheKey()
        {
            var admin = await StsCallAsync(SigV4TestClient.Admin(_host), "Action=GetCallerIdentity&Version=2011-06-15");
            Assert.Equal(200, admin.Status);
            Assert.Equal(_host.AdminAccountId, Sts(admin, "Account"));
            var management = await StsCallAsync(SigV4TestClient.Management(_host), "Action=GetCallerIdentity&Version=2011-06-15");
            Assert.Equal(_host.ManagementAccountId, Sts(management, "Account"));
        }

        [Fact]
        public async Task AssumeRoleIssuesTemporaryKeysThatActAsTheMemberAccount()
        {
            var roleArn = "arn:aws:iam::" + DemoOrganization.ProdWeb + ":role/OrganizationAccountAccessRole";
            var assumed = await StsCallAsync(SigV4TestClient.Management(_host),
                "Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(roleArn) + "&RoleSessionName=fmstools&DurationSeconds=900");
            Assert.Equal(200, assumed.Status);
            var member = new SigV4TestClient(_host.Endpoint, Sts(assumed, "AccessKeyId"), Sts(assumed, "SecretAccessKey"), "us-east-1", Sts(assumed, "SessionToken"));
            Assert.StartsWith("ASIA", member.AccessKeyId);
            var identity = await StsCallAsync(member, "Action=GetCallerIdentity&Version=2011-06-15");
            Assert.Equal(DemoOrganization.ProdWeb, Sts(identity, "Account"));
            Assert.Equal("arn:aws:sts::" + DemoOrganization.ProdWeb + ":assumed-role/OrganizationAccountAccessRole/fmstools", Sts(identity, "Arn"));

            // A member account is not the FMS administrator; it can describe its organization but not list its accounts.
            Assert.Equal("AccessDeniedException", (await member.CallAsync("ListPolicies")).ErrorType);
            var organizations = member.For("AWSOrganizationsV20161128", "organizations");
            Assert.Equal(200, (await organizations.CallAsync("DescribeOrganization")).Status);
            Assert.Equal("AccessDeniedException", (await organizations.CallAsync("ListAccounts")).ErrorType);

            var withoutToken = new SigV4TestClient(_host.Endpoint, member.AccessKeyId, member.SecretAccessKey);
            Assert.Equal("UnrecognizedClientException", (await withoutToken.CallAsync("ListPolicies")).ErrorType);
        }

        [Fact]
        public async Task StsErrorsUseTheQueryProtocolForm()
        {
            var outside = await StsCallAsync(SigV4TestClient.Admin(_host), "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A999999999999%3Arole%2FX&RoleSessionName=session");
            Assert.Equal(403, outside.Status);
            Assert.Equal("AccessDenied", Sts(outside, "Code"));
            var badSignature = SigV4TestClient.Admin(_host);
            badSignature.SecretAccessKey = "wrong";
            var rejected = await StsCallAsync(badSignature, "Action=GetCallerIdentity&Version=2011-06-15");
            Assert.Equal(403, rejected.Status);
            Assert.Equal("SignatureDoesNotMatch", Sts(rejected, "Code"));
            Assert.Equal("ErrorResponse", Xml(rejected).Name.LocalName);
        }

        [Fact]
        public async Task OrganizationsReadsMirrorTheWorld()
        {
            var organizations = SigV4TestClient.Management(_host).For("AWSOrganizationsV20161128", "organizations");
            var root = (await organizations.CallAsync("ListRoots")).Json.GetProperty("Roots")[0];
            Assert.Equal(DemoOrganization.RootId, root.GetProperty("Id").GetString());
            var ous = (await organizations.CallAsync("ListOrganizationalUnitsForParent", new { ParentId = DemoOrganization.RootId })).Json.GetProperty("OrganizationalUnits");
            Assert.Contains(ous.EnumerateArray(), o => o.GetProperty("Id").GetString() == DemoOrganization.ProductionOuId);
            var parents = (await organizations.CallAsync("ListParents", new { ChildId = DemoOrganization.ProdEuWeb })).Json.GetProperty("Parents");
            Assert.Equal(DemoOrganization.ProductionEuOuId, parents[0].GetProperty("Id").GetString());
            Assert.Equal("AccountNotFoundException", (await organizations.CallAsync("DescribeAccount", new { AccountId = "999999999999" })).ErrorType);
            var delegated = (await organizations.CallAsync("ListDelegatedAdministrators", new { ServicePrincipal = "fms.amazonaws.com" })).Json.GetProperty("DelegatedAdministrators");
            Assert.Equal(_host.AdminAccountId, delegated[0].GetProperty("Id").GetString());
        }

        [Fact]
        public async Task WafReadsServeTheCallersWebAcls()
        {
            _host.AddCredential(new SandboxCredential("AKIAPRODWEBWAF000001", "prod-web-secret", DemoOrganization.ProdWeb));
            var waf = new SigV4TestClient(_host.Endpoint, "AKIAPRODWEBWAF000001", "prod-web-secret", "us-east-1", null, "AWSWAF_20190729", "wafv2");
            var acls = (await waf.CallAsync("ListWebACLs", new { Scope = "REGIONAL" })).Json.GetProperty("WebACLs");
            Assert.NotEmpty(acls.EnumerateArray());
            var arn = acls[0].GetProperty("ARN").GetString();
            var acl = (await waf.CallAsync("GetWebACL", new { ARN = arn })).Json;
            Assert.Equal(arn, acl.GetProperty("WebACL").GetProperty("ARN").GetString());
            Assert.False(string.IsNullOrEmpty(acl.GetProperty("LockToken").GetString()));
            var managed = (await waf.CallAsync("ListAvailableManagedRuleGroups", new { Scope = "REGIONAL" })).Json.GetProperty("ManagedRuleGroups");
            Assert.Contains(managed.EnumerateArray(), m => m.GetProperty("Name").GetString() == "AWSManagedRulesCommonRuleSet");
            var capacity = (await waf.CallAsync("CheckCapacity", new
            {
                Scope = "REGIONAL",
                Rules = new[] { new { Name = "common", Priority = 0, Statement = new { ManagedRuleGroupStatement = new { VendorName = "AWS", Name = "AWSManagedRulesCommonRuleSet" } },
                    OverrideAction = new { None = new { } }, VisibilityConfig = new { SampledRequestsEnabled = true, CloudWatchMetricsEnabled = true, MetricName = "m" } } },
            })).Json.GetProperty("Capacity").GetInt64();
            Assert.True(capacity > 0);
            Assert.Equal("WAFInvalidParameterException", (await SigV4TestClient.Admin(_host, "eu-west-1").For("AWSWAF_20190729", "wafv2")
                .CallAsync("ListWebACLs", new { Scope = "CLOUDFRONT" })).ErrorType);
        }

        [Fact]
        public async Task RateLimitAnswersThrottlingException()
        {
            _host.RateLimits.Set("fms:ListPolicies", new RateLimit(0.001, 2));
            var client = SigV4TestClient.Admin(_host);
            Assert.Equal(200, (await client.CallAsync("ListPolicies")).Status);
            Assert.Equal(200, (await client.CallAsync("ListPolicies")).Status);
            var throttled = await client.CallAsync("ListPolicies");
            Assert.Equal(400, throttled.Status);
            Assert.Equal("ThrottlingException", throttled.ErrorType);
            Assert.Equal(200, (await client.CallAsync("GetAdminAccount")).Status);
            Assert.True(_host.RequestLog.For("ListPolicies").Last().Injected);
        }

        [Fact]
        public async Task ScriptedFaultsFailExactlyTheNextCalls()
        {
            _host.Faults.FailNext("PutPolicy", 2);
            _host.Faults.FailNext("GetPolicy", 1, FaultKind.InternalErrorException);
            var client = SigV4TestClient.Admin(_host);
            var first = await client.CallAsync("PutPolicy", TestSandbox.WafPolicy());
            var second = await client.CallAsync("PutPolicy", TestSandbox.WafPolicy());
            var third = await client.CallAsync("PutPolicy", TestSandbox.WafPolicy());
            Assert.Equal(500, first.Status);
            Assert.Equal("InternalFailure", first.ErrorType);
            Assert.Equal(500, second.Status);
            Assert.Equal(200, third.Status);
            var get = await client.CallAsync("GetPolicy", new { PolicyId = third.Json.GetProperty("Policy").GetProperty("PolicyId").GetString() });
            Assert.Equal(400, get.Status);
            Assert.Equal("InternalErrorException", get.ErrorType);
            Assert.Empty(_host.Faults.Rules);
        }

        [Fact]
        public async Task ConnectionResetAndServiceUnavailableAreInjectable()
        {
            _host.Faults.FailNext("ListPolicies", 1, FaultKind.ConnectionReset);
            await Assert.ThrowsAsync<HttpRequestException>(() => SigV4TestClient.Admin(_host).CallAsync("ListPolicies"));
            _host.Faults.Add(new FaultRule { Operation = "fms:ListPolicies", Kind = FaultKind.ServiceUnavailable, Rate = 1.0 });
            Assert.Equal(503, (await SigV4TestClient.Admin(_host).CallAsync("ListPolicies")).Status);
            _host.Faults.Clear();
            Assert.Equal(200, (await SigV4TestClient.Admin(_host).CallAsync("ListPolicies")).Status);
        }

        [Fact]
        public async Task RateBasedFaultsAreRepeatableForASeed()
        {
            async Task<string> Pattern()
            {
                _host.Faults.Clear();
                _host.Faults.Reseed(42);
                _host.Faults.Add(new FaultRule { Operation = "GetAdminAccount", Kind = FaultKind.Throttling, Rate = 0.5 });
                var outcomes = new StringBuilder();
                for (var i = 0; i < 16; i++) outcomes.Append((await SigV4TestClient.Admin(_host).CallAsync("GetAdminAccount")).Status == 200 ? '.' : 'x');
                return outcomes.ToString();
            }
            var first = await Pattern();
            Assert.Contains('x', first);
            Assert.Contains('.', first);
            Assert.Equal(first, await Pattern());
        }

        [Fact]
        public async Task LatencyFaultDelaysTheAnswer()
        {
            _host.Faults.Add(new FaultRule { Operation = "GetAdminAccount", Kind = FaultKind.Latency, Count = 1, LatencyMs = 300 });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(200, (await SigV4TestClient.Admin(_host).CallAsync("GetAdminAccount")).Status);
            Assert.True(watch.ElapsedMilliseconds >= 300);
        }

        [Fact]
        public async Task RequestLogRecordsCallsWithoutSecrets()
        {
            var directory = TestSandbox.TempDirectory();
            var logPath = Path.Combine(directory, "requests.jsonl");
            using (var host = TestSandbox.Start(configure: o => o.RequestLogPath = logPath))
            {
                var client = SigV4TestClient.Admin(host, "eu-west-1");
                await client.CallAsync("ListPolicies");
                await client.CallAsync("PutPolicy", TestSandbox.WafPolicy(new string('x', 200)));
                var entries = host.RequestLog.Entries;
                var list = entries.Single(e => e.Operation == "ListPolicies");
                Assert.Equal("fms", list.Service);
                Assert.Equal(host.AdminAccountId, list.CallerAccount);
                Assert.Equal("eu-west-1", list.Region);
                Assert.False(list.Mutating);
                Assert.Equal("Success", list.Outcome);
                var put = entries.Single(e => e.Operation == "PutPolicy");
                Assert.True(put.Mutating);
                Assert.Equal("InvalidInputException", put.Outcome);
                Assert.Matches("^[0-9a-f-]{36}$", put.RequestId);
            }
            var text = File.ReadAllText(logPath);
            Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.DoesNotContain(SandboxHost.DemoSecretAccessKey, text);
            Assert.DoesNotContain("Signature", text);
            Assert.DoesNotContain(SandboxHost.DemoAccessKeyId, text);
        }

        [Fact]
        public async Task AdminHttpSurfaceDrivesTheKnobs()
        {
            async Task<JsonElement> Admin(HttpMethod method, string path, string? body = null)
            {
                using var request = new HttpRequestMessage(method, _host.Endpoint + "/_sandbox/" + path);
                if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, path + ": " + text);
                return JsonDocument.Parse(text).RootElement;
            }

            var info = await Admin(HttpMethod.Get, "info");
            Assert.Equal(_host.Endpoint, info.GetProperty("endpoint").GetString());
            var clock = await Admin(HttpMethod.Post, "clock/advance", "{\"seconds\": 600}");
            Assert.Equal(600, clock.GetProperty("offsetSeconds").GetDouble());
            Assert.Equal(TimeSpan.FromSeconds(600), _host.Clock.Offset);

            await Admin(HttpMethod.Post, "faults", "{\"operation\":\"PutPolicy\",\"kind\":\"InternalFailure\",\"count\":1}");
            Assert.Equal(500, (await SigV4TestClient.Admin(_host).CallAsync("PutPolicy", TestSandbox.WafPolicy())).Status);
            var requests = await Admin(HttpMethod.Get, "requests?operation=PutPolicy");
            Assert.Equal("InternalFailure", requests[0].GetProperty("outcome").GetString());

            await Admin(HttpMethod.Post, "ratelimits", "{\"key\":\"GetAdminAccount\",\"ratePerSecond\":0.001,\"burst\":1}");
            await SigV4TestClient.Admin(_host).CallAsync("GetAdminAccount");
            Assert.Equal("ThrottlingException", (await SigV4TestClient.Admin(_host).CallAsync("GetAdminAccount")).ErrorType);
            await Admin(HttpMethod.Delete, "ratelimits");

            Assert.Equal(200, (await SigV4TestClient.Admin(_host).CallAsync("PutPolicy", TestSandbox.WafPolicy("kept-until-reset"))).Status);
            await Admin(HttpMethod.Post, "reset");
            var names = (await SigV4TestClient.Admin(_host).CallAsync("ListPolicies")).Json.GetProperty("PolicyList").EnumerateArray().Select(p => p.GetProperty("PolicyName").GetString());
            Assert.DoesNotContain("kept-until-reset", names);
            Assert.Contains(DemoOrganization.WafPolicyName, names);
        }
    }
}
