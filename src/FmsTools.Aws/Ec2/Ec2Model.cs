using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Aws.Ec2
{
    /// <summary>One route of a route table (DescribeRouteTables' Route), with the target in the member EC2 names it.</summary>
    public sealed class Ec2Route
    {
        public string? DestinationCidrBlock { get; set; }
        public string? DestinationIpv6CidrBlock { get; set; }
        public string? DestinationPrefixListId { get; set; }

        /// <summary>The target id (igw-, vpce-, nat-, eni-, tgw-, pcx-, eigw- ...), whichever member EC2 filled.</summary>
        public string? Target { get; set; }

        /// <summary>The member of CreateRoute that takes <see cref="Target"/> (GatewayId, NatGatewayId, VpcEndpointId ...).</summary>
        public string? TargetMember { get; set; }

        /// <summary>CreateRouteTable, CreateRoute or EnableVgwRoutePropagation: only CreateRoute routes can be recreated.</summary>
        public string? Origin { get; set; }

        public string? State { get; set; }

        /// <summary>The destination, whichever kind it is.</summary>
        public string Destination => DestinationCidrBlock ?? DestinationIpv6CidrBlock ?? DestinationPrefixListId ?? "";

        public override string ToString() => Destination + " -> " + (Target ?? "local");
    }

    public sealed class Ec2RouteTableAssociation
    {
        public string AssociationId { get; set; } = "";
        public string? SubnetId { get; set; }
        public string? GatewayId { get; set; }
        public bool Main { get; set; }
    }

    public sealed class Ec2RouteTable
    {
        public string RouteTableId { get; set; } = "";
        public string VpcId { get; set; } = "";
        public List<Ec2Route> Routes { get; set; } = new List<Ec2Route>();
        public List<Ec2RouteTableAssociation> Associations { get; set; } = new List<Ec2RouteTableAssociation>();
    }

    public sealed class Ec2NetworkAclEntry
    {
        public int RuleNumber { get; set; }
        public bool Egress { get; set; }

        /// <summary>"-1" (all), "6" (TCP), "17" (UDP), "1" (ICMP) ...</summary>
        public string Protocol { get; set; } = "-1";

        /// <summary>allow or deny.</summary>
        public string RuleAction { get; set; } = "";

        public string? CidrBlock { get; set; }
        public string? Ipv6CidrBlock { get; set; }
        public int? PortFrom { get; set; }
        public int? PortTo { get; set; }
        public int? IcmpType { get; set; }
        public int? IcmpCode { get; set; }

        public override string ToString() => $"{(Egress ? "egress" : "ingress")} {RuleNumber} {RuleAction} {Protocol} {CidrBlock ?? Ipv6CidrBlock}";
    }

    public sealed class Ec2NetworkAclAssociation
    {
        public string AssociationId { get; set; } = "";
        public string SubnetId { get; set; } = "";
    }

    public sealed class Ec2NetworkAcl
    {
        public string NetworkAclId { get; set; } = "";
        public string VpcId { get; set; } = "";
        public bool IsDefault { get; set; }
        public List<Ec2NetworkAclEntry> Entries { get; set; } = new List<Ec2NetworkAclEntry>();
        public List<Ec2NetworkAclAssociation> Associations { get; set; } = new List<Ec2NetworkAclAssociation>();
    }

    /// <summary>A route to create, replace or delete: the table, one destination and (except for delete) the target.</summary>
    public sealed class Ec2RouteSpec
    {
        public string RouteTableId { get; set; } = "";
        public string? DestinationCidrBlock { get; set; }
        public string? DestinationIpv6CidrBlock { get; set; }
        public string? DestinationPrefixListId { get; set; }
        public string? Target { get; set; }

        /// <summary>GatewayId, NatGatewayId, VpcEndpointId, NetworkInterfaceId, TransitGatewayId, VpcPeeringConnectionId or EgressOnlyInternetGatewayId.</summary>
        public string? TargetMember { get; set; }

        public string Destination => DestinationCidrBlock ?? DestinationIpv6CidrBlock ?? DestinationPrefixListId ?? "";

        /// <summary>The member that takes this route's target: <see cref="TargetMember"/> when given, else by the id's prefix.</summary>
        public string TargetMemberOrByPrefix => string.IsNullOrEmpty(TargetMember) ? MemberFor(Target ?? "") : TargetMember!;

        /// <summary>
        /// The CreateRoute/ReplaceRoute member that takes a target id, by its prefix (vpce- VpcEndpointId, nat-
        /// NatGatewayId, eni- NetworkInterfaceId, tgw- TransitGatewayId, pcx- VpcPeeringConnectionId, eigw-
        /// EgressOnlyInternetGatewayId, anything else GatewayId).
        /// </summary>
        public static string MemberFor(string target)
        {
            if (target.StartsWith("vpce-", System.StringComparison.Ordinal)) return "VpcEndpointId";
            if (target.StartsWith("nat-", System.StringComparison.Ordinal)) return "NatGatewayId";
            if (target.StartsWith("eni-", System.StringComparison.Ordinal)) return "NetworkInterfaceId";
            if (target.StartsWith("tgw-", System.StringComparison.Ordinal)) return "TransitGatewayId";
            if (target.StartsWith("pcx-", System.StringComparison.Ordinal)) return "VpcPeeringConnectionId";
            if (target.StartsWith("eigw-", System.StringComparison.Ordinal)) return "EgressOnlyInternetGatewayId";
            return "GatewayId";
        }

        public override string ToString() => RouteTableId + " " + Destination + (Target == null ? "" : " -> " + Target);
    }

    /// <summary>
    /// The EC2 operations remediation needs, in FmsTools' own types (no AWSSDK type crosses this interface). Errors are
    /// AwsServiceException (the EC2 error code and message), AwsTransportException or TimeoutException. Mutating calls
    /// without a client token are sent once (never retried: a lost answer may mean the change was applied); calls with a
    /// client token (CreateRouteTable, CreateNetworkAcl) and Describe calls follow the session's retry policy.
    /// </summary>
    public interface IEc2Client
    {
        /// <summary>Route tables by id, or by one filter (e.g. association.route-table-association-id) when ids is empty.</summary>
        Task<IReadOnlyList<Ec2RouteTable>> DescribeRouteTablesAsync(IReadOnlyCollection<string>? routeTableIds, string? filterName = null,
            string? filterValue = null, CancellationToken cancellationToken = default);

        /// <summary>Network ACLs by id, or by one filter (e.g. association.association-id) when ids is empty.</summary>
        Task<IReadOnlyList<Ec2NetworkAcl>> DescribeNetworkAclsAsync(IReadOnlyCollection<string>? networkAclIds, string? filterName = null,
            string? filterValue = null, CancellationToken cancellationToken = default);

        Task CreateRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default);

        Task ReplaceRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default);

        Task DeleteRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default);

        /// <summary>Returns the new route table's id.</summary>
        Task<string> CreateRouteTableAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default);

        Task DeleteRouteTableAsync(string routeTableId, CancellationToken cancellationToken = default);

        /// <summary>Returns the new association id.</summary>
        Task<string> ReplaceRouteTableAssociationAsync(string associationId, string routeTableId, CancellationToken cancellationToken = default);

        /// <summary>Associates a subnet or a gateway (edge association); returns the association id.</summary>
        Task<string> AssociateRouteTableAsync(string routeTableId, string? subnetId, string? gatewayId, CancellationToken cancellationToken = default);

        Task DisassociateRouteTableAsync(string associationId, CancellationToken cancellationToken = default);

        /// <summary>Returns the new network ACL's id.</summary>
        Task<string> CreateNetworkAclAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default);

        Task DeleteNetworkAclAsync(string networkAclId, CancellationToken cancellationToken = default);

        Task CreateNetworkAclEntryAsync(string networkAclId, Ec2NetworkAclEntry entry, CancellationToken cancellationToken = default);

        Task DeleteNetworkAclEntryAsync(string networkAclId, int ruleNumber, bool egress, CancellationToken cancellationToken = default);

        /// <summary>Returns the new association id.</summary>
        Task<string> ReplaceNetworkAclAssociationAsync(string associationId, string networkAclId, CancellationToken cancellationToken = default);
    }
}
