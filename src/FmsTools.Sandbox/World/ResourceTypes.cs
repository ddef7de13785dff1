using System;
using System.Collections.Generic;

namespace FmsTools.Sandbox.World
{
    /// <summary>CloudFormation resource type names, the vocabulary FMS uses in ResourceType and violators.</summary>
    public static class ResourceTypes
    {
        public const string Vpc = "AWS::EC2::VPC";
        public const string Subnet = "AWS::EC2::Subnet";
        public const string SecurityGroup = "AWS::EC2::SecurityGroup";
        public const string Instance = "AWS::EC2::Instance";
        public const string NetworkInterface = "AWS::EC2::NetworkInterface";
        public const string NetworkAcl = "AWS::EC2::NetworkAcl";
        public const string RouteTable = "AWS::EC2::RouteTable";
        public const string ElasticIp = "AWS::EC2::EIP";
        public const string ApplicationLoadBalancer = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        public const string ClassicLoadBalancer = "AWS::ElasticLoadBalancing::LoadBalancer";
        public const string ApiGatewayStage = "AWS::ApiGateway::Stage";
        public const string CloudFrontDistribution = "AWS::CloudFront::Distribution";
        public const string WebAcl = "AWS::WAFv2::WebACL";
        public const string WafRuleGroup = "AWS::WAFv2::RuleGroup";
        public const string IpSet = "AWS::WAFv2::IPSet";
        public const string ClassicWebAcl = "AWS::WAFRegional::WebACL";
        public const string ClassicGlobalWebAcl = "AWS::WAF::WebACL";
        public const string ShieldProtection = "AWS::Shield::Protection";
        public const string ShieldSubscription = "AWS::Shield::Subscription";
        public const string DnsFirewallRuleGroup = "AWS::Route53Resolver::FirewallRuleGroup";
        public const string DnsFirewallRuleGroupAssociation = "AWS::Route53Resolver::FirewallRuleGroupAssociation";
        public const string NetworkFirewall = "AWS::NetworkFirewall::Firewall";
        public const string NetworkFirewallPolicy = "AWS::NetworkFirewall::FirewallPolicy";
        public const string ThirdPartyFirewall = "AWS::FMS::ThirdPartyFirewall";

        /// <summary>Resource types a policy may name, per FMS policy type (botocore's Policy.ResourceType documentation).</summary>
        public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedByPolicyType =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["WAF"] = new[] { ApiGatewayStage, CloudFrontDistribution, ApplicationLoadBalancer },
                ["WAFV2"] = new[] { ApiGatewayStage, ApplicationLoadBalancer, CloudFrontDistribution },
                ["SHIELD_ADVANCED"] = new[] { ApplicationLoadBalancer, ClassicLoadBalancer, ElasticIp, CloudFrontDistribution },
                ["SECURITY_GROUPS_COMMON"] = new[] { Instance, NetworkInterface, ApplicationLoadBalancer, ClassicLoadBalancer },
                ["SECURITY_GROUPS_CONTENT_AUDIT"] = new[] { SecurityGroup, NetworkInterface, Instance },
                ["SECURITY_GROUPS_USAGE_AUDIT"] = new[] { SecurityGroup },
                ["NETWORK_FIREWALL"] = new[] { Vpc },
                ["DNS_FIREWALL"] = new[] { Vpc },
                ["THIRD_PARTY_FIREWALL"] = new[] { Vpc },
                ["IMPORT_NETWORK_FIREWALL"] = new[] { Vpc, NetworkFirewall },
                ["NETWORK_ACL_COMMON"] = new[] { Subnet },
            };
    }

    /// <summary>Regions the sandbox world knows about and the global pseudo-region's home.</summary>
    public static class WorldRegions
    {
        public const string UsEast1 = "us-east-1";
        public const string EuWest1 = "eu-west-1";

        /// <summary>CloudFront, Shield subscriptions and CLOUDFRONT-scope WAF live here ("Global").</summary>
        public const string Global = UsEast1;

        /// <summary>The three availability zone suffixes every simulated region offers.</summary>
        public static readonly IReadOnlyList<string> ZoneSuffixes = new[] { "a", "b", "c" };
    }
}
