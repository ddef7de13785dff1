using System.Text.Json;
using System.Text.Json.Nodes;
using Wire = FmsTools.Aws.Fms;

namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// A policy's members that this version does not know (a newer API's), kept in <see cref="FmsPolicy.AdditionalFields"/>
    /// in the wire's own structure: a top-level unknown member under its name; unknown members nested in a known shape
    /// under that shape's wire name, as an object holding only them ("SecurityServicePolicyData": { "NewMember": ..,
    /// "PolicyOption": { .., "NetworkFirewallPolicy": { .. } } }); an unknown key of the include/exclude map under
    /// "IncludeMap"/"ExcludeMap"; a resource tag's unknown members under "ResourceTags" as entries naming the tag by its
    /// Key and Value; a network ACL entry's unknown members under its list ("NetworkAclEntrySet": { "FirstEntries": [..] })
    /// as entries holding the entry's known content (see PolicyAdditionalMembers.Entries.cs). Policy files write them as
    /// they are (upper-case top-level members).
    /// They are never compared or applied from a file, but they are sent back with PutPolicy (<see cref="Apply"/>): PutPolicy
    /// replaces the whole policy, so an update that left them out would reset the newer API's fields.
    /// </summary>
    internal static partial class PolicyAdditionalMembers
    {
        public const string Data = "SecurityServicePolicyData";
        public const string Option = "PolicyOption";
        public const string IncludeMap = "IncludeMap";
        public const string ExcludeMap = "ExcludeMap";
        public const string ResourceTags = "ResourceTags";
        private const string NetworkFirewall = "NetworkFirewallPolicy";
        private const string ThirdParty = "ThirdPartyFirewallPolicy";
        private const string NetworkAcl = "NetworkAclCommonPolicy";
        private const string EntrySet = "NetworkAclEntrySet";

        // ---- from the wire ----------------------------------------------------------------------------

        /// <summary>Copies the unknown members of <paramref name="policy"/>, top level and nested, into <paramref name="fields"/>.</summary>
        public static void Read(Wire.Policy policy, IDictionary<string, JsonNode?> fields)
        {
            Administration.AdditionalMembers.Copy(policy.AdditionalMembers, fields);
            var data = policy.SecurityServicePolicyData;
            if (data != null)
            {
                var dataFields = Members(data.AdditionalMembers);
                var option = data.PolicyOption;
                if (option != null)
                {
                    var optionFields = Members(option.AdditionalMembers);
                    Nest(optionFields, NetworkFirewall, Members(option.NetworkFirewallPolicy?.AdditionalMembers));
                    Nest(optionFields, ThirdParty, Members(option.ThirdPartyFirewallPolicy?.AdditionalMembers));
                    if (option.NetworkAclCommonPolicy != null)
                    {
                        var aclFields = Members(option.NetworkAclCommonPolicy.AdditionalMembers);
                        var set = option.NetworkAclCommonPolicy.NetworkAclEntrySet;
                        var setFields = Members(set?.AdditionalMembers);
                        Nest(setFields, FirstEntries, KeptEntries(set?.FirstEntries));
                        Nest(setFields, LastEntries, KeptEntries(set?.LastEntries));
                        Nest(aclFields, EntrySet, setFields);
                        Nest(optionFields, NetworkAcl, aclFields);
                    }
                    Nest(dataFields, Option, optionFields);
                }
                Nest(fields, Data, dataFields);
            }
            Nest(fields, IncludeMap, UnknownKeys(policy.IncludeMap));
            Nest(fields, ExcludeMap, UnknownKeys(policy.ExcludeMap));
            var tags = new JsonArray();
            foreach (var tag in policy.ResourceTags ?? new List<Wire.ResourceTag>())
            {
                if (tag?.AdditionalMembers == null || tag.AdditionalMembers.Count == 0) continue;
                var entry = new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value ?? string.Empty };
                foreach (var pair in tag.AdditionalMembers.OrderBy(p => p.Key, StringComparer.Ordinal)) entry[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
                tags.Add(entry);
            }
            if (tags.Count > 0 && !fields.ContainsKey(ResourceTags)) fields[ResourceTags] = tags;
        }

        private static JsonObject Members(Dictionary<string, JsonElement>? members)
        {
            var json = new JsonObject();
            if (members == null) return json;
            foreach (var pair in members.OrderBy(p => p.Key, StringComparer.Ordinal)) json[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
            return json;
        }

        private static void Nest(IDictionary<string, JsonNode?> target, string name, JsonNode nested)
        {
            if ((nested is JsonObject members && members.Count == 0) || (nested is JsonArray entries && entries.Count == 0) || target.ContainsKey(name)) return;
            // In name order with the members beside it, so that a file written from it is the same whatever the order of the answer.
            var ordered = target.ToList();
            ordered.Add(new KeyValuePair<string, JsonNode?>(name, nested));
            if (target is JsonObject json)
            {
                json.Clear();
                foreach (var pair in ordered.OrderBy(p => p.Key, StringComparer.Ordinal)) json[pair.Key] = pair.Value;
            }
            else target[name] = nested;
        }

        private static JsonObject UnknownKeys(Dictionary<string, List<string>>? map)
        {
            var json = new JsonObject();
            if (map == null) return json;
            foreach (var pair in map.Where(p => !IsKnownScopeKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
                json[pair.Key] = new JsonArray((pair.Value ?? new List<string>()).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            return json;
        }

        private static bool IsKnownScopeKey(string key)
            => key == PolicyWireMapper.AccountKey || key == PolicyWireMapper.OrgUnitKey || key == PolicyWireMapper.OrgUnitKeyCloudFormation;

        // ---- to the wire ------------------------------------------------------------------------------

        /// <summary>
        /// Puts <paramref name="fields"/> back on the request's shapes. A member whose name this version knows is never
        /// set from them (known fields come from the policy itself), and nested members go only onto a shape the request has.
        /// </summary>
        public static void Apply(IDictionary<string, JsonNode?> fields, Wire.Policy wire)
        {
            foreach (var pair in fields)
            {
                switch (pair.Key)
                {
                    case Data:
                        if (pair.Value is JsonObject data && wire.SecurityServicePolicyData != null) ApplyData(data, wire.SecurityServicePolicyData);
                        break;
                    case IncludeMap:
                        wire.IncludeMap = ApplyMap(pair.Value as JsonObject, wire.IncludeMap);
                        break;
                    case ExcludeMap:
                        wire.ExcludeMap = ApplyMap(pair.Value as JsonObject, wire.ExcludeMap);
                        break;
                    case ResourceTags:
                        if (pair.Value is JsonArray tags && wire.ResourceTags != null) ApplyTags(tags, wire.ResourceTags);
                        break;
                    default:
                        if (!IsKnown(typeof(Wire.Policy), pair.Key)) (wire.AdditionalMembers ??= new Dictionary<string, JsonElement>())[pair.Key] = Element(pair.Value);
                        break;
                }
            }
        }

        private static void ApplyData(JsonObject fields, Wire.SecurityServicePolicyData data)
        {
            data.AdditionalMembers = Unknown(fields, typeof(Wire.SecurityServicePolicyData));
            var option = data.PolicyOption;
            if (option == null || !(fields[Option] is JsonObject optionFields)) return;
            option.AdditionalMembers = Unknown(optionFields, typeof(Wire.PolicyOption));
            if (option.NetworkFirewallPolicy != null && optionFields[NetworkFirewall] is JsonObject networkFirewall)
                option.NetworkFirewallPolicy.AdditionalMembers = Unknown(networkFirewall, typeof(Wire.NetworkFirewallPolicy));
            if (option.ThirdPartyFirewallPolicy != null && optionFields[ThirdParty] is JsonObject thirdParty)
                option.ThirdPartyFirewallPolicy.AdditionalMembers = Unknown(thirdParty, typeof(Wire.ThirdPartyFirewallPolicy));
            if (option.NetworkAclCommonPolicy != null && optionFields[NetworkAcl] is JsonObject acl)
            {
                option.NetworkAclCommonPolicy.AdditionalMembers = Unknown(acl, typeof(Wire.NetworkAclCommonPolicy));
                var entrySet = option.NetworkAclCommonPolicy.NetworkAclEntrySet;
                if (entrySet != null && acl[EntrySet] is JsonObject set)
                {
                    entrySet.AdditionalMembers = Unknown(set, typeof(Wire.NetworkAclEntrySet));
                    ApplyEntries(set[FirstEntries] as JsonArray, entrySet.FirstEntries);
                    ApplyEntries(set[LastEntries] as JsonArray, entrySet.LastEntries);
                }
            }
        }

        private static Dictionary<string, List<string>>? ApplyMap(JsonObject? fields, Dictionary<string, List<string>>? map)
        {
            if (fields == null) return map;
            foreach (var pair in fields)
            {
                if (IsKnownScopeKey(pair.Key) || !(pair.Value is JsonArray values) || values.Any(v => v?.GetValueKind() != JsonValueKind.String)) continue;
                map ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
                if (!map.ContainsKey(pair.Key)) map[pair.Key] = values.Select(v => v!.GetValue<string>()).ToList();
            }
            return map;
        }

        private static void ApplyTags(JsonArray entries, List<Wire.ResourceTag> tags)
        {
            foreach (var entry in entries.OfType<JsonObject>())
            {
                var key = Text(entry, "Key");
                var value = Text(entry, "Value") ?? string.Empty;
                var tag = tags.FirstOrDefault(t => t.AdditionalMembers == null && t.Key == key && (t.Value ?? string.Empty) == value);
                if (tag != null) tag.AdditionalMembers = Unknown(entry, typeof(Wire.ResourceTag));
            }
        }

        private static string? Text(JsonObject json, string key)
            => json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

        private static Dictionary<string, JsonElement>? Unknown(JsonObject fields, Type shape) => Administration.AdditionalMembers.Unknown(fields, shape);

        private static JsonElement Element(JsonNode? node) => Administration.AdditionalMembers.Element(node);

        /// <summary>Whether <paramref name="name"/> is a member of the wire shape <paramref name="shape"/> in this version's model.</summary>
        public static bool IsKnown(Type shape, string name) => Administration.AdditionalMembers.IsKnown(shape, name);

        // ---- for warnings ----------------------------------------------------------------------------

        /// <summary>What a warning says about a kept member (after its path).</summary>
        public const string KeptMessage = "is not a field this version knows (a newer Firewall Manager API's member); it is kept in the file as it is "
            + "and never compared; a create sends it as it is, an update sends the deployed policy's value instead.";

        /// <summary>
        /// The path of each member <paramref name="policy"/> keeps, for a warning: "NewMember", "SecurityServicePolicyData.NewMember",
        /// "SecurityServicePolicyData.PolicyOption.NetworkFirewallPolicy.NewMember", "IncludeMap.NEW_KEY",
        /// "ResourceTags[env=prod].NewMember", "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].NewMember"
        /// (the index of the policy's entry it is matched to; "[?]" when it matches none).
        /// </summary>
        public static IEnumerable<string> Paths(FmsPolicy policy)
        {
            var fields = policy.AdditionalFields;
            var entrySet = fields.ContainsKey(Data) ? PolicyWireMapper.PolicyOptionFromJson(policy.Settings?.ToPolicyOptionJson())?.NetworkAclCommonPolicy?.NetworkAclEntrySet : null;
            foreach (var pair in fields)
            {
                switch (pair.Key)
                {
                    case Data when pair.Value is JsonObject data:
                        foreach (var path in NestedPaths(Data, data, typeof(Wire.SecurityServicePolicyData), entrySet)) yield return path;
                        break;
                    case IncludeMap when pair.Value is JsonObject:
                    case ExcludeMap when pair.Value is JsonObject:
                        foreach (var key in ((JsonObject)pair.Value!).Select(p => p.Key)) yield return pair.Key + "." + key;
                        break;
                    case ResourceTags when pair.Value is JsonArray tags:
                        foreach (var entry in tags.OfType<JsonObject>())
                            foreach (var member in entry.Select(p => p.Key).Where(k => !IsKnown(typeof(Wire.ResourceTag), k)))
                                yield return ResourceTags + "[" + Text(entry, "Key") + "=" + Text(entry, "Value") + "]." + member;
                        break;
                    default:
                        yield return pair.Key;
                        break;
                }
            }
        }

        private static readonly Dictionary<string, Type> NestedShapes = new Dictionary<string, Type>(StringComparer.Ordinal)
        {
            [Option] = typeof(Wire.PolicyOption),
            [NetworkFirewall] = typeof(Wire.NetworkFirewallPolicy),
            [ThirdParty] = typeof(Wire.ThirdPartyFirewallPolicy),
            [NetworkAcl] = typeof(Wire.NetworkAclCommonPolicy),
            [EntrySet] = typeof(Wire.NetworkAclEntrySet),
        };

        private static IEnumerable<string> NestedPaths(string prefix, JsonObject fields, Type shape, Wire.NetworkAclEntrySet? entrySet)
        {
            foreach (var pair in fields)
            {
                if (IsKnown(shape, pair.Key) && NestedShapes.TryGetValue(pair.Key, out var nested) && pair.Value is JsonObject child)
                {
                    foreach (var path in NestedPaths(prefix + "." + pair.Key, child, nested, entrySet)) yield return path;
                }
                else if (shape == typeof(Wire.NetworkAclEntrySet) && (pair.Key == FirstEntries || pair.Key == LastEntries) && pair.Value is JsonArray kept)
                {
                    var entries = pair.Key == FirstEntries ? entrySet?.FirstEntries : entrySet?.LastEntries;
                    foreach (var path in EntryPaths(prefix + "." + pair.Key, kept, entries)) yield return path;
                }
                else yield return prefix + "." + pair.Key;
            }
        }
    }
}
