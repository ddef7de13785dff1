using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FmsTools.Sandbox.Http;

namespace FmsTools.Sandbox.Hosting
{
    /// <summary>
    /// The sandbox's own HTTP surface under /_sandbox/ on the service port, for non-.NET clients (Pester,
    /// shell scripts, CI): request log, clock, faults, rate limits, resources, reset, convergence. Unsigned: the
    /// server listens on loopback only.
    /// </summary>
    internal sealed class AdminApi
    {
        public const string Prefix = "/_sandbox/";
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = true,
        };
        private readonly SandboxHost _host;

        public AdminApi(SandboxHost host) { _host = host; }

        public SandboxHttpResponse Handle(SandboxHttpRequest request)
        {
            var path = request.Path.Substring(Prefix.Length).TrimEnd('/');
            var query = ParseQuery(request.Query);
            try
            {
                switch (request.Method + " " + path)
                {
                    case "GET health":
                        return Ok(new { status = "ok" });
                    case "GET info":
                        return Ok(_host.Describe());
                    case "GET requests":
                    {
                        IEnumerable<RequestLogEntry> entries = _host.RequestLog.Entries;
                        if (query.TryGetValue("operation", out var operation)) entries = entries.Where(e => e.Operation == operation);
                        if (query.TryGetValue("service", out var service)) entries = entries.Where(e => e.Service == service);
                        if (query.TryGetValue("outcome", out var outcome)) entries = entries.Where(e => e.Outcome == outcome);
                        if (query.TryGetValue("account", out var account)) entries = entries.Where(e => e.CallerAccount == account);
                        if (query.TryGetValue("mutating", out var mutating)) entries = entries.Where(e => e.Mutating == (mutating == "true"));
                        if (query.TryGetValue("dryRun", out var dryRun)) entries = entries.Where(e => e.DryRun == (dryRun == "true"));
                        if (query.TryGetValue("includeAdmin", out var includeAdmin) && includeAdmin != "true") entries = entries.Where(e => e.Service != "sandbox");
                        else if (!query.ContainsKey("includeAdmin")) entries = entries.Where(e => e.Service != "sandbox");
                        var list = entries.ToList();
                        if (query.TryGetValue("limit", out var limitText) && int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                            list = list.Skip(Math.Max(0, list.Count - limit)).ToList();
                        return Ok(list);
                    }
                    case "DELETE requests":
                        _host.RequestLog.Clear();
                        return Ok(new { cleared = true });
                    case "GET clock":
                        return Ok(ClockState());
                    case "POST clock/advance":
                    {
                        var body = Read<ClockAdvance>(request) ?? new ClockAdvance();
                        var seconds = body.Seconds;
                        if (seconds == 0 && query.TryGetValue("seconds", out var secondsText))
                            double.TryParse(secondsText, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
                        if (seconds <= 0) return Problem(400, "Give a positive number of seconds: {\"seconds\": 600} or ?seconds=600.");
                        _host.Clock.Advance(TimeSpan.FromSeconds(seconds));
                        return Ok(ClockState());
                    }
                    case "POST clock/freeze":
                        _host.Clock.Freeze();
                        return Ok(ClockState());
                    case "POST clock/unfreeze":
                        _host.Clock.Unfreeze();
                        return Ok(ClockState());
                    case "GET faults":
                        return Ok(_host.Faults.Rules);
                    case "POST faults":
                    {
                        var rules = ReadRules(request);
                        foreach (var rule in rules) _host.Faults.Add(rule);
                        return Ok(_host.Faults.Rules);
                    }
                    case "DELETE faults":
                        _host.Faults.Clear();
                        return Ok(_host.Faults.Rules);
                    case "GET ratelimits":
                        return Ok(_host.RateLimits.Limits.Select(l => new RateLimitBody { Key = l.Key, RatePerSecond = l.Value.RatePerSecond, Burst = l.Value.Burst }));
                    case "POST ratelimits":
                    {
                        var body = Read<RateLimitBody>(request) ?? throw new FormatException("Send {\"key\": \"PutPolicy\", \"ratePerSecond\": 1, \"burst\": 2}.");
                        _host.RateLimits.Set(body.Key ?? "*", body.RatePerSecond <= 0 ? null : new RateLimit(body.RatePerSecond, Math.Max(1, body.Burst)));
                        return Ok(_host.RateLimits.Limits.Select(l => new RateLimitBody { Key = l.Key, RatePerSecond = l.Value.RatePerSecond, Burst = l.Value.Burst }));
                    }
                    case "DELETE ratelimits":
                        _host.RateLimits.Clear();
                        return Ok(new object[0]);
                    case "GET resources":
                        return Ok(_host.ReadWorld(world => AdminResources.List(world, query).Select(AdminResources.View).ToList()));
                    case "POST resources":
                    {
                        var body = Read<AdminResources.NewResource>(request) ?? throw new FormatException(
                            "Send {\"type\": \"AWS::ElasticLoadBalancingV2::LoadBalancer\", \"accountId\": \"310000000003\", \"region\": \"us-east-1\", \"name\": \"new-alb\"}.");
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.Create(world, body, now))));
                    }
                    case "DELETE resources":
                        query.TryGetValue("resource", out var deleted);
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.Delete(world, deleted))));
                    case "POST resources/webacl":
                    {
                        var body = Read<AdminResources.WebAclChange>(request) ?? throw new FormatException("Send {\"resource\": \"<id or ARN>\", \"webAclArn\": \"<ARN, or null to disassociate>\"}.");
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.SetWebAcl(world, body))));
                    }
                    case "POST resources/tags":
                    {
                        var body = Read<AdminResources.TagChange>(request) ?? throw new FormatException("Send {\"resource\": \"<id or ARN>\", \"tags\": {\"key\": \"value\"}, \"removeKeys\": [\"key\"]}.");
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.SetTags(world, body))));
                    }
                    case "POST resources/securitygroups":
                    {
                        var body = Read<AdminResources.SecurityGroupChange>(request) ?? throw new FormatException("Send {\"resource\": \"<instance, network interface or load balancer>\", \"securityGroupIds\": [\"sg-...\"]}.");
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.SetSecurityGroups(world, body))));
                    }
                    case "POST resources/routes":
                    {
                        var body = Read<AdminResources.RouteChange>(request) ?? throw new FormatException("Send {\"routeTable\": \"rtb-...\", \"destinationCidrBlock\": \"0.0.0.0/0\", \"target\": \"<igw-/vpce-/nat-... id, or null to delete>\", \"blackhole\": false}.");
                        return Ok(_host.ChangeWorld((world, now) => AdminResources.View(AdminResources.SetRoute(world, body))));
                    }
                    case "POST converge":
                        return Ok(new { remediatedPolicies = _host.Converge() });
                    case "POST reset":
                        _host.Reset();
                        return Ok(_host.Describe());
                    case "POST compact":
                        _host.Compact();
                        return Ok(new { compacted = true });
                    default:
                        return Problem(404, "Unknown sandbox path " + request.Method + " " + request.Path + ". Paths: GET health, GET info, GET|DELETE requests, "
                            + "GET clock, POST clock/advance|freeze|unfreeze, GET|POST|DELETE faults, GET|POST|DELETE ratelimits, GET|POST|DELETE resources, POST resources/webacl|tags|securitygroups|routes, POST converge, POST reset, POST compact.");
                }
            }
            catch (Exception error) when (error is JsonException || error is FormatException || error is ArgumentException)
            {
                return Problem(400, error.Message);
            }
        }

        private object ClockState() => new
        {
            now = _host.Clock.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            offsetSeconds = _host.Clock.Offset.TotalSeconds,
            frozen = _host.Clock.IsFrozen,
        };

        private sealed class ClockAdvance
        {
            public double Seconds { get; set; }
        }

        private sealed class RateLimitBody
        {
            public string? Key { get; set; }
            public double RatePerSecond { get; set; }
            public int Burst { get; set; } = 1;
        }

        private static List<FaultRule> ReadRules(SandboxHttpRequest request)
        {
            var text = Encoding.UTF8.GetString(request.Body).Trim();
            if (text.Length == 0) throw new FormatException("Send a fault rule, e.g. {\"operation\": \"PutPolicy\", \"kind\": \"InternalFailure\", \"count\": 2}.");
            return text.StartsWith("[", StringComparison.Ordinal)
                ? JsonSerializer.Deserialize<List<FaultRule>>(text, Json) ?? new List<FaultRule>()
                : new List<FaultRule> { JsonSerializer.Deserialize<FaultRule>(text, Json)! };
        }

        private static T? Read<T>(SandboxHttpRequest request) where T : class
            => request.Body.Length == 0 ? null : JsonSerializer.Deserialize<T>(request.Body, Json);

        private static Dictionary<string, string> ParseQuery(string query)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in query.Split('&'))
            {
                if (pair.Length == 0) continue;
                var equals = pair.IndexOf('=');
                result[Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals))] = equals < 0 ? "" : Uri.UnescapeDataString(pair.Substring(equals + 1));
            }
            return result;
        }

        private static SandboxHttpResponse Ok(object value)
            => SandboxHttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json));

        private static SandboxHttpResponse Problem(int status, string message)
            => SandboxHttpResponse.Json(status, JsonSerializer.SerializeToUtf8Bytes(new { error = message }, Json));
    }
}
