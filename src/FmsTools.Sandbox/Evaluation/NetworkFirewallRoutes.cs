using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;
using Route = FmsTools.Aws.Fms.Route;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>
    /// Route monitoring of NETWORK_FIREWALL policies whose orchestration config says routeManagementAction MONITOR (the
    /// developer guide's "How Firewall Manager manages and monitors VPC route tables"). FMS only watches traffic
    /// bound for the internet gateway (NAT and transit gateways are not checked), never changes routes itself, and does not
    /// monitor routes for centralized deployments. It reports what is wrong with PossibleRemediationActions made of EC2 route
    /// actions the customer runs.
    /// <para>What the sandbox checks, per in-scope VPC that has the policy's firewall, an internet gateway and route tables
    /// (generated organizations have no route tables, so their VPCs are not route-checked):</para>
    /// <list type="bullet">
    /// <item>each workload subnet whose 0.0.0.0/0 route goes to the internet gateway: INTERNET_TRAFFIC_NOT_INSPECTED (subnet);
    /// to a firewall endpoint of another zone while its own zone has one: INVALID_ROUTE_CONFIGURATION (subnet); to an endpoint
    /// that is not the policy firewall's: ROUTE_HAS_OUT_OF_SCOPE_ENDPOINT (subnet); a black hole: BLACK_HOLE_ROUTE_DETECTED (subnet);
    /// NAT, transit gateway or no default route: not checked;</item>
    /// <item>each firewall subnet: not associated with the route table FMS created for it (FMSManagedFirewallRouteTable-&lt;zone&gt;)
    /// while that table exists: MISSING_EXPECTED_ROUTE_TABLE (violator: the VPC); no active 0.0.0.0/0 route to the internet gateway:
    /// FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE;
    /// routes back into the firewall's endpoints: UNEXPECTED_FIREWALL_ROUTES; black holes: BLACK_HOLE_ROUTE_DETECTED_IN_FIREWALL_SUBNET
    /// (violator: the firewall subnet);</item>
    /// <item>the internet gateway, when subnets route through the firewall: a protected subnet's CIDR routed to something other than
    /// a firewall endpoint: UNEXPECTED_TARGET_GATEWAY_ROUTES; not routed at all, or no edge-associated route table:
    /// INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE (violator: the VPC).</item>
    /// </list>
    /// Which resource FMS names as the violator for each reason is inferred from the detail shapes (unconfirmed).
    /// </summary>
    public sealed partial class PolicyEvaluator
    {
        private const string AnyIpv4 = "0.0.0.0/0";

        /// <summary>The name prefix of the route tables FMS creates for its firewall subnets (one per zone, suffix a, b, c).</summary>
        internal const string FirewallRouteTablePrefix = "FMSManagedFirewallRouteTable-";

        internal static bool IsFirewallSubnet(Subnet subnet, ISet<string> firewallSubnetIds) =>
            firewallSubnetIds.Contains(subnet.Id) || (subnet.Name ?? "").StartsWith("FMSManagedFirewallSubnet", StringComparison.Ordinal);

        private static Route WireRoute(RouteEntry route) => new Route
        {
            DestinationType = DestinationTypeValues.Ipv4, Destination = route.DestinationCidrBlock, TargetType = route.TargetType, Target = route.Target,
        };

        private static List<Route> WireRoutes(IEnumerable<RouteEntry> routes) => routes.Select(WireRoute).ToList();

        private static ActionTarget Target(string? id, string description) => new ActionTarget { ResourceId = id, Description = description };

        private static RemediationActionWithOrder Step(int order, string description, RemediationAction action)
        {
            action.Description = description;
            return new RemediationActionWithOrder { Order = order, RemediationAction = action };
        }

        private static PossibleRemediationActions Options(string description, params PossibleRemediationAction[] actions) =>
            new PossibleRemediationActions { Description = description, Actions = actions.ToList() };

        private static PossibleRemediationAction Option(string description, bool isDefault, params RemediationActionWithOrder[] steps) =>
            new PossibleRemediationAction { Description = description, IsDefaultAction = isDefault, OrderedRemediationActions = steps.ToList() };

        private static RemediationActionWithOrder ReplaceRoute(int order, RouteTable table, string destination, string target, string why) =>
            Step(order, why, new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction
                {
                    Description = "Replace the route " + destination + " in " + table.Id + " with one to " + target,
                    DestinationCidrBlock = destination, GatewayId = Target(target, target), RouteTableId = Target(table.Id, "Route table " + table.Id),
                },
            });

        private static RemediationActionWithOrder CreateRoute(int order, string? tableId, string tableDescription, string destination, string target, string why) =>
            Step(order, why, new RemediationAction
            {
                EC2CreateRouteAction = new EC2CreateRouteAction
                {
                    Description = "Create the route " + destination + " -> " + target,
                    DestinationCidrBlock = destination,
                    VpcEndpointId = target.StartsWith("vpce-", StringComparison.Ordinal) ? Target(target, "Firewall endpoint " + target) : null,
                    GatewayId = target.StartsWith("vpce-", StringComparison.Ordinal) ? null : Target(target, target),
                    RouteTableId = Target(tableId, tableDescription),
                },
            });

        private static RemediationActionWithOrder DeleteRoute(int order, RouteTable table, string destination, string why) =>
            Step(order, why, new RemediationAction
            {
                EC2DeleteRouteAction = new EC2DeleteRouteAction
                {
                    Description = "Delete the route " + destination + " from " + table.Id,
                    DestinationCidrBlock = destination, RouteTableId = Target(table.Id, "Route table " + table.Id),
                },
            });

        /// <summary>Checks one VPC's routes against the policy's firewall (MONITOR mode).</summary>
        private static void EvaluateRoutes(Run run, Vpc vpc, NetworkFirewall firewall, NetworkFirewallSettings settings)
        {
            var igw = vpc.InternetGatewayId;
            if (igw == null) return;
            var tables = run.World.GetResources<RouteTable>(vpc.AccountId, run.Region).Where(t => t.VpcId == vpc.Id).ToList();
            if (tables.Count == 0) return;
            var main = tables.FirstOrDefault(t => t.IsMain);
            RouteTable? TableOf(Subnet s) => s.RouteTableId != null ? tables.FirstOrDefault(t => t.Id == s.RouteTableId) : main;

            var subnets = run.World.GetResources<Subnet>(vpc.AccountId, run.Region).Where(s => s.VpcId == vpc.Id).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
            var mappings = firewall.SubnetMappings;
            var firewallSubnetIds = new HashSet<string>(mappings.Select(m => m.SubnetId), StringComparer.Ordinal);
            var endpointIds = new HashSet<string>(mappings.Select(m => m.EndpointId), StringComparer.Ordinal);
            FirewallSubnetMapping? EndpointIn(string zone) => mappings.FirstOrDefault(m => m.AvailabilityZone == zone);
            var requiredZones = RequiredZones(run.World, vpc, settings, run.Region);

            // Workload subnets whose internet traffic goes through a policy endpoint: the internet gateway must route their return traffic back.
            var protectedSubnets = new List<(Subnet Subnet, FirewallSubnetMapping Endpoint)>();
            foreach (var subnet in subnets.Where(s => !IsFirewallSubnet(s, firewallSubnetIds)))
            {
                var table = TableOf(subnet);
                var route = table?.Routes.FirstOrDefault(r => r.DestinationCidrBlock == AnyIpv4);
                if (table == null || route == null) continue;
                var zoneEndpoint = EndpointIn(subnet.AvailabilityZone);
                var usedInOtherZones = subnets.Any(s => s != subnet && TableOf(s) == table && s.AvailabilityZone != subnet.AvailabilityZone);
                if (route.IsBlackhole)
                {
                    var violation = run.Add(subnet, ViolationReasonValues.BlackHoleRouteDetected);
                    violation.Details.Add(new ResourceViolation
                    {
                        NetworkFirewallBlackHoleRouteDetectedViolation = new NetworkFirewallBlackHoleRouteDetectedViolation
                        {
                            ViolationTarget = subnet.Id, RouteTableId = table.Id, VpcId = vpc.Id, ViolatingRoutes = WireRoutes(new[] { route }),
                        },
                        PossibleRemediationActions = zoneEndpoint == null ? null : Options("Point the subnet's internet route at the firewall endpoint again.",
                            Option("Replace the black hole route with a route to the zone's firewall endpoint", true,
                                ReplaceRoute(1, table, AnyIpv4, zoneEndpoint.EndpointId, "The route's target no longer exists."))),
                    });
                    continue;
                }
                if (route.Target == igw)
                {
                    if (zoneEndpoint == null && requiredZones.Contains(subnet.AvailabilityZone)) continue; // MISSING_FIREWALL_SUBNET_IN_AZ covers it
                    var violation = run.Add(subnet, ViolationReasonValues.InternetTrafficNotInspected);
                    var firewallSubnet = zoneEndpoint == null ? null : run.World.FindById<Subnet>(zoneEndpoint.SubnetId);
                    var firewallTable = firewallSubnet == null ? null : TableOf(firewallSubnet);
                    var igwTable = tables.FirstOrDefault(t => t.GatewayId == igw);
                    violation.Details.Add(new ResourceViolation
                    {
                        NetworkFirewallInternetTrafficNotInspectedViolation = new NetworkFirewallInternetTrafficNotInspectedViolation
                        {
                            SubnetId = subnet.Id, SubnetAvailabilityZone = subnet.AvailabilityZone, RouteTableId = table.Id, ViolatingRoutes = WireRoutes(new[] { route }),
                            IsRouteTableUsedInDifferentAZ = usedInOtherZones, CurrentFirewallSubnetRouteTable = firewallTable?.Id,
                            ExpectedFirewallEndpoint = zoneEndpoint?.EndpointId, FirewallSubnetId = zoneEndpoint?.SubnetId,
                            ExpectedFirewallSubnetRoutes = firewallTable == null ? null : new List<ExpectedRoute>
                            {
                                new ExpectedRoute { IpV4Cidr = AnyIpv4, AllowedTargets = new List<string> { igw }, RouteTableId = firewallTable.Id, ContributingSubnets = new List<string> { subnet.Id } },
                            },
                            ActualFirewallSubnetRoutes = firewallTable == null ? null : WireRoutes(firewallTable.Routes),
                            InternetGatewayId = igw, CurrentInternetGatewayRouteTable = igwTable?.Id,
                            ExpectedInternetGatewayRoutes = zoneEndpoint == null ? null : new List<ExpectedRoute>
                            {
                                new ExpectedRoute { IpV4Cidr = subnet.CidrBlock, AllowedTargets = new List<string> { zoneEndpoint.EndpointId }, RouteTableId = igwTable?.Id, ContributingSubnets = new List<string> { subnet.Id } },
                            },
                            ActualInternetGatewayRoutes = igwTable == null ? null : WireRoutes(igwTable.Routes),
                            VpcId = vpc.Id,
                        },
                        PossibleRemediationActions = NotInspectedRemediation(subnet, table, zoneEndpoint, usedInOtherZones, settings),
                    });
                    continue;
                }
                if (!route.Target.StartsWith("vpce-", StringComparison.Ordinal)) continue; // NAT, transit gateway...: FMS only watches internet gateway traffic
                if (!endpointIds.Contains(route.Target))
                {
                    var firewallSubnet = zoneEndpoint == null ? null : run.World.FindById<Subnet>(zoneEndpoint.SubnetId);
                    var firewallTable = firewallSubnet == null ? null : TableOf(firewallSubnet);
                    var igwTable = tables.FirstOrDefault(t => t.GatewayId == igw);
                    run.Add(subnet, ViolationReasonValues.RouteHasOutOfScopeEndpoint).Details.Add(new ResourceViolation
                    {
                        RouteHasOutOfScopeEndpointViolation = new RouteHasOutOfScopeEndpointViolation
                        {
                            SubnetId = subnet.Id, VpcId = vpc.Id, RouteTableId = table.Id, ViolatingRoutes = WireRoutes(new[] { route }),
                            SubnetAvailabilityZone = subnet.AvailabilityZone, SubnetAvailabilityZoneId = ZoneId(subnet.AvailabilityZone),
                            CurrentFirewallSubnetRouteTable = firewallTable?.Id, FirewallSubnetId = zoneEndpoint?.SubnetId,
                            FirewallSubnetRoutes = firewallTable == null ? null : WireRoutes(firewallTable.Routes),
                            InternetGatewayId = igw, CurrentInternetGatewayRouteTable = igwTable?.Id,
                            InternetGatewayRoutes = igwTable == null ? null : WireRoutes(igwTable.Routes),
                        },
                        PossibleRemediationActions = zoneEndpoint == null ? null : Options("Route the subnet's internet traffic through the policy's firewall.",
                            Option("Replace the route to the out-of-scope endpoint", true,
                                ReplaceRoute(1, table, AnyIpv4, zoneEndpoint.EndpointId, "Use the firewall endpoint in " + subnet.AvailabilityZone + "."))),
                    });
                    continue;
                }
                var actual = mappings.First(m => m.EndpointId == route.Target);
                protectedSubnets.Add((subnet, zoneEndpoint ?? actual));
                if (zoneEndpoint != null && actual.AvailabilityZone != subnet.AvailabilityZone && !settings.SingleEndpoint)
                {
                    var firewallSubnet = run.World.FindById<Subnet>(zoneEndpoint.SubnetId);
                    var firewallTable = firewallSubnet == null ? null : TableOf(firewallSubnet);
                    var igwTable = tables.FirstOrDefault(t => t.GatewayId == igw);
                    run.Add(subnet, ViolationReasonValues.InvalidRouteConfiguration).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallInvalidRouteConfigurationViolation = new NetworkFirewallInvalidRouteConfigurationViolation
                        {
                            AffectedSubnets = new List<string> { subnet.Id }, RouteTableId = table.Id, IsRouteTableUsedInDifferentAZ = usedInOtherZones,
                            ViolatingRoute = WireRoute(route), CurrentFirewallSubnetRouteTable = firewallTable?.Id,
                            ExpectedFirewallEndpoint = zoneEndpoint.EndpointId, ActualFirewallEndpoint = actual.EndpointId,
                            ExpectedFirewallSubnetId = zoneEndpoint.SubnetId, ActualFirewallSubnetId = actual.SubnetId,
                            ExpectedFirewallSubnetRoutes = firewallTable == null ? null : new List<ExpectedRoute>
                            {
                                new ExpectedRoute { IpV4Cidr = AnyIpv4, AllowedTargets = new List<string> { igw }, RouteTableId = firewallTable.Id, ContributingSubnets = new List<string> { subnet.Id } },
                            },
                            ActualFirewallSubnetRoutes = firewallTable == null ? null : WireRoutes(firewallTable.Routes),
                            InternetGatewayId = igw, CurrentInternetGatewayRouteTable = igwTable?.Id,
                            ExpectedInternetGatewayRoutes = new List<ExpectedRoute>
                            {
                                new ExpectedRoute { IpV4Cidr = subnet.CidrBlock, AllowedTargets = new List<string> { zoneEndpoint.EndpointId }, RouteTableId = igwTable?.Id, ContributingSubnets = new List<string> { subnet.Id } },
                            },
                            ActualInternetGatewayRoutes = igwTable == null ? null : WireRoutes(igwTable.Routes),
                            VpcId = vpc.Id,
                        },
                        PossibleRemediationActions = Options("Keep the subnet's traffic in its own Availability Zone.",
                            Option("Route through the firewall endpoint in " + subnet.AvailabilityZone, true,
                                ReplaceRoute(1, table, AnyIpv4, zoneEndpoint.EndpointId, "The subnet's traffic crosses to the endpoint in " + actual.AvailabilityZone + "."))),
                    });
                }
            }

            EvaluateFirewallSubnetTables(run, vpc, mappings, tables, TableOf);
            EvaluateFirewallSubnetRoutes(run, vpc, igw, mappings, endpointIds, TableOf);
            if (protectedSubnets.Count > 0) EvaluateGatewayRoutes(run, vpc, igw, tables, protectedSubnets, endpointIds);
        }

        /// <summary>us-east-1a -> use1-az1 (the sandbox's fixed zone id mapping).</summary>
        private static string ZoneId(string zone)
        {
            if (zone.Length < 2) return zone;
            var region = zone.Substring(0, zone.Length - 1);
            var parts = region.Split('-');
            var prefix = parts.Length == 3 ? parts[0] + parts[1].Substring(0, 1) + parts[2] : region;
            return prefix + "-az" + (zone[zone.Length - 1] - 'a' + 1);
        }

        private static PossibleRemediationActions NotInspectedRemediation(Subnet subnet, RouteTable table, FirewallSubnetMapping? endpoint, bool usedInOtherZones,
            NetworkFirewallSettings settings)
        {
            if (endpoint == null)
            {
                // The policy's zone list leaves this zone without an endpoint: FMS proposes adding the zone to the policy.
                // Built as JSON nodes, not by pasting text: a zone name comes from the policy and is escaped like any string.
                var zones = new JsonArray();
                foreach (var z in (settings.RequiredZones ?? new List<string>()).Concat(new[] { subnet.AvailabilityZone }).Distinct())
                    zones.Add(new JsonObject { ["availabilityZoneId"] = null, ["availabilityZoneName"] = z, ["allowedIPV4CidrList"] = new JsonArray() });
                var config = new JsonObject { ["endpointLocation"] = new JsonObject { ["availabilityZoneConfigList"] = zones } }.ToJsonString();
                return Options("Create a firewall endpoint in " + subnet.AvailabilityZone + ", then route the subnet through it.",
                    Option("Add " + subnet.AvailabilityZone + " to the policy's firewall endpoint locations", true,
                        Step(1, "Update the policy's firewall creation configuration", new RemediationAction
                        {
                            FMSPolicyUpdateFirewallCreationConfigAction = new FMSPolicyUpdateFirewallCreationConfigAction
                            {
                                Description = "Add " + subnet.AvailabilityZone + " to firewallCreationConfig", FirewallCreationConfig = config,
                            },
                        })));
            }
            var options = new List<PossibleRemediationAction>();
            if (!usedInOtherZones)
                options.Add(Option("Route the subnet's internet traffic to the firewall endpoint", true,
                    ReplaceRoute(1, table, AnyIpv4, endpoint.EndpointId, "Send internet-bound traffic to the firewall endpoint in " + subnet.AvailabilityZone + ".")));
            else
                options.Add(Option("Give the subnet its own copy of the route table and route it to the firewall endpoint", true,
                    Step(1, "The route table serves subnets in other Availability Zones: copy it", new RemediationAction
                    {
                        EC2CopyRouteTableAction = new EC2CopyRouteTableAction
                        {
                            Description = "Copy " + table.Id, VpcId = Target(subnet.VpcId, "VPC " + subnet.VpcId), RouteTableId = Target(table.Id, "Route table " + table.Id),
                        },
                    }),
                    Step(2, "Associate the subnet with the copy", new RemediationAction
                    {
                        EC2ReplaceRouteTableAssociationAction = new EC2ReplaceRouteTableAssociationAction
                        {
                            Description = "Replace the subnet's route table association",
                            AssociationId = Target(subnet.RouteTableAssociationId, "Association of " + subnet.Id + " with " + table.Id),
                            RouteTableId = Target(null, "The copied route table"),
                        },
                    }),
                    Step(3, "Route internet-bound traffic to the firewall endpoint", new RemediationAction
                    {
                        EC2ReplaceRouteAction = new EC2ReplaceRouteAction
                        {
                            Description = "Replace the route " + AnyIpv4 + " in the copy with one to " + endpoint.EndpointId,
                            DestinationCidrBlock = AnyIpv4, GatewayId = Target(endpoint.EndpointId, endpoint.EndpointId), RouteTableId = Target(null, "The copied route table"),
                        },
                    })));
            return Options("Insert the firewall endpoint between the subnet and the internet gateway.", options.ToArray());
        }

        /// <summary>Firewall subnets must stay associated with the route table FMS created for them.</summary>
        private static void EvaluateFirewallSubnetTables(Run run, Vpc vpc, FirewallSubnetMapping[] mappings, List<RouteTable> tables, Func<Subnet, RouteTable?> tableOf)
        {
            var details = new List<ResourceViolation>();
            foreach (var mapping in mappings.OrderBy(m => m.AvailabilityZone, StringComparer.Ordinal))
            {
                if (!(run.World.FindById(mapping.SubnetId) is Subnet firewallSubnet)) continue;
                var expected = tables.FirstOrDefault(t => t.FmsPolicyId == run.PolicyId
                    && t.Name == FirewallRouteTablePrefix + mapping.AvailabilityZone.Substring(mapping.AvailabilityZone.Length - 1));
                var current = tableOf(firewallSubnet);
                if (expected == null || current == expected) continue;
                var fix = firewallSubnet.RouteTableAssociationId != null
                    ? Step(1, "Associate the firewall subnet with its Firewall Manager route table again", new RemediationAction
                    {
                        EC2ReplaceRouteTableAssociationAction = new EC2ReplaceRouteTableAssociationAction
                        {
                            Description = "Replace the association of " + firewallSubnet.Id,
                            AssociationId = Target(firewallSubnet.RouteTableAssociationId, "Association of " + firewallSubnet.Id + " with " + current?.Id),
                            RouteTableId = Target(expected.Id, "Route table " + expected.Id),
                        },
                    })
                    : Step(1, "Associate the firewall subnet with its Firewall Manager route table", new RemediationAction
                    {
                        EC2AssociateRouteTableAction = new EC2AssociateRouteTableAction
                        {
                            Description = "Associate " + firewallSubnet.Id + " with " + expected.Id,
                            RouteTableId = Target(expected.Id, "Route table " + expected.Id), SubnetId = Target(firewallSubnet.Id, "Firewall subnet " + firewallSubnet.Id),
                        },
                    });
                details.Add(new ResourceViolation
                {
                    NetworkFirewallMissingExpectedRTViolation = new NetworkFirewallMissingExpectedRTViolation
                    {
                        ViolationTarget = vpc.Id, VPC = vpc.Id, AvailabilityZone = firewallSubnet.AvailabilityZone, CurrentRouteTable = current?.Id, ExpectedRouteTable = expected.Id,
                    },
                    PossibleRemediationActions = Options("The firewall subnet " + firewallSubnet.Id + " must use the route table Firewall Manager created for it.",
                        Option("Restore the firewall subnet's route table association", true, fix)),
                });
            }
            if (details.Count > 0) run.Add(vpc, ViolationReasonValues.MissingExpectedRouteTable).Details.AddRange(details);
        }

        private static void EvaluateFirewallSubnetRoutes(Run run, Vpc vpc, string igw, FirewallSubnetMapping[] mappings, HashSet<string> endpointIds, Func<Subnet, RouteTable?> tableOf)
        {
            foreach (var mapping in mappings.OrderBy(m => m.AvailabilityZone, StringComparer.Ordinal))
            {
                if (!(run.World.FindById(mapping.SubnetId) is Subnet firewallSubnet)) continue;
                var table = tableOf(firewallSubnet);
                if (table == null) continue;
                var blackHoles = table.Routes.Where(r => r.IsBlackhole).ToList();
                if (blackHoles.Count > 0)
                    run.Add(firewallSubnet, ViolationReasonValues.BlackHoleRouteDetectedInFirewallSubnet).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallBlackHoleRouteDetectedViolation = new NetworkFirewallBlackHoleRouteDetectedViolation
                        {
                            ViolationTarget = firewallSubnet.Id, RouteTableId = table.Id, VpcId = vpc.Id, ViolatingRoutes = WireRoutes(blackHoles),
                        },
                        PossibleRemediationActions = Options("Remove the black hole routes from the firewall subnet's route table.",
                            Option("Delete the black hole routes", true,
                                blackHoles.Select((r, i) => DeleteRoute(i + 1, table, r.DestinationCidrBlock, "The route's target " + r.Target + " no longer exists.")).ToArray())),
                    });
                var defaultRoute = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == AnyIpv4);
                if (defaultRoute == null || (!defaultRoute.IsBlackhole && defaultRoute.Target != igw))
                    run.Add(firewallSubnet, ViolationReasonValues.FirewallSubnetMissingExpectedRoute).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallMissingExpectedRoutesViolation = new NetworkFirewallMissingExpectedRoutesViolation
                        {
                            ViolationTarget = firewallSubnet.Id, VpcId = vpc.Id,
                            ExpectedRoutes = new List<ExpectedRoute>
                            {
                                new ExpectedRoute { IpV4Cidr = AnyIpv4, AllowedTargets = new List<string> { igw }, RouteTableId = table.Id, ContributingSubnets = new List<string> { firewallSubnet.Id } },
                            },
                        },
                        PossibleRemediationActions = Options("Send the firewall subnet's internet-bound traffic to the internet gateway.",
                            Option(defaultRoute == null ? "Create the route to the internet gateway" : "Replace the default route with one to the internet gateway", true,
                                defaultRoute == null
                                    ? CreateRoute(1, table.Id, "Route table " + table.Id, AnyIpv4, igw, "Inspected traffic leaves through the internet gateway.")
                                    : ReplaceRoute(1, table, AnyIpv4, igw, "Inspected traffic leaves through the internet gateway."))),
                    });
                var loops = table.Routes.Where(r => !r.IsBlackhole && endpointIds.Contains(r.Target)).ToList();
                if (loops.Count > 0)
                    run.Add(firewallSubnet, ViolationReasonValues.UnexpectedFirewallRoutes).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallUnexpectedFirewallRoutesViolation = new NetworkFirewallUnexpectedFirewallRoutesViolation
                        {
                            FirewallSubnetId = firewallSubnet.Id, ViolatingRoutes = WireRoutes(loops), RouteTableId = table.Id,
                            FirewallEndpoint = mapping.EndpointId, VpcId = vpc.Id,
                        },
                        PossibleRemediationActions = Options("Firewall subnet traffic must not be routed back into a firewall endpoint.",
                            Option("Delete the routes to firewall endpoints", true,
                                loops.Select((r, i) => DeleteRoute(i + 1, table, r.DestinationCidrBlock, "Routes " + r.DestinationCidrBlock + " back to " + r.Target + ".")).ToArray())),
                    });
            }
        }

        private static void EvaluateGatewayRoutes(Run run, Vpc vpc, string igw, List<RouteTable> tables, List<(Subnet Subnet, FirewallSubnetMapping Endpoint)> protectedSubnets,
            HashSet<string> endpointIds)
        {
            var igwTable = tables.FirstOrDefault(t => t.GatewayId == igw);
            if (igwTable == null)
            {
                var steps = new List<RemediationActionWithOrder>
                {
                    Step(1, "Create a route table for the internet gateway", new RemediationAction { EC2CreateRouteTableAction = new EC2CreateRouteTableAction { Description = "Create a route table in " + vpc.Id, VpcId = Target(vpc.Id, "VPC " + vpc.Id) } }),
                };
                foreach (var (subnet, endpoint) in protectedSubnets)
                    steps.Add(CreateRoute(steps.Count + 1, null, "The new route table", subnet.CidrBlock, endpoint.EndpointId, "Return traffic for " + subnet.Id + " goes through the firewall endpoint."));
                steps.Add(Step(steps.Count + 1, "Associate the internet gateway with the new route table", new RemediationAction
                {
                    EC2AssociateRouteTableAction = new EC2AssociateRouteTableAction { Description = "Edge-associate " + igw, RouteTableId = Target(null, "The new route table"), GatewayId = Target(igw, "Internet gateway " + igw) },
                }));
                run.Add(vpc, ViolationReasonValues.InternetGatewayMissingExpectedRoute).Details.Add(new ResourceViolation
                {
                    NetworkFirewallMissingExpectedRoutesViolation = new NetworkFirewallMissingExpectedRoutesViolation
                    {
                        ViolationTarget = igw, VpcId = vpc.Id,
                        ExpectedRoutes = protectedSubnets.Select(p => new ExpectedRoute
                        {
                            IpV4Cidr = p.Subnet.CidrBlock, AllowedTargets = new List<string> { p.Endpoint.EndpointId }, ContributingSubnets = new List<string> { p.Subnet.Id },
                        }).ToList(),
                    },
                    PossibleRemediationActions = Options("Route traffic from the internet gateway to the subnets through the firewall endpoints (ingress routing).",
                        Option("Create and associate an internet gateway route table", true, steps.ToArray())),
                });
                return;
            }
            var unexpected = new List<(RouteEntry Route, FirewallSubnetMapping Endpoint)>();
            var missing = new List<(Subnet Subnet, FirewallSubnetMapping Endpoint)>();
            foreach (var (subnet, endpoint) in protectedSubnets)
            {
                var route = igwTable.Routes.FirstOrDefault(r => r.DestinationCidrBlock == subnet.CidrBlock);
                if (route == null) missing.Add((subnet, endpoint));
                else if (route.IsBlackhole || !endpointIds.Contains(route.Target)) unexpected.Add((route, endpoint));
            }
            if (unexpected.Count > 0)
                run.Add(vpc, ViolationReasonValues.UnexpectedTargetGatewayRoutes).Details.Add(new ResourceViolation
                {
                    NetworkFirewallUnexpectedGatewayRoutesViolation = new NetworkFirewallUnexpectedGatewayRoutesViolation
                    {
                        GatewayId = igw, ViolatingRoutes = WireRoutes(unexpected.Select(u => u.Route)), RouteTableId = igwTable.Id, VpcId = vpc.Id,
                    },
                    PossibleRemediationActions = Options("Route the internet gateway's traffic for the subnets through the firewall endpoints.",
                        Option("Replace the routes with routes to the firewall endpoints", true,
                            unexpected.Select((u, i) => ReplaceRoute(i + 1, igwTable, u.Route.DestinationCidrBlock, u.Endpoint.EndpointId, "The route bypasses the firewall.")).ToArray())),
                });
            if (missing.Count > 0)
                run.Add(vpc, ViolationReasonValues.InternetGatewayMissingExpectedRoute).Details.Add(new ResourceViolation
                {
                    NetworkFirewallMissingExpectedRoutesViolation = new NetworkFirewallMissingExpectedRoutesViolation
                    {
                        ViolationTarget = igw, VpcId = vpc.Id,
                        ExpectedRoutes = missing.Select(m => new ExpectedRoute
                        {
                            IpV4Cidr = m.Subnet.CidrBlock, AllowedTargets = new List<string> { m.Endpoint.EndpointId }, RouteTableId = igwTable.Id, ContributingSubnets = new List<string> { m.Subnet.Id },
                        }).ToList(),
                    },
                    PossibleRemediationActions = Options("Route the internet gateway's traffic for the subnets through the firewall endpoints.",
                        Option("Create the missing routes", true,
                            missing.Select((m, i) => CreateRoute(i + 1, igwTable.Id, "Route table " + igwTable.Id, m.Subnet.CidrBlock, m.Endpoint.EndpointId, "Return traffic for " + m.Subnet.Id + " goes through the firewall endpoint.")).ToArray())),
                });
        }
    }
}
