using System.Text.Json;
using System.Text.Json.Nodes;
using Wire = FmsTools.Aws.Fms;

namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// A newer API's members inside the entries of a network ACL policy (NetworkAclEntrySet.FirstEntries/LastEntries).
    /// An entry has no identity but its content, so each entry with unknown members is kept, in list order, under its
    /// list's wire name as an object holding the entry's known content (CidrBlock, Egress, IcmpTypeCode, Ipv6CidrBlock,
    /// PortRange, Protocol, RuleAction: the key it is matched back by) followed by its unknown members, those of its port
    /// range and ICMP type/code inside "PortRange"/"IcmpTypeCode" after the known ones:
    /// "NetworkAclEntrySet": { "FirstEntries": [ { "CidrBlock": "0.0.0.0/0", "Egress": false, ..., "Logging": "ON" } ] }.
    /// Matched back by known content; where several entries of the list have the same content, by position among them
    /// (the n-th kept entry with that content is the n-th such entry of the list; an earlier entry with the same content
    /// and no unknown member is kept as its content alone, to hold its place). So reordering entries keeps each one's
    /// members, and a kept entry whose content no entry of the list has any more (changed in a file, or by the update)
    /// is not sent.
    /// </summary>
    internal static partial class PolicyAdditionalMembers
    {
        private const string FirstEntries = "FirstEntries";
        private const string LastEntries = "LastEntries";
        private const string PortRange = "PortRange";
        private const string IcmpTypeCode = "IcmpTypeCode";

        /// <summary>
        /// The entries of <paramref name="entries"/> with unknown members, each as its known content then those members;
        /// an earlier entry with the same content as one of them is kept too, as its content alone, so that each is
        /// matched back to its own position among the entries with that content.
        /// </summary>
        private static JsonArray KeptEntries(List<Wire.NetworkAclEntry>? entries)
        {
            var kept = new JsonArray();
            if (entries == null) return kept;
            var contents = entries.Select(e => e == null ? null : EntryContent(e)).ToList();
            var lastWithMembers = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
                if (contents[i] != null && HasMembers(entries[i])) lastWithMembers[contents[i]!.ToJsonString()] = i;
            for (var i = 0; i < entries.Count; i++)
            {
                var json = contents[i];
                if (json == null || !lastWithMembers.TryGetValue(json.ToJsonString(), out var last) || i > last) continue;
                AddMembers(json, PortRange, entries[i].PortRange?.AdditionalMembers);
                AddMembers(json, IcmpTypeCode, entries[i].IcmpTypeCode?.AdditionalMembers);
                foreach (var pair in (entries[i].AdditionalMembers ?? new Dictionary<string, JsonElement>()).OrderBy(p => p.Key, StringComparer.Ordinal))
                    if (!json.ContainsKey(pair.Key)) json[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
                kept.Add(json);
            }
            return kept;
        }

        private static bool HasMembers(Wire.NetworkAclEntry entry)
            => entry.AdditionalMembers?.Count > 0 || entry.PortRange?.AdditionalMembers?.Count > 0 || entry.IcmpTypeCode?.AdditionalMembers?.Count > 0;

        /// <summary>A part's (port range, ICMP type/code) unknown members into the kept entry's object for that part, after its known members.</summary>
        private static void AddMembers(JsonObject entry, string part, Dictionary<string, JsonElement>? members)
        {
            if (members == null || members.Count == 0) return;
            if (!(entry[part] is JsonObject json)) entry[part] = json = new JsonObject();
            foreach (var pair in members.OrderBy(p => p.Key, StringComparer.Ordinal))
                if (!json.ContainsKey(pair.Key)) json[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
        }

        /// <summary>Puts each kept entry's unknown members on the entry of <paramref name="entries"/> it matches (and on its parts it has).</summary>
        private static void ApplyEntries(JsonArray? kept, List<Wire.NetworkAclEntry>? entries)
        {
            if (kept == null || entries == null) return;
            var matches = Match(kept, entries);
            for (var i = 0; i < kept.Count; i++)
            {
                if (!(matches[i] is int index) || !(kept[i] is JsonObject json)) continue;
                var entry = entries[index];
                entry.AdditionalMembers = Unknown(json, typeof(Wire.NetworkAclEntry));
                if (entry.PortRange != null && json[PortRange] is JsonObject range) entry.PortRange.AdditionalMembers = Unknown(range, typeof(Wire.NetworkAclPortRange));
                if (entry.IcmpTypeCode != null && json[IcmpTypeCode] is JsonObject icmp) entry.IcmpTypeCode.AdditionalMembers = Unknown(icmp, typeof(Wire.NetworkAclIcmpTypeCode));
            }
        }

        /// <summary>
        /// "&lt;prefix&gt;[i].Member" (or "[i].PortRange.Member", "[i].IcmpTypeCode.Member") for each unknown member of each kept
        /// entry; i is the matched entry's index, "?" when none.
        /// </summary>
        private static IEnumerable<string> EntryPaths(string prefix, JsonArray kept, List<Wire.NetworkAclEntry>? entries)
        {
            var matches = Match(kept, entries ?? new List<Wire.NetworkAclEntry>());
            for (var i = 0; i < kept.Count; i++)
            {
                if (!(kept[i] is JsonObject json)) continue;
                var index = matches[i]?.ToString(CultureInfo.InvariantCulture) ?? "?";
                var entry = prefix + "[" + index + "].";
                foreach (var member in json.Select(p => p.Key).Where(k => !IsKnown(typeof(Wire.NetworkAclEntry), k))) yield return entry + member;
                if (json[PortRange] is JsonObject range)
                    foreach (var member in range.Select(p => p.Key).Where(k => !IsKnown(typeof(Wire.NetworkAclPortRange), k))) yield return entry + PortRange + "." + member;
                if (json[IcmpTypeCode] is JsonObject icmp)
                    foreach (var member in icmp.Select(p => p.Key).Where(k => !IsKnown(typeof(Wire.NetworkAclIcmpTypeCode), k))) yield return entry + IcmpTypeCode + "." + member;
            }
        }

        /// <summary>
        /// The index in <paramref name="entries"/> of each kept entry, null when none matches: the first entry not yet
        /// matched with the same known content.
        /// </summary>
        private static List<int?> Match(JsonArray kept, List<Wire.NetworkAclEntry> entries)
        {
            var keys = entries.Select(e => e == null ? null : EntryContent(e).ToJsonString()).ToList();
            var used = new bool[keys.Count];
            var matches = new List<int?>();
            foreach (var node in kept)
            {
                int? match = null;
                var key = node is JsonObject json ? EntryContent(EntryOf(json)).ToJsonString() : null;
                for (var i = 0; key != null && i < keys.Count; i++)
                {
                    if (used[i] || keys[i] != key) continue;
                    used[i] = true;
                    match = i;
                    break;
                }
                matches.Add(match);
            }
            return matches;
        }

        /// <summary>
        /// An entry's known content in wire names, sorted, in one canonical form (Egress false when absent, an empty port
        /// range or ICMP type/code left out), so that the same entry gives the same JSON from an answer, a file or a request.
        /// </summary>
        private static JsonObject EntryContent(Wire.NetworkAclEntry entry)
        {
            var json = new JsonObject();
            if (entry.CidrBlock != null) json["CidrBlock"] = entry.CidrBlock;
            json["Egress"] = entry.Egress ?? false;
            var icmp = entry.IcmpTypeCode;
            if (icmp != null && (icmp.Code.HasValue || icmp.Type.HasValue)) json[IcmpTypeCode] = Numbers("Code", icmp.Code, "Type", icmp.Type);
            if (entry.Ipv6CidrBlock != null) json["Ipv6CidrBlock"] = entry.Ipv6CidrBlock;
            var range = entry.PortRange;
            if (range != null && (range.From.HasValue || range.To.HasValue)) json[PortRange] = Numbers("From", range.From, "To", range.To);
            if (entry.Protocol != null) json["Protocol"] = entry.Protocol;
            if (entry.RuleAction != null) json["RuleAction"] = entry.RuleAction;
            return json;
        }

        private static JsonObject Numbers(string first, int? firstValue, string second, int? secondValue)
        {
            var json = new JsonObject();
            if (firstValue.HasValue) json[first] = firstValue.Value;
            if (secondValue.HasValue) json[second] = secondValue.Value;
            return json;
        }

        /// <summary>The known content of a kept entry (wire names), read tolerantly: a member of the wrong kind is left out.</summary>
        private static Wire.NetworkAclEntry EntryOf(JsonObject json)
        {
            var entry = new Wire.NetworkAclEntry
            {
                CidrBlock = Text(json, "CidrBlock"),
                Ipv6CidrBlock = Text(json, "Ipv6CidrBlock"),
                Protocol = Text(json, "Protocol"),
                RuleAction = Text(json, "RuleAction"),
                Egress = json["Egress"]?.GetValueKind() == JsonValueKind.True,
            };
            if (json[PortRange] is JsonObject range) entry.PortRange = new Wire.NetworkAclPortRange { From = Number(range, "From"), To = Number(range, "To") };
            if (json[IcmpTypeCode] is JsonObject icmp) entry.IcmpTypeCode = new Wire.NetworkAclIcmpTypeCode { Code = Number(icmp, "Code"), Type = Number(icmp, "Type") };
            return entry;
        }

        private static int? Number(JsonObject json, string key)
            => json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : (int?)null;
    }
}
