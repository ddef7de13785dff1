using System.Linq;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class DemoPoliciesAreValidTests
    {
        // The demo policies are seeded straight into the sandbox, bypassing PutPolicy's validation; users export
        // and sync them back, so each must pass the same rules a user's policy would.
        [Theory]
        [InlineData("us-east-1")]
        [InlineData("eu-west-1")]
        public void Every_demo_policy_passes_the_module_validation(string region)
        {
            foreach (var wire in DemoOrganization.Policies(region))
            {
                var policy = PolicyWireMapper.FromWire(wire, null, null, region);
                var errors = PolicyValidator.Validate(policy).Where(f => f.SeverityValue == PolicyFindingSeverity.Error).ToList();
                Assert.True(errors.Count == 0, $"{wire.PolicyName}: " + string.Join("; ", errors.Select(e => e.Message)));
            }
        }
    }
}
