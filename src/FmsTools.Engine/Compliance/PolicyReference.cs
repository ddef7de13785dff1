using FmsTools.Aws.Fms;

namespace FmsTools.Engine.Compliance
{
    /// <summary>What compliance queries need to know about a policy: from ListPolicies, no GetPolicy needed.</summary>
    public sealed class PolicyReference
    {
        /// <summary>The resource type of policies that exist only in us-east-1 ("Global").</summary>
        public const string CloudFrontResourceType = "AWS::CloudFront::Distribution";

        /// <summary>The region global (CloudFront) policies live in.</summary>
        public const string GlobalPolicyRegion = "us-east-1";

        public PolicyReference(string policyId, string policyName, string policyType, string region, string resourceType = "",
            bool remediationEnabled = false, string policyArn = "", string policyStatus = "")
        {
            PolicyId = policyId ?? throw new ArgumentNullException(nameof(policyId));
            PolicyName = policyName ?? "";
            PolicyType = policyType ?? "";
            Region = region ?? throw new ArgumentNullException(nameof(region));
            ResourceType = resourceType ?? "";
            RemediationEnabled = remediationEnabled;
            PolicyArn = policyArn ?? "";
            PolicyStatus = policyStatus ?? "";
        }

        public string PolicyId { get; }
        public string PolicyName { get; }

        /// <summary>SecurityServiceType, e.g. WAFV2.</summary>
        public string PolicyType { get; }

        /// <summary>The region whose FMS endpoint holds the policy.</summary>
        public string Region { get; }

        public string ResourceType { get; }
        public bool RemediationEnabled { get; }
        public string PolicyArn { get; }
        public string PolicyStatus { get; }

        /// <summary>CloudFront policies are global: they live only in us-east-1 and must be counted once.</summary>
        public bool IsGlobal => string.Equals(ResourceType, CloudFrontResourceType, StringComparison.Ordinal);

        public static PolicyReference FromSummary(PolicySummary summary, string region)
        {
            if (summary == null) throw new ArgumentNullException(nameof(summary));
            return new PolicyReference(summary.PolicyId ?? "", summary.PolicyName ?? "", summary.SecurityServiceType ?? "", region,
                summary.ResourceType ?? "", summary.RemediationEnabled == true, summary.PolicyArn ?? "", summary.PolicyStatus ?? "");
        }

        public override string ToString() => $"{PolicyName} ({PolicyId}, {PolicyType}, {Region})";
    }
}
