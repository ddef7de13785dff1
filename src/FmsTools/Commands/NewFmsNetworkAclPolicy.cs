using System.Collections.Generic;
using System.Management.Automation;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates a network ACL policy: entries FMS puts first and last in the network ACL of every in-scope subnet.</summary>
    [Cmdlet(VerbsCommon.New, "FmsNetworkAclPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsNetworkAclPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>
        /// Entries evaluated before the subnet's own, in order: hashtables with Action (allow|deny), Protocol (tcp, udp,
        /// icmp, icmpv6, all or a number), CidrBlock or Ipv6CidrBlock, FromPort/ToPort (or Port), Egress, IcmpType/IcmpCode.
        /// </summary>
        [Parameter]
        public object[]? FirstEntry { get; set; }

        /// <summary>Entries evaluated after the subnet's own, in order (same form as -FirstEntry).</summary>
        [Parameter]
        public object[]? LastEntry { get; set; }

        /// <summary>Let FMS replace conflicting customer entries to keep the first entries in force.</summary>
        [Parameter]
        public SwitchParameter ForceRemediateFirstEntries { get => new SwitchParameter(ForceRemediateFirstEntriesFlag); set => ForceRemediateFirstEntriesFlag = value.IsPresent; }

        /// <summary>-ForceRemediateFirstEntries as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ForceRemediateFirstEntriesFlag { get; set; }

        [Parameter]
        public SwitchParameter ForceRemediateLastEntries { get => new SwitchParameter(ForceRemediateLastEntriesFlag); set => ForceRemediateLastEntriesFlag = value.IsPresent; }

        /// <summary>-ForceRemediateLastEntries as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ForceRemediateLastEntriesFlag { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new NetworkAclCommonSettings
            {
                ForceRemediateForFirstEntries = ForceRemediateFirstEntriesFlag,
                ForceRemediateForLastEntries = ForceRemediateLastEntriesFlag,
            };
            var index = 0;
            foreach (var item in FirstEntry ?? new object[0]) settings.FirstEntries.Add(Entry(item, $"FirstEntry[{index++}]"));
            index = 0;
            foreach (var item in LastEntry ?? new object[0]) settings.LastEntries.Add(Entry(item, $"LastEntry[{index++}]"));
            return settings;
        }

        private static readonly Dictionary<string, string> ProtocolNumbers = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase)
        {
            { "tcp", "6" }, { "udp", "17" }, { "icmp", "1" }, { "icmpv6", "58" }, { "all", "-1" },
        };

        internal static NetworkAclRule Entry(object? item, string field)
        {
            if (Bare(item) is NetworkAclRule typed) return typed;
            var map = AsMap(item)
                ?? throw new FmsInputException(field, "NetworkAclEntry.Format", $"{field}: expected a hashtable such as @{{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }}.");
            var protocol = Text(Get(map, "Protocol")) ?? "-1";
            var rule = new NetworkAclRule
            {
                RuleAction = Text(Get(map, "Action", "RuleAction"))?.ToLowerInvariant(),
                Protocol = ProtocolNumbers.TryGetValue(protocol, out var number) ? number : protocol,
                CidrBlock = Text(Get(map, "CidrBlock", "Cidr")),
                Ipv6CidrBlock = Text(Get(map, "Ipv6CidrBlock")),
                Egress = Flag(Get(map, "Egress")) ?? false,
            };
            var port = Number(Get(map, "Port"), field + ".Port");
            var from = Number(Get(map, "FromPort", "From"), field + ".FromPort") ?? port;
            var to = Number(Get(map, "ToPort", "To"), field + ".ToPort") ?? port ?? from;
            if (from.HasValue || to.HasValue) rule.PortRange = new NetworkAclRulePortRange { From = from, To = to };
            var icmpType = Number(Get(map, "IcmpType"), field + ".IcmpType");
            var icmpCode = Number(Get(map, "IcmpCode"), field + ".IcmpCode");
            if (icmpType.HasValue || icmpCode.HasValue) rule.IcmpTypeCode = new NetworkAclRuleIcmpTypeCode { Type = icmpType ?? -1, Code = icmpCode ?? -1 };
            return rule;
        }
    }
}
