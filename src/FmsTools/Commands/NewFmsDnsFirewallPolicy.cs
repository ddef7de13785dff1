using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates a Route 53 Resolver DNS Firewall policy: rule groups associated first and last with every in-scope VPC.</summary>
    [Cmdlet(VerbsCommon.New, "FmsDnsFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsDnsFirewallPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>Rule groups evaluated before the VPC's own: ids (priorities 1, 2, ...) or @{ Id = 'rslvr-frg-...'; Priority = 10 } (1–99).</summary>
        [Parameter]
        public object[]? PreProcessRuleGroup { get; set; }

        /// <summary>Rule groups evaluated after the VPC's own: ids (priorities 10000, 9999, ...) or @{ Id = '...'; Priority = 9950 } (9901–10000).</summary>
        [Parameter]
        public object[]? PostProcessRuleGroup { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new DnsFirewallSettings();
            var index = 0;
            foreach (var item in PreProcessRuleGroup ?? new object[0])
            {
                settings.PreProcessRuleGroups.Add(Group(item, $"PreProcessRuleGroup[{index}]", DnsFirewallSettings.PreProcessMinPriority + index));
                index++;
            }
            index = 0;
            foreach (var item in PostProcessRuleGroup ?? new object[0])
            {
                settings.PostProcessRuleGroups.Add(Group(item, $"PostProcessRuleGroup[{index}]", DnsFirewallSettings.PostProcessMaxPriority - index));
                index++;
            }
            return settings;
        }

        private static DnsFirewallRuleGroup Group(object? item, string field, int defaultPriority)
        {
            var map = AsMap(item);
            if (map == null) return new DnsFirewallRuleGroup(Text(item) ?? string.Empty, defaultPriority);
            var id = Text(Get(map, "Id", "RuleGroupId")) ?? string.Empty;
            return new DnsFirewallRuleGroup(id, Number(Get(map, "Priority"), field + ".Priority") ?? defaultPriority);
        }
    }
}
