using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    public enum PolicyDifferenceKind
    {
        /// <summary>In the desired policy, not in the deployed one.</summary>
        Added,
        /// <summary>In the deployed policy, not in the desired one.</summary>
        Removed,
        /// <summary>In both, with different values.</summary>
        Changed,
    }

    /// <summary>One field that differs. Values are compact JSON (strings quoted) so types stay visible.</summary>
    public sealed class PolicyDifference
    {
        public PolicyDifference(string path, PolicyDifferenceKind kind, string? desiredValue, string? deployedValue, string? note = null)
        {
            Path = path;
            KindValue = kind;
            DesiredValue = desiredValue;
            DeployedValue = deployedValue;
            Note = note;
        }

        /// <summary>e.g. "Settings.preProcessRuleGroups[0].overrideAction.type" or "Scope.IncludeAccounts". Items of
        /// lists whose order does not matter are addressed by their identity: "Settings.preProcessRuleGroups[rslvr-frg-1].priority".</summary>
        public string Path { get; }

        /// <remarks>The name of a <see cref="PolicyDifferenceKind"/> value (ConvertTo-Json writes enums as numbers); the engine reads KindValue.</remarks>
        public string Kind => KindValue.ToString();

        internal PolicyDifferenceKind KindValue { get; }

        public string? DesiredValue { get; }

        public string? DeployedValue { get; }

        /// <summary>Extra explanation, e.g. "same items, different order".</summary>
        public string? Note { get; }

        public override string ToString() => Describe(KindValue, Path, DesiredValue, DeployedValue, Note);

        /// <summary>"+ path: desired", "- path: deployed" or "~ path: deployed -> desired (note)".</summary>
        internal static string Describe(PolicyDifferenceKind kind, string path, string? desiredValue, string? deployedValue, string? note)
        {
            switch (kind)
            {
                case PolicyDifferenceKind.Added: return "+ " + path + ": " + desiredValue;
                case PolicyDifferenceKind.Removed: return "- " + path + ": " + deployedValue;
                default: return "~ " + path + ": " + deployedValue + " -> " + desiredValue + (note == null ? string.Empty : " (" + note + ")");
            }
        }
    }

    /// <summary>The semantic differences between a desired and a deployed policy.</summary>
    public sealed class PolicyDiff
    {
        public PolicyDiff(IReadOnlyList<PolicyDifference> differences)
        {
            Differences = Items.ReadOnly(differences);
        }

        public IReadOnlyList<PolicyDifference> Differences { get; }

        public bool IsEqual => Differences.Count == 0;

        public override string ToString()
        {
            if (IsEqual) return "No differences.";
            var text = new StringBuilder();
            text.Append(Differences.Count.ToString(CultureInfo.InvariantCulture)).Append(Differences.Count == 1 ? " difference (deployed -> desired):" : " differences (deployed -> desired):");
            foreach (var difference in Differences) text.Append(Environment.NewLine).Append("  ").Append(difference);
            return text.ToString();
        }
    }

    /// <summary>
    /// Compares policies by meaning, not by bytes. Both sides are normalized first: server-only fields (PolicyId,
    /// UpdateToken, Arn, Status, Region) dropped; null and [] treated as absent; the defaults FMS fills
    /// in removed; lists whose order means nothing sorted (accounts, OUs, tags, resource types, security
    /// groups, priority-ordered rule groups). Order is kept where it is evaluation order: WAF pre/post-process rule
    /// groups and network ACL entries.
    /// </summary>
    public static class PolicyComparer
    {
        private static readonly HashSet<string> TopLevelUnordered = new HashSet<string>(StringComparer.Ordinal)
        {
            "ResourceTypes", "Scope.IncludeAccounts", "Scope.IncludeOrganizationalUnits", "Scope.ExcludeAccounts",
            "Scope.ExcludeOrganizationalUnits", "Scope.ResourceTags", "Scope.ResourceSetIds",
        };

        // Set-like lists in settings of every type.
        private static readonly string[] CommonUnorderedKeys =
        {
            "securityGroups", "tokenDomains", "excludeRules", "allowedIPV4CidrList", "routeManagementTargetTypes",
            "inspectionVpcIds", "thirdPartyFirewallPolicyList", "availabilityZoneConfigList", "ruleActionOverrides",
        };

        // Lists ordered by explicit priorities (or by name) rather than by position.
        private static readonly Dictionary<FmsPolicyType, string[]> TypeUnorderedKeys = new Dictionary<FmsPolicyType, string[]>
        {
            { FmsPolicyType.DnsFirewall, new[] { "preProcessRuleGroups", "postProcessRuleGroups" } },
            { FmsPolicyType.NetworkFirewall, NetworkFirewallUnordered() },
            { FmsPolicyType.ImportNetworkFirewall, NetworkFirewallUnordered() },
        };

        // Keys that identify an item of a set-like list, so a changed item reads as a change, not remove + add.
        private static readonly string[] IdentityKeys = { "ruleGroupId", "resourceARN", "actionName", "name", "id", "resourceId", "availabilityZoneName", "availabilityZoneId", "Key" };

        private static string[] NetworkFirewallUnordered() => new[]
        {
            "networkFirewallStatelessRuleGroupReferences", "networkFirewallStatefulRuleGroupReferences", "networkFirewallStatelessDefaultActions",
            "networkFirewallStatelessFragmentDefaultActions", "networkFirewallStatelessCustomActions", "networkFirewallStatefulDefaultActions",
        };

        /// <summary>The differences that applying <paramref name="desired"/> would make to <paramref name="deployed"/>.</summary>
        public static PolicyDiff Compare(FmsPolicy desired, FmsPolicy deployed)
        {
            if (desired == null) throw new ArgumentNullException(nameof(desired));
            if (deployed == null) throw new ArgumentNullException(nameof(deployed));
            var left = Normalize(desired);
            var right = Normalize(deployed);
            var differences = new List<PolicyDifference>();

            // Tags are compared only when both sides have them loaded (summaries and GetPolicy alone do not).
            if (desired.Tags == null || deployed.Tags == null)
            {
                left.Remove("Tags");
                right.Remove("Tags");
            }
            // A summary has no settings: say so rather than report every setting as removed or added.
            if ((desired.Settings == null) != (deployed.Settings == null))
            {
                left.Remove("Settings");
                right.Remove("Settings");
                left.Remove("PolicyOption");
                right.Remove("PolicyOption");
                differences.Add(new PolicyDifference("Settings", PolicyDifferenceKind.Changed,
                    desired.Settings == null ? "(not loaded)" : "(loaded)", deployed.Settings == null ? "(not loaded)" : "(loaded)",
                    "one side is a summary without settings; read it with GetPolicy to compare settings"));
            }
            var unordered = UnorderedKeys(desired.TypeValue == FmsPolicyType.Unknown ? deployed.TypeValue : desired.TypeValue);
            DiffNode(left, right, string.Empty, unordered, differences);
            return new PolicyDiff(differences);
        }

        /// <summary>
        /// The same field-level diff over two documents that are already normalized (configuration files of the other
        /// kinds): <paramref name="unorderedPaths"/> are the paths of the lists whose order means nothing.
        /// </summary>
        internal static List<PolicyDifference> CompareDocuments(JsonObject desired, JsonObject deployed, IEnumerable<string> unorderedPaths)
        {
            var differences = new List<PolicyDifference>();
            DiffNode(desired, deployed, string.Empty, new HashSet<string>(unorderedPaths, StringComparer.Ordinal), differences);
            return differences;
        }

        /// <summary>The normalized form both sides are reduced to before comparing (keys sorted, defaults and empties removed).</summary>
        public static JsonObject Normalize(FmsPolicy policy)
        {
            var scope = policy.Scope ?? new PolicyScope();
            var root = new JsonObject
            {
                ["Name"] = policy.Name ?? string.Empty,
                ["Type"] = policy.TypeName,
            };
            if (!string.IsNullOrEmpty(policy.Description)) root["Description"] = policy.Description;
            root["ResourceTypes"] = Strings(policy.ResourceTypes);
            root["RemediationEnabled"] = policy.RemediationEnabled;
            root["DeleteUnusedFMManagedResources"] = policy.DeleteUnusedFMManagedResources;

            var scopeJson = new JsonObject
            {
                ["IncludeAccounts"] = Strings(scope.IncludeAccounts),
                ["IncludeOrganizationalUnits"] = Strings(scope.IncludeOrganizationalUnits),
                ["ExcludeAccounts"] = Strings(scope.ExcludeAccounts),
                ["ExcludeOrganizationalUnits"] = Strings(scope.ExcludeOrganizationalUnits),
                ["ResourceSetIds"] = Strings(scope.ResourceSetIds),
            };
            var tags = new JsonArray();
            foreach (var tag in scope.ResourceTags.Where(t => t != null))
            {
                // A tag without a value is stored as "".
                tags.Add(new JsonObject { ["Key"] = tag.Key ?? string.Empty, ["Value"] = tag.Value ?? string.Empty });
            }
            scopeJson["ResourceTags"] = tags;
            if (tags.Count > 0)
            {
                scopeJson["ExcludeResourceTags"] = scope.ExcludeResourceTags;
                // AND is the default and with a single tag AND and OR select the same resources.
                if (tags.Count > 1 && scope.ResourceTagLogicalOperatorValue == ResourceTagLogicalOperator.Or) scopeJson["ResourceTagLogicalOperator"] = "OR";
            }
            root["Scope"] = scopeJson;

            if (policy.Tags != null)
            {
                var policyTags = new JsonObject();
                foreach (var pair in policy.Tags.OrderBy(p => p.Key, StringComparer.Ordinal)) policyTags[pair.Key] = pair.Value ?? string.Empty;
                root["Tags"] = policyTags;
            }
            if (policy.Settings != null)
            {
                var type = policy.TypeValue;
                root["Settings"] = NormalizeSettings(type, policy.Settings.ToManagedServiceDataJson());
                var option = NormalizePolicyOption(policy.Settings.ToPolicyOptionJson());
                if (option != null) root["PolicyOption"] = option;
            }
            return (JsonObject)Clean(root)!;
        }

        private static HashSet<string> UnorderedKeys(FmsPolicyType type)
        {
            var keys = new HashSet<string>(CommonUnorderedKeys, StringComparer.Ordinal);
            if (TypeUnorderedKeys.TryGetValue(type, out var extra)) keys.UnionWith(extra);
            return keys;
        }

        private static JsonArray Strings(IEnumerable<string>? values)
        {
            var array = new JsonArray();
            if (values == null) return array;
            foreach (var value in values)
            {
                if (value != null) array.Add(value);
            }
            return array;
        }

        private static JsonObject NormalizeSettings(FmsPolicyType type, JsonObject settings)
        {
            var json = (JsonObject)settings.DeepClone();
            switch (type)
            {
                case FmsPolicyType.ShieldAdvanced:
                    // Sent without them, FMS returns IGNORED / null and false.
                    RemoveIf(json, "overrideCustomerWebaclClassic", false);
                    if (json["automaticResponseConfiguration"] is JsonObject response)
                    {
                        RemoveIf(response, "automaticResponseStatus", ShieldValues.Ignored);
                        // The action only means something once a status other than the default is set.
                        if (!response.ContainsKey("automaticResponseStatus") || response["automaticResponseAction"] == null) response.Remove("automaticResponseAction");
                        if (response.Count == 0) json.Remove("automaticResponseConfiguration");
                    }
                    break;
                case FmsPolicyType.WafV2:
                    RemoveIf(json, "overrideCustomerWebACLAssociation", false);
                    foreach (var listKey in new[] { "preProcessRuleGroups", "postProcessRuleGroups" })
                    {
                        if (!(json[listKey] is JsonArray groups)) continue;
                        foreach (var group in groups.OfType<JsonObject>())
                        {
                            // Omitted or false both mean "use the default version".
                            if (group["managedRuleGroupIdentifier"] is JsonObject identifier) RemoveIf(identifier, "versionEnabled", false);
                        }
                    }
                    break;
                case FmsPolicyType.Waf:
                    RemoveIf(json, "overrideCustomerWebACLAssociation", false);
                    break;
            }
            return json;
        }

        private static JsonObject? NormalizePolicyOption(JsonObject? option)
        {
            if (option == null) return null;
            var json = (JsonObject)option.DeepClone();
            // Distributed is what a Network Firewall policy without PolicyOption gets.
            if (json["networkFirewallPolicy"] is JsonObject networkFirewall) RemoveIf(networkFirewall, "firewallDeploymentModel", FirewallValues.Distributed);
            foreach (var key in json.Select(p => p.Key).ToList())
            {
                if (json[key] is JsonObject section && section.Count == 0) json.Remove(key);
            }
            return json.Count == 0 ? null : json;
        }

        private static void RemoveIf(JsonObject json, string key, bool value)
        {
            var kind = json[key]?.GetValueKind();
            if ((value && kind == JsonValueKind.True) || (!value && kind == JsonValueKind.False)) json.Remove(key);
        }

        private static void RemoveIf(JsonObject json, string key, string value)
        {
            if (json[key] is JsonValue node && node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == value) json.Remove(key);
        }

        /// <summary>Drops nulls and empty arrays and sorts object keys, recursively. Empty objects stay: {"count":{}} means something.</summary>
        private static JsonNode? Clean(JsonNode? node)
        {
            switch (node)
            {
                case null:
                    return null;
                case JsonObject obj:
                    var cleaned = new JsonObject();
                    foreach (var pair in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        var value = Clean(pair.Value);
                        if (value == null) continue;
                        if (value is JsonArray array && array.Count == 0) continue;
                        cleaned[pair.Key] = value;
                    }
                    return cleaned;
                case JsonArray list:
                    var items = new JsonArray();
                    foreach (var item in list)
                    {
                        var value = Clean(item);
                        if (value != null) items.Add(value);
                    }
                    return items;
                default:
                    return node.DeepClone();
            }
        }

        private static string Text(JsonNode? node) => node == null ? "null" : node.ToJsonString(PolicyJson.Compact);

        private static void DiffNode(JsonNode? desired, JsonNode? deployed, string path, HashSet<string> unordered, List<PolicyDifference> differences)
        {
            if (desired is JsonObject left && deployed is JsonObject right)
            {
                var keys = new SortedSet<string>(left.Select(p => p.Key).Concat(right.Select(p => p.Key)), StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    var childPath = PolicyJson.Join(path, key);
                    var hasLeft = left.TryGetPropertyValue(key, out var leftValue);
                    var hasRight = right.TryGetPropertyValue(key, out var rightValue);
                    if (hasLeft && !hasRight) differences.Add(new PolicyDifference(childPath, PolicyDifferenceKind.Added, Text(leftValue), null));
                    else if (!hasLeft && hasRight) differences.Add(new PolicyDifference(childPath, PolicyDifferenceKind.Removed, null, Text(rightValue)));
                    else if (leftValue is JsonArray leftArray && rightValue is JsonArray rightArray)
                    {
                        var isUnordered = path.StartsWith("Settings", StringComparison.Ordinal) || path.StartsWith("PolicyOption", StringComparison.Ordinal)
                            ? unordered.Contains(key)
                            : TopLevelUnordered.Contains(childPath) || unordered.Contains(childPath);
                        if (isUnordered) DiffSet(leftArray, rightArray, childPath, unordered, differences);
                        else DiffList(leftArray, rightArray, childPath, unordered, differences);
                    }
                    else DiffNode(leftValue, rightValue, childPath, unordered, differences);
                }
                return;
            }
            if (desired is JsonArray desiredArray && deployed is JsonArray deployedArray)
            {
                DiffList(desiredArray, deployedArray, path, unordered, differences);
                return;
            }
            if (!ScalarEquals(desired, deployed))
            {
                differences.Add(new PolicyDifference(path, PolicyDifferenceKind.Changed, Text(desired), Text(deployed)));
            }
        }

        private static bool ScalarEquals(JsonNode? left, JsonNode? right)
        {
            if (left is JsonValue a && right is JsonValue b && a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number)
            {
                if (a.TryGetValue<decimal>(out var x) && b.TryGetValue<decimal>(out var y)) return x == y;
                if (a.TryGetValue<double>(out var p) && b.TryGetValue<double>(out var q)) return p.Equals(q);
            }
            return string.Equals(Text(left), Text(right), StringComparison.Ordinal);
        }

        private static void DiffList(JsonArray desired, JsonArray deployed, string path, HashSet<string> unordered, List<PolicyDifference> differences)
        {
            if (desired.Count == deployed.Count && desired.Count > 1)
            {
                var leftTexts = desired.Select(Text).ToList();
                var rightTexts = deployed.Select(Text).ToList();
                if (!leftTexts.SequenceEqual(rightTexts, StringComparer.Ordinal)
                    && leftTexts.OrderBy(t => t, StringComparer.Ordinal).SequenceEqual(rightTexts.OrderBy(t => t, StringComparer.Ordinal), StringComparer.Ordinal))
                {
                    differences.Add(new PolicyDifference(path, PolicyDifferenceKind.Changed, Text(desired), Text(deployed), "same items, different order; the order is evaluation order"));
                    return;
                }
            }
            var common = Math.Min(desired.Count, deployed.Count);
            for (var i = 0; i < common; i++)
            {
                var left = desired[i];
                var right = deployed[i];
                if (left is JsonArray leftArray && right is JsonArray rightArray) DiffList(leftArray, rightArray, PolicyJson.Index(path, i), unordered, differences);
                else DiffNode(left, right, PolicyJson.Index(path, i), unordered, differences);
            }
            for (var i = common; i < desired.Count; i++) differences.Add(new PolicyDifference(PolicyJson.Index(path, i), PolicyDifferenceKind.Added, Text(desired[i]), null));
            for (var i = common; i < deployed.Count; i++) differences.Add(new PolicyDifference(PolicyJson.Index(path, i), PolicyDifferenceKind.Removed, null, Text(deployed[i])));
        }

        private static void DiffSet(JsonArray desired, JsonArray deployed, string path, HashSet<string> unordered, List<PolicyDifference> differences)
        {
            var identity = IdentityKey(desired, deployed);
            if (identity != null)
            {
                var left = desired.OfType<JsonObject>().ToDictionary(o => o[identity]!.GetValue<string>(), StringComparer.Ordinal);
                var right = deployed.OfType<JsonObject>().ToDictionary(o => o[identity]!.GetValue<string>(), StringComparer.Ordinal);
                foreach (var id in new SortedSet<string>(left.Keys.Concat(right.Keys), StringComparer.Ordinal))
                {
                    var itemPath = path + "[" + id + "]";
                    var inLeft = left.TryGetValue(id, out var leftItem);
                    var inRight = right.TryGetValue(id, out var rightItem);
                    if (inLeft && inRight) DiffNode(leftItem, rightItem, itemPath, unordered, differences);
                    else if (inLeft) differences.Add(new PolicyDifference(itemPath, PolicyDifferenceKind.Added, Text(leftItem), null));
                    else differences.Add(new PolicyDifference(itemPath, PolicyDifferenceKind.Removed, null, Text(rightItem)));
                }
                return;
            }
            var remaining = deployed.Select(Text).ToList();
            var added = new List<string>();
            foreach (var text in desired.Select(Text))
            {
                var index = remaining.IndexOf(text);
                if (index >= 0) remaining.RemoveAt(index);
                else added.Add(text);
            }
            foreach (var text in added.OrderBy(t => t, StringComparer.Ordinal)) differences.Add(new PolicyDifference(path, PolicyDifferenceKind.Added, text, null));
            foreach (var text in remaining.OrderBy(t => t, StringComparer.Ordinal)) differences.Add(new PolicyDifference(path, PolicyDifferenceKind.Removed, null, text));
        }

        /// <summary>A key whose string value is present and unique in every item on both sides, if there is one.</summary>
        private static string? IdentityKey(JsonArray desired, JsonArray deployed)
        {
            if (desired.Count + deployed.Count == 0) return null;
            var items = desired.Concat(deployed).ToList();
            if (items.Any(i => !(i is JsonObject))) return null;
            foreach (var key in IdentityKeys)
            {
                if (HasUniqueStringKey(desired, key) && HasUniqueStringKey(deployed, key)) return key;
            }
            return null;
        }

        private static bool HasUniqueStringKey(JsonArray items, string key)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (!(item is JsonObject obj) || !(obj[key] is JsonValue value) || value.GetValueKind() != JsonValueKind.String) return false;
                if (!seen.Add(value.GetValue<string>())) return false;
            }
            return true;
        }
    }
}
