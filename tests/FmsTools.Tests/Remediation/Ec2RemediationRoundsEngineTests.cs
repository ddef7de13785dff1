using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Ec2;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using FmsTools.Tests.Compliance;
using Xunit;

namespace FmsTools.Tests.Remediation
{
    /// <summary>
    /// The engine's EC2 rounds against a Firewall Manager that does not move: after a round made the calls it suggested, it
    /// still reports the violation with exactly those calls. The rounds must stop there, say so, and never send them again.
    /// </summary>
    public class Ec2RemediationRoundsEngineTests
    {
        private const string Account = "444444444444";

        [Fact]
        public async Task FMS_suggesting_the_calls_a_round_already_made_is_reported_as_no_progress_and_they_are_not_sent_again()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("routes", type: "NETWORK_FIREWALL", resourceType: "AWS::EC2::VPC", remediation: true);
            fms.AddAccount(policy, Account, ("subnet-1", "INTERNET_TRAFFIC_NOT_INSPECTED"));
            var create = new EC2CreateRouteAction
            {
                RouteTableId = new ActionTarget { ResourceId = "rtb-main" }, DestinationCidrBlock = "0.0.0.0/0", VpcEndpointId = new ActionTarget { ResourceId = "vpce-1" },
            };
            fms.ViolationDetails[policy.PolicyId + "/" + Account + "/subnet-1"] = new ViolationDetail
            {
                PolicyId = policy.PolicyId, MemberAccount = Account, ResourceId = "subnet-1", ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer",
                ResourceViolations = new List<ResourceViolation>
                {
                    new ResourceViolation
                    {
                        PossibleRemediationActions = new PossibleRemediationActions
                        {
                            Actions = new List<PossibleRemediationAction>
                            {
                                new PossibleRemediationAction
                                {
                                    IsDefaultAction = true,
                                    OrderedRemediationActions = new List<RemediationActionWithOrder>
                                    {
                                        new RemediationActionWithOrder { Order = 1, RemediationAction = new RemediationAction { EC2CreateRouteAction = create } },
                                    },
                                },
                            },
                        },
                    },
                },
            };
            var clock = new ManualClock();
            var throttle = new AdaptiveThrottle(null, clock.ToEngineClock());
            var compliance = new ComplianceService(fms.Client, "us-east-1", throttle: throttle);
            var ec2 = new FakeEc2();
            var reporter = new RecordingReporter();
            var service = new RemediationService(_ => fms.Client, _ => compliance, reporter, clock.ToEngineClock(), throttle)
            {
                PlanningOptions = new RemediationPlanningOptions { ExecuteEc2Actions = true },
                MemberRoleName = "OrganizationAccountAccessRole",
                MemberEc2 = (account, region, ct) => Task.FromResult<IEc2Client>(ec2),
            };
            var request = new RemediationRequest();
            request.Policies.Add(new PolicyReference(policy.PolicyId!, policy.PolicyName!, "NETWORK_FIREWALL", "us-east-1", "AWS::EC2::VPC", true));

            var plan = await service.PlanAsync(request);
            var results = await service.ExecuteAsync(plan, plan.Steps.ToList(), new RemediationExecutionOptions());

            // Sent once, in round 1; in round 2 FMS still suggests it, so it is reported and not sent again.
            Assert.Equal("CreateRoute", Assert.Single(ec2.Calls).Split(' ')[0]);
            var result = Assert.Single(results, r => r.ResourceId == "subnet-1");
            Assert.Equal(RemediationOutcome.StillNonCompliant, result.OutcomeValue);
            Assert.Contains("exactly the EC2 calls round 1 made", result.Message);
            Assert.Equal(new[] { (1, "Remediated"), (2, "Skipped") }, result.Ec2Steps.Select(s => (s.Round, s.Outcome)));
            // Read again: once before round 1 and once after it (plus the plan's own read).
            Assert.True(fms.CallsOf("GetComplianceDetail") >= 3, "GetComplianceDetail calls: " + fms.CallsOf("GetComplianceDetail"));
        }
    }
}
