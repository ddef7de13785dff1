using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies.Input
{
    /// <summary>
    /// Reads the loosely typed values policy builders accept (dictionaries, arrays, scalars and JSON text) into strings,
    /// key/value maps and JsonNodes. The values are plain .NET objects: the PowerShell layer unwraps its own wrappers
    /// before it calls here. Anything unusable is an <see cref="FmsInputException"/> naming the field and the rule.
    /// </summary>
    public static class PolicyInput
    {
        /// <summary>A dictionary as a case-insensitive map (keys as text); null when the value is not one.</summary>
        public static Dictionary<string, object?>? AsMap(object? value)
        {
            if (value is Dictionary<string, object?> map && map.Comparer == StringComparer.OrdinalIgnoreCase) return map;
            if (!(value is IDictionary dictionary)) return null;
            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in dictionary)
                result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = entry.Value;
            return result;
        }

        /// <summary>The first of <paramref name="keys"/> the map has a non-null value for.</summary>
        public static object? Get(Dictionary<string, object?> map, params string[] keys)
        {
            foreach (var key in keys)
                if (map.TryGetValue(key, out var value) && value != null) return value;
            return null;
        }

        public static string? Text(object? value) => value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

        /// <summary>One string or many.</summary>
        public static List<string> TextList(object? value)
        {
            if (value == null) return new List<string>();
            if (value is string s) return new List<string> { s };
            if (value is IEnumerable items && !(value is IDictionary))
                return items.Cast<object?>().Select(Text).Where(t => t != null).Select(t => t!).ToList();
            return new List<string> { Text(value)! };
        }

        public static int? Number(object? value, string field)
        {
            if (value == null) return null;
            if (value is int i) return i;
            if (int.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            throw new FmsInputException(field, "Parameter.Number", $"{field}: '{Text(value)}' is not a whole number.");
        }

        /// <summary>A boolean, or text that reads as one; null otherwise.</summary>
        public static bool? Flag(object? value)
        {
            switch (value)
            {
                case null: return null;
                case bool b: return b;
                default: return bool.TryParse(Text(value), out var parsed) ? parsed : (bool?)null;
            }
        }

        /// <summary>One value or many (a string or a dictionary is one).</summary>
        public static List<object?> Items(object? value)
        {
            if (value == null) return new List<object?>();
            if (value is string || value is IDictionary) return new List<object?> { value };
            if (value is IEnumerable items) return items.Cast<object?>().ToList();
            return new List<object?> { value };
        }

        /// <summary>
        /// A JSON value from a dictionary, array, scalar, JsonNode, settings object or JSON text (a string starting with
        /// { or [). Keys are kept as given: the service's camelCase names are expected.
        /// </summary>
        public static JsonNode? ToJson(object? value, string field)
        {
            switch (value)
            {
                case null: return null;
                case JsonNode node: return node.DeepClone();
                case JsonBackedObject typed: return typed.ToJson();
                case string text:
                    var trimmed = text.TrimStart();
                    if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
                    {
                        try
                        {
                            return JsonNode.Parse(text);
                        }
                        catch (JsonException e)
                        {
                            throw new FmsInputException(field, "Parameter.Json", $"{field}: the text is not valid JSON ({e.Message}).");
                        }
                    }
                    return JsonValue.Create(text);
                case bool b: return JsonValue.Create(b);
                case int i: return JsonValue.Create(i);
                case long l: return JsonValue.Create(l);
                case double d: return JsonValue.Create(d);
                case decimal m: return JsonValue.Create(m);
                case IDictionary dictionary:
                    var obj = new JsonObject();
                    foreach (DictionaryEntry entry in dictionary)
                        obj[Text(entry.Key) ?? string.Empty] = ToJson(entry.Value, field);
                    return obj;
                case IEnumerable items:
                    var array = new JsonArray();
                    foreach (var item in items) array.Add(ToJson(item, field));
                    return array;
                default:
                    return JsonValue.Create(Text(value));
            }
        }
    }
}
