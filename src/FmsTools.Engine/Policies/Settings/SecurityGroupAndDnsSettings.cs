using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>{"id": "sg-..."}: a security group the policy replicates or audits against.</summary>
    public sealed class SecurityGroupReference : JsonBackedObject
    {
        public SecurityGroupReference()
        {
        }

        public SecurityGroupReference(string id)
        {
            Id = id;
        }

        public string? Id { get; set; }

        internal override void MapFields(JsonFieldMap fields) => Id = fields.String("id", Id);
    }

    /// <summary>Common security group policy: one primary group replicated into every in-scope VPC.</summary>
    public sealed class SecurityGroupsCommonSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.SecurityGroupsCommon;

        public List<SecurityGroupReference> SecurityGroups { get; set; } = new List<SecurityGroupReference>();

        public bool? RevertManualSecurityGroupChanges { get; set; }

        public bool? ExclusiveResourceSecurityGroupManagement { get; set; }

        public bool? ApplyToAllEc2InstanceEnis { get; set; }

        public bool? IncludeSharedVpc { get; set; }

        public bool? EnableSecurityGroupReferencesDistribution { get; set; }

        /// <summary>Distribute the primary group's tags to replicas; needs RevertManualSecurityGroupChanges.</summary>
        public bool? EnableTagDistribution { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            SecurityGroups = fields.Objects("securityGroups", SecurityGroups, writeEmpty: true);
            RevertManualSecurityGroupChanges = fields.Bool("revertManualSecurityGroupChanges", RevertManualSecurityGroupChanges);
            ExclusiveResourceSecurityGroupManagement = fields.Bool("exclusiveResourceSecurityGroupManagement", ExclusiveResourceSecurityGroupManagement);
            ApplyToAllEc2InstanceEnis = fields.Bool("applyToAllEC2InstanceENIs", ApplyToAllEc2InstanceEnis);
            IncludeSharedVpc = fields.Bool("includeSharedVPC", IncludeSharedVpc);
            EnableSecurityGroupReferencesDistribution = fields.Bool("enableSecurityGroupReferencesDistribution", EnableSecurityGroupReferencesDistribution);
            EnableTagDistribution = fields.Bool("enableTagDistribution", EnableTagDistribution);
        }
    }

    /// <summary>Values for security group policies.</summary>
    public static class SecurityGroupValues
    {
        public const string Allow = "ALLOW";
        public const string Deny = "DENY";
        public const int MaxUnusedDelayMinutes = 525600;

        public static readonly IReadOnlyList<string> ContentAuditActions = new[] { Allow, Deny };
    }

    /// <summary>Content audit policy: in-scope rules must stay within (ALLOW) or outside (DENY) the audit group.</summary>
    public sealed class SecurityGroupsContentAuditSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.SecurityGroupsContentAudit;

        public List<SecurityGroupReference> SecurityGroups { get; set; } = new List<SecurityGroupReference>();

        /// <summary>{"type": "ALLOW" | "DENY"}.</summary>
        public PolicyAction? SecurityGroupAction { get; set; }

        /// <summary>Managed audit options JSON, e.g. [{"denyProtocolAllValue":true},{"auditSgDirection":{"type":"ALL"}}].</summary>
        public JsonNode? PreManagedOptions { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            PreManagedOptions = fields.Node("preManagedOptions", PreManagedOptions);
            SecurityGroups = fields.Objects("securityGroups", SecurityGroups);
            SecurityGroupAction = fields.Object("securityGroupAction", SecurityGroupAction);
        }
    }

    /// <summary>Usage audit policy: remove unused and merge redundant security groups.</summary>
    public sealed class SecurityGroupsUsageAuditSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.SecurityGroupsUsageAudit;

        public bool? DeleteUnusedSecurityGroups { get; set; }

        public bool? CoalesceRedundantSecurityGroups { get; set; }

        /// <summary>Minutes a group must be unused before it counts as unused, 0–525,600.</summary>
        public int? OptionalDelayForUnusedInMinutes { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            DeleteUnusedSecurityGroups = fields.Bool("deleteUnusedSecurityGroups", DeleteUnusedSecurityGroups);
            CoalesceRedundantSecurityGroups = fields.Bool("coalesceRedundantSecurityGroups", CoalesceRedundantSecurityGroups);
            OptionalDelayForUnusedInMinutes = fields.Int("optionalDelayForUnusedInMinutes", OptionalDelayForUnusedInMinutes);
        }
    }

    /// <summary>Route 53 Resolver DNS Firewall policy: rule groups FMS associates first and last with every VPC.</summary>
    public sealed class DnsFirewallSettings : PolicySettings
    {
        public const int PreProcessMinPriority = 1;
        public const int PreProcessMaxPriority = 99;
        public const int PostProcessMinPriority = 9901;
        public const int PostProcessMaxPriority = 10000;

        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.DnsFirewall;

        public List<DnsFirewallRuleGroup> PreProcessRuleGroups { get; set; } = new List<DnsFirewallRuleGroup>();

        public List<DnsFirewallRuleGroup> PostProcessRuleGroups { get; set; } = new List<DnsFirewallRuleGroup>();

        internal override void MapSettings(JsonFieldMap fields)
        {
            PreProcessRuleGroups = fields.Objects("preProcessRuleGroups", PreProcessRuleGroups, writeEmpty: true);
            PostProcessRuleGroups = fields.Objects("postProcessRuleGroups", PostProcessRuleGroups, writeEmpty: true);
        }
    }

    public sealed class DnsFirewallRuleGroup : JsonBackedObject
    {
        public DnsFirewallRuleGroup()
        {
        }

        public DnsFirewallRuleGroup(string ruleGroupId, int priority)
        {
            RuleGroupId = ruleGroupId;
            Priority = priority;
        }

        /// <summary>A Route 53 Resolver firewall rule group id, e.g. rslvr-frg-1.</summary>
        public string? RuleGroupId { get; set; }

        /// <summary>1–99 before the VPC's own associations, 9901–10000 after.</summary>
        public int? Priority { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            RuleGroupId = fields.String("ruleGroupId", RuleGroupId);
            Priority = fields.Int("priority", Priority);
        }
    }
}
