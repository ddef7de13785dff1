using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Aws
{
    public class InvokerSmokeTests
    {
        private readonly ITestOutputHelper _output;
        public InvokerSmokeTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public async Task Smoke()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"x\"}]}"));
            using var invoker = new AwsJsonInvoker(FmsService.Descriptor, new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
                new AwsInvokerSettings { Region = "us-east-1", EndpointUrl = server.Url });
            _output.WriteLine(string.Join(" > ", invoker.PipelineHandlers()));
            var client = new FmsClient(invoker);
            var response = await client.ListPoliciesAsync(new ListPoliciesRequest { MaxResults = 5 }, CancellationToken.None);
            Assert.Equal("x", response.PolicyList![0].PolicyId);
            server.Requests.TryPeek(out var req);
            foreach (var h in req!.Headers) _output.WriteLine($"{h.Key}: {h.Value}");
            _output.WriteLine(req.BodyText);
        }
    }
}
