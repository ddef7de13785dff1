using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// IPolicyEngine over FmsTools.Sandbox.Evaluation's PolicyEvaluator: compliance and violation details come
    /// from its evaluations (cached per world version); resource sets resolve through the FMS store.
    /// </summary>
    internal sealed class EvaluationPolicyEngine : IPolicyEngine
    {
        /// <summary>How long a compliance detail stays current before clients should re-read it (ExpiredAt).</summary>
        private static readonly TimeSpan DetailLifetime = TimeSpan.FromMinutes(15);
        private readonly SandboxStore _store;
        // Cached evaluations keep what compliance answers need; GetViolationDetails evaluates its one account afresh, and only
        // Shield Advanced evaluations keep their in-scope resources (GetProtectionStatus).
        private readonly PolicyEvaluator _evaluator = new PolicyEvaluator { RetainViolationDetails = false, RetainInScopeResources = false };

        public EvaluationPolicyEngine(SandboxStore store) { _store = store; }

        private IEnumerable<string> ResolveResourceSet(string resourceSetId)
            => _store.ResourceSets.Find(resourceSetId)?.Resources.Select(r => r.URI!) ?? Enumerable.Empty<string>();

        private PolicyEvaluation Evaluate(World.World world, EnginePolicy policy, DateTime now)
            => _evaluator.Evaluate(world, policy.Policy, policy.Region, now, ResolveResourceSet);

        public IReadOnlyList<PolicyComplianceStatus> ComplianceStatus(World.World world, EnginePolicy policy, DateTime now)
        {
            var evaluation = Evaluate(world, policy, now);
            return Pagination.Projected(evaluation.Accounts, a => evaluation.ToComplianceStatus(a.AccountId, policy.OwnerAccountId, now)!);
        }

        public PolicyComplianceDetail? ComplianceDetail(World.World world, EnginePolicy policy, string memberAccount, DateTime now)
        {
            var evaluation = Evaluate(world, policy, now);
            return evaluation.ToComplianceDetail(memberAccount, policy.OwnerAccountId, now + DetailLifetime);
        }

        public ViolationDetail? ViolationDetails(World.World world, EnginePolicy policy, string memberAccount, string resourceId, string resourceType)
            => PolicyEvaluator.EvaluateAccount(world, policy.Policy, policy.Region, memberAccount, DateTime.UtcNow, ResolveResourceSet)
                .GetViolationDetail(world, memberAccount, resourceId, resourceType);

        /// <summary>
        /// Shield attack summaries for the policy's in-scope resources, in the JSON shape FMS documents for
        /// GetProtectionStatus Data: {"AttackSummaries":[{"AttackId","StartTime","EndTime","AttackVectors":[{"VectorType"}],"ResourceArn","AccountId"}]}.
        /// </summary>
        public string ProtectionStatus(World.World world, EnginePolicy policy, string? memberAccount, DateTime? startTime, DateTime? endTime)
        {
            var evaluation = Evaluate(world, policy, DateTime.UtcNow);
            var inScope = new HashSet<string>(evaluation.InScopeResources.Select(r => r.Arn), StringComparer.Ordinal);
            var attacks = world.ShieldAttacks
                .Where(a => inScope.Contains(a.ResourceArn))
                .Where(a => memberAccount is null || a.AccountId == memberAccount)
                .Where(a => startTime is null || (a.EndTime ?? DateTime.MaxValue) >= startTime)
                .Where(a => endTime is null || a.StartTime <= endTime)
                .OrderBy(a => a.StartTime)
                .Select(a => new
                {
                    AttackId = a.AttackId,
                    AccountId = a.AccountId,
                    ResourceArn = a.ResourceArn,
                    StartTime = ToEpochSeconds(a.StartTime),
                    EndTime = a.EndTime is DateTime end ? ToEpochSeconds(end) : (double?)null,
                    AttackVectors = a.AttackVectors.Select(v => new { VectorType = v }).ToList(),
                }).ToList();
            return JsonSerializer.Serialize(new { AttackSummaries = attacks });
        }

        private static double ToEpochSeconds(DateTime value) => Math.Round((value - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds, 3);

        public void Remediate(World.World world, EnginePolicy policy, IReadOnlyList<EnginePolicy> allPolicies, DateTime now)
            => PolicyRemediator.Remediate(world, policy.Policy, policy.Region, now, ResolveResourceSet);

        public void DeletePolicyResources(World.World world, EnginePolicy policy, bool deleteAllPolicyResources, DateTime now)
            => PolicyRemediator.CleanupDeletedPolicy(world, policy.Policy, policy.Region, deleteAllPolicyResources, now);
    }
}
