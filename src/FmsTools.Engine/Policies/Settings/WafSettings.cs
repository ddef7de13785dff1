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
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.WafV2;

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

        /// <summary>"RETROFIT_EXISTING" to add FMS rules to existing customer web ACLs.</summary>
        public string? WebAclSource { get; set; }

        public bool? OptimizeUnassociatedWebAcl { get; set; }

        public JsonNode? CaptchaConfig { get; set; }

        public JsonNode? ChallengeConfig { get; set; }

        public List<string> TokenDomains { get; set; } = new List<string>();

        public JsonNode? AssociationConfig { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            // Both lists always present: every example in the model sends them, even when empty.
            PreProcessRuleGroups = fields.Objects("preProcessRuleGroups", PreProcessRuleGroups, writeEmpty: true);
            PostProcessRuleGroups = fields.Objects("postProcessRuleGroups", PostProcessRuleGroups, writeEmpty: true);
            DefaultAction = fields.Object("defaultAction", DefaultAction);
            CustomRequestHandling = fields.Node("customRequestHandling", CustomRequestHandling);
            CustomResponse = fields.Node("customResponse", CustomResponse);
            CustomResponseBodies = fields.Node("customResponseBodies", CustomResponseBodies);
            OverrideCustomerWebAclAssociation = fields.Bool("overrideCustomerWebACLAssociation", OverrideCustomerWebAclAssociation);
            LoggingConfiguration = fields.Node("loggingConfiguration", LoggingConfiguration);
            SampledRequestsEnabledForDefaultActions = fields.Bool("sampledRequestsEnabledForDefaultActions", SampledRequestsEnabledForDefaultActions);
            WebAclSource = fields.String("webACLSource", WebAclSource);
            OptimizeUnassociatedWebAcl = fields.Bool("optimizeUnassociatedWebACL", OptimizeUnassociatedWebAcl);
            CaptchaConfig = fields.Node("captchaConfig", CaptchaConfig);
            ChallengeConfig = fields.Node("challengeConfig", ChallengeConfig);
            TokenDomains = fields.Strings("tokenDomains", TokenDomains);
            AssociationConfig = fields.Node("associationConfig", AssociationConfig);
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

        internal override void MapFields(JsonFieldMap fields)
        {
            RuleGroupArn = fields.String("ruleGroupArn", RuleGroupArn);
            OverrideAction = fields.Object("overrideAction", OverrideAction);
            ManagedRuleGroupIdentifier = fields.Object("managedRuleGroupIdentifier", ManagedRuleGroupIdentifier);
            RuleGroupType = fields.String("ruleGroupType", RuleGroupType);
            ExcludeRules = fields.Objects("excludeRules", ExcludeRules, writeEmpty: true);
            SampledRequestsEnabled = fields.Bool("sampledRequestsEnabled", SampledRequestsEnabled);
            RuleActionOverrides = fields.Objects("ruleActionOverrides", RuleActionOverrides);
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

        internal override void MapFields(JsonFieldMap fields)
        {
            VersionEnabled = fields.Bool("versionEnabled", VersionEnabled);
            Version = fields.String("version", Version);
            VendorName = fields.String("vendorName", VendorName);
            ManagedRuleGroupName = fields.String("managedRuleGroupName", ManagedRuleGroupName);
            ManagedRuleGroupConfigs = fields.Node("managedRuleGroupConfigs", ManagedRuleGroupConfigs);
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

        internal override void MapFields(JsonFieldMap fields) => Name = fields.String("name", Name);
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

        internal override void MapFields(JsonFieldMap fields)
        {
            Name = fields.String("name", Name);
            ActionToUse = fields.Node("actionToUse", ActionToUse);
        }
    }

    /// <summary>WAF Classic policy: at most two rule groups by id.</summary>
    public sealed class WafClassicPolicySettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.Waf;

        public List<WafClassicRuleGroup> RuleGroups { get; set; } = new List<WafClassicRuleGroup>();

        /// <summary>{"type": "ALLOW" | "BLOCK"}.</summary>
        public PolicyAction? DefaultAction { get; set; }

        public bool? OverrideCustomerWebAclAssociation { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            RuleGroups = fields.Objects("ruleGroups", RuleGroups, writeEmpty: true);
            OverrideCustomerWebAclAssociation = fields.Bool("overrideCustomerWebACLAssociation", OverrideCustomerWebAclAssociation);
            DefaultAction = fields.Object("defaultAction", DefaultAction);
        }
    }

    public sealed class WafClassicRuleGroup : JsonBackedObject
    {
        public string? Id { get; set; }

        /// <summary>{"type": "NONE" | "COUNT"}.</summary>
        public PolicyAction? OverrideAction { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            Id = fields.String("id", Id);
            OverrideAction = fields.Object("overrideAction", OverrideAction);
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

    /// <summary>Shield Advanced policy. Sent empty it means: automatic response IGNORED, no classic override.</summary>
    public sealed class ShieldAdvancedPolicySettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.ShieldAdvanced;

        public ShieldAutomaticResponseConfiguration? AutomaticResponseConfiguration { get; set; }

        public bool? OverrideCustomerWebAclClassic { get; set; }

        public bool? OptimizeUnassociatedWebAcl { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
            AutomaticResponseConfiguration = fields.Object("automaticResponseConfiguration", AutomaticResponseConfiguration);
            OverrideCustomerWebAclClassic = fields.Bool("overrideCustomerWebaclClassic", OverrideCustomerWebAclClassic);
            OptimizeUnassociatedWebAcl = fields.Bool("optimizeUnassociatedWebACL", OptimizeUnassociatedWebAcl);
        }
    }

    public sealed class ShieldAutomaticResponseConfiguration : JsonBackedObject
    {
        /// <summary>ENABLED, IGNORED (the default) or DISABLED.</summary>
        public string? AutomaticResponseStatus { get; set; }

        /// <summary>BLOCK or COUNT; required only when the status is ENABLED.</summary>
        public string? AutomaticResponseAction { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            AutomaticResponseStatus = fields.String("automaticResponseStatus", AutomaticResponseStatus);
            AutomaticResponseAction = fields.String("automaticResponseAction", AutomaticResponseAction);
        }
    }
}
