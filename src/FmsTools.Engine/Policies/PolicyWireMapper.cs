using System.Text.Json;
using System.Text.Json.Nodes;
using Wire = FmsTools.Aws.Fms;

namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// Maps between <see cref="FmsPolicy"/> and the wire types of PutPolicy/GetPolicy/ListPolicies. Writing is
    /// strict (compact one-line ManagedServiceData, stable key order); reading is tolerant of what the service
    /// returns (nulls, [] for missing lists, the ResourceTypeList literal, fields it fills in).
    /// </summary>
    public static class PolicyWireMapper
    {
        public const string AccountKey = "ACCOUNT";
        public const string OrgUnitKey = "ORG_UNIT";

        /// <summary>CloudFormation's spelling of ORG_UNIT, accepted when reading.</summary>
        public const string OrgUnitKeyCloudFormation = "ORGUNIT";

        private const int MaxManagedServiceDataDepth = 64;

        /// <summary>
        /// The wire Policy for PutPolicy. PolicyId and UpdateToken are included when set (an update). The members of a
        /// newer API the policy carries (<see cref="FmsPolicy.AdditionalFields"/>) go back as they were read.
        /// </summary>
        public static Wire.Policy ToWire(FmsPolicy policy) => ToWire(policy, policy?.AdditionalFields);

        /// <summary>
        /// The wire Policy for PutPolicy with <paramref name="additionalFields"/> (a newer API's members, as in
        /// <see cref="FmsPolicy.AdditionalFields"/>) sent beside the known fields; null sends none.
        /// </summary>
        internal static Wire.Policy ToWire(FmsPolicy? policy, IDictionary<string, JsonNode?>? additionalFields)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var scope = policy.Scope ?? new PolicyScope();
            var wire = new Wire.Policy
            {
                PolicyId = policy.PolicyId,
                PolicyName = policy.Name,
                PolicyUpdateToken = policy.UpdateToken,
                PolicyDescription = string.IsNullOrEmpty(policy.Description) ? null : policy.Description,
                RemediationEnabled = policy.RemediationEnabled,
                DeleteUnusedFMManagedResources = policy.DeleteUnusedFMManagedResources,
                ExcludeResourceTags = scope.ExcludeResourceTags,
                SecurityServicePolicyData = new Wire.SecurityServicePolicyData
                {
                    Type = policy.TypeName,
                    ManagedServiceData = policy.Settings?.ToManagedServiceData(),
                    PolicyOption = PolicyOptionFromJson(policy.Settings?.ToPolicyOptionJson()),
                },
            };

            var resourceTypes = policy.ResourceTypes ?? new List<string>();
            if (resourceTypes.Count == 1)
            {
                wire.ResourceType = resourceTypes[0];
            }
            else if (resourceTypes.Count > 1)
            {
                wire.ResourceType = FmsResourceTypes.ResourceTypeListLiteral;
                wire.ResourceTypeList = new List<string>(resourceTypes);
            }

            if (scope.ResourceTags.Count > 0)
            {
                wire.ResourceTags = scope.ResourceTags.Select(t => new Wire.ResourceTag { Key = t.Key, Value = t.Value }).ToList();
            }
            // Always sent with tags: an update that omits it silently resets OR to AND.
            if (scope.ResourceTags.Count > 0 || scope.ResourceTagLogicalOperatorValue == ResourceTagLogicalOperator.Or)
            {
                wire.ResourceTagLogicalOperator = scope.ResourceTagLogicalOperatorValue == ResourceTagLogicalOperator.Or ? "OR" : "AND";
            }
            wire.IncludeMap = ScopeMap(scope.IncludeAccounts, scope.IncludeOrganizationalUnits);
            wire.ExcludeMap = ScopeMap(scope.ExcludeAccounts, scope.ExcludeOrganizationalUnits);
            if (scope.ResourceSetIds.Count > 0) wire.ResourceSetIds = new List<string>(scope.ResourceSetIds);
            if (additionalFields != null) PolicyAdditionalMembers.Apply(additionalFields, wire);
            return wire;
        }

        /// <summary>The whole PutPolicy request: the policy plus its own tags (TagList) when it has any.</summary>
        public static Wire.PutPolicyRequest ToPutPolicyRequest(FmsPolicy policy)
        {
            var request = new Wire.PutPolicyRequest { Policy = ToWire(policy) };
            if (policy.Tags != null && policy.Tags.Count > 0)
            {
                request.TagList = policy.Tags.Select(t => new Wire.Tag { Key = t.Key, Value = t.Value }).ToList();
            }
            return request;
        }

        /// <summary>
        /// A detailed policy from GetPolicy/PutPolicy. Never throws for odd content: ManagedServiceData that is
        /// not a JSON object is kept verbatim in <see cref="UnknownPolicySettings"/>.
        /// </summary>
        public static FmsPolicy FromWire(Wire.Policy policy, string? policyArn = null, IEnumerable<Wire.Tag>? tags = null, string? region = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var data = policy.SecurityServicePolicyData;
            var typeName = data?.Type ?? string.Empty;
            var result = new FmsPolicy
            {
                Name = policy.PolicyName ?? string.Empty,
                PolicyId = policy.PolicyId,
                UpdateToken = policy.PolicyUpdateToken,
                Arn = policyArn,
                Region = region ?? RegionFromArn(policyArn),
                Description = string.IsNullOrEmpty(policy.PolicyDescription) ? null : policy.PolicyDescription,
                RemediationEnabled = policy.RemediationEnabled ?? false,
                DeleteUnusedFMManagedResources = policy.DeleteUnusedFMManagedResources ?? false,
                StatusValue = ParseStatus(policy.PolicyStatus),
                IsDetailed = true,
            };
            result.TypeName = typeName;
            result.ResourceTypes = ReadResourceTypes(policy.ResourceType, policy.ResourceTypeList);
            result.Scope = ReadScope(policy);
            result.Settings = ReadSettings(typeName, data?.ManagedServiceData, PolicyOptionToJson(data?.PolicyOption));
            PolicyAdditionalMembers.Read(policy, result.AdditionalFields);
            if (tags != null)
            {
                var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    if (tag?.Key != null) map[tag.Key] = tag.Value ?? string.Empty;
                }
                result.Tags = map;
            }
            return result;
        }

        /// <summary>A policy from a GetPolicy or PutPolicy response.</summary>
        public static FmsPolicy FromResponse(Wire.GetPolicyResponse response, IEnumerable<Wire.Tag>? tags = null, string? region = null) =>
            FromWire(response.Policy ?? throw new ArgumentException("The response has no Policy.", nameof(response)), response.PolicyArn, tags, region);

        public static FmsPolicy FromResponse(Wire.PutPolicyResponse response, IEnumerable<Wire.Tag>? tags = null, string? region = null) =>
            FromWire(response.Policy ?? throw new ArgumentException("The response has no Policy.", nameof(response)), response.PolicyArn, tags, region);

        /// <summary>
        /// A summary from ListPolicies (IsDetailed false). It carries only what the summary says: Scope, ScopeSummary, Settings,
        /// Tags, Description and UpdateToken are null (ListPolicies does not return them), and ResourceTypes is null when the
        /// policy has several resource types (the summary names only "ResourceTypeList"). Nothing is filled with a default
        /// that would read as data; GetPolicy (Get-FmsPolicy -Detailed) reads the rest.
        /// </summary>
        public static FmsPolicy FromSummary(Wire.PolicySummary summary, string? region = null)
        {
            if (summary == null) throw new ArgumentNullException(nameof(summary));
            var result = new FmsPolicy
            {
                Name = summary.PolicyName ?? string.Empty,
                PolicyId = summary.PolicyId,
                Arn = summary.PolicyArn,
                Region = region ?? RegionFromArn(summary.PolicyArn),
                RemediationEnabled = summary.RemediationEnabled ?? false,
                DeleteUnusedFMManagedResources = summary.DeleteUnusedFMManagedResources ?? false,
                StatusValue = ParseStatus(summary.PolicyStatus),
                IsDetailed = false,
                Scope = null,
                ResourceTypes = string.IsNullOrEmpty(summary.ResourceType) || summary.ResourceType == FmsResourceTypes.ResourceTypeListLiteral
                    ? null
                    : new List<string> { summary.ResourceType! },
            };
            result.TypeName = summary.SecurityServiceType ?? string.Empty;
            return result;
        }

        /// <summary>The region part of arn:aws:fms:REGION:ACCOUNT:policy/ID, or null.</summary>
        public static string? RegionFromArn(string? arn)
        {
            if (string.IsNullOrEmpty(arn)) return null;
            var parts = arn!.Split(':');
            return parts.Length >= 6 && parts[0] == "arn" && parts[3].Length > 0 ? parts[3] : null;
        }

        /// <summary>Parses ManagedServiceData and PolicyOption JSON into typed settings (tolerant).</summary>
        public static PolicySettings ReadSettings(string typeName, string? managedServiceData, JsonObject? policyOption)
        {
            var issues = new List<PolicyParseIssue>();
            if (string.IsNullOrWhiteSpace(managedServiceData))
            {
                // Shield Advanced for non-CloudFront resources may carry an empty ManagedServiceData.
                return PolicySettings.Read(typeName, null, policyOption, "Settings", "PolicyOption", issues);
            }
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(managedServiceData!, documentOptions: new JsonDocumentOptions { MaxDepth = MaxManagedServiceDataDepth });
            }
            catch (JsonException)
            {
                parsed = null;
            }
            if (parsed is JsonObject obj) return PolicySettings.Read(typeName, obj, policyOption, "Settings", "PolicyOption", issues);
            return new UnknownPolicySettings(typeName, null, policyOption, managedServiceData);
        }

        private static List<string> ReadResourceTypes(string? resourceType, List<string>? resourceTypeList)
        {
            var types = new List<string>();
            if (!string.IsNullOrEmpty(resourceType) && resourceType != FmsResourceTypes.ResourceTypeListLiteral) types.Add(resourceType!);
            if (resourceTypeList != null)
            {
                foreach (var type in resourceTypeList)
                {
                    if (!string.IsNullOrEmpty(type) && type != FmsResourceTypes.ResourceTypeListLiteral && !types.Contains(type)) types.Add(type);
                }
            }
            return types;
        }

        private static PolicyScope ReadScope(Wire.Policy policy)
        {
            var scope = new PolicyScope
            {
                ExcludeResourceTags = policy.ExcludeResourceTags ?? false,
                ResourceTagLogicalOperatorValue = string.Equals(policy.ResourceTagLogicalOperator, "OR", StringComparison.Ordinal)
                    ? ResourceTagLogicalOperator.Or
                    : ResourceTagLogicalOperator.And,
            };
            ReadScopeMap(policy.IncludeMap, scope.IncludeAccounts, scope.IncludeOrganizationalUnits);
            ReadScopeMap(policy.ExcludeMap, scope.ExcludeAccounts, scope.ExcludeOrganizationalUnits);
            if (policy.ResourceTags != null)
            {
                foreach (var tag in policy.ResourceTags)
                {
                    if (tag == null) continue;
                    scope.ResourceTags.Add(new ResourceTagFilter(tag.Key ?? string.Empty, tag.Value));
                }
            }
            if (policy.ResourceSetIds != null) scope.ResourceSetIds.AddRange(policy.ResourceSetIds.Where(id => id != null));
            return scope;
        }

        private static void ReadScopeMap(Dictionary<string, List<string>>? map, List<string> accounts, List<string> organizationalUnits)
        {
            if (map == null) return;
            foreach (var pair in map)
            {
                if (pair.Value == null) continue;
                if (pair.Key == AccountKey) accounts.AddRange(pair.Value.Where(v => v != null));
                else if (pair.Key == OrgUnitKey || pair.Key == OrgUnitKeyCloudFormation) organizationalUnits.AddRange(pair.Value.Where(v => v != null));
            }
        }

        private static Dictionary<string, List<string>>? ScopeMap(List<string> accounts, List<string> organizationalUnits)
        {
            if (accounts.Count == 0 && organizationalUnits.Count == 0) return null;
            var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (accounts.Count > 0) map[AccountKey] = new List<string>(accounts);
            if (organizationalUnits.Count > 0) map[OrgUnitKey] = new List<string>(organizationalUnits);
            return map;
        }

        internal static FmsPolicyStatus ParseStatus(string? status)
        {
            switch (status)
            {
                case "ACTIVE": return FmsPolicyStatus.Active;
                case "OUT_OF_ADMIN_SCOPE": return FmsPolicyStatus.OutOfAdminScope;
                default: return FmsPolicyStatus.Unknown;
            }
        }

        internal static string? StatusToWire(FmsPolicyStatus status)
        {
            switch (status)
            {
                case FmsPolicyStatus.Active: return "ACTIVE";
                case FmsPolicyStatus.OutOfAdminScope: return "OUT_OF_ADMIN_SCOPE";
                default: return null;
            }
        }

        /// <summary>A wire PolicyOption as camelCase JSON (the form settings and policy files use).</summary>
        public static JsonObject? PolicyOptionToJson(Wire.PolicyOption? option)
        {
            if (option == null) return null;
            var json = new JsonObject();
            if (option.NetworkFirewallPolicy != null)
            {
                json["networkFirewallPolicy"] = DeploymentModelJson(option.NetworkFirewallPolicy.FirewallDeploymentModel);
            }
            if (option.ThirdPartyFirewallPolicy != null)
            {
                json["thirdPartyFirewallPolicy"] = DeploymentModelJson(option.ThirdPartyFirewallPolicy.FirewallDeploymentModel);
            }
            if (option.NetworkAclCommonPolicy != null)
            {
                var set = option.NetworkAclCommonPolicy.NetworkAclEntrySet;
                var setJson = new JsonObject();
                if (set != null)
                {
                    setJson["firstEntries"] = EntriesJson(set.FirstEntries);
                    if (set.ForceRemediateForFirstEntries.HasValue) setJson["forceRemediateForFirstEntries"] = set.ForceRemediateForFirstEntries.Value;
                    setJson["lastEntries"] = EntriesJson(set.LastEntries);
                    if (set.ForceRemediateForLastEntries.HasValue) setJson["forceRemediateForLastEntries"] = set.ForceRemediateForLastEntries.Value;
                }
                json["networkAclCommonPolicy"] = new JsonObject { ["networkAclEntrySet"] = setJson };
            }
            return json.Count == 0 ? null : json;
        }

        private static JsonObject DeploymentModelJson(string? model)
        {
            var json = new JsonObject();
            if (model != null) json["firewallDeploymentModel"] = model;
            return json;
        }

        private static JsonArray EntriesJson(List<Wire.NetworkAclEntry>? entries)
        {
            var array = new JsonArray();
            if (entries == null) return array;
            foreach (var entry in entries)
            {
                if (entry == null) continue;
                var json = new JsonObject();
                if (entry.IcmpTypeCode != null)
                {
                    var icmp = new JsonObject();
                    if (entry.IcmpTypeCode.Type.HasValue) icmp["type"] = entry.IcmpTypeCode.Type.Value;
                    if (entry.IcmpTypeCode.Code.HasValue) icmp["code"] = entry.IcmpTypeCode.Code.Value;
                    json["icmpTypeCode"] = icmp;
                }
                if (entry.Protocol != null) json["protocol"] = entry.Protocol;
                if (entry.PortRange != null)
                {
                    var range = new JsonObject();
                    if (entry.PortRange.From.HasValue) range["from"] = entry.PortRange.From.Value;
                    if (entry.PortRange.To.HasValue) range["to"] = entry.PortRange.To.Value;
                    json["portRange"] = range;
                }
                if (entry.CidrBlock != null) json["cidrBlock"] = entry.CidrBlock;
                if (entry.Ipv6CidrBlock != null) json["ipv6CidrBlock"] = entry.Ipv6CidrBlock;
                if (entry.RuleAction != null) json["ruleAction"] = entry.RuleAction;
                if (entry.Egress.HasValue) json["egress"] = entry.Egress.Value;
                array.Add(json);
            }
            return array;
        }

        /// <summary>camelCase PolicyOption JSON (as settings write it) to the wire type; unknown keys are not carried.</summary>
        public static Wire.PolicyOption? PolicyOptionFromJson(JsonObject? json)
        {
            if (json == null || json.Count == 0) return null;
            var option = new Wire.PolicyOption();
            if (json["networkFirewallPolicy"] is JsonObject networkFirewall)
            {
                option.NetworkFirewallPolicy = new Wire.NetworkFirewallPolicy { FirewallDeploymentModel = Text(networkFirewall, "firewallDeploymentModel") };
            }
            if (json["thirdPartyFirewallPolicy"] is JsonObject thirdParty)
            {
                option.ThirdPartyFirewallPolicy = new Wire.ThirdPartyFirewallPolicy { FirewallDeploymentModel = Text(thirdParty, "firewallDeploymentModel") };
            }
            if (json["networkAclCommonPolicy"] is JsonObject networkAcl)
            {
                var set = networkAcl["networkAclEntrySet"] as JsonObject ?? new JsonObject();
                option.NetworkAclCommonPolicy = new Wire.NetworkAclCommonPolicy
                {
                    NetworkAclEntrySet = new Wire.NetworkAclEntrySet
                    {
                        FirstEntries = Entries(set["firstEntries"] as JsonArray),
                        ForceRemediateForFirstEntries = Flag(set, "forceRemediateForFirstEntries") ?? false,
                        LastEntries = Entries(set["lastEntries"] as JsonArray),
                        ForceRemediateForLastEntries = Flag(set, "forceRemediateForLastEntries") ?? false,
                    },
                };
            }
            return option;
        }

        private static List<Wire.NetworkAclEntry> Entries(JsonArray? array)
        {
            var entries = new List<Wire.NetworkAclEntry>();
            if (array == null) return entries;
            foreach (var node in array)
            {
                if (!(node is JsonObject json)) continue;
                var entry = new Wire.NetworkAclEntry
                {
                    Protocol = Text(json, "protocol"),
                    CidrBlock = Text(json, "cidrBlock"),
                    Ipv6CidrBlock = Text(json, "ipv6CidrBlock"),
                    RuleAction = Text(json, "ruleAction"),
                    Egress = Flag(json, "egress") ?? false,
                };
                if (json["portRange"] is JsonObject range) entry.PortRange = new Wire.NetworkAclPortRange { From = Number(range, "from"), To = Number(range, "to") };
                if (json["icmpTypeCode"] is JsonObject icmp) entry.IcmpTypeCode = new Wire.NetworkAclIcmpTypeCode { Type = Number(icmp, "type"), Code = Number(icmp, "code") };
                entries.Add(entry);
            }
            return entries;
        }

        private static string? Text(JsonObject json, string key) =>
            json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

        private static bool? Flag(JsonObject json, string key)
        {
            var kind = json[key]?.GetValueKind();
            return kind == JsonValueKind.True ? true : kind == JsonValueKind.False ? false : (bool?)null;
        }

        private static int? Number(JsonObject json, string key) =>
            json[key] is JsonValue value && value.TryGetValue<int>(out var number) ? number : (int?)null;
    }
}
