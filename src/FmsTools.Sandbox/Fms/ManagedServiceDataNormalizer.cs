using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Fms
{
    /// <summary>
    /// Turns the ManagedServiceData a client sent into the form GetPolicy returns:
    /// compact JSON, "type" first, the service's defaults filled in. Stored normalized so every read
    /// returns the same text.
    /// </summary>
    internal static class ManagedServiceDataNormalizer
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static string Normalize(string policyType, string managedServiceData)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(managedServiceData);
            }
            catch (JsonException)
            {
                throw SandboxFmsErrors.InvalidInput("ManagedServiceData is not valid JSON.");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw SandboxFmsErrors.InvalidInput("ManagedServiceData must be a JSON object.");
                if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                    throw SandboxFmsErrors.InvalidInput("ManagedServiceData must contain the member \"type\" (keys are camelCase).");
                if (!string.Equals(type.GetString(), policyType, StringComparison.Ordinal))
                    throw SandboxFmsErrors.InvalidInput("The type \"" + type.GetString() + "\" in ManagedServiceData does not match SecurityServicePolicyData.Type " + policyType + ".");

                var members = new List<KeyValuePair<string, JsonElement?>>();
                foreach (var property in root.EnumerateObject())
                    if (property.Name != "type") members.Add(new KeyValuePair<string, JsonElement?>(property.Name, property.Value.Clone()));

                switch (policyType)
                {
                    case "WAFV2":
                        // customRequestHandling, customResponse and sampledRequestsEnabledForDefaultActions come back as null
                        // when not supplied; a rule group's excludeRules null/absent comes back as [].
                        AddNullIfMissing(members, "customRequestHandling");
                        AddNullIfMissing(members, "customResponse");
                        AddNullIfMissing(members, "sampledRequestsEnabledForDefaultActions");
                        for (var i = 0; i < members.Count; i++)
                        {
                            if ((members[i].Key == "preProcessRuleGroups" || members[i].Key == "postProcessRuleGroups")
                                && members[i].Value is JsonElement groups && groups.ValueKind == JsonValueKind.Array)
                                members[i] = new KeyValuePair<string, JsonElement?>(members[i].Key, WithEmptyExcludeRules(groups));
                        }
                        break;
                    case "SHIELD_ADVANCED":
                        // {"type":"SHIELD_ADVANCED"} returns automatic response IGNORED and overrideCustomerWebaclClassic false.
                        if (!Has(members, "automaticResponseConfiguration"))
                            members.Add(new KeyValuePair<string, JsonElement?>("automaticResponseConfiguration",
                                Parse("{\"automaticResponseStatus\":\"IGNORED\",\"automaticResponseAction\":null}")));
                        if (!Has(members, "overrideCustomerWebaclClassic"))
                            members.Add(new KeyValuePair<string, JsonElement?>("overrideCustomerWebaclClassic", Parse("false")));
                        break;
                    case "SECURITY_GROUPS_USAGE_AUDIT":
                        AddNullIfMissing(members, "optionalDelayForUnusedInMinutes");
                        foreach (var member in members)
                        {
                            if (member.Key == "optionalDelayForUnusedInMinutes" && member.Value is JsonElement delay && delay.ValueKind == JsonValueKind.Number
                                && (!delay.TryGetInt32(out var minutes) || minutes < 0 || minutes > 525600))
                                throw SandboxFmsErrors.InvalidInput("optionalDelayForUnusedInMinutes must be between 0 and 525600.");
                        }
                        break;
                }

                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", policyType);
                    foreach (var member in members)
                    {
                        writer.WritePropertyName(member.Key);
                        if (member.Value is JsonElement value) value.WriteTo(writer);
                        else writer.WriteNullValue();
                    }
                    writer.WriteEndObject();
                }
                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary>The default ManagedServiceData for SHIELD_ADVANCED, which may omit it entirely.</summary>
        public static string ShieldDefault() => Normalize("SHIELD_ADVANCED", "{\"type\":\"SHIELD_ADVANCED\"}");

        private static bool Has(List<KeyValuePair<string, JsonElement?>> members, string name)
        {
            foreach (var member in members)
                if (member.Key == name) return true;
            return false;
        }

        private static void AddNullIfMissing(List<KeyValuePair<string, JsonElement?>> members, string name)
        {
            if (!Has(members, name)) members.Add(new KeyValuePair<string, JsonElement?>(name, null));
        }

        private static JsonElement WithEmptyExcludeRules(JsonElement groups)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartArray();
                foreach (var group in groups.EnumerateArray())
                {
                    if (group.ValueKind != JsonValueKind.Object)
                    {
                        group.WriteTo(writer);
                        continue;
                    }
                    writer.WriteStartObject();
                    var sawExclude = false;
                    foreach (var property in group.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        if (property.Name == "excludeRules")
                        {
                            sawExclude = true;
                            if (property.Value.ValueKind == JsonValueKind.Null)
                            {
                                writer.WriteStartArray();
                                writer.WriteEndArray();
                                continue;
                            }
                        }
                        property.Value.WriteTo(writer);
                    }
                    if (!sawExclude)
                    {
                        writer.WritePropertyName("excludeRules");
                        writer.WriteStartArray();
                        writer.WriteEndArray();
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            return Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        private static JsonElement Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The FMS error codes from the model, with the sandbox's messages.</summary>
    internal static class SandboxFmsErrors
    {
        public static SandboxServiceException InvalidInput(string message) => new SandboxServiceException("InvalidInputException", message);
        public static SandboxServiceException InvalidOperation(string message) => new SandboxServiceException("InvalidOperationException", message);
        public static SandboxServiceException NotFound(string message) => new SandboxServiceException("ResourceNotFoundException", message);
        public static SandboxServiceException LimitExceeded(string message) => new SandboxServiceException("LimitExceededException", message);

        /// <summary>Not in the model, but what FMS answers to a non-administrator.</summary>
        public static SandboxServiceException AccessDenied(string operation)
            => new SandboxServiceException("AccessDeniedException", "Operation: " + operation + " is only available to Administration account in AWS Firewall Manager.");
    }
}
