using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>Enumeration values used in WAF settings.</summary>
    public static class WafValues
    {
        public const string Allow = "ALLOW";
        public const string Block = "BLOCK";
        public const string OverrideNone = "NONE";
        public const string OverrideCount = "COUNT";
        public const string RuleGroupTypeCustom = "RuleGroup";
        public const string RuleGroupTypeManaged = "ManagedRuleGroup";
        public const string WebAclSourceRetrofitExisting = "RETROFIT_EXISTING";

        public static readonly IReadOnlyList<string> DefaultActions = new[] { Allow, Block };
        public static readonly IReadOnlyList<string> OverrideActions = new[] { OverrideNone, OverrideCount };
        public static readonly IReadOnlyList<string> RuleGroupTypes = new[] { RuleGroupTypeCustom, RuleGroupTypeManaged };
        public static readonly IReadOnlyList<string> WebAclSources = new[] { WebAclSourceRetrofitExisting };

        /// <summary>Actions a rule action override may use (the single key of actionToUse).</summary>
        public static readonly IReadOnlyList<string> RuleActions = new[] { "allow", "block", "count", "captcha", "challenge" };
    }

    /// <summary>WAFV2 policy: the first and last rule groups of every FMS-managed web ACL.</summary>
    public sealed class WafV2PolicySettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.WafV2;

        /// <summary>Rule groups evaluated before the account's own rules, in evaluation order.</summary>
        public List<WafV2RuleGroup> PreProcessRuleGroups { get; set; } = new List<WafV2RuleGroup>();

        /// <summary>Rule groups evaluated after the account's own rules, in evaluation order.</summary>
        public List<WafV2RuleGroup> PostProcessRuleGroups { get; set; } = new List<WafV2RuleGroup>();

        /// <summary>{"type": "ALLOW" | "BLOCK"}.</summary>
        public PolicyAction? DefaultAction { get; set; }

        /// <summary>Custom request handling for an ALLOW default action (WAF CustomRequestHandling JSON).</summary>
        public JsonNode? CustomRequestHandling { get; set; }

        /// <summary>Custom response for a BLOCK default action (WAF CustomResponse JSON).</summary>
        public JsonNode? CustomResponse { get; set; }

        /// <summary>Custom response bodies referenced by custom responses (WAF CustomResponseBodies JSON).</summary>
        public JsonNode? CustomResponseBodies { get; set; }

        public bool? OverrideCustomerWebAclAssociation { get; set; }

        /// <summary>WAF logging configuration JSON (logDestinationConfigs, redactedFields, loggingFilterConfigs).</summary>
        public JsonNode? LoggingConfiguration { get; set; }

        public bool? SampledRequestsEnabledForDefaultActions { get; set; }

        /// <summary>"RETROFIT_EXISTING" to add FMS rules to existing customer web ACLs (#34).</summary>
        public string? WebAclSource { get; set; }

        public bool? OptimizeUnassociatedWebAcl { get; set; }

        public JsonNode? CaptchaConfig { get; set; }

        public JsonNode? ChallengeConfig { get; set; }

        public List<string> TokenDomains { get; set; } = new List<string>();

        public JsonNode? AssociationConfig { get; set; }

        internal override void ReadSettings(JsonFieldReader reader)
        {
            PreProcessRuleGroups = reader.ObjectList<WafV2RuleGroup>("preProcessRuleGroups");
            PostProcessRuleGroups = reader.ObjectList<WafV2RuleGroup>("postProcessRuleGroups");
            DefaultAction = reader.Object<PolicyAction>("defaultAction");
            CustomRequestHandling = reader.Node("customRequestHandling");
            CustomResponse = reader.Node("customResponse");
            CustomResponseBodies = reader.Node("customResponseBodies");
            OverrideCustomerWebAclAssociation = reader.Bool("overrideCustomerWebACLAssociation");
            LoggingConfiguration = reader.Node("loggingConfiguration");
            SampledRequestsEnabledForDefaultActions = reader.Bool("sampledRequestsEnabledForDefaultActions");
            WebAclSource = reader.String("webACLSource");
            OptimizeUnassociatedWebAcl = reader.Bool("optimizeUnassociatedWebACL");
            CaptchaConfig = reader.Node("captchaConfig");
            ChallengeConfig = reader.Node("challengeConfig");
            TokenDomains = reader.StringList("tokenDomains");
            AssociationConfig = reader.Node("associationConfig");
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
            // Both lists always present: every example in the model sends them, even when empty.
            writer.Add("preProcessRuleGroups", PreProcessRuleGroups, writeEmpty: true);
            writer.Add("postProcessRuleGroups", PostProcessRuleGroups, writeEmpty: true);
            writer.Add("defaultAction", DefaultAction);
            writer.Add("customRequestHandling", CustomRequestHandling);
            writer.Add("customResponse", CustomResponse);
            writer.Add("customResponseBodies", CustomResponseBodies);
            writer.Add("overrideCustomerWebACLAssociation", OverrideCustomerWebAclAssociation);
            writer.Add("loggingConfiguration", LoggingConfiguration);
            writer.Add("sampledRequestsEnabledForDefaultActions", SampledRequestsEnabledForDefaultActions);
            writer.Add("webACLSource", WebAclSource);
            writer.Add("optimizeUnassociatedWebACL", OptimizeUnassociatedWebAcl);
            writer.Add("captchaConfig", CaptchaConfig);
            writer.Add("challengeConfig", ChallengeConfig);
            writer.Add("tokenDomains", TokenDomains);
            writer.Add("associationConfig", AssociationConfig);
        }
    }

    /// <summary>One rule group in a WAFV2 policy: either a managed rule group or one of yours by ARN.</summary>
    public sealed class WafV2RuleGroup : JsonBackedObject
    {
        public string? RuleGroupArn { get; set; }

        public WafV2ManagedRuleGroupIdentifier? ManagedRuleGroupIdentifier { get; set; }

        /// <summary>{"type": "NONE" | "COUNT"}.</summary>
        public PolicyAction? OverrideAction { get; set; }

        /// <summary>"RuleGroup" or "ManagedRuleGroup".</summary>
        public string? RuleGroupType { get; set; }

        public List<WafV2ExcludedRule> ExcludeRules { get; set; } = new List<WafV2ExcludedRule>();

        /// <summary>Per-rule action overrides; FMS supports them only for managed rule groups.</summary>
        public List<WafV2RuleActionOverride> RuleActionOverrides { get; set; } = new List<WafV2RuleActionOverride>();

        public bool? SampledRequestsEnabled { get; set; }

        /// <summary>A managed rule group such as AWS / AWSManagedRulesCommonRuleSet.</summary>
        public static WafV2RuleGroup Managed(string vendorName, string managedRuleGroupName, string? version = null, string overrideAction = WafValues.OverrideNone) =>
            new WafV2RuleGroup
            {
                ManagedRuleGroupIdentifier = new WafV2ManagedRuleGroupIdentifier
                {
                    VendorName = vendorName,
                    ManagedRuleGroupName = managedRuleGroupName,
                    Version = version,
                    VersionEnabled = version == null ? (bool?)null : true,
                },
                OverrideAction = new PolicyAction(overrideAction),
                RuleGroupType = WafValues.RuleGroupTypeManaged,
            };

        /// <summary>One of your own rule groups, by ARN.</summary>
        public static WafV2RuleGroup Custom(string ruleGroupArn, string overrideAction = WafValues.OverrideNone) =>
            new WafV2RuleGroup
            {
                RuleGroupArn = ruleGroupArn,
                OverrideAction = new PolicyAction(overrideAction),
                RuleGroupType = WafValues.RuleGroupTypeCustom,
            };

        /// <summary>A short label for messages: the managed group's vendor/name or the ARN.</summary>
        public string DisplayName =>
            ManagedRuleGroupIdentifier != null
                ? (ManagedRuleGroupIdentifier.VendorName ?? "?") + "/" + (ManagedRuleGroupIdentifier.ManagedRuleGroupName ?? "?")
                : RuleGroupArn ?? "(unnamed rule group)";

        internal override void ReadFields(JsonFieldReader reader)
        {
            RuleGroupArn = reader.String("ruleGroupArn");
            OverrideAction = reader.Object<PolicyAction>("overrideAction");
            ManagedRuleGroupIdentifier = reader.Object<WafV2ManagedRuleGroupIdentifier>("managedRuleGroupIdentifier");
            RuleGroupType = reader.String("ruleGroupType");
            ExcludeRules = reader.ObjectList<WafV2ExcludedRule>("excludeRules");
            SampledRequestsEnabled = reader.Bool("sampledRequestsEnabled");
            RuleActionOverrides = reader.ObjectList<WafV2RuleActionOverride>("ruleActionOverrides");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("ruleGroupArn", RuleGroupArn);
            writer.Add("overrideAction", OverrideAction);
            writer.Add("managedRuleGroupIdentifier", ManagedRuleGroupIdentifier);
            writer.Add("ruleGroupType", RuleGroupType);
            writer.Add("excludeRules", ExcludeRules, writeEmpty: true);
            writer.Add("sampledRequestsEnabled", SampledRequestsEnabled);
            writer.Add("ruleActionOverrides", RuleActionOverrides);
        }
    }

    public sealed class WafV2ManagedRuleGroupIdentifier : JsonBackedObject
    {
        public string? VendorName { get; set; }

        public string? ManagedRuleGroupName { get; set; }

        public string? Version { get; set; }

        /// <summary>True to pin <see cref="Version"/>; otherwise FMS uses the default version.</summary>
        public bool? VersionEnabled { get; set; }

        /// <summary>WAF ManagedRuleGroupConfigs JSON (ATP, Bot Control, ...).</summary>
        public JsonNode? ManagedRuleGroupConfigs { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            VersionEnabled = reader.Bool("versionEnabled");
            Version = reader.String("version");
            VendorName = reader.String("vendorName");
            ManagedRuleGroupName = reader.String("managedRuleGroupName");
            ManagedRuleGroupConfigs = reader.Node("managedRuleGroupConfigs");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("versionEnabled", VersionEnabled);
            writer.Add("version", Version);
            writer.Add("vendorName", VendorName);
            writer.Add("managedRuleGroupName", ManagedRuleGroupName);
            writer.Add("managedRuleGroupConfigs", ManagedRuleGroupConfigs);
        }
    }

    /// <summary>{"name": "..."}: a rule of the group set to count instead of its own action.</summary>
    public sealed class WafV2ExcludedRule : JsonBackedObject
    {
        public WafV2ExcludedRule()
        {
        }

        public WafV2ExcludedRule(string name)
        {
            Name = name;
        }

        public string? Name { get; set; }

        internal override void ReadFields(JsonFieldReader reader) => Name = reader.String("name");

        internal override void WriteFields(JsonObjectWriter writer) => writer.Add("name", Name);
    }

    /// <summary>{"name": "Rule1", "actionToUse": {"count": {}}}.</summary>
    public sealed class WafV2RuleActionOverride : JsonBackedObject
    {
        public string? Name { get; set; }

        /// <summary>WAF RuleAction JSON: a single key (allow, block, count, captcha, challenge) with its options.</summary>
        public JsonNode? ActionToUse { get; set; }

        /// <summary>An override to one of the plain actions ("count", "block", ...).</summary>
        public static WafV2RuleActionOverride Create(string ruleName, string action) =>
            new WafV2RuleActionOverride { Name = ruleName, ActionToUse = new JsonObject { [action] = new JsonObject() } };

        internal override void ReadFields(JsonFieldReader reader)
        {
            Name = reader.String("name");
            ActionToUse = reader.Node("actionToUse");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("name", Name);
            writer.Add("actionToUse", ActionToUse);
        }
    }

    /// <summary>WAF Classic policy: at most two rule groups by id (#44).</summary>
    public sealed class WafClassicPolicySettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.Waf;

        public List<WafClassicRuleGroup> RuleGroups { get; set; } = new List<WafClassicRuleGroup>();

        /// <summary>{"type": "ALLOW" | "BLOCK"}.</summary>
        public PolicyAction? DefaultAction { get; set; }

        public bool? OverrideCustomerWebAclAssociation { get; set; }

        internal override void ReadSettings(JsonFieldReader reader)
        {
            RuleGroups = reader.ObjectList<WafClassicRuleGroup>("ruleGroups");
            OverrideCustomerWebAclAssociation = reader.Bool("overrideCustomerWebACLAssociation");
            DefaultAction = reader.Object<PolicyAction>("defaultAction");
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
            writer.Add("ruleGroups", RuleGroups, writeEmpty: true);
            writer.Add("overrideCustomerWebACLAssociation", OverrideCustomerWebAclAssociation);
            writer.Add("defaultAction", DefaultAction);
        }
    }

    public sealed class WafClassicRuleGroup : JsonBackedObject
    {
        public string? Id { get; set; }

        /// <summary>{"type": "NONE" | "COUNT"}.</summary>
        public PolicyAction? OverrideAction { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            Id = reader.String("id");
            OverrideAction = reader.Object<PolicyAction>("overrideAction");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("id", Id);
            writer.Add("overrideAction", OverrideAction);
        }
    }

    /// <summary>Values for Shield Advanced's automatic application-layer DDoS response.</summary>
    public static class ShieldValues
    {
        public const string Enabled = "ENABLED";
        public const string Ignored = "IGNORED";
        public const string Disabled = "DISABLED";
        public const string Block = "BLOCK";
        public const string Count = "COUNT";

        public static readonly IReadOnlyList<string> Statuses = new[] { Enabled, Ignored, Disabled };
        public static readonly IReadOnlyList<string> Actions = new[] { Block, Count };
    }

    /// <summary>Shield Advanced policy. Sent empty it means: automatic response IGNORED, no classic override (#10).</summary>
    public sealed class ShieldAdvancedPolicySettings : PolicySettings
    {
        public override FmsPolicyType PolicyType => FmsPolicyType.ShieldAdvanced;

        public ShieldAutomaticResponseConfiguration? AutomaticResponseConfiguration { get; set; }

        public bool? OverrideCustomerWebAclClassic { get; set; }

        public bool? OptimizeUnassociatedWebAcl { get; set; }

        internal override void ReadSettings(JsonFieldReader reader)
        {
            AutomaticResponseConfiguration = reader.Object<ShieldAutomaticResponseConfiguration>("automaticResponseConfiguration");
            OverrideCustomerWebAclClassic = reader.Bool("overrideCustomerWebaclClassic");
            OptimizeUnassociatedWebAcl = reader.Bool("optimizeUnassociatedWebACL");
        }

        internal override void WriteSettings(JsonObjectWriter writer)
        {
            writer.Add("automaticResponseConfiguration", AutomaticResponseConfiguration);
            writer.Add("overrideCustomerWebaclClassic", OverrideCustomerWebAclClassic);
            writer.Add("optimizeUnassociatedWebACL", OptimizeUnassociatedWebAcl);
        }
    }

    public sealed class ShieldAutomaticResponseConfiguration : JsonBackedObject
    {
        /// <summary>ENABLED, IGNORED (the default) or DISABLED.</summary>
        public string? AutomaticResponseStatus { get; set; }

        /// <summary>BLOCK or COUNT; required only when the status is ENABLED.</summary>
        public string? AutomaticResponseAction { get; set; }

        internal override void ReadFields(JsonFieldReader reader)
        {
            AutomaticResponseStatus = reader.String("automaticResponseStatus");
            AutomaticResponseAction = reader.String("automaticResponseAction");
        }

        internal override void WriteFields(JsonObjectWriter writer)
        {
            writer.Add("automaticResponseStatus", AutomaticResponseStatus);
            writer.Add("automaticResponseAction", AutomaticResponseAction);
        }
    }
}
