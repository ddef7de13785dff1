using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>DescribeVpcs, DescribeSubnets, DescribeRouteTables and DescribeNetworkAcls over the caller's own resources.</summary>
    internal sealed partial class Ec2Service
    {
        /// <summary>Resources by id (each must exist: NotFound names the first missing one) or all of the caller's, then filters.</summary>
        private static List<T> Select<T>(Call call, string idsMember, Func<string, T> find) where T : WorldResource
        {
            var ids = call.List(idsMember);
            call.Authorize();
            return ids.Count > 0 ? ids.Select(find).Distinct().ToList() : call.Mine<T>().OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }

        /// <summary>The resource's tags, with its Name as a Name tag when the tags do not carry one (EC2 names are tags).</summary>
        private static WorldTag[]? TagsOf(WorldResource resource)
        {
            if (resource.Name == null || (resource.Tags ?? new WorldTag[0]).Any(t => t.Key == "Name")) return resource.Tags;
            return new[] { new WorldTag("Name", resource.Name) }.Concat(resource.Tags ?? new WorldTag[0]).ToArray();
        }

        private void DescribeVpcs(Call call, Ec2Xml xml)
        {
            var vpcs = Filter(call, Select(call, "VpcId", call.Vpc), (v, name) => name switch
            {
                "vpc-id" => new[] { v.Id },
                "cidr" or "cidr-block-association.cidr-block" => new[] { v.CidrBlock },
                "is-default" => new[] { Bool(v.IsDefault) },
                "state" => new[] { "available" },
                _ => null,
            });
            var (page, next) = Page(call, vpcs, 1000);
            xml.Open("vpcSet");
            foreach (var vpc in page)
            {
                xml.Open("item").Leaf("vpcId", vpc.Id).Leaf("ownerId", vpc.AccountId).Leaf("state", "available").Leaf("cidrBlock", vpc.CidrBlock)
                    .Open("cidrBlockAssociationSet").Open("item").Leaf("associationId", DerivedId("vpc-cidr-assoc", vpc.Id)).Leaf("cidrBlock", vpc.CidrBlock)
                    .Open("cidrBlockState").Leaf("state", "associated").Close("cidrBlockState").Close("item").Close("cidrBlockAssociationSet")
                    .Leaf("instanceTenancy", "default").Leaf("isDefault", vpc.IsDefault).Tags(TagsOf(vpc)).Close("item");
            }
            xml.Close("vpcSet").Leaf("nextToken", next);
        }

        private void DescribeSubnets(Call call, Ec2Xml xml)
        {
            var subnets = Filter(call, Select(call, "SubnetId", call.Subnet), (s, name) => name switch
            {
                "subnet-id" => new[] { s.Id },
                "vpc-id" => new[] { s.VpcId },
                "availability-zone" or "availabilityZone" => new[] { s.AvailabilityZone },
                "cidr-block" or "cidr" or "cidrBlock" => new[] { s.CidrBlock },
                "state" => new[] { "available" },
                "default-for-az" or "defaultForAz" => new[] { "false" },
                "subnet-arn" => new[] { s.Arn },
                _ => null,
            });
            var (page, next) = Page(call, subnets, 1000);
            xml.Open("subnetSet");
            foreach (var subnet in page)
            {
                xml.Open("item").Leaf("subnetId", subnet.Id).Leaf("subnetArn", subnet.Arn).Leaf("state", "available").Leaf("ownerId", subnet.AccountId)
                    .Leaf("vpcId", subnet.VpcId).Leaf("cidrBlock", subnet.CidrBlock).Leaf("availableIpAddressCount", AvailableAddresses(subnet.CidrBlock))
                    .Leaf("availabilityZone", subnet.AvailabilityZone).Leaf("defaultForAz", false).Leaf("mapPublicIpOnLaunch", false)
                    .Tags(TagsOf(subnet)).Close("item");
            }
            xml.Close("subnetSet").Leaf("nextToken", next);
        }

        private static int AvailableAddresses(string cidr)
        {
            var slash = cidr.IndexOf('/');
            return slash > 0 && int.TryParse(cidr.Substring(slash + 1), out var bits) && bits >= 16 && bits <= 28 ? (1 << (32 - bits)) - 5 : 0;
        }

        private void DescribeRouteTables(Call call, Ec2Xml xml)
        {
            var tables = Filter(call, Select(call, "RouteTableId", call.Table), (t, name) => name switch
            {
                "route-table-id" => new[] { t.Id },
                "vpc-id" => new[] { t.VpcId },
                "association.main" => new[] { Bool(t.IsMain) },
                "association.subnet-id" => SubnetsOf(call, t).Select(s => s.Id),
                "association.route-table-association-id" => Associations(call, t).Select(a => a.Id),
                "association.route-table-id" => Associations(call, t).Any() ? new[] { t.Id } : new string[0],
                "association.gateway-id" => t.GatewayId == null ? new string[0] : new[] { t.GatewayId },
                "route.destination-cidr-block" => t.Routes.Select(r => r.DestinationCidrBlock),
                "route.gateway-id" => t.Routes.Where(r => TargetMember(r.Target) == "gatewayId").Select(r => r.Target),
                "route.vpc-endpoint-id" => t.Routes.Where(r => r.Target.StartsWith("vpce-", StringComparison.Ordinal)).Select(r => r.Target),
                "route.nat-gateway-id" => t.Routes.Where(r => TargetMember(r.Target) == "natGatewayId").Select(r => r.Target),
                "route.state" => t.Routes.Select(r => r.State),
                "route.origin" => t.Routes.Select(r => r.Target == "local" ? "CreateRouteTable" : "CreateRoute"),
                _ => null,
            });
            var (page, next) = Page(call, tables, 100);
            xml.Open("routeTableSet");
            foreach (var table in page) WriteRouteTable(call, xml, table, "item");
            xml.Close("routeTableSet").Leaf("nextToken", next);
        }

        private static IEnumerable<Subnet> SubnetsOf(Call call, RouteTable table)
            => call.World.GetResources<Subnet>(table.AccountId, table.Region).Where(s => s.RouteTableId == table.Id).OrderBy(s => s.Id, StringComparer.Ordinal);

        /// <summary>A table's associations: main (derived id), explicit subnet associations, the gateway edge association.</summary>
        private static IEnumerable<(string Id, bool Main, string? SubnetId, string? GatewayId)> Associations(Call call, RouteTable table)
        {
            if (table.IsMain) yield return (MainAssociationId(table), true, null, null);
            foreach (var subnet in SubnetsOf(call, table)) yield return (subnet.RouteTableAssociationId ?? "", false, subnet.Id, null);
            if (table.GatewayId != null) yield return (GatewayAssociationId(table, table.GatewayId), false, null, table.GatewayId);
        }

        /// <summary>The Route member EC2 reports a target under.</summary>
        private static string TargetMember(string target)
            => target.StartsWith("nat-", StringComparison.Ordinal) ? "natGatewayId"
               : target.StartsWith("eni-", StringComparison.Ordinal) ? "networkInterfaceId"
               : target.StartsWith("tgw-", StringComparison.Ordinal) ? "transitGatewayId"
               : target.StartsWith("pcx-", StringComparison.Ordinal) ? "vpcPeeringConnectionId"
               : target.StartsWith("eigw-", StringComparison.Ordinal) ? "egressOnlyInternetGatewayId"
               : target.StartsWith("i-", StringComparison.Ordinal) ? "instanceId"
               : "gatewayId";

        private static void WriteRouteTable(Call call, Ec2Xml xml, RouteTable table, string element)
        {
            xml.Open(element).Leaf("routeTableId", table.Id).Leaf("vpcId", table.VpcId).Leaf("ownerId", table.AccountId).Open("routeSet");
            foreach (var route in table.Routes)
            {
                xml.Open("item").Leaf("destinationCidrBlock", route.DestinationCidrBlock).Leaf(TargetMember(route.Target), route.Target);
                if (route.Target.StartsWith("i-", StringComparison.Ordinal)) xml.Leaf("instanceOwnerId", table.AccountId);
                xml.Leaf("state", route.State).Leaf("origin", route.Target == "local" ? "CreateRouteTable" : "CreateRoute").Close("item");
            }
            xml.Close("routeSet").Open("associationSet");
            foreach (var association in Associations(call, table))
            {
                xml.Open("item").Leaf("routeTableAssociationId", association.Id).Leaf("routeTableId", table.Id)
                    .Leaf("subnetId", association.SubnetId).Leaf("gatewayId", association.GatewayId).Leaf("main", association.Main)
                    .Open("associationState").Leaf("state", "associated").Close("associationState").Close("item");
            }
            xml.Close("associationSet").Open("propagatingVgwSet").Close("propagatingVgwSet").Tags(TagsOf(table)).Close(element);
        }

        private void DescribeNetworkAcls(Call call, Ec2Xml xml)
        {
            var acls = Filter(call, Select(call, "NetworkAclId", call.Acl), (a, name) => name switch
            {
                "network-acl-id" => new[] { a.Id },
                "vpc-id" => new[] { a.VpcId },
                "default" => new[] { Bool(a.IsDefault) },
                "association.subnet-id" => AclSubnets(call, a).Select(s => s.Id),
                "association.network-acl-id" => AclSubnets(call, a).Any() ? new[] { a.Id } : new string[0],
                "association.association-id" => AclSubnets(call, a).Select(s => s.NetworkAclAssociationId),
                "entry.rule-number" => EntriesOf(a).Select(e => e.RuleNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                "entry.rule-action" => EntriesOf(a).Select(e => e.RuleAction),
                "entry.egress" => EntriesOf(a).Select(e => Bool(e.Egress)),
                "entry.protocol" => EntriesOf(a).Select(e => e.Protocol),
                "entry.cidr" => EntriesOf(a).Where(e => e.CidrBlock != null).Select(e => e.CidrBlock!),
                _ => null,
            });
            var (page, next) = Page(call, acls, 100);
            xml.Open("networkAclSet");
            foreach (var acl in page) WriteNetworkAcl(call, xml, acl, "item");
            xml.Close("networkAclSet").Leaf("nextToken", next);
        }

        private static IEnumerable<Subnet> AclSubnets(Call call, NetworkAcl acl)
            => call.World.GetResources<Subnet>(acl.AccountId, acl.Region).Where(s => s.NetworkAclId == acl.Id).OrderBy(s => s.Id, StringComparer.Ordinal);

        /// <summary>The custom entries, then the implicit deny-all entries (rule 32767) EC2 lists for each direction.</summary>
        private static IEnumerable<NetworkAclRule> EntriesOf(NetworkAcl acl)
            => acl.Entries.OrderBy(e => e.Egress).ThenBy(e => e.RuleNumber)
                .Concat(new[] { false, true }.Select(egress => new NetworkAclRule { RuleNumber = 32767, Egress = egress, Protocol = "-1", RuleAction = "deny", CidrBlock = "0.0.0.0/0" }));

        private static void WriteNetworkAcl(Call call, Ec2Xml xml, NetworkAcl acl, string element)
        {
            xml.Open(element).Leaf("networkAclId", acl.Id).Leaf("vpcId", acl.VpcId).Leaf("default", acl.IsDefault).Open("entrySet");
            foreach (var entry in EntriesOf(acl))
            {
                xml.Open("item").Leaf("ruleNumber", entry.RuleNumber).Leaf("protocol", entry.Protocol).Leaf("ruleAction", entry.RuleAction)
                    .Leaf("egress", entry.Egress).Leaf("cidrBlock", entry.CidrBlock).Leaf("ipv6CidrBlock", entry.Ipv6CidrBlock);
                if (entry.IcmpType != null || entry.IcmpCode != null)
                    xml.Open("icmpTypeCode").Leaf("code", entry.IcmpCode).Leaf("type", entry.IcmpType).Close("icmpTypeCode");
                if (entry.PortFrom != null || entry.PortTo != null)
                    xml.Open("portRange").Leaf("from", entry.PortFrom).Leaf("to", entry.PortTo).Close("portRange");
                xml.Close("item");
            }
            xml.Close("entrySet").Open("associationSet");
            foreach (var subnet in AclSubnets(call, acl))
                xml.Open("item").Leaf("networkAclAssociationId", subnet.NetworkAclAssociationId).Leaf("networkAclId", acl.Id).Leaf("subnetId", subnet.Id).Close("item");
            xml.Close("associationSet").Tags(TagsOf(acl)).Leaf("ownerId", acl.AccountId).Close(element);
        }
    }
}
