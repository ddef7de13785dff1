using System.Text.Json.Nodes;
using FmsTools.Engine.Policies.Input;
using FmsTools.Completers;
using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates an AWS WAF (WAFV2) policy: rule groups FMS puts first and last in every managed web ACL.</summary>
    [Cmdlet(VerbsCommon.New, "FmsWafPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsWafPolicy : FmsWebAclBuilderCmdlet
    {
        /// <summary>
        /// Managed rule groups: 'Vendor/Name', 'Vendor/Name:Version', or hashtables/objects with Vendor, Name, Version,
        /// ExcludedRules, RuleActionOverrides, OverrideAction (None|Count), Position (Pre|Post), ManagedRuleGroupConfigs.
        /// </summary>
        [Parameter]
        [ManagedRuleGroupTransformation(nameof(ManagedRuleGroup))]
        [ArgumentCompleter(typeof(FmsManagedRuleGroupCompleter))]
        public WafV2RuleGroupPlacement[]? ManagedRuleGroup { get; set; }

        /// <summary>Your own rule groups by ARN, evaluated first (pre-process), in the order given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsWafRuleGroupArnCompleter))]
        public string[]? RuleGroupArn { get; set; }

        /// <summary>Your own rule groups by ARN, evaluated last (post-process), in the order given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsWafRuleGroupArnCompleter))]
        public string[]? PostProcessRuleGroupArn { get; set; }

        /// <summary>Add the FMS rule groups to existing customer web ACLs instead of replacing them (webACLSource RETROFIT_EXISTING).</summary>
        [Parameter]
        public SwitchParameter RetrofitExistingWebAcl { get; set; }

        /// <summary>Create web ACLs only where a resource will use them.</summary>
        [Parameter]
        public SwitchParameter OptimizeUnassociatedWebAcl { get; set; }

        /// <summary>ARNs of the log destinations (Firehose delivery streams, S3 buckets or CloudWatch log groups named aws-waf-logs-*).</summary>
        [Parameter]
        public string[]? LogDestination { get; set; }

        /// <summary>The full WAF logging configuration (hashtable or JSON), for redacted fields and filters.</summary>
        [Parameter]
        [JsonInputTransformation(nameof(LoggingConfiguration))]
        public JsonNode? LoggingConfiguration { get; set; }

        /// <summary>Custom response of a Block default action (WAF CustomResponse JSON, camelCase keys).</summary>
        [Parameter]
        [JsonInputTransformation(nameof(CustomResponse))]
        public JsonNode? CustomResponse { get; set; }

        /// <summary>Response bodies custom responses refer to (WAF CustomResponseBodies JSON).</summary>
        [Parameter]
        [JsonInputTransformation(nameof(CustomResponseBodies))]
        public JsonNode? CustomResponseBodies { get; set; }

        /// <summary>Headers added to allowed requests (WAF CustomRequestHandling JSON).</summary>
        [Parameter]
        [JsonInputTransformation(nameof(CustomRequestHandling))]
        public JsonNode? CustomRequestHandling { get; set; }

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
        public SwitchParameter SampledRequestsEnabledForDefaultActions { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new WafV2PolicySettings
            {
                DefaultAction = DefaultWebAclAction,
                OverrideCustomerWebAclAssociation = OverrideCustomerWebAclAssociation.IsPresent,
                WebAclSource = RetrofitExistingWebAcl.IsPresent ? WafValues.WebAclSourceRetrofitExisting : null,
                OptimizeUnassociatedWebAcl = OptimizeUnassociatedWebAcl.IsPresent ? true : (bool?)null,
                CustomResponse = CustomResponse?.DeepClone(),
                CustomResponseBodies = CustomResponseBodies?.DeepClone(),
                CustomRequestHandling = CustomRequestHandling?.DeepClone(),
                SampledRequestsEnabledForDefaultActions = SampledRequestsEnabledForDefaultActions.IsPresent ? true : (bool?)null,
                TokenDomains = TokenDomain?.ToList() ?? new List<string>(),
            };
            if (CaptchaImmunitySeconds.HasValue)
                settings.CaptchaConfig = new JsonObject { ["immunityTimeProperty"] = new JsonObject { ["immunityTime"] = CaptchaImmunitySeconds.Value } };
            if (ChallengeImmunitySeconds.HasValue)
                settings.ChallengeConfig = new JsonObject { ["immunityTimeProperty"] = new JsonObject { ["immunityTime"] = ChallengeImmunitySeconds.Value } };
            settings.LoggingConfiguration = LoggingJson();

            foreach (var placed in ManagedRuleGroup ?? new WafV2RuleGroupPlacement[0])
                (placed.PostProcess ? settings.PostProcessRuleGroups : settings.PreProcessRuleGroups).Add(JsonBackedObject.Copy(placed.Group));
            foreach (var arn in RuleGroupArn ?? new string[0]) settings.PreProcessRuleGroups.Add(WafV2RuleGroup.Custom(arn));
            foreach (var arn in PostProcessRuleGroupArn ?? new string[0]) settings.PostProcessRuleGroups.Add(WafV2RuleGroup.Custom(arn));
            return settings;
        }

        private JsonNode? LoggingJson()
        {
            var configured = LoggingConfiguration?.DeepClone();
            if (LogDestination == null || LogDestination.Length == 0) return configured;
            var logging = configured as JsonObject ?? new JsonObject();
            logging["logDestinationConfigs"] = new JsonArray(LogDestination.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
            if (!logging.ContainsKey("redactedFields")) logging["redactedFields"] = new JsonArray();
            return logging;
        }
    }
}
