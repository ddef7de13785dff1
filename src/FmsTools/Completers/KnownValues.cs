using FmsTools.Engine.Compliance;

namespace FmsTools.Completers
{
    /// <summary>
    /// The fixed value sets FmsTools completes: where the engine keeps the list (policy types and their resource types,
    /// resource set types, violation reasons, firewall actions), it is read from there, so completion offers exactly
    /// what validation accepts. None needs a connection.
    /// </summary>
    internal static class KnownValues
    {
        public static IReadOnlyList<CompletionEngine.Item> Regions { get; } =
            AwsRegions.All.Select(r => new CompletionEngine.Item(r.Key, r.Value, r.Value)).ToList();

        /// <summary>Policy types by their service names (Set-FmsAdminAccount -ScopePolicyType).</summary>
        public static IReadOnlyList<CompletionEngine.Item> PolicyTypes { get; } =
            FmsPolicyTypes.All.Select(t => new CompletionEngine.Item(FmsPolicyTypes.ToWire(t), null, t + " policies")).ToList();

        public static IReadOnlyList<CompletionEngine.Item> ViolationReasons { get; } =
            FmsTools.Engine.Compliance.ViolationReasons.Known.Select(r => new CompletionEngine.Item(r, null, FmsTools.Engine.Compliance.ViolationReasons.Describe(r))).ToList();

        public static IReadOnlyList<CompletionEngine.Item> StatelessActions { get; } = new[]
        {
            new CompletionEngine.Item(FirewallValues.ForwardToStatefulEngine, null, "Forward to the stateful rule engine (the default)"),
            new CompletionEngine.Item(FirewallValues.Pass, null, "Pass without stateful inspection"),
            new CompletionEngine.Item(FirewallValues.Drop, null, "Drop"),
        };

        /// <summary>Network Firewall's strict-order default actions (StatefulEngineOptions with StrictOrder).</summary>
        public static IReadOnlyList<CompletionEngine.Item> StatefulDefaultActions { get; } = new[]
        {
            new CompletionEngine.Item("aws:drop_strict", null, "Drop every packet no rule passes"),
            new CompletionEngine.Item("aws:drop_established", null, "Drop packets of established connections no rule passes"),
            new CompletionEngine.Item("aws:alert_strict", null, "Alert on every packet no rule passes"),
            new CompletionEngine.Item("aws:alert_established", null, "Alert on packets of established connections no rule passes"),
        };

        /// <summary>Protocols a protocols list holds: names or IANA numbers (numbers can be typed).</summary>
        public static IReadOnlyList<CompletionEngine.Item> Protocols { get; } = new[]
        {
            new CompletionEngine.Item("tcp", null, "TCP (protocol 6)"),
            new CompletionEngine.Item("udp", null, "UDP (protocol 17)"),
            new CompletionEngine.Item("icmp", null, "ICMP (protocol 1)"),
            new CompletionEngine.Item("-1", null, "All protocols"),
        };

        /// <summary>The roles FMS's cross-account remediation usually assumes in member accounts.</summary>
        public static IReadOnlyList<CompletionEngine.Item> MemberAccountRoleNames { get; } = new[]
        {
            new CompletionEngine.Item("AWSControlTowerExecution", null, "The Control Tower execution role (the default)"),
            new CompletionEngine.Item("OrganizationAccountAccessRole", null, "The role Organizations creates in accounts it creates"),
        };

        public static IReadOnlyList<CompletionEngine.Item> ResourceSetResourceTypes { get; } =
            InputRules.ResourceSetTypes.Keys.Select(t => new CompletionEngine.Item(t, null, "Resources of " + InputRules.ResourceSetTypes[t])).ToList();

        /// <summary>The policy type each New-Fms*Policy builder creates (New-FmsSecurityGroupPolicy: see <see cref="PolicyTypesOf"/>).</summary>
        private static readonly Dictionary<string, FmsPolicyType> BuilderTypes = new Dictionary<string, FmsPolicyType>(StringComparer.OrdinalIgnoreCase)
        {
            ["New-FmsWafPolicy"] = FmsPolicyType.WafV2,
            ["New-FmsWafClassicPolicy"] = FmsPolicyType.Waf,
            ["New-FmsShieldPolicy"] = FmsPolicyType.ShieldAdvanced,
            ["New-FmsNetworkFirewallPolicy"] = FmsPolicyType.NetworkFirewall,
            ["New-FmsImportNetworkFirewallPolicy"] = FmsPolicyType.ImportNetworkFirewall,
            ["New-FmsDnsFirewallPolicy"] = FmsPolicyType.DnsFirewall,
            ["New-FmsThirdPartyFirewallPolicy"] = FmsPolicyType.ThirdPartyFirewall,
            ["New-FmsNetworkAclPolicy"] = FmsPolicyType.NetworkAclCommon,
        };

        private static readonly string[] ContentAuditParameters = { "AuditSecurityGroupId", "AuditAction", "ManagedAuditOption" };
        private static readonly string[] UsageAuditParameters = { "UsageAudit", "DeleteUnusedSecurityGroup", "CoalesceRedundantSecurityGroup", "UnusedDelayMinutes" };
        private static readonly string[] CommonParameters =
        {
            "SecurityGroupId", "PrimarySecurityGroupId", "RevertManualSecurityGroupChanges", "ExclusiveResourceSecurityGroupManagement",
            "ApplyToAllEc2InstanceEnis", "IncludeSharedVpc", "EnableSecurityGroupReferencesDistribution", "EnableTagDistribution",
        };

        /// <summary>
        /// The policy types a builder command can create given the parameters already typed; null when the command
        /// is not a builder (the caller decides, e.g. from -PolicyId). New-FmsSecurityGroupPolicy's parameter set
        /// decides its type; before any set-specific parameter is typed, all three security group types count.
        /// </summary>
        public static IReadOnlyList<FmsPolicyType>? PolicyTypesOf(string? command, Func<string[], bool> has)
        {
            if (command == null) return null;
            if (BuilderTypes.TryGetValue(command, out var type)) return new[] { type };
            if (!string.Equals(command, "New-FmsSecurityGroupPolicy", StringComparison.OrdinalIgnoreCase)) return null;
            if (has(ContentAuditParameters)) return new[] { FmsPolicyType.SecurityGroupsContentAudit };
            if (has(UsageAuditParameters)) return new[] { FmsPolicyType.SecurityGroupsUsageAudit };
            if (has(CommonParameters)) return new[] { FmsPolicyType.SecurityGroupsCommon };
            return new[] { FmsPolicyType.SecurityGroupsCommon, FmsPolicyType.SecurityGroupsContentAudit, FmsPolicyType.SecurityGroupsUsageAudit };
        }

        /// <summary>The resource types the given policy types may scope to, each with the types that allow it.</summary>
        public static List<CompletionEngine.Item> ResourceTypesFor(IEnumerable<FmsPolicyType> types)
        {
            var allowedBy = new Dictionary<string, List<FmsPolicyType>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var type in types)
            {
                foreach (var resourceType in FmsPolicyTypes.AllowedResourceTypes(type))
                {
                    if (!allowedBy.TryGetValue(resourceType, out var list))
                    {
                        allowedBy[resourceType] = list = new List<FmsPolicyType>();
                        order.Add(resourceType);
                    }
                    if (!list.Contains(type)) list.Add(type);
                }
            }
            return order.Select(r => new CompletionEngine.Item(r, null, "For " + string.Join(", ", allowedBy[r]) + " policies")).ToList();
        }
    }
}
