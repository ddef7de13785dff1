using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// Network ACL policy. Its rules live in PolicyOption.NetworkAclCommonPolicy, not ManagedServiceData
    /// (which is just {"type":"NETWORK_ACL_COMMON"}).
    /// </summary>
    public sealed class NetworkAclCommonSettings : PolicySettings
    {
        internal override FmsPolicyType PolicyTypeValue => FmsPolicyType.NetworkAclCommon;

        /// <summary>Rules FMS puts first in every managed network ACL, in order.</summary>
        public List<NetworkAclRule> FirstEntries { get; set; } = new List<NetworkAclRule>();

        public bool ForceRemediateForFirstEntries { get; set; }

        /// <summary>Rules FMS puts last in every managed network ACL, in order.</summary>
        public List<NetworkAclRule> LastEntries { get; set; } = new List<NetworkAclRule>();

        public bool ForceRemediateForLastEntries { get; set; }

        internal override void MapSettings(JsonFieldMap fields)
        {
        }

        /// <summary>PolicyOption.networkAclCommonPolicy.networkAclEntrySet.</summary>
        private void MapEntrySet(JsonFieldMap fields)
        {
            FirstEntries = fields.Objects("firstEntries", FirstEntries, writeEmpty: true);
            ForceRemediateForFirstEntries = fields.Flag("forceRemediateForFirstEntries", ForceRemediateForFirstEntries);
            LastEntries = fields.Objects("lastEntries", LastEntries, writeEmpty: true);
            ForceRemediateForLastEntries = fields.Flag("forceRemediateForLastEntries", ForceRemediateForLastEntries);
        }

        public override JsonObject? ToPolicyOptionJson()
        {
            var set = new JsonObjectWriter();
            MapEntrySet(new JsonFieldMap(set));
            return new JsonObject { ["networkAclCommonPolicy"] = new JsonObject { ["networkAclEntrySet"] = set.Json } };
        }

        internal override void ReadPolicyOption(JsonFieldReader? reader)
        {
            var policy = PolicyOptionJson.Section(reader, "networkAclCommonPolicy", TypeName);
            if (policy == null) return;
            var setJson = policy.RawObject("networkAclEntrySet");
            PolicyOptionJson.RejectUnread(policy);
            if (setJson == null) return;
            var set = new JsonFieldReader(setJson, PolicyJson.Join(policy.Path, "networkAclEntrySet"), policy.Issues);
            MapEntrySet(new JsonFieldMap(set));
            PolicyOptionJson.RejectUnread(set);
            foreach (var entry in FirstEntries) RejectExtras(entry, set.Issues, set.Path + ".firstEntries");
            foreach (var entry in LastEntries) RejectExtras(entry, set.Issues, set.Path + ".lastEntries");
        }

        private static void RejectExtras(NetworkAclRule rule, List<PolicyParseIssue> issues, string path)
        {
            foreach (var key in rule.AdditionalFields.Keys)
            {
                issues.Add(new PolicyParseIssue(path + "[]." + key, "is not a network ACL entry field; it would be dropped."));
            }
            rule.AdditionalFields.Clear();
        }
    }

    /// <summary>One network ACL entry. Protocol is the IP protocol number as a string ("6" TCP, "17" UDP, "1" ICMP, "-1" all).</summary>
    public sealed class NetworkAclRule : JsonBackedObject
    {
        /// <summary>"allow" or "deny".</summary>
        public string? RuleAction { get; set; }

        public string? Protocol { get; set; }

        public string? CidrBlock { get; set; }

        public string? Ipv6CidrBlock { get; set; }

        public NetworkAclRulePortRange? PortRange { get; set; }

        public NetworkAclRuleIcmpTypeCode? IcmpTypeCode { get; set; }

        public bool Egress { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            IcmpTypeCode = fields.Object("icmpTypeCode", IcmpTypeCode);
            Protocol = fields.String("protocol", Protocol);
            PortRange = fields.Object("portRange", PortRange);
            CidrBlock = fields.String("cidrBlock", CidrBlock);
            Ipv6CidrBlock = fields.String("ipv6CidrBlock", Ipv6CidrBlock);
            RuleAction = fields.String("ruleAction", RuleAction);
            Egress = fields.Flag("egress", Egress);
        }
    }

    public sealed class NetworkAclRulePortRange : JsonBackedObject
    {
        public int? From { get; set; }

        public int? To { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            From = fields.Int("from", From);
            To = fields.Int("to", To);
        }
    }

    public sealed class NetworkAclRuleIcmpTypeCode : JsonBackedObject
    {
        public int? Type { get; set; }

        public int? Code { get; set; }

        internal override void MapFields(JsonFieldMap fields)
        {
            Type = fields.Int("type", Type);
            Code = fields.Int("code", Code);
        }
    }
}
