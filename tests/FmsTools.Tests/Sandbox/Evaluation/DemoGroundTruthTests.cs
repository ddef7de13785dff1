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
