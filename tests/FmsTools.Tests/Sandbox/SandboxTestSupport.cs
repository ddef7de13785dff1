using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Runtime;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>A signed raw call's outcome.</summary>
    internal sealed class RawResponse
    {
        public int Status;
        public string Body = "";
        public Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        /// <summary>__type without namespace.</summary>
        public string ErrorType
        {
            get
            {
                var type = Json.GetProperty("__type").GetString()!;
                return type.Substring(type.IndexOf('#') + 1);
            }
        }

        public string ErrorMessage => Json.TryGetProperty("Message", out var m) ? m.GetString()! : Json.GetProperty("message").GetString()!;
    }

    /// <summary>
    /// A minimal SigV4 client written independently of the sandbox's verifier (canonical request built here;
    /// only the HMAC primitives are shared), so signing mistakes on either side show up.
    /// </summary>
    internal sealed class SigV4TestClient : IAwsJsonInvoker, IDisposable
    {
        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        private readonly string _endpoint;
        private HttpClient _http = Http;

        public SigV4TestClient(string endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1", string? sessionToken = null,
            string targetPrefix = "AWSFMS_20180101", string signingName = "fms")
        {
            _endpoint = endpoint;
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
            Region = region;
            SessionToken = sessionToken;
            TargetPrefix = targetPrefix;
            SigningName = signingName;
        }

        public static SigV4TestClient Admin(SandboxHost host, string region = "us-east-1")
            => new SigV4TestClient(host.Endpoint, host.AccessKeyId, host.SecretAccessKey, region);

        public static SigV4TestClient Management(SandboxHost host)
            => new SigV4TestClient(host.Endpoint, host.ManagementAccessKeyId, host.ManagementSecretAccessKey);

        public string AccessKeyId { get; set; }
        public string SecretAccessKey { get; set; }
        public string Region { get; set; }
        public string? SessionToken { get; set; }
        public string TargetPrefix { get; set; }
        public string SigningName { get; set; }

        /// <summary>Shifts the signing time (clock-skew tests).</summary>
        public TimeSpan ClockOffset { get; set; }

        /// <summary>
        /// The same client on connections of its own, opened fresh: for a call after the sandbox may have closed the shared
        /// pool's idle keep-alive connections (a short IdleTimeout), where reusing one races with the server's close.
        /// </summary>
        public SigV4TestClient OnNewConnections()
        {
            var copy = For(TargetPrefix, SigningName);
            copy._http = new HttpClient(new SocketsHttpHandler()) { Timeout = Http.Timeout };
            return copy;
        }

        public SigV4TestClient For(string targetPrefix, string signingName)
            => new SigV4TestClient(_endpoint, AccessKeyId, SecretAccessKey, Region, SessionToken, targetPrefix, signingName);

        public Task<RawResponse> CallAsync(string operation, object? body = null, bool sign = true)
        {
            var json = body is null ? "{}" : body as string ?? JsonSerializer.Serialize(body);
            return SendAsync(Encoding.UTF8.GetBytes(json), "application/x-amz-json-1.1", TargetPrefix + "." + operation, sign);
        }

        public async Task<RawResponse> SendAsync(byte[] payload, string contentType, string? target, bool sign = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint + "/");
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (target != null) request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            if (sign) Sign(request, payload, contentType, target);
            using var response = await _http.SendAsync(request).ConfigureAwait(false);
            var result = new RawResponse { Status = (int)response.StatusCode, Body = await response.Content.ReadAsStringAsync().ConfigureAwait(false) };
            foreach (var header in response.Headers.Concat(response.Content.Headers)) result.Headers[header.Key] = string.Join(",", header.Value);
            return result;
        }

        private void Sign(HttpRequestMessage request, byte[] payload, string contentType, string? target)
        {
            var now = DateTime.UtcNow + ClockOffset;
            var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'");
            var date = amzDate.Substring(0, 8);
            var host = new Uri(_endpoint).Authority;
            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["content-type"] = contentType,
                ["host"] = host,
                ["x-amz-date"] = amzDate,
            };
            if (target != null) headers["x-amz-target"] = target;
            if (SessionToken != null) headers["x-amz-security-token"] = SessionToken;
            var signedHeaders = string.Join(";", headers.Keys);
            var canonical = "POST\n/\n\n" + string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")) + "\n" + signedHeaders + "\n" + Hex(SHA256.HashData(payload));
            var scope = date + "/" + Region + "/" + SigningName + "/aws4_request";
            var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + SecretAccessKey), date), Region), SigningName), "aws4_request");
            var signature = Hex(Hmac(key, stringToSign));
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            if (SessionToken != null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", SessionToken);
            request.Headers.TryAddWithoutValidation("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + AccessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        }

        private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

        private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

        /// <summary>IAwsJsonInvoker so the generated clients run against the sandbox.</summary>
        public async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
            where TRequest : class where TResponse : class, new()
        {
            var options = new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
            var response = await SendAsync(JsonSerializer.SerializeToUtf8Bytes(request, options), "application/x-amz-json-1.1", TargetPrefix + "." + operation)
                .ConfigureAwait(false);
            if (response.Status != 200)
                throw new AwsServiceException(response.ErrorType, response.ErrorMessage, (HttpStatusCode)response.Status,
                    response.Headers.TryGetValue("x-amzn-RequestId", out var id) ? id : null, operation);
            return JsonSerializer.Deserialize<TResponse>(response.Body) ?? new TResponse();
        }

        public void Dispose()
        {
            if (!ReferenceEquals(_http, Http)) _http.Dispose();
        }
    }

    internal static class TestSandbox
    {
        public static SandboxHost Start(bool demo = true, string? path = null, Action<SandboxOptions>? configure = null)
        {
            var options = new SandboxOptions { Port = 0, Demo = demo, Path = path, FreezeClock = true, BackgroundInterval = TimeSpan.FromHours(1) };
            configure?.Invoke(options);
            return SandboxHost.Start(options);
        }

        public static string TempDirectory()
        {
            var directory = Path.Combine(Path.GetTempPath(), "fms-sandbox-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return directory;
        }

        /// <summary>A minimal valid PutPolicy body for a WAFV2 policy on ALBs.</summary>
        public static Dictionary<string, object?> WafPolicy(string name = "test-waf", string? id = null, string? token = null)
        {
            var policy = new Dictionary<string, object?>
            {
                ["PolicyName"] = name,
                ["SecurityServicePolicyData"] = new Dictionary<string, object?>
                {
                    ["Type"] = "WAFV2",
                    ["ManagedServiceData"] = "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[{\"managedRuleGroupIdentifier\":{\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"overrideAction\":{\"type\":\"NONE\"},\"ruleGroupType\":\"ManagedRuleGroup\"}],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false}",
                },
                ["ResourceType"] = "AWS::ElasticLoadBalancingV2::LoadBalancer",
                ["ExcludeResourceTags"] = false,
                ["RemediationEnabled"] = false,
            };
            if (id != null) policy["PolicyId"] = id;
            if (token != null) policy["PolicyUpdateToken"] = token;
            return new Dictionary<string, object?> { ["Policy"] = policy };
        }
    }

    internal static class ExternalTools
    {
        private static readonly Dictionary<string, bool> Cache = new Dictionary<string, bool>(StringComparer.Ordinal);

        /// <summary>"aws", "python3" or "boto3" (python3 that can import boto3).</summary>
        public static bool IsAvailable(string tool)
        {
            lock (Cache)
            {
                if (Cache.TryGetValue(tool, out var known)) return known;
                bool available;
                try
                {
                    available = tool == "boto3"
                        ? Run("python3", new[] { "-c", "import boto3, botocore" }, null, TimeSpan.FromSeconds(60)).ExitCode == 0
                        : Run(tool, new[] { "--version" }, null, TimeSpan.FromSeconds(60)).ExitCode == 0;
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    available = false;
                }
                Cache[tool] = available;
                return available;
            }
        }

        public sealed class Result
        {
            public int ExitCode;
            public string Stdout = "";
            public string Stderr = "";
        }

        public static Result Run(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan timeout, string? stdin = null)
        {
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = stdin != null,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            if (environment != null) foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin != null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(true);
                throw new TimeoutException(file + " did not finish within " + timeout + ".");
            }
            return new Result { ExitCode = process.ExitCode, Stdout = stdout.Result, Stderr = stderr.Result };
        }
    }
}
