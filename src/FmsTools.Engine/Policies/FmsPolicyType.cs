namespace FmsTools.Engine.Policies
{
    /// <summary>The eleven Firewall Manager policy types (SecurityServiceType on the wire).</summary>
    public enum FmsPolicyType
    {
        /// <summary>A type this version of FmsTools does not know; the wire string is kept in FmsPolicy.TypeName.</summary>
        Unknown = 0,
        Waf,
        WafV2,
        ShieldAdvanced,
        SecurityGroupsCommon,
        SecurityGroupsContentAudit,
        SecurityGroupsUsageAudit,
        NetworkFirewall,
        ImportNetworkFirewall,
        DnsFirewall,
        ThirdPartyFirewall,
        NetworkAclCommon,
    }

    /// <summary>Well-known CloudFormation resource type names FMS policies scope to.</summary>
    public static class FmsResourceTypes
    {
        public const string ApiGatewayStage = "AWS::ApiGateway::Stage";
        public const string CloudFrontDistribution = "AWS::CloudFront::Distribution";
        public const string ApplicationLoadBalancer = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        public const string ClassicLoadBalancer = "AWS::ElasticLoadBalancing::LoadBalancer";
        public const string ElasticIp = "AWS::EC2::EIP";
        public const string Vpc = "AWS::EC2::VPC";
        public const string Subnet = "AWS::EC2::Subnet";
        public const string SecurityGroup = "AWS::EC2::SecurityGroup";
        public const string NetworkInterface = "AWS::EC2::NetworkInterface";
        public const string Instance = "AWS::EC2::Instance";

        /// <summary>The literal FMS puts in ResourceType when the real types are in ResourceTypeList.</summary>
        public const string ResourceTypeListLiteral = "ResourceTypeList";
    }

    /// <summary>Wire names and per-type facts about policy types.</summary>
    public static class FmsPolicyTypes
    {
        private static readonly Dictionary<FmsPolicyType, string> WireNames = new Dictionary<FmsPolicyType, string>
        {
            { FmsPolicyType.Waf, "WAF" },
            { FmsPolicyType.WafV2, "WAFV2" },
            { FmsPolicyType.ShieldAdvanced, "SHIELD_ADVANCED" },
            { FmsPolicyType.SecurityGroupsCommon, "SECURITY_GROUPS_COMMON" },
            { FmsPolicyType.SecurityGroupsContentAudit, "SECURITY_GROUPS_CONTENT_AUDIT" },
            { FmsPolicyType.SecurityGroupsUsageAudit, "SECURITY_GROUPS_USAGE_AUDIT" },
            { FmsPolicyType.NetworkFirewall, "NETWORK_FIREWALL" },
            { FmsPolicyType.ImportNetworkFirewall, "IMPORT_NETWORK_FIREWALL" },
            { FmsPolicyType.DnsFirewall, "DNS_FIREWALL" },
            { FmsPolicyType.ThirdPartyFirewall, "THIRD_PARTY_FIREWALL" },
            { FmsPolicyType.NetworkAclCommon, "NETWORK_ACL_COMMON" },
        };

        // Per the model's Policy.ResourceType documentation; SG common from the developer guide.
        private static readonly Dictionary<FmsPolicyType, string[]> AllowedResourceTypeTable = new Dictionary<FmsPolicyType, string[]>
        {
            { FmsPolicyType.Waf, new[] { FmsResourceTypes.ApiGatewayStage, FmsResourceTypes.CloudFrontDistribution, FmsResourceTypes.ApplicationLoadBalancer } },
            { FmsPolicyType.WafV2, new[] { FmsResourceTypes.ApiGatewayStage, FmsResourceTypes.ApplicationLoadBalancer, FmsResourceTypes.CloudFrontDistribution } },
            { FmsPolicyType.ShieldAdvanced, new[] { FmsResourceTypes.ApplicationLoadBalancer, FmsResourceTypes.ClassicLoadBalancer, FmsResourceTypes.ElasticIp, FmsResourceTypes.CloudFrontDistribution } },
            { FmsPolicyType.SecurityGroupsCommon, new[] { FmsResourceTypes.Instance, FmsResourceTypes.NetworkInterface } },
            { FmsPolicyType.SecurityGroupsContentAudit, new[] { FmsResourceTypes.SecurityGroup, FmsResourceTypes.NetworkInterface, FmsResourceTypes.Instance } },
            { FmsPolicyType.SecurityGroupsUsageAudit, new[] { FmsResourceTypes.SecurityGroup } },
            { FmsPolicyType.NetworkFirewall, new[] { FmsResourceTypes.Vpc } },
            { FmsPolicyType.ImportNetworkFirewall, new[] { FmsResourceTypes.Vpc } },
            { FmsPolicyType.DnsFirewall, new[] { FmsResourceTypes.Vpc } },
            { FmsPolicyType.ThirdPartyFirewall, new[] { FmsResourceTypes.Vpc } },
            { FmsPolicyType.NetworkAclCommon, new[] { FmsResourceTypes.Subnet } },
        };

        /// <summary>All known types, in the model's order.</summary>
        public static IReadOnlyList<FmsPolicyType> All { get; } = new[]
        {
            FmsPolicyType.Waf, FmsPolicyType.WafV2, FmsPolicyType.ShieldAdvanced, FmsPolicyType.SecurityGroupsCommon,
            FmsPolicyType.SecurityGroupsContentAudit, FmsPolicyType.SecurityGroupsUsageAudit, FmsPolicyType.NetworkFirewall,
            FmsPolicyType.ImportNetworkFirewall, FmsPolicyType.DnsFirewall, FmsPolicyType.ThirdPartyFirewall,
            FmsPolicyType.NetworkAclCommon,
        };

        /// <summary>The SecurityServiceType string, e.g. "SHIELD_ADVANCED".</summary>
        public static string ToWire(FmsPolicyType type)
        {
            if (WireNames.TryGetValue(type, out var name)) return name;
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown has no wire name; use FmsPolicy.TypeName.");
        }

        /// <summary>Parses a SecurityServiceType string exactly (the service is case-sensitive); false for anything else.</summary>
        public static bool TryParse(string? wireName, out FmsPolicyType type)
        {
            foreach (var pair in WireNames)
            {
                if (string.Equals(pair.Value, wireName, StringComparison.Ordinal))
                {
                    type = pair.Key;
                    return true;
                }
            }
            type = FmsPolicyType.Unknown;
            return false;
        }

        /// <summary>Resource types a policy of this type may scope to; empty for Unknown.</summary>
        public static IReadOnlyList<string> AllowedResourceTypes(FmsPolicyType type) =>
            AllowedResourceTypeTable.TryGetValue(type, out var list) ? list : Array.Empty<string>();

        /// <summary>The resource types a new policy gets when the caller names none: only where one choice is obvious.</summary>
        public static IReadOnlyList<string> DefaultResourceTypes(FmsPolicyType type)
        {
            switch (type)
            {
                case FmsPolicyType.NetworkFirewall:
                case FmsPolicyType.ImportNetworkFirewall:
                case FmsPolicyType.DnsFirewall:
                case FmsPolicyType.ThirdPartyFirewall:
                    return new[] { FmsResourceTypes.Vpc };
                case FmsPolicyType.SecurityGroupsUsageAudit:
                    return new[] { FmsResourceTypes.SecurityGroup };
                case FmsPolicyType.NetworkAclCommon:
                    return new[] { FmsResourceTypes.Subnet };
                default:
                    return Array.Empty<string>();
            }
        }
    }
}
