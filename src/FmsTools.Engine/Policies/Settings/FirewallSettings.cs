using System.Collections.Generic;
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

        internal override void ReadFields(JsonFieldReader reader)
        {
            StatelessRuleGroupReferences = reader.ObjectList<NetworkFirewallStatelessRuleGroupReference>("networkFirewallStatelessRuleGroupReferences");
            StatelessDefaultActions = reader.StringList("networkFirewallStatelessDefaultActions");
            StatelessFragmentDefaultActions = reader.StringList("networkFirewallStatelessFragmentDefaultActions");
            StatelessCustomActions = reader.ObjectList<NetworkFirewallCustomAction>("networkFirewallStatelessCustomActions");
            StatefulRuleGroupReferences = reader.ObjectList<NetworkFirewallStatefulRuleGroupReference>("networkFirewallStatefulRuleGroupReferences");
            StatefulEngineOptions = reader.Object<NetworkFirewallStatefulEngineOptions>("networkFirewallStatefulEngineOptions");
            StatefulDefaultActions = reader.StringList("networkFirewallStatefulDefaultActions");
            LoggingConfiguration = reader.Node("networkFirewallLoggingConfiguration");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("networkFirewallStatelessRuleGroupReferences", StatelessRuleGroupReferences, writeEmpty: true);
            writer.Add("networkFirewallStatelessDefaultActions", StatelessDefaultActions, writeEmpty: true);
            writer.Add("networkFirewallStatelessFragmentDefaultActions", StatelessFragmentDefaultActions, writeEmpty: true);
            writer.Add("networkFirewallStatelessCustomActions", StatelessCustomActions, writeEmpty: true);
            writer.Add("networkFirewallStatefulRuleGroupReferences", StatefulRuleGroupReferences, writeEmpty: true);
            writer.Add("networkFirewallStatefulEngineOptions", StatefulEngineOptions);
            writer.Add("networkFirewallStatefulDefaultActions", StatefulDefaultActions);
            writer.Add("networkFirewallLoggingConfiguration", LoggingConfiguration);
        }
    }

    public sealed class NetworkFirewallStatelessRuleGroupReference : JsonBackedObject
    {
        public string? ResourceArn { get; set; }

        /// <summary>1–65,535, unique within the policy; lower runs first.</summary>
        public int? Priority { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            ResourceArn = reader.String("resourceARN");
            Priority = reader.Int("priority");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("resourceARN", ResourceArn);
            writer.Add("priority", Priority);
        }
    }

    public sealed class NetworkFirewallStatefulRuleGroupReference : JsonBackedObject
    {
        public string? ResourceArn { get; set; }

        /// <summary>Required with STRICT_ORDER rule order, not allowed otherwise.</summary>
        public int? Priority { get; set; }

        /// <summary>{"action": "DROP_TO_ALERT"} for managed threat signature groups.</summary>
        public NetworkFirewallStatefulRuleGroupOverride? Override { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            ResourceArn = reader.String("resourceARN");
            Priority = reader.Int("priority");
            Override = reader.Object<NetworkFirewallStatefulRuleGroupOverride>("override");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("resourceARN", ResourceArn);
            writer.Add("priority", Priority);
            writer.Add("override", Override);
        }
    }

    public sealed class NetworkFirewallStatefulRuleGroupOverride : JsonBackedObject
    {
        public string? Action { get; set; }

        internal override void ReadFields(JsonFieldReader reader) => Action = reader.String("action");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("action", Action);
    }

    public sealed class NetworkFirewallCustomAction : JsonBackedObject
    {
        public string? ActionName { get; set; }

        /// <summary>Network Firewall ActionDefinition JSON (publishMetricAction).</summary>
        public JsonNode? ActionDefinition { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            ActionName = reader.String("actionName");
            ActionDefinition = reader.Node("actionDefinition");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("actionName", ActionName);
            writer.Add("actionDefinition", ActionDefinition);
        }
    }

    public sealed class NetworkFirewallStatefulEngineOptions : JsonBackedObject
    {
        /// <summary>DEFAULT_ACTION_ORDER or STRICT_ORDER.</summary>
        public string? RuleOrder { get; set; }

        public string? StreamExceptionPolicy { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            RuleOrder = reader.String("ruleOrder");
            StreamExceptionPolicy = reader.String("streamExceptionPolicy");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("ruleOrder", RuleOrder);
            writer.Add("streamExceptionPolicy", StreamExceptionPolicy);
        }
    }

    /// <summary>Where FMS places firewall endpoints: {"endpointLocation": {"availabilityZoneConfigList": [...]}}.</summary>
    public sealed class FirewallCreationConfig : JsonBackedObject
    {
        public FirewallEndpointLocation? EndpointLocation { get; set; }

        internal override void ReadFields(JsonFieldReader reader) => EndpointLocation = reader.Object<FirewallEndpointLocation>("endpointLocation");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("endpointLocation", EndpointLocation);
    }

    public sealed class FirewallEndpointLocation : JsonBackedObject
    {
        public List<AvailabilityZoneConfig> AvailabilityZoneConfigList { get; set; } = new List<AvailabilityZoneConfig>();

        internal override void ReadFields(JsonFieldReader reader) => AvailabilityZoneConfigList = reader.ObjectList<AvailabilityZoneConfig>("availabilityZoneConfigList");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("availabilityZoneConfigList", AvailabilityZoneConfigList, writeEmpty: true);
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

        internal override void ReadFields(JsonFieldReader reader)
        {
            AvailabilityZoneId = reader.String("availabilityZoneId");
            AvailabilityZoneName = reader.String("availabilityZoneName");
            AllowedIpv4CidrList = reader.StringList("allowedIPV4CidrList");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("availabilityZoneId", AvailabilityZoneId);
            writer.Add("availabilityZoneName", AvailabilityZoneName);
            writer.Add("allowedIPV4CidrList", AllowedIpv4CidrList);
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

        internal override void ReadFields(JsonFieldReader reader)
        {
            FirewallCreationConfig = reader.Object<FirewallCreationConfig>("firewallCreationConfig");
            SingleFirewallEndpointPerVpc = reader.Bool("singleFirewallEndpointPerVPC");
            AllowedIpv4CidrList = reader.StringList("allowedIPV4CidrList");
            RouteManagementAction = reader.String("routeManagementAction");
            RouteManagementTargetTypes = reader.StringList("routeManagementTargetTypes");
            RouteManagementConfig = reader.Node("routeManagementConfig");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("firewallCreationConfig", FirewallCreationConfig);
            writer.Add("singleFirewallEndpointPerVPC", SingleFirewallEndpointPerVpc);
            writer.Add("allowedIPV4CidrList", AllowedIpv4CidrList);
            writer.Add("routeManagementAction", RouteManagementAction);
            writer.Add("routeManagementTargetTypes", RouteManagementTargetTypes);
            writer.Add("routeManagementConfig", RouteManagementConfig);
        }
    }

    /// <summary>firewallDeploymentModel in ManagedServiceData: the centralized or distributed orchestration details.</summary>
    public sealed class FirewallDeploymentModelConfig : JsonBackedObject
    {
        public CentralizedFirewallDeploymentModel? Centralized { get; set; }

        public DistributedFirewallDeploymentModel? Distributed { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            Centralized = reader.Object<CentralizedFirewallDeploymentModel>("centralizedFirewallDeploymentModel");
            Distributed = reader.Object<DistributedFirewallDeploymentModel>("distributedFirewallDeploymentModel");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("centralizedFirewallDeploymentModel", Centralized);
            writer.Add("distributedFirewallDeploymentModel", Distributed);
        }
    }

    public sealed class CentralizedFirewallDeploymentModel : JsonBackedObject
    {
        public FirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        internal override void ReadFields(JsonFieldReader reader) => OrchestrationConfig = reader.Object<FirewallOrchestrationConfig>("centralizedFirewallOrchestrationConfig");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("centralizedFirewallOrchestrationConfig", OrchestrationConfig);
    }

    public sealed class DistributedFirewallDeploymentModel : JsonBackedObject
    {
        public FirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        internal override void ReadFields(JsonFieldReader reader) => OrchestrationConfig = reader.Object<FirewallOrchestrationConfig>("distributedFirewallOrchestrationConfig");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("distributedFirewallOrchestrationConfig", OrchestrationConfig);
    }

    public sealed class FirewallOrchestrationConfig : JsonBackedObject
    {
        /// <summary>Inspection VPCs of the centralized model.</summary>
        public List<InspectionVpc> InspectionVpcIds { get; set; } = new List<InspectionVpc>();

        public FirewallCreationConfig? FirewallCreationConfig { get; set; }

        public List<string> AllowedIpv4CidrList { get; set; } = new List<string>();

        internal override void ReadFields(JsonFieldReader reader)
        {
            InspectionVpcIds = reader.ObjectList<InspectionVpc>("inspectionVpcIds");
            FirewallCreationConfig = reader.Object<FirewallCreationConfig>("firewallCreationConfig");
            AllowedIpv4CidrList = reader.StringList("allowedIPV4CidrList");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("inspectionVpcIds", InspectionVpcIds);
            writer.Add("firewallCreationConfig", FirewallCreationConfig);
            writer.Add("allowedIPV4CidrList", AllowedIpv4CidrList);
        }
    }

    public sealed class InspectionVpc : JsonBackedObject
    {
        public string? ResourceId { get; set; }

        public string? AccountId { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            ResourceId = reader.String("resourceId");
            AccountId = reader.String("accountId");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("resourceId", ResourceId);
            writer.Add("accountId", AccountId);
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
        public override FmsPolicyType PolicyType => FmsPolicyType.NetworkFirewall;

        /// <summary>PolicyOption.NetworkFirewallPolicy.FirewallDeploymentModel: CENTRALIZED, DISTRIBUTED or null (distributed).</summary>
        public string? DeploymentModel { get; set; }

        public NetworkFirewallPolicyConfig FirewallPolicy { get; set; } = new NetworkFirewallPolicyConfig();

        public NetworkFirewallOrchestrationConfig? OrchestrationConfig { get; set; }

        public FirewallDeploymentModelConfig? FirewallDeploymentModel { get; set; }

        /// <summary>True when the centralized model is in use.</summary>
        public bool IsCentralized => string.Equals(DeploymentModel, FirewallValues.Centralized, System.StringComparison.Ordinal);

        internal override void ReadSettings(JsonFieldReader reader)
        {
            if (reader.Has("awsNetworkFirewallConfig"))
            {
                FirewallPolicy = reader.Object<NetworkFirewallPolicyConfig>("awsNetworkFirewallConfig") ?? new NetworkFirewallPolicyConfig();
            }
            else
            {
                FirewallPolicy = new NetworkFirewallPolicyConfig();
                FirewallPolicy.ReadFields(reader);
            }
            OrchestrationConfig = reader.Object<NetworkFirewallOrchestrationConfig>("networkFirewallOrchestrationConfig");
            FirewallDeploymentModel = reader.Object<FirewallDeploymentModelConfig>("firewallDeploymentModel");
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
            if (IsCentralized)
            {
                writer.Add("awsNetworkFirewallConfig", FirewallPolicy);
            }
            else
            {
                FirewallPolicy.WriteFields(writer);
                foreach (var pair in FirewallPolicy.AdditionalFields)
                {
                    if (!writer.Json.ContainsKey(pair.Key)) writer.Json[pair.Key] = pair.Value?.DeepClone();
                }
            }
            writer.Add("networkFirewallOrchestrationConfig", OrchestrationConfig);
            writer.Add("firewallDeploymentModel", FirewallDeploymentModel);
        }

        public override JsonObject? ToPolicyOptionJson() => PolicyOptionJson.DeploymentModelJson("networkFirewallPolicy", DeploymentModel);

        internal override void ReadPolicyOption(JsonFieldReader? reader) =>
            DeploymentModel = PolicyOptionJson.DeploymentModel(reader, "networkFirewallPolicy", TypeName);
    }

    /// <summary>Import policy: FMS adopts an existing Network Firewall firewall policy; needs resource sets (#20).</summary>
    public sealed class ImportNetworkFirewallSettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.ImportNetworkFirewall;

        public NetworkFirewallPolicyConfig FirewallPolicy { get; set; } = new NetworkFirewallPolicyConfig();

        internal override void ReadSettings(JsonFieldReader reader) =>
            FirewallPolicy = reader.Object<NetworkFirewallPolicyConfig>("awsNetworkFirewallConfig") ?? new NetworkFirewallPolicyConfig();

        internal override void WriteSettings(JsonObjectWriter writer) => writer.Add("awsNetworkFirewallConfig", FirewallPolicy);
    }

    /// <summary>Third-party firewall policy (Palo Alto Cloud NGFW or Fortigate CNF).</summary>
    public sealed class ThirdPartyFirewallSettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.ThirdPartyFirewall;

        /// <summary>PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.</summary>
        public string? ThirdPartyFirewall { get; set; }

        /// <summary>The vendor's firewall policies to apply (thirdPartyFirewallConfig.thirdPartyFirewallPolicyList).</summary>
        public ThirdPartyFirewallConfig? FirewallConfig { get; set; }

        public FirewallDeploymentModelConfig? FirewallDeploymentModel { get; set; }

        /// <summary>PolicyOption.ThirdPartyFirewallPolicy.FirewallDeploymentModel: CENTRALIZED or DISTRIBUTED.</summary>
        public string? DeploymentModel { get; set; }

        internal override void ReadSettings(JsonFieldReader reader)
        {
            ThirdPartyFirewall = reader.String("thirdPartyFirewall");
            FirewallConfig = reader.Object<ThirdPartyFirewallConfig>("thirdPartyFirewallConfig");
            FirewallDeploymentModel = reader.Object<FirewallDeploymentModelConfig>("firewallDeploymentModel");
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
            writer.Add("thirdPartyFirewall", ThirdPartyFirewall);
            writer.Add("thirdPartyFirewallConfig", FirewallConfig);
            writer.Add("firewallDeploymentModel", FirewallDeploymentModel);
        }

        public override JsonObject? ToPolicyOptionJson() => PolicyOptionJson.DeploymentModelJson("thirdPartyFirewallPolicy", DeploymentModel);

        internal override void ReadPolicyOption(JsonFieldReader? reader) =>
            DeploymentModel = PolicyOptionJson.DeploymentModel(reader, "thirdPartyFirewallPolicy", TypeName);
    }

    public sealed class ThirdPartyFirewallConfig : JsonBackedObject
    {
        public List<string> ThirdPartyFirewallPolicyList { get; set; } = new List<string>();

        internal override void ReadFields(JsonFieldReader reader) => ThirdPartyFirewallPolicyList = reader.StringList("thirdPartyFirewallPolicyList");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("thirdPartyFirewallPolicyList", ThirdPartyFirewallPolicyList, writeEmpty: true);
    }

    /// <summary>
    /// Network ACL policy. Its rules live in PolicyOption.NetworkAclCommonPolicy, not ManagedServiceData
    /// (which is just {"type":"NETWORK_ACL_COMMON"}).
    /// </summary>
    public sealed class NetworkAclCommonSettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.NetworkAclCommon;

        /// <summary>Rules FMS puts first in every managed network ACL, in order.</summary>
        public List<NetworkAclRule> FirstEntries { get; set; } = new List<NetworkAclRule>();

        public bool ForceRemediateForFirstEntries { get; set; }

        /// <summary>Rules FMS puts last in every managed network ACL, in order.</summary>
        public List<NetworkAclRule> LastEntries { get; set; } = new List<NetworkAclRule>();

        public bool ForceRemediateForLastEntries { get; set; }

        internal override void ReadSettings(JsonFieldReader reader)
        {
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
        }

        public override JsonObject? ToPolicyOptionJson()
        {
            var set = new JsonObjectWriter();
            set.Add("firstEntries", FirstEntries, writeEmpty: true);
            set.Add("forceRemediateForFirstEntries", ForceRemediateForFirstEntries);
            set.Add("lastEntries", LastEntries, writeEmpty: true);
            set.Add("forceRemediateForLastEntries", ForceRemediateForLastEntries);
            return new JsonObject { ["networkAclCommonPolicy"] = new JsonObject { ["networkAclEntrySet"] = set.Json } };
        }

        internal override void ReadPolicyOption(JsonFieldReader? reader)
        {
            var policy = PolicyOptionJson.Section(reader, "networkAclCommonPolicy", TypeName);
            if (policy == null) return;
            var setJson = policy.RawObject("networkAclEntrySet");
            PolicyOptionJson.RejectUnread(policy);
            if (setJson == null) return;
            var set = new JsonFieldReader(setJson, PolicyJson.Join(policy.Path, "networkAclEntrySet"), policy.Issues);
            FirstEntries = set.ObjectList<NetworkAclRule>("firstEntries");
            ForceRemediateForFirstEntries = set.Bool("forceRemediateForFirstEntries") ?? false;
            LastEntries = set.ObjectList<NetworkAclRule>("lastEntries");
            ForceRemediateForLastEntries = set.Bool("forceRemediateForLastEntries") ?? false;
            PolicyOptionJson.RejectUnread(set);
            foreach (var entry in FirstEntries) RejectExtras(entry, set.Issues, set.Path + ".firstEntries");
            foreach (var entry in LastEntries) RejectExtras(entry, set.Issues, set.Path + ".lastEntries");
        }

        private static void RejectExtras(NetworkAclRule rule, List<PolicyParseIssue> issues, string path)
        {
            foreach (var key in rule.AdditionalFields.Keys)
            {
                issues.Add(new PolicyParseIssue(path + "[]." + key, "is not a network ACL entry field; it would be dropped."));
            }
            rule.AdditionalFields.Clear();
        }
    }

    /// <summary>One network ACL entry. Protocol is the IP protocol number as a string ("6" TCP, "17" UDP, "1" ICMP, "-1" all).</summary>
    public sealed class NetworkAclRule : JsonBackedObject
    {
        /// <summary>"allow" or "deny".</summary>
        public string? RuleAction { get; set; }

        public string? Protocol { get; set; }

        public string? CidrBlock { get; set; }

        public string? Ipv6CidrBlock { get; set; }

        public NetworkAclRulePortRange? PortRange { get; set; }

        public NetworkAclRuleIcmpTypeCode? IcmpTypeCode { get; set; }

        public bool Egress { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            IcmpTypeCode = reader.Object<NetworkAclRuleIcmpTypeCode>("icmpTypeCode");
            Protocol = reader.String("protocol");
            PortRange = reader.Object<NetworkAclRulePortRange>("portRange");
            CidrBlock = reader.String("cidrBlock");
            Ipv6CidrBlock = reader.String("ipv6CidrBlock");
            RuleAction = reader.String("ruleAction");
            Egress = reader.Bool("egress") ?? false;
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("icmpTypeCode", IcmpTypeCode);
            writer.Add("protocol", Protocol);
            writer.Add("portRange", PortRange);
            writer.Add("cidrBlock", CidrBlock);
            writer.Add("ipv6CidrBlock", Ipv6CidrBlock);
            writer.Add("ruleAction", RuleAction);
            writer.Add("egress", Egress);
        }
    }

    public sealed class NetworkAclRulePortRange : JsonBackedObject
    {
        public int? From { get; set; }

        public int? To { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            From = reader.Int("from");
            To = reader.Int("to");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("from", From);
            writer.Add("to", To);
        }
    }

    public sealed class NetworkAclRuleIcmpTypeCode : JsonBackedObject
    {
        public int? Type { get; set; }

        public int? Code { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            Type = reader.Int("type");
            Code = reader.Int("code");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("type", Type);
            writer.Add("code", Code);
        }
    }
}
