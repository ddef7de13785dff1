using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;

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
        public object[]? StatelessRuleGroup { get; set; }

        /// <summary>Stateful rule groups of the imported firewall policy: ARNs or @{ Arn = '...'; Priority = 1 }.</summary>
        [Parameter]
        public object[]? StatefulRuleGroup { get; set; }

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
            var index = 0;
            foreach (var item in StatelessRuleGroup ?? new object[0])
            {
                var (arn, priority, _) = NewFmsNetworkFirewallPolicy.RuleGroupReference(item, $"StatelessRuleGroup[{index}]");
                config.StatelessRuleGroupReferences.Add(new NetworkFirewallStatelessRuleGroupReference { ResourceArn = arn, Priority = priority ?? index + 1 });
                index++;
            }
            index = 0;
            foreach (var item in StatefulRuleGroup ?? new object[0])
            {
                var (arn, priority, overrideAction) = NewFmsNetworkFirewallPolicy.RuleGroupReference(item, $"StatefulRuleGroup[{index++}]");
                config.StatefulRuleGroupReferences.Add(new NetworkFirewallStatefulRuleGroupReference
                {
                    ResourceArn = arn,
                    Priority = priority,
                    Override = overrideAction == null ? null : new NetworkFirewallStatefulRuleGroupOverride { Action = overrideAction },
                });
            }
            return settings;
        }
    }
}
