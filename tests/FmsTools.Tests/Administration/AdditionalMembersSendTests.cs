using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Administration;
using Xunit;

namespace FmsTools.Tests.Administration
{
    /// <summary>
    /// The engine's merge of a newer API's members into apps list / protocols list / resource set requests: a list or set
    /// read from FMS sends back the members of that answer; the deployed members given explicitly (Sync-FmsConfiguration's
    /// update) go instead of the object's own copy; a kept member named like a known field never replaces it. An admin
    /// scope put by PutAdminAccount sends the current scope's members (top level and per part), or the given scope's for a
    /// new administrator.
    /// </summary>
    public sealed class AdditionalMembersSendTests
    {
        private const string ListId = "11111111-2222-3333-4444-555555555555";
        private const string SetId = "abcdefghij0123456789AB";

        /// <summary>Answers Get*/Put* from canned objects and records every request.</summary>
        private sealed class Invoker : IAwsJsonInvoker
        {
            public readonly List<object> Requests = new List<object>();
            public readonly Dictionary<string, object> Answers = new Dictionary<string, object>();

            public Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
                where TRequest : class where TResponse : class, new()
            {
                Requests.Add(request);
                if (Answers.TryGetValue(operation, out var failure) && failure is System.Exception error) throw error;
                return Task.FromResult(Answers.TryGetValue(operation, out var answer) ? (TResponse)answer : new TResponse());
            }
        }

        private static Dictionary<string, JsonElement> Members(string json)
            => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

        private static string Text(Dictionary<string, JsonElement>? members)
            => members == null ? "none" : string.Join(",", members.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value.GetRawText()));

        [Fact]
        public async Task An_apps_list_read_from_FMS_sends_its_answers_members_back_and_a_kept_member_never_replaces_a_known_field()
        {
            var invoker = new Invoker();
            var answer = new AppsListData
            {
                ListId = ListId, ListName = "web", ListUpdateToken = "t-1", AppsList = new List<App> { new App { AppName = "https", Protocol = "tcp", Port = 443 } },
                AdditionalMembers = Members("{\"ListOwner\":\"net\",\"Revision\":{\"n\":2}}"),
            };
            invoker.Answers["GetAppsList"] = new GetAppsListResponse { AppsList = answer };
            invoker.Answers["PutAppsList"] = new PutAppsListResponse { AppsList = answer };
            var service = new FmsListService<FmsAppsList, FmsApp>(new AdministrationContext(new FmsClient(invoker)), FmsListKinds.Apps);

            var list = await service.GetListAsync(ListId, false, CancellationToken.None);
            list.Name = "renamed";
            list.AdditionalFields["ListName"] = JsonValue.Create("stale");
            await service.PutListAsync(list, null, CancellationToken.None);
            var put = invoker.Requests.OfType<PutAppsListRequest>().Last().AppsList!;
            Assert.Equal(("renamed", "t-1"), (put.ListName, put.ListUpdateToken));
            Assert.Equal("ListOwner=\"net\",Revision={\"n\":2}", Text(put.AdditionalMembers));

            // The deployed members given explicitly go instead of the object's copy (a file's); none given sends none.
            var fromFile = FmsListKinds.Apps.New("web", ListId, list.Apps);
            fromFile.AdditionalFields["ListOwner"] = JsonValue.Create("FROM_THE_FILE");
            await service.PutListAsync(fromFile, null, list.AdditionalFields, CancellationToken.None);
            Assert.Equal("ListOwner=\"net\",Revision={\"n\":2}", Text(invoker.Requests.OfType<PutAppsListRequest>().Last().AppsList!.AdditionalMembers));
            await service.PutListAsync(FmsListKinds.Apps.New("new", null, list.Apps), null, CancellationToken.None);
            Assert.Equal("none", Text(invoker.Requests.OfType<PutAppsListRequest>().Last().AppsList!.AdditionalMembers));
        }

        [Fact]
        public async Task A_protocols_list_and_a_resource_set_send_the_members_they_carry_beside_their_known_fields()
        {
            var invoker = new Invoker();
            var list = new ProtocolsListData { ListId = ListId, ListName = "protocols", ListUpdateToken = "t-1", ProtocolsList = new List<string> { "tcp" } };
            invoker.Answers["PutProtocolsList"] = new PutProtocolsListResponse { ProtocolsList = list };
            var set = new ResourceSet { Id = SetId, Name = "vpcs", UpdateToken = "t-2", ResourceTypeList = new List<string> { "AWS::EC2::VPC" } };
            invoker.Answers["PutResourceSet"] = new PutResourceSetResponse { ResourceSet = set };
            var context = new AdministrationContext(new FmsClient(invoker));

            var protocols = FmsListKinds.Protocols.New("protocols", ListId, new[] { "tcp", "udp" });
            protocols.AdditionalFields["ListOwner"] = JsonValue.Create("net");
            protocols.AdditionalFields["ProtocolsList"] = new JsonArray(JsonValue.Create("stale"));
            await new FmsListService<FmsProtocolsList, string>(context, FmsListKinds.Protocols).PutListAsync(protocols, null, CancellationToken.None);
            var putList = invoker.Requests.OfType<PutProtocolsListRequest>().Single().ProtocolsList!;
            Assert.Equal(new[] { "tcp", "udp" }, putList.ProtocolsList);
            Assert.Equal("ListOwner=\"net\"", Text(putList.AdditionalMembers));

            var resources = new ResourceSetService(context);
            var wanted = new FmsResourceSet { Id = SetId, Name = "vpcs", ResourceTypes = new List<string> { "AWS::EC2::Subnet" }, UpdateToken = "t-2" };
            wanted.AdditionalFields["OwnerTeam"] = JsonValue.Create("FROM_THE_FILE");
            wanted.AdditionalFields["Name"] = JsonValue.Create("stale");
            var deployed = new Dictionary<string, JsonNode?> { ["OwnerTeam"] = JsonValue.Create("net"), ["ResourceTypeList"] = new JsonArray() };
            await resources.PutResourceSetAsync(wanted, null, deployed, CancellationToken.None);
            var putSet = invoker.Requests.OfType<PutResourceSetRequest>().Last().ResourceSet!;
            Assert.Equal(("vpcs", "AWS::EC2::Subnet"), (putSet.Name, putSet.ResourceTypeList!.Single()));
            Assert.Equal("OwnerTeam=\"net\"", Text(putSet.AdditionalMembers));
            await resources.PutResourceSetAsync(wanted, null, CancellationToken.None);
            Assert.Equal("OwnerTeam=\"FROM_THE_FILE\"", Text(invoker.Requests.OfType<PutResourceSetRequest>().Last().ResourceSet!.AdditionalMembers));
        }

        [Fact]
        public async Task An_admin_scope_put_sends_the_current_scopes_members_top_level_and_per_part_or_the_given_scopes_for_a_new_administrator()
        {
            const string Account = "310000000001";
            var invoker = new Invoker();
            var deployed = new AdminScope
            {
                AccountScope = new AccountScope { AllAccountsEnabled = true, AdditionalMembers = Members("{\"AccountLimit\":5}") },
                RegionScope = new RegionScope { AllRegionsEnabled = true },
                AdditionalMembers = Members("{\"ResourceScope\":{\"AllResources\":true}}"),
            };
            invoker.Answers["GetAdminScope"] = new GetAdminScopeResponse { AdminScope = deployed };
            var service = new AdminAccountService(new AdministrationContext(new FmsClient(invoker)));

            // The file's copies (and a kept member named like a known part) never go: the current scope's members do.
            var wanted = new FmsAdminScope { AllRegions = false, Regions = new List<string> { "us-east-1" } };
            wanted.AdditionalFields["ResourceScope"] = JsonValue.Create("FROM_THE_FILE");
            wanted.AdditionalFields["RegionScope"] = new JsonObject { ["Regions"] = new JsonArray(JsonValue.Create("stale")), ["Mode"] = "FROM_THE_FILE" };
            await service.SetAdminAccountAsync(Account, wanted, CancellationToken.None);
            var put = invoker.Requests.OfType<PutAdminAccountRequest>().Last();
            Assert.Equal((Account, (bool?)false, "us-east-1"), (put.AdminAccount, put.AdminScope!.RegionScope!.AllRegionsEnabled, put.AdminScope.RegionScope.Regions!.Single()));
            Assert.Equal("ResourceScope={\"AllResources\":true}", Text(put.AdminScope.AdditionalMembers));
            Assert.Equal("AccountLimit=5", Text(put.AdminScope.AccountScope!.AdditionalMembers));
            Assert.Equal(("none", "none", "none"), (Text(put.AdminScope.RegionScope.AdditionalMembers),
                Text(put.AdminScope.OrganizationalUnitScope!.AdditionalMembers), Text(put.AdminScope.PolicyTypeScope!.AdditionalMembers)));

            // Not an administrator yet (GetAdminScope: not found): the given scope's members go, a known part's name still never at the top.
            invoker.Answers["GetAdminScope"] = new AwsServiceException("ResourceNotFoundException", "not an administrator", System.Net.HttpStatusCode.BadRequest, "req", "GetAdminScope");
            // (This fake answers every GetAdminScope so: the read back after the Put fails too.)
            await Assert.ThrowsAsync<AwsServiceException>(() => service.SetAdminAccountAsync(Account, wanted, CancellationToken.None));
            put = invoker.Requests.OfType<PutAdminAccountRequest>().Last();
            Assert.Equal("ResourceScope=\"FROM_THE_FILE\"", Text(put.AdminScope!.AdditionalMembers));
            Assert.Equal(("Mode=\"FROM_THE_FILE\"", "us-east-1"), (Text(put.AdminScope.RegionScope!.AdditionalMembers), put.AdminScope.RegionScope.Regions!.Single()));
        }

        [Fact]
        public async Task A_notification_channel_put_sends_the_current_channels_members_and_never_one_named_like_a_known_field()
        {
            var invoker = new Invoker();
            invoker.Answers["GetNotificationChannel"] = new GetNotificationChannelResponse
            {
                SnsTopicArn = "arn:aws:sns:us-east-1:222222222222:old", SnsRoleName = "arn:aws:iam::222222222222:role/fms", AdditionalMembers = Members("{\"ChannelMode\":\"net\"}"),
            };
            var service = new NotificationChannelService(new AdministrationContext(new FmsClient(invoker)));

            // Not given the current channel: it is read, and its members go back with the new topic.
            await service.SetNotificationChannelAsync("arn:aws:sns:us-east-1:222222222222:new", "arn:aws:iam::222222222222:role/fms", null, CancellationToken.None);
            var put = invoker.Requests.OfType<PutNotificationChannelRequest>().Last();
            Assert.Equal(("arn:aws:sns:us-east-1:222222222222:new", "ChannelMode=\"net\""), (put.SnsTopicArn, Text(put.AdditionalMembers)));

            // Given (as Set-FmsNotificationChannel and Sync-FmsConfiguration do): not read again; a kept known name never replaces the topic.
            var current = await service.GetNotificationChannelAsync(CancellationToken.None);
            current.AdditionalFields["SnsTopicArn"] = JsonValue.Create("stale");
            var reads = invoker.Requests.OfType<GetNotificationChannelRequest>().Count();
            await service.SetNotificationChannelAsync("arn:aws:sns:us-east-1:222222222222:newer", "arn:aws:iam::222222222222:role/fms", current, CancellationToken.None);
            put = invoker.Requests.OfType<PutNotificationChannelRequest>().Last();
            Assert.Equal(("arn:aws:sns:us-east-1:222222222222:newer", "ChannelMode=\"net\""), (put.SnsTopicArn, Text(put.AdditionalMembers)));
            Assert.Equal(reads + 1, invoker.Requests.OfType<GetNotificationChannelRequest>().Count()); // the read back after the Put only
        }
    }
}
