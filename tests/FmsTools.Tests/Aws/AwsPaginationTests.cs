using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Wafv2;
using Xunit;

namespace FmsTools.Tests.Aws
{
    public class AwsPaginationTests
    {
        private static string TokenOf(RecordedRequest r)
        {
            using var doc = JsonDocument.Parse(r.Body);
            return doc.RootElement.TryGetProperty("NextToken", out var t) ? t.GetString()! : "";
        }

        [Fact]
        public async Task Items_stream_follows_NextToken_across_pages()
        {
            using var server = new LocalHttpServer((r, i) => TokenOf(r) switch
            {
                "" => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"a\"},{\"PolicyId\":\"b\"}],\"NextToken\":\"t1\"}"),
                "t1" => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"c\"}],\"NextToken\":\"t2\"}"),
                _ => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"d\"}]}"),
            });
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var ids = await AwsTestSupport.ToListAsync(new FmsClient(invoker).ListPoliciesItemsAsync(new ListPoliciesRequest()));
            Assert.Equal(new[] { "a", "b", "c", "d" }, ids.Select(p => p.PolicyId));
            Assert.Equal(new[] { "", "t1", "t2" }, server.Requests.Select(TokenOf));
        }

        [Fact]
        public async Task Repeated_NextToken_stops_pagination_instead_of_spinning()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"x" + i + "\"}],\"NextToken\":\"same\"}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var pages = await AwsTestSupport.ToListAsync(new FmsClient(invoker).ListPoliciesPagesAsync(new ListPoliciesRequest()));
            Assert.Equal(2, pages.Count);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task Pages_are_fetched_only_as_the_consumer_reads()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{\"Accounts\":[{\"Id\":\"11111111111" + (i % 10) + "\"}],\"NextToken\":\"t" + i + "\"}"));
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server));
            await foreach (var account in new OrganizationsClient(invoker).ListAccountsItemsAsync(new ListAccountsRequest()))
            {
                Assert.NotNull(account.Id);
                break;
            }
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task Required_MaxResults_is_sent_and_the_callers_request_is_left_alone()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json(i == 1
                ? "{\"AppsLists\":[{\"ListId\":\"l1\"}],\"NextToken\":\"n1\"}"
                : "{\"AppsLists\":[{\"ListId\":\"l2\"}]}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var request = new ListAppsListsRequest();
            var lists = await AwsTestSupport.ToListAsync(new FmsClient(invoker).ListAppsListsItemsAsync(request));

            Assert.Equal(new[] { "l1", "l2" }, lists.Select(l => l.ListId));
            Assert.All(server.Requests, r => Assert.Contains("\"MaxResults\":100", r.BodyText));
            Assert.Null(request.MaxResults);
            Assert.Null(request.NextToken);
        }

        [Fact]
        public async Task Hand_paged_fms_operations_page_too()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json(TokenOf(r) == ""
                ? "{\"Items\":[{\"URI\":\"arn:1\"}],\"NextToken\":\"n\"}"
                : "{\"Items\":[{\"URI\":\"arn:2\"}]}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var items = await AwsTestSupport.ToListAsync(new FmsClient(invoker).ListResourceSetResourcesItemsAsync(
                new ListResourceSetResourcesRequest { Identifier = "rs-1", MaxResults = 1 }));
            Assert.Equal(new[] { "arn:1", "arn:2" }, items.Select(x => x.URI));
        }

        [Fact]
        public async Task Wafv2_pages_with_NextMarker_and_Limit()
        {
            using var server = new LocalHttpServer((r, i) =>
            {
                using var doc = JsonDocument.Parse(r.Body);
                var marker = doc.RootElement.TryGetProperty("NextMarker", out var m) ? m.GetString() : null;
                return CannedResponse.Json(marker == null
                    ? "{\"WebACLs\":[{\"Name\":\"a\"}],\"NextMarker\":\"m1\"}"
                    : "{\"WebACLs\":[{\"Name\":\"b\"}],\"NextMarker\":null}");
            });
            using var invoker = AwsTestSupport.Invoker(Wafv2Service.Descriptor, AwsTestSupport.Settings(server));
            var acls = await AwsTestSupport.ToListAsync(new Wafv2Client(invoker).ListWebACLsItemsAsync(
                new ListWebACLsRequest { Scope = ScopeValues.Regional, Limit = 1 }));
            Assert.Equal(new[] { "a", "b" }, acls.Select(a => a.Name));
            Assert.Contains("\"NextMarker\":\"m1\"", server.Requests.Last().BodyText);
            Assert.All(server.Requests, r => Assert.Contains("\"Limit\":1", r.BodyText));
        }
    }
}
