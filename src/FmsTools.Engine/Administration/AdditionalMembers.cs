using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// Members of a Firewall Manager answer that this version does not know (a newer API's), carried from the wire
    /// shapes' AdditionalMembers to the engine's objects by their wire name, so that Export-FmsConfiguration writes
    /// them into the files, and back onto a request's shape (<see cref="Unknown"/>): an update sends the deployed object's,
    /// so that a Put (which replaces the whole object) does not reset a newer API's field; a create sends the file's.
    /// </summary>
    internal static class AdditionalMembers
    {
        // The wire names of each shape's members in this version's model (from the DTOs' JsonPropertyName attributes).
        private static readonly ConcurrentDictionary<Type, HashSet<string>> KnownNames = new ConcurrentDictionary<Type, HashSet<string>>();

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

        /// <summary>
        /// The members of <paramref name="fields"/> (may be null) to put on a request's <paramref name="shape"/>: those whose
        /// name is not a member of that shape in this version's model (a known field always comes from the object itself);
        /// null when there are none.
        /// </summary>
        public static Dictionary<string, JsonElement>? Unknown(IEnumerable<KeyValuePair<string, JsonNode?>>? fields, Type shape)
        {
            Dictionary<string, JsonElement>? members = null;
            foreach (var pair in fields ?? Enumerable.Empty<KeyValuePair<string, JsonNode?>>())
            {
                if (IsKnown(shape, pair.Key)) continue;
                (members ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[pair.Key] = Element(pair.Value);
            }
            return members;
        }

        /// <summary>
        /// The members kept under <paramref name="name"/> in <paramref name="fields"/> (a nested shape's, as <see cref="CopyNested"/>
        /// keeps them) to put on the request's nested <paramref name="shape"/>: those it does not know; null when there are none.
        /// </summary>
        public static Dictionary<string, JsonElement>? UnknownNested(IDictionary<string, JsonNode?>? fields, string name, Type shape)
            => fields != null && fields.TryGetValue(name, out var nested) && nested is JsonObject members ? Unknown(members, shape) : null;

        /// <summary>The JSON element of <paramref name="node"/> (JSON null for null).</summary>
        public static JsonElement Element(JsonNode? node)
        {
            using (var document = JsonDocument.Parse(node?.ToJsonString() ?? "null")) return document.RootElement.Clone();
        }

        /// <summary>Whether <paramref name="name"/> is a member of the wire shape <paramref name="shape"/> in this version's model.</summary>
        public static bool IsKnown(Type shape, string name)
            => KnownNames.GetOrAdd(shape, type => new HashSet<string>(type.GetProperties()
                .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
                .Where(n => n != null)
                .Select(n => n!), StringComparer.Ordinal)).Contains(name);
    }
}
