using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>One non-compliant resource for one reason, with the data GetViolationDetails reports about it.</summary>
    /// <remarks>A large organization's cached evaluations hold hundreds of thousands of these: the resource id and type
    /// are read from the resource when asked (an ARN is built then) rather than stored in every violation.</remarks>
    public sealed class Violation
    {
        internal Violation(WorldResource resource, string reason, string accountId)
        {
            Resource = resource;
            Reason = reason;
            AccountId = accountId;
        }

        public string AccountId { get; }

        /// <summary>The id FMS reports (EC2 id or ARN).</summary>
        public string ResourceId => Resource.ViolatorResourceId;
        public string ResourceType => Resource.ResourceType;

        /// <summary>A ViolationReason value.</summary>
        public string Reason { get; }
        public WorldResource Resource { get; }

        // Most violations have no metadata and the others one entry: one pair is kept inline, a dictionary only holds more.
        private string? metadataKey;
        private string? metadataValue;
        private Dictionary<string, string>? moreMetadata;

        // Allocated on first use: most violations have none, and a large organization holds hundreds of thousands.
        private List<ResourceViolation>? details;

        /// <summary>The violator's Metadata (a fresh copy).</summary>
        public Dictionary<string, string> Metadata
        {
            get
            {
                var copy = new Dictionary<string, string>(StringComparer.Ordinal);
                if (metadataKey != null) copy[metadataKey] = metadataValue!;
                if (moreMetadata != null)
                    foreach (var entry in moreMetadata) copy[entry.Key] = entry.Value;
                return copy;
            }
        }

        internal void SetMetadata(string key, string value)
        {
            if (metadataKey is null || string.Equals(metadataKey, key, StringComparison.Ordinal))
            {
                metadataKey = key;
                metadataValue = value;
            }
            else
            {
                (moreMetadata ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
            }
        }

        /// <summary>The per-type violation shapes of GetViolationDetails (may be empty where FMS has no shape for the reason).</summary>
        public List<ResourceViolation> Details => details ??= new List<ResourceViolation>();

        /// <summary>Forgets the details (a cached evaluation keeps only what compliance answers need).</summary>
        internal void DropDetails() => details = null;

        public ComplianceViolator ToWire() => new ComplianceViolator
        {
            ResourceId = ResourceId,
            ViolationReason = Reason,
            ResourceType = ResourceType,
            Metadata = Metadata,
        };

        public override string ToString() => AccountId + " " + ResourceId + " " + Reason;
    }

    /// <summary>One member account's result for one policy in one region.</summary>
    /// <remarks>Most accounts of a large organization have no violation and no issue: both collections are allocated on
    /// the first one added, and read through shared empty ones until then (a cached evaluation is read concurrently, so
    /// reading never allocates).</remarks>
    public sealed class AccountCompliance
    {
        private static readonly Violation[] NoViolations = new Violation[0];
        private static readonly IReadOnlyDictionary<string, string> NoIssues = new Dictionary<string, string>(StringComparer.Ordinal);
        private List<Violation>? violations;
        private Dictionary<string, string>? issueInfoMap;

        internal AccountCompliance(string accountId)
        {
            AccountId = accountId;
        }

        public string AccountId { get; }
        public IReadOnlyList<Violation> Violations => (IReadOnlyList<Violation>?)violations ?? NoViolations;

        /// <summary>Dependent-service problems (keys AWSCONFIG, AWSWAF, AWSSHIELD_ADVANCED, AWSVPC).</summary>
        public IReadOnlyDictionary<string, string> IssueInfoMap => (IReadOnlyDictionary<string, string>?)issueInfoMap ?? NoIssues;

        /// <summary>Resources evaluated (in scope) in this account.</summary>
        public int ResourcesEvaluated { get; internal set; }

        public bool IsCompliant => violations is null || violations.Count == 0;

        internal void Add(Violation violation) => (violations ??= new List<Violation>()).Add(violation);

        internal void SetIssue(string dependentService, string message)
            => (issueInfoMap ??= new Dictionary<string, string>(StringComparer.Ordinal))[dependentService] = message;

        /// <summary>A fresh copy of <see cref="IssueInfoMap"/> for a wire answer.</summary>
        internal Dictionary<string, string> CopyIssueInfoMap()
            => issueInfoMap is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(issueInfoMap, StringComparer.Ordinal);

        /// <summary>Trims the violation list to its size once the account is evaluated (it is kept for the cache's lifetime).</summary>
        internal void Seal() => violations?.TrimExcess();
    }

    /// <summary>
    /// The result of evaluating one policy against the world in one region: the in-scope accounts and, per account, the
    /// violators. Immutable once returned (it is cached and shared); the To* methods build fresh wire objects.
    /// </summary>
    public sealed class PolicyEvaluation
    {
        /// <summary>FMS reports at most this many violators per account in GetComplianceDetail.</summary>
        public const int MaxViolatorsPerAccount = 100;

        // The accounts sorted by id, for GetAccount: a third of a dictionary's memory, and an evaluation is cached per policy.
        private readonly AccountCompliance[] byAccountId;

        // Null when the evaluation was cached without its in-scope resources (see PolicyEvaluator.RetainInScopeResources):
        // they are then recomputed from the world and resource sets below, on the rare read.
        private readonly List<WorldResource>? inScopeResources;
        private readonly Sandbox.World.World world;
        private readonly ResourceSetResolver? resourceSets;

        internal PolicyEvaluation(Policy policy, string region, Sandbox.World.World world, DateTime evaluatedAt, List<AccountCompliance> accounts,
            List<WorldResource>? inScopeResources, ResourceSetResolver? resourceSets)
        {
            Policy = policy;
            Region = region;
            this.world = world;
            WorldVersion = world.Version;
            EvaluatedAt = evaluatedAt;
            Accounts = accounts;
            this.inScopeResources = inScopeResources;
            this.resourceSets = resourceSets;
            byAccountId = accounts.ToArray();
            Array.Sort(byAccountId, (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        }

        public Policy Policy { get; }
        public string Region { get; }
        public long WorldVersion { get; }
        public DateTime EvaluatedAt { get; }

        /// <summary>Every in-scope account (compliant ones included), in organization order.</summary>
        public IReadOnlyList<AccountCompliance> Accounts { get; }

        /// <summary>
        /// Every in-scope resource of the policy's resource types (for discovery and protection status). An evaluation cached
        /// without them recomputes them with an uncached evaluation of the same policy, region, time and resource sets; that is
        /// the same list while the world is at <see cref="WorldVersion"/>, and an error once the world has changed.
        /// </summary>
        /// <exception cref="System.InvalidOperationException">The list was not kept and the world has changed since the evaluation.</exception>
        public IReadOnlyList<WorldResource> InScopeResources => inScopeResources ?? RecomputeInScopeResources();

        /// <summary>False when <see cref="InScopeResources"/> is recomputed on read (a cached evaluation that did not keep it).</summary>
        internal bool KeepsInScopeResources => inScopeResources != null;

        private IReadOnlyList<WorldResource> RecomputeInScopeResources()
        {
            if (world.Version != WorldVersion)
                throw new System.InvalidOperationException("The in-scope resources of policy " + Policy.PolicyId + " in " + Region
                    + " were not kept with its cached evaluation, and the world has changed since: evaluate the policy again.");
            return PolicyEvaluator.EvaluateUncached(world, Policy, Region, EvaluatedAt, resourceSets).InScopeResources;
        }

        public IEnumerable<Violation> AllViolations => Accounts.SelectMany(a => a.Violations);

        public bool IsCompliant => Accounts.All(a => a.IsCompliant);

        /// <summary>The account's result, or null when the account is not in the policy's scope.</summary>
        public AccountCompliance? GetAccount(string accountId) =>
            accountId is null ? null : FindAccount(accountId);

        private AccountCompliance? FindAccount(string accountId)
        {
            int low = 0, high = byAccountId.Length - 1;
            while (low <= high)
            {
                var middle = low + ((high - low) >> 1);
                var order = string.CompareOrdinal(byAccountId[middle].AccountId, accountId);
                if (order == 0) return byAccountId[middle];
                if (order < 0) low = middle + 1;
                else high = middle - 1;
            }
            return null;
        }

        /// <summary>ListComplianceStatus entry: a COMPLIANT item (ViolatorCount 0) always, plus a NON_COMPLIANT item with the
        /// violator count when there are violators, as the FMS CLI example shows.</summary>
        public PolicyComplianceStatus? ToComplianceStatus(string accountId, string policyOwner, DateTime lastUpdated)
        {
            var account = GetAccount(accountId);
            if (account == null) return null;
            var results = new List<EvaluationResult>
            {
                new EvaluationResult { ComplianceStatus = PolicyComplianceStatusTypeValues.Compliant, ViolatorCount = 0, EvaluationLimitExceeded = false },
            };
            if (!account.IsCompliant)
                results.Add(new EvaluationResult
                {
                    ComplianceStatus = PolicyComplianceStatusTypeValues.NonCompliant, ViolatorCount = account.Violations.Count,
                    EvaluationLimitExceeded = account.Violations.Count > MaxViolatorsPerAccount,
                });
            return new PolicyComplianceStatus
            {
                PolicyOwner = policyOwner,
                PolicyId = Policy.PolicyId,
                PolicyName = Policy.PolicyName,
                MemberAccount = accountId,
                EvaluationResults = results,
                LastUpdated = lastUpdated,
                IssueInfoMap = account.CopyIssueInfoMap(),
            };
        }

        /// <summary>One ListComplianceStatus entry per in-scope account.</summary>
        public List<PolicyComplianceStatus> ToComplianceStatuses(string policyOwner, DateTime lastUpdated) =>
            Accounts.Select(a => ToComplianceStatus(a.AccountId, policyOwner, lastUpdated)!).ToList();

        /// <summary>GetComplianceDetail: at most 100 violators, EvaluationLimitExceeded when there are more. For an account
        /// outside the scope the detail is empty (Violators [], IssueInfoMap {}).</summary>
        public PolicyComplianceDetail ToComplianceDetail(string accountId, string policyOwner, DateTime expiredAt)
        {
            var account = GetAccount(accountId);
            var violations = account?.Violations ?? new List<Violation>();
            return new PolicyComplianceDetail
            {
                PolicyOwner = policyOwner,
                PolicyId = Policy.PolicyId,
                MemberAccount = accountId,
                Violators = violations.Take(MaxViolatorsPerAccount).Select(v => v.ToWire()).ToList(),
                EvaluationLimitExceeded = violations.Count > MaxViolatorsPerAccount,
                ExpiredAt = expiredAt,
                IssueInfoMap = account == null ? new Dictionary<string, string>() : account.CopyIssueInfoMap(),
            };
        }

        /// <summary>The violations recorded for one resource (matched by violator id, or by ARN/EC2 id of the resource).</summary>
        public List<Violation> ViolationsFor(string accountId, string resourceId)
        {
            var account = GetAccount(accountId);
            if (account == null) return new List<Violation>();
            return account.Violations.Where(v => string.Equals(v.ResourceId, resourceId, StringComparison.Ordinal)
                || string.Equals(v.Resource.Arn, resourceId, StringComparison.Ordinal)
                || string.Equals(v.Resource.Id, resourceId, StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// GetViolationDetails for one resource: its tags, description and the per-type violation shapes (with
        /// PossibleRemediationActions where FMS offers them). Null when the account is out of scope or the resource is unknown.
        /// A compliant in-scope resource yields an empty ResourceViolations list.
        /// </summary>
        public ViolationDetail? GetViolationDetail(Sandbox.World.World world, string accountId, string resourceId, string? resourceType)
        {
            if (GetAccount(accountId) == null) return null;
            var violations = ViolationsFor(accountId, resourceId);
            var resource = violations.FirstOrDefault()?.Resource ?? world.FindByViolatorId(resourceId);
            if (resource == null) return null;
            return new ViolationDetail
            {
                PolicyId = Policy.PolicyId,
                MemberAccount = accountId,
                ResourceId = resourceId,
                ResourceType = resourceType ?? resource.ResourceType,
                ResourceViolations = violations.SelectMany(v => v.Details).ToList(),
                ResourceTags = (resource.Tags ?? new WorldTag[0]).Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                ResourceDescription = resource.Name ?? resource.Id,
            };
        }
    }
}
