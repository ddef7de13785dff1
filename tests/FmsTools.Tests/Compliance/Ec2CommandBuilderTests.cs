using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>
    /// The EC2 commands for the actions FMS suggests but only EC2 can perform. Expected strings are written by hand from the
    /// aws CLI reference (aws ec2 replace-route ... --vpc-endpoint-id; create-network-acl-entry --ingress --port-range From=,To=)
    /// and the AWS.Tools.EC2 reference (Set-EC2Route, Register-EC2RouteTable, New-EC2NetworkAclEntry -PortRange_From ...).
    /// </summary>
    public class Ec2CommandBuilderTests
    {
        private const string Region = "us-east-1";

        private static ActionTarget T(string id) => new ActionTarget { ResourceId = id, Description = "d" };

        private static Ec2Commands Build(RemediationAction action) => Assert.IsType<Ec2Commands>(Ec2CommandBuilder.Build(action, Region));

        [Fact]
        public void Replace_route_to_a_firewall_endpoint_uses_vpc_endpoint_id()
        {
            var commands = Build(new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction { RouteTableId = T("rtb-0a1"), DestinationCidrBlock = "0.0.0.0/0", GatewayId = T("vpce-0b2") },
            });
            Assert.Equal(new[] { "aws ec2 replace-route --route-table-id rtb-0a1 --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id vpce-0b2 --region us-east-1" }, commands.AwsCli);
            Assert.Equal(new[] { "Set-EC2Route -RouteTableId 'rtb-0a1' -DestinationCidrBlock '0.0.0.0/0' -VpcEndpointId 'vpce-0b2' -Region 'us-east-1'" }, commands.PowerShell);
        }

        [Fact]
        public void Replace_route_to_an_internet_gateway_uses_gateway_id_and_ipv6_destination()
        {
            var commands = Build(new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction { RouteTableId = T("rtb-1"), DestinationIpv6CidrBlock = "::/0", GatewayId = T("igw-9") },
            });
            Assert.Equal("aws ec2 replace-route --route-table-id rtb-1 --destination-ipv6-cidr-block ::/0 --gateway-id igw-9 --region us-east-1", commands.AwsCli.Single());
            Assert.Equal("Set-EC2Route -RouteTableId 'rtb-1' -DestinationIpv6CidrBlock '::/0' -GatewayId 'igw-9' -Region 'us-east-1'", commands.PowerShell.Single());
        }

        [Fact]
        public void Create_route_takes_the_vpc_endpoint_member_or_a_nat_gateway_and_a_prefix_list()
        {
            var toEndpoint = Build(new RemediationAction
            {
                EC2CreateRouteAction = new EC2CreateRouteAction { RouteTableId = T("rtb-2"), DestinationCidrBlock = "10.62.4.0/24", VpcEndpointId = T("vpce-7") },
            });
            Assert.Equal("aws ec2 create-route --route-table-id rtb-2 --destination-cidr-block 10.62.4.0/24 --vpc-endpoint-id vpce-7 --region us-east-1", toEndpoint.AwsCli.Single());
            Assert.Equal("New-EC2Route -RouteTableId 'rtb-2' -DestinationCidrBlock '10.62.4.0/24' -VpcEndpointId 'vpce-7' -Region 'us-east-1'", toEndpoint.PowerShell.Single());

            var toNat = Build(new RemediationAction
            {
                EC2CreateRouteAction = new EC2CreateRouteAction { RouteTableId = T("rtb-2"), DestinationPrefixListId = "pl-63a5400a", GatewayId = T("nat-5") },
            });
            Assert.Equal("aws ec2 create-route --route-table-id rtb-2 --destination-prefix-list-id pl-63a5400a --nat-gateway-id nat-5 --region us-east-1", toNat.AwsCli.Single());
            Assert.Equal("New-EC2Route -RouteTableId 'rtb-2' -DestinationPrefixListId 'pl-63a5400a' -NatGatewayId 'nat-5' -Region 'us-east-1'", toNat.PowerShell.Single());
        }

        [Fact]
        public void Delete_route()
        {
            var commands = Build(new RemediationAction
            {
                EC2DeleteRouteAction = new EC2DeleteRouteAction { RouteTableId = T("rtb-3"), DestinationCidrBlock = "10.62.2.0/24" },
            });
            Assert.Equal("aws ec2 delete-route --route-table-id rtb-3 --destination-cidr-block 10.62.2.0/24 --region us-east-1", commands.AwsCli.Single());
            Assert.Equal("Remove-EC2Route -RouteTableId 'rtb-3' -DestinationCidrBlock '10.62.2.0/24' -Region 'us-east-1'", commands.PowerShell.Single());
        }

        [Fact]
        public void Route_table_associations()
        {
            var replace = Build(new RemediationAction
            {
                EC2ReplaceRouteTableAssociationAction = new EC2ReplaceRouteTableAssociationAction { AssociationId = T("rtbassoc-4"), RouteTableId = T("rtb-4") },
            });
            Assert.Equal("aws ec2 replace-route-table-association --association-id rtbassoc-4 --route-table-id rtb-4 --region us-east-1", replace.AwsCli.Single());
            Assert.Equal("Set-EC2RouteTableAssociation -AssociationId 'rtbassoc-4' -RouteTableId 'rtb-4' -Region 'us-east-1'", replace.PowerShell.Single());

            var subnet = Build(new RemediationAction
            {
                EC2AssociateRouteTableAction = new EC2AssociateRouteTableAction { RouteTableId = T("rtb-5"), SubnetId = T("subnet-5") },
            });
            Assert.Equal("aws ec2 associate-route-table --route-table-id rtb-5 --subnet-id subnet-5 --region us-east-1", subnet.AwsCli.Single());
            Assert.Equal("Register-EC2RouteTable -RouteTableId 'rtb-5' -SubnetId 'subnet-5' -Region 'us-east-1'", subnet.PowerShell.Single());

            var gateway = Build(new RemediationAction
            {
                EC2AssociateRouteTableAction = new EC2AssociateRouteTableAction { RouteTableId = T("rtb-6"), GatewayId = T("igw-6") },
            });
            Assert.Equal("aws ec2 associate-route-table --route-table-id rtb-6 --gateway-id igw-6 --region us-east-1", gateway.AwsCli.Single());
            Assert.Equal("Register-EC2RouteTable -RouteTableId 'rtb-6' -GatewayId 'igw-6' -Region 'us-east-1'", gateway.PowerShell.Single());
        }

        [Fact]
        public void Creating_or_copying_a_route_table_keeps_its_id_for_the_steps_that_name_no_table()
        {
            var create = Build(new RemediationAction { EC2CreateRouteTableAction = new EC2CreateRouteTableAction { VpcId = T("vpc-7") } });
            Assert.Equal("ROUTE_TABLE_ID=$(aws ec2 create-route-table --vpc-id vpc-7 --region us-east-1 --query RouteTable.RouteTableId --output text)", create.AwsCli.Single());
            // New-EC2RouteTable could not be confirmed in the AWS.Tools reference: the PowerShell form says to use the CLI.
            Assert.Equal(Ec2CommandBuilder.NoPowerShellForm, create.PowerShell[0]);

            var copy = Build(new RemediationAction { EC2CopyRouteTableAction = new EC2CopyRouteTableAction { VpcId = T("vpc-7"), RouteTableId = T("rtb-7") } });
            Assert.Equal(3, copy.AwsCli.Count);
            Assert.Equal("ROUTE_TABLE_ID=$(aws ec2 create-route-table --vpc-id vpc-7 --region us-east-1 --query RouteTable.RouteTableId --output text)", copy.AwsCli[0]);
            Assert.StartsWith("# EC2 has no copy operation: recreate each route of rtb-7", copy.AwsCli[1]);
            Assert.Equal("aws ec2 describe-route-tables --route-table-ids rtb-7 --region us-east-1", copy.AwsCli[2]);

            // FMS leaves RouteTableId empty where the table is the one an earlier step creates.
            var later = Build(new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction { RouteTableId = new ActionTarget { Description = "The copied route table" }, DestinationCidrBlock = "0.0.0.0/0", GatewayId = T("vpce-8") },
            });
            Assert.Equal("aws ec2 replace-route --route-table-id \"$ROUTE_TABLE_ID\" --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id vpce-8 --region us-east-1", later.AwsCli.Single());
            Assert.Equal("Set-EC2Route -RouteTableId $routeTableId -DestinationCidrBlock '0.0.0.0/0' -VpcEndpointId 'vpce-8' -Region 'us-east-1'", later.PowerShell.Single());
        }

        [Fact]
        public void Network_acl_and_its_association()
        {
            var acl = Build(new RemediationAction { CreateNetworkAclAction = new CreateNetworkAclAction { Vpc = T("vpc-9") } });
            Assert.Equal("aws ec2 create-network-acl --vpc-id vpc-9 --region us-east-1", acl.AwsCli.Single());
            Assert.Equal("New-EC2NetworkAcl -VpcId 'vpc-9' -Region 'us-east-1'", acl.PowerShell.Single());

            var association = Build(new RemediationAction
            {
                ReplaceNetworkAclAssociationAction = new ReplaceNetworkAclAssociationAction { AssociationId = T("aclassoc-9"), NetworkAclId = T("acl-9") },
            });
            Assert.Equal("aws ec2 replace-network-acl-association --association-id aclassoc-9 --network-acl-id acl-9 --region us-east-1", association.AwsCli.Single());
            Assert.Equal(Ec2CommandBuilder.NoPowerShellForm, association.PowerShell.Single());
        }

        [Fact]
        public void Network_acl_entries_one_command_each()
        {
            var create = Build(new RemediationAction
            {
                CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction
                {
                    NetworkAclId = T("acl-1"),
                    NetworkAclEntriesToBeCreated = new List<EntryDescription>
                    {
                        new EntryDescription { EntryRuleNumber = 100, EntryType = "FMS_MANAGED_FIRST_ENTRY", EntryDetail = new NetworkAclEntry
                            { Protocol = "6", RuleAction = "allow", Egress = false, CidrBlock = "10.0.0.0/8", PortRange = new NetworkAclPortRange { From = 443, To = 443 } } },
                        new EntryDescription { EntryRuleNumber = 32000, EntryType = "FMS_MANAGED_LAST_ENTRY", EntryDetail = new NetworkAclEntry
                            { Protocol = "1", RuleAction = "deny", Egress = true, Ipv6CidrBlock = "::/0", IcmpTypeCode = new NetworkAclIcmpTypeCode { Code = -1, Type = -1 } } },
                        new EntryDescription { EntryRuleNumber = 200, EntryDetail = new NetworkAclEntry { Protocol = "-1", RuleAction = "deny", Egress = false, CidrBlock = "0.0.0.0/0" } },
                    },
                },
            });
            Assert.Equal(new[]
            {
                "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 100 --protocol 6 --rule-action allow --ingress --cidr-block 10.0.0.0/8 --port-range From=443,To=443 --region us-east-1",
                "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 32000 --protocol 1 --rule-action deny --egress --ipv6-cidr-block ::/0 --icmp-type-code Code=-1,Type=-1 --region us-east-1",
                "aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 200 --protocol -1 --rule-action deny --ingress --cidr-block 0.0.0.0/0 --region us-east-1",
            }, create.AwsCli);
            Assert.Equal(new[]
            {
                "New-EC2NetworkAclEntry -NetworkAclId 'acl-1' -RuleNumber 100 -Protocol '6' -RuleAction 'allow' -Egress $false -CidrBlock '10.0.0.0/8' -PortRange_From 443 -PortRange_To 443 -Region 'us-east-1'",
                "New-EC2NetworkAclEntry -NetworkAclId 'acl-1' -RuleNumber 32000 -Protocol '1' -RuleAction 'deny' -Egress $true -Ipv6CidrBlock '::/0' -IcmpTypeCode_Code -1 -IcmpTypeCode_Type -1 -Region 'us-east-1'",
                "New-EC2NetworkAclEntry -NetworkAclId 'acl-1' -RuleNumber 200 -Protocol '-1' -RuleAction 'deny' -Egress $false -CidrBlock '0.0.0.0/0' -Region 'us-east-1'",
            }, create.PowerShell);

            var delete = Build(new RemediationAction
            {
                DeleteNetworkAclEntriesAction = new DeleteNetworkAclEntriesAction
                {
                    NetworkAclId = T("acl-2"),
                    NetworkAclEntriesToBeDeleted = new List<EntryDescription>
                    {
                        new EntryDescription { EntryRuleNumber = 90, EntryDetail = new NetworkAclEntry { Protocol = "6", RuleAction = "allow", Egress = true, CidrBlock = "0.0.0.0/0" } },
                        new EntryDescription { EntryType = "CUSTOM_ENTRY", EntryDetail = new NetworkAclEntry { Protocol = "6" } },
                    },
                },
            });
            Assert.Equal("aws ec2 delete-network-acl-entry --network-acl-id acl-2 --rule-number 90 --egress --region us-east-1", delete.AwsCli[0]);
            Assert.Equal("Remove-EC2NetworkAclEntry -NetworkAclId 'acl-2' -RuleNumber 90 -Egress $true -Region 'us-east-1'", delete.PowerShell[0]);
            // An entry without a rule number cannot be addressed: a comment, not a guessed command.
            Assert.StartsWith("# ", delete.AwsCli[1]);
            Assert.StartsWith("# ", delete.PowerShell[1]);
        }

        [Fact]
        public void Actions_without_what_the_API_requires_or_outside_EC2_give_no_commands()
        {
            Assert.Null(Ec2CommandBuilder.Build(null, Region));
            Assert.Null(Ec2CommandBuilder.Build(new RemediationAction { EC2DeleteRouteAction = new EC2DeleteRouteAction { RouteTableId = T("rtb-1") } }, Region));
            Assert.Null(Ec2CommandBuilder.Build(new RemediationAction { EC2CreateRouteTableAction = new EC2CreateRouteTableAction() }, Region));
            Assert.Null(Ec2CommandBuilder.Build(new RemediationAction { FMSPolicyUpdateFirewallCreationConfigAction = new FMSPolicyUpdateFirewallCreationConfigAction() }, Region));
        }

        [Theory]
        [InlineData("it's", "'it'\\''s'")]
        [InlineData("a b", "'a b'")]
        [InlineData("$(rm -rf ~)", "'$(rm -rf ~)'")]
        [InlineData("`id`", "'`id`'")]
        [InlineData("x\ny", "'x\ny'")]
        [InlineData("\"; echo", "'\"; echo'")]
        [InlineData("", "''")]
        [InlineData("10.0.0.0/8", "10.0.0.0/8")]
        public void Shell_quoting_keeps_hostile_values_one_literal_word(string value, string expected)
            => Assert.Equal(expected, Ec2CommandBuilder.QuoteShell(value));

        [Theory]
        [InlineData("it's", "'it''s'")]
        [InlineData("it\u2019s", "'it\u2019\u2019s'")]
        [InlineData("\u2018x\u201Ay\u201B", "'\u2018\u2018x\u201A\u201Ay\u201B\u201B'")]
        [InlineData("$env:PATH `n $(Get-Date)", "'$env:PATH `n $(Get-Date)'")]
        [InlineData("x\ny", "'x\ny'")]
        [InlineData("\"a\"", "'\"a\"'")]
        public void PowerShell_quoting_doubles_every_single_quote_PowerShell_knows(string value, string expected)
            => Assert.Equal(expected, Ec2CommandBuilder.QuotePowerShell(value));

        [Fact]
        public void Hostile_values_from_the_service_stay_inside_their_quotes_in_whole_commands()
        {
            var commands = Build(new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction
                {
                    RouteTableId = T("rtb-1'; rm -rf / #"), DestinationCidrBlock = "--debug", GatewayId = T("vpce-$(id)`whoami`\nx"),
                },
            });
            Assert.Equal("aws ec2 replace-route --route-table-id 'rtb-1'\\''; rm -rf / #' --destination-cidr-block=--debug --vpc-endpoint-id 'vpce-$(id)`whoami`\nx' --region us-east-1",
                commands.AwsCli.Single());
            Assert.Equal("Set-EC2Route -RouteTableId 'rtb-1''; rm -rf / #' -DestinationCidrBlock '--debug' -VpcEndpointId 'vpce-$(id)`whoami`\nx' -Region 'us-east-1'",
                commands.PowerShell.Single());
        }

        [Fact]
        public void The_header_names_account_and_Region_and_no_value_ends_the_comment()
        {
            Assert.Equal("# Run in account 111122223333 (prod-eu-web), Region us-east-1, with that account's credentials (FMS's member account, not the administrator's).",
                Ec2CommandBuilder.Header("111122223333", "prod-eu-web", "us-east-1"));
            var hostile = Ec2CommandBuilder.Header("111122223333", "evil\nrm -rf /\r\u2028x", "us-east-1");
            Assert.DoesNotContain('\n', hostile);
            Assert.DoesNotContain('\r', hostile);
            Assert.DoesNotContain('\u2028', hostile);
            Assert.StartsWith("# Run in account 111122223333 (evil rm -rf /  x)", hostile);
        }

        [Fact]
        public void The_planner_puts_the_commands_on_blocked_EC2_steps_with_where_to_run_them()
        {
            var wire = new RemediationAction
            {
                EC2ReplaceRouteAction = new EC2ReplaceRouteAction { RouteTableId = T("rtb-0a1"), DestinationCidrBlock = "0.0.0.0/0", GatewayId = T("vpce-0b2") },
            };
            var option = ComplianceMapping.ToOptions(new PossibleRemediationActions
            {
                Actions = new List<PossibleRemediationAction>
                {
                    new PossibleRemediationAction
                    {
                        IsDefaultAction = true, Description = "route via firewall",
                        OrderedRemediationActions = new List<RemediationActionWithOrder> { new RemediationActionWithOrder { Order = 1, RemediationAction = wire } },
                    },
                },
            }).Single();
            var violation = new FmsViolation
            {
                PolicyId = "p1", PolicyName = "nfw", PolicyType = "NETWORK_FIREWALL", Region = "us-east-1", AccountId = "111122223333", AccountName = "prod-eu-web",
                ResourceId = "subnet-1", ResourceType = "AWS::EC2::Subnet", Reason = "INTERNET_TRAFFIC_NOT_INSPECTED", PossibleRemediationActions = new[] { option }, IsEnriched = true,
            };
            var plan = new RemediationPlanner().Plan(new PolicyReference[0], new[] { violation });
            var step = plan.Steps.Single(s => s.Action == "EC2ReplaceRouteAction");
            Assert.False(step.CanExecute);
            Assert.Contains("ec2:ReplaceRoute", step.MissingCapability);
            Assert.Equal("# Run in account 111122223333 (prod-eu-web), Region us-east-1, with that account's credentials (FMS's member account, not the administrator's).\n"
                         + "aws ec2 replace-route --route-table-id rtb-0a1 --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id vpce-0b2 --region us-east-1", step.AwsCliCommand);
            Assert.EndsWith("\nSet-EC2Route -RouteTableId 'rtb-0a1' -DestinationCidrBlock '0.0.0.0/0' -VpcEndpointId 'vpce-0b2' -Region 'us-east-1'", step.PowerShellCommand);
            // The policy-level step has no EC2 commands.
            Assert.Equal("", plan.Steps.Single(s => s.KindValue == RemediationStepKind.EnablePolicyRemediation).AwsCliCommand);
        }
    }
}
