using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>The sandbox's /_sandbox/resources admin API over HTTP, as a script or the Pester tests call it.</summary>
    internal sealed class SandboxAdminClient
    {
        private static readonly HttpClient Http = new HttpClient();
        private readonly SandboxHost _host;

        public SandboxAdminClient(SandboxHost host) { _host = host; }

        public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null, int expectedStatus = 200)
        {
            using var request = new HttpRequestMessage(method, _host.Endpoint + "/_sandbox/" + path);
            if (body != null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            using var response = await Http.SendAsync(request).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            Assert.True((int)response.StatusCode == expectedStatus, $"{method} {path}: HTTP {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        public JsonElement Send(HttpMethod method, string path, object? body = null, int expectedStatus = 200)
            => SendAsync(method, path, body, expectedStatus).GetAwaiter().GetResult();

        public IReadOnlyList<JsonElement> Resources(string accountId, string region, string type)
            => Send(HttpMethod.Get, $"resources?accountId={accountId}&region={region}&type={Uri.EscapeDataString(type)}").EnumerateArray().ToList();

        public JsonElement SetWebAcl(string resource, string? webAclArn)
            => Send(HttpMethod.Post, "resources/webacl", new { resource, webAclArn });

        public JsonElement SetSecurityGroups(string resource, IEnumerable<string> securityGroupIds)
            => Send(HttpMethod.Post, "resources/securitygroups", new { resource, securityGroupIds = securityGroupIds.ToArray() });

        public JsonElement AddLoadBalancer(string accountId, string region, string name)
            => Send(HttpMethod.Post, "resources", new { type = "AWS::ElasticLoadBalancingV2::LoadBalancer", accountId, region, name });

        public JsonElement Delete(string resource) => Send(HttpMethod.Delete, "resources?resource=" + Uri.EscapeDataString(resource));

        public static string Text(JsonElement element, string property)
            => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

        public static string[] Strings(JsonElement element, string property)
            => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToArray() : new string[0];
    }
}
