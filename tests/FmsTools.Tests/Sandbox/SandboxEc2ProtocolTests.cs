using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using World = FmsTools.Sandbox.World.World;
using FmsTools.Tests.Aws;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>
    /// The sandbox's EC2 subset on the wire: EC2's query protocol (form-encoded Action/Version, XML answers in the 2016-11-15
    /// namespace, &lt;Response&gt;&lt;Errors&gt; errors with EC2's codes), DryRun, ClientToken idempotency, pagination, and the
    /// request log's record of each call.
    /// </summary>
    public sealed class SandboxEc2ProtocolTests : IDisposable
    {
        private readonly SandboxHost _host = TestSandbox.Start(demo: true);

        public void Dispose() => _host.Dispose();

        /// <summary>The sandbox's live World (the tests' calls are sequential, so reading it between calls is safe).</summary>
        private World World => _host.ReadWorld(w => w);

        private Task<Ec2TestClient> MemberAsync() => Ec2TestClient.ForMemberAsync(_host, DemoOrganization.ProdEuWeb);

        private RouteTable Table(string name) => World.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, "us-east-1").Single(t => t.Name == name);

        [Fact]
        public async Task DescribeAnswersInTheEc2NamespaceWithTheWorldsRouteTables()
        {
            var ec2 = await MemberAsync();
            var table = Table("bypass-app-b-rt");
            var answer = await ec2.OkAsync("DescribeRouteTables", ("RouteTableId.1", table.Id));
            Assert.Equal(Ec2Answer.Ns + "DescribeRouteTablesResponse", answer.Xml.Name);
            Assert.False(string.IsNullOrEmpty(answer.Value("requestId")));
            var item = Assert.Single(answer.Items("routeTableSet"));
            var ns = Ec2Answer.Ns;
            Assert.Equal(table.Id, item.Element(ns + "routeTableId")!.Value);
            Assert.Equal(DemoOrganization.ProdEuWeb, item.Element(ns + "ownerId")!.Value);
            var routes = item.Element(ns + "routeSet")!.Elements(ns + "item").Select(r => (r.Element(ns + "destinationCidrBlock")!.Value, r.Element(ns + "gatewayId")!.Value)).ToList();
            Assert.Equal(table.Routes.Select(r => (r.DestinationCidrBlock, r.Target)), routes);
            var subnet = World.GetResources<Subnet>(DemoOrganization.ProdEuWeb, "us-east-1").Single(s => s.RouteTableId == table.Id);
            var association = Assert.Single(item.Element(ns + "associationSet")!.Elements(ns + "item"));
            Assert.Equal((subnet.RouteTableAssociationId, subnet.Id, "false"),
                (association.Element(ns + "routeTableAssociationId")!.Value, association.Element(ns + "subnetId")!.Value, association.Element(ns + "main")!.Value));
        }

        [Fact]
        public async Task FiltersSelectByVpcSubnetAndAssociation()
        {
            var ec2 = await MemberAsync();
            var table = Table("bypass-app-b-rt");
            var subnet = World.GetResources<Subnet>(DemoOrganization.ProdEuWeb, "us-east-1").Single(s => s.RouteTableId == table.Id);
            var bySubnet = await ec2.OkAsync("DescribeRouteTables", ("Filter.1.Name", "association.subnet-id"), ("Filter.1.Value.1", subnet.Id));
            Assert.Equal(new[] { table.Id }, bySubnet.Items("routeTableSet").Select(i => i.Element(Ec2Answer.Ns + "routeTableId")!.Value));
            var byVpc = await ec2.OkAsync("DescribeRouteTables", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", table.VpcId));
            Assert.Equal(World.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, "us-east-1").Count(t => t.VpcId == table.VpcId), byVpc.Items("routeTableSet").Count);
            var acls = await ec2.OkAsync("DescribeNetworkAcls", ("Filter.1.Name", "association.subnet-id"), ("Filter.1.Value.1", subnet.Id));
            Assert.Equal(subnet.NetworkAclId, Assert.Single(acls.Items("networkAclSet")).Element(Ec2Answer.Ns + "networkAclId")!.Value);
            var subnets = await ec2.OkAsync("DescribeSubnets", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", table.VpcId), ("Filter.2.Name", "availability-zone"), ("Filter.2.Value.1", "us-east-1b"));
            Assert.All(subnets.Items("subnetSet"), s => Assert.Equal("us-east-1b", s.Element(Ec2Answer.Ns + "availabilityZone")!.Value));
            Assert.NotEmpty(subnets.Items("subnetSet"));
            var bad = await ec2.FailsAsync("InvalidParameterValue", "DescribeRouteTables", ("Filter.1.Name", "no-such-filter"), ("Filter.1.Value.1", "x"));
            Assert.Equal(400, bad.Status);
        }

        [Fact]
        public async Task ErrorsUseEc2sDocumentAndCodes()
        {
            var ec2 = await MemberAsync();
            var missing = await ec2.FailsAsync("InvalidRouteTableID.NotFound", "DeleteRoute", ("RouteTableId", "rtb-0123456789abcdef0"), ("DestinationCidrBlock", "0.0.0.0/0"));
            Assert.Equal(400, missing.Status);
            Assert.Equal("Response", missing.Xml.Name.LocalName);
            Assert.False(string.IsNullOrEmpty(missing.Xml.Element("RequestID")?.Value));
            Assert.Equal("The routeTable ID 'rtb-0123456789abcdef0' does not exist", missing.ErrorMessage);
            await ec2.FailsAsync("MissingParameter", "CreateRoute", ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", "igw-0123456789abcdef0"));
            await ec2.FailsAsync("InvalidAction", "RunInstances");
            await ec2.FailsAsync("InvalidRouteTableId.Malformed", "DescribeRouteTables", ("RouteTableId.1", "subnet-0123"));
            var table = Table("bypass-app-b-rt");
            await ec2.FailsAsync("RouteAlreadyExists", "CreateRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", World.FindById<Vpc>(table.VpcId)!.InternetGatewayId!));
            await ec2.FailsAsync("InvalidRoute.NotFound", "DeleteRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", "10.200.0.0/16"));
            await ec2.FailsAsync("InvalidParameterValue", "DeleteRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", table.Routes[0].DestinationCidrBlock));
            await ec2.FailsAsync("InvalidAssociationID.NotFound", "ReplaceNetworkAclAssociation", ("AssociationId", "aclassoc-0123456789abcdef0"), ("NetworkAclId", "acl-0123456789abcdef0"));
            var acl = World.GetResources<NetworkAcl>(DemoOrganization.ProdEuWeb, "us-east-1").First(a => a.IsDefault);
            await ec2.FailsAsync("NetworkAclEntryAlreadyExists", "CreateNetworkAclEntry", ("NetworkAclId", acl.Id), ("RuleNumber", "100"), ("Protocol", "-1"),
                ("RuleAction", "allow"), ("Egress", "false"), ("CidrBlock", "0.0.0.0/0"));
            await ec2.FailsAsync("InvalidNetworkAclID.NotFound", "DeleteNetworkAclEntry", ("NetworkAclId", "acl-0123456789abcdef0"), ("RuleNumber", "100"), ("Egress", "false"));

            var unsigned = await new HttpClient().PostAsync(_host.Endpoint + "/", new StringContent("Action=DescribeVpcs&Version=2016-11-15", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
            Assert.Equal(401, (int)unsigned.StatusCode);
            Assert.Contains("<Code>MissingAuthenticationToken</Code>", await unsigned.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task DryRunAnswersDryRunOperationChangesNothingAndIsLogged()
        {
            var ec2 = await MemberAsync();
            var table = Table("bypass-app-b-rt");
            var before = table.Routes;
            var version = World.Version;
            var igw = World.FindById<Vpc>(table.VpcId)!.InternetGatewayId!;
            var answer = await ec2.FailsAsync("DryRunOperation", "ReplaceRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw), ("DryRun", "true"));
            Assert.Equal(412, answer.Status);
            Assert.Equal("Request would have succeeded, but DryRun flag is set.", answer.ErrorMessage);
            Assert.Same(before, table.Routes);
            Assert.Equal(version, World.Version);
            // DryRun checks parameters first: a call that would fail validation says so instead.
            await ec2.FailsAsync("MissingParameter", "CreateNetworkAclEntry", ("NetworkAclId", "acl-0123456789abcdef0"), ("DryRun", "true"));
            await ec2.FailsAsync("DryRunOperation", "DescribeVpcs", ("DryRun", "true"));

            var entry = _host.RequestLog.For("ReplaceRoute").Single();
            Assert.Equal(("ec2", DemoOrganization.ProdEuWeb, true, true, "DryRunOperation"), (entry.Service, entry.CallerAccount, entry.Mutating, entry.DryRun, entry.Outcome));
            await ec2.OkAsync("ReplaceRoute", ("RouteTableId", table.Id), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw));
            Assert.Equal(igw, table.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0").Target);

            // The admin API serves the same log, filtered by service and account: what a test reads to prove "no EC2 write".
            using var http = new HttpClient();
            var log = JsonNode.Parse(await http.GetStringAsync(_host.Endpoint + "/_sandbox/requests?service=ec2&account=" + DemoOrganization.ProdEuWeb + "&mutating=true"))!.AsArray();
            Assert.Equal(new[] { ("ReplaceRoute", true), ("CreateNetworkAclEntry", true), ("ReplaceRoute", false) },
                log.Select(e => (e!["operation"]!.GetValue<string>(), e["dryRun"]!.GetValue<bool>())).ToArray());
            var other = JsonNode.Parse(await http.GetStringAsync(_host.Endpoint + "/_sandbox/requests?service=ec2&account=" + DemoOrganization.ProdWeb))!.AsArray();
            Assert.Empty(other);
        }

        [Fact]
        public async Task ClientTokenMakesCreateRouteTableAndCreateNetworkAclIdempotent()
        {
            var ec2 = await MemberAsync();
            var vpc = World.FindById<Vpc>(Table("bypass-app-b-rt").VpcId)!;
            var first = await ec2.OkAsync("CreateRouteTable", ("VpcId", vpc.Id), ("ClientToken", "token-1"),
                ("TagSpecification.1.ResourceType", "route-table"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "retry-me"));
            var second = await ec2.OkAsync("CreateRouteTable", ("VpcId", vpc.Id), ("ClientToken", "token-1"));
            var ns = Ec2Answer.Ns;
            var id = first.Xml.Element(ns + "routeTable")!.Element(ns + "routeTableId")!.Value;
            Assert.Equal(id, second.Xml.Element(ns + "routeTable")!.Element(ns + "routeTableId")!.Value);
            Assert.Equal("token-1", first.Value("clientToken"));
            Assert.Single(World.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, "us-east-1"), t => t.Name == "retry-me");
            var third = await ec2.OkAsync("CreateRouteTable", ("VpcId", vpc.Id));
            Assert.NotEqual(id, third.Xml.Element(ns + "routeTable")!.Element(ns + "routeTableId")!.Value);
            var otherVpc = World.GetResources<Vpc>(DemoOrganization.ProdEuWeb, "us-east-1").First(v => v.Id != vpc.Id);
            await ec2.FailsAsync("IdempotentParameterMismatch", "CreateRouteTable", ("VpcId", otherVpc.Id), ("ClientToken", "token-1"));

            var acl = await ec2.OkAsync("CreateNetworkAcl", ("VpcId", vpc.Id), ("ClientToken", "acl-token"));
            var aclAgain = await ec2.OkAsync("CreateNetworkAcl", ("VpcId", vpc.Id), ("ClientToken", "acl-token"));
            var aclId = acl.Xml.Element(ns + "networkAcl")!.Element(ns + "networkAclId")!.Value;
            Assert.Equal(aclId, aclAgain.Xml.Element(ns + "networkAcl")!.Element(ns + "networkAclId")!.Value);
            // A new network ACL holds only the implicit deny-all entries.
            Assert.Equal(new[] { "32767", "32767" }, acl.Xml.Element(ns + "networkAcl")!.Element(ns + "entrySet")!.Elements(ns + "item").Select(e => e.Element(ns + "ruleNumber")!.Value));
        }

        [Fact]
        public async Task DescribeRouteTablesPagesWithMaxResultsAndNextToken()
        {
            var ec2 = await MemberAsync();
            var all = World.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, "us-east-1").Select(t => t.Id).OrderBy(i => i, StringComparer.Ordinal).ToList();
            Assert.True(all.Count > 5);
            var seen = new List<string>();
            string? token = null;
            var pages = 0;
            do
            {
                var members = new List<(string, string)> { ("MaxResults", "5") };
                if (token != null) members.Add(("NextToken", token));
                var page = await ec2.OkAsync("DescribeRouteTables", members.ToArray());
                var ids = page.Items("routeTableSet").Select(i => i.Element(Ec2Answer.Ns + "routeTableId")!.Value).ToList();
                Assert.True(ids.Count <= 5);
                seen.AddRange(ids);
                token = page.Value("nextToken");
                pages++;
            }
            while (token != null);
            Assert.Equal(all, seen);
            Assert.Equal((all.Count + 4) / 5, pages);
            await ec2.FailsAsync("InvalidParameterValue", "DescribeRouteTables", ("MaxResults", "4"));
            await ec2.FailsAsync("InvalidPaginationToken", "DescribeRouteTables", ("NextToken", "not-a-token"));
        }

        [RequiresFact(Prerequisite.Botocore)]
        public async Task EveryRequiredMemberOfTheModelIsRequired()
        {
            var model = WireConformanceTests.LoadModel("ec2");
            var ec2 = await MemberAsync();
            var served = new[]
            {
                "CreateRoute", "ReplaceRoute", "DeleteRoute", "CreateRouteTable", "DeleteRouteTable", "AssociateRouteTable", "DisassociateRouteTable",
                "ReplaceRouteTableAssociation", "CreateNetworkAcl", "DeleteNetworkAcl", "CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry",
                "ReplaceNetworkAclAssociation",
            };
            var values = new Dictionary<string, string>
            {
                ["RouteTableId"] = "rtb-0123456789abcdef0", ["VpcId"] = "vpc-0123456789abcdef0", ["AssociationId"] = "rtbassoc-0123456789abcdef0",
                ["NetworkAclId"] = "acl-0123456789abcdef0", ["RuleNumber"] = "10", ["Protocol"] = "-1", ["RuleAction"] = "allow", ["Egress"] = "false",
            };
            foreach (var action in served)
            {
                var input = model["operations"]![action]!["input"]!["shape"]!.GetValue<string>();
                var required = model["shapes"]![input]!["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? new List<string>();
                Assert.NotEmpty(required);
                foreach (var left in required)
                {
                    var members = required.Where(r => r != left).Select(r => (r, values[r])).Append(("DryRun", "true")).ToArray();
                    var answer = await ec2.CallAsync(action, members);
                    Assert.True(answer.ErrorCode == "MissingParameter", action + " without " + left + ": " + answer.Body);
                }
            }
        }
    }
}
