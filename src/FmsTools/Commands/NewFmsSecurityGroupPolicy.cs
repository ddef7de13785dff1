using System.Text.Json.Nodes;
using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>
    /// Creates a security group policy: Common (replicate a primary group), ContentAudit (rules must stay within or
    /// outside an audit group) or UsageAudit (remove unused and merge redundant groups).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FmsSecurityGroupPolicy", SupportsShouldProcess = true, DefaultParameterSetName = CommonSet)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsSecurityGroupPolicy : FmsPolicyBuilderCmdlet
    {
        private const string CommonSet = "Common";
        private const string ContentAuditSet = "ContentAudit";
        private const string UsageAuditSet = "UsageAudit";

        /// <summary>The primary security group FMS replicates into every in-scope VPC.</summary>
        [Parameter(ParameterSetName = CommonSet, Mandatory = true)]
        [Alias("PrimarySecurityGroupId")]
        public string? SecurityGroupId { get; set; }

        /// <summary>Revert changes made to the replicas in member accounts.</summary>
        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter RevertManualSecurityGroupChanges { get; set; }

        /// <summary>Remove other security groups from in-scope resources, leaving only the replica.</summary>
        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter ExclusiveResourceSecurityGroupManagement { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter ApplyToAllEc2InstanceEnis { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter IncludeSharedVpc { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter EnableSecurityGroupReferencesDistribution { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter EnableTagDistribution { get; set; }

        /// <summary>The audit security group in-scope rules are compared with.</summary>
        [Parameter(ParameterSetName = ContentAuditSet, Mandatory = true)]
        public string? AuditSecurityGroupId { get; set; }

        /// <summary>Allow: in-scope rules must be within the audit group's rules; Deny: they must not match them.</summary>
        [Parameter(ParameterSetName = ContentAuditSet)]
        [ValidateSet("Allow", "Deny")]
        public string AuditAction { get; set; } = "Allow";

        /// <summary>FMS-managed audit options (preManagedOptions JSON), e.g. @(@{ denyProtocolAllValue = $true }).</summary>
        [Parameter(ParameterSetName = ContentAuditSet)]
        [JsonInputTransformation(nameof(ManagedAuditOption))]
        public JsonNode? ManagedAuditOption { get; set; }

        /// <summary>Selects the usage audit policy.</summary>
        [Parameter(ParameterSetName = UsageAuditSet, Mandatory = true)]
        public SwitchParameter UsageAudit { get; set; }

        [Parameter(ParameterSetName = UsageAuditSet)]
        public SwitchParameter DeleteUnusedSecurityGroup { get; set; }

        [Parameter(ParameterSetName = UsageAuditSet)]
        public SwitchParameter CoalesceRedundantSecurityGroup { get; set; }

        /// <summary>Minutes a group must be unused before it counts as unused (0–525,600).</summary>
        [Parameter(ParameterSetName = UsageAuditSet)]
        public int? UnusedDelayMinutes { get; set; }

        protected override string[] DefaultResourceTypes(PolicySettings settings)
            => settings is SecurityGroupsContentAuditSettings ? new[] { FmsResourceTypes.SecurityGroup } : new[] { FmsResourceTypes.Instance };

        protected override PolicySettings CreateSettings()
        {
            if (UsageAudit.IsPresent)
            {
                return new SecurityGroupsUsageAuditSettings
                {
                    DeleteUnusedSecurityGroups = DeleteUnusedSecurityGroup.IsPresent,
                    CoalesceRedundantSecurityGroups = CoalesceRedundantSecurityGroup.IsPresent,
                    OptionalDelayForUnusedInMinutes = UnusedDelayMinutes,
                };
            }
            if (AuditSecurityGroupId != null)
            {
                var audit = new SecurityGroupsContentAuditSettings
                {
                    SecurityGroupAction = new PolicyAction(Wire(AuditAction)),
                    PreManagedOptions = ManagedAuditOption?.DeepClone(),
                };
                audit.SecurityGroups.Add(new SecurityGroupReference(AuditSecurityGroupId));
                return audit;
            }
            var common = new SecurityGroupsCommonSettings
            {
                RevertManualSecurityGroupChanges = RevertManualSecurityGroupChanges.IsPresent,
                ExclusiveResourceSecurityGroupManagement = ExclusiveResourceSecurityGroupManagement.IsPresent,
                ApplyToAllEc2InstanceEnis = ApplyToAllEc2InstanceEnis.IsPresent ? true : (bool?)null,
                IncludeSharedVpc = IncludeSharedVpc.IsPresent ? true : (bool?)null,
                EnableSecurityGroupReferencesDistribution = EnableSecurityGroupReferencesDistribution.IsPresent ? true : (bool?)null,
                EnableTagDistribution = EnableTagDistribution.IsPresent ? true : (bool?)null,
            };
            common.SecurityGroups.Add(new SecurityGroupReference(SecurityGroupId ?? string.Empty));
            return common;
        }
    }
}
