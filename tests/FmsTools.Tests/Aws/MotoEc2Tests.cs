using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Ec2;
using FmsTools.Aws.Runtime;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>The EC2 client (real AWSSDK.EC2 calls) in a member account reached through sts:AssumeRole, against moto.</summary>
    public class MotoEc2Tests : IClassFixture<MotoServerFixture>
    {
        private const string Member = "333344445555";
        private readonly MotoServerFixture _moto;

        public MotoEc2Tests(MotoServerFixture moto) { _moto = moto; }

        private sealed class Calls : IAwsCallObserver
        {
            public List<AwsCallRecord> Records { get; } = new List<AwsCallRecord>();
            public void OnCall(AwsCallRecord call) { lock (Records) Records.Add(call); }
        }

        private AwsSession Session(Calls calls)
        {
            var options = AwsTestSupport.IsolatedOptions();
            options.Region = "us-east-1";
            options.EndpointUrl = _moto.Url;
            options.AccessKey = "testing";
            options.SecretKey = "testing";
            options.Observer = calls;
            return AwsSessionFactory.Create(options);
        }

        /// <summary>An internet gateway attached to the VPC, made with the SDK directly (IEc2Client carries no such call).</summary>
        private async Task<string> InternetGatewayAsync(AwsSession member, string vpcId)
        {
            using var raw = new Amazon.EC2.AmazonEC2Client(member.Credentials, new Amazon.EC2.AmazonEC2Config { ServiceURL = _moto.Url, AuthenticationRegion = "us-east-1" });
            var igw = (await raw.CreateInternetGatewayAsync(new Amazon.EC2.Model.CreateInternetGatewayRequest())).InternetGateway.InternetGatewayId;
            await raw.AttachInternetGatewayAsync(new Amazon.EC2.Model.AttachInternetGatewayRequest { InternetGatewayId = igw, VpcId = vpcId });
            return igw;
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Route_tables_and_routes_are_changed_in_the_member_account_through_the_assumed_role()
        {
            var calls = new Calls();
            using var session = Session(calls);
            var member = await session.ForAccountAsync(Member, "FmsToolsRemediation", "external-1", CancellationToken.None);
            Assert.Same(member, await session.ForAccountAsync(Member, "FmsToolsRemediation", "external-1", CancellationToken.None));
            Assert.Equal(Member, (await member.Sts.GetCallerIdentityAsync()).Account);

            var tables = await member.Ec2.DescribeRouteTablesAsync(null);
            var main = tables.First(t => t.Associations.Any(a => a.Main));
            var vpc = main.VpcId;
            Assert.StartsWith("vpc-", vpc);
            Assert.Contains(main.Routes, r => r.DestinationCidrBlock != null && r.Target == "local");

            var igw = await InternetGatewayAsync(member, vpc);
            var created = await member.Ec2.CreateRouteTableAsync(vpc, "token-" + Guid.NewGuid().ToString("N"));
            Assert.StartsWith("rtb-", created);
            await member.Ec2.CreateRouteAsync(new Ec2RouteSpec { RouteTableId = created, DestinationCidrBlock = "0.0.0.0/0", Target = igw });
            var read = (await member.Ec2.DescribeRouteTablesAsync(new[] { created })).Single();
            var route = read.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0");
            Assert.Equal(igw, route.Target);
            Assert.Equal("GatewayId", route.TargetMember);
            Assert.Equal("CreateRoute", route.Origin);

            // The main table's association moves to the new table and back.
            var mainAssociation = main.Associations.First(a => a.Main).AssociationId;
            var moved = await member.Ec2.ReplaceRouteTableAssociationAsync(mainAssociation, created);
            var byAssociation = await member.Ec2.DescribeRouteTablesAsync(null, "association.route-table-association-id", moved);
            Assert.Equal(created, byAssociation.Single().RouteTableId);
            await member.Ec2.ReplaceRouteTableAssociationAsync(moved, main.RouteTableId);

            await member.Ec2.DeleteRouteAsync(new Ec2RouteSpec { RouteTableId = created, DestinationCidrBlock = "0.0.0.0/0" });
            Assert.DoesNotContain((await member.Ec2.DescribeRouteTablesAsync(new[] { created })).Single().Routes, r => r.DestinationCidrBlock == "0.0.0.0/0");
            await member.Ec2.DeleteRouteTableAsync(created);

            // EC2's error code and message come through; the call went to the configured endpoint and is recorded.
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => member.Ec2.CreateRouteAsync(
                new Ec2RouteSpec { RouteTableId = main.RouteTableId, DestinationCidrBlock = "10.99.0.0/16", Target = "igw-0123456789abcdef0" }));
            Assert.Equal("InvalidInternetGatewayID.NotFound", error.ErrorCode);
            Assert.Equal("CreateRoute", error.Operation);
            lock (calls.Records)
            {
                Assert.Contains(calls.Records, c => c.Service == "STS" && c.Operation == "AssumeRole");
                var ec2 = calls.Records.Where(c => c.Service == "EC2").ToList();
                Assert.Contains(ec2, c => c.Operation == "CreateRoute" && c.ErrorCode == "InvalidInternetGatewayID.NotFound");
                Assert.All(ec2, c => Assert.StartsWith(_moto.Url, c.Endpoint));
            }
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Network_acls_entries_and_associations_are_changed_in_the_member_account()
        {
            using var session = Session(new Calls());
            var member = await session.ForAccountAsync(Member, "FmsToolsRemediation", null, CancellationToken.None);
            var acls = await member.Ec2.DescribeNetworkAclsAsync(null);
            var original = acls.First(a => a.Associations.Count > 0);
            var association = original.Associations[0];

            var acl = await member.Ec2.CreateNetworkAclAsync(original.VpcId, "token-" + Guid.NewGuid().ToString("N"));
            Assert.StartsWith("acl-", acl);
            var entry = new Ec2NetworkAclEntry { RuleNumber = 100, Egress = false, Protocol = "6", RuleAction = "deny", CidrBlock = "198.51.100.0/24", PortFrom = 22, PortTo = 22 };
            await member.Ec2.CreateNetworkAclEntryAsync(acl, entry);
            var read = (await member.Ec2.DescribeNetworkAclsAsync(new[] { acl })).Single();
            var stored = read.Entries.Single(e => e.RuleNumber == 100 && !e.Egress);
            Assert.Equal("deny", stored.RuleAction);
            Assert.Equal("198.51.100.0/24", stored.CidrBlock);
            Assert.Equal(22, stored.PortFrom);

            var moved = await member.Ec2.ReplaceNetworkAclAssociationAsync(association.AssociationId, acl);
            var found = await member.Ec2.DescribeNetworkAclsAsync(null, "association.association-id", moved);
            Assert.Equal(acl, found.Single().NetworkAclId);
            await member.Ec2.ReplaceNetworkAclAssociationAsync(moved, original.NetworkAclId);

            await member.Ec2.DeleteNetworkAclEntryAsync(acl, 100, false);
            Assert.DoesNotContain((await member.Ec2.DescribeNetworkAclsAsync(new[] { acl })).Single().Entries, e => e.RuleNumber == 100 && !e.Egress);
            await member.Ec2.DeleteNetworkAclAsync(acl);
        }
    }
}
