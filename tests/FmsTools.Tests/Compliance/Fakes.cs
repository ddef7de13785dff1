using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Tests.Compliance
{
    /// <summary>Virtual time: Delay advances the clock instead of sleeping (and yields so other tasks run).</summary>
    internal sealed class ManualClock
    {
        private readonly object _lock = new object();
        private TimeSpan _now;
        public DateTime UtcOrigin { get; } = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        public int Delays;
        public TimeSpan TotalDelay;

        public TimeSpan Now { get { lock (_lock) return _now; } }

        public void Advance(TimeSpan by) { lock (_lock) _now += by; }

        public async Task Delay(TimeSpan by, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_lock)
            {
                _now += by;
                Delays++;
                TotalDelay += by;
            }
            await Task.Yield();
        }

        public EngineClock ToEngineClock() => new EngineClock(() => Now, () => UtcOrigin + Now, Delay);
    }

    /// <summary>Records what the engine reports.</summary>
    internal sealed class RecordingReporter : IOperationReporter
    {
        public readonly ConcurrentQueue<FmsProgress> ProgressRecords = new ConcurrentQueue<FmsProgress>();
        public readonly ConcurrentQueue<string> Warnings = new ConcurrentQueue<string>();
        public readonly ConcurrentQueue<string> VerboseLines = new ConcurrentQueue<string>();
        public void Progress(FmsProgress progress) => ProgressRecords.Enqueue(progress);
        public void Verbose(string message) => VerboseLines.Enqueue(message);
        public void Warning(string message) => Warnings.Enqueue(message);
        public void Debug(string message) { }
    }

    /// <summary>
    /// An in-memory FMS endpoint behind the real generated FmsClient: policies, compliance per account, details,
    /// violation details, GetPolicy/PutPolicy with update tokens. Counts calls per operation, can throttle
    /// (programmable or a token bucket on virtual time), adds latency through an injectable delay, tracks concurrency.
    /// </summary>
    internal sealed class FakeFms : IAwsJsonInvoker
    {
        public FakeFms(string region = "us-east-1") { Region = region; Client = new FmsClient(this); }

        public string Region { get; }
        public IFmsClient Client { get; }
        public int PolicyPageSize { get; set; } = 100;
        public int CompliancePageSize { get; set; } = 100;

        public readonly List<Policy> Policies = new List<Policy>();
        public readonly Dictionary<string, List<PolicyComplianceStatus>> Statuses = new Dictionary<string, List<PolicyComplianceStatus>>();
        public readonly ConcurrentDictionary<string, PolicyComplianceDetail> Details = new ConcurrentDictionary<string, PolicyComplianceDetail>();
        public readonly Dictionary<string, ViolationDetail> ViolationDetails = new Dictionary<string, ViolationDetail>();

        public readonly ConcurrentDictionary<string, int> Calls = new ConcurrentDictionary<string, int>();
        public readonly ConcurrentQueue<string> CallLog = new ConcurrentQueue<string>();
        public readonly ConcurrentQueue<object> MutatingRequests = new ConcurrentQueue<object>();
        public int Throttled;
        public int MaxInFlight;
        private int _inFlight;
        private readonly ConcurrentDictionary<string, int[]> _inFlightByOperation = new ConcurrentDictionary<string, int[]>();

        /// <summary>The most calls of one operation that were ever in flight together.</summary>
        public int MaxInFlightOf(string operation) => _inFlightByOperation.TryGetValue(operation, out var c) ? Volatile.Read(ref c[1]) : 0;

        /// <summary>Decides per call whether to answer ThrottlingException (operation, call number of that operation from 1).</summary>
        public Func<string, int, bool>? ThrottleWhen { get; set; }

        /// <summary>Answers ThrottlingException while more than this many calls are in flight (a concurrency limit); 0 for none.</summary>
        public int ThrottleAboveInFlight { get; set; }

        /// <summary>Awaited inside every call (latency); null for none.</summary>
        public Func<string, CancellationToken, Task>? Latency { get; set; }

        /// <summary>Runs before each GetComplianceDetail answer (to change the world between polls).</summary>
        public Action<string, string, int>? BeforeComplianceDetail { get; set; }

        public ManualClock? BucketClock { get; set; }
        public double BucketRate { get; set; }
        public double BucketBurst { get; set; }
        private readonly Dictionary<string, (double Tokens, TimeSpan Last)> _buckets = new Dictionary<string, (double, TimeSpan)>();

        public int CallsOf(string operation) => Calls.TryGetValue(operation, out var n) ? n : 0;
        public int TotalCalls => Calls.Values.Sum();

        public Policy AddPolicy(string name, string type = "WAFV2", string resourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer",
            bool remediation = false, string? id = null)
        {
            var policy = new Policy
            {
                PolicyId = id ?? Guid.NewGuid().ToString(),
                PolicyName = name,
                PolicyUpdateToken = "1:" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = type, ManagedServiceData = "{\"type\":\"" + type + "\",\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":false}" },
                ResourceType = resourceType,
                RemediationEnabled = remediation,
                ExcludeResourceTags = false,
                PolicyStatus = "ACTIVE",
            };
            Policies.Add(policy);
            Statuses[policy.PolicyId] = new List<PolicyComplianceStatus>();
            return policy;
        }

        /// <summary>Adds an account's status; violators (reason per resource) make it non-compliant with a detail.</summary>
        public void AddAccount(Policy policy, string accountId, params (string ResourceId, string Reason)[] violators)
        {
            var nonCompliant = violators.Length > 0;
            Statuses[policy.PolicyId!].Add(new PolicyComplianceStatus
            {
                PolicyOwner = "111111111111",
                PolicyId = policy.PolicyId,
                PolicyName = policy.PolicyName,
                MemberAccount = accountId,
                EvaluationResults = new List<EvaluationResult>
                {
                    new EvaluationResult { ComplianceStatus = nonCompliant ? "NON_COMPLIANT" : "COMPLIANT", ViolatorCount = violators.Length, EvaluationLimitExceeded = false },
                },
                LastUpdated = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                IssueInfoMap = new Dictionary<string, string>(),
            });
            Details[policy.PolicyId + "/" + accountId] = new PolicyComplianceDetail
            {
                PolicyOwner = "111111111111",
                PolicyId = policy.PolicyId,
                MemberAccount = accountId,
                Violators = violators.Select(v => new ComplianceViolator
                {
                    ResourceId = v.ResourceId, ViolationReason = v.Reason, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer",
                    Metadata = new Dictionary<string, string>(),
                }).ToList(),
                EvaluationLimitExceeded = false,
                ExpiredAt = new DateTime(2025, 1, 1, 1, 0, 0, DateTimeKind.Utc),
                IssueInfoMap = new Dictionary<string, string>(),
            };
        }

        public async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
            where TRequest : class where TResponse : class, new()
        {
            var number = Calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            CallLog.Enqueue(operation);
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MaxInFlight, now);
            var perOperation = _inFlightByOperation.GetOrAdd(operation, _ => new int[2]);
            InterlockedMax(ref perOperation[1], Interlocked.Increment(ref perOperation[0]));
            try
            {
                if (Latency != null) await Latency(operation, cancellationToken);
                else await Task.Yield();
                if ((ThrottleWhen != null && ThrottleWhen(operation, number)) || (ThrottleAboveInFlight > 0 && now > ThrottleAboveInFlight) || !TakeToken(operation))
                {
                    Interlocked.Increment(ref Throttled);
                    throw new AwsServiceException("ThrottlingException", "Rate exceeded", HttpStatusCode.BadRequest, "req-" + number, operation);
                }
                return (TResponse)Answer(operation, request);
            }
            finally
            {
                Interlocked.Decrement(ref perOperation[0]);
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private bool TakeToken(string operation)
        {
            if (BucketClock == null) return true;
            lock (_buckets)
            {
                var now = BucketClock.Now;
                var bucket = _buckets.TryGetValue(operation, out var b) ? b : (BucketBurst, now);
                var tokens = Math.Min(BucketBurst, bucket.Item1 + (now - bucket.Item2).TotalSeconds * BucketRate);
                if (tokens < 1) { _buckets[operation] = (tokens, now); return false; }
                _buckets[operation] = (tokens - 1, now);
                return true;
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
        }

        private static int Offset(string? token) => string.IsNullOrEmpty(token) ? 0 : int.Parse(token!, CultureInfo.InvariantCulture);

        private object Answer(string operation, object request)
        {
            switch (operation)
            {
                case "ListPolicies":
                {
                    var r = (ListPoliciesRequest)request;
                    var start = Offset(r.NextToken);
                    var page = Policies.Skip(start).Take(PolicyPageSize).Select(p => new PolicySummary
                    {
                        PolicyArn = $"arn:aws:fms:{Region}:111111111111:policy/{p.PolicyId}", PolicyId = p.PolicyId, PolicyName = p.PolicyName,
                        ResourceType = p.ResourceType, SecurityServiceType = p.SecurityServicePolicyData?.Type, RemediationEnabled = p.RemediationEnabled,
                        DeleteUnusedFMManagedResources = false, PolicyStatus = "ACTIVE",
                    }).ToList();
                    return new ListPoliciesResponse
                    {
                        PolicyList = page,
                        NextToken = start + PolicyPageSize < Policies.Count ? (start + PolicyPageSize).ToString(CultureInfo.InvariantCulture) : null,
                    };
                }
                case "ListComplianceStatus":
                {
                    var r = (ListComplianceStatusRequest)request;
                    var all = Statuses.TryGetValue(r.PolicyId ?? "", out var list) ? list : throw NotFound(r.PolicyId);
                    var start = Offset(r.NextToken);
                    return new ListComplianceStatusResponse
                    {
                        PolicyComplianceStatusList = all.Skip(start).Take(CompliancePageSize).ToList(),
                        NextToken = start + CompliancePageSize < all.Count ? (start + CompliancePageSize).ToString(CultureInfo.InvariantCulture) : null,
                    };
                }
                case "GetComplianceDetail":
                {
                    var r = (GetComplianceDetailRequest)request;
                    BeforeComplianceDetail?.Invoke(r.PolicyId ?? "", r.MemberAccount ?? "", CallsOf("GetComplianceDetail"));
                    return Details.TryGetValue(r.PolicyId + "/" + r.MemberAccount, out var detail)
                        ? new GetComplianceDetailResponse { PolicyComplianceDetail = detail }
                        : new GetComplianceDetailResponse { PolicyComplianceDetail = new PolicyComplianceDetail { PolicyId = r.PolicyId, MemberAccount = r.MemberAccount, Violators = new List<ComplianceViolator>() } };
                }
                case "GetViolationDetails":
                {
                    var r = (GetViolationDetailsRequest)request;
                    return ViolationDetails.TryGetValue(r.PolicyId + "/" + r.MemberAccount + "/" + r.ResourceId, out var v)
                        ? new GetViolationDetailsResponse { ViolationDetail = v }
                        : throw new AwsServiceException("ResourceNotFoundException", "No details", HttpStatusCode.BadRequest, "req", operation);
                }
                case "GetPolicy":
                {
                    var r = (GetPolicyRequest)request;
                    var policy = Policies.FirstOrDefault(p => p.PolicyId == r.PolicyId) ?? throw NotFound(r.PolicyId);
                    return new GetPolicyResponse { Policy = AwsJson.Clone(policy), PolicyArn = $"arn:aws:fms:{Region}:111111111111:policy/{policy.PolicyId}" };
                }
                case "PutPolicy":
                {
                    var r = (PutPolicyRequest)request;
                    MutatingRequests.Enqueue(AwsJson.Clone(r));
                    var index = Policies.FindIndex(p => p.PolicyId == r.Policy?.PolicyId);
                    if (index < 0) throw NotFound(r.Policy?.PolicyId);
                    if (r.Policy!.PolicyUpdateToken != Policies[index].PolicyUpdateToken)
                        throw new AwsServiceException("InvalidOperationException", "The update token is stale.", HttpStatusCode.BadRequest, "req", operation);
                    var stored = AwsJson.Clone(r.Policy);
                    stored.PolicyUpdateToken = "2:" + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                    Policies[index] = stored;
                    return new PutPolicyResponse { Policy = AwsJson.Clone(stored), PolicyArn = $"arn:aws:fms:{Region}:111111111111:policy/{stored.PolicyId}" };
                }
                default:
                    MutatingRequests.Enqueue(request);
                    throw new System.InvalidOperationException("FakeFms does not serve " + operation + ".");
            }
        }

        private static AwsServiceException NotFound(string? id)
            => new AwsServiceException("ResourceNotFoundException", $"Policy {id} not found", HttpStatusCode.BadRequest, "req", null);
    }

    /// <summary>An in-memory Organizations tree behind the real OrganizationsClient; can deny access.</summary>
    internal sealed class FakeOrganizations : IAwsJsonInvoker
    {
        public FakeOrganizations() { Client = new OrganizationsClient(this); }

        public IOrganizationsClient Client { get; }
        public bool DenyAccess { get; set; }

        /// <summary>Awaited inside every call with the operation and its request (latency, or a gate); null for none.</summary>
        public Func<string, object, CancellationToken, Task>? Latency { get; set; }

        /// <summary>The most calls that were ever in flight together.</summary>
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);
        private int _inFlight;
        private int _maxInFlight;
        public int PageSize { get; set; } = 2;
        public readonly ConcurrentDictionary<string, int> Calls = new ConcurrentDictionary<string, int>();
        public int TotalCalls => Calls.Values.Sum();

        private readonly List<(string Id, string Name, string Parent)> _units = new List<(string, string, string)>();
        private readonly List<(string Id, string Name, string Parent)> _accounts = new List<(string, string, string)>();
        public const string RootId = "r-root";

        public string AddUnit(string name, string parent)
        {
            var id = "ou-" + _units.Count.ToString(CultureInfo.InvariantCulture).PadLeft(4, '0');
            _units.Add((id, name, parent));
            return id;
        }

        public void AddAccount(string id, string name, string parent) => _accounts.Add((id, name, parent));

        public async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
            where TRequest : class where TResponse : class, new()
        {
            Calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
            try
            {
                if (Latency != null) await Latency(operation, request, cancellationToken).ConfigureAwait(false);
                return Answer<TRequest, TResponse>(operation, request);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private TResponse Answer<TRequest, TResponse>(string operation, TRequest request) where TRequest : class where TResponse : class, new()
        {
            if (DenyAccess)
                throw new AwsServiceException("AccessDeniedException", "You don't have permissions to access this resource.", HttpStatusCode.BadRequest, "req", operation);
            object answer;
            switch (operation)
            {
                case "ListRoots":
                    answer = new ListRootsResponse { Roots = new List<Root> { new Root { Id = RootId, Name = "Root" } } };
                    break;
                case "ListOrganizationalUnitsForParent":
                {
                    var r = (ListOrganizationalUnitsForParentRequest)(object)request;
                    var all = _units.Where(u => u.Parent == r.ParentId).ToList();
                    var start = string.IsNullOrEmpty(r.NextToken) ? 0 : int.Parse(r.NextToken!, CultureInfo.InvariantCulture);
                    answer = new ListOrganizationalUnitsForParentResponse
                    {
                        OrganizationalUnits = all.Skip(start).Take(PageSize).Select(u => new OrganizationalUnit { Id = u.Id, Name = u.Name }).ToList(),
                        NextToken = start + PageSize < all.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null,
                    };
                    break;
                }
                case "ListAccountsForParent":
                {
                    var r = (ListAccountsForParentRequest)(object)request;
                    var all = _accounts.Where(a => a.Parent == r.ParentId).ToList();
                    var start = string.IsNullOrEmpty(r.NextToken) ? 0 : int.Parse(r.NextToken!, CultureInfo.InvariantCulture);
                    answer = new ListAccountsForParentResponse
                    {
                        Accounts = all.Skip(start).Take(PageSize).Select(a => new Account { Id = a.Id, Name = a.Name, Status = "ACTIVE" }).ToList(),
                        NextToken = start + PageSize < all.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null,
                    };
                    break;
                }
                default:
                    throw new System.InvalidOperationException("FakeOrganizations does not serve " + operation + ".");
            }
            return (TResponse)answer;
        }
    }

    internal static class TestData
    {
        public static string Account(int i) => (100000000000L + i).ToString(CultureInfo.InvariantCulture);

        public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
        {
            var list = new List<T>();
            await foreach (var item in source) list.Add(item);
            return list;
        }
    }
}
