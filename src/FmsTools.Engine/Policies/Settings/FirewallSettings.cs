using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>Values for Network Firewall, third-party firewall and network ACL policies.</summary>
    public static class FirewallValues
    {
        public const string Distributed = "DISTRIBUTED";
        public const string Centralized = "CENTRALIZED";
        public const string Pass = "aws:pass";
        public const string Drop = "aws:drop";
        public const string ForwardToStatefulEngine = "aws:forward_to_sfe";
        public const string StrictOrder = "STRICT_ORDER";
        public const string DefaultActionOrder = "DEFAULT_ACTION_ORDER";
        public const string DropToAlert = "DROP_TO_ALERT";
        public const string RouteManagementOff = "OFF";
        public const string RouteManagementMonitor = "MONITOR";
        public const string PaloAltoCloudNgfw = "PALO_ALTO_NETWORKS_CLOUD_NGFW";
        public const string FortigateCloudNativeFirewall = "FORTIGATE_CLOUD_NATIVE_FIREWALL";
        public const string AclAllow = "allow";
        public const string AclDeny = "deny";

        public static readonly IReadOnlyList<string> DeploymentModels = new[] { Centralized, Distributed };
        public static readonly IReadOnlyList<string> StatelessStandardActions = new[] { Pass, Drop, ForwardToStatefulEngine };
        public static readonly IReadOnlyList<string> StatefulRuleOrders = new[] { DefaultActionOrder, StrictOrder };
        public static readonly IReadOnlyList<string> StatefulOverrideActions = new[] { DropToAlert };
        public static readonly IReadOnlyList<string> RouteManagementActions = new[] { RouteManagementOff, RouteManagementMonitor };
        public static readonly IReadOnlyList<string> ThirdPartyFirewalls = new[] { PaloAltoCloudNgfw, FortigateCloudNativeFirewall };
        public static readonly IReadOnlyList<string> AclRuleActions = new[] { AclAllow, AclDeny };
    }

    /// <summary>The Network Firewall firewall policy FMS creates (or, for import policies, the imported one).</summary>
    public sealed class NetworkFirewallPolicyConfig : JsonBackedObject
    {
        public List<NetworkFirewallStatelessRuleGroupReference> StatelessRuleGroupReferences { get; set; } = new List<NetworkFirewallStatelessRuleGroupReference>();

        /// <summary>One standard action (aws:pass, aws:drop, aws:forward_to_sfe) plus optional custom action names.</summary>
        public List<string> StatelessDefaultActions { get; set; } = new List<string>();

        public List<string> StatelessFragmentDefaultActions { get; set; } = new List<string>();

        public List<NetworkFirewallCustomAction> StatelessCustomActions { get; set; } = new List<NetworkFirewallCustomAction>();

        public List<NetworkFirewallStatefulRuleGroupReference> StatefulRuleGroupReferences { get; set; } = new List<NetworkFirewallStatefulRuleGroupReference>();

        public NetworkFirewallStatefulEngineOptions? StatefulEngineOptions { get; set; }

        /// <summary>Strict-order default actions, e.g. aws:drop_strict, aws:alert_established.</summary>
        public List<string> StatefulDefaultActions { get; set; } = new List<string>();

        /// <summary>Network Firewall logging configuration JSON.</summary>
        public JsonNode? LoggingConfiguration { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            StatelessRuleGroupReferences = fields.Objects("networkFirewallStatelessRuleGroupReferences", StatelessRuleGroupReferences, writeEmpty: true);
            StatelessDefaultActions = fields.Strings("networkFirewallStatelessDefaultActions", StatelessDefaultActions, writeEmpty: true);
            StatelessFragmentDefaultActions = fields.Strings("networkFirewallStatelessFragmentDefaultActions", StatelessFragmentDefaultActions, writeEmpty: true);
            StatelessCustomActions = fields.Objects("networkFirewallStatelessCustomActions", StatelessCustomActions, writeEmpty: true);
            StatefulRuleGroupReferences = fields.Objects("networkFirewallStatefulRuleGroupReferences", StatefulRuleGroupReferences, writeEmpty: true);
            StatefulEngineOptions = fields.Object("networkFirewallStatefulEngineOptions", StatefulEngineOptions);
            StatefulDefaultActions = fields.Strings("networkFirewallStatefulDefaultActions", StatefulDefaultActions);
            LoggingConfiguration = fields.Node("networkFirewallLoggingConfiguration", LoggingConfiguration);
        }
    }

    public sealed class NetworkFirewallStatelessRuleGroupReference : JsonBackedObject
    {
        public string? ResourceArn { get; set; }

        /// <summary>1–65,535, unique within the policy; lower runs first.</summary>
        public int? Priority { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            ResourceArn = fields.String("resourceARN", ResourceArn);
            Priority = fields.Int("priority", Priority);
        }
    }

    public sealed class NetworkFirewallStatefulRuleGroupReference : JsonBackedObject
    {
        public string? ResourceArn { get; set; }

        /// <summary>Required with STRICT_ORDER rule order, not allowed otherwise.</summary>
        public int? Priority { get; set; }

        /// <summary>{"action": "DROP_TO_ALERT"} for managed threat signature groups.</summary>
        public NetworkFirewallStatefulRuleGroupOverride? Override { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            ResourceArn = fields.String("resourceARN", ResourceArn);
            Priority = fields.Int("priority", Priority);
            Override = fields.Object("override", Override);
        }
    }

    public sealed class NetworkFirewallStatefulRuleGroupOverride : JsonBackedObject
    {
        public string? Action { get; set; }

        internal override void MapFields(JsonFieldMap fields) => Action = fields.String("action", Action);
    }

    public sealed class NetworkFirewallCustomAction : JsonBackedObject
    {
        public string? ActionName { get; set; }

        /// <summary>Network Firewall ActionDefinition JSON (publishMetricAction).</summary>
        public JsonNode? ActionDefinition { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            ActionName = fields.String("actionName", ActionName);
            ActionDefinition = fields.Node("actionDefinition", ActionDefinition);
        }
    }

    public sealed class NetworkFirewallStatefulEngineOptions : JsonBackedObject
    {
        /// <summary>DEFAULT_ACTION_ORDER or STRICT_ORDER.</summary>
        public string? RuleOrder { get; set; }

        public string? StreamExceptionPolicy { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            RuleOrder = fields.String("ruleOrder", RuleOrder);
            StreamExceptionPolicy = fields.String("streamExceptionPolicy", StreamExceptionPolicy);
        }
    }

    /// <summary>Where FMS places firewall endpoints: {"endpointLocation": {"availabilityZoneConfigList": [...]}}.</summary>
    public sealed class FirewallCreationConfig : JsonBackedObject
    {
        public FirewallEndpointLocation? EndpointLocation { get; set; }

        internal override void MapFields(JsonFieldMap fields) => EndpointLocation = fields.Object("endpointLocation", EndpointLocation);
    }

    public sealed class FirewallEndpointLocation : JsonBackedObject
    {
        public List<AvailabilityZoneConfig> AvailabilityZoneConfigList { get; set; } = new List<AvailabilityZoneConfig>();

        internal override void MapFields(JsonFieldMap fields) => AvailabilityZoneConfigList = fields.Objects("availabilityZoneConfigList", AvailabilityZoneConfigList, writeEmpty: true);
    }

    /// <summary>One Availability Zone, by name or by id (not both).</summary>
    public sealed class AvailabilityZoneConfig : JsonBackedObject
    {
        public string? AvailabilityZoneId { get; set; }

        public string? AvailabilityZoneName { get; set; }

        public List<string> AllowedIpv4CidrList { get; set; } = new List<string>();

        /// <summary>A zone given as an id (use1-az1) goes in availabilityZoneId, anything else in availabilityZoneName (the validator checks its shape).</summary>
        public static AvailabilityZoneConfig FromNameOrId(string zone) =>
            zone != null && Diagnostics.ModelPatterns.AvailabilityZoneId.IsMatch(zone)
                ? new AvailabilityZoneConfig { AvailabilityZoneId = zone }
                : new AvailabilityZoneConfig { AvailabilityZoneName = zone };

        internal override void MapFields(JsonFieldMap fields)
        {
            AvailabilityZoneId = fields.String("availabilityZoneId", AvailabilityZoneId);
            AvailabilityZoneName = fields.String("availabilityZoneName", AvailabilityZoneName);
            AllowedIpv4CidrList = fields.Strings("allowedIPV4CidrList", AllowedIpv4CidrList);
        }
    }

    /// <summary>Distributed Network Firewall: endpoints in every in-scope VPC (networkFirewallOrchestrationConfig).</summary>
    public sealed class NetworkFirewallOrchestrationConfig : JsonBackedObject
    {
        public FirewallCreationConfig? FirewallCreationConfig { get; set; }

        public bool? SingleFirewallEndpointPerVpc { get; set; }

        public List<string> AllowedIpv4CidrList { get; set; } = new List<string>();

        /// <summary>OFF or MONITOR.</summary>
        public string? RouteManagementAction { get; set; }

        public List<string> RouteManagementTargetTypes { get; set; } = new List<string>();

        public JsonNode? RouteManagementConfig { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            FirewallCreationConfig = fields.Object("firewallCreationConfig", FirewallCreationConfig);
            SingleFirewallEndpointPerVpc = fields.Bool("singleFirewallEndpointPerVPC", SingleFirewallEndpointPerVpc);
            AllowedIpv4CidrList = fields.Strings("allowedIPV4CidrList", AllowedIpv4CidrList);
            RouteManagementAction = fields.String("routeManagementAction", RouteManagementAction);
            RouteManagementTargetTypes = fields.Strings("routeManagementTargetTypes", RouteManagementTargetTypes);
            RouteManagementConfig = fields.Node("routeManagementConfig", RouteManagementConfig);
        }
    }

    /// <summary>firewallDeploymentModel in ManagedServiceData: the centralized or distributed orchestration details.</summary>
    public sealed class FirewallDeploymentModelConfig : JsonBackedObject
    {
        public CentralizedFirewallDeploymentModel? Centralized { get; set; }

        public DistributedFirewallDeploymentModel? Distributed { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            Centralized = fields.Object("centralizedFirewallDeploymentModel", Centralized);
            Distributed = fields.Object("distributedFirewallDeploymentModel", Distributed);
        }
    }

    public sealed class CentralizedFirewallDeploymentModel : JsonBackedObject
    {
        public FirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        internal override void MapFields(JsonFieldMap fields) => OrchestrationConfig = fields.Object("centralizedFirewallOrchestrationConfig", OrchestrationConfig);
    }

    public sealed class DistributedFirewallDeploymentModel : JsonBackedObject
    {
        public FirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        internal override void MapFields(JsonFieldMap fields) => OrchestrationConfig = fields.Object("distributedFirewallOrchestrationConfig", OrchestrationConfig);
    }

    public sealed class FirewallOrchestrationConfig : JsonBackedObject
    {
        /// <summary>Inspection VPCs of the centralized model.</summary>
        public List<InspectionVpc> InspectionVpcIds { get; set; } = new List<InspectionVpc>();

        public FirewallCreationConfig? FirewallCreationConfig { get; set; }

        public List<string> AllowedIpv4CidrList { get; set; } = new List<string>();

        internal override void MapFields(JsonFieldMap fields)
        {
            InspectionVpcIds = fields.Objects("inspectionVpcIds", InspectionVpcIds);
            FirewallCreationConfig = fields.Object("firewallCreationConfig", FirewallCreationConfig);
            AllowedIpv4CidrList = fields.Strings("allowedIPV4CidrList", AllowedIpv4CidrList);
        }
    }

    public sealed class InspectionVpc : JsonBackedObject
    {
        public string? ResourceId { get; set; }

        public string? AccountId { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            ResourceId = fields.String("resourceId", ResourceId);
            AccountId = fields.String("accountId", AccountId);
        }
    }

    /// <summary>Helpers shared by the policy types that carry a PolicyOption.</summary>
    internal static class PolicyOptionJson
    {
        /// <summary>Reads one PolicyOption section, reporting sections that do not belong to this policy type.</summary>
        public static JsonFieldReader? Section(JsonFieldReader? option, string sectionKey, string typeName)
        {
            if (option == null) return null;
            var section = option.RawObject(sectionKey);
            foreach (var other in option.UnreadKeys())
            {
                option.Issues.Add(new PolicyParseIssue(PolicyJson.Join(option.Path, other),
                    "does not apply to " + typeName + " policies; only " + sectionKey + " does, so this would be dropped."));
            }
            return section == null ? null : new JsonFieldReader(section, PolicyJson.Join(option.Path, sectionKey), option.Issues);
        }

        /// <summary>Reports keys a PolicyOption section does not have: the wire type has nowhere to keep them.</summary>
        public static void RejectUnread(JsonFieldReader reader)
        {
            foreach (var key in reader.UnreadKeys())
            {
                reader.Issues.Add(new PolicyParseIssue(PolicyJson.Join(reader.Path, key), "is not a PolicyOption field; it would be dropped."));
            }
        }

        public static string? DeploymentModel(JsonFieldReader? option, string sectionKey, string typeName)
        {
            var section = Section(option, sectionKey, typeName);
            if (section == null) return null;
            var model = section.String("firewallDeploymentModel");
            RejectUnread(section);
            return model;
        }

        public static JsonObject? DeploymentModelJson(string sectionKey, string? model) =>
            model == null ? null : new JsonObject { [sectionKey] = new JsonObject { ["firewallDeploymentModel"] = model } };
    }

    /// <summary>
    /// AWS Network Firewall policy. Distributed (the default, PolicyOption absent) puts the firewall policy at the
    /// top level with networkFirewallOrchestrationConfig; centralized (PolicyOption CENTRALIZED) wraps it in
    /// awsNetworkFirewallConfig and adds firewallDeploymentModel, as in the model's examples.
    /// </summary>
    public sealed class NetworkFirewallSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.NetworkFirewall;

        /// <summary>PolicyOption.NetworkFirewallPolicy.FirewallDeploymentModel: CENTRALIZED, DISTRIBUTED or null (distributed).</summary>
        public string? DeploymentModel { get; set; }

        public NetworkFirewallPolicyConfig FirewallPolicy { get; set; } = new NetworkFirewallPolicyConfig();

        public NetworkFirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        public FirewallDeploymentModelConfig? FirewallDeploymentModel { get; set; }

        /// <summary>True when the centralized model is in use.</summary>
        public bool IsCentralized => string.Equals(DeploymentModel, FirewallValues.Centralized, System.StringComparison.Ordinal);

        internal override void MapSettings(JsonFieldMap fields)
        {
            // Centralized (or read wrapped): the firewall policy under awsNetworkFirewallConfig; distributed: its fields at the top level.
            var wrapped = fields.Reader != null ? fields.Reader.Has("awsNetworkFirewallConfig") : IsCentralized;
            if (wrapped)
            {
                FirewallPolicy = fields.Object("awsNetworkFirewallConfig", FirewallPolicy) ?? new NetworkFirewallPolicyConfig();
            }
            else
            {
                if (fields.Reader != null) FirewallPolicy = new NetworkFirewallPolicyConfig();
                FirewallPolicy.MapFields(fields);
                if (fields.Writer != null)
                {
                    foreach (var pair in FirewallPolicy.AdditionalFields)
                    {
                        if (!fields.Writer.Json.ContainsKey(pair.Key)) fields.Writer.Json[pair.Key] = pair.Value?.DeepClone();
                    }
                }
            }
            OrchestrationConfig = fields.Object("networkFirewallOrchestrationConfig", OrchestrationConfig);
            FirewallDeploymentModel = fields.Object("firewallDeploymentModel", FirewallDeploymentModel);
        }

        public override JsonObject? ToPolicyOptionJson() => PolicyOptionJson.DeploymentModelJson("networkFirewallPolicy", DeploymentModel);

        internal override void ReadPolicyOption(JsonFieldReader? reader) =>
            DeploymentModel = PolicyOptionJson.DeploymentModel(reader, "networkFirewallPolicy", TypeName);
    }

    /// <summary>Import policy: FMS adopts an existing Network Firewall firewall policy; needs resource sets.</summary>
    public sealed class ImportNetworkFirewallSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.ImportNetworkFirewall;

        public NetworkFirewallPolicyConfig FirewallPolicy { get; set; } = new NetworkFirewallPolicyConfig();

        internal override void MapSettings(JsonFieldMap fields) =>
            FirewallPolicy = fields.Object("awsNetworkFirewallConfig", FirewallPolicy) ?? new NetworkFirewallPolicyConfig();
    }

    /// <summary>Third-party firewall policy (Palo Alto Cloud NGFW or Fortigate CNF).</summary>
    public sealed class ThirdPartyFirewallSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.ThirdPartyFirewall;

        /// <summary>PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.</summary>
        public string? ThirdPartyFirewall { get; set; }

        /// <summary>The vendor's firewall policies to apply (thirdPartyFirewallConfig.thirdPartyFirewallPolicyList).</summary>
        public ThirdPartyFirewallConfig? FirewallConfig { get; set; }

        public FirewallDeploymentModelConfig? FirewallDeploymentModel { get; set; }

        /// <summary>PolicyOption.ThirdPartyFirewallPolicy.FirewallDeploymentModel: CENTRALIZED or DISTRIBUTED.</summary>
        public string? DeploymentModel { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            ThirdPartyFirewall = fields.String("thirdPartyFirewall", ThirdPartyFirewall);
            FirewallConfig = fields.Object("thirdPartyFirewallConfig", FirewallConfig);
            FirewallDeploymentModel = fields.Object("firewallDeploymentModel", FirewallDeploymentModel);
        }

        public override JsonObject? ToPolicyOptionJson() => PolicyOptionJson.DeploymentModelJson("thirdPartyFirewallPolicy", DeploymentModel);

        internal override void ReadPolicyOption(JsonFieldReader? reader) =>
            DeploymentModel = PolicyOptionJson.DeploymentModel(reader, "thirdPartyFirewallPolicy", TypeName);
    }

    public sealed class ThirdPartyFirewallConfig : JsonBackedObject
    {
        public List<string> ThirdPartyFirewallPolicyList { get; set; } = new List<string>();

        internal override void MapFields(JsonFieldMap fields) => ThirdPartyFirewallPolicyList = fields.Strings("thirdPartyFirewallPolicyList", ThirdPartyFirewallPolicyList, writeEmpty: true);
    }
}
