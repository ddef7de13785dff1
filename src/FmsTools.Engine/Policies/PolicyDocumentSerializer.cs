using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>One problem with a policy file: which file, which field, what is wrong.</summary>
    public sealed class PolicyDocumentError
    {
        public const string ErrorId = "PolicyDocument.Invalid";

        public PolicyDocumentError(string file, string field, string message)
        {
            File = file;
            Field = field;
            Message = message;
        }

        public string File { get; }

        /// <summary>The JSON path in the file, e.g. "settings.preProcessRuleGroups[0].priority"; "" for the file as a whole.</summary>
        public string Field { get; }

        public string Message { get; }

        public FmsError ToFmsError() => new FmsError(ErrorId, FmsErrorCategory.InvalidData, ToString(), File,
            recommendedAction: "Fix the field in the file and read it again.");

        public override string ToString() =>
            "Policy file '" + File + "'" + (Field.Length == 0 ? string.Empty : ", field '" + Field + "'") + ": " + Message;
    }

    /// <summary>The outcome of reading one policy file: a policy, or the errors that stopped it.</summary>
    public sealed class PolicyDocumentReadResult
    {
        internal PolicyDocumentReadResult(string file, FmsPolicy? policy, IReadOnlyList<PolicyDocumentError> errors)
        {
            File = file;
            Policy = policy;
            Errors = errors;
        }

        public string File { get; }

        /// <summary>The policy; null whenever there are errors.</summary>
        public FmsPolicy? Policy { get; }

        public IReadOnlyList<PolicyDocumentError> Errors { get; }

        public bool Success => Policy != null && Errors.Count == 0;
    }

    /// <summary>
    /// Policy as code: one readable JSON file per policy. Indented, keys in a fixed order, settings as nested
    /// JSON (not an escaped string), no server-only fields except an optional policyId that binds the file to
    /// a deployed policy, and a schema marker. Reading never throws for bad content: size, depth, types,
    /// unknown lower-case fields and policy types, duplicate keys and newlines each come back as a clear error.
    /// Upper-case top-level members (a newer API's, kept from GetPolicy) are read and written back as they are.
    /// </summary>
    public static class PolicyDocumentSerializer
    {
        public const string SchemaKey = "schema";
        public const string SchemaValue = "fmstools.policy/v1";
        public const string FileExtension = ".fmspolicy.json";

        /// <summary>Files above this are refused unread (ManagedServiceData itself is at most 30,000 characters).</summary>
        public const int MaxFileCharacters = 1024 * 1024;

        /// <summary>Deepest JSON nesting accepted (real policies need about 10).</summary>
        public const int MaxDepth = 32;

        private static readonly string[] TopLevelKeys =
        {
            SchemaKey, "policyId", "name", "type", "description", "resourceTypes", "remediationEnabled",
            "deleteUnusedFMManagedResources", "scope", "tags", "settings", "policyOption",
        };

        private static readonly string[] ScopeKeys =
        {
            "includeAccounts", "includeOrganizationalUnits", "excludeAccounts", "excludeOrganizationalUnits",
            "resourceTags", "resourceTagLogicalOperator", "excludeResourceTags", "resourceSetIds",
        };

        /// <summary>The file text for a policy (ends with a newline).</summary>
        public static string Write(FmsPolicy policy, bool includePolicyId = true)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            if (policy.Settings == null) throw new ArgumentException("A policy summary has no settings to write; read the policy with GetPolicy first.", nameof(policy));
            var root = new JsonObject { [SchemaKey] = SchemaValue };
            if (includePolicyId && !string.IsNullOrEmpty(policy.PolicyId)) root["policyId"] = policy.PolicyId;
            root["name"] = policy.Name;
            root["type"] = policy.TypeName;
            if (!string.IsNullOrEmpty(policy.Description)) root["description"] = policy.Description;
            root["resourceTypes"] = new JsonArray((policy.ResourceTypes ?? new List<string>()).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            root["remediationEnabled"] = policy.RemediationEnabled;
            root["deleteUnusedFMManagedResources"] = policy.DeleteUnusedFMManagedResources;

            var scope = policy.Scope ?? new PolicyScope();
            var scopeJson = new JsonObject();
            AddList(scopeJson, "includeAccounts", scope.IncludeAccounts);
            AddList(scopeJson, "includeOrganizationalUnits", scope.IncludeOrganizationalUnits);
            AddList(scopeJson, "excludeAccounts", scope.ExcludeAccounts);
            AddList(scopeJson, "excludeOrganizationalUnits", scope.ExcludeOrganizationalUnits);
            if (scope.ResourceTags.Count > 0)
            {
                var tags = new JsonArray();
                foreach (var tag in scope.ResourceTags)
                {
                    var tagJson = new JsonObject { ["key"] = tag.Key };
                    if (tag.Value != null) tagJson["value"] = tag.Value;
                    tags.Add(tagJson);
                }
                scopeJson["resourceTags"] = tags;
                scopeJson["resourceTagLogicalOperator"] = scope.ResourceTagLogicalOperatorValue == ResourceTagLogicalOperator.Or ? "OR" : "AND";
                scopeJson["excludeResourceTags"] = scope.ExcludeResourceTags;
            }
            AddList(scopeJson, "resourceSetIds", scope.ResourceSetIds);
            root["scope"] = scopeJson;

            if (policy.Tags != null && policy.Tags.Count > 0)
            {
                var tags = new JsonObject();
                foreach (var pair in policy.Tags.OrderBy(p => p.Key, StringComparer.Ordinal)) tags[pair.Key] = pair.Value;
                root["tags"] = tags;
            }
            root["settings"] = policy.Settings.ToManagedServiceDataJson();
            var option = policy.Settings.ToPolicyOptionJson();
            if (option != null) root["policyOption"] = option;
            // Members a newer API answered (or a newer file had), kept as read after the known fields, in name order.
            foreach (var pair in policy.AdditionalFields) if (!root.ContainsKey(pair.Key)) root[pair.Key] = pair.Value?.DeepClone();
            return root.ToJsonString(PolicyJson.Indented).Replace("\r\n", "\n") + "\n";
        }

        private static void AddList(JsonObject json, string key, List<string> values)
        {
            if (values.Count > 0) json[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        /// <summary>
        /// A file name for the policy: its name reduced to letters, digits, '.', '_' and '-', plus the first 8
        /// characters of its id when it has one. Never contains a path separator, "..", or a reserved device name.
        /// </summary>
        public static string SafeFileName(FmsPolicy policy)
        {
            var stem = Sanitize(policy?.Name, 80);
            if (stem.Length == 0) stem = "policy";
            if (IsReservedDeviceName(stem)) stem = "policy-" + stem;
            var id = Sanitize(policy?.PolicyId, 8);
            return stem + (id.Length == 0 ? string.Empty : "_" + id) + FileExtension;
        }

        private static string Sanitize(string? value, int maxLength)
        {
            if (string.IsNullOrEmpty(value)) return string.Empty;
            var text = new StringBuilder();
            foreach (var c in value!)
            {
                var safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
                var next = safe ? c : '-';
                // Collapse runs of separators so ".." and "--" never appear.
                if ((next == '-' || next == '.') && text.Length > 0 && (text[text.Length - 1] == '-' || text[text.Length - 1] == '.')) continue;
                text.Append(next);
                if (text.Length >= maxLength) break;
            }
            return text.ToString().Trim('-', '.');
        }

        private static bool IsReservedDeviceName(string stem)
        {
            var upper = stem.ToUpperInvariant();
            var dot = upper.IndexOf('.');
            var baseName = dot >= 0 ? upper.Substring(0, dot) : upper;
            if (baseName == "CON" || baseName == "PRN" || baseName == "AUX" || baseName == "NUL") return true;
            return baseName.Length == 4 && (baseName.StartsWith("COM", StringComparison.Ordinal) || baseName.StartsWith("LPT", StringComparison.Ordinal)) && char.IsDigit(baseName[3]);
        }

        /// <summary>Reads a policy file from disk, refusing oversized files before reading them.</summary>
        public static PolicyDocumentReadResult ReadFile(string path)
        {
            var name = path ?? string.Empty;
            try
            {
                var info = new FileInfo(name);
                if (!info.Exists) return Fail(name, string.Empty, "the file does not exist.");
                // A character takes at most 4 bytes in UTF-8, so a file this large certainly exceeds the character limit.
                if (info.Length > (long)MaxFileCharacters * 4) return Fail(name, string.Empty, "the file is " + info.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes; policy files are limited to " + MaxFileCharacters.ToString("N0", CultureInfo.InvariantCulture) + " characters.");
                var content = File.ReadAllText(name, new UTF8Encoding(false, true));
                return Read(name, content);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException || e is ArgumentException || e is NotSupportedException || e is System.Security.SecurityException)
            {
                return Fail(name, string.Empty, "could not be read: " + e.Message);
            }
        }

        /// <summary>Reads a policy from file text. <paramref name="fileName"/> is only used in messages.</summary>
        public static PolicyDocumentReadResult Read(string fileName, string content)
        {
            fileName = fileName ?? string.Empty;
            if (content == null) return Fail(fileName, string.Empty, "the file is empty.");
            if (content.Length > MaxFileCharacters)
            {
                return Fail(fileName, string.Empty, "the file is " + content.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters; policy files are limited to " + MaxFileCharacters.ToString("N0", CultureInfo.InvariantCulture) + ".");
            }
            if (content.Length > 0 && content[0] == '\uFEFF') content = content.Substring(1);
            if (content.Trim().Length == 0) return Fail(fileName, string.Empty, "the file is empty.");

            var errors = new List<PolicyDocumentError>();
            JsonNode? root;
            try
            {
                using (var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
                {
                    root = ToNode(document.RootElement, string.Empty, fileName, errors);
                }
            }
            catch (JsonException e)
            {
                var where = e.LineNumber.HasValue ? " (line " + (e.LineNumber.Value + 1).ToString(CultureInfo.InvariantCulture) + ", position " + ((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture) + ")" : string.Empty;
                var reason = e.Message.IndexOf("depth", StringComparison.OrdinalIgnoreCase) >= 0
                    ? "nesting is deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels"
                    : "it is not valid JSON";
                return Fail(fileName, string.Empty, reason + where + ".");
            }
            if (errors.Count > 0) return new PolicyDocumentReadResult(fileName, null, errors);
            if (!(root is JsonObject json)) return Fail(fileName, string.Empty, "the top level must be a JSON object, not " + PolicyJson.Describe(root) + ".");

            var policy = ReadPolicy(json, fileName, errors);
            return errors.Count > 0 ? new PolicyDocumentReadResult(fileName, null, errors) : new PolicyDocumentReadResult(fileName, policy, errors);
        }

        /// <summary>
        /// The errors PolicyValidator finds in a policy read from a file, as document errors naming the file and the
        /// field's path in the file (Scope.IncludeAccounts[0] is scope.includeAccounts[0]). Offline and without a
        /// region (files carry none): the checks the builders run with -Offline. Warnings are left to Test-FmsPolicy.
        /// </summary>
        public static IReadOnlyList<PolicyDocumentError> ValidationErrors(string file, FmsPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var errors = new List<PolicyDocumentError>();
            foreach (var finding in PolicyValidator.Validate(policy).Where(f => f.SeverityValue == PolicyFindingSeverity.Error))
            {
                var prefix = finding.Field + ": ";
                var message = finding.Message.StartsWith(prefix, StringComparison.Ordinal) ? finding.Message.Substring(prefix.Length) : finding.Message;
                errors.Add(new PolicyDocumentError(file ?? string.Empty, FilePath(finding.Field), message));
            }
            return errors;
        }

        /// <summary>A validator field path as the file spells it: each segment starts in lower case.</summary>
        private static string FilePath(string field) =>
            string.Join(".", field.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment.Substring(1)));

        private static PolicyDocumentReadResult Fail(string file, string field, string message) =>
            new PolicyDocumentReadResult(file, null, new[] { new PolicyDocumentError(file, field, message) });

        /// <summary>Copies the document into JsonNodes, reporting duplicate keys and strings with line breaks.</summary>
        private static JsonNode? ToNode(JsonElement element, string path, string file, List<PolicyDocumentError> errors)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var obj = new JsonObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        var childPath = PolicyJson.Join(path, property.Name);
                        if (HasLineBreak(property.Name))
                        {
                            errors.Add(new PolicyDocumentError(file, childPath, "the key contains a line break."));
                            continue;
                        }
                        if (obj.ContainsKey(property.Name))
                        {
                            errors.Add(new PolicyDocumentError(file, childPath, "appears twice in the same object."));
                            continue;
                        }
                        obj[property.Name] = ToNode(property.Value, childPath, file, errors);
                    }
                    return obj;
                case JsonValueKind.Array:
                    var array = new JsonArray();
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        array.Add(ToNode(item, PolicyJson.Index(path, index), file, errors));
                        index++;
                    }
                    return array;
                case JsonValueKind.String:
                    var text = element.GetString() ?? string.Empty;
                    if (HasLineBreak(text))
                    {
                        errors.Add(new PolicyDocumentError(file, path, "contains a line break; FMS accepts no newline or carriage return in policy fields or ManagedServiceData."));
                    }
                    return JsonValue.Create(text);
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return JsonValue.Create(element.Clone());
                default:
                    return null;
            }
        }

        private static bool HasLineBreak(string text) => text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0;

        private static FmsPolicy? ReadPolicy(JsonObject json, string file, List<PolicyDocumentError> errors)
        {
            void Error(string field, string message) => errors.Add(new PolicyDocumentError(file, field, message));

            foreach (var key in json.Select(p => p.Key))
            {
                if (!TopLevelKeys.Contains(key) && !IsKeptMember(key)) Error(key, "is not a policy file field; expected one of " + string.Join(", ", TopLevelKeys) + " (or a member of a newer API, which starts with an upper-case letter and is kept as is).");
            }
            var schema = OptionalString(json, SchemaKey, Error);
            if (schema == null && !json.ContainsKey(SchemaKey)) Error(SchemaKey, "is missing; policy files start with \"" + SchemaKey + "\": \"" + SchemaValue + "\".");
            else if (schema != null && schema != SchemaValue) Error(SchemaKey, "is \"" + schema + "\"; this version of FmsTools reads \"" + SchemaValue + "\".");

            var policy = new FmsPolicy { IsDetailed = true };
            policy.PolicyId = OptionalString(json, "policyId", Error);
            var name = OptionalString(json, "name", Error);
            if (name == null && !json.ContainsKey("name")) Error("name", "is missing.");
            policy.Name = name ?? string.Empty;
            policy.Description = OptionalString(json, "description", Error);

            var typeName = OptionalString(json, "type", Error);
            if (typeName == null)
            {
                if (!json.ContainsKey("type")) Error("type", "is missing; use one of " + string.Join(", ", FmsPolicyTypes.All.Select(FmsPolicyTypes.ToWire)) + ".");
            }
            else if (!FmsPolicyTypes.TryParse(typeName, out _))
            {
                Error("type", "\"" + typeName + "\" is not a Firewall Manager policy type; use one of " + string.Join(", ", FmsPolicyTypes.All.Select(FmsPolicyTypes.ToWire)) + ".");
                typeName = null;
            }

            policy.ResourceTypes = StringList(json, "resourceTypes", "resourceTypes", Error);
            policy.RemediationEnabled = OptionalBool(json, "remediationEnabled", "remediationEnabled", Error) ?? false;
            policy.DeleteUnusedFMManagedResources = OptionalBool(json, "deleteUnusedFMManagedResources", "deleteUnusedFMManagedResources", Error) ?? false;

            if (json.ContainsKey("scope"))
            {
                if (json["scope"] is JsonObject scopeJson) policy.Scope = ReadScope(scopeJson, Error);
                else Error("scope", "expected an object but found " + PolicyJson.Describe(json["scope"]) + ".");
            }

            if (json.ContainsKey("tags"))
            {
                if (json["tags"] is JsonObject tagsJson)
                {
                    var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    foreach (var pair in tagsJson)
                    {
                        if (pair.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String) tags[pair.Key] = value.GetValue<string>();
                        else Error("tags." + pair.Key, "expected a string but found " + PolicyJson.Describe(pair.Value) + ".");
                    }
                    policy.Tags = tags;
                }
                else Error("tags", "expected an object of key/value strings but found " + PolicyJson.Describe(json["tags"]) + ".");
            }

            foreach (var pair in json) if (!TopLevelKeys.Contains(pair.Key) && IsKeptMember(pair.Key)) policy.AdditionalFields[pair.Key] = pair.Value?.DeepClone();

            JsonObject? settingsJson = null;
            if (!json.ContainsKey("settings")) Error("settings", "is missing; give the policy's settings (the ManagedServiceData object).");
            else if (json["settings"] is JsonObject s) settingsJson = s;
            else Error("settings", "expected an object but found " + PolicyJson.Describe(json["settings"]) + ".");

            JsonObject? optionJson = null;
            if (json.ContainsKey("policyOption") && json["policyOption"] != null)
            {
                if (json["policyOption"] is JsonObject o) optionJson = o;
                else Error("policyOption", "expected an object but found " + PolicyJson.Describe(json["policyOption"]) + ".");
            }

            if (typeName != null && settingsJson != null)
            {
                var issues = new List<PolicyParseIssue>();
                var settings = PolicySettings.Read(typeName, settingsJson, optionJson, "settings", "policyOption", issues);
                foreach (var issue in issues) Error(issue.Path, issue.Message);
                policy.Settings = settings;
                policy.TypeName = typeName;
            }
            return policy;
        }

        /// <summary>
        /// A top-level key this version does not know but keeps: the service's members are upper-case (PolicyName, and a
        /// newer API's), the file's own fields lower-case, so an unknown lower-case key is a mistyped field and an error.
        /// </summary>
        private static bool IsKeptMember(string key) => key.Length > 0 && char.IsUpper(key[0]);

        private static PolicyScope ReadScope(JsonObject json, Action<string, string> error)
        {
            foreach (var key in json.Select(p => p.Key))
            {
                if (!ScopeKeys.Contains(key)) error("scope." + key, "is not a scope field; expected one of " + string.Join(", ", ScopeKeys) + ".");
            }
            var scope = new PolicyScope
            {
                IncludeAccounts = StringList(json, "includeAccounts", "scope.includeAccounts", error),
                IncludeOrganizationalUnits = StringList(json, "includeOrganizationalUnits", "scope.includeOrganizationalUnits", error),
                ExcludeAccounts = StringList(json, "excludeAccounts", "scope.excludeAccounts", error),
                ExcludeOrganizationalUnits = StringList(json, "excludeOrganizationalUnits", "scope.excludeOrganizationalUnits", error),
                ResourceSetIds = StringList(json, "resourceSetIds", "scope.resourceSetIds", error),
                ExcludeResourceTags = OptionalBool(json, "excludeResourceTags", "scope.excludeResourceTags", error) ?? false,
            };
            var op = OptionalString(json, "resourceTagLogicalOperator", (f, m) => error("scope." + f, m));
            if (op == "OR") scope.ResourceTagLogicalOperatorValue = ResourceTagLogicalOperator.Or;
            else if (op != null && op != "AND") error("scope.resourceTagLogicalOperator", "\"" + op + "\" is not AND or OR.");
            if (json.ContainsKey("resourceTags"))
            {
                if (json["resourceTags"] is JsonArray tags)
                {
                    for (var i = 0; i < tags.Count; i++)
                    {
                        var path = PolicyJson.Index("scope.resourceTags", i);
                        if (!(tags[i] is JsonObject tag))
                        {
                            error(path, "expected an object like {\"key\": \"env\", \"value\": \"prod\"} but found " + PolicyJson.Describe(tags[i]) + ".");
                            continue;
                        }
                        foreach (var key in tag.Select(p => p.Key))
                        {
                            if (key != "key" && key != "value") error(path + "." + key, "is not a resource tag field; use key and value.");
                        }
                        var tagKey = OptionalString(tag, "key", (f, m) => error(path + "." + f, m));
                        if (tagKey == null) error(path + ".key", "is missing.");
                        var tagValue = OptionalString(tag, "value", (f, m) => error(path + "." + f, m));
                        scope.ResourceTags.Add(new ResourceTagFilter(tagKey ?? string.Empty, tagValue));
                    }
                }
                else error("scope.resourceTags", "expected an array but found " + PolicyJson.Describe(json["resourceTags"]) + ".");
            }
            return scope;
        }

        private static string? OptionalString(JsonObject json, string key, Action<string, string> error)
        {
            if (!json.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node.GetValueKind() == JsonValueKind.String) return node.GetValue<string>();
            error(key, "expected a string but found " + PolicyJson.Describe(node) + ".");
            return null;
        }

        private static bool? OptionalBool(JsonObject json, string key, string path, Action<string, string> error)
        {
            if (!json.TryGetPropertyValue(key, out var node) || node == null) return null;
            var kind = node.GetValueKind();
            if (kind == JsonValueKind.True) return true;
            if (kind == JsonValueKind.False) return false;
            error(path, "expected true or false but found " + PolicyJson.Describe(node) + ".");
            return null;
        }

        private static List<string> StringList(JsonObject json, string key, string path, Action<string, string> error)
        {
            var result = new List<string>();
            if (!json.TryGetPropertyValue(key, out var node) || node == null) return result;
            if (!(node is JsonArray array))
            {
                error(path, "expected an array of strings but found " + PolicyJson.Describe(node) + ".");
                return result;
            }
            for (var i = 0; i < array.Count; i++)
            {
                var item = array[i];
                if (item != null && item.GetValueKind() == JsonValueKind.String) result.Add(item.GetValue<string>());
                else error(PolicyJson.Index(path, i), "expected a string but found " + PolicyJson.Describe(item) + ".");
            }
            return result;
        }
    }
}
