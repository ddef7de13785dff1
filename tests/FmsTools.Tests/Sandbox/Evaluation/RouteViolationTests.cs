using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Aws;
using FmsTools.Tests.Infrastructure;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    /// <summary>
    /// Network Firewall route monitoring (routeManagementAction MONITOR): a VPC laid out as the developer guide describes
    /// (subnet -> zone's firewall endpoint -> internet gateway, and the gateway's edge route table back through the endpoints)
    /// is compliant; each way of breaking it yields its ViolationReason, the model's detail shape and EC2 remediation actions.
    /// </summary>
    public class RouteViolationTests
    {
        /// <summary>The GetViolationDetails shape FMS uses for each route reason.</summary>
        public static readonly IReadOnlyDictionary<string, string> ShapeFor = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ViolationReasonValues.InternetTrafficNotInspected] = nameof(ResourceViolation.NetworkFirewallInternetTrafficNotInspectedViolation),
            [ViolationReasonValues.InvalidRouteConfiguration] = nameof(ResourceViolation.NetworkFirewallInvalidRouteConfigurationViolation),
            [ViolationReasonValues.MissingExpectedRouteTable] = nameof(ResourceViolation.NetworkFirewallMissingExpectedRTViolation),
            [ViolationReasonValues.BlackHoleRouteDetected] = nameof(ResourceViolation.NetworkFirewallBlackHoleRouteDetectedViolation),
            [ViolationReasonValues.BlackHoleRouteDetectedInFirewallSubnet] = nameof(ResourceViolation.NetworkFirewallBlackHoleRouteDetectedViolation),
            [ViolationReasonValues.RouteHasOutOfScopeEndpoint] = nameof(ResourceViolation.RouteHasOutOfScopeEndpointViolation),
            [ViolationReasonValues.UnexpectedFirewallRoutes] = nameof(ResourceViolation.NetworkFirewallUnexpectedFirewallRoutesViolation),
            [ViolationReasonValues.FirewallSubnetMissingExpectedRoute] = nameof(ResourceViolation.NetworkFirewallMissingExpectedRoutesViolation),
            [ViolationReasonValues.UnexpectedTargetGatewayRoutes] = nameof(ResourceViolation.NetworkFirewallUnexpectedGatewayRoutesViolation),
            [ViolationReasonValues.InternetGatewayMissingExpectedRoute] = nameof(ResourceViolation.NetworkFirewallMissingExpectedRoutesViolation),
        };

        private const string StatelessArn = "arn:aws:network-firewall:us-east-1:100000000001:stateless-rulegroup/drop";
        private const string StatefulArn = "arn:aws:network-firewall:us-east-1:100000000001:stateful-rulegroup/allow";

        private readonly TestWorld t = new TestWorld();

        private static Policy Nfw(string routeManagementAction = "MONITOR", string creationConfig = "")
        {
            var policy = Policy(SecurityServiceTypeValues.NetworkFirewall,
                "{\"type\":\"NETWORK_FIREWALL\",\"networkFirewallStatelessRuleGroupReferences\":[{\"resourceARN\":\"" + StatelessArn + "\",\"priority\":1}],"
                + "\"networkFirewallStatelessDefaultActions\":[\"aws:forward_to_sfe\"],\"networkFirewallStatelessFragmentDefaultActions\":[\"aws:forward_to_sfe\"],"
                + "\"networkFirewallStatefulRuleGroupReferences\":[{\"resourceARN\":\"" + StatefulArn + "\"}],"
                + "\"networkFirewallOrchestrationConfig\":{\"singleFirewallEndpointPerVPC\":false,\"allowedIPV4CidrList\":[],\"routeManagementAction\":\"" + routeManagementAction + "\"" + creationConfig + "}}",
                ResourceTypes.Vpc);
            policy.IncludeMap = Map("ACCOUNT", A1);
            return policy;
        }

        /// <summary>The reference layout in A1's VPC after FMS created the firewall (endpoints in zones a and b).</summary>
        private sealed class Layout
        {
            public Vpc Vpc = null!;
            public string Igw = "";
            public Subnet SubnetA = null!, SubnetB = null!, FirewallA = null!, FirewallB = null!;
            public string EndpointA = "", EndpointB = "";
            public RouteTable TableA = null!, TableB = null!, FirewallTableA = null!, FirewallTableB = null!, GatewayTable = null!;
        }

        private Layout Build(Policy policy)
        {
            var l = new Layout { Vpc = t.Vpcs[A1], SubnetA = t.Subnets[A1][0], SubnetB = t.Subnets[A1][1] };
            l.Igw = t.Build.InternetGateway(l.Vpc);
            t.Build.RouteTable(l.Vpc, "main", new RouteEntry[0], isMain: true);
            // FMS creates the firewall, its subnets and a route table per firewall subnet.
            var report = PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Contains(report.Changes, c => c.Action == "CreateRouteTable");
            var firewall = t.World.GetResources<NetworkFirewall>(A1, Region).Single();
            var a = firewall.SubnetMappings.Single(m => m.AvailabilityZone == "us-east-1a");
            l.EndpointA = a.EndpointId;
            l.FirewallA = t.World.FindById<Subnet>(a.SubnetId)!;
            l.FirewallTableA = t.World.FindById<RouteTable>(l.FirewallA.RouteTableId!)!;
            Assert.Equal((policy.PolicyId, "FMSManagedFirewallRouteTable-a"), (l.FirewallTableA.FmsPolicyId, l.FirewallTableA.Name));
            SetRoutes(l.FirewallTableA, RouteEntry.To("0.0.0.0/0", l.Igw));
            var b = firewall.SubnetMappings.SingleOrDefault(m => m.AvailabilityZone == "us-east-1b");
            if (b != null)
            {
                l.EndpointB = b.EndpointId;
                l.FirewallB = t.World.FindById<Subnet>(b.SubnetId)!;
                l.FirewallTableB = t.World.FindById<RouteTable>(l.FirewallB.RouteTableId!)!;
                SetRoutes(l.FirewallTableB, RouteEntry.To("0.0.0.0/0", l.Igw));
            }
            // The customer's part: subnets through their zone's endpoint, the gateway's return traffic through the endpoints.
            l.TableA = t.Build.RouteTable(l.Vpc, "a", new[] { RouteEntry.To("0.0.0.0/0", l.EndpointA) }, new[] { l.SubnetA });
            l.TableB = t.Build.RouteTable(l.Vpc, "b", new[] { RouteEntry.To("0.0.0.0/0", b == null ? l.Igw : l.EndpointB) }, new[] { l.SubnetB });
            var gatewayRoutes = new List<RouteEntry> { RouteEntry.To(l.SubnetA.CidrBlock, l.EndpointA) };
            if (b != null) gatewayRoutes.Add(RouteEntry.To(l.SubnetB.CidrBlock, l.EndpointB));
            l.GatewayTable = t.Build.RouteTable(l.Vpc, "igw", gatewayRoutes.ToArray(), gatewayId: l.Igw);
            t.World.MarkChanged();
            return l;
        }

        private void SetRoutes(RouteTable table, params RouteEntry[] routes)
        {
            table.Routes = new[] { RouteEntry.To(t.Vpcs[A1].CidrBlock, "local") }.Concat(routes).ToArray();
            t.World.MarkChanged();
        }

        private PolicyEvaluation Evaluate(Policy policy) => PolicyEvaluator.EvaluateUncached(t.World, policy, Region, Now);

        private static List<string> Reasons(PolicyEvaluation evaluation) =>
            evaluation.AllViolations.Select(v => v.ResourceId + " " + v.Reason).OrderBy(x => x, StringComparer.Ordinal).ToList();

        private (ResourceViolation Detail, List<RemediationActionWithOrder> DefaultSteps) Single(PolicyEvaluation evaluation, WorldResource violator, string reason)
        {
            var violation = Assert.Single(evaluation.AllViolations);
            Assert.Equal((violator.ViolatorResourceId, reason), (violation.ResourceId, violation.Reason));
            var detail = Assert.Single(evaluation.GetViolationDetail(t.World, A1, violator.ViolatorResourceId, null)!.ResourceViolations!);
            Assert.Equal(ShapeFor[reason], ShapeName(detail));
            var option = detail.PossibleRemediationActions?.Actions?.SingleOrDefault(a => a.IsDefaultAction == true);
            return (detail, option?.OrderedRemediationActions ?? new List<RemediationActionWithOrder>());
        }

        internal static string ShapeName(ResourceViolation detail) =>
            typeof(ResourceViolation).GetProperties().Where(p => p.Name != nameof(ResourceViolation.PossibleRemediationActions) && p.GetValue(detail) != null)
                .Select(p => p.Name).Single();

        [Fact]
        public void The_reference_layout_is_compliant_and_OFF_or_centralized_policies_do_not_check_routes()
        {
            var policy = Nfw();
            var l = Build(policy);
            Assert.Empty(Evaluate(policy).AllViolations);

            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.Igw));
            Assert.NotEmpty(Evaluate(policy).AllViolations);
            var off = Nfw("OFF");
            off.PolicyId = policy.PolicyId;
            Assert.Empty(Evaluate(off).AllViolations);
            var centralized = Nfw();
            centralized.SecurityServicePolicyData!.PolicyOption = new PolicyOption { NetworkFirewallPolicy = new FmsTools.Aws.Fms.NetworkFirewallPolicy { FirewallDeploymentModel = "CENTRALIZED" } };
            Assert.False(new PolicyEvaluator.NetworkFirewallSettings(centralized, ManagedServiceData.Parse(centralized.SecurityServicePolicyData.ManagedServiceData)).MonitorRoutes);
            Assert.True(new PolicyEvaluator.NetworkFirewallSettings(policy, ManagedServiceData.Parse(policy.SecurityServicePolicyData!.ManagedServiceData)).MonitorRoutes);
        }

        [Fact]
        public void Internet_traffic_straight_to_the_gateway_is_not_inspected_and_FMS_suggests_replacing_the_route()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.Igw));
            var (detail, steps) = Single(Evaluate(policy), l.SubnetA, ViolationReasonValues.InternetTrafficNotInspected);
            var v = detail.NetworkFirewallInternetTrafficNotInspectedViolation!;
            Assert.Equal((l.SubnetA.Id, "us-east-1a", l.TableA.Id, l.EndpointA, l.FirewallA.Id, l.Igw, l.GatewayTable.Id, l.Vpc.Id, false),
                (v.SubnetId, v.SubnetAvailabilityZone, v.RouteTableId, v.ExpectedFirewallEndpoint, v.FirewallSubnetId, v.InternetGatewayId, v.CurrentInternetGatewayRouteTable, v.VpcId, v.IsRouteTableUsedInDifferentAZ));
            var route = Assert.Single(v.ViolatingRoutes!);
            Assert.Equal(("IPV4", "0.0.0.0/0", "GATEWAY", l.Igw), (route.DestinationType, route.Destination, route.TargetType, route.Target));
            Assert.Equal(l.SubnetA.CidrBlock, Assert.Single(v.ExpectedInternetGatewayRoutes!).IpV4Cidr);
            var replace = Assert.Single(steps).RemediationAction!.EC2ReplaceRouteAction!;
            Assert.Equal((l.TableA.Id, "0.0.0.0/0", l.EndpointA), (replace.RouteTableId!.ResourceId, replace.DestinationCidrBlock, replace.GatewayId!.ResourceId));
        }

        [Fact]
        public void A_route_table_shared_across_zones_is_copied_reassociated_and_then_routed()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.Igw));
            l.SubnetB.RouteTableId = l.TableA.Id;
            t.World.MarkChanged();
            var evaluation = Evaluate(policy);
            Assert.Equal(new[] { l.SubnetA.Id + " INTERNET_TRAFFIC_NOT_INSPECTED", l.SubnetB.Id + " INTERNET_TRAFFIC_NOT_INSPECTED" }.OrderBy(x => x, StringComparer.Ordinal), Reasons(evaluation));
            var detail = evaluation.GetViolationDetail(t.World, A1, l.SubnetB.Id, null)!.ResourceViolations!.Single();
            Assert.True(detail.NetworkFirewallInternetTrafficNotInspectedViolation!.IsRouteTableUsedInDifferentAZ);
            var steps = detail.PossibleRemediationActions!.Actions!.Single(a => a.IsDefaultAction == true).OrderedRemediationActions!;
            Assert.Equal(new[] { 1, 2, 3 }, steps.Select(s => s.Order!.Value));
            Assert.Equal(l.TableA.Id, steps[0].RemediationAction!.EC2CopyRouteTableAction!.RouteTableId!.ResourceId);
            Assert.Equal(l.SubnetB.RouteTableAssociationId, steps[1].RemediationAction!.EC2ReplaceRouteTableAssociationAction!.AssociationId!.ResourceId);
            Assert.Equal(l.EndpointB, steps[2].RemediationAction!.EC2ReplaceRouteAction!.GatewayId!.ResourceId);
        }

        [Fact]
        public void A_subnet_routed_to_another_zones_endpoint_has_an_invalid_route_configuration()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableB, RouteEntry.To("0.0.0.0/0", l.EndpointA));
            var (detail, steps) = Single(Evaluate(policy), l.SubnetB, ViolationReasonValues.InvalidRouteConfiguration);
            var v = detail.NetworkFirewallInvalidRouteConfigurationViolation!;
            Assert.Equal((l.EndpointB, l.EndpointA, l.FirewallB.Id, l.FirewallA.Id, l.TableB.Id), (v.ExpectedFirewallEndpoint, v.ActualFirewallEndpoint, v.ExpectedFirewallSubnetId, v.ActualFirewallSubnetId, v.RouteTableId));
            Assert.Equal(new[] { l.SubnetB.Id }, v.AffectedSubnets);
            Assert.Equal(l.EndpointA, v.ViolatingRoute!.Target);
            Assert.Equal(l.EndpointB, Assert.Single(steps).RemediationAction!.EC2ReplaceRouteAction!.GatewayId!.ResourceId);
        }

        [Fact]
        public void A_black_hole_default_route_is_detected_in_workload_and_firewall_subnets()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", "vpce-0deleted000000000", RouteEntry.Blackhole));
            var (detail, steps) = Single(Evaluate(policy), l.SubnetA, ViolationReasonValues.BlackHoleRouteDetected);
            var v = detail.NetworkFirewallBlackHoleRouteDetectedViolation!;
            Assert.Equal((l.SubnetA.Id, l.TableA.Id, l.Vpc.Id, "vpce-0deleted000000000"), (v.ViolationTarget, v.RouteTableId, v.VpcId, v.ViolatingRoutes!.Single().Target));
            Assert.Equal(l.EndpointA, Assert.Single(steps).RemediationAction!.EC2ReplaceRouteAction!.GatewayId!.ResourceId);

            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.EndpointA));
            SetRoutes(l.FirewallTableA, RouteEntry.To("0.0.0.0/0", l.Igw), RouteEntry.To("192.168.0.0/16", "pcx-0gone00000000000", RouteEntry.Blackhole));
            var evaluation = Evaluate(policy);
            Assert.Equal(new[] { l.FirewallA.Id + " BLACK_HOLE_ROUTE_DETECTED_IN_FIREWALL_SUBNET" }, Reasons(evaluation));
            var delete = evaluation.GetViolationDetail(t.World, A1, l.FirewallA.Id, null)!.ResourceViolations!.Single().PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Single();
            Assert.Equal("192.168.0.0/16", delete.RemediationAction!.EC2DeleteRouteAction!.DestinationCidrBlock);
        }

        [Fact]
        public void A_route_to_an_endpoint_that_is_not_the_policy_firewalls_is_out_of_scope()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", "vpce-0customer000000000"));
            var (detail, steps) = Single(Evaluate(policy), l.SubnetA, ViolationReasonValues.RouteHasOutOfScopeEndpoint);
            var v = detail.RouteHasOutOfScopeEndpointViolation!;
            Assert.Equal((l.SubnetA.Id, l.TableA.Id, "us-east-1a", "use1-az1", l.FirewallA.Id, l.Igw), (v.SubnetId, v.RouteTableId, v.SubnetAvailabilityZone, v.SubnetAvailabilityZoneId, v.FirewallSubnetId, v.InternetGatewayId));
            Assert.Equal("vpce-0customer000000000", v.ViolatingRoutes!.Single().Target);
            Assert.Equal(l.EndpointA, Assert.Single(steps).RemediationAction!.EC2ReplaceRouteAction!.GatewayId!.ResourceId);
        }

        [Fact]
        public void Firewall_subnets_need_their_internet_route_and_no_route_back_into_an_endpoint()
        {
            var policy = Nfw();
            var l = Build(policy);
            var fwTableB = l.FirewallTableB;
            SetRoutes(fwTableB);
            SetRoutes(l.FirewallTableA, RouteEntry.To("0.0.0.0/0", l.Igw), RouteEntry.To(l.SubnetB.CidrBlock, l.EndpointB));
            var evaluation = Evaluate(policy);
            Assert.Equal(new[] { l.FirewallA.Id + " UNEXPECTED_FIREWALL_ROUTES", l.FirewallB.Id + " FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE" }.OrderBy(x => x, StringComparer.Ordinal), Reasons(evaluation));

            var unexpected = evaluation.GetViolationDetail(t.World, A1, l.FirewallA.Id, null)!.ResourceViolations!.Single();
            var u = unexpected.NetworkFirewallUnexpectedFirewallRoutesViolation!;
            Assert.Equal((l.FirewallA.Id, l.FirewallTableA.Id, l.EndpointA, l.SubnetB.CidrBlock), (u.FirewallSubnetId, u.RouteTableId, u.FirewallEndpoint, u.ViolatingRoutes!.Single().Destination));
            Assert.Equal(l.SubnetB.CidrBlock, unexpected.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Single().RemediationAction!.EC2DeleteRouteAction!.DestinationCidrBlock);

            var missing = evaluation.GetViolationDetail(t.World, A1, l.FirewallB.Id, null)!.ResourceViolations!.Single();
            var expected = missing.NetworkFirewallMissingExpectedRoutesViolation!.ExpectedRoutes!.Single();
            Assert.Equal(("0.0.0.0/0", l.Igw, fwTableB.Id), (expected.IpV4Cidr, expected.AllowedTargets!.Single(), expected.RouteTableId));
            var create = missing.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Single().RemediationAction!.EC2CreateRouteAction!;
            Assert.Equal((fwTableB.Id, "0.0.0.0/0", l.Igw), (create.RouteTableId!.ResourceId, create.DestinationCidrBlock, create.GatewayId!.ResourceId));
        }

        [Fact]
        public void A_firewall_subnet_moved_off_its_FMS_route_table_misses_the_expected_route_table()
        {
            var policy = Nfw();
            var l = Build(policy);
            var custom = t.Build.RouteTable(l.Vpc, "custom", new[] { RouteEntry.To("0.0.0.0/0", l.Igw) }, new[] { l.FirewallB });
            t.World.MarkChanged();
            var (detail, steps) = Single(Evaluate(policy), l.Vpc, ViolationReasonValues.MissingExpectedRouteTable);
            var v = detail.NetworkFirewallMissingExpectedRTViolation!;
            Assert.Equal((l.Vpc.Id, l.Vpc.Id, "us-east-1b", custom.Id, l.FirewallTableB.Id), (v.ViolationTarget, v.VPC, v.AvailabilityZone, v.CurrentRouteTable, v.ExpectedRouteTable));
            var replace = Assert.Single(steps).RemediationAction!.EC2ReplaceRouteTableAssociationAction!;
            Assert.Equal((l.FirewallB.RouteTableAssociationId, l.FirewallTableB.Id), (replace.AssociationId!.ResourceId, replace.RouteTableId!.ResourceId));
        }

        [Fact]
        public void Without_an_internet_gateway_route_table_FMS_suggests_creating_filling_and_associating_one()
        {
            var policy = Nfw();
            var l = Build(policy);
            l.GatewayTable.GatewayId = null;
            t.World.MarkChanged();
            var (detail, steps) = Single(Evaluate(policy), l.Vpc, ViolationReasonValues.InternetGatewayMissingExpectedRoute);
            var v = detail.NetworkFirewallMissingExpectedRoutesViolation!;
            Assert.Equal((l.Igw, l.Vpc.Id), (v.ViolationTarget, v.VpcId));
            Assert.Equal(new[] { l.SubnetA.CidrBlock + ">" + l.EndpointA, l.SubnetB.CidrBlock + ">" + l.EndpointB }, v.ExpectedRoutes!.Select(r => r.IpV4Cidr + ">" + r.AllowedTargets!.Single()));
            Assert.Equal(new[] { "EC2CreateRouteTableAction", "EC2CreateRouteAction", "EC2CreateRouteAction", "EC2AssociateRouteTableAction" },
                steps.OrderBy(s => s.Order).Select(s => s.RemediationAction!.EC2CreateRouteTableAction != null ? "EC2CreateRouteTableAction"
                    : s.RemediationAction.EC2CreateRouteAction != null ? "EC2CreateRouteAction" : s.RemediationAction.EC2AssociateRouteTableAction != null ? "EC2AssociateRouteTableAction" : "?"));
            Assert.Equal(new[] { l.EndpointA, l.EndpointB }.OrderBy(x => x), steps.Where(s => s.RemediationAction!.EC2CreateRouteAction != null).Select(s => s.RemediationAction!.EC2CreateRouteAction!.VpcEndpointId!.ResourceId).OrderBy(x => x));
            Assert.Equal(l.Igw, steps.Last().RemediationAction!.EC2AssociateRouteTableAction!.GatewayId!.ResourceId);
        }

        [Fact]
        public void Internet_gateway_routes_must_send_each_protected_subnet_through_its_endpoint()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.GatewayTable, RouteEntry.To(l.SubnetA.CidrBlock, "eni-0appliance00000000"));
            var evaluation = Evaluate(policy);
            Assert.Equal(new[] { l.Vpc.Id + " INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE", l.Vpc.Id + " UNEXPECTED_TARGET_GATEWAY_ROUTES" }, Reasons(evaluation));
            var details = evaluation.GetViolationDetail(t.World, A1, l.Vpc.Id, null)!.ResourceViolations!;
            var unexpected = details.Single(d => d.NetworkFirewallUnexpectedGatewayRoutesViolation != null);
            Assert.Equal((l.Igw, l.GatewayTable.Id, "NETWORK_INTERFACE"), (unexpected.NetworkFirewallUnexpectedGatewayRoutesViolation!.GatewayId, unexpected.NetworkFirewallUnexpectedGatewayRoutesViolation.RouteTableId,
                unexpected.NetworkFirewallUnexpectedGatewayRoutesViolation.ViolatingRoutes!.Single().TargetType));
            Assert.Equal(l.EndpointA, unexpected.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Single().RemediationAction!.EC2ReplaceRouteAction!.GatewayId!.ResourceId);
            var missing = details.Single(d => d.NetworkFirewallMissingExpectedRoutesViolation != null);
            Assert.Equal((l.SubnetB.CidrBlock, l.EndpointB), (missing.NetworkFirewallMissingExpectedRoutesViolation!.ExpectedRoutes!.Single().IpV4Cidr, missing.NetworkFirewallMissingExpectedRoutesViolation.ExpectedRoutes!.Single().AllowedTargets!.Single()));
            var create = missing.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Single().RemediationAction!.EC2CreateRouteAction!;
            Assert.Equal((l.GatewayTable.Id, l.SubnetB.CidrBlock, l.EndpointB), (create.RouteTableId!.ResourceId, create.DestinationCidrBlock, create.VpcEndpointId!.ResourceId));
        }

        [Fact]
        public void Nat_routed_subnets_are_not_checked_FMS_only_watches_internet_gateway_traffic()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", "nat-0abc0000000000000"));
            SetRoutes(l.GatewayTable, RouteEntry.To(l.SubnetB.CidrBlock, l.EndpointB));
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void A_zone_the_policy_leaves_without_an_endpoint_gets_a_policy_update_suggestion()
        {
            var policy = Nfw(creationConfig: ",\"firewallCreationConfig\":{\"endpointLocation\":{\"availabilityZoneConfigList\":[{\"availabilityZoneId\":null,\"availabilityZoneName\":\"us-east-1a\",\"allowedIPV4CidrList\":[]}]}}");
            var l = Build(policy);
            Assert.Null(l.FirewallB);
            var (_, steps) = Single(Evaluate(policy), l.SubnetB, ViolationReasonValues.InternetTrafficNotInspected);
            var update = Assert.Single(steps).RemediationAction!.FMSPolicyUpdateFirewallCreationConfigAction!;
            using var config = JsonDocument.Parse(update.FirewallCreationConfig!);
            Assert.Equal(new[] { "us-east-1a", "us-east-1b" }, config.RootElement.GetProperty("endpointLocation").GetProperty("availabilityZoneConfigList").EnumerateArray()
                .Select(z => z.GetProperty("availabilityZoneName").GetString()));
        }

        [Fact]
        public void The_policy_update_suggestion_is_valid_JSON_whatever_the_zone_names_in_the_policy()
        {
            // A zone name is policy text (ManagedServiceData allows quotes); the suggestion must escape it.
            const string odd = "us-east-1a \\\"x\\\"";
            var policy = Nfw(creationConfig: ",\"firewallCreationConfig\":{\"endpointLocation\":{\"availabilityZoneConfigList\":[{\"availabilityZoneId\":null,\"availabilityZoneName\":\"us-east-1a\",\"allowedIPV4CidrList\":[]},"
                + "{\"availabilityZoneId\":null,\"availabilityZoneName\":\"" + odd + "\",\"allowedIPV4CidrList\":[]}]}}");
            var l = Build(policy);
            // The odd zone has no firewall subnet either (a violation of its own); this test reads subnet B's.
            var evaluation = Evaluate(policy);
            Assert.Contains(evaluation.AllViolations, v => (v.ResourceId, v.Reason) == (l.SubnetB.ViolatorResourceId, ViolationReasonValues.InternetTrafficNotInspected));
            var detail = Assert.Single(evaluation.GetViolationDetail(t.World, A1, l.SubnetB.ViolatorResourceId, null)!.ResourceViolations!);
            var option = detail.PossibleRemediationActions!.Actions!.Single(a => a.IsDefaultAction == true);
            var update = Assert.Single(option.OrderedRemediationActions!).RemediationAction!.FMSPolicyUpdateFirewallCreationConfigAction!;
            using var config = JsonDocument.Parse(update.FirewallCreationConfig!);
            Assert.Equal(new[] { "us-east-1a", "us-east-1a \"x\"", "us-east-1b" }, config.RootElement.GetProperty("endpointLocation").GetProperty("availabilityZoneConfigList").EnumerateArray()
                .Select(z => z.GetProperty("availabilityZoneName").GetString()));
        }

        [Fact]
        public void Remediation_never_changes_routes_and_route_violations_stay_until_the_customer_fixes_them()
        {
            var policy = Nfw();
            var l = Build(policy);
            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.Igw));
            var version = t.World.Version;
            var report = PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(report.Changes);
            Assert.Equal(version, t.World.Version);
            Assert.Equal(l.Igw, l.TableA.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0").Target);
            Assert.Single(Evaluate(policy).AllViolations);
            Assert.Empty(PolicyRemediator.ApplyViolationRemediation(t.World, policy, Region, A1, l.SubnetA.Id, Now).Changes);

            SetRoutes(l.TableA, RouteEntry.To("0.0.0.0/0", l.EndpointA));
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [RequiresFact(Prerequisite.Botocore)]
        public void Every_demo_route_violation_detail_validates_against_the_botocore_model()
        {
            var model = WireConformanceTests.LoadModel("fms");
            var shapes = model["shapes"]!.AsObject();
            var output = model["operations"]!["GetViolationDetails"]!["output"]!["shape"]!.GetValue<string>();
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.NetworkFirewallPolicyName);
            var evaluation = new PolicyEvaluator().Evaluate(world, policy, "us-east-1", DemoOrganization.ReferenceTime);
            var routes = DemoOrganization.ExpectedViolations(DemoOrganization.NetworkFirewallPolicyName, "us-east-1").Where(v => !v.FmsRemediates).ToList();
            Assert.Equal(ShapeFor.Keys.Where(k => k != ViolationReasonValues.BlackHoleRouteDetectedInFirewallSubnet).OrderBy(k => k), routes.Select(r => r.ViolationReason).Distinct().OrderBy(k => k));
            Assert.Equal(12, routes.Count); // 11 in prod-eu-web, 1 in prod-data
            var problems = new List<string>();
            foreach (var route in routes)
            {
                var detail = evaluation.GetViolationDetail(world, route.AccountId, route.ResourceId, route.ResourceType)!;
                Assert.Contains(detail.ResourceViolations!, d => ShapeName(d) == ShapeFor[route.ViolationReason]);
                Assert.All(detail.ResourceViolations!, d => Assert.NotEmpty(d.PossibleRemediationActions!.Actions!));
                var wire = JsonNode.Parse(JsonSerializer.Serialize(new GetViolationDetailsResponse { ViolationDetail = detail }, AwsJson.Options))!;
                new WireConformanceTests.ModelValidator(shapes, problems, route.ResourceId + " " + route.ViolationReason).Validate(output, wire, "");
            }
            Assert.Empty(problems);
        }
    }
}
