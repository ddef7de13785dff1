using System.Text.Json;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// Members of a Firewall Manager answer that this version does not know (a newer API's), carried from the wire
    /// shapes' AdditionalMembers to the engine's objects by their wire name, so that Export-FmsConfiguration writes
    /// them into the files. They are never sent back: requests are built from the known fields only.
    /// </summary>
    internal static class AdditionalMembers
    {
        public static SortedItemDictionary<string, JsonNode?> New() => new SortedItemDictionary<string, JsonNode?>(StringComparer.Ordinal);

        /// <summary>Copies <paramref name="members"/> (may be null) into <paramref name="target"/> as JSON nodes.</summary>
        public static void Copy(Dictionary<string, JsonElement>? members, IDictionary<string, JsonNode?> target)
        {
            if (members == null) return;
            foreach (var pair in members) target[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
        }

        /// <summary><paramref name="target"/> with <paramref name="members"/> copied into its <paramref name="fields"/>.</summary>
        public static T Keep<T>(T target, Dictionary<string, JsonElement>? members, Func<T, IDictionary<string, JsonNode?>> fields)
        {
            Copy(members, fields(target));
            return target;
        }

        /// <summary>The members as one object under <paramref name="name"/> in <paramref name="target"/> (a nested shape's unknown members); nothing when there are none.</summary>
        public static void CopyNested(string name, Dictionary<string, JsonElement>? members, IDictionary<string, JsonNode?> target)
        {
            if (members == null || members.Count == 0 || target.ContainsKey(name)) return;
            var nested = new JsonObject();
            foreach (var pair in members.OrderBy(p => p.Key, StringComparer.Ordinal)) nested[pair.Key] = JsonNode.Parse(pair.Value.GetRawText());
            target[name] = nested;
        }
    }
}
