using System.Management.Automation;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
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
        public SwitchParameter RevertManualSecurityGroupChanges { get => new SwitchParameter(RevertManualSecurityGroupChangesFlag); set => RevertManualSecurityGroupChangesFlag = value.IsPresent; }

        /// <summary>-RevertManualSecurityGroupChanges as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool RevertManualSecurityGroupChangesFlag { get; set; }

        /// <summary>Remove other security groups from in-scope resources, leaving only the replica.</summary>
        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter ExclusiveResourceSecurityGroupManagement { get => new SwitchParameter(ExclusiveResourceSecurityGroupManagementFlag); set => ExclusiveResourceSecurityGroupManagementFlag = value.IsPresent; }

        /// <summary>-ExclusiveResourceSecurityGroupManagement as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ExclusiveResourceSecurityGroupManagementFlag { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter ApplyToAllEc2InstanceEnis { get => new SwitchParameter(ApplyToAllEc2InstanceEnisFlag); set => ApplyToAllEc2InstanceEnisFlag = value.IsPresent; }

        /// <summary>-ApplyToAllEc2InstanceEnis as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ApplyToAllEc2InstanceEnisFlag { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter IncludeSharedVpc { get => new SwitchParameter(IncludeSharedVpcFlag); set => IncludeSharedVpcFlag = value.IsPresent; }

        /// <summary>-IncludeSharedVpc as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool IncludeSharedVpcFlag { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter EnableSecurityGroupReferencesDistribution { get => new SwitchParameter(EnableSecurityGroupReferencesDistributionFlag); set => EnableSecurityGroupReferencesDistributionFlag = value.IsPresent; }

        /// <summary>-EnableSecurityGroupReferencesDistribution as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool EnableSecurityGroupReferencesDistributionFlag { get; set; }

        [Parameter(ParameterSetName = CommonSet)]
        public SwitchParameter EnableTagDistribution { get => new SwitchParameter(EnableTagDistributionFlag); set => EnableTagDistributionFlag = value.IsPresent; }

        /// <summary>-EnableTagDistribution as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool EnableTagDistributionFlag { get; set; }

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
        public SwitchParameter UsageAudit { get => new SwitchParameter(UsageAuditFlag); set => UsageAuditFlag = value.IsPresent; }

        /// <summary>-UsageAudit as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool UsageAuditFlag { get; set; }

        [Parameter(ParameterSetName = UsageAuditSet)]
        public SwitchParameter DeleteUnusedSecurityGroup { get => new SwitchParameter(DeleteUnusedSecurityGroupFlag); set => DeleteUnusedSecurityGroupFlag = value.IsPresent; }

        /// <summary>-DeleteUnusedSecurityGroup as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool DeleteUnusedSecurityGroupFlag { get; set; }

        [Parameter(ParameterSetName = UsageAuditSet)]
        public SwitchParameter CoalesceRedundantSecurityGroup { get => new SwitchParameter(CoalesceRedundantSecurityGroupFlag); set => CoalesceRedundantSecurityGroupFlag = value.IsPresent; }

        /// <summary>-CoalesceRedundantSecurityGroup as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool CoalesceRedundantSecurityGroupFlag { get; set; }

        /// <summary>Minutes a group must be unused before it counts as unused (0–525,600).</summary>
        [Parameter(ParameterSetName = UsageAuditSet)]
        public int? UnusedDelayMinutes { get; set; }

        protected override string[] DefaultResourceTypes(PolicySettings settings)
            => settings is SecurityGroupsContentAuditSettings ? new[] { FmsResourceTypes.SecurityGroup } : new[] { FmsResourceTypes.Instance };

        protected override PolicySettings CreateSettings()
        {
            if (UsageAuditFlag)
            {
                return new SecurityGroupsUsageAuditSettings
                {
                    DeleteUnusedSecurityGroups = DeleteUnusedSecurityGroupFlag,
                    CoalesceRedundantSecurityGroups = CoalesceRedundantSecurityGroupFlag,
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
                RevertManualSecurityGroupChanges = RevertManualSecurityGroupChangesFlag,
                ExclusiveResourceSecurityGroupManagement = ExclusiveResourceSecurityGroupManagementFlag,
                ApplyToAllEc2InstanceEnis = ApplyToAllEc2InstanceEnisFlag ? true : (bool?)null,
                IncludeSharedVpc = IncludeSharedVpcFlag ? true : (bool?)null,
                EnableSecurityGroupReferencesDistribution = EnableSecurityGroupReferencesDistributionFlag ? true : (bool?)null,
                EnableTagDistribution = EnableTagDistributionFlag ? true : (bool?)null,
            };
            common.SecurityGroups.Add(new SecurityGroupReference(SecurityGroupId ?? string.Empty));
            return common;
        }
    }
}
