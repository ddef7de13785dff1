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

        [Fact]
        public void A_list_name_ending_in_a_newline_is_refused()
        {
            var e = Assert.Throws<FmsInputException>(() => AdministrationService.ValidateAppsList(new FmsAppsList { Name = "apps\n" }));
            Assert.Equal("Name.Characters", e.Rule);
        }

        [Fact]
        public void A_policy_scope_account_ending_in_a_newline_is_refused()
        {
            var policy = FmsPolicy.Create("scoped", new DnsFirewallSettings(), FmsResourceTypes.Vpc);
            policy.Scope.IncludeAccounts.Add("123456789012\n");
            Assert.Contains(PolicyValidator.Validate(policy), f => f.Rule == "Scope.AccountId.Format");
        }
    }
}
