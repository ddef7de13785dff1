using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Diagnostics;

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

    internal static class WafClassicRules
    {
        public static void Validate(WafClassicPolicySettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.RuleGroups.Count > PolicyValidator.MaxWafClassicRuleGroups)
            {
                add("Settings.ruleGroups", PolicyRules.WafRuleGroupsMaxCount, "has " + settings.RuleGroups.Count.ToString(CultureInfo.InvariantCulture) + " rule groups; WAF Classic policies take at most 2.");
            }
            for (var i = 0; i < settings.RuleGroups.Count; i++)
            {
                var group = settings.RuleGroups[i];
                var path = PolicyJson.Index("Settings.ruleGroups", i);
                if (string.IsNullOrEmpty(group?.Id)) add(path + ".id", PolicyRules.WafRuleGroupIdRequired, "is missing; give the WAF Classic rule group id.");
                var overrideType = group?.OverrideAction?.Type;
                if (overrideType == null || !WafValues.OverrideActions.Contains(overrideType))
                {
                    add(path + ".overrideAction.type", PolicyRules.WafRuleGroupOverrideAction, Text.Quote(overrideType) + " is not NONE or COUNT.");
                }
            }
            var defaultType = settings.DefaultAction?.Type;
            if (defaultType == null || !WafValues.DefaultActions.Contains(defaultType))
            {
                add("Settings.defaultAction.type", PolicyRules.WafDefaultAction, Text.Quote(defaultType) + " is not ALLOW or BLOCK.");
            }
        }
    }

    internal static class ShieldRules
    {
        public static void Validate(ShieldAdvancedPolicySettings settings, Action<string, PolicyRule, string> add)
        {
            var response = settings.AutomaticResponseConfiguration;
            if (response == null) return;
            if (response.AutomaticResponseStatus == null || !ShieldValues.Statuses.Contains(response.AutomaticResponseStatus))
            {
                add("Settings.automaticResponseConfiguration.automaticResponseStatus", PolicyRules.ShieldAutomaticResponseStatus,
                    Text.Quote(response.AutomaticResponseStatus) + " is not ENABLED, IGNORED or DISABLED.");
            }
            if (response.AutomaticResponseAction != null && !ShieldValues.Actions.Contains(response.AutomaticResponseAction))
            {
                add("Settings.automaticResponseConfiguration.automaticResponseAction", PolicyRules.ShieldAutomaticResponseAction,
                    Text.Quote(response.AutomaticResponseAction) + " is not BLOCK or COUNT.");
            }
            else if (response.AutomaticResponseStatus == ShieldValues.Enabled && response.AutomaticResponseAction == null)
            {
                add("Settings.automaticResponseConfiguration.automaticResponseAction", PolicyRules.ShieldAutomaticResponseAction,
                    "is missing; with automaticResponseStatus ENABLED, choose BLOCK or COUNT.");
            }
        }
    }

    internal static class SecurityGroupRules
    {
        public static void Validate(SecurityGroupsCommonSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.SecurityGroups.Count != 1)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsCommonPrimaryGroupCount, "has " + settings.SecurityGroups.Count.ToString(CultureInfo.InvariantCulture) + " groups; a common security group policy takes exactly one primary group.");
            }
            ValidateIds(settings.SecurityGroups, add);
            if (settings.EnableTagDistribution == true && settings.RevertManualSecurityGroupChanges != true)
            {
                add("Settings.enableTagDistribution", PolicyRules.SecurityGroupsCommonTagDistributionRequiresRevert, "is true but revertManualSecurityGroupChanges is not; FMS will not create the policy.");
            }
        }

        public static void Validate(SecurityGroupsContentAuditSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.SecurityGroups.Count > 1)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsContentAuditGroupCount, "has " + settings.SecurityGroups.Count.ToString(CultureInfo.InvariantCulture) + " groups; a content audit policy takes one audit group.");
            }
            else if (settings.SecurityGroups.Count == 0 && settings.PreManagedOptions == null)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsContentAuditGroupCount, "is empty and there are no preManagedOptions; name the audit security group.");
            }
            ValidateIds(settings.SecurityGroups, add);
            var action = settings.SecurityGroupAction?.Type;
            if (action != null ? !SecurityGroupValues.ContentAuditActions.Contains(action) : settings.SecurityGroups.Count > 0)
            {
                add("Settings.securityGroupAction.type", PolicyRules.SecurityGroupsContentAuditAction, Text.Quote(action) + " is not ALLOW or DENY.");
            }
        }

        public static void Validate(SecurityGroupsUsageAuditSettings settings, Action<string, PolicyRule, string> add)
        {
            var delay = settings.OptionalDelayForUnusedInMinutes;
            if (delay.HasValue && (delay.Value < 0 || delay.Value > SecurityGroupValues.MaxUnusedDelayMinutes))
            {
                add("Settings.optionalDelayForUnusedInMinutes", PolicyRules.SecurityGroupsUsageAuditDelayRange, delay.Value.ToString(CultureInfo.InvariantCulture) + " is outside 0–525,600 minutes (one year).");
            }
            if (settings.DeleteUnusedSecurityGroups != true && settings.CoalesceRedundantSecurityGroups != true)
            {
                add("Settings", PolicyRules.SecurityGroupsUsageAuditNoAction, "turn on deleteUnusedSecurityGroups or coalesceRedundantSecurityGroups, or the policy audits nothing.");
            }
        }

        private static void ValidateIds(List<SecurityGroupReference> groups, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var id = groups[i]?.Id;
                if (!PolicyValidator.IsValidSecurityGroupId(id))
                {
                    add(PolicyJson.Index("Settings.securityGroups", i) + ".id", PolicyRules.SecurityGroupIdFormat, Text.Quote(id) + " is not a security group id (sg- and 8 or 17 hex digits).");
                }
            }
        }
    }

    internal static class DnsFirewallRules
    {
        public static void Validate(DnsFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            var total = settings.PreProcessRuleGroups.Count + settings.PostProcessRuleGroups.Count;
            if (total > PolicyValidator.MaxDnsFirewallRuleGroups)
            {
                add("Settings", PolicyRules.DnsFirewallRuleGroupsMaxCount, "have " + total.ToString(CultureInfo.InvariantCulture) + " rule groups; a DNS Firewall policy takes at most 2.");
            }
            var priorities = new HashSet<int>();
            Check(settings.PreProcessRuleGroups, "Settings.preProcessRuleGroups", DnsFirewallSettings.PreProcessMinPriority, DnsFirewallSettings.PreProcessMaxPriority, PolicyRules.DnsFirewallPreProcessPriority, priorities, add);
            Check(settings.PostProcessRuleGroups, "Settings.postProcessRuleGroups", DnsFirewallSettings.PostProcessMinPriority, DnsFirewallSettings.PostProcessMaxPriority, PolicyRules.DnsFirewallPostProcessPriority, priorities, add);
        }

        private static void Check(List<DnsFirewallRuleGroup> groups, string listPath, int min, int max, PolicyRule rangeRule, HashSet<int> priorities, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var group = groups[i];
                var path = PolicyJson.Index(listPath, i);
                if (string.IsNullOrEmpty(group?.RuleGroupId)) add(path + ".ruleGroupId", PolicyRules.DnsFirewallRuleGroupIdRequired, "is missing; name the Route 53 Resolver firewall rule group (rslvr-frg-...).");
                var priority = group?.Priority;
                if (!priority.HasValue || priority.Value < min || priority.Value > max)
                {
                    add(path + ".priority", rangeRule, (priority.HasValue ? priority.Value.ToString(CultureInfo.InvariantCulture) : "null") + " is outside " + min.ToString(CultureInfo.InvariantCulture) + "–" + max.ToString(CultureInfo.InvariantCulture) + ".");
                }
                else if (!priorities.Add(priority.Value))
                {
                    add(path + ".priority", PolicyRules.DnsFirewallPriorityDuplicate, priority.Value.ToString(CultureInfo.InvariantCulture) + " is used by another rule group.");
                }
            }
        }
    }

    internal static class NetworkFirewallRules
    {
        public static void Validate(NetworkFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            ValidateConfig(settings.FirewallPolicy, settings.IsCentralized ? "Settings.awsNetworkFirewallConfig" : "Settings", add);
            const string modelPath = "PolicyOption.networkFirewallPolicy.firewallDeploymentModel";
            if (settings.DeploymentModel != null && !FirewallValues.DeploymentModels.Contains(settings.DeploymentModel))
            {
                add(modelPath, PolicyRules.NetworkFirewallDeploymentModel, Text.Quote(settings.DeploymentModel) + " is not CENTRALIZED or DISTRIBUTED.");
            }
            if (settings.IsCentralized)
            {
                if (settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig == null)
                {
                    add("Settings.firewallDeploymentModel", PolicyRules.NetworkFirewallDeploymentModel, "needs centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig (inspection VPCs) for the CENTRALIZED model.");
                }
                if (settings.OrchestrationConfig != null)
                {
                    add("Settings.networkFirewallOrchestrationConfig", PolicyRules.NetworkFirewallDeploymentModel, "belongs to the distributed model, but the PolicyOption says CENTRALIZED.");
                }
            }
            else if (settings.FirewallDeploymentModel?.Centralized != null)
            {
                add(modelPath, PolicyRules.NetworkFirewallDeploymentModel, "must be CENTRALIZED when the settings contain centralizedFirewallDeploymentModel.");
            }
            var orchestration = settings.OrchestrationConfig;
            if (orchestration != null)
            {
                if (orchestration.RouteManagementAction != null && !FirewallValues.RouteManagementActions.Contains(orchestration.RouteManagementAction))
                {
                    add("Settings.networkFirewallOrchestrationConfig.routeManagementAction", PolicyRules.NetworkFirewallRouteManagementAction, Text.Quote(orchestration.RouteManagementAction) + " is not OFF or MONITOR.");
                }
                ValidateZones(orchestration.FirewallCreationConfig, "Settings.networkFirewallOrchestrationConfig.firewallCreationConfig", add);
                ValidateCidrs(orchestration.AllowedIpv4CidrList, "Settings.networkFirewallOrchestrationConfig.allowedIPV4CidrList", add);
            }
            ValidateOrchestration(settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig", add);
        }

        /// <summary>Zones and CIDR blocks of a centralized or (third-party) distributed orchestration config.</summary>
        internal static void ValidateOrchestration(FirewallOrchestrationConfig? orchestration, string path, Action<string, PolicyRule, string> add)
        {
            if (orchestration == null) return;
            ValidateZones(orchestration.FirewallCreationConfig, path + ".firewallCreationConfig", add);
            ValidateCidrs(orchestration.AllowedIpv4CidrList, path + ".allowedIPV4CidrList", add);
        }

        private static void ValidateCidrs(List<string> cidrs, string path, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < cidrs.Count; i++)
            {
                if (!PolicyValidator.IsValidCidr(cidrs[i], ipv6: false))
                {
                    add(PolicyJson.Index(path, i), PolicyRules.NetworkFirewallAllowedCidrFormat, Text.Quote(cidrs[i]) + " is not an IPv4 CIDR block such as 10.0.0.0/28.");
                }
            }
        }

        internal static void ValidateZones(FirewallCreationConfig? creation, string path, Action<string, PolicyRule, string> add)
        {
            var zones = creation?.EndpointLocation?.AvailabilityZoneConfigList;
            if (zones == null) return;
            for (var i = 0; i < zones.Count; i++)
            {
                var zone = zones[i];
                var zonePath = PolicyJson.Index(path + ".endpointLocation.availabilityZoneConfigList", i);
                if (string.IsNullOrEmpty(zone?.AvailabilityZoneName) == string.IsNullOrEmpty(zone?.AvailabilityZoneId))
                {
                    add(zonePath, PolicyRules.NetworkFirewallAvailabilityZoneNameOrId, "needs availabilityZoneName or availabilityZoneId, not both and not neither.");
                }
                else if (!string.IsNullOrEmpty(zone!.AvailabilityZoneName) && !ModelPatterns.AvailabilityZoneName.IsMatch(zone.AvailabilityZoneName))
                {
                    add(zonePath + ".availabilityZoneName", PolicyRules.NetworkFirewallAvailabilityZoneFormat, Text.Quote(zone.AvailabilityZoneName) + " is not an Availability Zone name such as us-east-1a.");
                }
                else if (!string.IsNullOrEmpty(zone.AvailabilityZoneId) && !ModelPatterns.AvailabilityZoneId.IsMatch(zone.AvailabilityZoneId))
                {
                    add(zonePath + ".availabilityZoneId", PolicyRules.NetworkFirewallAvailabilityZoneFormat, Text.Quote(zone.AvailabilityZoneId) + " is not an Availability Zone id such as use1-az1.");
                }
                if (zone != null) ValidateCidrs(zone.AllowedIpv4CidrList, zonePath + ".allowedIPV4CidrList", add);
            }
        }

        public static void ValidateConfig(NetworkFirewallPolicyConfig config, string basePath, Action<string, PolicyRule, string> add)
        {
            var customNames = new HashSet<string>(config.StatelessCustomActions.Where(a => a?.ActionName != null).Select(a => a.ActionName!), StringComparer.Ordinal);
            CheckDefaultActions(config.StatelessDefaultActions, PolicyJson.Join(basePath, "networkFirewallStatelessDefaultActions"), customNames, add);
            CheckDefaultActions(config.StatelessFragmentDefaultActions, PolicyJson.Join(basePath, "networkFirewallStatelessFragmentDefaultActions"), customNames, add);

            var statelessPath = PolicyJson.Join(basePath, "networkFirewallStatelessRuleGroupReferences");
            var statelessPriorities = new HashSet<int>();
            for (var i = 0; i < config.StatelessRuleGroupReferences.Count; i++)
            {
                var reference = config.StatelessRuleGroupReferences[i];
                var path = PolicyJson.Index(statelessPath, i);
                CheckRuleGroupArn(reference?.ResourceArn, path, "stateless", add);
                var priority = reference?.Priority;
                if (!priority.HasValue || priority.Value < 1 || priority.Value > 65535 || !statelessPriorities.Add(priority.Value))
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatelessPriority, (priority.HasValue ? priority.Value.ToString(CultureInfo.InvariantCulture) : "null") + " is not a distinct priority of 1–65,535.");
                }
            }

            var ruleOrder = config.StatefulEngineOptions?.RuleOrder;
            if (ruleOrder != null && !FirewallValues.StatefulRuleOrders.Contains(ruleOrder))
            {
                add(PolicyJson.Join(basePath, "networkFirewallStatefulEngineOptions.ruleOrder"), PolicyRules.NetworkFirewallRuleOrder, Text.Quote(ruleOrder) + " is not DEFAULT_ACTION_ORDER or STRICT_ORDER.");
            }
            var strict = ruleOrder == FirewallValues.StrictOrder;
            var statefulPath = PolicyJson.Join(basePath, "networkFirewallStatefulRuleGroupReferences");
            var statefulPriorities = new HashSet<int>();
            for (var i = 0; i < config.StatefulRuleGroupReferences.Count; i++)
            {
                var reference = config.StatefulRuleGroupReferences[i];
                var path = PolicyJson.Index(statefulPath, i);
                CheckRuleGroupArn(reference?.ResourceArn, path, "stateful", add);
                var priority = reference?.Priority;
                if (strict && (!priority.HasValue || priority.Value < 1 || priority.Value > 65535 || !statefulPriorities.Add(priority.Value)))
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatefulPriority, "needs a distinct priority of 1–65,535 with STRICT_ORDER.");
                }
                else if (!strict && priority.HasValue)
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatefulPriority, "is only allowed with networkFirewallStatefulEngineOptions.ruleOrder STRICT_ORDER.");
                }
                var overrideAction = reference?.Override?.Action;
                if (reference?.Override != null && (overrideAction == null || !FirewallValues.StatefulOverrideActions.Contains(overrideAction)))
                {
                    add(path + ".override.action", PolicyRules.NetworkFirewallStatefulOverride, Text.Quote(overrideAction) + " is not DROP_TO_ALERT.");
                }
            }
        }

        private static void CheckRuleGroupArn(string? arn, string path, string kind, Action<string, PolicyRule, string> add)
        {
            if (string.IsNullOrEmpty(arn))
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnRequired, "is missing.");
                return;
            }
            var match = ModelPatterns.NetworkFirewallRuleGroupArn.Match(arn);
            if (!match.Success)
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnFormat, Text.Quote(arn)
                    + " is not a Network Firewall rule group ARN (arn:aws:network-firewall:<region>:<account>:" + kind + "-rulegroup/<name>).");
            }
            else if (match.Groups["kind"].Value != kind)
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnFormat, Text.Quote(arn) + " is a " + match.Groups["kind"].Value
                    + " rule group, but this list takes " + kind + " rule groups.");
            }
        }

        private static void CheckDefaultActions(List<string> actions, string path, HashSet<string> customNames, Action<string, PolicyRule, string> add)
        {
            var standard = actions.Count(a => FirewallValues.StatelessStandardActions.Contains(a));
            if (standard != 1)
            {
                add(path, PolicyRules.NetworkFirewallStatelessDefaultActions, "has " + standard.ToString(CultureInfo.InvariantCulture) + " standard actions; it needs exactly one of aws:pass, aws:drop, aws:forward_to_sfe.");
            }
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (FirewallValues.StatelessStandardActions.Contains(action)) continue;
                if (!customNames.Contains(action ?? string.Empty))
                {
                    add(PolicyJson.Index(path, i), PolicyRules.NetworkFirewallCustomActionUndefined, Text.Quote(action) + " is not a standard action and no custom action of that name is defined.");
                }
            }
        }
    }

    internal static class ThirdPartyFirewallRules
    {
        public static void Validate(ThirdPartyFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.ThirdPartyFirewall == null || !FirewallValues.ThirdPartyFirewalls.Contains(settings.ThirdPartyFirewall))
            {
                add("Settings.thirdPartyFirewall", PolicyRules.ThirdPartyFirewallVendor, Text.Quote(settings.ThirdPartyFirewall) + " is not PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.");
            }
            const string modelPath = "PolicyOption.thirdPartyFirewallPolicy.firewallDeploymentModel";
            var model = settings.DeploymentModel;
            if (model == null || !FirewallValues.DeploymentModels.Contains(model))
            {
                add(modelPath, PolicyRules.ThirdPartyFirewallDeploymentModel, Text.Quote(model) + " is not CENTRALIZED or DISTRIBUTED.");
            }
            else if (model == FirewallValues.Centralized && settings.FirewallDeploymentModel?.Distributed != null)
            {
                add("Settings.firewallDeploymentModel", PolicyRules.ThirdPartyFirewallDeploymentModel, "describes a distributed deployment but the PolicyOption says CENTRALIZED.");
            }
            else if (model == FirewallValues.Distributed && settings.FirewallDeploymentModel?.Centralized != null)
            {
                add("Settings.firewallDeploymentModel", PolicyRules.ThirdPartyFirewallDeploymentModel, "describes a centralized deployment but the PolicyOption says DISTRIBUTED.");
            }
            if (settings.FirewallConfig == null || settings.FirewallConfig.ThirdPartyFirewallPolicyList.Count == 0)
            {
                add("Settings.thirdPartyFirewallConfig.thirdPartyFirewallPolicyList", PolicyRules.ThirdPartyFirewallPolicyRequired, "is empty; name the vendor firewall policy to apply.");
            }
            NetworkFirewallRules.ValidateOrchestration(settings.FirewallDeploymentModel?.Distributed?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.distributedFirewallDeploymentModel.distributedFirewallOrchestrationConfig", add);
            NetworkFirewallRules.ValidateOrchestration(settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig", add);
        }
    }

    internal static class NetworkAclRules
    {
        private const string SetPath = "PolicyOption.networkAclCommonPolicy.networkAclEntrySet";

        public static void Validate(NetworkAclCommonSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.FirstEntries.Count == 0 && settings.LastEntries.Count == 0)
            {
                add(SetPath, PolicyRules.NetworkAclEntriesRequired, "has no firstEntries and no lastEntries.");
            }
            Check(settings.FirstEntries, SetPath + ".firstEntries", add);
            Check(settings.LastEntries, SetPath + ".lastEntries", add);
        }

        private static void Check(List<NetworkAclRule> entries, string listPath, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i] ?? new NetworkAclRule();
                var path = PolicyJson.Index(listPath, i);
                if (entry.RuleAction == null || !FirewallValues.AclRuleActions.Contains(entry.RuleAction))
                {
                    add(path + ".ruleAction", PolicyRules.NetworkAclRuleAction, Text.Quote(entry.RuleAction) + " is not allow or deny.");
                }
                var hasProtocol = int.TryParse(entry.Protocol, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var protocol) && protocol >= -1 && protocol <= 255;
                if (!hasProtocol)
                {
                    add(path + ".protocol", PolicyRules.NetworkAclProtocol, Text.Quote(entry.Protocol) + " is not a protocol number (-1 for all, 6 TCP, 17 UDP, 1 ICMP).");
                }
                var hasV4 = entry.CidrBlock != null;
                var hasV6 = entry.Ipv6CidrBlock != null;
                if (hasV4 == hasV6 || (hasV4 && !PolicyValidator.IsValidCidr(entry.CidrBlock, false)) || (hasV6 && !PolicyValidator.IsValidCidr(entry.Ipv6CidrBlock, true)))
                {
                    add(path + (hasV6 && !hasV4 ? ".ipv6CidrBlock" : ".cidrBlock"), PolicyRules.NetworkAclCidr, "needs exactly one valid CIDR block (cidrBlock like 10.0.0.0/16 or ipv6CidrBlock).");
                }
                if (hasProtocol && (protocol == 6 || protocol == 17))
                {
                    var range = entry.PortRange;
                    if (range?.From == null || range.To == null || range.From < 0 || range.To > 65535 || range.From > range.To)
                    {
                        add(path + ".portRange", PolicyRules.NetworkAclPortRange, "needs from and to with 0 ≤ from ≤ to ≤ 65,535 for TCP and UDP.");
                    }
                }
                if (hasProtocol && (protocol == 1 || protocol == 58) && entry.IcmpTypeCode == null)
                {
                    add(path + ".icmpTypeCode", PolicyRules.NetworkAclIcmpTypeCode, "is missing; ICMP entries need a type and code (-1 for all).");
                }
            }
        }
    }

    internal static class Text
    {
        public static string Quote(string? value) => value == null ? "null" : "\"" + value + "\"";
    }
}
