using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>
    /// The files of a configuration folder other than policies (those are PolicyDocumentSerializer's *.fmspolicy.json):
    /// apps lists, protocols lists, resource sets with their resources, the notification channel, administrator accounts.
    /// Indented JSON, keys in a fixed order, a schema marker, no server-generated ids or tokens, lists sorted where FMS
    /// keeps no order, so that exporting the same configuration twice gives the same bytes.
    /// </summary>
    public static class ConfigurationDocuments
    {
        public const string AppsListSchema = "fmstools.appslist/v1";
        public const string ProtocolsListSchema = "fmstools.protocolslist/v1";
        public const string ResourceSetSchema = "fmstools.resourceset/v1";
        public const string NotificationChannelSchema = "fmstools.notificationchannel/v1";
        public const string AdminAccountSchema = "fmstools.adminaccount/v1";

        /// <summary>
        /// The file text for an object of any kind but Policy (ends with a newline). <paramref name="withUnknownFields"/>
        /// false leaves out the fields this version does not know (at the top, in apps, resources and the admin scope):
        /// the document Compare-FmsConfiguration compares.
        /// </summary>
        public static string Write(FmsConfigurationItem item, bool withUnknownFields = true)
        {
            var root = new JsonObject();
            switch (item.KindValue)
            {
                case ConfigurationKind.AppsList:
                    root["schema"] = AppsListSchema;
                    root["name"] = item.AppsList!.Name;
                    root["apps"] = new JsonArray(item.AppsList.Apps.Select(a => (JsonNode?)Unknown(new JsonObject { ["name"] = a.Name, ["protocol"] = a.Protocol, ["port"] = a.Port },
                        a.AdditionalFields, withUnknownFields)).ToArray());
                    AddTags(root, item.Tags);
                    break;
                case ConfigurationKind.ProtocolsList:
                    root["schema"] = ProtocolsListSchema;
                    root["name"] = item.ProtocolsList!.Name;
                    root["protocols"] = Strings(item.ProtocolsList.Protocols);
                    AddTags(root, item.Tags);
                    break;
                case ConfigurationKind.ResourceSet:
                    root["schema"] = ResourceSetSchema;
                    root["name"] = item.ResourceSet!.Name;
                    if (!string.IsNullOrEmpty(item.ResourceSet.Description)) root["description"] = item.ResourceSet.Description;
                    root["resourceTypes"] = Strings(item.ResourceSet.ResourceTypes);
                    root["resources"] = new JsonArray(item.Resources.OrderBy(r => r, StringComparer.Ordinal).Select(r => withUnknownFields && item.ResourceAdditionalFields.TryGetValue(r, out var fields)
                        ? Unknown(new JsonObject { ["uri"] = r }, fields, true) : JsonValue.Create(r)).ToArray());
                    AddTags(root, item.Tags);
                    break;
                case ConfigurationKind.NotificationChannel:
                    root["schema"] = NotificationChannelSchema;
                    root["snsTopicArn"] = item.NotificationChannel!.SnsTopicArn;
                    root["snsRoleName"] = item.NotificationChannel.SnsRoleName;
                    break;
                case ConfigurationKind.AdminAccount:
                    root["schema"] = AdminAccountSchema;
                    root["accountId"] = item.AdminAccount!.AccountId;
                    root["defaultAdmin"] = item.AdminAccount.IsDefaultAdmin;
                    if (item.AdminAccount.Scope != null) root["scope"] = Unknown(WriteScope(item.AdminAccount.Scope), item.AdminAccount.Scope.AdditionalFields, withUnknownFields);
                    break;
                default:
                    throw new ArgumentException("Policies are written by PolicyDocumentSerializer.", nameof(item));
            }
            Unknown(root, item.AdditionalFields, withUnknownFields);
            return root.ToJsonString(PolicyJson.Indented).Replace("\r\n", "\n") + "\n";
        }

        /// <summary>Fields a newer version wrote (or the user added, or a newer API answered), kept as they were read, after the known ones.</summary>
        private static JsonNode Unknown(JsonObject json, IDictionary<string, JsonNode?> fields, bool include)
        {
            if (include) foreach (var pair in fields) if (!json.ContainsKey(pair.Key)) json[pair.Key] = pair.Value?.DeepClone();
            return json;
        }

        private static JsonArray Strings(IEnumerable<string> values) => new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

        private static void AddTags(JsonObject root, IReadOnlyDictionary<string, string> tags)
        {
            if (tags.Count == 0) return;
            var json = new JsonObject();
            foreach (var pair in tags.OrderBy(p => p.Key, StringComparer.Ordinal)) json[pair.Key] = pair.Value;
            root["tags"] = json;
        }

        private static JsonObject WriteScope(FmsAdminScope scope) => new JsonObject
        {
            ["allAccounts"] = scope.AllAccounts,
            ["excludeSpecifiedAccounts"] = scope.ExcludeSpecifiedAccounts,
            ["accounts"] = Strings(scope.Accounts.OrderBy(a => a, StringComparer.Ordinal)),
            ["allOrganizationalUnits"] = scope.AllOrganizationalUnits,
            ["excludeSpecifiedOrganizationalUnits"] = scope.ExcludeSpecifiedOrganizationalUnits,
            ["organizationalUnits"] = Strings(scope.OrganizationalUnits.OrderBy(a => a, StringComparer.Ordinal)),
            ["allRegions"] = scope.AllRegions,
            ["regions"] = Strings(scope.Regions.OrderBy(a => a, StringComparer.Ordinal)),
            ["allPolicyTypes"] = scope.AllPolicyTypes,
            ["policyTypes"] = Strings(scope.PolicyTypes.OrderBy(a => a, StringComparer.Ordinal)),
        };

        /// <summary>
        /// Reads the file text of an object of <paramref name="kind"/> (any but Policy). Problems are added to
        /// <paramref name="findings"/> naming the file and the field; the item is null when an error was found.
        /// </summary>
        public static FmsConfigurationItem? Read(ConfigurationKind kind, string file, string content, List<FmsConfigurationFinding> findings)
        {
            var reader = new Reader(kind, file, findings);
            JsonObject? root;
            try
            {
                var node = JsonNode.Parse(content.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions
                {
                    MaxDepth = PolicyDocumentSerializer.MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
                });
                root = node as JsonObject;
                if (root == null)
                {
                    reader.Error("", "Configuration.File.NotObject", "the top level must be a JSON object.");
                    return null;
                }
            }
            catch (JsonException e)
            {
                var where = e.LineNumber.HasValue ? " (line " + (e.LineNumber.Value + 1).ToString(CultureInfo.InvariantCulture) + ")" : "";
                reader.Error("", "Configuration.File.Json", "it is not valid JSON" + where + ".");
                return null;
            }
            var item = new FmsConfigurationItem { KindValue = kind, File = file };
            switch (kind)
            {
                case ConfigurationKind.AppsList:
                    reader.Keys(root, "schema", "name", "apps", "tags");
                    reader.Schema(root, AppsListSchema);
                    var apps = new FmsAppsList { Name = reader.RequiredString(root, "name") ?? "" };
                    var appArray = reader.Array(root, "apps", required: true);
                    for (var i = 0; appArray != null && i < appArray.Count; i++)
                    {
                        var field = "apps[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                        if (!(appArray[i] is JsonObject app)) { reader.Error(field, "Configuration.Field.Type", "must be an object with name, protocol and port."); continue; }
                        var entry = new FmsApp(reader.RequiredString(app, "name", field + ".name") ?? "", reader.RequiredString(app, "protocol", field + ".protocol") ?? "",
                            reader.Long(app, "port", field + ".port"));
                        reader.KeepUnknown(app, field + ".", entry.AdditionalFields, "name", "protocol", "port");
                        apps.Apps.Add(entry);
                    }
                    item.AppsList = apps;
                    item.Name = apps.Name;
                    item.Tags = reader.Tags(root);
                    break;
                case ConfigurationKind.ProtocolsList:
                    reader.Keys(root, "schema", "name", "protocols", "tags");
                    reader.Schema(root, ProtocolsListSchema);
                    item.ProtocolsList = new FmsProtocolsList { Name = reader.RequiredString(root, "name") ?? "", Protocols = reader.StringList(root, "protocols", required: true) };
                    item.Name = item.ProtocolsList.Name;
                    item.Tags = reader.Tags(root);
                    break;
                case ConfigurationKind.ResourceSet:
                    reader.Keys(root, "schema", "name", "description", "resourceTypes", "resources", "tags");
                    reader.Schema(root, ResourceSetSchema);
                    item.ResourceSet = new FmsResourceSet
                    {
                        Name = reader.RequiredString(root, "name") ?? "",
                        Description = reader.OptionalString(root, "description"),
                        ResourceTypes = reader.StringList(root, "resourceTypes", required: true),
                    };
                    item.Name = item.ResourceSet.Name;
                    item.Resources = reader.Resources(root, item.ResourceAdditionalFields);
                    item.Tags = reader.Tags(root);
                    break;
                case ConfigurationKind.NotificationChannel:
                    reader.Keys(root, "schema", "snsTopicArn", "snsRoleName");
                    reader.Schema(root, NotificationChannelSchema);
                    item.NotificationChannel = new FmsNotificationChannel
                    {
                        SnsTopicArn = reader.RequiredString(root, "snsTopicArn"),
                        SnsRoleName = reader.RequiredString(root, "snsRoleName"),
                    };
                    break;
                case ConfigurationKind.AdminAccount:
                    reader.Keys(root, "schema", "accountId", "defaultAdmin", "scope");
                    reader.Schema(root, AdminAccountSchema);
                    item.AdminAccount = new FmsAdminAccount
                    {
                        AccountId = reader.RequiredString(root, "accountId") ?? "",
                        IsDefaultAdmin = reader.Bool(root, "defaultAdmin", "defaultAdmin") ?? false,
                    };
                    item.Name = item.AdminAccount.AccountId;
                    if (root["scope"] is JsonObject scope) item.AdminAccount.Scope = reader.Scope(scope);
                    else if (root.ContainsKey("scope")) reader.Error("scope", "Configuration.Field.Type", "must be an object.");
                    break;
                default:
                    throw new ArgumentException("Policies are read by PolicyDocumentSerializer.", nameof(kind));
            }
            foreach (var pair in root)
                if (reader.Unknown.Contains(pair.Key)) item.AdditionalFields[pair.Key] = pair.Value?.DeepClone();
            return reader.HasErrors ? null : item;
        }

        private const string KeptMessage = "; it is kept in the file but not applied or compared.";

        private sealed class Reader
        {
            private readonly ConfigurationKind _kind;
            private readonly string _file;
            private readonly List<FmsConfigurationFinding> _findings;

            public Reader(ConfigurationKind kind, string file, List<FmsConfigurationFinding> findings)
            {
                _kind = kind;
                _file = file;
                _findings = findings;
            }

            public bool HasErrors { get; private set; }

            public void Error(string field, string rule, string message) => Add(ConfigurationFindingSeverity.Error, field, rule, message);

            private void Add(ConfigurationFindingSeverity severity, string field, string rule, string message)
            {
                if (severity == ConfigurationFindingSeverity.Error) HasErrors = true;
                _findings.Add(new FmsConfigurationFinding
                {
                    SeverityValue = severity, File = _file, Kind = _kind.ToString(), Field = field, Rule = rule,
                    Message = (field.Length > 0 ? field + " " : "") + message,
                });
            }

            /// <summary>The top-level fields this version does not know: kept in the item (AdditionalFields) and written back, never applied.</summary>
            public HashSet<string> Unknown { get; } = new HashSet<string>(StringComparer.Ordinal);

            public void Keys(JsonObject json, params string[] known)
            {
                foreach (var pair in json)
                    if (!known.Contains(pair.Key))
                    {
                        Unknown.Add(pair.Key);
                        Add(ConfigurationFindingSeverity.Warning, pair.Key, "Configuration.Field.Unknown",
                            "is not a field this version knows (expected one of " + string.Join(", ", known) + ")" + KeptMessage);
                    }
            }

            /// <summary>
            /// A nested field this version does not know (in an app, a resource, the admin scope) is reported (a typo is a
            /// usual cause) and kept in <paramref name="target"/> as read: written back, never applied or compared.
            /// </summary>
            public void KeepUnknown(JsonObject json, string prefix, IDictionary<string, JsonNode?> target, params string[] known)
            {
                foreach (var pair in json)
                    if (!known.Contains(pair.Key))
                    {
                        target[pair.Key] = pair.Value?.DeepClone();
                        Add(ConfigurationFindingSeverity.Warning, prefix + pair.Key, "Configuration.Field.Unknown",
                            "is not a field this version knows (expected one of " + string.Join(", ", known) + ")" + KeptMessage);
                    }
            }

            /// <summary>The resources of a resource set: URIs, or objects with a uri and fields this version does not know (kept by URI).</summary>
            public List<string> Resources(JsonObject json, IDictionary<string, IDictionary<string, JsonNode?>> unknown)
            {
                var result = new List<string>();
                var array = Array(json, "resources", false);
                for (var i = 0; array != null && i < array.Count; i++)
                {
                    var field = "resources[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s)) result.Add(s);
                    else if (array[i] is JsonObject resource)
                    {
                        var uri = RequiredString(resource, "uri", field + ".uri");
                        if (uri == null) continue;
                        result.Add(uri);
                        var fields = Administration.AdditionalMembers.New();
                        KeepUnknown(resource, field + ".", fields, "uri");
                        if (fields.Count > 0) unknown[uri] = fields;
                    }
                    else Error(field, "Configuration.Field.Type", "must be a resource URI (a string) or an object with uri.");
                }
                return result;
            }

            public void Schema(JsonObject json, string schema)
            {
                var value = OptionalString(json, "schema");
                if (value != null && value != schema) Error("schema", "Configuration.Schema", $"is '{value}'; this file must say '{schema}'.");
            }

            public string? RequiredString(JsonObject json, string key, string? field = null)
            {
                var value = OptionalString(json, key, field);
                if (string.IsNullOrEmpty(value) && !HasErrorFor(field ?? key)) Error(field ?? key, "Configuration.Field.Required", "is required.");
                return value;
            }

            private bool HasErrorFor(string field) => _findings.Any(f => f.File == _file && f.Field == field && f.SeverityValue == ConfigurationFindingSeverity.Error);

            public string? OptionalString(JsonObject json, string key, string? field = null)
            {
                var node = json[key];
                if (node == null) return null;
                if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
                Error(field ?? key, "Configuration.Field.Type", "must be a string.");
                return null;
            }

            public bool? Bool(JsonObject json, string key, string field)
            {
                var node = json[key];
                if (node == null) return null;
                if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
                Error(field, "Configuration.Field.Type", "must be true or false.");
                return null;
            }

            public long Long(JsonObject json, string key, string field)
            {
                var node = json[key];
                if (node is JsonValue v && v.TryGetValue<long>(out var n)) return n;
                Error(field, node == null ? "Configuration.Field.Required" : "Configuration.Field.Type", node == null ? "is required." : "must be a whole number.");
                return 0;
            }

            public JsonArray? Array(JsonObject json, string key, bool required, string? field = null)
            {
                var node = json[key];
                if (node == null)
                {
                    if (required) Error(field ?? key, "Configuration.Field.Required", "is required (an array).");
                    return null;
                }
                if (node is JsonArray array) return array;
                Error(field ?? key, "Configuration.Field.Type", "must be an array.");
                return null;
            }

            public List<string> StringList(JsonObject json, string key, bool required, string? field = null)
            {
                var result = new List<string>();
                var array = Array(json, key, required, field);
                for (var i = 0; array != null && i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s)) result.Add(s);
                    else Error((field ?? key) + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", "Configuration.Field.Type", "must be a string.");
                }
                return result;
            }

            public Dictionary<string, string> Tags(JsonObject json)
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                var node = json["tags"];
                if (node == null) return tags;
                if (!(node is JsonObject obj))
                {
                    Error("tags", "Configuration.Field.Type", "must be an object of key: value strings.");
                    return tags;
                }
                foreach (var pair in obj)
                {
                    if (pair.Value is JsonValue v && v.TryGetValue<string>(out var s)) tags[pair.Key] = s;
                    else Error("tags." + pair.Key, "Configuration.Field.Type", "must be a string.");
                }
                return tags;
            }

            public FmsAdminScope Scope(JsonObject json)
            {
                var scope = new FmsAdminScope
                {
                    AllAccounts = Bool(json, "allAccounts", "scope.allAccounts") ?? true,
                    ExcludeSpecifiedAccounts = Bool(json, "excludeSpecifiedAccounts", "scope.excludeSpecifiedAccounts") ?? false,
                    Accounts = StringList(json, "accounts", false, "scope.accounts"),
                    AllOrganizationalUnits = Bool(json, "allOrganizationalUnits", "scope.allOrganizationalUnits") ?? true,
                    ExcludeSpecifiedOrganizationalUnits = Bool(json, "excludeSpecifiedOrganizationalUnits", "scope.excludeSpecifiedOrganizationalUnits") ?? false,
                    OrganizationalUnits = StringList(json, "organizationalUnits", false, "scope.organizationalUnits"),
                    AllRegions = Bool(json, "allRegions", "scope.allRegions") ?? true,
                    Regions = StringList(json, "regions", false, "scope.regions"),
                    AllPolicyTypes = Bool(json, "allPolicyTypes", "scope.allPolicyTypes") ?? true,
                    PolicyTypes = StringList(json, "policyTypes", false, "scope.policyTypes"),
                };
                KeepUnknown(json, "scope.", scope.AdditionalFields, "allAccounts", "excludeSpecifiedAccounts", "accounts", "allOrganizationalUnits",
                    "excludeSpecifiedOrganizationalUnits", "organizationalUnits", "allRegions", "regions", "allPolicyTypes", "policyTypes");
                return scope;
            }
        }
    }
}
