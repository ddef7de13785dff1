using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FmsTools.Aws.Fms;

namespace FmsTools.Tests.Policies
{
    /// <summary>
    /// What GetPolicy returns after PutPolicy, per the reference (fms-service-behaviour.md #7–#13), written here
    /// independently of PolicyComparer's ignore list: the JSON round trip of the wire, the defaults FMS fills
    /// in, ManagedServiceData not byte-for-byte (keys reordered), list order not kept, server-only fields set.
    /// </summary>
    internal static class SimulatedFmsService
    {
        public const string PolicyId = "0123456789abcdef0123456789abcdef0123";

        public static Policy PutThenGet(Policy sent)
        {
            // Through real JSON, as the wire would carry it.
            var json = JsonSerializer.Serialize(sent);
            var policy = JsonSerializer.Deserialize<Policy>(json)!;

            policy.PolicyId ??= PolicyId;
            policy.PolicyUpdateToken = "1:" + Convert.ToBase64String(new byte[16]);
            policy.PolicyStatus = "ACTIVE";
            policy.DeleteUnusedFMManagedResources ??= false;
            policy.ExcludeResourceTags ??= false;

            // #12: [] when no tags, a tag without value stored as "", AND when no operator was given.
            policy.ResourceTags ??= new List<ResourceTag>();
            foreach (var tag in policy.ResourceTags) tag.Value ??= string.Empty;
            policy.ResourceTagLogicalOperator ??= "AND";

            // #11: several types come back as the ResourceTypeList literal (which the client already sends);
            // a single type comes back with an empty list beside it.
            policy.ResourceTypeList ??= new List<string>();

            // Order of account and OU lists is not kept.
            if (policy.IncludeMap != null) foreach (var list in policy.IncludeMap.Values) list.Reverse();
            if (policy.ExcludeMap != null) foreach (var list in policy.ExcludeMap.Values) list.Reverse();
            policy.ResourceTypeList.Reverse();

            var data = policy.SecurityServicePolicyData!;
            var managed = (JsonObject)JsonNode.Parse(data.ManagedServiceData!)!;
            switch (data.Type)
            {
                case "SECURITY_GROUPS_USAGE_AUDIT":
                    // #8
                    if (!managed.ContainsKey("optionalDelayForUnusedInMinutes")) managed["optionalDelayForUnusedInMinutes"] = null;
                    break;
                case "WAFV2":
                    // #9
                    foreach (var key in new[] { "customRequestHandling", "customResponse", "sampledRequestsEnabledForDefaultActions" })
                    {
                        if (!managed.ContainsKey(key)) managed[key] = null;
                    }
                    foreach (var listKey in new[] { "preProcessRuleGroups", "postProcessRuleGroups" })
                    {
                        if (!(managed[listKey] is JsonArray groups)) continue;
                        foreach (var group in groups.OfType<JsonObject>())
                        {
                            if (group["excludeRules"] == null) group["excludeRules"] = new JsonArray();
                        }
                    }
                    break;
                case "SHIELD_ADVANCED":
                    // #10
                    if (!managed.ContainsKey("automaticResponseConfiguration"))
                    {
                        managed["automaticResponseConfiguration"] = new JsonObject { ["automaticResponseStatus"] = "IGNORED", ["automaticResponseAction"] = null };
                    }
                    if (!managed.ContainsKey("overrideCustomerWebaclClassic")) managed["overrideCustomerWebaclClassic"] = false;
                    break;
                case "WAF":
                    // #13: PolicyOption is not returned for WAF policies.
                    data.PolicyOption = null;
                    break;
            }
            // #7: not byte-for-byte; here every object's keys come back in reverse order.
            data.ManagedServiceData = Reversed(managed)!.ToJsonString();
            return policy;
        }

        private static JsonNode? Reversed(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var copy = new JsonObject();
                    foreach (var pair in obj.Reverse().ToList()) copy[pair.Key] = Reversed(pair.Value);
                    return copy;
                case JsonArray array:
                    var items = new JsonArray();
                    foreach (var item in array) items.Add(Reversed(item));
                    return items;
                default:
                    return node?.DeepClone();
            }
        }
    }
}
