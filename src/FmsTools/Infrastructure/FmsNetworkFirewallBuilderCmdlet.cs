using FmsTools.Engine.Policies.Input;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// What New-FmsNetworkFirewallPolicy and New-FmsImportNetworkFirewallPolicy share: the rule groups and stateless
    /// default actions of the Network Firewall policy FMS builds, and putting them into it.
    /// </summary>
    public abstract class FmsNetworkFirewallBuilderCmdlet : FmsPolicyBuilderCmdlet
    {
        /// <summary>Stateless rule groups: ARNs (priorities 1, 2, ... in the order given) or @{ Arn = '...'; Priority = 10 }.</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(StatelessRuleGroup), "Arn", "ResourceArn")]
        public RuleGroupReferenceInput[]? StatelessRuleGroup { get; set; }

        /// <summary>Stateful rule groups: ARNs or @{ Arn = '...'; Priority = 1; Override = 'DROP_TO_ALERT' } (priorities only with StrictOrder).</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(StatefulRuleGroup), "Arn", "ResourceArn")]
        public RuleGroupReferenceInput[]? StatefulRuleGroup { get; set; }

        /// <summary>One of aws:pass, aws:drop, aws:forward_to_sfe, plus custom action names.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsStatelessActionCompleter))]
        public string[] StatelessDefaultAction { get; set; } = { FirewallValues.ForwardToStatefulEngine };

        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsStatelessActionCompleter))]
        public string[] StatelessFragmentDefaultAction { get; set; } = { FirewallValues.ForwardToStatefulEngine };

        /// <summary>Puts the stateless default actions and the rule groups into <paramref name="config"/>.</summary>
        protected void AddRuleGroups(NetworkFirewallPolicyConfig config)
        {
            config.StatelessDefaultActions.AddRange(StatelessDefaultAction);
            config.StatelessFragmentDefaultActions.AddRange(StatelessFragmentDefaultAction);
            config.StatelessRuleGroupReferences.AddRange(PolicyInputParsers.StatelessReferences(StatelessRuleGroup));
            config.StatefulRuleGroupReferences.AddRange(PolicyInputParsers.StatefulReferences(StatefulRuleGroup));
        }
    }
}
