using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using FmsTools.Sandbox.Http;
using FmsTools.Sandbox.Protocol;
using FmsTools.Tests.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// The sandbox as an attack surface: SigV4 replay outside the clock-skew window, malformed and hostile requests
    /// (garbage bytes, broken framing, oversized heads and bodies, hostile JSON), slow clients that never finish a request,
    /// and kill -9 under a storm of concurrent writers. It must answer AWS-style, never crash, and keep serving.
    /// </summary>
    public sealed class SandboxIntegrityTests
    {
        private readonly ITestOutputHelper _output;

        public SandboxIntegrityTests(ITestOutputHelper output) { _output = output; }

        // ---- SigV4 replay ---------------------------------------------------------------------------------------------

        /// <summary>A request signed (independently of the verifier) at <paramref name="signedAt"/>: the bytes an eavesdropper captures.</summary>
        private static SandboxHttpRequest Captured(DateTime signedAt, string accessKey, string secret, string body)
        {
            var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'");
            var date = amzDate.Substring(0, 8);
            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["content-type"] = "application/x-amz-json-1.1",
                ["host"] = "127.0.0.1:4566",
                ["x-amz-date"] = amzDate,
                ["x-amz-target"] = "AWSFMS_20180101.ListPolicies",
            };
            var signedHeaders = string.Join(";", headers.Keys);
            string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
            byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
            var canonical = "POST\n/\n\n" + string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")) + "\n" + signedHeaders + "\n"
                            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
            var scope = date + "/us-east-1/fms/aws4_request";
            var toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), "us-east-1"), "fms"), "aws4_request");
            var list = headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value)).ToList();
            list.Add(new KeyValuePair<string, string>("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={Hex(Hmac(signingKey, toSign))}"));
            return new SandboxHttpRequest("POST", "/", list, Encoding.UTF8.GetBytes(body));
        }

        [Fact]
        public void A_captured_request_is_accepted_within_the_skew_window_as_at_AWS_and_rejected_when_replayed_after_it()
        {
            var signedAt = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
            var credential = new SandboxCredential("AKIAREPLAYTEST000001", "replaySecretKey000000000000000000000001", "111111111111");
            var now = signedAt;
            var verifier = new SigV4Verifier(key => key == credential.AccessKeyId ? credential : null, () => now);
            var captured = Captured(signedAt, credential.AccessKeyId, credential.SecretAccessKey, "{}");

            foreach (var offset in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59) })
            {
                now = signedAt + offset;
                var accepted = verifier.Verify(captured, "fms");
                Assert.True(accepted.Failure == null, $"Replay {offset} after signing was refused: {accepted.Message}");
            }
            foreach (var offset in new[] { TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(16), TimeSpan.FromDays(1) })
            {
                now = signedAt + offset;
                var replay = verifier.Verify(captured, "fms");
                Assert.Equal(AuthFailure.Expired, replay.Failure);
                Assert.StartsWith("Signature expired: 20260301T120000Z is now earlier than", replay.Message);
            }
            // A request "from the future" (a skewed or forged clock) is refused the same way.
            now = signedAt - TimeSpan.FromMinutes(16);
            Assert.Equal(AuthFailure.Expired, verifier.Verify(captured, "fms").Failure);
            // Tampering inside the window is still caught: the signature covers the body.
            now = signedAt;
            var tampered = new SandboxHttpRequest(captured.Method, captured.RawTarget, captured.Headers, Encoding.UTF8.GetBytes("{\"MaxResults\":1}"));
            Assert.Equal(AuthFailure.BadSignature, verifier.Verify(tampered, "fms").Failure);
        }

        [Fact]
        public async Task A_request_replayed_past_the_window_gets_the_AWS_error_from_the_live_sandbox()
        {
            using var host = TestSandbox.Start();
            var client = SigV4TestClient.Admin(host);
            client.ClockOffset = -(SigV4Verifier.AllowedSkew + TimeSpan.FromSeconds(30));
            var replay = await client.CallAsync("ListPolicies");
            Assert.Equal(400, replay.Status);
            Assert.Equal("InvalidSignatureException", replay.ErrorType);
            Assert.StartsWith("Signature expired", replay.ErrorMessage);
            Assert.Equal("InvalidSignatureException", Assert.Single(host.RequestLog.Entries).Outcome);
        }

        // ---- malformed requests ---------------------------------------------------------------------------------------

        /// <summary>Sends raw bytes and returns the status line answered, or null when the server closed without one.</summary>
        private static async Task<string?> SendRawAsync(int port, byte[] payload, TimeSpan timeout)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var stream = tcp.GetStream();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await stream.WriteAsync(payload, cts.Token);
                tcp.Client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException)
            {
                // The server may refuse mid-upload (oversized body); what it answered is read below.
            }
            var buffer = new byte[4096];
            var read = 0;
            try
            {
                while (read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), cts.Token);
                    if (n == 0) break;
                    read += n;
                    if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n")) break;
                }
            }
            catch (IOException)
            {
            }
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            return end < 0 ? null : text.Substring(0, end);
        }

        private static byte[] WafPolicyWithData(Func<string, string> change)
        {
            var body = TestSandbox.WafPolicy();
            var data = (Dictionary<string, object?>)((Dictionary<string, object?>)body["Policy"]!)["SecurityServicePolicyData"]!;
            var original = (string)data["ManagedServiceData"]!;
            data["ManagedServiceData"] = change(original);
            Assert.NotEqual(original, data["ManagedServiceData"]);
            return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body);
        }

        [Fact]
        public async Task Malformed_and_hostile_requests_get_AWS_style_errors_and_the_sandbox_keeps_serving()
        {
            using var host = TestSandbox.Start(configure: o => o.MaxRequestBodyBytes = 1024 * 1024);
            var random = new Random(4242);
            var payloads = new List<(string Name, byte[] Bytes)>();
            for (var i = 0; i < Heavy.Pick(150, 2000); i++)
            {
                var bytes = new byte[1 + random.Next(3000)];
                random.NextBytes(bytes);
                payloads.Add(("garbage " + i, bytes));
            }
            string Head(string extra) => "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
            foreach (var (name, text) in new[]
                     {
                         ("bad request line", "GARBAGE\r\n\r\n"),
                         ("request line with spaces", "POST  /  HTTP/1.1 extra\r\n\r\n"),
                         ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
                         ("negative length", Head("Content-Length: -5\r\n")),
                         ("non-numeric length", Head("Content-Length: lots\r\n")),
                         ("huge declared length", Head("Content-Length: 99999999999\r\n")),
                         ("length over the limit", Head("Content-Length: " + (2 * 1024 * 1024) + "\r\n")),
                         ("bad chunk size", Head("Transfer-Encoding: chunked\r\n") + "zz\r\nabc\r\n0\r\n\r\n"),
                         ("oversized chunk", Head("Transfer-Encoding: chunked\r\n") + "7fffffff\r\nabc"),
                         ("header without colon", "POST / HTTP/1.1\r\nthis is not a header\r\n\r\n"),
                         ("40 KB header block", Head("X-Filler: " + new string('x', 40 * 1024) + "\r\n")),
                         ("unknown target, unsigned", Head("X-Amz-Target: AWSFMS_20180101.DropTables\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n") + "{}"),
                         ("unknown service, unsigned", Head("X-Amz-Target: Nope_2020.Anything\r\nContent-Length: 0\r\n")),
                         ("no target, JSON", Head("Content-Type: application/json\r\nContent-Length: 2\r\n") + "{}"),
                         ("forged authorization", Head("X-Amz-Target: AWSFMS_20180101.ListPolicies\r\nAuthorization: AWS4-HMAC-SHA256 Credential=x/y, Signature=zz\r\nContent-Length: 0\r\n")),
                         ("header injection", Head("X-Amz-Target: AWSFMS_20180101.ListPolicies\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAFMSSANDBOXADMIN1/20260101/us-east-1/fms/aws4_request\r\n, SignedHeaders=host, Signature=00\r\nContent-Length: 0\r\n")),
                         ("admin path traversal", "GET /_sandbox/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
                         ("admin unknown verb", "DELETE /_sandbox/everything HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
                     })
                payloads.Add((name, Encoding.ASCII.GetBytes(text)));

            var answers = new Dictionary<string, int>(StringComparer.Ordinal);
            var watch = Stopwatch.StartNew();
            foreach (var (name, bytes) in payloads)
            {
                var status = await SendRawAsync(host.Port, bytes, TimeSpan.FromSeconds(10));
                var code = status == null ? "closed" : status.Split(' ').ElementAtOrDefault(1) ?? status;
                answers[code] = answers.GetValueOrDefault(code) + 1;
                Assert.True(status == null || status.StartsWith("HTTP/1.1 4", StringComparison.Ordinal), $"{name}: answered '{status}'");
            }

            // Hostile but well-framed and correctly signed bodies: the service layer answers with AWS error shapes.
            var client = SigV4TestClient.Admin(host);
            var hostileBodies = new (string Name, byte[] Body, string Expected)[]
            {
                ("deep nesting", Encoding.UTF8.GetBytes(new string('[', 100000) + new string(']', 100000)), "SerializationException"),
                ("invalid UTF-8", new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D }, "SerializationException"),
                ("NUL in a string", Encoding.UTF8.GetBytes("{\"PolicyId\":\"a\\u0000b\"}"), "InvalidInputException"),
                ("wrong type", Encoding.UTF8.GetBytes("{\"PolicyId\":[1,2,3]}"), "SerializationException"),
                ("900 KB ManagedServiceData", WafPolicyWithData(data => data.Replace("\"type\":\"WAFV2\"", "\"type\":\"WAFV2\",\"pad\":\"" + new string('p', 900 * 1024) + "\"")), "InvalidInputException"),
                ("newline-bearing ManagedServiceData", WafPolicyWithData(data => data.Replace("\"type\":\"WAFV2\"", "\"type\":\"WAFV2\\n\r\"")), "InvalidInputException"),
            };
            foreach (var (name, body, expected) in hostileBodies)
            {
                var operation = name.Contains("ManagedServiceData") ? "PutPolicy" : "GetPolicy";
                var answer = await client.SendAsync(body, "application/x-amz-json-1.1", "AWSFMS_20180101." + operation);
                Assert.True(answer.Status == 400, $"{name}: HTTP {answer.Status} {answer.Body}");
                Assert.Equal(expected, answer.ErrorType);
                answers[answer.ErrorType] = answers.GetValueOrDefault(answer.ErrorType) + 1;
            }

            Assert.DoesNotContain(host.RequestLog.Entries, e => e.Outcome == "InternalFailure" || e.HttpStatus >= 500);
            Assert.Equal(200, (await client.CallAsync("ListPolicies")).Status);
            _output.WriteLine($"malformed: {payloads.Count + hostileBodies.Length} requests in {watch.Elapsed.TotalSeconds:0.0} s, answers: "
                              + string.Join(", ", answers.OrderBy(p => p.Key).Select(p => p.Key + " " + p.Value)) + "; sandbox still serving");
        }

        [Fact]
        public async Task Slow_clients_that_never_finish_a_request_are_cut_off_and_do_not_block_others()
        {
            using var host = TestSandbox.Start(configure: o => o.IdleTimeout = TimeSpan.FromSeconds(1));
            var slow = new List<TcpClient>();
            try
            {
                for (var i = 0; i < 40; i++)
                {
                    var tcp = new TcpClient();
                    await tcp.ConnectAsync("127.0.0.1", host.Port);
                    // Half a head, or a whole head promising a body that never comes.
                    var partial = i % 2 == 0 ? "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar" : "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"Poli";
                    await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(partial));
                    slow.Add(tcp);
                }
                // Others are served while the slow connections are held.
                var client = SigV4TestClient.Admin(host);
                var served = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CallAsync("ListPolicies")));
                Assert.All(served, r => Assert.Equal(200, r.Status));

                // Each slow connection is closed by the server within a bounded time (idle timeout 1 s; 10 s allowed).
                var watch = Stopwatch.StartNew();
                foreach (var tcp in slow)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    var buffer = new byte[256];
                    int read;
                    try
                    {
                        read = await tcp.GetStream().ReadAsync(buffer, cts.Token);
                    }
                    catch (IOException)
                    {
                        read = 0;
                    }
                    catch (OperationCanceledException)
                    {
                        throw new Xunit.Sdk.XunitException("A stalled connection was still open 10 s after the idle timeout.");
                    }
                    Assert.Equal(0, read);
                }
                _output.WriteLine($"slowloris: 40 stalled connections closed within {watch.Elapsed.TotalSeconds:0.0} s of the check; 20 requests served meanwhile");
                // A new connection: the pooled ones idled past the 1 s timeout meanwhile, and the server closes those too.
                using var fresh = client.OnNewConnections();
                Assert.Equal(200, (await fresh.CallAsync("GetAdminAccount")).Status);
            }
            finally
            {
                foreach (var tcp in slow) tcp.Dispose();
            }
        }

        // ---- kill -9 under concurrent writers -------------------------------------------------------------------------

        [Fact]
        public async Task Kill_9_during_a_storm_of_concurrent_writers_leaves_every_policy_whole_and_every_acknowledged_write()
        {
            var path = Path.Combine(TestSandbox.TempDirectory(), "state.db");
            var first = SandboxProcess.Start(path);
            var writers = 6;
            var client = new SigV4TestClient(first.Endpoint, SandboxHost.DemoAccessKeyId, SandboxHost.DemoSecretAccessKey);
            var acknowledged = new List<(string PolicyId, string Name, string Token)>[writers];
            var createdNames = new List<string>[writers];
            for (var w = 0; w < writers; w++)
            {
                var created = (await client.CallAsync("PutPolicy", TestSandbox.WafPolicy($"w{w}-rev-0"))).Json.GetProperty("Policy");
                acknowledged[w] = new List<(string, string, string)> { (created.GetProperty("PolicyId").GetString()!, $"w{w}-rev-0", created.GetProperty("PolicyUpdateToken").GetString()!) };
                createdNames[w] = new List<string>();
            }
            var stop = new CancellationTokenSource();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var own = new SigV4TestClient(first.Endpoint, SandboxHost.DemoAccessKeyId, SandboxHost.DemoSecretAccessKey);
                for (var i = 1; i < 100000 && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        // Updates of the writer's own policy and a few creates of new ones (journal appends of both kinds).
                        // Two creates per writer: six writers stay within the 20-policy quota of the sandbox command.
                        if (i % 5 == 0 && createdNames[w].Count < 2)
                        {
                            var name = $"w{w}-new-{i}";
                            var made = await own.CallAsync("PutPolicy", TestSandbox.WafPolicy(name));
                            if (made.Status != 200) return;
                            lock (createdNames[w]) createdNames[w].Add(name);
                            continue;
                        }
                        var last = acknowledged[w][acknowledged[w].Count - 1];
                        var response = await own.CallAsync("PutPolicy", TestSandbox.WafPolicy($"w{w}-rev-{i}", last.PolicyId, last.Token));
                        if (response.Status != 200) return;
                        lock (acknowledged[w]) acknowledged[w].Add((last.PolicyId, $"w{w}-rev-{i}", response.Json.GetProperty("Policy").GetProperty("PolicyUpdateToken").GetString()!));
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            })).ToArray();
            // Kill once every writer has had a good number of writes acknowledged (bounded wait).
            var deadline = Stopwatch.StartNew();
            while (acknowledged.Any(a => { lock (a) return a.Count < 15; }))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The writers were acknowledged too few writes.");
                await Task.Delay(5);
            }
            first.Kill();
            stop.Cancel();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));

            var second = SandboxProcess.Start(path);
            try
            {
                var reader = new SigV4TestClient(second.Endpoint, SandboxHost.DemoAccessKeyId, SandboxHost.DemoSecretAccessKey);
                var names = new HashSet<string>(StringComparer.Ordinal);
                string? next = null;
                do
                {
                    var page = (await reader.CallAsync("ListPolicies", next == null ? new { MaxResults = 100 } : (object)new { MaxResults = 100, NextToken = next })).Json;
                    foreach (var summary in page.GetProperty("PolicyList").EnumerateArray()) names.Add(summary.GetProperty("PolicyName").GetString()!);
                    next = page.TryGetProperty("NextToken", out var token) ? token.GetString() : null;
                }
                while (next != null);
                var writes = 0;
                for (var w = 0; w < writers; w++)
                {
                    var last = acknowledged[w][acknowledged[w].Count - 1];
                    var policy = (await reader.CallAsync("GetPolicy", new { PolicyId = last.PolicyId })).Json.GetProperty("Policy");
                    var revision = int.Parse(policy.GetProperty("PolicyName").GetString()!.Split('-')[2]);
                    var lastRevision = int.Parse(last.Name.Split('-')[2]);
                    Assert.InRange(revision, lastRevision, lastRevision + 5); // at most the update in flight (numbers skip creates)
                    if (revision == lastRevision) Assert.Equal(last.Token, policy.GetProperty("PolicyUpdateToken").GetString());
                    Assert.Equal("WAFV2", policy.GetProperty("SecurityServicePolicyData").GetProperty("Type").GetString());
                    foreach (var created in createdNames[w]) Assert.Contains(created, names);
                    writes += acknowledged[w].Count + createdNames[w].Count;
                }
                _output.WriteLine($"kill -9: {writers} concurrent writers, {writes} acknowledged writes, all present after restart, no torn policy");
            }
            finally
            {
                second.Stop();
            }
        }
    }
}
