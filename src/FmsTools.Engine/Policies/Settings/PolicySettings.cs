using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// A typed view of a policy's ManagedServiceData (and, for the types that use it, its PolicyOption).
    /// One subclass per policy type; JSON keys are the service's camelCase names.
    /// </summary>
    public abstract class PolicySettings : JsonBackedObject
    {
        private IReadOnlyList<PolicyParseIssue> _readIssues = Array.Empty<PolicyParseIssue>();

        /// <remarks>The name of a <see cref="FmsPolicyType"/> value (ConvertTo-Json writes enums as numbers); the engine reads PolicyTypeValue.</remarks>
        public string PolicyType => PolicyTypeValue.ToString();

        internal abstract FmsPolicyType PolicyTypeValue { get; }

        /// <summary>The SecurityServiceType string written as "type" in ManagedServiceData.</summary>
        public virtual string TypeName => FmsPolicyTypes.ToWire(PolicyTypeValue);

        /// <summary>Problems found when these settings were read (values of the wrong type are kept in AdditionalFields).</summary>
        public IReadOnlyList<PolicyParseIssue> ReadIssues => _readIssues;

        internal sealed override void MapFields(JsonFieldMap fields)
        {
            // "type" is the policy type itself, which the caller already chose from; it is not an extension.
            fields.Constant("type", TypeName);
            MapSettings(fields);
        }

        /// <summary>The type's own fields of ManagedServiceData, after "type".</summary>
        internal abstract void MapSettings(JsonFieldMap fields);

        /// <summary>ManagedServiceData as a JSON object ("type" first, then typed fields, then additional fields).</summary>
        public virtual JsonObject ToManagedServiceDataJson() => ToJson();

        /// <summary>ManagedServiceData as the service wants it: compact JSON on one line.</summary>
        public virtual string ToManagedServiceData() => ToManagedServiceDataJson().ToJsonString(PolicyJson.Compact);

        /// <summary>The settings' text: ManagedServiceData (what Export-Csv shows for a policy's Settings).</summary>
        public override string ToString() => ToManagedServiceData();

        /// <summary>The PolicyOption these settings need, as camelCase JSON; null for types that use none.</summary>
        public virtual JsonObject? ToPolicyOptionJson() => null;

        /// <summary>Reads the type-specific parts of a PolicyOption (camelCase JSON); null when the policy has none.</summary>
        internal virtual void ReadPolicyOption(JsonFieldReader? reader)
        {
            if (reader == null) return;
            foreach (var key in reader.UnreadKeys())
            {
                reader.Issues.Add(new PolicyParseIssue(PolicyJson.Join(reader.Path, key), "does not apply to " + TypeName + " policies, which take no PolicyOption; it would be dropped."));
            }
        }

        /// <summary>An empty settings object of the given type (service defaults apply to everything left unset).</summary>
        public static PolicySettings CreateEmpty(FmsPolicyType type)
        {
            switch (type)
            {
                case FmsPolicyType.Waf: return new WafClassicPolicySettings();
                case FmsPolicyType.WafV2: return new WafV2PolicySettings();
                case FmsPolicyType.ShieldAdvanced: return new ShieldAdvancedPolicySettings();
                case FmsPolicyType.SecurityGroupsCommon: return new SecurityGroupsCommonSettings();
                case FmsPolicyType.SecurityGroupsContentAudit: return new SecurityGroupsContentAuditSettings();
                case FmsPolicyType.SecurityGroupsUsageAudit: return new SecurityGroupsUsageAuditSettings();
                case FmsPolicyType.NetworkFirewall: return new NetworkFirewallSettings();
                case FmsPolicyType.ImportNetworkFirewall: return new ImportNetworkFirewallSettings();
                case FmsPolicyType.DnsFirewall: return new DnsFirewallSettings();
                case FmsPolicyType.ThirdPartyFirewall: return new ThirdPartyFirewallSettings();
                case FmsPolicyType.NetworkAclCommon: return new NetworkAclCommonSettings();
                default: throw new ArgumentOutOfRangeException(nameof(type), type, "No settings type for an unknown policy type.");
            }
        }

        /// <summary>
        /// Reads settings for a policy type from ManagedServiceData and PolicyOption JSON. Never throws for bad
        /// content: problems are added to <paramref name="issues"/> (and kept on <see cref="ReadIssues"/>).
        /// </summary>
        internal static PolicySettings Read(string typeName, JsonObject? managedServiceData, JsonObject? policyOption,
            string settingsPath, string policyOptionPath, List<PolicyParseIssue> issues)
        {
            var firstIssue = issues.Count;
            PolicySettings settings;
            if (!FmsPolicyTypes.TryParse(typeName, out var type))
            {
                settings = new UnknownPolicySettings(typeName, managedServiceData, policyOption);
            }
            else
            {
                settings = CreateEmpty(type);
                var data = managedServiceData ?? new JsonObject();
                if (data.TryGetPropertyValue("type", out var typeNode) && typeNode != null)
                {
                    var declared = typeNode.GetValueKind() == System.Text.Json.JsonValueKind.String ? typeNode.GetValue<string>() : null;
                    if (!string.Equals(declared, typeName, StringComparison.Ordinal))
                    {
                        issues.Add(new PolicyParseIssue(PolicyJson.Join(settingsPath, "type"),
                            "is " + (declared == null ? PolicyJson.Describe(typeNode) : "\"" + declared + "\"") + " but the policy type is \"" + typeName + "\"."));
                    }
                }
                var reader = new JsonFieldReader(data, settingsPath, issues);
                settings.ReadFields(reader);
                reader.Finish(settings);
                settings.ReadPolicyOption(policyOption == null ? null : new JsonFieldReader(policyOption, policyOptionPath, issues));
            }
            settings._readIssues = issues.GetRange(firstIssue, issues.Count - firstIssue).ToArray();
            return settings;
        }
    }

    /// <summary>
    /// Settings of a policy whose type this version does not know, or whose ManagedServiceData is not a JSON
    /// object: kept verbatim so reading and writing such a policy changes nothing.
    /// </summary>
    public sealed class UnknownPolicySettings : PolicySettings
    {
        private readonly string _typeName;

        public UnknownPolicySettings(string typeName, JsonObject? managedServiceData, JsonObject? policyOption, string? rawManagedServiceData = null)
        {
            _typeName = typeName ?? string.Empty;
            Data = (JsonObject?)managedServiceData?.DeepClone();
            PolicyOption = (JsonObject?)policyOption?.DeepClone();
            RawManagedServiceData = rawManagedServiceData;
        }

        internal override FmsPolicyType PolicyTypeValue => FmsPolicyTypes.TryParse(_typeName, out var type) ? type : FmsPolicyType.Unknown;

        public override string TypeName => _typeName;

        /// <summary>ManagedServiceData as JSON, when it was a JSON object.</summary>
        public JsonObject? Data { get; }

        /// <summary>ManagedServiceData as received, when it was not a JSON object.</summary>
        public string? RawManagedServiceData { get; }

        public JsonObject? PolicyOption { get; }

        internal override void MapSettings(JsonFieldMap fields)
        {
        }

        public override JsonObject ToManagedServiceDataJson() =>
            Data != null ? (JsonObject)Data.DeepClone() : new JsonObject { ["type"] = TypeName };

        public override string ToManagedServiceData() =>
            RawManagedServiceData ?? ToManagedServiceDataJson().ToJsonString(PolicyJson.Compact);

        public override JsonObject? ToPolicyOptionJson() => (JsonObject?)PolicyOption?.DeepClone();
    }

    /// <summary>An action object of the form {"type": "..."}: overrideAction, defaultAction, securityGroupAction.</summary>
    public sealed class PolicyAction : JsonBackedObject
    {
        public PolicyAction()
        {
        }

        public PolicyAction(string type)
        {
            Type = type;
        }

        public string? Type { get; set; }

        internal override void MapFields(JsonFieldMap fields) => Type = fields.String("type", Type);
    }
}
