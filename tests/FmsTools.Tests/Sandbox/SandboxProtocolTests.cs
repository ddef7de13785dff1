using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>Wire protocol, SigV4 and error form: what any AWS client sees.</summary>
    public sealed class SandboxProtocolTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start();

        public void Dispose() => _host.Dispose();

        [Fact]
        public async Task SignedRequestSucceedsAndCarriesRequestId()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("GetAdminAccount");
            Assert.Equal(200, response.Status);
            Assert.Equal(_host.AdminAccountId, response.Json.GetProperty("AdminAccount").GetString());
            Assert.Matches("^[0-9a-f-]{36}$", response.Headers["x-amzn-RequestId"]);
            Assert.StartsWith("application/x-amz-json-1.1", response.Headers["Content-Type"]);
        }

        [Fact]
        public async Task UnsignedRequestIsMissingAuthenticationToken()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("ListPolicies", sign: false);
            Assert.Equal(400, response.Status);
            Assert.Equal("MissingAuthenticationTokenException", response.ErrorType);
            Assert.Equal("Request is missing Authentication Token", response.ErrorMessage);
            Assert.StartsWith("MissingAuthenticationTokenException", response.Headers["x-amzn-ErrorType"]);
        }

        [Fact]
        public async Task WrongSecretIsInvalidSignature()
        {
            var client = SigV4TestClient.Admin(_host);
            client.SecretAccessKey = "not-the-secret";
            var response = await client.CallAsync("ListPolicies");
            Assert.Equal(400, response.Status);
            Assert.Equal("InvalidSignatureException", response.ErrorType);
            Assert.Contains("The request signature we calculated does not match the signature you provided", response.ErrorMessage);
        }

        [Fact]
        public async Task UnknownAccessKeyIsUnrecognizedClient()
        {
            var client = SigV4TestClient.Admin(_host);
            client.AccessKeyId = "AKIAUNKNOWNKEY000000";
            var response = await client.CallAsync("ListPolicies");
            Assert.Equal("UnrecognizedClientException", response.ErrorType);
            Assert.Equal("The security token included in the request is invalid.", response.ErrorMessage);
        }

        [Theory]
        [InlineData(-20)]
        [InlineData(20)]
        public async Task SkewedClockBeyondFifteenMinutesIsRejected(int minutes)
        {
            var client = SigV4TestClient.Admin(_host);
            client.ClockOffset = TimeSpan.FromMinutes(minutes);
            var response = await client.CallAsync("ListPolicies");
            Assert.Equal(400, response.Status);
            Assert.Equal("InvalidSignatureException", response.ErrorType);
            Assert.StartsWith(minutes < 0 ? "Signature expired:" : "Signature not yet current:", response.ErrorMessage);
        }

        [Fact]
        public async Task SmallClockSkewIsAccepted()
        {
            var client = SigV4TestClient.Admin(_host);
            client.ClockOffset = TimeSpan.FromMinutes(-10);
            Assert.Equal(200, (await client.CallAsync("ListPolicies")).Status);
        }

        [Fact]
        public async Task WrongServiceInScopeIsRejected()
        {
            var client = SigV4TestClient.Admin(_host);
            client.SigningName = "wafv2";
            var response = await client.CallAsync("ListPolicies");
            Assert.Equal("InvalidSignatureException", response.ErrorType);
            Assert.Contains("'fms'", response.ErrorMessage);
        }

        [Fact]
        public async Task AuthorizationWithoutSignatureIsIncomplete()
        {
            var raw = await RawAsync("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSFMS_20180101.ListPolicies\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIAFMSSANDBOXADMIN1/20240101/us-east-1/fms/aws4_request\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
            Assert.Contains(" 400 ", raw.Split('\n')[0]);
            Assert.Contains("IncompleteSignatureException", raw);
            Assert.Contains("Authorization header requires 'Signature' parameter.", raw);
        }

        [Fact]
        public async Task UnknownOperationAndUnknownServiceAreUnknownOperationException()
        {
            var client = SigV4TestClient.Admin(_host);
            var unknownOperation = await client.CallAsync("MakeCoffee");
            Assert.Equal(400, unknownOperation.Status);
            Assert.Equal("UnknownOperationException", unknownOperation.ErrorType);
            var unknownService = await client.For("AWSNoSuchService_20200101", "fms").CallAsync("ListThings");
            Assert.Equal("UnknownOperationException", unknownService.ErrorType);
        }

        [Fact]
        public async Task MalformedJsonIsSerializationException()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("ListPolicies", "{not json");
            Assert.Equal(400, response.Status);
            Assert.Equal("SerializationException", response.ErrorType);
        }

        [Fact]
        public async Task WrongJsonTypeIsSerializationException()
        {
            var response = await SigV4TestClient.Admin(_host).CallAsync("ListPolicies", "{\"MaxResults\":\"ten\"}");
            Assert.Equal("SerializationException", response.ErrorType);
        }

        [Fact]
        public async Task OversizedBodyIsRejectedWith413BeforeReading()
        {
            var raw = await RawAsync("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 104857600\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 413", raw);
            Assert.DoesNotContain("100 Continue", raw);
        }

        [Fact]
        public async Task ExpectContinueGetsInterimResponseThenAnswer()
        {
            var raw = await RawAsync("GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            Assert.StartsWith("HTTP/1.1 100 Continue", raw);
            Assert.Contains("HTTP/1.1 200 OK", raw);
        }

        [Fact]
        public async Task KeepAliveServesSeveralRequestsOnOneConnection()
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", _host.Port);
            var stream = client.GetStream();
            var request = Encoding.ASCII.GetBytes("GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n");
            var reader = new StreamReader(stream, Encoding.ASCII);
            for (var i = 0; i < 3; i++)
            {
                await stream.WriteAsync(request);
                Assert.Equal("HTTP/1.1 200 OK", await reader.ReadLineAsync());
                var length = 0;
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
                var body = new char[length];
                var read = 0;
                while (read < length) read += await reader.ReadAsync(body, read, length - read);
                Assert.Contains("ok", new string(body));
            }
        }

        [Fact]
        public async Task ConcurrentConnectionsAreAllServed()
        {
            var calls = Enumerable.Range(0, 32).Select(async i =>
            {
                var client = SigV4TestClient.Admin(_host);
                var response = await client.CallAsync("ListPolicies", new { MaxResults = 1 + i % 5 });
                return response.Status;
            });
            var statuses = await Task.WhenAll(calls);
            Assert.All(statuses, s => Assert.Equal(200, s));
        }

        [Fact]
        public async Task GarbageRequestLineGetsBadRequestAndServerKeepsRunning()
        {
            var raw = await RawAsync("THIS IS NOT HTTP\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 400", raw);
            Assert.Equal(200, (await SigV4TestClient.Admin(_host).CallAsync("ListPolicies")).Status);
        }

        [Fact]
        public async Task ChunkedBodyIsAccepted()
        {
            var raw = await RawAsync("POST /_sandbox/clock/advance HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\n{\"sec\r\n9\r\nonds\":60}\r\n0\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", raw);
            Assert.Contains("\"offsetSeconds\":60", raw);
        }

        private async Task<string> RawAsync(string request)
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", _host.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            var readTask = Task.Run(async () =>
            {
                int read;
                while ((read = await stream.ReadAsync(chunk)) > 0) buffer.Write(chunk, 0, read);
            });
            await Task.WhenAny(readTask, Task.Delay(TimeSpan.FromSeconds(10)));
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
