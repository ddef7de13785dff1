using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using static FmsTools.Infrastructure.PolicyParameterConverter;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>Creates an AWS WAF (WAFV2) policy: rule groups FMS puts first and last in every managed web ACL.</summary>
    [Cmdlet(VerbsCommon.New, "FmsWafPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsWafPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>
        /// Managed rule groups: 'Vendor/Name', 'Vendor/Name:Version', or hashtables/objects with Vendor, Name, Version,
        /// ExcludedRules, RuleActionOverrides, OverrideAction (None|Count), Position (Pre|Post), ManagedRuleGroupConfigs.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsManagedRuleGroupCompleter))]
        public object[]? ManagedRuleGroup { get; set; }

        /// <summary>Your own rule groups by ARN, evaluated first (pre-process), in the order given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsWafRuleGroupArnCompleter))]
        public string[]? RuleGroupArn { get; set; }

        /// <summary>Your own rule groups by ARN, evaluated last (post-process), in the order given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsWafRuleGroupArnCompleter))]
        public string[]? PostProcessRuleGroupArn { get; set; }

        [Parameter]
        [ValidateSet("Allow", "Block")]
        public string DefaultAction { get; set; } = "Allow";

        /// <summary>Replace web ACLs already associated with in-scope resources (unless another FMS policy owns them).</summary>
        [Parameter]
        public SwitchParameter OverrideCustomerWebAclAssociation { get => new SwitchParameter(OverrideCustomerWebAclAssociationFlag); set => OverrideCustomerWebAclAssociationFlag = value.IsPresent; }

        /// <summary>-OverrideCustomerWebAclAssociation as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool OverrideCustomerWebAclAssociationFlag { get; set; }

        /// <summary>Add the FMS rule groups to existing customer web ACLs instead of replacing them (webACLSource RETROFIT_EXISTING).</summary>
        [Parameter]
        public SwitchParameter RetrofitExistingWebAcl { get => new SwitchParameter(RetrofitExistingWebAclFlag); set => RetrofitExistingWebAclFlag = value.IsPresent; }

        /// <summary>-RetrofitExistingWebAcl as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool RetrofitExistingWebAclFlag { get; set; }

        /// <summary>Create web ACLs only where a resource will use them.</summary>
        [Parameter]
        public SwitchParameter OptimizeUnassociatedWebAcl { get => new SwitchParameter(OptimizeUnassociatedWebAclFlag); set => OptimizeUnassociatedWebAclFlag = value.IsPresent; }

        /// <summary>-OptimizeUnassociatedWebAcl as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool OptimizeUnassociatedWebAclFlag { get; set; }

        /// <summary>ARNs of the log destinations (Firehose delivery streams, S3 buckets or CloudWatch log groups named aws-waf-logs-*).</summary>
        [Parameter]
        public string[]? LogDestination { get; set; }

        /// <summary>The full WAF logging configuration (hashtable or JSON), for redacted fields and filters.</summary>
        [Parameter]
        public object? LoggingConfiguration { get; set; }

        /// <summary>Custom response of a Block default action (WAF CustomResponse JSON, camelCase keys).</summary>
        [Parameter]
        public object? CustomResponse { get; set; }

        /// <summary>Response bodies custom responses refer to (WAF CustomResponseBodies JSON).</summary>
        [Parameter]
        public object? CustomResponseBodies { get; set; }

        /// <summary>Headers added to allowed requests (WAF CustomRequestHandling JSON).</summary>
        [Parameter]
        public object? CustomRequestHandling { get; set; }

        /// <summary>Seconds a solved CAPTCHA stays valid (captchaConfig.immunityTimeProperty.immunityTime).</summary>
        [Parameter]
        [ValidateRange(60, 259200)]
        public int? CaptchaImmunitySeconds { get; set; }

        /// <summary>Seconds a passed challenge stays valid (challengeConfig.immunityTimeProperty.immunityTime).</summary>
        [Parameter]
        [ValidateRange(300, 259200)]
        public int? ChallengeImmunitySeconds { get; set; }

        /// <summary>Domains WAF accepts in tokens (tokenDomains).</summary>
        [Parameter]
        public string[]? TokenDomain { get; set; }

        [Parameter]
        public SwitchParameter SampledRequestsEnabledForDefaultActions { get => new SwitchParameter(SampledRequestsEnabledForDefaultActionsFlag); set => SampledRequestsEnabledForDefaultActionsFlag = value.IsPresent; }

        /// <summary>-SampledRequestsEnabledForDefaultActions as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool SampledRequestsEnabledForDefaultActionsFlag { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new WafV2PolicySettings
            {
                DefaultAction = new PolicyAction(Wire(DefaultAction)),
                OverrideCustomerWebAclAssociation = OverrideCustomerWebAclAssociationFlag,
                WebAclSource = RetrofitExistingWebAclFlag ? WafValues.WebAclSourceRetrofitExisting : null,
                OptimizeUnassociatedWebAcl = OptimizeUnassociatedWebAclFlag ? true : (bool?)null,
                CustomResponse = ToJson(CustomResponse, "CustomResponse"),
                CustomResponseBodies = ToJson(CustomResponseBodies, "CustomResponseBodies"),
                CustomRequestHandling = ToJson(CustomRequestHandling, "CustomRequestHandling"),
                SampledRequestsEnabledForDefaultActions = SampledRequestsEnabledForDefaultActionsFlag ? true : (bool?)null,
                TokenDomains = TokenDomain?.ToList() ?? new List<string>(),
            };
            if (CaptchaImmunitySeconds.HasValue)
                settings.CaptchaConfig = new JsonObject { ["immunityTimeProperty"] = new JsonObject { ["immunityTime"] = CaptchaImmunitySeconds.Value } };
            if (ChallengeImmunitySeconds.HasValue)
                settings.ChallengeConfig = new JsonObject { ["immunityTimeProperty"] = new JsonObject { ["immunityTime"] = ChallengeImmunitySeconds.Value } };
            settings.LoggingConfiguration = LoggingJson();

            var index = 0;
            foreach (var item in ManagedRuleGroup ?? new object[0])
            {
                var (group, post) = ParseManagedRuleGroup(item, $"ManagedRuleGroup[{index++}]");
                (post ? settings.PostProcessRuleGroups : settings.PreProcessRuleGroups).Add(group);
            }
            foreach (var arn in RuleGroupArn ?? new string[0]) settings.PreProcessRuleGroups.Add(WafV2RuleGroup.Custom(arn));
            foreach (var arn in PostProcessRuleGroupArn ?? new string[0]) settings.PostProcessRuleGroups.Add(WafV2RuleGroup.Custom(arn));
            return settings;
        }

        private JsonNode? LoggingJson()
        {
            var configured = ToJson(LoggingConfiguration, "LoggingConfiguration");
            if (LogDestination == null || LogDestination.Length == 0) return configured;
            var logging = configured as JsonObject ?? new JsonObject();
            logging["logDestinationConfigs"] = new JsonArray(LogDestination.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
            if (!logging.ContainsKey("redactedFields")) logging["redactedFields"] = new JsonArray();
            return logging;
        }

        /// <summary>One -ManagedRuleGroup item; returns the group and whether it goes last (Position Post).</summary>
        internal static (WafV2RuleGroup Group, bool PostProcess) ParseManagedRuleGroup(object? item, string field)
        {
            item = Bare(item);
            if (item is WafV2RuleGroup typed) return (typed, false);
            if (item is string text)
            {
                var slash = text.IndexOf('/');
                if (slash <= 0 || slash == text.Length - 1)
                    throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: '{text}' is not 'Vendor/Name' or 'Vendor/Name:Version' (e.g. 'AWS/AWSManagedRulesCommonRuleSet').");
                var rest = text.Substring(slash + 1);
                var colon = rest.IndexOf(':');
                var name = colon < 0 ? rest : rest.Substring(0, colon);
                var version = colon < 0 ? null : rest.Substring(colon + 1);
                if (name.Length == 0 || version?.Length == 0)
                    throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: '{text}' has an empty {(name.Length == 0 ? "name" : "version")}; write 'Vendor/Name' or 'Vendor/Name:Version' (e.g. 'AWS/AWSManagedRulesCommonRuleSet:Version_1.0').");
                return (WafV2RuleGroup.Managed(text.Substring(0, slash), name, version), false);
            }
            var map = AsMap(item)
                ?? throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: expected 'Vendor/Name' or a hashtable with Vendor and Name, not {item?.GetType().Name ?? "null"}.");
            var vendor = Text(Get(map, "Vendor", "VendorName"));
            var groupName = Text(Get(map, "Name", "ManagedRuleGroupName"));
            if (string.IsNullOrEmpty(vendor) || string.IsNullOrEmpty(groupName))
                throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: the hashtable needs Vendor and Name.");
            var overrideAction = Text(Get(map, "OverrideAction")) ?? "None";
            if (!string.Equals(overrideAction, "None", StringComparison.OrdinalIgnoreCase) && !string.Equals(overrideAction, "Count", StringComparison.OrdinalIgnoreCase))
                throw new FmsInputException(field + ".OverrideAction", "ManagedRuleGroup.OverrideAction", $"{field}.OverrideAction: '{overrideAction}' is not None or Count.");
            var group = WafV2RuleGroup.Managed(vendor!, groupName!, Text(Get(map, "Version")), Wire(overrideAction));
            foreach (var rule in TextList(Get(map, "ExcludedRules", "ExcludedRule", "ExcludeRules"))) group.ExcludeRules.Add(new WafV2ExcludedRule(rule));
            group.RuleActionOverrides.AddRange(RuleActionOverrides(Get(map, "RuleActionOverrides", "RuleActionOverride"), field + ".RuleActionOverrides"));
            var configs = Get(map, "ManagedRuleGroupConfigs");
            if (configs != null) group.ManagedRuleGroupIdentifier!.ManagedRuleGroupConfigs = ToJson(configs, field + ".ManagedRuleGroupConfigs");
            var position = Text(Get(map, "Position")) ?? "Pre";
            if (!string.Equals(position, "Pre", StringComparison.OrdinalIgnoreCase) && !string.Equals(position, "Post", StringComparison.OrdinalIgnoreCase))
                throw new FmsInputException(field + ".Position", "ManagedRuleGroup.Position", $"{field}.Position: '{position}' is not Pre or Post.");
            return (group, string.Equals(position, "Post", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>@{ RuleName = 'count' } or @(@{ Name = 'RuleName'; Action = 'block' }) as rule action overrides.</summary>
        private static IEnumerable<WafV2RuleActionOverride> RuleActionOverrides(object? value, string field)
        {
            var result = new List<WafV2RuleActionOverride>();
            if (value == null) return result;
            var byName = AsMap(value);
            if (byName != null && !byName.ContainsKey("Name"))
            {
                foreach (var pair in byName.OrderBy(p => p.Key, StringComparer.Ordinal)) result.Add(Override(pair.Key, Text(pair.Value), field));
                return result;
            }
            foreach (var entry in Items(value))
            {
                var map = AsMap(entry) ?? throw new FmsInputException(field, "ManagedRuleGroup.RuleActionOverride", $"{field}: each override is @{{ Name = '<rule>'; Action = 'count' }}.");
                result.Add(Override(Text(Get(map, "Name")) ?? string.Empty, Text(Get(map, "Action", "ActionToUse")), field));
            }
            return result;
        }

        private static WafV2RuleActionOverride Override(string rule, string? action, string field)
        {
            var normalized = (action ?? string.Empty).ToLowerInvariant();
            if (rule.Length == 0 || !WafValues.RuleActions.Contains(normalized))
                throw new FmsInputException(field, "ManagedRuleGroup.RuleActionOverride",
                    $"{field}: rule '{rule}' needs an action of {string.Join(", ", WafValues.RuleActions)}, not '{action}'.");
            return WafV2RuleActionOverride.Create(rule, normalized);
        }
    }
}
