using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>The engine's remediation from request to per-resource results (what Invoke-FmsRemediation asks and writes).</summary>
    public class RemediationServiceTests
    {
        private static PolicyReference Reference(Policy policy)
            => new PolicyReference(policy.PolicyId!, policy.PolicyName!, policy.SecurityServicePolicyData!.Type!, "us-east-1", policy.ResourceType!,
                policy.RemediationEnabled == true);

        private static RemediationService Service(FakeFms fms, ManualClock clock)
        {
            var throttle = new AdaptiveThrottle(null, clock.ToEngineClock());
            var compliance = new ComplianceService(fms.Client, "us-east-1", throttle: throttle);
            return new RemediationService(_ => fms.Client, _ => compliance, clock: clock.ToEngineClock(), throttle: throttle);
        }

        [Fact]
        public async Task Only_the_approved_policy_is_changed_and_the_other_is_reported_as_planned()
        {
            var fms = new FakeFms();
            var approvedPolicy = fms.AddPolicy("approved");
            var declinedPolicy = fms.AddPolicy("declined");
            fms.AddAccount(approvedPolicy, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            fms.AddAccount(declinedPolicy, "333333333333", ("lb-2", "RESOURCE_MISSING_WEB_ACL"));
            var service = Service(fms, new ManualClock());
            var request = new RemediationRequest();
            request.Policies.Add(Reference(approvedPolicy));
            request.Policies.Add(Reference(declinedPolicy));

            var plan = await service.PlanAsync(request);
            Assert.Empty(fms.MutatingRequests);
            var groups = RemediationService.ByPolicy(plan).ToList();
            Assert.Equal(new[] { approvedPolicy.PolicyId, declinedPolicy.PolicyId }, groups.Select(g => g[0].PolicyId));

            var results = await service.ExecuteAsync(plan, groups[0].ToList(), new RemediationExecutionOptions());

            var put = Assert.IsType<PutPolicyRequest>(Assert.Single(fms.MutatingRequests));
            Assert.Equal(approvedPolicy.PolicyId, put.Policy!.PolicyId);
            Assert.All(results.Where(r => r.PolicyId == declinedPolicy.PolicyId), r => Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue));
            var enabled = results.Single(r => r.PolicyId == approvedPolicy.PolicyId && r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation);
            Assert.Equal(RemediationOutcome.Remediated, enabled.OutcomeValue);
            Assert.Equal(RemediationOutcome.Pending, results.Single(r => r.ResourceId == "lb-1").OutcomeValue);
            // Results come in plan order: the approved policy's first.
            Assert.Equal(approvedPolicy.PolicyId, results[0].PolicyId);
        }

        [Fact]
        public async Task The_account_filter_limits_the_violators_and_a_piped_violation_brings_its_own_policy()
        {
            var fms = new FakeFms();
            var requested = fms.AddPolicy("requested");
            var other = fms.AddPolicy("other");
            fms.AddAccount(requested, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            fms.AddAccount(requested, "333333333333", ("lb-2", "RESOURCE_MISSING_WEB_ACL"));
            var service = Service(fms, new ManualClock());
            var request = new RemediationRequest { AccountIds = new[] { "333333333333" } };
            request.Policies.Add(Reference(requested));
            var piped = new FmsViolation
            {
                PolicyId = other.PolicyId!, PolicyName = "other", PolicyType = "WAFV2", Region = "us-east-1", AccountId = "444444444444",
                ResourceId = "lb-9", ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL", IsEnriched = true,
            };
            request.Violations.Add(piped);
            request.Violations.Add(piped); // the same violation twice is planned once

            var plan = await service.PlanAsync(request);

            Assert.Equal(new[] { "lb-2", "lb-9" }, plan.ResourceSteps.Select(s => s.ResourceId).OrderBy(r => r));
            Assert.Equal(new[] { requested.PolicyId, other.PolicyId }.OrderBy(p => p), plan.PoliciesToEnable.Select(p => p.PolicyId).OrderBy(p => p));
            Assert.Equal("other", plan.ResourceSteps.Single(s => s.ResourceId == "lb-9").PolicyName);
            // No violation needs a policy's settings (only a web ACL to replace does): no GetPolicy.
            Assert.Equal(0, fms.CallsOf("GetPolicy"));
            Assert.Empty(fms.MutatingRequests);
        }

        [Fact]
        public async Task A_web_ACL_to_replace_reads_the_policy_settings_once_and_they_decide_the_step()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            policy.SecurityServicePolicyData!.ManagedServiceData = "{\"type\":\"WAFV2\",\"overrideCustomerWebACLAssociation\":true}";
            fms.AddAccount(policy, "222222222222", ("lb-1", "RESOURCE_INCORRECT_WEB_ACL"), ("lb-2", "RESOURCE_INCORRECT_WEB_ACL"));
            var request = new RemediationRequest();
            request.Policies.Add(Reference(policy));

            var plan = await Service(fms, new ManualClock()).PlanAsync(request);

            Assert.Equal(1, fms.CallsOf("GetPolicy"));
            Assert.All(plan.ResourceSteps, s => Assert.True(s.CanExecute));
        }

        private static RemediationStep Step(string action, int order, string resource = "acl-1")
            => new RemediationStep
            {
                PolicyId = "p1", PolicyName = "nacl", PolicyType = "NETWORK_ACL_COMMON", AccountId = "222222222222", Region = "us-east-1",
                ResourceId = resource, ResourceType = "AWS::EC2::Subnet", KindValue = RemediationStepKind.ManualAction, Action = action,
                Description = action + " description", Order = order, MissingCapability = "ec2:" + action,
            };

        [Fact]
        public void Steps_of_one_resource_fold_into_one_result_where_the_worst_outcome_speaks()
        {
            var create = Step("CreateNetworkAclEntriesAction", 2);
            var delete = Step("DeleteNetworkAclEntriesAction", 1);
            var elsewhere = Step("CreateNetworkAclEntriesAction", 1, resource: "acl-2");
            var results = RemediationService.PerResource(new[]
            {
                new RemediationResult(create, RemediationOutcome.Planned, "would create"),
                new RemediationResult(delete, RemediationOutcome.NotSupported, "cannot delete"),
                new RemediationResult(elsewhere, RemediationOutcome.Planned, "other resource"),
            }).ToList();

            Assert.Equal(2, results.Count);
            var folded = results[0];
            Assert.Equal("acl-1", folded.ResourceId);
            Assert.Equal(RemediationOutcome.NotSupported, folded.OutcomeValue);
            Assert.Equal("cannot delete (CreateNetworkAclEntriesAction: Planned)", folded.Message);
            Assert.Equal("DeleteNetworkAclEntriesAction, CreateNetworkAclEntriesAction", folded.Step.Action); // in step order
            Assert.Equal("1. DeleteNetworkAclEntriesAction description 2. CreateNetworkAclEntriesAction description", folded.Step.Description);
            Assert.Contains("DeleteNetworkAclEntriesAction needs ec2:DeleteNetworkAclEntriesAction", folded.Step.MissingCapability);
            Assert.Same(elsewhere, results[1].Step);
        }

        [Fact]
        public void A_remediated_resource_says_only_that()
        {
            var first = Step("A", 1);
            var second = Step("B", 2);
            var folded = Assert.Single(RemediationService.PerResource(new[]
            {
                new RemediationResult(first, RemediationOutcome.Pending, "pending"),
                new RemediationResult(second, RemediationOutcome.Remediated, "gone from the violators"),
            }));
            Assert.Equal(RemediationOutcome.Remediated, folded.OutcomeValue);
            Assert.Equal("gone from the violators", folded.Message);
        }

        [Fact]
        public void The_confirmation_says_what_changes_and_nothing_is_asked_when_nothing_can_be_done()
        {
            var enable = new RemediationStep
            {
                PolicyId = "p1", PolicyName = "web", PolicyType = "WAFV2", Region = "us-east-1", KindValue = RemediationStepKind.EnablePolicyRemediation, CanExecute = true,
            };
            var resources = Enumerable.Range(1, 7).Select(i => new RemediationStep
            {
                PolicyId = "p1", PolicyName = "web", PolicyType = "WAFV2", Region = "us-east-1", AccountId = i % 2 == 0 ? "222222222222" : "333333333333",
                ResourceId = "lb-" + i, ResourceType = "ALB", KindValue = RemediationStepKind.FmsAutomaticRemediation, Action = "AssociateWebAcl", CanExecute = true,
            }).ToList();
            var blocked = Step("EC2ReplaceRouteAction", 1);

            var prompt = RemediationService.Describe(new[] { enable }.Concat(resources).Concat(new[] { blocked }).ToList())!;
            Assert.Equal("web (p1, WAFV2) in us-east-1", prompt.Target);
            Assert.StartsWith("Turn on automatic remediation (PutPolicy RemediationEnabled=true): FMS then changes 7 resources in 2 accounts (", prompt.Action);
            Assert.Contains("333333333333 ALB lb-1: AssociateWebAcl; ", prompt.Action);
            Assert.Contains("; and 2 more)", prompt.Action);
            Assert.EndsWith(". 1 steps need what FmsTools lacks and are reported as NotSupported.", prompt.Action);

            Assert.Null(RemediationService.Describe(new[] { blocked }));
        }
    }
}
