using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates an AWS WAF Classic policy: up to two WAF Classic rule groups in every managed web ACL.</summary>
    [Cmdlet(VerbsCommon.New, "FmsWafClassicPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsWafClassicPolicy : FmsWebAclBuilderCmdlet
    {
        /// <summary>WAF Classic rule group ids, in evaluation order (at most two).</summary>
        [Parameter(Mandatory = true)]
        public string[]? RuleGroupId { get; set; }

        /// <summary>None applies the rule groups' own actions; Count only counts matches.</summary>
        [Parameter]
        [ValidateSet("None", "Count")]
        public string OverrideAction { get; set; } = "None";

        protected override PolicySettings CreateSettings()
        {
            var settings = new WafClassicPolicySettings
            {
                DefaultAction = DefaultWebAclAction,
                OverrideCustomerWebAclAssociation = OverrideCustomerWebAclAssociation.IsPresent,
            };
            foreach (var id in RuleGroupId ?? new string[0])
                settings.RuleGroups.Add(new WafClassicRuleGroup { Id = id, OverrideAction = new PolicyAction(Wire(OverrideAction)) });
            return settings;
        }
    }
}
