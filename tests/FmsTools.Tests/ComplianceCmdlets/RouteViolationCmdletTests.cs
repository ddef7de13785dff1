using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.History;
using FmsTools.Tests.Host;
using FmsTools.Tests.Sandbox.Evaluation;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// Network Firewall route violations end to end: demo-network-firewall monitors routes (routeManagementAction MONITOR) and
    /// prod-eu-web's us-east-1 VPCs break them in every modelled way. Get-FmsViolation -IncludeDetail shows them as typed
    /// objects; Invoke-FmsRemediation plans the EC2 route actions FMS suggests, naming the EC2 API FmsTools lacks; the
    /// sandbox admin API breaks and fixes a route. Each test has a runspace and a demo sandbox (clock frozen) of its own.
    /// </summary>
    public sealed class RouteViolationCmdletTests : IDisposable
    {
        private const string Region = ComplianceSandbox.UsEast1;
        private const string Policy = DemoOrganization.NetworkFirewallPolicyName;
        private readonly SandboxRunspace _env = new SandboxRunspace(options: FrozenDemoRunspace.Options);

        public void Dispose() => _env.Dispose();

        // prod-eu-web's (prod-data has one more, read by the member-role tests).
        private static List<ExpectedViolation> RouteTruth() =>
            DemoOrganization.ExpectedViolations(Policy, Region).Where(v => !v.FmsRemediates && v.AccountId == DemoOrganization.ProdEuWeb).ToList();

        /// <summary>prod-eu-web's violations of the policy, also kept in <c>$violations</c>.</summary>
        private List<FmsViolation> Violations(bool detail = true)
            => _env.Run($"$violations = Get-FmsViolation -PolicyId {ComplianceSandbox.PolicyId(Policy)} -AccountId {DemoOrganization.ProdEuWeb}" + (detail ? " -IncludeDetail" : "")
                        + "; $violations").ShouldSucceed().OutputOf<FmsViolation>().ToList();

        [Fact]
        public void Get_FmsViolation_IncludeDetail_shows_each_route_violation_with_typed_routes_and_EC2_actions()
        {
            var mark = _env.Mark;
            var violations = Violations();
            Assert.Empty(_env.MutatingSince(mark));
            Assert.Equal(RouteTruth().Select(v => v.ResourceId + " " + v.ViolationReason).OrderBy(x => x, StringComparer.Ordinal),
                violations.Select(v => v.ResourceId + " " + v.Reason).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(violations, v =>
            {
                Assert.True(v.IsEnriched);
                // One detail per violation, of the reason's shape, even where the VPC has two route reasons.
                var detail = Assert.Single(v.Details);
                Assert.Equal(RouteViolationTests.ShapeFor[v.Reason], detail.Kind);
                Assert.StartsWith("vpc-", detail.VpcId);
                Assert.True(detail.ViolatingRoutes.Count > 0 || detail.ExpectedRoutes.Count > 0 || v.Reason == "MISSING_EXPECTED_ROUTE_TABLE", v.ToString());
                var option = v.DefaultRemediation;
                Assert.NotNull(option);
                Assert.False(option!.FMSCanRemediate);
                Assert.All(option.Actions, a => Assert.StartsWith("EC2", a.ActionType));
            });

            var bypass = violations.Where(v => v.Reason == "INTERNET_TRAFFIC_NOT_INSPECTED").ToList();
            Assert.Equal(2, bypass.Count);
            Assert.All(bypass, v =>
            {
                var route = Assert.Single(v.Details[0].ViolatingRoutes);
                Assert.Equal(("0.0.0.0/0", "GATEWAY"), (route.Destination, route.TargetType));
                Assert.StartsWith("igw-", route.Target);
                // The route table serves both zones: copy it, move the subnet to the copy, then point the copy at the endpoint.
                Assert.Equal(new[] { "EC2CopyRouteTableAction", "EC2ReplaceRouteTableAssociationAction", "EC2ReplaceRouteAction" },
                    v.DefaultRemediation!.Actions.Select(a => a.ActionType));
            });
            var gateway = violations.Where(v => v.Reason == "INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE").ToList();
            Assert.Equal(2, gateway.Count);
            Assert.Contains(gateway, v => v.DefaultRemediation!.Actions.Select(a => a.ActionType).SequenceEqual(new[] { "EC2CreateRouteTableAction", "EC2CreateRouteAction", "EC2AssociateRouteTableAction" }));
            Assert.Contains(gateway, v => v.DefaultRemediation!.Actions.Select(a => a.ActionType).SequenceEqual(new[] { "EC2CreateRouteAction" })
                && v.Details[0].ExpectedRoutes.Single().Destination == "10.62.4.0/24" && v.Details[0].ExpectedRoutes.Single().AllowedTargets.Single().StartsWith("vpce-", StringComparison.Ordinal));
            var unexpected = violations.Single(v => v.Reason == "UNEXPECTED_TARGET_GATEWAY_ROUTES");
            Assert.Equal(("10.62.2.0/24", "NETWORK_INTERFACE"), (unexpected.Details[0].ViolatingRoutes.Single().Destination, unexpected.Details[0].ViolatingRoutes.Single().TargetType));
            Assert.Contains("routes that bypass the firewall", unexpected.Details[0].Description);
        }

        [Fact]
        public void Invoke_FmsRemediation_WhatIf_plans_the_suggested_route_actions_and_names_the_missing_EC2_APIs()
        {
            Violations(detail: false);
            var mark = _env.Mark;
            var text = _env.Host.Text.Length;
            var results = _env.Run("$violations | Invoke-FmsRemediation -WhatIf").ShouldSucceed().OutputOf<RemediationResult>().ToList();

            Assert.Empty(_env.MutatingSince(mark));
            // Nothing FmsTools can do: nothing to ask about.
            Assert.Empty(_env.Host.WhatIfSince(text));
            Assert.Equal(RouteTruth().Select(v => v.ResourceId).Distinct().OrderBy(x => x, StringComparer.Ordinal), results.Select(r => r.ResourceId).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(results, r =>
            {
                Assert.Equal(RemediationOutcome.NotSupported, r.OutcomeValue);
                Assert.Equal(RemediationStepKind.ManualAction, r.Step.KindValue);
                Assert.Contains("ec2:", r.MissingCapability);
                Assert.Contains("-MemberRoleName", r.MissingCapability);
            });
            var shared = results.First(r => r.Step.Reason == "INTERNET_TRAFFIC_NOT_INSPECTED");
            Assert.Equal("EC2CopyRouteTableAction, EC2ReplaceRouteTableAssociationAction, EC2ReplaceRouteAction", shared.Action);
            Assert.Contains("ec2:ReplaceRouteTableAssociation", shared.MissingCapability);
            Assert.Contains("ec2:ReplaceRoute ", shared.MissingCapability);
            var loop = results.Single(r => r.Step.Reason == "UNEXPECTED_FIREWALL_ROUTES");
            Assert.Equal("EC2DeleteRouteAction", loop.Action);
            Assert.Contains("ec2:DeleteRoute", loop.MissingCapability);
            // Each VPC has two reasons: its folded result carries both reasons' actions once each (piped violations of one
            // resource with different reasons are all planned).
            var vpcs = results.Where(r => r.ResourceType == "AWS::EC2::VPC").Select(r => r.Action).OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.Equal(2, vpcs.Count);
            Assert.Equal("EC2ReplaceRouteAction, EC2CreateRouteAction", vpcs[0]);
            Assert.Equal("EC2ReplaceRouteTableAssociationAction, EC2CreateRouteTableAction, EC2CreateRouteAction, EC2AssociateRouteTableAction", vpcs[1]);
            var broken = results.Single(r => r.Action == "EC2ReplaceRouteAction, EC2CreateRouteAction");
            Assert.Equal("EC2ReplaceRouteAction, EC2CreateRouteAction", broken.Action);
        }

        [Fact]
        public void Invoke_FmsRemediation_WhatIf_gives_the_EC2_commands_of_each_blocked_step_from_the_violation_details()
        {
            var violations = Violations();
            var mark = _env.Mark;
            var host = _env.Run("$violations | Invoke-FmsRemediation -WhatIf -Verbose").ShouldSucceed();

            Assert.Empty(_env.MutatingSince(mark));
            var results = host.OutputOf<RemediationResult>().ToList();
            Assert.NotEmpty(results);
            Assert.All(results, r =>
            {
                Assert.Equal(RemediationOutcome.NotSupported, r.OutcomeValue);
                Assert.StartsWith("# Run in account " + DemoOrganization.ProdEuWeb + " (", r.AwsCliCommand);
                Assert.Contains("Region us-east-1", r.AwsCliCommand.Split('\n')[0]);
                Assert.Contains("aws ec2 ", r.AwsCliCommand);
                Assert.All(r.AwsCliCommand.Split('\n').Where(line => line.StartsWith("aws ", StringComparison.Ordinal)),
                    line => Assert.EndsWith(" --region us-east-1", line));
                Assert.NotEqual("", r.PowerShellCommand);
            });

            // The bypass route: the route table and endpoint of the violation detail appear in the commands.
            foreach (var violation in violations.Where(v => v.Reason == "INTERNET_TRAFFIC_NOT_INSPECTED"))
            {
                var result = results.Single(r => r.ResourceId == violation.ResourceId);
                var detail = violation.Details[0];
                Assert.StartsWith("rtb-", detail.RouteTableId);
                var endpoint = detail.ExpectedRoutes.SelectMany(e => e.AllowedTargets).First(t => t.StartsWith("vpce-", StringComparison.Ordinal));
                // Copy the table, move the subnet to the copy, point the copy's default route at the firewall endpoint.
                Assert.Contains("ROUTE_TABLE_ID=$(aws ec2 create-route-table --vpc-id " + detail.VpcId + " --region us-east-1 --query RouteTable.RouteTableId --output text)", result.AwsCliCommand);
                Assert.Contains("aws ec2 describe-route-tables --route-table-ids " + detail.RouteTableId + " --region us-east-1", result.AwsCliCommand);
                Assert.Contains("aws ec2 replace-route-table-association --association-id rtbassoc-", result.AwsCliCommand);
                Assert.Contains(" --route-table-id \"$ROUTE_TABLE_ID\" --region us-east-1", result.AwsCliCommand);
                Assert.Contains("aws ec2 replace-route --route-table-id \"$ROUTE_TABLE_ID\" --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id " + endpoint + " --region us-east-1", result.AwsCliCommand);
                Assert.Contains("Set-EC2Route -RouteTableId $routeTableId -DestinationCidrBlock '0.0.0.0/0' -VpcEndpointId '" + endpoint + "' -Region 'us-east-1'", result.PowerShellCommand);
            }

            // The missing gateway route: create-route in the named table to the expected firewall endpoint.
            var gateway = violations.Single(v => v.Reason == "INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE" && v.DefaultRemediation!.Actions.Count == 1);
            var expected = gateway.Details[0].ExpectedRoutes.Single();
            var gatewayResult = results.Single(r => r.ResourceId == gateway.ResourceId);
            Assert.Contains("aws ec2 create-route --route-table-id " + gateway.Details[0].RouteTableId + " --destination-cidr-block " + expected.Destination
                            + " --vpc-endpoint-id " + expected.AllowedTargets.Single() + " --region us-east-1", gatewayResult.AwsCliCommand);

            // The loop route: delete it from the route table the detail names.
            var loop = violations.Single(v => v.Reason == "UNEXPECTED_FIREWALL_ROUTES");
            var loopResult = results.Single(r => r.Step.Reason == "UNEXPECTED_FIREWALL_ROUTES");
            Assert.Contains("aws ec2 delete-route --route-table-id " + loop.Details[0].RouteTableId + " --destination-cidr-block " + loop.Details[0].ViolatingRoutes[0].Destination + " --region us-east-1",
                loopResult.AwsCliCommand);

            // -Verbose shows them too.
            Assert.Contains(host.Verbose, m => m.Contains("aws ec2 replace-route ", StringComparison.Ordinal));
        }

        [Fact]
        public void The_admin_API_breaks_and_fixes_a_route_and_compliance_follows()
        {
            var admin = new SandboxAdminClient(_env.Sandbox);
            var subnet = Assert.Single(admin.Send(HttpMethod.Get, $"resources?accountId={DemoOrganization.ProdEuWeb}&region={Region}&name=inspected-public-a").EnumerateArray());
            var vpc = Assert.Single(admin.Send(HttpMethod.Get, $"resources?accountId={DemoOrganization.ProdEuWeb}&region={Region}&name=prod-eu-web-inspected-vpc").EnumerateArray());
            var table = SandboxAdminClient.Text(subnet, "routeTableId");
            var igw = SandboxAdminClient.Text(vpc, "internetGatewayId");
            var subnetId = SandboxAdminClient.Text(subnet, "id");
            Assert.StartsWith("rtb-", table);
            Assert.StartsWith("igw-", igw);
            var before = Assert.Single(admin.Send(HttpMethod.Get, "resources?type=AWS::EC2::RouteTable&name=inspected-public-a-rt").EnumerateArray());
            var endpoint = before.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("destinationCidrBlock").GetString() == "0.0.0.0/0").GetProperty("target").GetString()!;
            Assert.DoesNotContain(Violations(detail: false), v => v.ResourceId == subnetId);

            // An engineer sends the subnet's internet traffic straight to the gateway.
            var broken = admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0", target = igw });
            Assert.Contains(broken.GetProperty("routes").EnumerateArray(), r => r.GetProperty("target").GetString() == igw);
            var violation = Assert.Single(Violations(), v => v.ResourceId == subnetId);
            Assert.Equal("INTERNET_TRAFFIC_NOT_INSPECTED", violation.Reason);
            Assert.Equal(new[] { "EC2ReplaceRouteAction" }, violation.DefaultRemediation!.Actions.Select(a => a.ActionType));
            Assert.Contains(endpoint, violation.DefaultRemediation.Actions[0].Description);

            // FMS does not put it back (MONITOR): a convergence changes nothing.
            admin.Send(HttpMethod.Post, "converge");
            Assert.Contains(Violations(detail: false), v => v.ResourceId == subnetId);

            // Fixed as FMS suggested.
            admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0", target = endpoint });
            Assert.DoesNotContain(Violations(detail: false), v => v.ResourceId == subnetId);

            // A black hole, then deleting the route altogether (a subnet without an internet route is not checked).
            admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0", target = endpoint, blackhole = true });
            Assert.Equal("BLACK_HOLE_ROUTE_DETECTED", Assert.Single(Violations(detail: false), v => v.ResourceId == subnetId).Reason);
            admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0", target = (string?)null });
            Assert.DoesNotContain(Violations(detail: false), v => v.ResourceId == subnetId);

            string Error(JsonElement e) => SandboxAdminClient.Text(e, "error");
            Assert.Contains("local route", Error(admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "10.60.0.0/16", target = igw }, 400)));
            Assert.Contains("not a route target", Error(admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0", target = "sg-0123" }, 400)));
            Assert.Contains("not an IPv4 CIDR", Error(admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0", target = igw }, 400)));
            Assert.Contains("has no route to", Error(admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = table, destinationCidrBlock = "0.0.0.0/0" }, 400)));
            Assert.Contains("is not a route table", Error(admin.Send(HttpMethod.Post, "resources/routes", new { routeTable = subnetId, destinationCidrBlock = "0.0.0.0/0", target = igw }, 400)));
        }
    }
}
