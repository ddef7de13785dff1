namespace FmsTools.Commands
{
    /// <summary>
    /// Creates an import Network Firewall policy: FMS adopts the existing firewalls in the given resource sets and
    /// reports how their firewall policies differ from this one.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FmsImportNetworkFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsImportNetworkFirewallPolicy : FmsNetworkFirewallBuilderCmdlet
    {
        protected override PolicySettings CreateSettings()
        {
            var settings = new ImportNetworkFirewallSettings();
            AddRuleGroups(settings.FirewallPolicy);
            return settings;
        }
    }
}
