using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Administration
{
    public class InputRulesTests
    {
        // .NET's $ also matches before a final newline; every id, name and ARN rule must refuse one.
        [Theory]
        [InlineData("123456789012\n", "AccountId.Format")]
        [InlineData(" 123456789012", "AccountId.Format")]
        [InlineData("123456789012", null)]
        public void Account_ids_are_twelve_digits_and_nothing_else(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.AccountId(findings, "AccountId", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("arn:aws:fms:us-east-1:123456789012:policy/x\n", "Arn.Format")]
        [InlineData("arn:aws:fms:us-east-1:123456789012:policy/x y", "Arn.Format")]
        [InlineData("arn:aws:fms:us-east-1:123456789012:policy/x", null)]
        public void Arns_have_no_whitespace_or_trailing_newline(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.Arn(findings, "ResourceArn", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("AWS::EC2::Instance\n", "ResourceType.Format")]
        [InlineData("AWS::", "ResourceType.Format")]
        [InlineData("AWS::EC2::VPC", null)]
        public void Resource_types_read_AWS_service_resource(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.ResourceType(findings, "ResourceType", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("bogus", "Protocol.Value")]
        [InlineData("tcpx", "Protocol.Value")]
        [InlineData("-2", "Protocol.Value")]
        [InlineData("256", "Protocol.Value")]
        [InlineData("+6", "Protocol.Value")]
        [InlineData("tcp\n", "Protocol.Value")]
        [InlineData("", "Protocol.Value")]
        [InlineData("tcp", null)]
        [InlineData("UDP", null)]
        [InlineData("icmp", null)]
        [InlineData("6", null)]
        [InlineData("255", null)]
        [InlineData("-1", null)]
        public void Protocols_are_tcp_udp_icmp_or_a_protocol_number(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.Protocol(findings, "Protocol", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("tcp", 0, "Port.Reserved")]
        [InlineData("UDP", 0, "Port.Reserved")]
        [InlineData("6", 0, "Port.Reserved")]
        [InlineData("tcp", 65536, "Port.Range")]
        [InlineData("icmp", -1, "Port.Range")]
        [InlineData("icmp", 0, null)]
        [InlineData("tcp", 443, null)]
        [InlineData("udp", 65535, null)]
        public void App_ports_are_0_to_65535_and_not_0_for_tcp_or_udp(string protocol, long port, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.AppPort(findings, "Port", protocol, port);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("AWS::Fake::Type", "ResourceType.NotSupported")]
        [InlineData("AWS::EC2::NetworkAcl", "ResourceType.NotSupported")]
        [InlineData("EC2", "ResourceType.Format")]
        [InlineData("AWS::EC2::VPC", null)]
        [InlineData("AWS::NetworkFirewall::Firewall", null)]
        [InlineData("AWS::ElasticLoadBalancingV2::LoadBalancer", null)]
        public void Resource_set_types_are_types_FMS_policies_protect(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.ResourceSetType(findings, "ResourceType", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Fact]
        public void Every_resource_type_a_policy_type_allows_can_be_put_in_a_resource_set()
        {
            var allowed = FmsPolicyTypes.All.SelectMany(FmsPolicyTypes.AllowedResourceTypes).Distinct();
            Assert.Empty(allowed.Except(InputRules.ResourceSetTypes.Keys));
        }

        [Theory]
        [InlineData("not-an-arn", "ResourceUri.Format")]
        [InlineData("arn:aws:ec2:us-east-1:12:vpc/vpc-1", "ResourceUri.Format")]
        [InlineData("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1\n", "ResourceUri.Format")]
        [InlineData("arn:aws:ec2:us-east-1:123456789012:vpc/vpc,1", "ResourceUri.Format")]
        [InlineData("arn:aws:iam::123456789012:role/admin", "ResourceUri.Service")]
        [InlineData("arn:aws:s3:::bucket", "ResourceUri.Service")]
        [InlineData("arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0", null)]
        [InlineData("arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod", null)]
        [InlineData("arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE", null)]
        [InlineData("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188", null)]
        [InlineData("arn:aws:network-firewall:us-east-1:123456789012:firewall/inspection", null)]
        public void Resource_set_resources_are_ARNs_of_the_services_resource_sets_hold(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.ResourceUri(findings, "Uri[0]", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("not-an-arn", "Arn.Format")]
        [InlineData("arn:aws:iam::123456789012:role/fms", "Arn.NotSnsTopic")]
        [InlineData("arn:aws:sns:mars-1:123456789012:fms", "Arn.NotSnsTopic")]
        [InlineData("arn:aws:sns:us-east-1:12345:fms", "Arn.NotSnsTopic")]
        [InlineData("arn:aws:sns:us-east-1:123456789012:fms@x", "Arn.NotSnsTopic")]
        [InlineData("arn:aws:sns:us-east-1:123456789012:fms-findings", null)]
        [InlineData("arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo", null)]
        public void The_notification_topic_is_an_SNS_topic_ARN(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.SnsTopicArn(findings, "SnsTopicArn", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("arn:", "Arn.Format")]
        [InlineData("arn:aws:sns:us-east-1:123456789012:fms", "Arn.NotIamRole")]
        [InlineData("arn:aws:iam::123456789012:user/ops", "Arn.NotIamRole")]
        [InlineData("arn:aws:iam::123456789012:role/", "Arn.NotIamRole")]
        [InlineData("arn:aws:iam::123456789012:role/fms-sns", null)]
        [InlineData("arn:aws:iam::111122223333:role/aws-service-role/fms.amazonaws.com/AWSServiceRoleForFMS", null)]
        public void The_notification_role_is_an_IAM_role_ARN(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.IamRoleArn(findings, "SnsRoleArn", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Theory]
        [InlineData("arn:aws:fms:us-east-1:12:x\n", "Arn.Format")]
        [InlineData("arn:aws:fms:us-east-1:123456789012:policy/x", "Arn.NotTaggable")]
        [InlineData("arn:aws:fms:mars-1:123456789012:policy/d1ac59b8-8b89-4c9e-9d26-0a1b2c3d4e5f", "Arn.NotTaggable")]
        [InlineData("arn:aws:fms:us-east-1:123456789012:notification-channel/d1ac59b8-8b89-4c9e-9d26-0a1b2c3d4e5f", "Arn.NotTaggable")]
        [InlineData("arn:aws:sns:us-east-1:123456789012:fms", "Arn.NotTaggable")]
        [InlineData("arn:aws:fms:us-east-1:123456789012:policy/d1ac59b8-8b89-4c9e-9d26-0a1b2c3d4e5f", null)]
        [InlineData("arn:aws:fms:eu-west-1:123456789012:applications-list/da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0a001", null)]
        [InlineData("arn:aws:fms:eu-west-1:123456789012:protocols-list/da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0b001", null)]
        [InlineData("arn:aws:fms:us-east-1:123456789012:resource-set/a1b2c3d4e5f6g7h8i9j0k1", null)]
        public void Tags_go_on_FMS_policies_lists_and_resource_sets(string value, string? rule)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", value);
            Assert.Equal(rule, findings.SingleOrDefault()?.Rule);
        }

        [Fact]
        public void A_protocols_list_with_an_unknown_protocol_is_refused_naming_it()
        {
            var e = Assert.Throws<FmsInputException>(() => FmsListKinds.Protocols.Validate(new FmsProtocolsList { Name = "p", Protocols = new List<string> { "tcp", "bogus" } }));
            Assert.Equal("ProtocolsList.Protocols[1]", Assert.Single(e.Findings).Field);
            FmsListKinds.Protocols.Validate(new FmsProtocolsList { Name = "p", Protocols = new List<string> { "tcp", "udp", "icmp", "47" } });
        }

        [Fact]
        public void A_list_name_ending_in_a_newline_is_refused()
        {
            var e = Assert.Throws<FmsInputException>(() => FmsListKinds.Apps.Validate(new FmsAppsList { Name = "apps\n" }));
            Assert.Equal("Name.Characters", e.Rule);
        }

        [Fact]
        public void A_policy_scope_account_ending_in_a_newline_is_refused()
        {
            var policy = FmsPolicy.Create("scoped", new DnsFirewallSettings(), FmsResourceTypes.Vpc);
            policy.Scope!.IncludeAccounts.Add("123456789012\n");
            Assert.Contains(PolicyValidator.Validate(policy), f => f.Rule == "Scope.AccountId.Format");
        }
    }
}
