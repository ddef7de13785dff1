using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Remediation;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>
    /// The generated aws CLI commands, run by bash through the real aws CLI against an endpoint nothing listens on: the CLI
    /// must accept every subcommand and flag (its argument parser, built from botocore's ec2 model, plus its customisations
    /// such as --ingress) and build the request with the values intact, hostile ones included, before the connection fails.
    /// Nothing reaches AWS. Skipped without bash and the aws CLI unless FMSTOOLS_REQUIRE_CONFORMANCE=1.
    /// </summary>
    public sealed class Ec2CommandCliConformanceTests
    {
        private static ActionTarget T(string id) => new ActionTarget { ResourceId = id };

        /// <summary>Runs the command lines (a route table variable set first) and returns the CLI's debug output.</summary>
        private static string RunThroughCli(IEnumerable<string> lines)
        {
            var script = "ROUTE_TABLE_ID=rtb-new\n";
            foreach (var line in lines.Where(l => !l.StartsWith("#", StringComparison.Ordinal)))
            {
                var command = line.StartsWith("ROUTE_TABLE_ID=$(", StringComparison.Ordinal) ? line.Substring("ROUTE_TABLE_ID=$(".Length).TrimEnd(')') : line;
                Assert.StartsWith("aws ec2 ", command);
                script += command + " --endpoint-url http://127.0.0.1:9 --debug 2>&1 | grep -F 'Making request for OperationModel'\n";
            }
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.Environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
            psi.Environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
            psi.Environment["AWS_RETRY_MODE"] = "standard";
            psi.Environment["AWS_CONFIG_FILE"] = "/dev/null";
            psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
            psi.Environment.Remove("AWS_PROFILE");
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120000), "the aws CLI did not finish");
            return stdout.Result + stderr.Result;
        }

        private static void AssertRequests(RemediationAction action, params string[] expectedFragments)
        {
            var commands = Ec2CommandBuilder.Build(action, "us-east-1");
            Assert.NotNull(commands);
            var output = RunThroughCli(commands!.AwsCli);
            foreach (var fragment in expectedFragments) Assert.Contains(fragment, output);
        }

        [RequiresFact(Prerequisite.Tools, "aws")]
        public void Route_commands_parse_and_build_the_expected_requests()
        {
            AssertRequests(new RemediationAction { EC2ReplaceRouteAction = new EC2ReplaceRouteAction { RouteTableId = T("rtb-0a1"), DestinationCidrBlock = "0.0.0.0/0", GatewayId = T("vpce-0b2") } },
                "OperationModel(name=ReplaceRoute)", "'RouteTableId': 'rtb-0a1'", "'DestinationCidrBlock': '0.0.0.0/0'", "'VpcEndpointId': 'vpce-0b2'");
            AssertRequests(new RemediationAction { EC2CreateRouteAction = new EC2CreateRouteAction { RouteTableId = T("rtb-2"), DestinationIpv6CidrBlock = "::/0", GatewayId = T("igw-5") } },
                "OperationModel(name=CreateRoute)", "'RouteTableId': 'rtb-2'", "'DestinationIpv6CidrBlock': '::/0'", "'GatewayId': 'igw-5'");
            AssertRequests(new RemediationAction { EC2CreateRouteAction = new EC2CreateRouteAction { RouteTableId = T("rtb-2"), DestinationPrefixListId = "pl-1", GatewayId = T("nat-5") } },
                "OperationModel(name=CreateRoute)", "'DestinationPrefixListId': 'pl-1'", "'NatGatewayId': 'nat-5'");
            AssertRequests(new RemediationAction { EC2DeleteRouteAction = new EC2DeleteRouteAction { RouteTableId = T("rtb-3"), DestinationCidrBlock = "10.62.2.0/24" } },
                "OperationModel(name=DeleteRoute)", "'RouteTableId': 'rtb-3'", "'DestinationCidrBlock': '10.62.2.0/24'");
            AssertRequests(new RemediationAction { EC2CopyRouteTableAction = new EC2CopyRouteTableAction { VpcId = T("vpc-7"), RouteTableId = T("rtb-7") } },
                "OperationModel(name=CreateRouteTable)", "'VpcId': 'vpc-7'", "OperationModel(name=DescribeRouteTables)", "'RouteTableId.1': 'rtb-7'");
            AssertRequests(new RemediationAction { EC2CreateRouteTableAction = new EC2CreateRouteTableAction { VpcId = T("vpc-8") } },
                "OperationModel(name=CreateRouteTable)", "'VpcId': 'vpc-8'");
            AssertRequests(new RemediationAction { EC2ReplaceRouteTableAssociationAction = new EC2ReplaceRouteTableAssociationAction { AssociationId = T("rtbassoc-4"), RouteTableId = new ActionTarget() } },
                "OperationModel(name=ReplaceRouteTableAssociation)", "'AssociationId': 'rtbassoc-4'", "'RouteTableId': 'rtb-new'");
            AssertRequests(new RemediationAction { EC2AssociateRouteTableAction = new EC2AssociateRouteTableAction { RouteTableId = T("rtb-5"), SubnetId = T("subnet-5") } },
                "OperationModel(name=AssociateRouteTable)", "'RouteTableId': 'rtb-5'", "'SubnetId': 'subnet-5'");
        }

        [RequiresFact(Prerequisite.Tools, "aws")]
        public void Network_acl_commands_parse_and_build_the_expected_requests()
        {
            AssertRequests(new RemediationAction { CreateNetworkAclAction = new CreateNetworkAclAction { Vpc = T("vpc-9") } },
                "OperationModel(name=CreateNetworkAcl)", "'VpcId': 'vpc-9'");
            AssertRequests(new RemediationAction { ReplaceNetworkAclAssociationAction = new ReplaceNetworkAclAssociationAction { AssociationId = T("aclassoc-9"), NetworkAclId = T("acl-9") } },
                "OperationModel(name=ReplaceNetworkAclAssociation)", "'AssociationId': 'aclassoc-9'", "'NetworkAclId': 'acl-9'");
            AssertRequests(new RemediationAction
                {
                    CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction
                    {
                        NetworkAclId = T("acl-1"),
                        NetworkAclEntriesToBeCreated = new List<EntryDescription>
                        {
                            new EntryDescription { EntryRuleNumber = 100, EntryDetail = new NetworkAclEntry
                                { Protocol = "6", RuleAction = "allow", Egress = false, CidrBlock = "10.0.0.0/8", PortRange = new NetworkAclPortRange { From = 443, To = 443 } } },
                            new EntryDescription { EntryRuleNumber = 32000, EntryDetail = new NetworkAclEntry
                                { Protocol = "-1", RuleAction = "deny", Egress = true, Ipv6CidrBlock = "::/0", IcmpTypeCode = new NetworkAclIcmpTypeCode { Code = -1, Type = -1 } } },
                        },
                    },
                },
                "'NetworkAclId': 'acl-1'", "'RuleNumber': 100", "'Protocol': '6'", "'RuleAction': 'allow'", "'Egress': 'false'", "'CidrBlock': '10.0.0.0/8'", "'PortRange.From': 443", "'PortRange.To': 443",
                "'RuleNumber': 32000", "'Protocol': '-1'", "'RuleAction': 'deny'", "'Egress': 'true'", "'Ipv6CidrBlock': '::/0'", "'Icmp.Code': -1", "'Icmp.Type': -1");
            AssertRequests(new RemediationAction
                {
                    DeleteNetworkAclEntriesAction = new DeleteNetworkAclEntriesAction
                    {
                        NetworkAclId = T("acl-2"),
                        NetworkAclEntriesToBeDeleted = new List<EntryDescription> { new EntryDescription { EntryRuleNumber = 90, EntryDetail = new NetworkAclEntry { Egress = false } } },
                    },
                },
                "OperationModel(name=DeleteNetworkAclEntry)", "'NetworkAclId': 'acl-2'", "'RuleNumber': 90", "'Egress': 'false'");
        }

        [RequiresFact(Prerequisite.Tools, "aws")]
        public void Hostile_values_reach_the_request_unchanged_through_bash()
        {
            var marker = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fmstools-quoting-" + Guid.NewGuid().ToString("N"));
            AssertRequests(new RemediationAction
                {
                    EC2ReplaceRouteAction = new EC2ReplaceRouteAction
                    {
                        RouteTableId = T("rtb-1'; touch " + marker + "a #"), DestinationCidrBlock = "--debug",
                        GatewayId = T("vpce-$(touch " + marker + "b) `touch " + marker + "c` \"q\""),
                    },
                },
                "OperationModel(name=ReplaceRoute)",
                "'RouteTableId': \"rtb-1'; touch " + marker + "a #\"", "'DestinationCidrBlock': '--debug'",
                "'VpcEndpointId': 'vpce-$(touch " + marker + "b) `touch " + marker + "c` \"q\"'");
            foreach (var suffix in new[] { "a", "b", "c" }) Assert.False(System.IO.File.Exists(marker + suffix), "a value ran as a command");
        }
    }
}
