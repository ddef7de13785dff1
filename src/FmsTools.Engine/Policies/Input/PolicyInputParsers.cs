using static FmsTools.Engine.Policies.Input.PolicyInput;

namespace FmsTools.Engine.Policies.Input
{
    /// <summary>A WAFv2 rule group and where the policy puts it: first (pre-process, the default) or last (post-process).</summary>
    public sealed class WafV2RuleGroupPlacement
    {
        public WafV2RuleGroupPlacement(WafV2RuleGroup group, bool postProcess)
        {
            Group = group ?? throw new ArgumentNullException(nameof(group));
            PostProcess = postProcess;
        }

        public WafV2RuleGroup Group { get; }

        /// <summary>True: evaluated after the account's own rules (Position 'Post').</summary>
        public bool PostProcess { get; }

        public override string ToString() => (PostProcess ? "Post: " : "") + Group;
    }

    /// <summary>A rule group named by id or ARN, with the priority and override the user gave (null: the builder's default).</summary>
    public sealed class RuleGroupReferenceInput
    {
        public RuleGroupReferenceInput(string reference, int? priority = null, string? overrideAction = null)
        {
            Reference = reference ?? throw new ArgumentNullException(nameof(reference));
            Priority = priority;
            OverrideAction = overrideAction;
        }

        /// <summary>The rule group's id (DNS Firewall) or ARN (Network Firewall).</summary>
        public string Reference { get; }

        public int? Priority { get; }

        public string? OverrideAction { get; }

        public override string ToString() => Reference + (Priority.HasValue ? " (priority " + Priority + ")" : "");
    }

    /// <summary>
    /// Turns what users write for rule groups and entries (strings, dictionaries, typed objects) into typed policy parts,
    /// with errors that name the field and the rule.
    /// </summary>
    public static class PolicyInputParsers
    {
        private static readonly Dictionary<string, string> ProtocolNumbers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            { "tcp", "6" }, { "udp", "17" }, { "icmp", "1" }, { "icmpv6", "58" }, { "all", "-1" },
        };

        /// <summary>
        /// A managed rule group: 'Vendor/Name', 'Vendor/Name:Version', a typed group, or a dictionary with Vendor, Name and
        /// optionally Version, ExcludedRules, RuleActionOverrides, OverrideAction (None|Count), Position (Pre|Post),
        /// ManagedRuleGroupConfigs.
        /// </summary>
        public static WafV2RuleGroupPlacement ManagedRuleGroup(object? item, string field)
        {
            switch (item)
            {
                case WafV2RuleGroupPlacement placed: return placed;
                case WafV2RuleGroup typed: return new WafV2RuleGroupPlacement(typed, false);
                case string text: return new WafV2RuleGroupPlacement(ManagedRuleGroupText(text, field), false);
            }
            var map = AsMap(item)
                ?? throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: expected 'Vendor/Name' or a hashtable with Vendor and Name, not {item?.GetType().Name ?? "null"}.");
            var vendor = Text(Get(map, "Vendor", "VendorName"));
            var groupName = Text(Get(map, "Name", "ManagedRuleGroupName"));
            if (string.IsNullOrEmpty(vendor) || string.IsNullOrEmpty(groupName))
                throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: the hashtable needs Vendor and Name.");
            var overrideAction = Text(Get(map, "OverrideAction")) ?? "None";
            if (!string.Equals(overrideAction, "None", StringComparison.OrdinalIgnoreCase) && !string.Equals(overrideAction, "Count", StringComparison.OrdinalIgnoreCase))
                throw new FmsInputException(field + ".OverrideAction", "ManagedRuleGroup.OverrideAction", $"{field}.OverrideAction: '{overrideAction}' is not None or Count.");
            var group = WafV2RuleGroup.Managed(vendor!, groupName!, Text(Get(map, "Version")), overrideAction.ToUpperInvariant());
            foreach (var rule in TextList(Get(map, "ExcludedRules", "ExcludedRule", "ExcludeRules"))) group.ExcludeRules.Add(new WafV2ExcludedRule(rule));
            group.RuleActionOverrides.AddRange(RuleActionOverrides(Get(map, "RuleActionOverrides", "RuleActionOverride"), field + ".RuleActionOverrides"));
            var configs = Get(map, "ManagedRuleGroupConfigs");
            if (configs != null) group.ManagedRuleGroupIdentifier!.ManagedRuleGroupConfigs = ToJson(configs, field + ".ManagedRuleGroupConfigs");
            var position = Text(Get(map, "Position")) ?? "Pre";
            if (!string.Equals(position, "Pre", StringComparison.OrdinalIgnoreCase) && !string.Equals(position, "Post", StringComparison.OrdinalIgnoreCase))
                throw new FmsInputException(field + ".Position", "ManagedRuleGroup.Position", $"{field}.Position: '{position}' is not Pre or Post.");
            return new WafV2RuleGroupPlacement(group, string.Equals(position, "Post", StringComparison.OrdinalIgnoreCase));
        }

        private static WafV2RuleGroup ManagedRuleGroupText(string text, string field)
        {
            var slash = text.IndexOf('/');
            if (slash <= 0 || slash == text.Length - 1)
                throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: '{text}' is not 'Vendor/Name' or 'Vendor/Name:Version' (e.g. 'AWS/AWSManagedRulesCommonRuleSet').");
            var rest = text.Substring(slash + 1);
            var colon = rest.IndexOf(':');
            var name = colon < 0 ? rest : rest.Substring(0, colon);
            var version = colon < 0 ? null : rest.Substring(colon + 1);
            if (name.Length == 0 || version?.Length == 0)
                throw new FmsInputException(field, "ManagedRuleGroup.Format", $"{field}: '{text}' has an empty {(name.Length == 0 ? "name" : "version")}; write 'Vendor/Name' or 'Vendor/Name:Version' (e.g. 'AWS/AWSManagedRulesCommonRuleSet:Version_1.0').");
            return WafV2RuleGroup.Managed(text.Substring(0, slash), name, version);
        }

        /// <summary>@{ RuleName = 'count' } or @(@{ Name = 'RuleName'; Action = 'block' }) as rule action overrides.</summary>
        private static IEnumerable<WafV2RuleActionOverride> RuleActionOverrides(object? value, string field)
        {
            var result = new List<WafV2RuleActionOverride>();
            if (value == null) return result;
            var byName = AsMap(value);
            if (byName != null && !byName.ContainsKey("Name"))
            {
                foreach (var pair in byName.OrderBy(p => p.Key, StringComparer.Ordinal)) result.Add(Override(pair.Key, Text(pair.Value), field));
                return result;
            }
            foreach (var entry in Items(value))
            {
                var map = AsMap(entry) ?? throw new FmsInputException(field, "ManagedRuleGroup.RuleActionOverride", $"{field}: each override is @{{ Name = '<rule>'; Action = 'count' }}.");
                result.Add(Override(Text(Get(map, "Name")) ?? string.Empty, Text(Get(map, "Action", "ActionToUse")), field));
            }
            return result;
        }

        private static WafV2RuleActionOverride Override(string rule, string? action, string field)
        {
            var normalized = (action ?? string.Empty).ToLowerInvariant();
            if (rule.Length == 0 || !WafValues.RuleActions.Contains(normalized))
                throw new FmsInputException(field, "ManagedRuleGroup.RuleActionOverride",
                    $"{field}: rule '{rule}' needs an action of {string.Join(", ", WafValues.RuleActions)}, not '{action}'.");
            return WafV2RuleActionOverride.Create(rule, normalized);
        }

        /// <summary>
        /// A rule group given by id or ARN, or a dictionary with one of <paramref name="referenceKeys"/> and optionally
        /// Priority and Override (OverrideAction).
        /// </summary>
        public static RuleGroupReferenceInput RuleGroupReference(object? item, string field, params string[] referenceKeys)
        {
            switch (item)
            {
                case RuleGroupReferenceInput typed: return typed;
                case string text when text.Length > 0: return new RuleGroupReferenceInput(text);
            }
            var keys = referenceKeys.Length == 0 ? new[] { "Arn", "ResourceArn" } : referenceKeys;
            var map = AsMap(item)
                ?? throw new FmsInputException(field, "RuleGroup.Format", $"{field}: expected a rule group {keys[0]} or a hashtable with {keys[0]} (and Priority), not {(item == null ? "null" : item is string ? "an empty string" : item.GetType().Name)}.");
            var reference = Text(Get(map, keys));
            if (string.IsNullOrEmpty(reference))
                throw new FmsInputException(field, "RuleGroup.Format", $"{field}: the hashtable needs {keys[0]}.");
            return new RuleGroupReferenceInput(reference!, Number(Get(map, "Priority"), field + ".Priority"), Text(Get(map, "Override", "OverrideAction")));
        }

        /// <summary>Network Firewall stateless references: a priority not given is the position (1, 2, ...).</summary>
        public static List<NetworkFirewallStatelessRuleGroupReference> StatelessReferences(IEnumerable<RuleGroupReferenceInput>? groups)
            => (groups ?? new RuleGroupReferenceInput[0]).Select((g, index) => new NetworkFirewallStatelessRuleGroupReference { ResourceArn = g.Reference, Priority = g.Priority ?? index + 1 }).ToList();

        /// <summary>Network Firewall stateful references, with their priorities (StrictOrder) and override actions as given.</summary>
        public static List<NetworkFirewallStatefulRuleGroupReference> StatefulReferences(IEnumerable<RuleGroupReferenceInput>? groups)
            => (groups ?? new RuleGroupReferenceInput[0]).Select(g => new NetworkFirewallStatefulRuleGroupReference
            {
                ResourceArn = g.Reference,
                Priority = g.Priority,
                Override = g.OverrideAction == null ? null : new NetworkFirewallStatefulRuleGroupOverride { Action = g.OverrideAction },
            }).ToList();

        /// <summary>DNS Firewall rule groups: a priority not given counts up from the first pre-process priority or down from the last post-process one.</summary>
        public static List<DnsFirewallRuleGroup> DnsRuleGroups(IEnumerable<RuleGroupReferenceInput>? groups, bool postProcess)
            => (groups ?? new RuleGroupReferenceInput[0]).Select((g, index) => new DnsFirewallRuleGroup(g.Reference,
                g.Priority ?? (postProcess ? DnsFirewallSettings.PostProcessMaxPriority - index : DnsFirewallSettings.PreProcessMinPriority + index))).ToList();

        /// <summary>
        /// A network ACL entry: a typed rule or a dictionary with Action (allow|deny), Protocol (tcp, udp, icmp, icmpv6, all
        /// or a number), CidrBlock or Ipv6CidrBlock, FromPort/ToPort (or Port), Egress, IcmpType/IcmpCode.
        /// </summary>
        public static NetworkAclRule NetworkAclEntry(object? item, string field)
        {
            if (item is NetworkAclRule typed) return typed;
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
