using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>Something wrong with a value read from ManagedServiceData, a PolicyOption or a policy file.</summary>
    public sealed class PolicyParseIssue
    {
        public PolicyParseIssue(string path, string message)
        {
            Path = path;
            Message = message;
        }

        /// <summary>Where, e.g. "Settings.preProcessRuleGroups[1].priority".</summary>
        public string Path { get; }

        public string Message { get; }

        public override string ToString() => Path + ": " + Message;
    }

    /// <summary>
    /// A typed view of one JSON object from ManagedServiceData. Keys this version does not know (or values of
    /// an unexpected type) are kept in <see cref="AdditionalFields"/> and written back unchanged, so reading
    /// and writing a policy never silently drops anything the service or the author put there.
    /// </summary>
    public abstract class JsonBackedObject
    {
        /// <summary>Keys not mapped to a typed property, by their JSON name (camelCase), with their raw values.</summary>
        public IDictionary<string, JsonNode?> AdditionalFields { get; } = new SortedItemDictionary<string, JsonNode?>(StringComparer.Ordinal);

        internal virtual void ReadFields(JsonFieldReader reader) => MapFields(new JsonFieldMap(reader));

        internal virtual void WriteFields(JsonObjectWriter writer) => MapFields(new JsonFieldMap(writer));

        /// <summary>
        /// The typed fields, each once, as <c>X = fields.Kind("jsonKey", X);</c>: the same line reads X from JSON
        /// or writes it, so a key cannot be read under one name and written under another. Written in this order.
        /// </summary>
        internal abstract void MapFields(JsonFieldMap fields);

        /// <summary>This object as JSON: typed fields in a fixed order, then additional fields in ordinal key order.</summary>
        public JsonObject ToJson()
        {
            var writer = new JsonObjectWriter();
            WriteFields(writer);
            return writer.Finish(this);
        }

        /// <summary>Compact JSON: what Export-Csv and ConvertTo-Json past its depth show for a part of a policy's settings.</summary>
        public override string ToString() => ToJson().ToJsonString(PolicyJson.Compact);

        /// <summary>A deep copy of <paramref name="value"/> (through its JSON: typed and additional fields alike).</summary>
        public static T Copy<T>(T value) where T : JsonBackedObject, new()
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            return ReadObject<T>(value.ToJson(), string.Empty, new List<PolicyParseIssue>());
        }

        internal static T ReadObject<T>(JsonObject json, string path, List<PolicyParseIssue> issues) where T : JsonBackedObject, new()
        {
            var item = new T();
            var reader = new JsonFieldReader(json, path, issues);
            item.ReadFields(reader);
            reader.Finish(item);
            return item;
        }
    }

    /// <summary>Shared JSON settings: compact and without needless escaping (escapes count against the 30,000-character limit).</summary>
    public static class PolicyJson
    {
        /// <summary>One line, no indentation.</summary>
        public static JsonSerializerOptions Compact { get; } = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = false,
        };

        /// <summary>Indented, for files people read and review.</summary>
        public static JsonSerializerOptions Indented { get; } = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = true,
        };

        internal static string Describe(JsonNode? node) => node == null ? "null" : DescribeKind(node.GetValueKind(), "null");

        /// <summary>A JSON value's kind as a message names it ("an object", "a string", ...); null is "null", anything else <paramref name="otherwise"/>.</summary>
        internal static string DescribeKind(JsonValueKind kind, string otherwise)
        {
            switch (kind)
            {
                case JsonValueKind.Object: return "an object";
                case JsonValueKind.Array: return "an array";
                case JsonValueKind.String: return "a string";
                case JsonValueKind.Number: return "a number";
                case JsonValueKind.True:
                case JsonValueKind.False: return "a boolean";
                case JsonValueKind.Null: return "null";
                default: return otherwise;
            }
        }

        internal static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        internal static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
    }

    /// <summary>
    /// Reads typed values out of a JSON object, remembering which keys it used. A value of the wrong type
    /// is reported and left unread, so it ends up in AdditionalFields and survives a round trip.
    /// </summary>
    internal sealed class JsonFieldReader
    {
        private readonly JsonObject _json;
        private readonly HashSet<string> _consumed = new HashSet<string>(StringComparer.Ordinal);

        public JsonFieldReader(JsonObject json, string path, List<PolicyParseIssue> issues)
        {
            _json = json;
            Path = path;
            Issues = issues;
        }

        public string Path { get; }

        public List<PolicyParseIssue> Issues { get; }

        public bool Has(string key) => _json.ContainsKey(key);

        private bool TryTake(string key, out JsonNode? value)
        {
            if (!_json.TryGetPropertyValue(key, out value)) return false;
            return true;
        }

        private void WrongType(string key, string expected, JsonNode? actual) =>
            Issues.Add(new PolicyParseIssue(PolicyJson.Join(Path, key), "expected " + expected + " but found " + PolicyJson.Describe(actual) + "."));

        public string? String(string key)
        {
            if (!TryTake(key, out var node)) return null;
            if (node == null) { _consumed.Add(key); return null; }
            if (node.GetValueKind() == JsonValueKind.String)
            {
                _consumed.Add(key);
                return node.GetValue<string>();
            }
            WrongType(key, "a string", node);
            return null;
        }

        public bool? Bool(string key)
        {
            if (!TryTake(key, out var node)) return null;
            if (node == null) { _consumed.Add(key); return null; }
            var kind = node.GetValueKind();
            if (kind == JsonValueKind.True || kind == JsonValueKind.False)
            {
                _consumed.Add(key);
                return kind == JsonValueKind.True;
            }
            WrongType(key, "true or false", node);
            return null;
        }

        public int? Int(string key)
        {
            if (!TryTake(key, out var node)) return null;
            if (node == null) { _consumed.Add(key); return null; }
            if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue value && value.TryGetValue<int>(out var number))
            {
                _consumed.Add(key);
                return number;
            }
            WrongType(key, "a whole number", node);
            return null;
        }

        /// <summary>Any JSON value, kept as is (a deep copy).</summary>
        public JsonNode? Node(string key)
        {
            if (!TryTake(key, out var node)) return null;
            _consumed.Add(key);
            return node?.DeepClone();
        }

        /// <summary>A JSON object kept as is; anything else is reported.</summary>
        public JsonObject? RawObject(string key)
        {
            if (!TryTake(key, out var node)) return null;
            if (node == null) { _consumed.Add(key); return null; }
            if (node is JsonObject obj)
            {
                _consumed.Add(key);
                return (JsonObject)obj.DeepClone();
            }
            WrongType(key, "an object", node);
            return null;
        }

        public List<string> StringList(string key)
        {
            var result = new List<string>();
            if (!TryTake(key, out var node)) return result;
            if (node == null) { _consumed.Add(key); return result; }
            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    if (item == null || item.GetValueKind() != JsonValueKind.String)
                    {
                        Issues.Add(new PolicyParseIssue(PolicyJson.Index(PolicyJson.Join(Path, key), i), "expected a string but found " + PolicyJson.Describe(item) + "."));
                        return new List<string>();
                    }
                    result.Add(item.GetValue<string>());
                }
                _consumed.Add(key);
                return result;
            }
            WrongType(key, "an array of strings", node);
            return result;
        }

        public List<T> ObjectList<T>(string key) where T : JsonBackedObject, new()
        {
            var result = new List<T>();
            if (!TryTake(key, out var node)) return result;
            if (node == null) { _consumed.Add(key); return result; }
            if (node is JsonArray array)
            {
                var listPath = PolicyJson.Join(Path, key);
                for (var i = 0; i < array.Count; i++)
                {
                    if (!(array[i] is JsonObject))
                    {
                        Issues.Add(new PolicyParseIssue(PolicyJson.Index(listPath, i), "expected an object but found " + PolicyJson.Describe(array[i]) + "."));
                        return new List<T>();
                    }
                }
                for (var i = 0; i < array.Count; i++)
                {
                    result.Add(JsonBackedObject.ReadObject<T>((JsonObject)array[i]!, PolicyJson.Index(listPath, i), Issues));
                }
                _consumed.Add(key);
                return result;
            }
            WrongType(key, "an array of objects", node);
            return result;
        }

        public T? Object<T>(string key) where T : JsonBackedObject, new()
        {
            if (!TryTake(key, out var node)) return null;
            if (node == null) { _consumed.Add(key); return null; }
            if (node is JsonObject obj)
            {
                _consumed.Add(key);
                return JsonBackedObject.ReadObject<T>(obj, PolicyJson.Join(Path, key), Issues);
            }
            WrongType(key, "an object", node);
            return null;
        }

        /// <summary>Moves every key not read into the target's AdditionalFields.</summary>
        public void Finish(JsonBackedObject target)
        {
            foreach (var pair in _json)
            {
                if (_consumed.Contains(pair.Key)) continue;
                target.AdditionalFields[pair.Key] = pair.Value?.DeepClone();
            }
        }

        /// <summary>Keys present but not read so far (for strict readers that must not keep unknown keys).</summary>
        public IEnumerable<string> UnreadKeys()
        {
            foreach (var pair in _json)
            {
                if (!_consumed.Contains(pair.Key)) yield return pair.Key;
            }
        }
    }

    /// <summary>
    /// Reads or writes a typed field, depending on what it wraps: reading returns the value found in the JSON
    /// (the argument is ignored), writing adds the argument to the JSON and returns it unchanged.
    /// </summary>
    internal sealed class JsonFieldMap
    {
        public JsonFieldMap(JsonFieldReader reader) { Reader = reader; }

        public JsonFieldMap(JsonObjectWriter writer) { Writer = writer; }

        /// <summary>Set when reading.</summary>
        public JsonFieldReader? Reader { get; }

        /// <summary>Set when writing.</summary>
        public JsonObjectWriter? Writer { get; }

        public string? String(string key, string? value)
        {
            if (Reader != null) return Reader.String(key);
            Writer!.Add(key, value);
            return value;
        }

        public bool? Bool(string key, bool? value)
        {
            if (Reader != null) return Reader.Bool(key);
            Writer!.Add(key, value);
            return value;
        }

        /// <summary>A flag that is always written; absent (or null) it reads as false.</summary>
        public bool Flag(string key, bool value) => Bool(key, value) ?? false;

        public int? Int(string key, int? value)
        {
            if (Reader != null) return Reader.Int(key);
            Writer!.Add(key, value);
            return value;
        }

        /// <summary>Any JSON value, kept as is.</summary>
        public JsonNode? Node(string key, JsonNode? value)
        {
            if (Reader != null) return Reader.Node(key);
            Writer!.Add(key, value);
            return value;
        }

        /// <summary>A key whose value is fixed by the object (e.g. "type"): read and dropped, written as given.</summary>
        public void Constant(string key, string value)
        {
            if (Reader != null) Reader.Node(key);
            else Writer!.Add(key, value);
        }

        public List<string> Strings(string key, List<string> values, bool writeEmpty = false)
        {
            if (Reader != null) return Reader.StringList(key);
            Writer!.Add(key, values, writeEmpty);
            return values;
        }

        public T? Object<T>(string key, T? value) where T : JsonBackedObject, new()
        {
            if (Reader != null) return Reader.Object<T>(key);
            Writer!.Add(key, value);
            return value;
        }

        public List<T> Objects<T>(string key, List<T> values, bool writeEmpty = false) where T : JsonBackedObject, new()
        {
            if (Reader != null) return Reader.ObjectList<T>(key);
            Writer!.Add(key, values, writeEmpty);
            return values;
        }
    }

    /// <summary>Builds a JSON object in a fixed key order; null values and (unless asked) empty lists are left out.</summary>
    internal sealed class JsonObjectWriter
    {
        public JsonObject Json { get; } = new JsonObject();

        public void Add(string key, string? value)
        {
            if (value != null) Json[key] = JsonValue.Create(value);
        }

        public void Add(string key, bool? value)
        {
            if (value.HasValue) Json[key] = JsonValue.Create(value.Value);
        }

        public void Add(string key, int? value)
        {
            if (value.HasValue) Json[key] = JsonValue.Create(value.Value);
        }

        public void Add(string key, JsonNode? value)
        {
            if (value != null) Json[key] = value.DeepClone();
        }

        public void Add(string key, JsonBackedObject? value)
        {
            if (value != null) Json[key] = value.ToJson();
        }

        public void Add(string key, IList<string>? values, bool writeEmpty = false)
        {
            if (values == null || (values.Count == 0 && !writeEmpty)) return;
            var array = new JsonArray();
            foreach (var value in values) array.Add(JsonValue.Create(value));
            Json[key] = array;
        }

        public void Add<T>(string key, IList<T>? values, bool writeEmpty = false) where T : JsonBackedObject
        {
            if (values == null || (values.Count == 0 && !writeEmpty)) return;
            var array = new JsonArray();
            foreach (var value in values)
            {
                if (value != null) array.Add(value.ToJson());
            }
            Json[key] = array;
        }

        public JsonObject Finish(JsonBackedObject source)
        {
            foreach (var pair in source.AdditionalFields)
            {
                if (!Json.ContainsKey(pair.Key)) Json[pair.Key] = pair.Value?.DeepClone();
            }
            return Json;
        }
    }
}
