using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox.World
{
    /// <summary>A key/value tag. Instances and the arrays holding them are shared between resources, so treat both as values:
    /// to change tags assign a new array (see <see cref="World.SetTags"/>), never mutate one in place.</summary>
    public sealed class WorldTag
    {
        public WorldTag() { }

        public WorldTag(string key, string value)
        {
            Key = key;
            Value = value;
        }

        public string Key { get; set; } = "";

        /// <summary>Never null: a tag without a value has the value "" (FMS matches a valueless policy tag only against "").</summary>
        public string Value { get; set; } = "";
    }

    /// <summary>
    /// One simulated AWS resource. Every resource belongs to exactly one account and region (global services live in
    /// us-east-1), has an AWS-format <see cref="Id"/> and a computed <see cref="Arn"/>, and may carry tags.
    /// Array-valued properties (tags, security group ids, rules) are shared between resources to keep 10,000-account worlds
    /// small: replace an array to change it, never write into it.
    /// </summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "Kind")]
    [JsonDerivedType(typeof(Vpc), "Vpc")]
    [JsonDerivedType(typeof(Subnet), "Subnet")]
    [JsonDerivedType(typeof(SecurityGroup), "SecurityGroup")]
    [JsonDerivedType(typeof(Ec2Instance), "Instance")]
    [JsonDerivedType(typeof(NetworkInterface), "NetworkInterface")]
    [JsonDerivedType(typeof(NetworkAcl), "NetworkAcl")]
    [JsonDerivedType(typeof(RouteTable), "RouteTable")]
    [JsonDerivedType(typeof(ElasticIp), "ElasticIp")]
    [JsonDerivedType(typeof(ApplicationLoadBalancer), "ApplicationLoadBalancer")]
    [JsonDerivedType(typeof(ClassicLoadBalancer), "ClassicLoadBalancer")]
    [JsonDerivedType(typeof(ApiGatewayStage), "ApiGatewayStage")]
    [JsonDerivedType(typeof(CloudFrontDistribution), "CloudFrontDistribution")]
    [JsonDerivedType(typeof(WebAcl), "WebAcl")]
    [JsonDerivedType(typeof(WafRuleGroup), "WafRuleGroup")]
    [JsonDerivedType(typeof(IpSet), "IpSet")]
    [JsonDerivedType(typeof(ClassicWebAcl), "ClassicWebAcl")]
    [JsonDerivedType(typeof(ShieldSubscription), "ShieldSubscription")]
    [JsonDerivedType(typeof(ShieldProtection), "ShieldProtection")]
    [JsonDerivedType(typeof(DnsFirewallRuleGroup), "DnsFirewallRuleGroup")]
    [JsonDerivedType(typeof(DnsFirewallRuleGroupAssociation), "DnsFirewallRuleGroupAssociation")]
    [JsonDerivedType(typeof(NetworkFirewall), "NetworkFirewall")]
    [JsonDerivedType(typeof(NetworkFirewallPolicy), "NetworkFirewallPolicy")]
    [JsonDerivedType(typeof(ThirdPartyFirewall), "ThirdPartyFirewall")]
    public abstract class WorldResource
    {
        /// <summary>The AWS resource id (vpc-…, sg-…, a load balancer's hex id, a web ACL's UUID, a distribution id…).</summary>
        public string Id { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        /// <summary>The resource's name where the service has one (for EC2 resources the Name tag's value).</summary>
        public string? Name { get; set; }

        public WorldTag[]? Tags { get; set; }

        /// <summary>Set on resources Firewall Manager created for a policy, so remediation and cleanup can find them.</summary>
        public string? FmsPolicyId { get; set; }

        /// <summary>The CloudFormation resource type.</summary>
        [JsonIgnore]
        public abstract string ResourceType { get; }

        [JsonIgnore]
        public abstract string Arn { get; }

        /// <summary>The id FMS reports in ComplianceViolator.ResourceId: the EC2 id for EC2 resources, otherwise the ARN.</summary>
        [JsonIgnore]
        public virtual string ViolatorResourceId => Arn;

        /// <summary>The tag value for a key, or null when the resource has no such tag.</summary>
        public string? GetTag(string key)
        {
            if (Tags == null) return null;
            foreach (var tag in Tags)
                if (string.Equals(tag.Key, key, StringComparison.Ordinal)) return tag.Value;
            return null;
        }

        /// <summary>True for resources whose ARN carries a name rather than a globally unique id; the world indexes
        /// these by ARN and all others by <see cref="Id"/>.</summary>
        [JsonIgnore]
        internal virtual bool IndexedByArn => false;

        protected string Ec2Arn(string kind) => "arn:aws:ec2:" + Region + ":" + AccountId + ":" + kind + "/" + Id;

        internal static readonly string[] NoStrings = new string[0];
    }

    public sealed class Vpc : WorldResource
    {
        public string CidrBlock { get; set; } = "10.0.0.0/16";
        public bool IsDefault { get; set; }

        /// <summary>Accounts this VPC is shared with through AWS RAM (their ENIs and instances may live in its subnets).</summary>
        public string[]? SharedWithAccountIds { get; set; }

        /// <summary>The attached internet gateway (igw-…), or null. Only VPCs with route tables in the world have one.</summary>
        public string? InternetGatewayId { get; set; }

        public override string ResourceType => ResourceTypes.Vpc;
        public override string Arn => Ec2Arn("vpc");
        public override string ViolatorResourceId => Id;
    }

    public sealed class Subnet : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string CidrBlock { get; set; } = "";
        public string AvailabilityZone { get; set; } = "";

        /// <summary>The network ACL associated with this subnet (every subnet has exactly one).</summary>
        public string NetworkAclId { get; set; } = "";

        /// <summary>The association id AWS gives the subnet/NACL pairing (aclassoc-…).</summary>
        public string NetworkAclAssociationId { get; set; } = "";

        /// <summary>When Firewall Manager moved the subnet to a NACL it created: the NACL it was associated with before,
        /// so policy cleanup can put the association back.</summary>
        public string? FmsOriginalNetworkAclId { get; set; }

        /// <summary>The route table explicitly associated with this subnet, or null: the VPC's main route table applies.</summary>
        public string? RouteTableId { get; set; }

        /// <summary>The association id of the explicit route table association (rtbassoc-…), or null.</summary>
        public string? RouteTableAssociationId { get; set; }

        public override string ResourceType => ResourceTypes.Subnet;
        public override string Arn => Ec2Arn("subnet");
        public override string ViolatorResourceId => Id;
    }

    /// <summary>One security group rule. Instances are shared between groups: replace, never mutate.</summary>
    public sealed class SecurityGroupRule
    {
        /// <summary>"tcp", "udp", "icmp" or "-1" (all).</summary>
        public string Protocol { get; set; } = "tcp";
        public int? FromPort { get; set; }
        public int? ToPort { get; set; }
        public string? CidrIpv4 { get; set; }
        public string? CidrIpv6 { get; set; }
        public string? PrefixListId { get; set; }
        public string? ReferencedGroupId { get; set; }
        public string? Description { get; set; }

        public static SecurityGroupRule Tcp(int from, int to, string cidr, string? description = null) =>
            new SecurityGroupRule { Protocol = "tcp", FromPort = from, ToPort = to, CidrIpv4 = cidr, Description = description };

        public static SecurityGroupRule AllTraffic(string cidr) => new SecurityGroupRule { Protocol = "-1", CidrIpv4 = cidr };

        /// <summary>Value equality on everything that affects traffic (descriptions are ignored, as FMS does).</summary>
        public bool SameTrafficAs(SecurityGroupRule other) =>
            string.Equals(NormalizedProtocol, other.NormalizedProtocol, StringComparison.Ordinal)
            && NormalizedFrom == other.NormalizedFrom && NormalizedTo == other.NormalizedTo
            && string.Equals(CidrIpv4, other.CidrIpv4, StringComparison.Ordinal)
            && string.Equals(CidrIpv6, other.CidrIpv6, StringComparison.Ordinal)
            && string.Equals(PrefixListId, other.PrefixListId, StringComparison.Ordinal)
            && string.Equals(ReferencedGroupId, other.ReferencedGroupId, StringComparison.Ordinal);

        [JsonIgnore]
        internal string NormalizedProtocol => Protocol == "all" ? "-1" : Protocol.ToLowerInvariant();

        [JsonIgnore]
        internal int NormalizedFrom => NormalizedProtocol == "-1" ? 0 : FromPort ?? 0;

        [JsonIgnore]
        internal int NormalizedTo => NormalizedProtocol == "-1" ? 65535 : ToPort ?? 65535;

        public override string ToString()
        {
            var target = CidrIpv4 ?? CidrIpv6 ?? PrefixListId ?? ReferencedGroupId ?? "";
            var ports = NormalizedProtocol == "-1" ? "all" : NormalizedFrom + "-" + NormalizedTo;
            return NormalizedProtocol + " " + ports + " " + target;
        }
    }

    public sealed class SecurityGroup : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string Description { get; set; } = "";
        public SecurityGroupRule[] Ingress { get; set; } = new SecurityGroupRule[0];
        public SecurityGroupRule[] Egress { get; set; } = new SecurityGroupRule[0];
        public DateTime CreatedAt { get; set; }

        /// <summary>When the group last stopped being used by any resource; with <see cref="CreatedAt"/> this is where
        /// the usage-audit "unused for N minutes" clock starts.</summary>
        public DateTime? LastDetachedAt { get; set; }

        /// <summary>For a Firewall Manager replica: the primary group it copies.</summary>
        public string? ReplicaOfGroupId { get; set; }

        [JsonIgnore]
        public bool IsDefault => string.Equals(Name, "default", StringComparison.Ordinal);

        public override string ResourceType => ResourceTypes.SecurityGroup;
        public override string Arn => Ec2Arn("security-group");
        public override string ViolatorResourceId => Id;
    }

    public sealed class Ec2Instance : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string SubnetId { get; set; } = "";
        public string InstanceType { get; set; } = "t3.micro";
        public string State { get; set; } = "running";

        /// <summary>The instance's ENIs, primary (device index 0) first.</summary>
        public string[] NetworkInterfaceIds { get; set; } = NoStrings;

        public override string ResourceType => ResourceTypes.Instance;
        public override string Arn => Ec2Arn("instance");
        public override string ViolatorResourceId => Id;
    }

    public sealed class NetworkInterface : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string SubnetId { get; set; } = "";
        public string? InstanceId { get; set; }
        public int DeviceIndex { get; set; }
        public string PrivateIpAddress { get; set; } = "";
        public string[] SecurityGroupIds { get; set; } = NoStrings;

        /// <summary>"interface" for customer ENIs; ENIs a service manages (load balancers, endpoints) are out of FMS scope.</summary>
        public string InterfaceType { get; set; } = "interface";
        public bool RequesterManaged { get; set; }

        public override string ResourceType => ResourceTypes.NetworkInterface;
        public override string Arn => Ec2Arn("network-interface");
        public override string ViolatorResourceId => Id;
    }

    /// <summary>One NACL entry, as EC2 describes it.</summary>
    public sealed class NetworkAclRule
    {
        public int RuleNumber { get; set; }
        public bool Egress { get; set; }

        /// <summary>IANA protocol number as a string, "-1" for all.</summary>
        public string Protocol { get; set; } = "-1";

        /// <summary>"allow" or "deny".</summary>
        public string RuleAction { get; set; } = "allow";
        public string? CidrBlock { get; set; }
        public string? Ipv6CidrBlock { get; set; }
        public int? PortFrom { get; set; }
        public int? PortTo { get; set; }
        public int? IcmpType { get; set; }
        public int? IcmpCode { get; set; }

        /// <summary>The same traffic match and action, regardless of rule number.</summary>
        public bool SameEntryAs(NetworkAclRule other) =>
            Egress == other.Egress
            && string.Equals(Protocol, other.Protocol, StringComparison.Ordinal)
            && string.Equals(RuleAction, other.RuleAction, StringComparison.OrdinalIgnoreCase)
            && string.Equals(CidrBlock, other.CidrBlock, StringComparison.Ordinal)
            && string.Equals(Ipv6CidrBlock, other.Ipv6CidrBlock, StringComparison.Ordinal)
            && PortFrom == other.PortFrom && PortTo == other.PortTo
            && IcmpType == other.IcmpType && IcmpCode == other.IcmpCode;

        public NetworkAclRule WithRuleNumber(int ruleNumber) => new NetworkAclRule
        {
            RuleNumber = ruleNumber, Egress = Egress, Protocol = Protocol, RuleAction = RuleAction, CidrBlock = CidrBlock,
            Ipv6CidrBlock = Ipv6CidrBlock, PortFrom = PortFrom, PortTo = PortTo, IcmpType = IcmpType, IcmpCode = IcmpCode,
        };
    }

    public sealed class NetworkAcl : WorldResource
    {
        public string VpcId { get; set; } = "";
        public bool IsDefault { get; set; }

        /// <summary>Custom entries of both directions; the implicit 32767 deny-all entries are not stored.</summary>
        public NetworkAclRule[] Entries { get; set; } = new NetworkAclRule[0];

        /// <summary>The ClientToken of the CreateNetworkAcl call that made it (idempotent retries), or null.</summary>
        public string? ClientToken { get; set; }

        public override string ResourceType => ResourceTypes.NetworkAcl;
        public override string Arn => Ec2Arn("network-acl");
        public override string ViolatorResourceId => Id;
    }

    public sealed class ElasticIp : WorldResource
    {
        public string PublicIp { get; set; } = "";
        public string? InstanceId { get; set; }
        public string? NetworkInterfaceId { get; set; }

        public override string ResourceType => ResourceTypes.ElasticIp;
        public override string Arn => Ec2Arn("eip-allocation");
    }

    /// <summary>A resource that WAF can protect: it records its web ACL association itself (WAF allows one per resource).</summary>
    public abstract class WebAclProtectableResource : WorldResource
    {
        /// <summary>ARN of the associated WAFv2 web ACL, or null.</summary>
        public string? WebAclArn { get; set; }

        /// <summary>Id of the associated WAF Classic web ACL, or null.</summary>
        public string? ClassicWebAclId { get; set; }
    }

    public sealed class ApplicationLoadBalancer : WebAclProtectableResource
    {
        public string VpcId { get; set; } = "";
        public string Scheme { get; set; } = "internet-facing";
        public string[] SecurityGroupIds { get; set; } = NoStrings;
        public string[] SubnetIds { get; set; } = NoStrings;

        [JsonIgnore]
        public string DnsName => Name + "-" + Id.Substring(0, Math.Min(10, Id.Length)) + "." + Region + ".elb.amazonaws.com";

        public override string ResourceType => ResourceTypes.ApplicationLoadBalancer;
        public override string Arn => "arn:aws:elasticloadbalancing:" + Region + ":" + AccountId + ":loadbalancer/app/" + Name + "/" + Id;
    }

    /// <summary>A classic ELB; its id is its name (unique per account and region).</summary>
    public sealed class ClassicLoadBalancer : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string[] SecurityGroupIds { get; set; } = NoStrings;

        internal override bool IndexedByArn => true;
        public override string ResourceType => ResourceTypes.ClassicLoadBalancer;
        public override string Arn => "arn:aws:elasticloadbalancing:" + Region + ":" + AccountId + ":loadbalancer/" + Id;
    }

    /// <summary>An API Gateway REST API stage; <see cref="WorldResource.Id"/> is "restApiId/stageName".</summary>
    public sealed class ApiGatewayStage : WebAclProtectableResource
    {
        public string RestApiId { get; set; } = "";
        public string StageName { get; set; } = "";

        internal override bool IndexedByArn => true;
        public override string ResourceType => ResourceTypes.ApiGatewayStage;
        public override string Arn => "arn:aws:apigateway:" + Region + "::/restapis/" + RestApiId + "/stages/" + StageName;
    }

    /// <summary>A CloudFront distribution (global; stored in us-east-1). WebAclArn holds a WAFv2 CLOUDFRONT-scope ACL.</summary>
    public sealed class CloudFrontDistribution : WebAclProtectableResource
    {
        public string DomainName { get; set; } = "";
        public string[] Origins { get; set; } = NoStrings;

        public override string ResourceType => ResourceTypes.CloudFrontDistribution;
        public override string Arn => "arn:aws:cloudfront::" + AccountId + ":distribution/" + Id;
    }

    /// <summary>Where a Network Firewall has an endpoint: one firewall subnet per availability zone.</summary>
    public sealed class FirewallSubnetMapping
    {
        public string SubnetId { get; set; } = "";
        public string AvailabilityZone { get; set; } = "";
        public string EndpointId { get; set; } = "";
    }

    /// <summary>One route of a route table. Instances are shared: replace the table's array to change routes.</summary>
    public sealed class RouteEntry
    {
        public const string Active = "active";
        public const string Blackhole = "blackhole";

        /// <summary>An IPv4 CIDR such as 0.0.0.0/0 or 10.1.0.0/16.</summary>
        public string DestinationCidrBlock { get; set; } = "";

        /// <summary>"local", or the target's id: igw-…, vpce-… (a firewall endpoint), nat-…, eni-…, tgw-…, pcx-….</summary>
        public string Target { get; set; } = "";

        /// <summary>"active", or "blackhole" when the target no longer exists.</summary>
        public string State { get; set; } = Active;

        [JsonIgnore]
        public bool IsBlackhole => string.Equals(State, Blackhole, StringComparison.Ordinal);

        /// <summary>The FMS Route.TargetType of <see cref="Target"/> (GATEWAY for igw- and local).</summary>
        [JsonIgnore]
        public string TargetType =>
            Target.StartsWith("vpce-", StringComparison.Ordinal) ? "VPC_ENDPOINT"
            : Target.StartsWith("nat-", StringComparison.Ordinal) ? "NAT_GATEWAY"
            : Target.StartsWith("eni-", StringComparison.Ordinal) ? "NETWORK_INTERFACE"
            : Target.StartsWith("tgw-", StringComparison.Ordinal) ? "TRANSIT_GATEWAY"
            : Target.StartsWith("pcx-", StringComparison.Ordinal) ? "VPC_PEERING_CONNECTION"
            : Target.StartsWith("eigw-", StringComparison.Ordinal) ? "EGRESS_ONLY_INTERNET_GATEWAY"
            : Target.StartsWith("i-", StringComparison.Ordinal) ? "INSTANCE"
            : "GATEWAY";

        public static RouteEntry To(string destination, string target, string state = Active) =>
            new RouteEntry { DestinationCidrBlock = destination, Target = target, State = state };
    }

    /// <summary>
    /// A VPC route table: subnets associate with it explicitly (<see cref="Subnet.RouteTableId"/>) or use the VPC's main table;
    /// an internet gateway can be edge-associated (<see cref="GatewayId"/>) for ingress routing.
    /// </summary>
    public sealed class RouteTable : WorldResource
    {
        public string VpcId { get; set; } = "";
        public bool IsMain { get; set; }
        public RouteEntry[] Routes { get; set; } = new RouteEntry[0];

        /// <summary>The internet gateway edge-associated with this table (ingress routing), or null.</summary>
        public string? GatewayId { get; set; }

        /// <summary>The ClientToken of the CreateRouteTable call that made it (idempotent retries), or null.</summary>
        public string? ClientToken { get; set; }

        public override string ResourceType => ResourceTypes.RouteTable;
        public override string Arn => Ec2Arn("route-table");
        public override string ViolatorResourceId => Id;
    }

    /// <summary>A Network Firewall; its ARN is name-based, its <see cref="WorldResource.Id"/> is the firewall's UUID.</summary>
    public sealed class NetworkFirewall : WorldResource
    {
        public string VpcId { get; set; } = "";
        public string FirewallPolicyArn { get; set; } = "";
        public FirewallSubnetMapping[] SubnetMappings { get; set; } = new FirewallSubnetMapping[0];
        public bool DeleteProtection { get; set; }

        internal override bool IndexedByArn => true;
        public override string ResourceType => ResourceTypes.NetworkFirewall;
        public override string Arn => "arn:aws:network-firewall:" + Region + ":" + AccountId + ":firewall/" + Name;
    }

    public sealed class NetworkFirewallRuleGroupReference
    {
        public string ResourceArn { get; set; } = "";
        public int? Priority { get; set; }

        /// <summary>Stateful override action (DROP_TO_ALERT) or null.</summary>
        public string? OverrideAction { get; set; }
    }

    public sealed class NetworkFirewallPolicy : WorldResource
    {
        public NetworkFirewallRuleGroupReference[] StatelessRuleGroups { get; set; } = new NetworkFirewallRuleGroupReference[0];
        public NetworkFirewallRuleGroupReference[] StatefulRuleGroups { get; set; } = new NetworkFirewallRuleGroupReference[0];
        public string[] StatelessDefaultActions { get; set; } = new[] { "aws:forward_to_sfe" };
        public string[] StatelessFragmentDefaultActions { get; set; } = new[] { "aws:forward_to_sfe" };
        public string[] StatelessCustomActions { get; set; } = NoStrings;
        public string[] StatefulDefaultActions { get; set; } = NoStrings;

        /// <summary>STRICT_ORDER or DEFAULT_ACTION_ORDER, or null when unset.</summary>
        public string? StatefulRuleOrder { get; set; }

        internal override bool IndexedByArn => true;
        public override string ResourceType => ResourceTypes.NetworkFirewallPolicy;
        public override string Arn => "arn:aws:network-firewall:" + Region + ":" + AccountId + ":firewall-policy/" + Name;
    }

    /// <summary>A third-party (Palo Alto Cloud NGFW or Fortigate CNF) firewall Firewall Manager deployed into a VPC.</summary>
    public sealed class ThirdPartyFirewall : WorldResource
    {
        /// <summary>PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.</summary>
        public string Vendor { get; set; } = "";
        public string VpcId { get; set; } = "";
        public string? FirewallPolicyName { get; set; }
        public FirewallSubnetMapping[] SubnetMappings { get; set; } = new FirewallSubnetMapping[0];

        internal override bool IndexedByArn => true;
        public override string ResourceType => ResourceTypes.ThirdPartyFirewall;
        public override string Arn => (Vendor == "FORTIGATE_CLOUD_NATIVE_FIREWALL" ? "arn:aws:fortigatecnf:" : "arn:aws:cloudngfw:")
            + Region + ":" + AccountId + ":firewall/" + Name;
    }
}
