using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>Lists, resource sets, notification channel, tags, administrators, third-party firewalls, organization views.</summary>
    public sealed class SandboxFmsObjectTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);
        private readonly SigV4TestClient _admin;
        private readonly SigV4TestClient _management;

        public SandboxFmsObjectTests()
        {
            _admin = SigV4TestClient.Admin(_host);
            _management = SigV4TestClient.Management(_host);
        }

        public void Dispose() => _host.Dispose();

        private async Task<JsonElement> OkAsync(SigV4TestClient client, string operation, object body)
        {
            var response = await client.CallAsync(operation, body);
            Assert.True(response.Status == 200, operation + ": " + response.Body);
            return response.Json;
        }

        [Fact]
        public async Task AppsListUpdateTokenIsOptimisticConcurrency()
        {
            var created = (await OkAsync(_admin, "PutAppsList", new { AppsList = new { ListName = "web", AppsList = new[] { new { AppName = "HTTPS", Protocol = "tcp", Port = 443 } } } }))
                .GetProperty("AppsList");
            var id = created.GetProperty("ListId").GetString()!;
            var token = created.GetProperty("ListUpdateToken").GetString()!;
            var stale = await _admin.CallAsync("PutAppsList", new { AppsList = new { ListId = id, ListName = "web2", ListUpdateToken = "1:AAAAAAAAAAAAAAAAAAAAAA==", AppsList = new object[0] } });
            Assert.Equal("InvalidInputException", stale.ErrorType);
            var updated = (await OkAsync(_admin, "PutAppsList", new { AppsList = new { ListId = id, ListName = "web2", ListUpdateToken = token, AppsList = new object[0] } }))
                .GetProperty("AppsList");
            Assert.Equal("web2", updated.GetProperty("ListName").GetString());
            Assert.True(updated.GetProperty("PreviousAppsList").TryGetProperty(token, out _));
            var listed = await OkAsync(_admin, "ListAppsLists", new { MaxResults = 10 });
            Assert.Contains(listed.GetProperty("AppsLists").EnumerateArray(), l => l.GetProperty("ListId").GetString() == id);
            var defaults = await OkAsync(_admin, "ListAppsLists", new { MaxResults = 10, DefaultLists = true });
            var defaultId = defaults.GetProperty("AppsLists")[0].GetProperty("ListId").GetString();
            Assert.Equal(200, (await _admin.CallAsync("GetAppsList", new { ListId = defaultId, DefaultList = true })).Status);
            Assert.Equal(200, (await _admin.CallAsync("DeleteAppsList", new { ListId = id })).Status);
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("GetAppsList", new { ListId = id })).ErrorType);
        }

        [Fact]
        public async Task ListQuotasAreEnforced()
        {
            var tooManyProtocols = await _admin.CallAsync("PutProtocolsList", new { ProtocolsList = new { ListName = "p", ProtocolsList = new[] { "tcp", "udp", "icmp", "6", "17", "47" } } });
            Assert.Equal("LimitExceededException", tooManyProtocols.ErrorType);
            for (var i = 0; i < 10; i++) await OkAsync(_admin, "PutProtocolsList", new { ProtocolsList = new { ListName = "p" + i, ProtocolsList = new[] { "tcp" } } });
            Assert.Equal("LimitExceededException", (await _admin.CallAsync("PutProtocolsList", new { ProtocolsList = new { ListName = "p10", ProtocolsList = new[] { "tcp" } } })).ErrorType);
        }

        [Fact]
        public async Task ResourceSetUpdatesWithoutTokenAndAssociatesResources()
        {
            var set = (await OkAsync(_admin, "PutResourceSet", new { ResourceSet = new { Name = "albs", ResourceTypeList = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer" } } }))
                .GetProperty("ResourceSet");
            var id = set.GetProperty("Id").GetString()!;
            Assert.Matches("^[a-z0-9A-Z]{22}$", id);
            var renamed = (await OkAsync(_admin, "PutResourceSet", new { ResourceSet = new { Id = id, Name = "albs-2", ResourceTypeList = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer" } } }))
                .GetProperty("ResourceSet");
            Assert.Equal("albs-2", renamed.GetProperty("Name").GetString());
            var stale = await _admin.CallAsync("PutResourceSet", new { ResourceSet = new { Id = id, Name = "x", UpdateToken = "1:AAAAAAAAAAAAAAAAAAAAAA==", ResourceTypeList = new[] { "AWS::EC2::VPC" } } });
            Assert.Equal("InvalidOperationException", stale.ErrorType);

            var member = _host.AccountIds.First(a => a != _host.ManagementAccountId && a != _host.AdminAccountId);
            var good = "arn:aws:elasticloadbalancing:us-east-1:" + member + ":loadbalancer/app/web/0123456789abcdef";
            var items = new[] { good, "not-an-arn", "arn:aws:elasticloadbalancing:eu-west-1:" + member + ":loadbalancer/app/x/1", "arn:aws:ec2:us-east-1:" + member + ":vpc/vpc-1",
                "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/x/1" };
            var associated = await OkAsync(_admin, "BatchAssociateResource", new { ResourceSetIdentifier = id, Items = items });
            var reasons = associated.GetProperty("FailedItems").EnumerateArray().ToDictionary(f => f.GetProperty("URI").GetString()!, f => f.GetProperty("Reason").GetString());
            Assert.Equal("NOT_VALID_ARN", reasons["not-an-arn"]);
            Assert.Equal("NOT_VALID_REGION", reasons[items[2]]);
            Assert.Equal("NOT_VALID_SERVICE", reasons[items[3]]);
            Assert.Equal("NOT_VALID_ACCOUNT_ID", reasons[items[4]]);
            Assert.False(reasons.ContainsKey(good));
            var resources = await OkAsync(_admin, "ListResourceSetResources", new { Identifier = id });
            Assert.Equal(good, resources.GetProperty("Items")[0].GetProperty("URI").GetString());
            Assert.Equal(member, resources.GetProperty("Items")[0].GetProperty("AccountId").GetString());
            await OkAsync(_admin, "BatchDisassociateResource", new { ResourceSetIdentifier = id, Items = new[] { good } });
            Assert.Equal(0, (await OkAsync(_admin, "ListResourceSetResources", new { Identifier = id })).GetProperty("Items").GetArrayLength());
            Assert.Single((await OkAsync(_admin, "ListResourceSets", new { })).GetProperty("ResourceSets").EnumerateArray());
            await OkAsync(_admin, "DeleteResourceSet", new { Identifier = id });
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("GetResourceSet", new { Identifier = id })).ErrorType);
        }

        [Fact]
        public async Task NotificationChannelRoundTrips()
        {
            Assert.False((await OkAsync(_admin, "GetNotificationChannel", new { })).TryGetProperty("SnsTopicArn", out _));
            await OkAsync(_admin, "PutNotificationChannel", new { SnsTopicArn = "arn:aws:sns:us-east-1:" + _host.AdminAccountId + ":fms", SnsRoleName = "arn:aws:iam::" + _host.AdminAccountId + ":role/fms-sns" });
            Assert.EndsWith(":fms", (await OkAsync(_admin, "GetNotificationChannel", new { })).GetProperty("SnsTopicArn").GetString());
            await OkAsync(_admin, "DeleteNotificationChannel", new { });
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("DeleteNotificationChannel", new { })).ErrorType);
        }

        [Fact]
        public async Task TagsOnPolicyArnsMergeAndRemove()
        {
            var arn = (await OkAsync(_admin, "ListPolicies", new { })).GetProperty("PolicyList")[0].GetProperty("PolicyArn").GetString();
            await OkAsync(_admin, "TagResource", new { ResourceArn = arn, TagList = new[] { new { Key = "a", Value = "1" }, new { Key = "b", Value = "2" } } });
            await OkAsync(_admin, "TagResource", new { ResourceArn = arn, TagList = new[] { new { Key = "a", Value = "3" } } });
            await OkAsync(_admin, "UntagResource", new { ResourceArn = arn, TagKeys = new[] { "b" } });
            var tags = (await OkAsync(_admin, "ListTagsForResource", new { ResourceArn = arn })).GetProperty("TagList");
            Assert.Equal("a=3", string.Join(",", tags.EnumerateArray().Select(t => t.GetProperty("Key").GetString() + "=" + t.GetProperty("Value").GetString())));
            var foreign = arn!.Replace(_host.AdminAccountId, "123456789012");
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("ListTagsForResource", new { ResourceArn = foreign })).ErrorType);
        }

        [Fact]
        public async Task AdministratorLifecycleFollowsManagementAccountRules()
        {
            var notManagement = await _admin.CallAsync("AssociateAdminAccount", new { AdminAccount = _host.AdminAccountId });
            Assert.Equal("InvalidOperationException", notManagement.ErrorType);
            Assert.Contains(_host.ManagementAccountId, notManagement.ErrorMessage);

            var other = _host.AccountIds.First(a => a != _host.ManagementAccountId && a != _host.AdminAccountId);
            Assert.Equal("InvalidOperationException", (await _management.CallAsync("AssociateAdminAccount", new { AdminAccount = other })).ErrorType);
            await OkAsync(_management, "PutAdminAccount", new { AdminAccount = other, AdminScope = new { RegionScope = new { Regions = new[] { "eu-west-1" }, AllRegionsEnabled = false } } });
            var scope = await OkAsync(_management, "GetAdminScope", new { AdminAccount = other });
            Assert.Equal("ONBOARDING_COMPLETE", scope.GetProperty("Status").GetString());
            Assert.False(scope.GetProperty("AdminScope").GetProperty("RegionScope").GetProperty("AllRegionsEnabled").GetBoolean());
            Assert.True(scope.GetProperty("AdminScope").GetProperty("AccountScope").GetProperty("AllAccountsEnabled").GetBoolean());
            var admins = (await OkAsync(_management, "ListAdminAccountsForOrganization", new { })).GetProperty("AdminAccounts");
            Assert.Equal(2, admins.GetArrayLength());
            Assert.Equal("ResourceNotFoundException", (await _management.CallAsync("GetAdminScope", new { AdminAccount = "123456789012" })).ErrorType);

            var scoped = new SigV4TestClient(_host.Endpoint, "AKIASCOPEDADMIN00001", "scoped-secret", "us-east-1");
            _host.AddCredential(new SandboxCredential("AKIASCOPEDADMIN00001", "scoped-secret", other));
            var outOfRegion = await scoped.CallAsync("PutPolicy", TestSandbox.WafPolicy());
            Assert.Equal("InvalidOperationException", outOfRegion.ErrorType);
            scoped.Region = "eu-west-1";
            Assert.Equal(200, (await scoped.CallAsync("PutPolicy", TestSandbox.WafPolicy())).Status);
            Assert.Contains(other, (await OkAsync(scoped, "ListAdminsManagingAccount", new { })).GetProperty("AdminAccounts").EnumerateArray().Select(a => a.GetString()));

            // First in, last out: the default administrator cannot leave while another administrator exists.
            Assert.Equal("InvalidOperationException", (await _admin.CallAsync("DisassociateAdminAccount", new { })).ErrorType);
            await OkAsync(scoped, "DisassociateAdminAccount", new { });
            await OkAsync(_admin, "DisassociateAdminAccount", new { });
            Assert.Equal("ResourceNotFoundException", (await _admin.CallAsync("GetAdminAccount", new { })).ErrorType);

            await OkAsync(_management, "AssociateAdminAccount", new { AdminAccount = _host.AdminAccountId });
            Assert.Equal("CREATING", (await OkAsync(_management, "GetAdminAccount", new { })).GetProperty("RoleStatus").GetString());
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("READY", (await OkAsync(_management, "GetAdminAccount", new { })).GetProperty("RoleStatus").GetString());
            // The disassociated administrator's policies were deleted with it.
            Assert.Equal(0, (await OkAsync(_admin, "ListPolicies", new { })).GetProperty("PolicyList").GetArrayLength());
        }

        [Fact]
        public async Task ThirdPartyFirewallOnboardsOnConvergence()
        {
            Assert.Equal("NOT_EXIST", (await OkAsync(_admin, "GetThirdPartyFirewallAssociationStatus", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                .GetProperty("ThirdPartyFirewallStatus").GetString());
            Assert.Equal("ONBOARDING", (await OkAsync(_admin, "AssociateThirdPartyFirewall", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                .GetProperty("ThirdPartyFirewallStatus").GetString());
            Assert.Equal("InvalidOperationException", (await _admin.CallAsync("ListThirdPartyFirewallFirewallPolicies",
                new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL", MaxResults = 10 })).ErrorType);
            _host.Converge();
            Assert.Equal("ONBOARD_COMPLETE", (await OkAsync(_admin, "GetThirdPartyFirewallAssociationStatus", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                .GetProperty("ThirdPartyFirewallStatus").GetString());
            Assert.True((await OkAsync(_admin, "ListThirdPartyFirewallFirewallPolicies", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL", MaxResults = 10 }))
                .GetProperty("ThirdPartyFirewallFirewallPolicies").GetArrayLength() > 0);
            Assert.Equal("OFFBOARDING", (await OkAsync(_admin, "DisassociateThirdPartyFirewall", new { ThirdPartyFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL" }))
                .GetProperty("ThirdPartyFirewallStatus").GetString());
        }

        [Fact]
        public async Task MemberAccountsAndDiscoveredResourcesComeFromTheWorld()
        {
            var members = (await OkAsync(_admin, "ListMemberAccounts", new { })).GetProperty("MemberAccounts").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(_host.AccountIds.OrderBy(a => a), members.OrderBy(a => a));
            var prodWeb = FmsTools.Sandbox.World.DemoOrganization.ProdWeb;
            var discovered = await OkAsync(_admin, "ListDiscoveredResources", new { MemberAccountIds = new[] { prodWeb }, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer" });
            var items = discovered.GetProperty("Items").EnumerateArray().ToList();
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.Equal(prodWeb, i.GetProperty("AccountId").GetString()));
            Assert.All(items, i => Assert.StartsWith("arn:aws:elasticloadbalancing:us-east-1:" + prodWeb, i.GetProperty("URI").GetString()));
        }

        [Fact]
        public async Task GeneratedClientWorksAgainstTheSandbox()
        {
            var fms = new FmsTools.Aws.Fms.FmsClient(_admin);
            var policies = await fms.ListPoliciesAsync(new FmsTools.Aws.Fms.ListPoliciesRequest { MaxResults = 100 });
            Assert.Equal(FmsTools.Sandbox.World.DemoOrganization.PolicyNames.Count, policies.PolicyList!.Count);
            var error = await Assert.ThrowsAsync<FmsTools.Aws.Runtime.AwsServiceException>(
                () => fms.GetPolicyAsync(new FmsTools.Aws.Fms.GetPolicyRequest { PolicyId = Guid.NewGuid().ToString() }));
            Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        }
    }
}
