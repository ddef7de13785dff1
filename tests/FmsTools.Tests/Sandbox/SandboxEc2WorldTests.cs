using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;
using World = FmsTools.Sandbox.World.World;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>
    /// EC2 acts on the World the policy evaluator reads: running the EC2 steps FMS suggests clears route violations, a NACL
    /// change made through EC2 makes or clears NACL violations; and identity: who may assume which role, and that EC2 resources
    /// are per account.
    /// </summary>
    public sealed class SandboxEc2WorldTests : IDisposable
    {
        private static readonly string Region = "us-east-1";
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);

        public void Dispose() => _host.Dispose();

        private World World => _host.ReadWorld(w => w);

        private async Task<List<(string ResourceId, string ResourceType, string Reason)>> ViolatorsAsync(string policyName, string account)
        {
            var answer = await SigV4TestClient.Admin(_host).CallAsync("GetComplianceDetail",
                new { PolicyId = DemoOrganization.PolicyId(policyName, Region), MemberAccount = account });
            Assert.True(answer.Status == 200, answer.Body);
            return answer.Json.GetProperty("PolicyComplianceDetail").GetProperty("Violators").EnumerateArray()
                .Select(v => (v.GetProperty("ResourceId").GetString()!, v.GetProperty("ResourceType").GetString()!, v.GetProperty("ViolationReason").GetString()!)).ToList();
        }

        private static string? Id(JsonElement action, string member)
            => action.TryGetProperty(member, out var target) && target.ValueKind == JsonValueKind.Object && target.TryGetProperty("ResourceId", out var id) ? id.GetString() : null;

        private static string RouteTarget(JsonElement action) => Id(action, "VpcEndpointId") ?? Id(action, "GatewayId")!;

        private static string Text(Ec2Answer answer, params string[] path)
        {
            var element = answer.Xml;
            foreach (var name in path) element = element.Element(Ec2Answer.Ns + name)!;
            return element.Value;
        }

        /// <summary>Runs one remediation step through EC2; <paramref name="created"/> is the route table the earlier steps created.</summary>
        private static async Task RunStepAsync(Ec2TestClient ec2, JsonElement step, List<string> created)
        {
            string Table(JsonElement action) => Id(action, "RouteTableId") ?? created.Last();
            if (step.TryGetProperty("EC2CreateRouteAction", out var create))
                await ec2.OkAsync("CreateRoute", ("RouteTableId", Table(create)), ("DestinationCidrBlock", create.GetProperty("DestinationCidrBlock").GetString()!),
                    (RouteTarget(create).StartsWith("vpce-") ? "VpcEndpointId" : "GatewayId", RouteTarget(create)));
            else if (step.TryGetProperty("EC2ReplaceRouteAction", out var replace))
                await ec2.OkAsync("ReplaceRoute", ("RouteTableId", Table(replace)), ("DestinationCidrBlock", replace.GetProperty("DestinationCidrBlock").GetString()!),
                    ("GatewayId", RouteTarget(replace)));
            else if (step.TryGetProperty("EC2DeleteRouteAction", out var delete))
                await ec2.OkAsync("DeleteRoute", ("RouteTableId", Table(delete)), ("DestinationCidrBlock", delete.GetProperty("DestinationCidrBlock").GetString()!));
            else if (step.TryGetProperty("EC2CreateRouteTableAction", out var createTable))
                created.Add(Text(await ec2.OkAsync("CreateRouteTable", ("VpcId", Id(createTable, "VpcId")!)), "routeTable", "routeTableId"));
            else if (step.TryGetProperty("EC2CopyRouteTableAction", out var copy))
            {
                var source = await ec2.OkAsync("DescribeRouteTables", ("RouteTableId.1", Id(copy, "RouteTableId")!));
                var copyId = Text(await ec2.OkAsync("CreateRouteTable", ("VpcId", Id(copy, "VpcId")!)), "routeTable", "routeTableId");
                foreach (var route in source.Items("routeTableSet").Single().Element(Ec2Answer.Ns + "routeSet")!.Elements(Ec2Answer.Ns + "item"))
                {
                    var target = route.Element(Ec2Answer.Ns + "gatewayId")?.Value;
                    if (target == null || target == "local") continue;
                    await ec2.OkAsync("CreateRoute", ("RouteTableId", copyId), ("DestinationCidrBlock", route.Element(Ec2Answer.Ns + "destinationCidrBlock")!.Value), ("GatewayId", target));
                }
                created.Add(copyId);
            }
            else if (step.TryGetProperty("EC2ReplaceRouteTableAssociationAction", out var reassociate))
                await ec2.OkAsync("ReplaceRouteTableAssociation", ("AssociationId", Id(reassociate, "AssociationId")!), ("RouteTableId", Table(reassociate)));
            else if (step.TryGetProperty("EC2AssociateRouteTableAction", out var associate))
                await ec2.OkAsync("AssociateRouteTable", ("RouteTableId", Table(associate)),
                    Id(associate, "SubnetId") is string subnet ? ("SubnetId", subnet) : ("GatewayId", Id(associate, "GatewayId")!));
            else
                throw new Xunit.Sdk.XunitException("Not an EC2 step: " + step);
        }

        [Fact]
        public async Task RunningTheSuggestedEc2StepsClearsEveryRouteViolation()
        {
            var routeReasons = new HashSet<string>(Evaluation.RouteViolationTests.ShapeFor.Keys);
            var account = DemoOrganization.ProdEuWeb;
            var initial = (await ViolatorsAsync(DemoOrganization.NetworkFirewallPolicyName, account)).Where(v => routeReasons.Contains(v.Reason)).ToList();
            var documented = DemoOrganization.ExpectedViolations(DemoOrganization.NetworkFirewallPolicyName, Region).Where(v => v.AccountId == account && !v.FmsRemediates).ToList();
            Assert.Equal(documented.Select(d => (d.ResourceId, d.ViolationReason)).OrderBy(x => x), initial.Select(v => (v.ResourceId, v.Reason)).OrderBy(x => x));

            var ec2 = await Ec2TestClient.ForMemberAsync(_host, account);
            var admin = SigV4TestClient.Admin(_host);
            var policyId = DemoOrganization.PolicyId(DemoOrganization.NetworkFirewallPolicyName, Region);
            for (var round = 0; round < initial.Count * 2; round++)
            {
                var remaining = (await ViolatorsAsync(DemoOrganization.NetworkFirewallPolicyName, account)).Where(v => routeReasons.Contains(v.Reason)).ToList();
                if (remaining.Count == 0) break;
                var violator = remaining[0];
                var details = await admin.CallAsync("GetViolationDetails", new { PolicyId = policyId, MemberAccount = account, ResourceId = violator.ResourceId, ResourceType = violator.ResourceType });
                Assert.True(details.Status == 200, details.Body);
                var detail = details.Json.GetProperty("ViolationDetail").GetProperty("ResourceViolations").EnumerateArray()
                    .First(r => r.TryGetProperty("PossibleRemediationActions", out _));
                var option = detail.GetProperty("PossibleRemediationActions").GetProperty("Actions").EnumerateArray().Single(a => a.GetProperty("IsDefaultAction").GetBoolean());
                var created = new List<string>();
                foreach (var step in option.GetProperty("OrderedRemediationActions").EnumerateArray().OrderBy(s => s.GetProperty("Order").GetInt32()))
                    await RunStepAsync(ec2, step.GetProperty("RemediationAction"), created);
            }
            Assert.DoesNotContain(await ViolatorsAsync(DemoOrganization.NetworkFirewallPolicyName, account), v => routeReasons.Contains(v.Reason));
            Assert.All(_host.RequestLog.Entries.Where(e => e.Service == "ec2"), e => Assert.Equal((account, "Success"), (e.CallerAccount, e.Outcome)));
            // The violations FMS itself handles (a missing firewall in other accounts) are untouched.
            Assert.Contains(await ViolatorsAsync(DemoOrganization.NetworkFirewallPolicyName, DemoOrganization.ProdApi), v => v.Reason == ViolationReasonValues.MissingFirewall);
        }

        [Fact]
        public async Task NaclChangesThroughEc2ChangeCompliance()
        {
            var account = DemoOrganization.ProdApi;
            var acls = World.GetResources<NetworkAcl>(account, Region).ToList();
            var compliantAcl = acls.Single(a => a.Name == "prod-api-compliant-nacl");
            var subnets = World.GetResources<Subnet>(account, Region).ToList();
            var compliantSubnet = subnets.Single(s => s.NetworkAclId == compliantAcl.Id);
            var brokenSubnet = subnets.Single(s => s.NetworkAclId == acls.Single(a => a.Name == "prod-api-nacl").Id);
            Assert.DoesNotContain(await ViolatorsAsync(DemoOrganization.NetworkAclPolicyName, account), v => v.ResourceId == compliantSubnet.Id);
            Assert.Contains(await ViolatorsAsync(DemoOrganization.NetworkAclPolicyName, account), v => v.ResourceId == brokenSubnet.Id);

            var ec2 = await Ec2TestClient.ForMemberAsync(_host, account);
            // Deleting the policy's last entry makes the compliant subnet a violator.
            await ec2.OkAsync("DeleteNetworkAclEntry", ("NetworkAclId", compliantAcl.Id), ("RuleNumber", "32766"), ("Egress", "false"));
            Assert.Contains(await ViolatorsAsync(DemoOrganization.NetworkAclPolicyName, account),
                v => v.ResourceId == compliantSubnet.Id && v.Reason == ViolationReasonValues.InvalidNetworkAclEntry);
            // Putting it back clears it.
            await ec2.OkAsync("CreateNetworkAclEntry", ("NetworkAclId", compliantAcl.Id), ("RuleNumber", "32766"), ("Protocol", "-1"), ("RuleAction", "allow"),
                ("Egress", "false"), ("CidrBlock", "10.0.0.0/8"));
            Assert.DoesNotContain(await ViolatorsAsync(DemoOrganization.NetworkAclPolicyName, account), v => v.ResourceId == compliantSubnet.Id);
            // Moving the broken subnet onto the compliant NACL clears its violation.
            var association = brokenSubnet.NetworkAclAssociationId;
            var moved = await ec2.OkAsync("ReplaceNetworkAclAssociation", ("AssociationId", association), ("NetworkAclId", compliantAcl.Id));
            Assert.StartsWith("aclassoc-", moved.Value("newAssociationId"));
            Assert.DoesNotContain(await ViolatorsAsync(DemoOrganization.NetworkAclPolicyName, account), v => v.ResourceId == brokenSubnet.Id);
            // The old association id is gone; the new one is what DescribeNetworkAcls reports.
            await ec2.FailsAsync("InvalidAssociationID.NotFound", "ReplaceNetworkAclAssociation", ("AssociationId", association), ("NetworkAclId", compliantAcl.Id));
            var described = await ec2.OkAsync("DescribeNetworkAcls", ("Filter.1.Name", "association.subnet-id"), ("Filter.1.Value.1", brokenSubnet.Id));
            Assert.Contains(moved.Value("newAssociationId")!, described.Body);
        }

        [Fact]
        public async Task OrganizationAccountAccessRoleExistsWhereOrganizationsCreatesIt()
        {
            var management = SigV4TestClient.Management(_host);
            Assert.Equal(200, (await Ec2TestClient.AssumeAsync(management, DemoOrganization.ProdEuWeb, "OrganizationAccountAccessRole")).Status);
            // dev-team-b was invited, and its owners created the role; prod-data was invited and has none.
            Assert.Equal(200, (await Ec2TestClient.AssumeAsync(management, DemoOrganization.DevTeamB, "OrganizationAccountAccessRole")).Status);
            var denied = await Ec2TestClient.AssumeAsync(management, DemoOrganization.ProdData, "OrganizationAccountAccessRole");
            Assert.Equal(403, denied.Status);
            Assert.Contains("<Code>AccessDenied</Code>", denied.Body);
            Assert.Contains("is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + DemoOrganization.ProdData + ":role/OrganizationAccountAccessRole", denied.Body);
            Assert.Equal(403, (await Ec2TestClient.AssumeAsync(management, DemoOrganization.ProdEuWeb, "NoSuchRole")).Status);
            // The management account has no OrganizationAccountAccessRole of its own.
            Assert.Equal(403, (await Ec2TestClient.AssumeAsync(management, DemoOrganization.ManagementAccountId, "OrganizationAccountAccessRole")).Status);
            // The FMS administrator may assume it too; another member account may not.
            Assert.Equal(200, (await Ec2TestClient.AssumeAsync(SigV4TestClient.Admin(_host), DemoOrganization.ProdEuWeb, "OrganizationAccountAccessRole")).Status);
            _host.AddCredential(new SandboxCredential("AKIAPRODWEBEC2TEST01", "prod-web-ec2-secret", DemoOrganization.ProdWeb));
            var prodWeb = new SigV4TestClient(_host.Endpoint, "AKIAPRODWEBEC2TEST01", "prod-web-ec2-secret");
            Assert.Equal(403, (await Ec2TestClient.AssumeAsync(prodWeb, DemoOrganization.ProdEuWeb, "OrganizationAccountAccessRole")).Status);
        }

        [Fact]
        public async Task Ec2ResourcesBelongToTheirAccount()
        {
            var table = World.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, Region).First(t => t.Name == "bypass-app-b-rt");
            var routes = table.Routes;
            var admin = new Ec2TestClient(SigV4TestClient.Admin(_host));
            await admin.FailsAsync("InvalidRouteTableID.NotFound", "DescribeRouteTables", ("RouteTableId.1", table.Id));
            await admin.FailsAsync("InvalidRouteTableID.NotFound", "DeleteRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", "0.0.0.0/0"));
            Assert.Same(routes, table.Routes);
            var own = await admin.OkAsync("DescribeVpcs");
            Assert.All(own.Items("vpcSet"), v => Assert.Equal(_host.AdminAccountId, v.Element(Ec2Answer.Ns + "ownerId")!.Value));
            Assert.NotEmpty(own.Items("vpcSet"));
            // The same table in another region of its own account is not there either.
            var member = await Ec2TestClient.ForMemberAsync(_host, DemoOrganization.ProdEuWeb, "eu-west-1");
            await member.FailsAsync("InvalidRouteTableID.NotFound", "DescribeRouteTables", ("RouteTableId.1", table.Id));
            // Keys of an account outside the organization: UnauthorizedOperation.
            _host.AddCredential(new SandboxCredential("AKIAOUTSIDEREC2TEST1", "outsider-secret", "999999999999"));
            var outsider = new Ec2TestClient(new SigV4TestClient(_host.Endpoint, "AKIAOUTSIDEREC2TEST1", "outsider-secret"));
            Assert.Equal(403, (await outsider.FailsAsync("UnauthorizedOperation", "DescribeRouteTables")).Status);
        }
    }
}
