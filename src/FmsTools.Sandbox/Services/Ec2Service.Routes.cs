using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>Routes, route tables and their associations (subnet, main, internet gateway edge).</summary>
    internal sealed partial class Ec2Service
    {
        private static readonly string[] TargetMembers =
        {
            "GatewayId", "VpcEndpointId", "NatGatewayId", "NetworkInterfaceId", "TransitGatewayId", "VpcPeeringConnectionId",
            "EgressOnlyInternetGatewayId", "InstanceId",
        };

        private static readonly string[] UnmodelledMembers =
        {
            "DestinationIpv6CidrBlock", "DestinationPrefixListId", "LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn", "OdbNetworkArn",
        };

        private static SandboxServiceException Unmodelled(string member)
            => new SandboxServiceException("UnsupportedOperation", "The sandbox's EC2 does not model " + member + " (IPv4 CIDR destinations only).");

        /// <summary>The destination CIDR of a route call (required; IPv4 only in the sandbox).</summary>
        private static string Destination(Call call)
        {
            foreach (var member in UnmodelledMembers)
                if (call.Has(member)) throw Unmodelled(member);
            var destination = call.Get("DestinationCidrBlock");
            if (string.IsNullOrEmpty(destination)) throw Missing("destinationCidrBlock or destinationIpv6CidrBlock");
            if (!IsIpv4Cidr(destination!))
                throw new SandboxServiceException("InvalidParameterValue", "Value (" + destination + ") for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.");
            return destination!;
        }

        /// <summary>The one target of CreateRoute/ReplaceRoute ("local" for ReplaceRoute's LocalTarget).</summary>
        private static string RouteTarget(Call call, bool allowLocal)
        {
            var given = TargetMembers.Where(call.Has).ToList();
            if (allowLocal && string.Equals(call.Get("LocalTarget"), "true", StringComparison.OrdinalIgnoreCase)) given.Add("LocalTarget");
            if (given.Count == 0)
                throw Missing("gatewayId, vpcEndpointId, natGatewayId, networkInterfaceId, transitGatewayId, vpcPeeringConnectionId, egressOnlyInternetGatewayId or instanceId");
            if (given.Count > 1)
                throw new SandboxServiceException("InvalidParameterCombination", "The parameters " + string.Join(", ", given) + " cannot be used together; give exactly one route target.");
            return given[0] == "LocalTarget" ? "local" : call.Get(given[0])!;
        }

        /// <summary>Checks that the target exists where the World models it (internet gateways, firewall endpoints, ENIs, instances).</summary>
        private static void CheckTarget(Call call, RouteTable table, string target)
        {
            if (target == "local") return;
            if (target.StartsWith("igw-", StringComparison.Ordinal))
            {
                if (call.Mine<Vpc>().FirstOrDefault(v => v.InternetGatewayId == target) is not Vpc owner)
                    throw NotFound("InvalidGatewayID.NotFound", "gateway", target);
                if (owner.Id != table.VpcId)
                    throw new SandboxServiceException("InvalidParameterValue", "route table " + table.Id + " and network gateway " + target + " belong to different networks");
            }
            else if (target.StartsWith("vpce-", StringComparison.Ordinal))
            {
                var known = call.Mine<NetworkFirewall>().Where(f => f.VpcId == table.VpcId).SelectMany(f => f.SubnetMappings).Any(m => m.EndpointId == target)
                    || call.Mine<ThirdPartyFirewall>().Where(f => f.VpcId == table.VpcId).SelectMany(f => f.SubnetMappings).Any(m => m.EndpointId == target)
                    || call.Mine<RouteTable>().Where(t => t.VpcId == table.VpcId).SelectMany(t => t.Routes).Any(r => r.Target == target && !r.IsBlackhole);
                if (!known) throw new SandboxServiceException("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '" + target + "' does not exist");
            }
            else if (target.StartsWith("eni-", StringComparison.Ordinal))
            {
                if (!call.Mine<NetworkInterface>().Any(n => n.Id == target)) throw NotFound("InvalidNetworkInterfaceID.NotFound", "networkInterface", target);
            }
            else if (target.StartsWith("i-", StringComparison.Ordinal))
            {
                if (!call.Mine<Ec2Instance>().Any(i => i.Id == target)) throw NotFound("InvalidInstanceID.NotFound", "instance", target);
            }
        }

        private void CreateRoute(Call call, Ec2Xml xml)
        {
            var tableId = call.Required("RouteTableId");
            var destination = Destination(call);
            var target = RouteTarget(call, allowLocal: false);
            call.Authorize();
            var table = call.Table(tableId);
            CheckTarget(call, table, target);
            if (table.Routes.Any(r => r.DestinationCidrBlock == destination))
                throw new SandboxServiceException("RouteAlreadyExists", "The route identified by " + destination + " already exists.");
            table.Routes = table.Routes.Concat(new[] { RouteEntry.To(destination, target) }).ToArray();
            call.World.MarkChanged();
            xml.Return();
        }

        private void ReplaceRoute(Call call, Ec2Xml xml)
        {
            var tableId = call.Required("RouteTableId");
            var destination = Destination(call);
            var target = RouteTarget(call, allowLocal: true);
            call.Authorize();
            var table = call.Table(tableId);
            CheckTarget(call, table, target);
            var index = Array.FindIndex(table.Routes, r => r.DestinationCidrBlock == destination);
            if (index < 0)
                throw new SandboxServiceException("InvalidParameterValue", "There is no route defined for '" + destination + "' in the route table. Use CreateRoute instead.");
            if (table.Routes[index].Target == "local" && target != "local")
                throw new SandboxServiceException("InvalidParameterValue", "cannot replace local route " + destination + " in route table " + table.Id);
            var routes = (RouteEntry[])table.Routes.Clone();
            routes[index] = RouteEntry.To(destination, target);
            table.Routes = routes;
            call.World.MarkChanged();
            xml.Return();
        }

        private void DeleteRoute(Call call, Ec2Xml xml)
        {
            var tableId = call.Required("RouteTableId");
            var destination = Destination(call);
            call.Authorize();
            var table = call.Table(tableId);
            var route = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == destination);
            if (route == null)
                throw new SandboxServiceException("InvalidRoute.NotFound", "no route with destination-cidr-block " + destination + " in route table " + table.Id);
            if (route.Target == "local")
                throw new SandboxServiceException("InvalidParameterValue", "cannot remove local route " + destination + " in route table " + table.Id);
            table.Routes = table.Routes.Where(r => r != route).ToArray();
            call.World.MarkChanged();
            xml.Return();
        }

        private void CreateRouteTable(Call call, Ec2Xml xml)
        {
            var vpcId = call.Required("VpcId");
            var token = call.Get("ClientToken");
            var tags = call.Tags("route-table");
            call.Authorize();
            var vpc = call.Vpc(vpcId);
            var table = token == null ? null : call.Mine<RouteTable>().FirstOrDefault(t => t.ClientToken == token);
            if (table != null && table.VpcId != vpc.Id)
                throw new SandboxServiceException("IdempotentParameterMismatch", "The client token you have provided is associated with a resource that is already deleted or has different parameters. Please use a different client token.");
            if (table == null)
            {
                table = new RouteTable
                {
                    Id = call.NewId("rtb"), AccountId = call.Account, Region = call.Region, VpcId = vpc.Id, ClientToken = token,
                    Routes = new[] { RouteEntry.To(vpc.CidrBlock, "local") }, Tags = tags,
                    Name = tags?.FirstOrDefault(t => t.Key == "Name")?.Value,
                };
                call.World.AddResource(table);
            }
            WriteRouteTable(call, xml, table, "routeTable");
            xml.Leaf("clientToken", token);
        }

        private void DeleteRouteTable(Call call, Ec2Xml xml)
        {
            var tableId = call.Required("RouteTableId");
            call.Authorize();
            var table = call.Table(tableId);
            if (Associations(call, table).Any())
                throw new SandboxServiceException("DependencyViolation", "The routeTable '" + table.Id + "' has dependencies and cannot be deleted.");
            call.World.RemoveResource(table);
            xml.Return();
        }

        private void AssociateRouteTable(Call call, Ec2Xml xml)
        {
            var tableId = call.Required("RouteTableId");
            var subnetId = call.Get("SubnetId");
            var gatewayId = call.Get("GatewayId");
            if (call.Has("PublicIpv4Pool")) throw Unmodelled("PublicIpv4Pool");
            if (subnetId == null && gatewayId == null) throw Missing("subnetId or gatewayId");
            if (subnetId != null && gatewayId != null)
                throw new SandboxServiceException("InvalidParameterCombination", "The parameters subnetId and gatewayId cannot be used together.");
            call.Authorize();
            var table = call.Table(tableId);
            string associationId;
            if (subnetId != null)
            {
                var subnet = call.Subnet(subnetId);
                if (subnet.VpcId != table.VpcId)
                    throw new SandboxServiceException("InvalidParameterValue", "Route table " + table.Id + " and subnet " + subnet.Id + " belong to different networks");
                if (subnet.RouteTableId != null)
                    throw new SandboxServiceException("Resource.AlreadyAssociated", "the specified association for route table " + table.Id + " conflicts with an existing association");
                associationId = call.NewId("rtbassoc");
                subnet.RouteTableId = table.Id;
                subnet.RouteTableAssociationId = associationId;
            }
            else
            {
                CheckTarget(call, table, gatewayId!);
                if (!gatewayId!.StartsWith("igw-", StringComparison.Ordinal)) throw InvalidValue(gatewayId, "gatewayId");
                if (call.Mine<RouteTable>().Any(t => t.GatewayId == gatewayId))
                    throw new SandboxServiceException("Resource.AlreadyAssociated", "the specified association for route table " + table.Id + " conflicts with an existing association");
                table.GatewayId = gatewayId;
                associationId = GatewayAssociationId(table, gatewayId);
            }
            call.World.MarkChanged();
            xml.Leaf("associationId", associationId).Open("associationState").Leaf("state", "associated").Close("associationState");
        }

        /// <summary>An association of the caller's: (table, subnet or null, main?) or InvalidAssociationID.NotFound.</summary>
        private static (RouteTable Table, Subnet? Subnet, bool Main) RouteTableAssociation(Call call, string associationId)
        {
            var subnet = call.Mine<Subnet>().FirstOrDefault(s => s.RouteTableAssociationId == associationId && s.RouteTableId != null);
            if (subnet != null) return (call.Table(subnet.RouteTableId!), subnet, false);
            foreach (var table in call.Mine<RouteTable>())
            {
                if (table.IsMain && MainAssociationId(table) == associationId) return (table, null, true);
                if (table.GatewayId != null && GatewayAssociationId(table, table.GatewayId) == associationId) return (table, null, false);
            }
            throw NotFound("InvalidAssociationID.NotFound", "association", associationId);
        }

        private void DisassociateRouteTable(Call call, Ec2Xml xml)
        {
            var associationId = call.Required("AssociationId");
            call.Authorize();
            var (table, subnet, main) = RouteTableAssociation(call, associationId);
            if (main)
                throw new SandboxServiceException("InvalidParameterValue", "cannot disassociate the main route table association " + associationId);
            if (subnet != null)
            {
                subnet.RouteTableId = null;
                subnet.RouteTableAssociationId = null;
            }
            else table.GatewayId = null;
            call.World.MarkChanged();
            xml.Return();
        }

        private void ReplaceRouteTableAssociation(Call call, Ec2Xml xml)
        {
            var associationId = call.Required("AssociationId");
            var tableId = call.Required("RouteTableId");
            call.Authorize();
            var (current, subnet, main) = RouteTableAssociation(call, associationId);
            var target = call.Table(tableId);
            if (target.VpcId != current.VpcId)
                throw new SandboxServiceException("InvalidParameterValue", "Route table " + target.Id + " and association " + associationId + " belong to different networks");
            string newId;
            if (main)
            {
                current.IsMain = false;
                target.IsMain = true;
                newId = MainAssociationId(target);
            }
            else if (subnet != null)
            {
                newId = call.NewId("rtbassoc");
                subnet.RouteTableId = target.Id;
                subnet.RouteTableAssociationId = newId;
            }
            else
            {
                var gateway = current.GatewayId!;
                if (target.GatewayId != null && target != current)
                    throw new SandboxServiceException("Resource.AlreadyAssociated", "the specified association for route table " + target.Id + " conflicts with an existing association");
                current.GatewayId = null;
                target.GatewayId = gateway;
                newId = GatewayAssociationId(target, gateway);
            }
            call.World.MarkChanged();
            xml.Leaf("newAssociationId", newId).Open("associationState").Leaf("state", "associated").Close("associationState");
        }
    }
}
