using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    internal static class WafV2Rules
    {
        public static void Validate(WafV2PolicySettings settings, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            var defaultType = settings.DefaultAction?.Type;
            if (settings.DefaultAction == null)
            {
                add("Settings.defaultAction", PolicyRules.WafV2DefaultActionRequired, "is missing; set {\"type\":\"ALLOW\"} or {\"type\":\"BLOCK\"}.");
            }
            else if (!WafValues.DefaultActions.Contains(defaultType ?? string.Empty))
            {
                add("Settings.defaultAction.type", PolicyRules.WafV2DefaultActionValue, Text.Quote(defaultType) + " is not ALLOW or BLOCK.");
            }
            if (settings.CustomRequestHandling != null && defaultType != WafValues.Allow)
            {
                add("Settings.customRequestHandling", PolicyRules.WafV2CustomHandlingMatchesDefaultAction, "applies only when the default action is ALLOW.");
            }
            if (settings.CustomResponse != null && defaultType != WafValues.Block)
            {
                add("Settings.customResponse", PolicyRules.WafV2CustomHandlingMatchesDefaultAction, "applies only when the default action is BLOCK.");
            }
            if (settings.WebAclSource != null && !WafValues.WebAclSources.Contains(settings.WebAclSource))
            {
                add("Settings.webACLSource", PolicyRules.WafV2WebAclSourceValue, Text.Quote(settings.WebAclSource) + " is not RETROFIT_EXISTING; leave it out to have FMS create its own web ACLs.");
            }
            ValidateLogging(settings.LoggingConfiguration, add);

            var all = new List<(string Path, WafV2RuleGroup Group)>();
            for (var i = 0; i < settings.PreProcessRuleGroups.Count; i++) all.Add((PolicyJson.Index("Settings.preProcessRuleGroups", i), settings.PreProcessRuleGroups[i]));
            for (var i = 0; i < settings.PostProcessRuleGroups.Count; i++) all.Add((PolicyJson.Index("Settings.postProcessRuleGroups", i), settings.PostProcessRuleGroups[i]));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, group) in all)
            {
                if (group == null) continue;
                ValidateRuleGroup(path, group, add);
                if (!seen.Add(group.DisplayName)) add(path, PolicyRules.WafV2RuleGroupDuplicate, group.DisplayName + " is already in the policy.");
            }
            if (all.Count > PolicyValidator.MaxWafV2RuleGroups)
            {
                add("Settings", PolicyRules.WafV2RuleGroupsMaxCount, "have " + all.Count.ToString(CultureInfo.InvariantCulture) + " rule groups; a WAF policy holds at most " + PolicyValidator.MaxWafV2RuleGroups.ToString(CultureInfo.InvariantCulture) + ".");
            }
            ValidateManagedRuleGroupsExist(all, context, add);
            ValidateCapacity(all, context, add);
            ValidateRuleNamesExist(all, context, add);
        }

        /// <summary>The lookup's answer for a managed rule group, or null when none was made (offline, or WAF could not be asked).</summary>
        private static ManagedRuleGroupLookup? Lookup(WafV2RuleGroup group, PolicyValidationContext context)
            => group.ManagedRuleGroupIdentifier == null || context.ManagedRuleGroupLookup == null ? null : context.ManagedRuleGroupLookup(group);

        /// <summary>
        /// Managed rule groups WAF does not offer, and pinned versions it does not offer, as read online. Errors: FMS accepts such
        /// a policy, but the web ACLs it makes cannot use the group, so the policy would not protect what it says.
        /// </summary>
        private static void ValidateManagedRuleGroupsExist(List<(string Path, WafV2RuleGroup Group)> groups, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            foreach (var (path, group) in groups)
            {
                var lookup = group == null ? null : Lookup(group, context);
                if (lookup == null || lookup.Outcome == ManagedRuleGroupOutcome.Found) continue;
                var identifier = group!.ManagedRuleGroupIdentifier!;
                if (lookup.Outcome == ManagedRuleGroupOutcome.GroupUnknown)
                {
                    var detail = Text.Quote(identifier.ManagedRuleGroupName) + " is not a managed rule group of vendor " + Text.Quote(identifier.VendorName)
                                 + " that WAF offers in " + lookup.Scope + " scope (" + lookup.Evidence + ")";
                    detail += lookup.Suggestions.Count > 0
                        ? "; did you mean " + string.Join(" or ", lookup.Suggestions.Select(Text.Quote)) + "?"
                        : "; WAF's ListAvailableManagedRuleGroups lists the groups you can use (tab completion of -ManagedRuleGroup shows them).";
                    add(path + ".managedRuleGroupIdentifier.managedRuleGroupName", PolicyRules.WafV2ManagedRuleGroupUnknown, detail);
                }
                else
                {
                    var detail = Text.Quote(identifier.Version) + " is not a version of " + group.DisplayName + " that WAF offers (" + lookup.Evidence + ")";
                    if (lookup.AvailableVersions.Count > 0)
                        detail += "; available: " + string.Join(", ", lookup.AvailableVersions) + (lookup.DefaultVersion != null ? " (default " + lookup.DefaultVersion + ")" : "") + ".";
                    else
                        detail += "; the group offers no versions to pin: leave versionEnabled off to use its default.";
                    add(path + ".managedRuleGroupIdentifier.version", PolicyRules.WafV2ManagedRuleGroupVersionUnknown, detail);
                }
            }
        }

        /// <summary>
        /// Names in excludeRules and ruleActionOverrides that the rule group does not have (case-sensitive, as WAF compares
        /// them). WAF silently ignores such a name for a managed rule group and fails web ACL updates for a customer-owned one
        /// (WAFV2 API reference, RuleActionOverride), hence a warning for the first and an error for the second.
        /// </summary>
        private static void ValidateRuleNamesExist(List<(string Path, WafV2RuleGroup Group)> groups, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            if (context.RuleGroupRuleNames == null) return;
            foreach (var (path, group) in groups)
            {
                if (group == null || (group.ExcludeRules.Count == 0 && group.RuleActionOverrides.Count == 0)) continue;
                var known = context.RuleGroupRuleNames(group);
                if (known == null) continue;
                var names = new HashSet<string>(known, StringComparer.Ordinal);
                var managed = group.ManagedRuleGroupIdentifier != null;
                void Check(string field, string? name)
                {
                    if (name == null || !ModelPatterns.WafV2EntityName.IsMatch(name) || names.Contains(name)) return;
                    var version = managed && group.ManagedRuleGroupIdentifier!.VersionEnabled == true ? group.ManagedRuleGroupIdentifier.Version : null;
                    var detail = Text.Quote(name) + " is not a rule of " + group.DisplayName + (version != null ? " " + version : "");
                    var sameLetters = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                    if (sameLetters != null) detail += " (rule names are case-sensitive: did you mean " + Text.Quote(sameLetters) + "?)";
                    if (managed)
                        add(field, PolicyRules.WafV2RuleNameNotInManagedRuleGroup, detail + "; WAF ignores it silently, so no rule's action changes.");
                    else
                        add(field, PolicyRules.WafV2RuleNameNotInRuleGroup, detail + "; WAF refuses web ACL updates that name it, so FMS could not apply the policy.");
                }
                for (var j = 0; j < group.ExcludeRules.Count; j++)
                    Check(PolicyJson.Index(path + ".excludeRules", j) + ".name", group.ExcludeRules[j]?.Name);
                for (var j = 0; j < group.RuleActionOverrides.Count; j++)
                    Check(PolicyJson.Index(path + ".ruleActionOverrides", j) + ".name", group.RuleActionOverrides[j]?.Name);
            }
        }

        /// <summary>Redacted field types FMS documents (URI, QUERY_STRING, HEADER, METHOD) and the spellings its own examples use.</summary>
        private static readonly string[] RedactedFieldTypes = { "URI", "QUERY_STRING", "HEADER", "METHOD", "UriPath", "QueryString", "SingleHeader", "Method" };

        private static void ValidateLogging(JsonNode? node, Action<string, PolicyRule, string> add)
        {
            const string path = "Settings.loggingConfiguration";
            if (node == null) return;
            if (!(node is JsonObject logging))
            {
                add(path, PolicyRules.WafV2LoggingFormat, "is " + Describe(node) + ", not a JSON object with logDestinationConfigs.");
                return;
            }
            const string destinationsPath = path + ".logDestinationConfigs";
            if (!(logging["logDestinationConfigs"] is JsonArray destinations) || destinations.Count == 0)
            {
                add(destinationsPath, PolicyRules.WafV2LoggingFormat, "is missing or empty; name the ARN of one log destination (aws-waf-logs-*).");
            }
            else
            {
                if (destinations.Count > 1)
                {
                    add(destinationsPath, PolicyRules.WafV2LoggingLimits, "has " + destinations.Count.ToString(CultureInfo.InvariantCulture) + " destinations; FMS takes exactly one.");
                }
                for (var i = 0; i < destinations.Count; i++)
                {
                    var arn = StringOf(destinations[i]);
                    if (arn == null || !ModelPatterns.WafLogDestination.IsMatch(arn))
                    {
                        add(PolicyJson.Index(destinationsPath, i), PolicyRules.WafV2LoggingDestination, (arn == null ? Describe(destinations[i]) : Text.Quote(arn))
                            + " is not the ARN of a Firehose delivery stream, S3 bucket or CloudWatch Logs log group whose name starts with aws-waf-logs-.");
                    }
                }
            }
            var redactedNode = logging["redactedFields"];
            if (redactedNode == null) return;
            const string redactedPath = path + ".redactedFields";
            if (!(redactedNode is JsonArray redacted))
            {
                add(redactedPath, PolicyRules.WafV2LoggingRedactedField, "is " + Describe(redactedNode) + ", not a list of redacted fields.");
                return;
            }
            if (redacted.Count > 20)
            {
                add(redactedPath, PolicyRules.WafV2LoggingLimits, "has " + redacted.Count.ToString(CultureInfo.InvariantCulture) + " fields; the limit is 20.");
            }
            for (var i = 0; i < redacted.Count; i++)
            {
                var field = redacted[i] as JsonObject;
                var type = StringOf(field?["redactedFieldType"]);
                var known = type == null ? null : RedactedFieldTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
                if (known == null)
                {
                    add(PolicyJson.Index(redactedPath, i), PolicyRules.WafV2LoggingRedactedField, (field == null ? Describe(redacted[i]) : "redactedFieldType " + Text.Quote(type))
                        + " is not one of URI, QUERY_STRING, HEADER, METHOD; write {\"redactedFieldType\":\"HEADER\",\"redactedFieldValue\":\"cookie\"}.");
                }
                else if ((known == "HEADER" || known == "SingleHeader") && string.IsNullOrWhiteSpace(StringOf(field!["redactedFieldValue"])))
                {
                    add(PolicyJson.Index(redactedPath, i) + ".redactedFieldValue", PolicyRules.WafV2LoggingRedactedField, "is missing; a HEADER redaction names the header (e.g. cookie).");
                }
            }
        }

        private static string? StringOf(JsonNode? node) =>
            node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

        private static string Describe(JsonNode? node) => node == null ? "null"
            : node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? "the text " + Text.Quote(value.GetValue<string>())
            : node is JsonArray ? "a list" : node is JsonObject ? "an object" : "the value " + node.ToJsonString();

        private static void ValidateRuleGroup(string path, WafV2RuleGroup group, Action<string, PolicyRule, string> add)
        {
            var hasArn = !string.IsNullOrEmpty(group.RuleGroupArn);
            var managed = group.ManagedRuleGroupIdentifier;
            if (hasArn && !ModelPatterns.WafV2RuleGroupArn.IsMatch(group.RuleGroupArn!))
            {
                add(path + ".ruleGroupArn", PolicyRules.WafV2RuleGroupArnFormat, Text.Quote(group.RuleGroupArn)
                    + " is not a WAFV2 rule group ARN (arn:aws:wafv2:<region>:<12-digit account>:regional|global/rulegroup/<name>/<id>).");
            }
            if (hasArn == (managed != null))
            {
                add(path, PolicyRules.WafV2RuleGroupIdentity, hasArn
                    ? "has both ruleGroupArn and managedRuleGroupIdentifier; keep one."
                    : "has neither ruleGroupArn nor managedRuleGroupIdentifier.");
            }
            var expectedType = managed != null ? WafValues.RuleGroupTypeManaged : hasArn ? WafValues.RuleGroupTypeCustom : null;
            if (group.RuleGroupType == null || !WafValues.RuleGroupTypes.Contains(group.RuleGroupType))
            {
                add(path + ".ruleGroupType", PolicyRules.WafV2RuleGroupType, Text.Quote(group.RuleGroupType) + " is not RuleGroup or ManagedRuleGroup.");
            }
            else if (expectedType != null && group.RuleGroupType != expectedType)
            {
                add(path + ".ruleGroupType", PolicyRules.WafV2RuleGroupType, "is " + group.RuleGroupType + " but the group is identified as a " + expectedType + ".");
            }
            var overrideType = group.OverrideAction?.Type;
            if (overrideType == null || !WafValues.OverrideActions.Contains(overrideType))
            {
                add(path + ".overrideAction.type", PolicyRules.WafV2RuleGroupOverrideAction, Text.Quote(overrideType) + " is not NONE or COUNT.");
            }
            if (managed != null)
            {
                if (string.IsNullOrEmpty(managed.VendorName) || string.IsNullOrEmpty(managed.ManagedRuleGroupName))
                {
                    add(path + ".managedRuleGroupIdentifier", PolicyRules.WafV2ManagedRuleGroupName, "needs both vendorName and managedRuleGroupName.");
                }
                if (managed.VersionEnabled == true && string.IsNullOrEmpty(managed.Version))
                {
                    add(path + ".managedRuleGroupIdentifier.version", PolicyRules.WafV2ManagedRuleGroupVersion, "is missing while versionEnabled is true; name the version to pin.");
                }
                if (!string.IsNullOrEmpty(managed.VendorName) && !ModelPatterns.WafV2VendorName.IsMatch(managed.VendorName))
                {
                    add(path + ".managedRuleGroupIdentifier.vendorName", PolicyRules.WafV2ManagedRuleGroupNameFormat, Text.Quote(managed.VendorName) + " is not a vendor name (1–128 characters on one line, not only spaces).");
                }
                if (!string.IsNullOrEmpty(managed.ManagedRuleGroupName) && !ModelPatterns.WafV2EntityName.IsMatch(managed.ManagedRuleGroupName))
                {
                    add(path + ".managedRuleGroupIdentifier.managedRuleGroupName", PolicyRules.WafV2ManagedRuleGroupNameFormat, Text.Quote(managed.ManagedRuleGroupName) + " is not a rule group name (1–128 letters, digits, _ and -).");
                }
                if (!string.IsNullOrEmpty(managed.Version) && !ModelPatterns.WafV2Version.IsMatch(managed.Version))
                {
                    add(path + ".managedRuleGroupIdentifier.version", PolicyRules.WafV2ManagedRuleGroupVersionFormat, Text.Quote(managed.Version) + " is not a version (1–64 letters, digits and _ # : . - /, e.g. Version_1.0).");
                }
            }
            for (var j = 0; j < group.ExcludeRules.Count; j++)
            {
                var name = group.ExcludeRules[j]?.Name;
                if (name == null || !ModelPatterns.WafV2EntityName.IsMatch(name))
                {
                    add(PolicyJson.Index(path + ".excludeRules", j) + ".name", PolicyRules.WafV2RuleNameFormat, Text.Quote(name) + " is not a rule name (1–128 letters, digits, _ and -).");
                }
            }
            if (group.RuleActionOverrides.Count > 0 && managed == null)
            {
                add(path + ".ruleActionOverrides", PolicyRules.WafV2RuleActionOverrideManagedOnly, "are set on a rule group that is not managed; FMS supports them only for managed rule groups.");
            }
            for (var j = 0; j < group.RuleActionOverrides.Count; j++)
            {
                var ruleOverride = group.RuleActionOverrides[j];
                var overridePath = PolicyJson.Index(path + ".ruleActionOverrides", j);
                var action = ruleOverride?.ActionToUse as JsonObject;
                if (ruleOverride == null || string.IsNullOrEmpty(ruleOverride.Name) || action == null || action.Count != 1
                    || !WafValues.RuleActions.Contains(action.First().Key))
                {
                    add(overridePath, PolicyRules.WafV2RuleActionOverrideAction, "needs a rule name and actionToUse with exactly one of allow, block, count, captcha, challenge.");
                }
                else if (!ModelPatterns.WafV2EntityName.IsMatch(ruleOverride.Name))
                {
                    add(overridePath + ".name", PolicyRules.WafV2RuleNameFormat, Text.Quote(ruleOverride.Name) + " is not a rule name (1–128 letters, digits, _ and -).");
                }
            }
        }

        private static void ValidateCapacity(List<(string Path, WafV2RuleGroup Group)> groups, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            if (groups.Count == 0) return;
            if (context.RuleGroupCapacity == null)
            {
                add("Settings", PolicyRules.WafV2CapacityNotChecked, "rule group capacity (at most 5,000 WCU per policy) was not checked: no capacities are available offline.");
                return;
            }
            var total = 0;
            var unknown = new List<string>();
            foreach (var (_, group) in groups)
            {
                if (group == null) continue;
                var capacity = context.RuleGroupCapacity(group);
                if (capacity.HasValue) total += capacity.Value;
                else if (Lookup(group, context) is ManagedRuleGroupLookup lookup && lookup.Outcome != ManagedRuleGroupOutcome.Found) continue; // an error of its own already
                else unknown.Add(group.DisplayName);
            }
            if (unknown.Count > 0)
            {
                add("Settings", PolicyRules.WafV2CapacityNotChecked, "capacity of " + string.Join(", ", unknown) + " is unknown, so the 5,000 WCU limit was checked without them.");
            }
            if (total > PolicyValidator.MaxWafV2Capacity)
            {
                add("Settings", PolicyRules.WafV2CapacityMax, "rule groups need " + total.ToString("N0", CultureInfo.InvariantCulture) + " WCU; a WAF policy may use at most 5,000.");
            }
        }
    }
}
