using System;
using System.Collections.Generic;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.Services
{
    /// <summary>A policy as the compliance engine sees it: the wire Policy plus who owns it and where.</summary>
    internal sealed class EnginePolicy
    {
        public EnginePolicy(Policy policy, string ownerAccountId, string region, DateTime updatedAt)
        {
            Policy = policy;
            OwnerAccountId = ownerAccountId;
            Region = region;
            UpdatedAt = updatedAt;
        }

        public Policy Policy { get; }
        public string OwnerAccountId { get; }
        public string Region { get; }
        public DateTime UpdatedAt { get; }
    }

    /// <summary>
    /// The seam between the FMS front end (this helper's code) and the policy-evaluation engine over the
    /// World (FmsTools.Sandbox.Evaluation). Every method runs under the store lock.
    /// </summary>
    internal interface IPolicyEngine
    {
        /// <summary>ListComplianceStatus: one entry per in-scope member account, built when read (a page reads 100 of them).</summary>
        IReadOnlyList<PolicyComplianceStatus> ComplianceStatus(World.World world, EnginePolicy policy, DateTime now);

        /// <summary>GetComplianceDetail for one member account; null when the account is not in scope.</summary>
        PolicyComplianceDetail? ComplianceDetail(World.World world, EnginePolicy policy, string memberAccount, DateTime now);

        /// <summary>GetViolationDetails for one resource; null when the resource is unknown.</summary>
        ViolationDetail? ViolationDetails(World.World world, EnginePolicy policy, string memberAccount, string resourceId, string resourceType);

        /// <summary>GetProtectionStatus data (a JSON string) for Shield Advanced policies.</summary>
        string ProtectionStatus(World.World world, EnginePolicy policy, string? memberAccount, DateTime? startTime, DateTime? endTime);

        /// <summary>Brings the World in line with a policy; what happens without RemediationEnabled is the engine's call.</summary>
        void Remediate(World.World world, EnginePolicy policy, IReadOnlyList<EnginePolicy> allPolicies, DateTime now);

        /// <summary>DeletePolicy clean-up; deleteAllPolicyResources false leaves protections in place.</summary>
        void DeletePolicyResources(World.World world, EnginePolicy policy, bool deleteAllPolicyResources, DateTime now);
    }
}
