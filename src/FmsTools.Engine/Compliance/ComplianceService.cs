using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Organization;

namespace FmsTools.Engine.Compliance
{
    /// <summary>Which rows a compliance query returns.</summary>
    public sealed class ComplianceQuery
    {
        /// <summary>Only these member accounts; null or empty for every account.</summary>
        public ICollection<string>? AccountIds { get; set; }

        /// <summary>Read GetComplianceDetail for non-compliant rows (violators and counts by reason). Compliant rows are never drilled into.</summary>
        public bool IncludeViolators { get; set; } = true;

        /// <summary>Only rows with this state; null for all.</summary>
        public FmsComplianceState? Status { get; set; }

        internal bool Accepts(string accountId)
            => AccountIds == null || AccountIds.Count == 0 || AccountIds.Contains(accountId);
    }

    /// <summary>
    /// Compliance and violations of one region's FMS endpoint: statuses stream as ListComplianceStatus pages arrive,
    /// violations come from GetComplianceDetail and, on request, GetViolationDetails. Calls go through an
    /// <see cref="AdaptiveThrottle"/> (shared with the report when given) so they are counted and paced.
    /// </summary>
    public sealed class ComplianceService
    {
        private readonly IFmsClient _fms;
        private readonly OrganizationDirectory _directory;
        private readonly IOperationReporter _reporter;
        private readonly object _policiesLock = new object();
        private Task<IReadOnlyList<PolicyReference>>? _policies;

        public ComplianceService(IFmsClient fms, string region, OrganizationDirectory? directory = null, AdaptiveThrottle? throttle = null,
            IOperationReporter? reporter = null)
        {
            _fms = fms ?? throw new ArgumentNullException(nameof(fms));
            if (string.IsNullOrWhiteSpace(region)) throw new ArgumentException("A region is required.", nameof(region));
            Region = region;
            _directory = directory ?? OrganizationDirectory.Empty;
            Throttle = throttle ?? new AdaptiveThrottle();
            _reporter = reporter ?? NullOperationReporter.Instance;
        }

        public string Region { get; }

        public AdaptiveThrottle Throttle { get; }

        /// <summary>Every policy of the region (ListPolicies, all pages), read once and cached.</summary>
        public Task<IReadOnlyList<PolicyReference>> GetPoliciesAsync(CancellationToken cancellationToken = default)
        {
            lock (_policiesLock)
            {
                if (_policies == null || _policies.IsFaulted || _policies.IsCanceled) _policies = ListPoliciesAsync(cancellationToken);
                return _policies;
            }
        }

        private async Task<IReadOnlyList<PolicyReference>> ListPoliciesAsync(CancellationToken cancellationToken)
        {
            var list = new List<PolicyReference>();
            await foreach (var page in PagesAsync("ListPolicies", new ListPoliciesRequest(), _fms.ListPoliciesAsync, p => p.NextToken,
                (r, t) => r.NextToken = t, cancellationToken).ConfigureAwait(false))
            {
                foreach (var summary in page.PolicyList ?? new List<PolicySummary>())
                    if (!string.IsNullOrEmpty(summary.PolicyId)) list.Add(PolicyReference.FromSummary(summary, Region));
            }
            return list;
        }

        /// <summary>The policy with this id in the region; FmsTerminatingException (ObjectNotFound) when there is none.</summary>
        public async Task<PolicyReference> GetPolicyAsync(string policyId, CancellationToken cancellationToken = default)
        {
            foreach (var policy in await GetPoliciesAsync(cancellationToken).ConfigureAwait(false))
                if (string.Equals(policy.PolicyId, policyId, StringComparison.Ordinal)) return policy;
            throw new FmsTerminatingException(new FmsError("PolicyNotFound", FmsErrorCategory.ObjectNotFound,
                $"No Firewall Manager policy with id '{policyId}' exists in {Region}.", policyId));
        }

        /// <summary>
        /// Rows for one policy, yielded as each ListComplianceStatus page arrives. Non-compliant rows are drilled into
        /// with GetComplianceDetail when <see cref="ComplianceQuery.IncludeViolators"/> is set.
        /// </summary>
        public async IAsyncEnumerable<FmsComplianceStatus> GetComplianceStatusAsync(PolicyReference policy, ComplianceQuery? query = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            query ??= new ComplianceQuery();
            var accounts = await _directory.GetAccountsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var page in ComplianceStatusPagesAsync(policy.PolicyId, cancellationToken).ConfigureAwait(false))
            {
                foreach (var wire in page.PolicyComplianceStatusList ?? new List<PolicyComplianceStatus>())
                {
                    var accountId = wire.MemberAccount ?? "";
                    if (!query.Accepts(accountId)) continue;
                    var account = accounts.TryGetValue(accountId, out var known) ? known : OrganizationAccount.Unknown(accountId);
                    var row = ComplianceMapping.ToStatus(wire, policy, account);
                    if (query.Status != null && row.StatusValue != query.Status) continue;
                    if (query.IncludeViolators && row.StatusValue == FmsComplianceState.NonCompliant)
                        await AddDetailAsync(row, cancellationToken).ConfigureAwait(false);
                    yield return row;
                }
            }
        }

        /// <summary>Rows for several policies by id, one policy after the other.</summary>
        public async IAsyncEnumerable<FmsComplianceStatus> GetComplianceStatusAsync(IEnumerable<string> policyIds, ComplianceQuery? query = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (policyIds == null) throw new ArgumentNullException(nameof(policyIds));
            foreach (var policyId in policyIds)
            {
                var policy = await GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false);
                await foreach (var row in GetComplianceStatusAsync(policy, query, cancellationToken).ConfigureAwait(false))
                    yield return row;
            }
        }

        internal IAsyncEnumerable<ListComplianceStatusResponse> ComplianceStatusPagesAsync(string policyId, CancellationToken cancellationToken)
            => PagesAsync("ListComplianceStatus", new ListComplianceStatusRequest { PolicyId = policyId }, _fms.ListComplianceStatusAsync,
                p => p.NextToken, (r, t) => r.NextToken = t, cancellationToken);

        /// <summary>Reads GetComplianceDetail into the row (violators, counts by reason, ExpiredAt).</summary>
        public async Task AddDetailAsync(FmsComplianceStatus row, CancellationToken cancellationToken = default)
        {
            if (row == null) throw new ArgumentNullException(nameof(row));
            var response = await Throttle.RunAsync("GetComplianceDetail", Region,
                ct => _fms.GetComplianceDetailAsync(new GetComplianceDetailRequest { PolicyId = row.PolicyId, MemberAccount = row.AccountId }, ct),
                cancellationToken).ConfigureAwait(false);
            ComplianceMapping.ApplyDetail(row, response.PolicyComplianceDetail);
        }

        /// <summary>
        /// The violators of one policy in one account (GetComplianceDetail), each enriched with GetViolationDetails
        /// when <paramref name="includeDetails"/> is set (one call per resource).
        /// </summary>
        public async IAsyncEnumerable<FmsViolation> GetViolationsAsync(PolicyReference policy, string accountId, bool includeDetails = false,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            if (string.IsNullOrWhiteSpace(accountId)) throw new ArgumentException("An account id is required.", nameof(accountId));
            var account = await _directory.GetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
            var row = new FmsComplianceStatus
            {
                PolicyId = policy.PolicyId, PolicyName = policy.PolicyName, PolicyType = policy.PolicyType, Region = policy.Region,
                IsGlobal = policy.IsGlobal, AccountId = accountId, AccountName = account.AccountName,
                OrganizationalUnitPath = account.OrganizationalUnitPath,
            };
            await AddDetailAsync(row, cancellationToken).ConfigureAwait(false);
            foreach (var violation in row.Violations)
            {
                if (includeDetails) await EnrichAsync(violation, cancellationToken).ConfigureAwait(false);
                yield return violation;
            }
        }

        /// <summary>Adds GetViolationDetails (typed details, possible remediation actions, tags, description) to a violation.</summary>
        public async Task EnrichAsync(FmsViolation violation, CancellationToken cancellationToken = default)
        {
            if (violation == null) throw new ArgumentNullException(nameof(violation));
            try
            {
                var response = await Throttle.RunAsync("GetViolationDetails", Region,
                    ct => _fms.GetViolationDetailsAsync(new GetViolationDetailsRequest
                    {
                        PolicyId = violation.PolicyId, MemberAccount = violation.AccountId,
                        ResourceId = violation.ResourceId, ResourceType = violation.ResourceType,
                    }, ct), cancellationToken).ConfigureAwait(false);
                ComplianceMapping.Enrich(violation, response.ViolationDetail);
            }
            catch (AwsServiceException e) when (e.ErrorCode == FmsErrorCodes.InvalidInputException || e.ErrorCode == FmsErrorCodes.ResourceNotFoundException)
            {
                // GetViolationDetails covers only some policy and resource types; the violation stands without details.
                _reporter.Verbose($"No violation details for {violation.ResourceType} {violation.ResourceId} in {violation.AccountId}: {e.ErrorCode}.");
            }
        }

        private IAsyncEnumerable<TResponse> PagesAsync<TRequest, TResponse>(string operation, TRequest request,
            Func<TRequest, CancellationToken, Task<TResponse>> call, Func<TResponse, string?> nextToken, Action<TRequest, string?> setToken,
            CancellationToken cancellationToken)
            where TRequest : class where TResponse : class
            => AwsPagination.PagesAsync(request, (r, ct) => Throttle.RunAsync(operation, Region, c => call(r, c), ct), nextToken, setToken, cancellationToken);
    }
}
