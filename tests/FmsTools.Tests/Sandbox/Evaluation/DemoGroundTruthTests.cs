using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class DemoGroundTruthTests
    {
        public static IEnumerable<object[]> DemoPolicies()
        {
            foreach (var region in new[] { "us-east-1", "eu-west-1" })
                foreach (var policy in DemoOrganization.Policies(region))
                    yield return new object[] { region, policy.PolicyName! };
        }

        [Fact]
        public void DemoPolicies_HaveStableWireIds_AndCloudFrontOnlyInUsEast1()
        {
            var east = DemoOrganization.Policies("us-east-1");
            var west = DemoOrganization.Policies("eu-west-1");
            Assert.Equal(9, east.Count);
            Assert.Equal(8, west.Count);
            Assert.DoesNotContain(west, p => p.PolicyName == DemoOrganization.WafCloudFrontPolicyName);
            Assert.All(east.Concat(west), p => Assert.Matches("^[a-z0-9A-Z-]{36}$", p.PolicyId));
            Assert.Equal(east.Select(p => p.PolicyId), DemoOrganization.Policies("us-east-1").Select(p => p.PolicyId));
            Assert.NotEqual(east.Single(p => p.PolicyName == DemoOrganization.DnsFirewallPolicyName).PolicyId, west.Single(p => p.PolicyName == DemoOrganization.DnsFirewallPolicyName).PolicyId);
            Assert.All(east.Concat(west), p => Assert.Contains(p.SecurityServicePolicyData!.Type, FmsTools.Aws.Fms.SecurityServiceTypeValues.All));
        }

        [Fact]
        public void DemoGroundTruth_CoversEveryDemoPolicyAndOnlyMemberOrAdminAccounts()
        {
            var world = World.CreateDemo();
            foreach (var region in new[] { "us-east-1", "eu-west-1" })
            {
                var expected = DemoOrganization.ExpectedViolations(region);
                Assert.Equal(DemoOrganization.Policies(region).Select(p => p.PolicyName).OrderBy(n => n), expected.Select(v => v.PolicyName).Distinct().OrderBy(n => n));
                Assert.All(expected, v => Assert.NotNull(world.FindAccount(v.AccountId)));
                Assert.All(expected, v => Assert.NotNull(world.FindByViolatorId(v.ResourceId)));
                Assert.DoesNotContain(expected, v => v.AccountId == DemoOrganization.ManagementAccountId);
            }
        }

        private static string Key(string account, string resourceId, string reason) => account + " " + resourceId + " " + reason;

        [Theory]
        [MemberData(nameof(DemoPolicies))]
        public void DemoPolicy_FindsExactlyTheDocumentedViolations(string region, string policyName)
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies(region).Single(p => p.PolicyName == policyName);
            var evaluation = new PolicyEvaluator().Evaluate(world, policy, region, DemoOrganization.ReferenceTime);
            var actual = evaluation.AllViolations.Select(v => Key(v.AccountId, v.ResourceId, v.Reason)).OrderBy(s => s).ToList();
            var expected = DemoOrganization.ExpectedViolations(policyName, region).Select(v => Key(v.AccountId, v.ResourceId, v.ViolationReason)).OrderBy(s => s).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }
    }
}
