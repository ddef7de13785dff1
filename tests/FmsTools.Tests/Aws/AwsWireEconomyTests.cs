using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime.Pipeline;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>
    /// The JSON client's cheaper per-call path (answer read straight into an array of its Content-Length, call outcome
    /// carried by the request, pass-through SDK handlers left out) sends and reads exactly what it did before.
    /// </summary>
    public class AwsWireEconomyTests
    {
        private static string Accounts(int count) => "{\"Accounts\":[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $"{{\"Id\":\"{100000000000 + i}\",\"Arn\":\"arn:aws:organizations::111111111111:account/o-abcdefghij/{100000000000 + i}\",\"Name\":\"account {i} {new string('x', i % 50)}\",\"Status\":\"ACTIVE\"}}"))
            + "],\"NextToken\":\"next\"}";

        [Theory]
        [InlineData(0, 3)]       // Content-Length, small
        [InlineData(0, 2000)]    // Content-Length, about 300 KB: several socket reads
        [InlineData(7, 3)]       // chunked (no Content-Length), small chunks
        [InlineData(4096, 2000)] // chunked, large
        public async Task Answer_is_read_whole_with_or_without_a_content_length(int chunkSize, int count)
        {
            var body = Accounts(count);
            using var server = new LocalHttpServer((r, i) => new CannedResponse
            {
                Body = body, ChunkSize = chunkSize, Headers = { ["x-amzn-RequestId"] = "req-1" },
            });
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server, observer));

            var page = await new OrganizationsClient(invoker).ListAccountsAsync(new ListAccountsRequest());

            Assert.Equal(count, page.Accounts!.Count);
            Assert.Equal((100000000000 + count - 1).ToString(), page.Accounts[count - 1].Id);
            Assert.Equal("account 2 xx", page.Accounts[2].Name);
            Assert.Equal("next", page.NextToken);
            var record = Assert.Single(observer.Calls);
            Assert.Equal(200, record.HttpStatus);
            Assert.Equal("req-1", record.RequestId);
            Assert.Equal(1, record.Attempts);
        }

        [Fact]
        public async Task Empty_answer_gives_an_empty_response()
        {
            using var server = new LocalHttpServer((r, i) => new CannedResponse { Body = "" });
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var response = await new FmsClient(invoker).GetAdminAccountAsync(new GetAdminAccountRequest());
            Assert.Null(response.AdminAccount);
        }

        [Theory]
        [InlineData("{\"a\":1}", 7)]   // as announced
        [InlineData("{\"a\":1}", 3)]   // more than announced: nothing is lost
        [InlineData("{\"a\":1}", 20)]  // less than announced: what came
        [InlineData("{\"a\":1}", -1)]  // unknown length
        [InlineData("", 0)]
        public void Body_reader_returns_what_the_stream_held(string text, long contentLength)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            using var stream = new TrickleStream(bytes);
            Assert.Equal(bytes, JsonOperationUnmarshaller.ReadAll(stream, contentLength));
        }

        [Fact]
        public async Task Request_carries_the_same_headers_as_before()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{\"PolicyList\":[]}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            await new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest { MaxResults = 5 });

            var request = Assert.Single(server.Requests);
            // The header names the client sent before its handler pipeline was trimmed (recorded from main at f2667ce).
            var expected = new[]
            {
                "amz-sdk-invocation-id", "amz-sdk-request", "Authorization", "Content-Length", "Content-Type", "Host",
                "User-Agent", "X-Amz-Api-Version", "X-Amz-Content-SHA256", "X-Amz-Date", "X-Amz-Target",
            };
            Assert.Equal(expected.OrderBy(h => h, StringComparer.OrdinalIgnoreCase),
                request.Headers.Keys.OrderBy(h => h, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
            Assert.Equal("attempt=1; max=10", request.Header("amz-sdk-request"));
            Assert.Equal("{\"MaxResults\":5}", request.BodyText);
        }

        [Fact]
        public async Task Every_call_record_names_the_endpoint_and_the_pipeline_keeps_its_working_handlers()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{}", "req-" + i));
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server, observer));
            var client = new OrganizationsClient(invoker);
            await client.DescribeOrganizationAsync();
            await client.DescribeOrganizationAsync();

            Assert.Equal(new[] { (server.Url, "req-1"), (server.Url, "req-2") }, observer.Calls.Select(c => (c.Endpoint ?? "", c.RequestId ?? "")));
            var handlers = invoker.PipelineHandlers();
            Assert.DoesNotContain("EndpointDiscoveryHandler", handlers);
            foreach (var kept in new[] { "CallTrackingHandler", "RetryHandler(TimedStandardRetryPolicy)", "AttemptCountingHandler", "ResendGuardHandler",
                         "SigV4AuthSchemeHandler", "Signer", "Marshaller", "Unmarshaller", "ErrorHandler" })
                Assert.Contains(kept, handlers);
        }

        /// <summary>A read-only stream that hands out at most 2 bytes per read and cannot seek.</summary>
        private sealed class TrickleStream : MemoryStream
        {
            public TrickleStream(byte[] bytes) : base(bytes, writable: false) { }
            public override bool CanSeek => false;
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(2, count));
        }
    }
}
