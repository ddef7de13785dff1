using FmsTools.Engine.Policies.Input;

namespace FmsTools.Commands
{
    /// <summary>
    /// Creates an import Network Firewall policy: FMS adopts the existing firewalls in the given resource sets and
    /// reports how their firewall policies differ from this one.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FmsImportNetworkFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsImportNetworkFirewallPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>Stateless rule groups of the imported firewall policy: ARNs or @{ Arn = '...'; Priority = 10 }.</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(StatelessRuleGroup), "Arn", "ResourceArn")]
        public RuleGroupReferenceInput[]? StatelessRuleGroup { get; set; }

        /// <summary>Stateful rule groups of the imported firewall policy: ARNs or @{ Arn = '...'; Priority = 1 }.</summary>
        [Parameter]
        [RuleGroupReferenceTransformation(nameof(StatefulRuleGroup), "Arn", "ResourceArn")]
        public RuleGroupReferenceInput[]? StatefulRuleGroup { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsStatelessActionCompleter))]
        public string[] StatelessDefaultAction { get; set; } = { FirewallValues.ForwardToStatefulEngine };

        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsStatelessActionCompleter))]
        public string[] StatelessFragmentDefaultAction { get; set; } = { FirewallValues.ForwardToStatefulEngine };

        protected override PolicySettings CreateSettings()
        {
            var settings = new ImportNetworkFirewallSettings();
            var config = settings.FirewallPolicy;
            config.StatelessDefaultActions.AddRange(StatelessDefaultAction);
            config.StatelessFragmentDefaultActions.AddRange(StatelessFragmentDefaultAction);
            config.StatelessRuleGroupReferences.AddRange(PolicyInputParsers.StatelessReferences(StatelessRuleGroup));
            config.StatefulRuleGroupReferences.AddRange(PolicyInputParsers.StatefulReferences(StatefulRuleGroup));
            return settings;
        }
    }
}
