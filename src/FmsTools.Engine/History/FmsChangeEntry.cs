using System.Text.Json.Serialization;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.History
{
    /// <summary>The operations the change journal records (one entry per state-changing call).</summary>
    public static class ChangeOperations
    {
        public const string CreatePolicy = "CreatePolicy";
        public const string UpdatePolicy = "UpdatePolicy";
        public const string DeletePolicy = "DeletePolicy";
        public const string Restore = "Restore";

        public const string CreateAppsList = "CreateAppsList";
        public const string UpdateAppsList = "UpdateAppsList";
        public const string DeleteAppsList = "DeleteAppsList";

        public const string CreateProtocolsList = "CreateProtocolsList";
        public const string UpdateProtocolsList = "UpdateProtocolsList";
        public const string DeleteProtocolsList = "DeleteProtocolsList";

        public const string CreateResourceSet = "CreateResourceSet";
        public const string UpdateResourceSet = "UpdateResourceSet";
        public const string DeleteResourceSet = "DeleteResourceSet";
        public const string AssociateResources = "AssociateResources";
        public const string DisassociateResources = "DisassociateResources";

        public const string SetNotificationChannel = "SetNotificationChannel";
        public const string DeleteNotificationChannel = "DeleteNotificationChannel";

        /// <summary>AssociateAdminAccount: makes an account the default administrator.</summary>
        public const string AssociateAdminAccount = "AssociateAdminAccount";

        /// <summary>PutAdminAccount: creates or changes a scoped administrator.</summary>
        public const string PutAdminAccount = "PutAdminAccount";

        /// <summary>DisassociateAdminAccount: removes the default administrator.</summary>
        public const string DisassociateAdminAccount = "DisassociateAdminAccount";

        public const string TagResource = "TagResource";
        public const string UntagResource = "UntagResource";

        // EC2 changes remediation makes in member accounts (one entry per call, undo calls included).
        public const string CreateRoute = "CreateRoute";
        public const string ReplaceRoute = "ReplaceRoute";
        public const string DeleteRoute = "DeleteRoute";
        public const string CreateRouteTable = "CreateRouteTable";
        public const string DeleteRouteTable = "DeleteRouteTable";
        public const string ReplaceRouteTableAssociation = "ReplaceRouteTableAssociation";
        public const string AssociateRouteTable = "AssociateRouteTable";
        public const string DisassociateRouteTable = "DisassociateRouteTable";
        public const string CreateNetworkAcl = "CreateNetworkAcl";
        public const string DeleteNetworkAcl = "DeleteNetworkAcl";
        public const string CreateNetworkAclEntry = "CreateNetworkAclEntry";
        public const string DeleteNetworkAclEntry = "DeleteNetworkAclEntry";
        public const string ReplaceNetworkAclAssociation = "ReplaceNetworkAclAssociation";

        /// <summary>Every operation, for parameter validation and documentation.</summary>
        public static readonly string[] All =
        {
            CreatePolicy, UpdatePolicy, DeletePolicy, Restore,
            CreateAppsList, UpdateAppsList, DeleteAppsList,
            CreateProtocolsList, UpdateProtocolsList, DeleteProtocolsList,
            CreateResourceSet, UpdateResourceSet, DeleteResourceSet, AssociateResources, DisassociateResources,
            SetNotificationChannel, DeleteNotificationChannel,
            AssociateAdminAccount, PutAdminAccount, DisassociateAdminAccount,
            TagResource, UntagResource,
            CreateRoute, ReplaceRoute, DeleteRoute, CreateRouteTable, DeleteRouteTable, ReplaceRouteTableAssociation, AssociateRouteTable, DisassociateRouteTable, CreateNetworkAcl, DeleteNetworkAcl, CreateNetworkAclEntry, DeleteNetworkAclEntry, ReplaceNetworkAclAssociation,
        };
    }

    /// <summary>What a journal entry changed.</summary>
    public enum ChangeTargetType
    {
        /// <summary>A policy (the default: entries written before target types existed are policy entries).</summary>
        Policy,
        AppsList,
        ProtocolsList,
        ResourceSet,
        NotificationChannel,
        AdminAccount,

        /// <summary>The tags of a resource (a policy, list or resource set), identified by its ARN.</summary>
        Tags,

        /// <summary>An EC2 route table (routes, associations) in a member account, changed by remediation.</summary>
        Ec2RouteTable,

        /// <summary>An EC2 network ACL (entries, associations) in a member account, changed by remediation.</summary>
        Ec2NetworkAcl,
    }

    public enum ChangeOutcome
    {
        Succeeded,
        Failed,

        /// <summary>
        /// The request may have reached the service but no answer came back (connection lost, timeout, cancellation),
        /// so whether the change was applied is not known. FmsTools does not resend such a call.
        /// </summary>
        Unknown,
    }

    /// <summary>
    /// One recorded change: who changed what (target type, id and name) where, when, with what result, and the
    /// document before and after (null where there was none: before a create, after a delete). Policies are recorded
    /// as policy-as-code documents (fmstools.policy/v1); other targets as camelCase JSON of FmsTools' own objects.
    /// </summary>
    public sealed class FmsChangeEntry
    {
        private FmsPolicy? _before;
        private FmsPolicy? _after;
        private string? _targetId;
        private string? _targetName;

        public string Id { get; set; } = string.Empty;

        /// <summary>When the change was made, UTC.</summary>
        public DateTime Time { get; set; }

        public string? CallerArn { get; set; }

        /// <summary>The operation (see <see cref="ChangeOperations"/>), e.g. UpdatePolicy, DeleteAppsList, TagResource.</summary>
        public string Operation { get; set; } = string.Empty;

        /// <summary>What kind of object changed. Lines written before this property existed read as Policy.</summary>
        /// <remarks>The name of a <see cref="ChangeTargetType"/> value (ConvertTo-Json writes enums as numbers); the engine reads TargetTypeValue.</remarks>
        public string TargetType { get => TargetTypeValue.ToString(); set => TargetTypeValue = EnumName.Parse<ChangeTargetType>(value, nameof(TargetType)); }

        internal ChangeTargetType TargetTypeValue { get; set; }

        /// <summary>
        /// The id of what changed: policy id, list id, resource set id, SNS topic ARN, administrator account id, or the
        /// ARN of the tagged resource. For policy entries without it (older lines) the PolicyId.
        /// </summary>
        public string? TargetId
        {
            get => _targetId ?? (TargetTypeValue == ChangeTargetType.Policy ? PolicyId : null);
            set => _targetId = value;
        }

        /// <summary>The name of what changed, when it has one. For policy entries without it (older lines) the PolicyName.</summary>
        public string? TargetName
        {
            get => _targetName ?? (TargetTypeValue == ChangeTargetType.Policy ? PolicyName : null);
            set => _targetName = value;
        }

        /// <summary>Set on policy entries only.</summary>
        public string? PolicyId { get; set; }

        /// <summary>Set on policy entries only.</summary>
        public string? PolicyName { get; set; }

        /// <summary>Set on policy entries only.</summary>
        public string? PolicyType { get; set; }

        public string? Region { get; set; }

        /// <summary>The administrator account that made the change.</summary>
        public string? Account { get; set; }

        /// <summary>The document before the change.</summary>
        public string? BeforeDocument { get; set; }

        /// <summary>The document after the change; for a failed or unknown change, what was attempted.</summary>
        public string? AfterDocument { get; set; }

        /// <summary>The service request id (x-amzn-RequestId) of the call, when the service answered.</summary>
        public string? RequestId { get; set; }

        /// <remarks>The name of a <see cref="ChangeOutcome"/> value (ConvertTo-Json writes enums as numbers); the engine reads OutcomeValue.</remarks>
        public string Outcome { get => OutcomeValue.ToString(); set => OutcomeValue = EnumName.Parse<ChangeOutcome>(value, nameof(Outcome)); }

        internal ChangeOutcome OutcomeValue { get; set; }

        /// <summary>The error code and message of a failed (or unknown) change, or the items a batch call could not apply.</summary>
        public string? Error { get; set; }

        /// <summary>
        /// The position of this entry among the recorded versions of its policy (1 = oldest), set when history is read;
        /// 0 for entries that left no version (failures, non-policy targets).
        /// </summary>
        [JsonIgnore]
        public int Version { get; set; }

        /// <summary>The policy before the change, ready for Compare-FmsPolicy -ReferencePolicy (policy entries only).</summary>
        [JsonIgnore]
        public FmsPolicy? Before => _before ??= Parse(BeforeDocument);

        /// <summary>The policy after the change, ready for Compare-FmsPolicy -DifferencePolicy (policy entries only).</summary>
        [JsonIgnore]
        public FmsPolicy? After => _after ??= Parse(AfterDocument);

        /// <summary>
        /// The policy document this entry stands for when restoring to it: what the change left behind, or for a delete the
        /// policy as it was when deleted. Null for failures, unknown outcomes and non-policy targets.
        /// </summary>
        [JsonIgnore]
        public string? RecordedDocument => OutcomeValue != ChangeOutcome.Succeeded || TargetTypeValue != ChangeTargetType.Policy ? null : AfterDocument ?? BeforeDocument;

        public override string ToString() => $"{Time:u} {Operation} {TargetType} {TargetName ?? TargetId} ({TargetId}) {Outcome}";

        private FmsPolicy? Parse(string? document)
        {
            if (string.IsNullOrEmpty(document) || TargetTypeValue != ChangeTargetType.Policy) return null;
            var result = PolicyDocumentSerializer.Read("journal entry " + Id, document!);
            if (!result.Success) return null;
            var policy = result.Policy!;
            policy.Region ??= Region;
            return policy;
        }
    }
}
