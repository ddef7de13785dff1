using FmsTools.Engine.Policies.Input;

namespace FmsTools.Commands
{
    /// <summary>Creates a Route 53 Resolver DNS Firewall policy: rule groups associated first and last with every in-scope VPC.</summary>
    [Cmdlet(VerbsCommon.New, "FmsDnsFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsDnsFirewallPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>Rule groups evaluated before the VPC's own: ids (priorities 1, 2, ...) or @{ Id = 'rslvr-frg-...'; Priority = 10 } (1–99).</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(PreProcessRuleGroup), "Id", "RuleGroupId")]
        public RuleGroupReferenceInput[]? PreProcessRuleGroup { get; set; }

        /// <summary>Rule groups evaluated after the VPC's own: ids (priorities 10000, 9999, ...) or @{ Id = '...'; Priority = 9950 } (9901–10000).</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(PostProcessRuleGroup), "Id", "RuleGroupId")]
        public RuleGroupReferenceInput[]? PostProcessRuleGroup { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new DnsFirewallSettings();
            settings.PreProcessRuleGroups.AddRange(PolicyInputParsers.DnsRuleGroups(PreProcessRuleGroup, postProcess: false));
            settings.PostProcessRuleGroups.AddRange(PolicyInputParsers.DnsRuleGroups(PostProcessRuleGroup, postProcess: true));
            return settings;
        }
    }
}
