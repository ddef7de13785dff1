using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>
    /// A policy's ManagedServiceData, parsed once per evaluation. Keys are camelCase as FMS requires; unknown keys are
    /// ignored and missing ones take FMS's defaults. Malformed JSON yields an empty document (the sandbox's validation
    /// rejects it at PutPolicy; evaluation never throws over it).
    /// </summary>
    public sealed class ManagedServiceData
    {
        private readonly JsonElement root;

        private ManagedServiceData(JsonElement root, bool valid)
        {
            this.root = root;
            IsValid = valid;
        }

        public bool IsValid { get; }

        public static ManagedServiceData Parse(string? json)
        {
            if (string.IsNullOrWhiteSpace(json)) return new ManagedServiceData(default, false);
            try
            {
                using var document = JsonDocument.Parse(json!);
                return new ManagedServiceData(document.RootElement.Clone(), document.RootElement.ValueKind == JsonValueKind.Object);
            }
            catch (JsonException)
            {
                return new ManagedServiceData(default, false);
            }
        }

        public JsonElement Root => root;

        public JsonElement? Get(string name) => Get(root, name);

        public static JsonElement? Get(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object) return null;
            return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : (JsonElement?)null;
        }

        public bool Bool(string name, bool fallback) => Bool(root, name, fallback);

        public static bool Bool(JsonElement element, string name, bool fallback)
        {
            var value = Get(element, name);
            if (value == null) return fallback;
            if (value.Value.ValueKind == JsonValueKind.True) return true;
            if (value.Value.ValueKind == JsonValueKind.False) return false;
            return value.Value.ValueKind == JsonValueKind.String && bool.TryParse(value.Value.GetString(), out var parsed) ? parsed : fallback;
        }

        public string? String(string name) => String(root, name);

        public static string? String(JsonElement element, string name)
        {
            var value = Get(element, name);
            return value?.ValueKind == JsonValueKind.String ? value.Value.GetString() : null;
        }

        public static int? Int(JsonElement element, string name)
        {
            var value = Get(element, name);
            if (value == null) return null;
            if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt32(out var number)) return number;
            if (value.Value.ValueKind == JsonValueKind.String && int.TryParse(value.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            return null;
        }

        public IEnumerable<JsonElement> Array(string name) => Array(root, name);

        public static IEnumerable<JsonElement> Array(JsonElement element, string name)
        {
            var value = Get(element, name);
            if (value?.ValueKind != JsonValueKind.Array) yield break;
            foreach (var item in value.Value.EnumerateArray()) yield return item;
        }

        /// <summary>"securityGroups":[{"id":"sg-…"}] → the ids.</summary>
        public List<string> SecurityGroupIds()
        {
            var ids = new List<string>();
            foreach (var group in Array("securityGroups"))
            {
                var id = String(group, "id");
                if (!string.IsNullOrEmpty(id)) ids.Add(id!.Trim());
            }
            return ids;
        }

        /// <summary>WAFV2 pre/post process rule groups as the web ACL rules FMS would put in its first/last sections.</summary>
        public List<WebAclRule> WafV2RuleGroups(string name, int firstPriority)
        {
            var rules = new List<WebAclRule>();
            var priority = firstPriority;
            foreach (var group in Array(name))
            {
                var overrideAction = Get(group, "overrideAction") is JsonElement action ? String(action, "type") ?? "NONE" : "NONE";
                var excluded = new List<string>();
                foreach (var rule in Array(group, "excludeRules"))
                {
                    var ruleName = String(rule, "name");
                    if (ruleName != null) excluded.Add(ruleName);
                }
                var managed = Get(group, "managedRuleGroupIdentifier");
                if (managed != null && String(managed.Value, "managedRuleGroupName") != null)
                {
                    var vendor = String(managed.Value, "vendorName") ?? "AWS";
                    var groupName = String(managed.Value, "managedRuleGroupName")!;
                    rules.Add(new WebAclRule
                    {
                        Name = vendor + "-" + groupName, Priority = priority++, StatementType = WebAclStatementTypes.ManagedRuleGroup, VendorName = vendor,
                        ManagedRuleGroupName = groupName, Version = Bool(managed.Value, "versionEnabled", false) ? String(managed.Value, "version") : null,
                        Action = overrideAction, ExcludedRules = excluded.Count == 0 ? null : excluded.ToArray(),
                    });
                    continue;
                }
                var arn = String(group, "ruleGroupArn");
                if (arn == null) continue;
                rules.Add(new WebAclRule
                {
                    Name = RuleGroupNameFromArn(arn), Priority = priority++, StatementType = WebAclStatementTypes.RuleGroupReference,
                    ReferenceArn = arn, Action = overrideAction, ExcludedRules = excluded.Count == 0 ? null : excluded.ToArray(),
                });
            }
            return rules;
        }

        /// <summary>The rule group's name out of …/rulegroup/{name}/{id}.</summary>
        public static string RuleGroupNameFromArn(string arn)
        {
            var last = arn.LastIndexOf('/');
            if (last <= 0) return arn;
            var previous = arn.LastIndexOf('/', last - 1);
            return arn.Substring(previous + 1, last - previous - 1);
        }

        /// <summary>The Network Firewall part of NETWORK_FIREWALL / IMPORT_NETWORK_FIREWALL data (top level, or nested in
        /// awsNetworkFirewallConfig as the centralized and import examples show).</summary>
        public JsonElement NetworkFirewallConfig() => Get("awsNetworkFirewallConfig") ?? root;

        public static List<NetworkFirewallRuleGroupReference> RuleGroupReferences(JsonElement config, string name)
        {
            var references = new List<NetworkFirewallRuleGroupReference>();
            foreach (var item in Array(config, name))
            {
                var arn = String(item, "resourceARN");
                if (arn == null) continue;
                var overrideAction = Get(item, "override") is JsonElement o ? String(o, "action") : null;
                references.Add(new NetworkFirewallRuleGroupReference { ResourceArn = arn, Priority = Int(item, "priority"), OverrideAction = overrideAction });
            }
            return references;
        }

        public static List<string> Strings(JsonElement element, string name)
        {
            var values = new List<string>();
            foreach (var item in Array(element, name))
            {
                if (item.ValueKind == JsonValueKind.String) values.Add(item.GetString()!);
                else if (item.ValueKind == JsonValueKind.Object && String(item, "actionName") is string actionName) values.Add(actionName);
            }
            return values;
        }
    }
}
