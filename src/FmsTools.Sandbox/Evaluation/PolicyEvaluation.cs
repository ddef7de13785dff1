using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>One non-compliant resource for one reason, with the data GetViolationDetails reports about it.</summary>
    public sealed class Violation
    {
        internal Violation(WorldResource resource, string reason, string accountId)
        {
            Resource = resource;
            Reason = reason;
            AccountId = accountId;
            ResourceId = resource.ViolatorResourceId;
            ResourceType = resource.ResourceType;
        }

        public string AccountId { get; }

        /// <summary>The id FMS reports (EC2 id or ARN).</summary>
        public string ResourceId { get; }
        public string ResourceType { get; }

        /// <summary>A ViolationReason value.</summary>
        public string Reason { get; }
        public WorldResource Resource { get; }

        // Allocated on first use: most violations have neither, and a large organization holds hundreds of thousands.
        private Dictionary<string, string>? metadata;
        private List<ResourceViolation>? details;

        public Dictionary<string, string> Metadata => metadata ??= new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The per-type violation shapes of GetViolationDetails (may be empty where FMS has no shape for the reason).</summary>
        public List<ResourceViolation> Details => details ??= new List<ResourceViolation>();

        /// <summary>Forgets the details (a cached evaluation keeps only what compliance answers need).</summary>
        internal void DropDetails() => details = null;

        public ComplianceViolator ToWire() => new ComplianceViolator
        {
            ResourceId = ResourceId,
            ViolationReason = Reason,
            ResourceType = ResourceType,
            Metadata = metadata == null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(metadata, StringComparer.Ordinal),
        };

        public override string ToString() => AccountId + " " + ResourceId + " " + Reason;
    }

    /// <summary>One member account's result for one policy in one region.</summary>
    public sealed class AccountCompliance
    {
        internal AccountCompliance(string accountId)
        {
            AccountId = accountId;
        }

        public string AccountId { get; }
        public List<Violation> Violations { get; } = new List<Violation>();

        /// <summary>Dependent-service problems (keys AWSCONFIG, AWSWAF, AWSSHIELD_ADVANCED, AWSVPC).</summary>
        public Dictionary<string, string> IssueInfoMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Resources evaluated (in scope) in this account.</summary>
        public int ResourcesEvaluated { get; internal set; }

        public bool IsCompliant => Violations.Count == 0;
    }

    /// <summary>
    /// The result of evaluating one policy against the world in one region: the in-scope accounts and, per account, the
    /// violators. Immutable once returned (it is cached and shared); the To* methods build fresh wire objects.
    /// </summary>
    public sealed class PolicyEvaluation
    {
        /// <summary>FMS reports at most this many violators per account in GetComplianceDetail.</summary>
        public const int MaxViolatorsPerAccount = 100;

        private readonly Dictionary<string, AccountCompliance> byAccount;

        internal PolicyEvaluation(Policy policy, string region, long worldVersion, DateTime evaluatedAt, List<AccountCompliance> accounts, List<WorldResource> inScopeResources)
        {
            Policy = policy;
            Region = region;
            WorldVersion = worldVersion;
            EvaluatedAt = evaluatedAt;
            Accounts = accounts;
            InScopeResources = inScopeResources;
            byAccount = accounts.ToDictionary(a => a.AccountId, StringComparer.Ordinal);
        }

        public Policy Policy { get; }
        public string Region { get; }
        public long WorldVersion { get; }
        public DateTime EvaluatedAt { get; }

        /// <summary>Every in-scope account (compliant ones included), in organization order.</summary>
        public IReadOnlyList<AccountCompliance> Accounts { get; }

        /// <summary>Every in-scope resource of the policy's resource types (for discovery and protection status).</summary>
        public IReadOnlyList<WorldResource> InScopeResources { get; }

        public IEnumerable<Violation> AllViolations => Accounts.SelectMany(a => a.Violations);

        public bool IsCompliant => Accounts.All(a => a.IsCompliant);

        /// <summary>The account's result, or null when the account is not in the policy's scope.</summary>
        public AccountCompliance? GetAccount(string accountId) =>
            accountId != null && byAccount.TryGetValue(accountId, out var account) ? account : null;

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
                IssueInfoMap = new Dictionary<string, string>(account.IssueInfoMap, StringComparer.Ordinal),
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
                IssueInfoMap = account == null ? new Dictionary<string, string>() : new Dictionary<string, string>(account.IssueInfoMap, StringComparer.Ordinal),
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
