using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FmsTools.Aws.Ec2;
using FmsTools.Aws.Fms;

namespace FmsTools.Engine.Remediation
{
    /// <summary>One EC2 call a remediation step makes (or, for a route table copy, the calls it expands to at run time).</summary>
    public sealed class Ec2Operation
    {
        /// <summary>Stands for the route table or network ACL an earlier step of the same remediation creates (FMS leaves its id empty).</summary>
        public const string CreatedEarlier = "(created by an earlier step)";

        internal Ec2Operation(string name) { Name = name; }

        /// <summary>The EC2 API operation: CreateRoute, ReplaceRouteTableAssociation, ...</summary>
        public string Name { get; }

        internal Ec2RouteSpec? Route { get; set; }
        internal string? VpcId { get; set; }
        internal string? RouteTableId { get; set; }
        internal string? SourceRouteTableId { get; set; }
        internal string? AssociationId { get; set; }
        internal string? SubnetId { get; set; }
        internal string? GatewayId { get; set; }
        internal string? NetworkAclId { get; set; }
        internal Ec2NetworkAclEntry? Entry { get; set; }

        /// <summary>The call with its parameters, as the confirmation and -WhatIf show it.</summary>
        public string Text
        {
            get
            {
                switch (Name)
                {
                    case "CreateRoute":
                    case "ReplaceRoute":
                        return $"{Name} {Table(Route!.RouteTableId)} {Route.Destination} -> {Route.Target} ({Route.TargetMemberOrByPrefix})";
                    case "DeleteRoute":
                        return $"{Name} {Table(Route!.RouteTableId)} {Route.Destination}";
                    case "CreateRouteTable":
                        return $"CreateRouteTable in {VpcId}";
                    case "CopyRouteTable":
                        return $"CreateRouteTable in {VpcId}, then CreateRoute for each route of {SourceRouteTableId} created with CreateRoute (read with DescribeRouteTables)";
                    case "ReplaceRouteTableAssociation":
                        return $"ReplaceRouteTableAssociation {AssociationId} -> {Table(RouteTableId)}";
                    case "AssociateRouteTable":
                        return $"AssociateRouteTable {Table(RouteTableId)} with {SubnetId ?? GatewayId}";
                    case "CreateNetworkAcl":
                        return $"CreateNetworkAcl in {VpcId}";
                    case "CreateNetworkAclEntry":
                        return $"CreateNetworkAclEntry {Acl(NetworkAclId)} {Describe(Entry!)}";
                    case "DeleteNetworkAclEntry":
                        return $"DeleteNetworkAclEntry {Acl(NetworkAclId)} {(Entry!.Egress ? "egress" : "ingress")} rule {Entry.RuleNumber.ToString(CultureInfo.InvariantCulture)}";
                    case "ReplaceNetworkAclAssociation":
                        return $"ReplaceNetworkAclAssociation {AssociationId} -> {Acl(NetworkAclId)}";
                    default:
                        return Name;
                }
            }
        }

        private static string Table(string? id) => string.IsNullOrEmpty(id) ? "the route table " + CreatedEarlier : id!;

        private static string Acl(string? id) => string.IsNullOrEmpty(id) ? "the network ACL " + CreatedEarlier : id!;

        internal static string Describe(Ec2NetworkAclEntry e)
        {
            var ports = e.PortFrom.HasValue ? $" ports {e.PortFrom}-{e.PortTo}" : "";
            var icmp = e.IcmpType.HasValue ? $" icmp {e.IcmpType}/{e.IcmpCode}" : "";
            return $"{(e.Egress ? "egress" : "ingress")} rule {e.RuleNumber.ToString(CultureInfo.InvariantCulture)} {e.RuleAction} protocol {e.Protocol} {e.CidrBlock ?? e.Ipv6CidrBlock}{ports}{icmp}";
        }

        public override string ToString() => Text;
    }

    /// <summary>
    /// Turns the EC2 remediation actions FMS suggests (GetViolationDetails' RemediationAction) into the EC2 calls that
    /// carry them out. An action that lacks what EC2 requires gives null and the reason.
    /// </summary>
    public static class Ec2ActionTranslator
    {
        /// <summary>The EC2 calls of the action, or null with <paramref name="reason"/> saying why none can be made.</summary>
        public static IReadOnlyList<Ec2Operation>? Translate(RemediationAction? action, out string reason)
        {
            reason = "";
            if (action == null)
            {
                reason = "FMS returned the action without its parameters";
                return null;
            }
            if (action.EC2CreateRouteAction is { } create)
                return Route("CreateRoute", Id(create.RouteTableId), create.DestinationCidrBlock, create.DestinationIpv6CidrBlock, create.DestinationPrefixListId,
                    Id(create.GatewayId) ?? Id(create.VpcEndpointId), create.VpcEndpointId != null && create.GatewayId == null, out reason);
            if (action.EC2ReplaceRouteAction is { } replace)
                return Route("ReplaceRoute", Id(replace.RouteTableId), replace.DestinationCidrBlock, replace.DestinationIpv6CidrBlock, replace.DestinationPrefixListId,
                    Id(replace.GatewayId), false, out reason);
            if (action.EC2DeleteRouteAction is { } delete)
                return Route("DeleteRoute", Id(delete.RouteTableId), delete.DestinationCidrBlock, delete.DestinationIpv6CidrBlock, delete.DestinationPrefixListId,
                    null, false, out reason);
            if (action.EC2CopyRouteTableAction is { } copy)
            {
                if (Id(copy.VpcId) == null || Id(copy.RouteTableId) == null) return Missing("EC2CopyRouteTableAction names no VPC or no source route table", out reason);
                return One(new Ec2Operation("CopyRouteTable") { VpcId = Id(copy.VpcId), SourceRouteTableId = Id(copy.RouteTableId) });
            }
            if (action.EC2ReplaceRouteTableAssociationAction is { } replaceAssociation)
            {
                if (Id(replaceAssociation.AssociationId) == null) return Missing("EC2ReplaceRouteTableAssociationAction names no association", out reason);
                return One(new Ec2Operation("ReplaceRouteTableAssociation")
                    { AssociationId = Id(replaceAssociation.AssociationId), RouteTableId = Id(replaceAssociation.RouteTableId) });
            }
            if (action.EC2AssociateRouteTableAction is { } associate)
            {
                var subnet = Id(associate.SubnetId);
                var gateway = Id(associate.GatewayId);
                if (subnet == null && gateway == null) return Missing("EC2AssociateRouteTableAction names neither a subnet nor a gateway", out reason);
                return One(new Ec2Operation("AssociateRouteTable") { RouteTableId = Id(associate.RouteTableId), SubnetId = subnet, GatewayId = subnet == null ? gateway : null });
            }
            if (action.EC2CreateRouteTableAction is { } createTable)
            {
                if (Id(createTable.VpcId) == null) return Missing("EC2CreateRouteTableAction names no VPC", out reason);
                return One(new Ec2Operation("CreateRouteTable") { VpcId = Id(createTable.VpcId) });
            }
            if (action.CreateNetworkAclAction is { } createAcl)
            {
                if (Id(createAcl.Vpc) == null) return Missing("CreateNetworkAclAction names no VPC", out reason);
                return One(new Ec2Operation("CreateNetworkAcl") { VpcId = Id(createAcl.Vpc) });
            }
            if (action.ReplaceNetworkAclAssociationAction is { } replaceAcl)
            {
                if (Id(replaceAcl.AssociationId) == null) return Missing("ReplaceNetworkAclAssociationAction names no association", out reason);
                return One(new Ec2Operation("ReplaceNetworkAclAssociation") { AssociationId = Id(replaceAcl.AssociationId), NetworkAclId = Id(replaceAcl.NetworkAclId) });
            }
            if (action.CreateNetworkAclEntriesAction is { } createEntries)
                return Entries("CreateNetworkAclEntry", Id(createEntries.NetworkAclId), createEntries.NetworkAclEntriesToBeCreated, out reason);
            if (action.DeleteNetworkAclEntriesAction is { } deleteEntries)
                return Entries("DeleteNetworkAclEntry", Id(deleteEntries.NetworkAclId), deleteEntries.NetworkAclEntriesToBeDeleted, out reason);
            if (action.FMSPolicyUpdateFirewallCreationConfigAction != null)
                return Missing("FMSPolicyUpdateFirewallCreationConfigAction changes the policy's firewallCreationConfig (an FMS policy change made with Set-FmsPolicy), not EC2", out reason);
            return Missing("the action is not an EC2 action FmsTools knows", out reason);
        }

        private static IReadOnlyList<Ec2Operation>? Missing(string why, out string reason)
        {
            reason = why;
            return null;
        }

        private static IReadOnlyList<Ec2Operation> One(Ec2Operation operation) => new[] { operation };

        private static string? Id(ActionTarget? target) => string.IsNullOrEmpty(target?.ResourceId) ? null : target!.ResourceId;

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static IReadOnlyList<Ec2Operation>? Route(string name, string? table, string? v4, string? v6, string? prefixList, string? target, bool vpcEndpoint,
            out string reason)
        {
            reason = "";
            var spec = new Ec2RouteSpec { RouteTableId = table ?? "" };
            if (NonEmpty(v4) is { } cidr) spec.DestinationCidrBlock = cidr;
            else if (NonEmpty(v6) is { } ipv6) spec.DestinationIpv6CidrBlock = ipv6;
            else if (NonEmpty(prefixList) is { } list) spec.DestinationPrefixListId = list;
            else return Missing($"EC2{name}Action names no destination", out reason);
            if (name != "DeleteRoute")
            {
                if (target == null) return Missing($"EC2{name}Action names no target", out reason);
                spec.Target = target;
                if (vpcEndpoint) spec.TargetMember = "VpcEndpointId";
            }
            else if (table == null) return Missing("EC2DeleteRouteAction names no route table", out reason);
            return One(new Ec2Operation(name) { Route = spec, RouteTableId = table });
        }

        private static IReadOnlyList<Ec2Operation>? Entries(string name, string? acl, List<EntryDescription>? entries, out string reason)
        {
            reason = "";
            if (entries == null || entries.Count == 0) return Missing($"the {name} action lists no entries", out reason);
            var operations = new List<Ec2Operation>();
            foreach (var entry in entries)
            {
                var detail = entry.EntryDetail;
                if (entry.EntryRuleNumber == null || detail == null)
                    return Missing($"an entry of {acl ?? "the network ACL"} has no rule number or no detail (FMS entry type {entry.EntryType})", out reason);
                if (name == "CreateNetworkAclEntry" && string.IsNullOrEmpty(detail.RuleAction))
                    return Missing($"entry {entry.EntryRuleNumber} of {acl ?? "the network ACL"} has no rule action", out reason);
                operations.Add(new Ec2Operation(name)
                {
                    NetworkAclId = acl,
                    Entry = new Ec2NetworkAclEntry
                    {
                        RuleNumber = entry.EntryRuleNumber.Value, Egress = detail.Egress == true, Protocol = string.IsNullOrEmpty(detail.Protocol) ? "-1" : detail.Protocol!,
                        RuleAction = detail.RuleAction ?? "", CidrBlock = NonEmpty(detail.CidrBlock), Ipv6CidrBlock = NonEmpty(detail.Ipv6CidrBlock),
                        PortFrom = detail.PortRange?.From, PortTo = detail.PortRange?.To, IcmpType = detail.IcmpTypeCode?.Type, IcmpCode = detail.IcmpTypeCode?.Code,
                    },
                });
            }
            return operations;
        }
    }
}
