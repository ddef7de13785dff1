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
        [NetworkAclEntryTransformation(nameof(FirstEntry))]
        public NetworkAclRule[]? FirstEntry { get; set; }

        /// <summary>Entries evaluated after the subnet's own, in order (same form as -FirstEntry).</summary>
        [Parameter]
        [NetworkAclEntryTransformation(nameof(LastEntry))]
        public NetworkAclRule[]? LastEntry { get; set; }

        /// <summary>Let FMS replace conflicting customer entries to keep the first entries in force.</summary>
        [Parameter]
        public SwitchParameter ForceRemediateFirstEntries { get; set; }

        [Parameter]
        public SwitchParameter ForceRemediateLastEntries { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new NetworkAclCommonSettings
            {
                ForceRemediateForFirstEntries = ForceRemediateFirstEntries.IsPresent,
                ForceRemediateForLastEntries = ForceRemediateLastEntries.IsPresent,
            };
            foreach (var entry in FirstEntry ?? new NetworkAclRule[0]) settings.FirstEntries.Add(JsonBackedObject.Copy(entry));
            foreach (var entry in LastEntry ?? new NetworkAclRule[0]) settings.LastEntries.Add(JsonBackedObject.Copy(entry));
            return settings;
        }
    }
}
