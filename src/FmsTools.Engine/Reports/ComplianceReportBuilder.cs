using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Organization;

namespace FmsTools.Engine.Reports
{
    /// <summary>What an organization-wide report covers.</summary>
    public sealed class ComplianceReportRequest
    {
        /// <summary>Regions to read; at least one. Global (CloudFront) policies are counted once, in us-east-1.</summary>
        public IList<string> Regions { get; set; } = new List<string>();

        /// <summary>Only these policies; null or empty for every policy.</summary>
        public ICollection<string>? PolicyIds { get; set; }

        /// <summary>Only these member accounts; null or empty for every account.</summary>
        public ICollection<string>? AccountIds { get; set; }

        /// <summary>Also read GetViolationDetails for every violator (one call per resource: slow at scale).</summary>
        public bool IncludeViolationDetails { get; set; }

        /// <summary>Rows that may wait for the consumer, and non-compliant rows that may be in flight, each at most this many.</summary>
        public int MaxPendingRows { get; set; } = 256;
    }

    /// <summary>What a report build did: calls per operation (throttled ones included), rows, errors, time.</summary>
    public sealed class ReportStatistics
    {
        private readonly ConcurrentQueue<FmsError> _errors = new ConcurrentQueue<FmsError>();
        private long _rows, _compliant, _nonCompliant, _unknown;

        private readonly IReadOnlyDictionary<string, long> _callsBefore;
        private readonly IReadOnlyDictionary<string, long> _throttlesBefore;

        internal ReportStatistics(CallStatistics calls)
        {
            Calls = calls;
            _callsBefore = calls.CallsByOperation;
            _throttlesBefore = calls.ThrottlesByOperation;
        }

        /// <summary>The throttle's running counters (they may include calls from before this build when the throttle is shared).</summary>
        public CallStatistics Calls { get; }

        /// <summary>Calls sent per operation during this build, throttled ones included.</summary>
        public IReadOnlyDictionary<string, long> CallsByOperation => Since(Calls.CallsByOperation, _callsBefore);

        /// <summary>Throttling answers per operation during this build.</summary>
        public IReadOnlyDictionary<string, long> ThrottlesByOperation => Since(Calls.ThrottlesByOperation, _throttlesBefore);

        public long TotalCalls => CallsByOperation.Values.Sum();

        public long ThrottledCalls => ThrottlesByOperation.Values.Sum();

        private static IReadOnlyDictionary<string, long> Since(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> before)
        {
            var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var pair in now)
            {
                before.TryGetValue(pair.Key, out var earlier);
                if (pair.Value - earlier > 0) result[pair.Key] = pair.Value - earlier;
            }
            return result;
        }

        public int Regions { get; internal set; }

        /// <summary>Policy × region units read (a global policy is one unit).</summary>
        public int Policies { get; internal set; }

        public long Rows => Interlocked.Read(ref _rows);
        public long CompliantRows => Interlocked.Read(ref _compliant);
        public long NonCompliantRows => Interlocked.Read(ref _nonCompliant);
        public long UnknownRows => Interlocked.Read(ref _unknown);

        public TimeSpan Elapsed { get; internal set; }

        /// <summary>
        /// Failures that left parts of the report out (a policy, a region, an account's detail), in the order they
        /// happened. This is the only place the builder reports them: the caller writes each once.
        /// </summary>
        public IReadOnlyList<FmsError> Errors => _errors.ToArray();

        /// <summary>How many <see cref="Errors"/> there are so far (cheap, for callers that write them as they come).</summary>
        public int ErrorCount => _errors.Count;

        internal void AddError(FmsError error) { if (_errors.Count < 1000) _errors.Enqueue(error); }

        internal void Count(FmsComplianceStatus row)
        {
            Interlocked.Increment(ref _rows);
            switch (row.StatusValue)
            {
                case FmsComplianceState.Compliant: Interlocked.Increment(ref _compliant); break;
                case FmsComplianceState.NonCompliant: Interlocked.Increment(ref _nonCompliant); break;
                default: Interlocked.Increment(ref _unknown); break;
            }
        }

        public override string ToString() => $"{Rows} rows ({NonCompliantRows} non-compliant) from {Policies} policies in {Regions} regions; {TotalCalls} calls ({ThrottledCalls} throttled); {Elapsed.TotalSeconds:0.0} s";
    }

    /// <summary>
    /// The organization-wide compliance report: every policy × account in every requested region, with account names
    /// and OU paths. Rows stream as they complete; only non-compliant accounts are drilled into with
    /// GetComplianceDetail; calls run with adaptive, bounded parallelism (<see cref="AdaptiveThrottle"/>). Memory is
    /// bounded by <see cref="ComplianceReportRequest.MaxPendingRows"/> and one page per policy, not by the organization's size.
    /// </summary>
    public sealed class ComplianceReportBuilder
    {
        private const int ProgressActivityId = 4100;
        private readonly Func<string, IFmsClient> _clientForRegion;
        private readonly OrganizationDirectory _directory;
        private readonly IOperationReporter _reporter;
        private readonly AdaptiveThrottle _throttle;

        /// <summary>
        /// <paramref name="clientForRegion"/> gives the FMS client of a region (e.g. the Fms client of that region's session);
        /// the directory supplies account names and OU paths; the throttle may be shared with other engine services.
        /// </summary>
        public ComplianceReportBuilder(Func<string, IFmsClient> clientForRegion, OrganizationDirectory? directory = null,
            IOperationReporter? reporter = null, AdaptiveThrottle? throttle = null)
        {
            _clientForRegion = clientForRegion ?? throw new ArgumentNullException(nameof(clientForRegion));
            _directory = directory ?? OrganizationDirectory.Empty;
            _reporter = reporter ?? NullOperationReporter.Instance;
            _throttle = throttle ?? new AdaptiveThrottle();
            Statistics = new ReportStatistics(_throttle.Statistics);
        }

        /// <summary>Statistics of the build under way or last finished.</summary>
        public ReportStatistics Statistics { get; private set; }

        /// <summary>The policies the last build covered (after de-duplicating global ones).</summary>
        public IReadOnlyList<PolicyReference> Policies { get; private set; } = new PolicyReference[0];

        public AdaptiveThrottle Throttle => _throttle;

        /// <summary>Streams the report's rows as they complete (order is not defined).</summary>
        public async IAsyncEnumerable<FmsComplianceStatus> BuildAsync(ComplianceReportRequest request,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var regions = (request.Regions ?? new List<string>()).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim())
                .Distinct(StringComparer.Ordinal).ToList();
            if (regions.Count == 0) throw new ArgumentException("At least one region is required.", nameof(request));
            var capacity = Math.Max(1, request.MaxPendingRows);
            var statistics = new ReportStatistics(_throttle.Statistics) { Regions = regions.Count };
            Statistics = statistics;
            var started = _throttle.Clock.Elapsed;
            var progress = new ProgressState();

            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var queue = new AsyncRowQueue<FmsComplianceStatus>(capacity);
                var producer = Task.Run(() => ProduceAsync(request, regions, queue, statistics, progress, stop.Token));
                try
                {
                    while (true)
                    {
                        var (hasRow, row) = await queue.ReadAsync(cancellationToken).ConfigureAwait(false);
                        if (!hasRow) break;
                        statistics.Count(row);
                        ReportProgress(progress, statistics, false);
                        yield return row;
                    }
                    await producer.ConfigureAwait(false);
                }
                finally
                {
                    stop.Cancel();
                    try { await producer.ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                    catch (Exception) when (cancellationToken.IsCancellationRequested) { }
                    statistics.Elapsed = _throttle.Clock.Elapsed - started;
                    ReportProgress(progress, statistics, true);
                }
            }
        }

        private sealed class ProgressState
        {
            public int Units;
            public int UnitsDone;
            public long ExpectedRows;
            public int LastPercent = -1;
        }

        private void ReportProgress(ProgressState state, ReportStatistics statistics, bool completed)
        {
            var units = Volatile.Read(ref state.Units);
            var done = Volatile.Read(ref state.UnitsDone);
            var expected = Interlocked.Read(ref state.ExpectedRows);
            var byUnits = units == 0 ? 0 : done * 100 / units;
            var byRows = expected == 0 ? 0 : (int)Math.Min(99, statistics.Rows * 100 / expected);
            var percent = completed ? 100 : Math.Min(99, Math.Max(byUnits, byRows));
            if (!completed && percent == state.LastPercent) return;
            state.LastPercent = percent;
            _reporter.Progress(new FmsProgress(ProgressActivityId, "Firewall Manager compliance report",
                $"{statistics.Rows} policy × account results, {statistics.NonCompliantRows} non-compliant; {done} of {units} policies done")
            {
                PercentComplete = percent,
                CurrentOperation = $"{statistics.TotalCalls} calls, {statistics.ThrottledCalls} throttled",
                Completed = completed,
            });
        }

        private async Task ProduceAsync(ComplianceReportRequest request, List<string> regions, AsyncRowQueue<FmsComplianceStatus> queue,
            ReportStatistics statistics, ProgressState progress, CancellationToken cancellationToken)
        {
            try
            {
                var accountsTask = _directory.GetAccountsAsync(cancellationToken);
                var policies = await DiscoverPoliciesAsync(request, regions, statistics, cancellationToken).ConfigureAwait(false);
                Policies = policies;
                statistics.Policies = policies.Count;
                var accounts = await accountsTask.ConfigureAwait(false);
                var accountFilter = request.AccountIds != null && request.AccountIds.Count > 0
                    ? new HashSet<string>(request.AccountIds, StringComparer.Ordinal) : null;
                Volatile.Write(ref progress.Units, policies.Count);
                Interlocked.Exchange(ref progress.ExpectedRows, (long)policies.Count * (accountFilter?.Count ?? accounts.Count));
                _reporter.Verbose($"Compliance report: {policies.Count} policies in {regions.Count} regions, {accounts.Count} known accounts.");

                using (var inFlightDetails = new SemaphoreSlim(Math.Max(1, request.MaxPendingRows)))
                {
                    var units = policies.Select(policy => RunPolicyAsync(policy, accounts, accountFilter, request.IncludeViolationDetails,
                        inFlightDetails, queue, statistics, progress, cancellationToken)).ToList();
                    await Task.WhenAll(units).ConfigureAwait(false);
                }
                queue.Complete(null);
            }
            catch (Exception e)
            {
                queue.Complete(e);
            }
        }

        /// <summary>ListPolicies in every region; global policies kept once (the us-east-1 listing wins).</summary>
        private async Task<List<PolicyReference>> DiscoverPoliciesAsync(ComplianceReportRequest request, List<string> regions,
            ReportStatistics statistics, CancellationToken cancellationToken)
        {
            var listings = await Task.WhenAll(regions.Select(async region =>
            {
                try
                {
                    return await ServiceFor(region).GetPoliciesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    var error = ToError("ListPoliciesFailed", $"Could not list Firewall Manager policies in {region}: {e.Message}", region, e);
                    statistics.AddError(error);
                    return null;
                }
            })).ConfigureAwait(false);
            if (listings.All(l => l == null))
            {
                var first = statistics.Errors.FirstOrDefault();
                throw new FmsTerminatingException(first ?? new FmsError("ListPoliciesFailed", FmsErrorCategory.ReadError, "No region could be read."));
            }

            var wanted = request.PolicyIds != null && request.PolicyIds.Count > 0 ? new HashSet<string>(request.PolicyIds, StringComparer.Ordinal) : null;
            var result = new List<PolicyReference>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // Global policies first from us-east-1, then every region in the order asked.
            var order = Enumerable.Range(0, regions.Count)
                .OrderBy(i => string.Equals(regions[i], PolicyReference.GlobalPolicyRegion, StringComparison.Ordinal) ? 0 : 1).ThenBy(i => i);
            foreach (var index in order)
            {
                var listing = listings[index];
                if (listing == null) continue;
                foreach (var policy in listing)
                {
                    if (wanted != null && !wanted.Contains(policy.PolicyId)) continue;
                    var key = policy.IsGlobal ? policy.PolicyId : regions[index] + "/" + policy.PolicyId;
                    if (!seen.Add(key)) continue;
                    result.Add(policy);
                }
            }
            result.Sort((a, b) => regions.IndexOf(a.Region).CompareTo(regions.IndexOf(b.Region)) is var byRegion && byRegion != 0
                ? byRegion : string.CompareOrdinal(a.PolicyName, b.PolicyName));
            if (wanted != null)
            {
                foreach (var missing in wanted.Where(id => !result.Any(p => p.PolicyId == id)))
                {
                    var error = new FmsError("PolicyNotFound", FmsErrorCategory.ObjectNotFound,
                        $"No Firewall Manager policy with id '{missing}' exists in {string.Join(", ", regions)}.", missing);
                    statistics.AddError(error);
                }
            }
            return result;
        }

        private readonly ConcurrentDictionary<string, ComplianceService> _services = new ConcurrentDictionary<string, ComplianceService>(StringComparer.Ordinal);

        private ComplianceService ServiceFor(string region)
            => _services.GetOrAdd(region, r => new ComplianceService(_clientForRegion(r), r, _directory, _throttle, _reporter));

        private async Task RunPolicyAsync(PolicyReference policy, IReadOnlyDictionary<string, OrganizationAccount> accounts, HashSet<string>? accountFilter,
            bool enrich, SemaphoreSlim inFlightDetails, AsyncRowQueue<FmsComplianceStatus> queue, ReportStatistics statistics,
            ProgressState progress, CancellationToken cancellationToken)
        {
            var service = ServiceFor(policy.Region);
            var details = new List<Task>();
            var rowPolicy = policy.IsGlobal && policy.Region != PolicyReference.GlobalPolicyRegion
                ? new PolicyReference(policy.PolicyId, policy.PolicyName, policy.PolicyType, PolicyReference.GlobalPolicyRegion, policy.ResourceType,
                    policy.RemediationEnabled, policy.PolicyArn, policy.PolicyStatus)
                : policy;
            try
            {
                await foreach (var page in service.ComplianceStatusPagesAsync(policy.PolicyId, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var wire in page.PolicyComplianceStatusList ?? new List<PolicyComplianceStatus>())
                    {
                        var accountId = wire.MemberAccount ?? "";
                        if (accountFilter != null && !accountFilter.Contains(accountId)) continue;
                        var account = accounts.TryGetValue(accountId, out var known) ? known : OrganizationAccount.Unknown(accountId);
                        var row = ComplianceMapping.ToStatus(wire, rowPolicy, account);
                        if (row.StatusValue != FmsComplianceState.NonCompliant)
                        {
                            await queue.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                        await inFlightDetails.WaitAsync(cancellationToken).ConfigureAwait(false);
                        details.Add(DrillAsync(service, row, enrich, inFlightDetails, queue, statistics, cancellationToken));
                        if (details.Count >= 64) details.RemoveAll(t => t.IsCompleted && !t.IsFaulted && !t.IsCanceled);
                    }
                }
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                var error = ToError("ComplianceStatusFailed",
                    $"Could not read compliance of policy {policy.PolicyName} ({policy.PolicyId}) in {policy.Region}: {e.Message}", policy, e);
                statistics.AddError(error);
            }
            await Task.WhenAll(details).ConfigureAwait(false);
            Interlocked.Increment(ref progress.UnitsDone);
        }

        private async Task DrillAsync(ComplianceService service, FmsComplianceStatus row, bool enrich, SemaphoreSlim inFlightDetails,
            AsyncRowQueue<FmsComplianceStatus> queue, ReportStatistics statistics, CancellationToken cancellationToken)
        {
            try
            {
                try
                {
                    await service.AddDetailAsync(row, cancellationToken).ConfigureAwait(false);
                    if (enrich)
                        foreach (var violation in row.Violations) await service.EnrichAsync(violation, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    // The row still counts; it only lacks its violators.
                    var error = ToError("ComplianceDetailFailed",
                        $"Could not read the violators of policy {row.PolicyName} in account {row.AccountId} ({row.Region}): {e.Message}", row, e);
                    statistics.AddError(error);
                }
                await queue.WriteAsync(row, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                inFlightDetails.Release();
            }
        }

        internal static FmsError ToError(string errorId, string message, object target, Exception e)
        {
            var category = FmsErrorCategory.ReadError;
            if (e is AwsServiceException aws)
            {
                if (aws.ErrorCode.IndexOf("AccessDenied", StringComparison.Ordinal) >= 0) category = FmsErrorCategory.PermissionDenied;
                else if (aws.ErrorCode == FmsErrorCodes.ResourceNotFoundException) category = FmsErrorCategory.ObjectNotFound;
                else if (AdaptiveThrottle.IsThrottling(aws)) category = FmsErrorCategory.LimitsExceeded;
                if (aws.RequestId != null) message += $" (request id {aws.RequestId})";
            }
            return new FmsError(errorId, category, message, target, e);
        }
    }
}
