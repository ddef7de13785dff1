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
    public class RemediationTests
    {
        private static FmsViolation Violation(Policy policy, string account, string resource, string reason, params FmsRemediationOption[] options)
            => new FmsViolation
            {
                PolicyId = policy.PolicyId!, PolicyName = policy.PolicyName!, PolicyType = policy.SecurityServicePolicyData!.Type!, Region = "us-east-1",
                AccountId = account, AccountName = account, ResourceId = resource, ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer",
                Reason = reason, ReasonDescription = ViolationReasons.Describe(reason), PossibleRemediationActions = options, IsEnriched = options.Length > 0,
            };

        private static PolicyReference Reference(Policy policy)
            => new PolicyReference(policy.PolicyId!, policy.PolicyName!, policy.SecurityServicePolicyData!.Type!, "us-east-1", policy.ResourceType!,
                policy.RemediationEnabled == true);

        [Fact]
        public void Plan_turns_on_remediation_and_says_what_FMS_will_change()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[]
            {
                Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL"),
                Violation(policy, "222222222222", "lb-2", "RESOURCE_INCORRECT_WEB_ACL"),
            });

            var enable = Assert.Single(plan.Steps, s => s.KindValue == RemediationStepKind.EnablePolicyRemediation);
            Assert.True(enable.CanExecute);
            Assert.Contains("FMManagedWebACLV2-web-", enable.Description);
            Assert.Equal(policy.PolicyId, Assert.Single(plan.PoliciesToEnable).PolicyId);

            var missing = plan.Steps.Single(s => s.ResourceId == "lb-1");
            Assert.Equal(RemediationStepKind.FmsAutomaticRemediation, missing.KindValue);
            Assert.Equal("AssociateWebAcl", missing.Action);
            Assert.True(missing.CanExecute);
            Assert.Equal("222222222222", missing.AccountId);

            // FMS keeps a customer's web ACL unless the policy overrides it: say so, and what would be needed.
            var incorrect = plan.Steps.Single(s => s.ResourceId == "lb-2");
            Assert.False(incorrect.CanExecute);
            Assert.Contains("overrideCustomerWebACLAssociation=true", incorrect.MissingCapability);
            Assert.Contains("wafv2:DisassociateWebACL", incorrect.MissingCapability);

            var overriding = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[] { Violation(policy, "222222222222", "lb-2", "RESOURCE_INCORRECT_WEB_ACL") },
                new RemediationPlanningOptions { ManagedServiceDataByPolicyId = new Dictionary<string, string> { [policy.PolicyId!] = "{\"type\":\"WAFV2\",\"overrideCustomerWebACLAssociation\":true}" } });
            Assert.True(overriding.Steps.Single(s => s.ResourceId == "lb-2").CanExecute);
        }

        [Fact]
        public void Default_remediation_steps_are_ordered_and_EC2_steps_name_the_missing_API()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("nfw", type: "NETWORK_FIREWALL", resourceType: "AWS::EC2::VPC", remediation: true);
            var routes = new FmsRemediationOption("Fix routes", new[]
            {
                new FmsRemediationActionStep(2, "EC2CreateRouteAction", "Create route to the firewall endpoint", "rtb-2", null),
                new FmsRemediationActionStep(1, "EC2CreateRouteTableAction", "Create route table", "vpc-1", null),
            }.OrderBy(a => a.Order).ToList(), isDefaultAction: true);
            var other = new FmsRemediationOption("Other", new[] { new FmsRemediationActionStep(1, "EC2DeleteRouteAction", "Delete", "rtb-9", null) }, false);
            var nacl = new FmsRemediationOption("Fix NACL", new[] { new FmsRemediationActionStep(1, "CreateNetworkAclEntriesAction", "Add entries", "acl-1", true) }, true);

            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[]
            {
                Violation(policy, "333333333333", "subnet-1", "INTERNET_TRAFFIC_NOT_INSPECTED", other, routes),
                Violation(policy, "333333333333", "subnet-2", "INVALID_NETWORK_ACL_ENTRY", nacl),
                Violation(policy, "333333333333", "rtb-7", "BLACK_HOLE_ROUTE_DETECTED"),
            });

            Assert.Empty(plan.PoliciesToEnable); // remediation already on
            var routeSteps = plan.Steps.Where(s => s.ResourceId == "subnet-1").ToList();
            Assert.Equal(new[] { "EC2CreateRouteTableAction", "EC2CreateRouteAction" }, routeSteps.Select(s => s.Action));
            Assert.All(routeSteps, s => Assert.False(s.CanExecute));
            Assert.Contains("ec2:CreateRouteTable", routeSteps[0].MissingCapability);
            Assert.Contains("ec2:CreateRoute", routeSteps[1].MissingCapability);
            Assert.Contains("-MemberRoleName", routeSteps[1].MissingCapability);

            var naclStep = Assert.Single(plan.Steps, s => s.ResourceId == "subnet-2");
            Assert.Equal(RemediationStepKind.FmsAutomaticRemediation, naclStep.KindValue);
            Assert.True(naclStep.CanExecute);

            var blackHole = Assert.Single(plan.Steps, s => s.ResourceId == "rtb-7");
            Assert.False(blackHole.CanExecute);
            Assert.Contains("ec2:DeleteRoute", blackHole.MissingCapability);
        }

        [Fact]
        public async Task WhatIf_makes_no_call_at_all()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            fms.AddAccount(policy, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[] { Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL") });
            var results = await new RemediationExecutor(_ => fms.Client, clock: new ManualClock().ToEngineClock())
                .ExecuteAsync(plan, new RemediationExecutionOptions { WhatIf = true, WaitForCompliance = true });
            Assert.Equal(0, fms.TotalCalls);
            Assert.Empty(fms.MutatingRequests);
            Assert.All(results, r => Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue));
            Assert.Equal(plan.Steps.Count, results.Count);
        }

        [Fact]
        public async Task Planning_from_the_service_makes_no_mutating_call()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            fms.AddAccount(policy, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            fms.AddAccount(policy, "333333333333");
            var service = new ComplianceService(fms.Client, "us-east-1", throttle: new AdaptiveThrottle(null, new ManualClock().ToEngineClock()));
            var plan = await new RemediationPlanner().PlanAsync(service, await service.GetPoliciesAsync(), includeViolationDetails: true);
            Assert.Single(plan.ResourceSteps);
            Assert.Equal(0, fms.CallsOf("PutPolicy"));
            Assert.Empty(fms.MutatingRequests);
            Assert.Equal(1, fms.CallsOf("GetComplianceDetail"));   // only the non-compliant account
            Assert.Equal(1, fms.CallsOf("GetViolationDetails"));
        }

        [Fact]
        public async Task Enables_remediation_with_the_current_token_and_waits_until_compliant()
        {
            var clock = new ManualClock();
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            var originalToken = policy.PolicyUpdateToken;
            var originalData = policy.SecurityServicePolicyData!.ManagedServiceData;
            fms.AddAccount(policy, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"), ("lb-2", "RESOURCE_MISSING_WEB_ACL"));
            // FMS fixes lb-1 on the 2nd poll and lb-2 on the 3rd after remediation was turned on.
            fms.BeforeComplianceDetail = (policyId, account, call) =>
            {
                var detail = fms.Details[policyId + "/" + account];
                if (call >= 2) detail.Violators!.RemoveAll(v => v.ResourceId == "lb-1");
                if (call >= 3) detail.Violators!.RemoveAll(v => v.ResourceId == "lb-2");
            };
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[]
            {
                Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL"),
                Violation(policy, "222222222222", "lb-2", "RESOURCE_MISSING_WEB_ACL"),
            });
            var reporter = new RecordingReporter();
            var results = await new RemediationExecutor(_ => fms.Client, reporter, clock.ToEngineClock()).ExecuteAsync(plan,
                new RemediationExecutionOptions { WaitForCompliance = true, PollInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromMinutes(30) });

            var put = Assert.IsType<PutPolicyRequest>(Assert.Single(fms.MutatingRequests));
            Assert.True(put.Policy!.RemediationEnabled);
            Assert.Equal(originalToken, put.Policy.PolicyUpdateToken);
            Assert.Equal(originalData, put.Policy.SecurityServicePolicyData!.ManagedServiceData);
            Assert.Equal(policy.PolicyName, put.Policy.PolicyName);
            Assert.Equal(1, fms.CallsOf("GetPolicy"));
            Assert.True(fms.Policies.Single().RemediationEnabled);

            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).OutcomeValue);
            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.ResourceId == "lb-1").OutcomeValue);
            Assert.Equal(RemediationOutcome.Remediated, results.Single(r => r.ResourceId == "lb-2").OutcomeValue);
            Assert.Equal(3, fms.CallsOf("GetComplianceDetail"));
            Assert.Equal(TimeSpan.FromMinutes(2), clock.TotalDelay); // two poll intervals, virtual
            Assert.Contains(reporter.ProgressRecords, p => p.PercentComplete == 50);
            Assert.True(reporter.ProgressRecords.Last().Completed);
        }

        [Fact]
        public async Task Enabling_remediation_sends_a_newer_APIs_members_back_as_read_so_they_are_not_reset()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            // GetPolicy answers (through the wire JSON) with members this version does not know, at the top and nested.
            policy.AdditionalMembers = new Dictionary<string, System.Text.Json.JsonElement> { ["PolicyUpdateMode"] = Element("\"GRADUAL\"") };
            policy.SecurityServicePolicyData!.AdditionalMembers = new Dictionary<string, System.Text.Json.JsonElement> { ["PolicyVersion"] = Element("3") };
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[] { Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL") });

            await new RemediationExecutor(_ => fms.Client, clock: new ManualClock().ToEngineClock()).ExecuteAsync(plan, new RemediationExecutionOptions());

            var put = Assert.IsType<PutPolicyRequest>(Assert.Single(fms.MutatingRequests));
            Assert.True(put.Policy!.RemediationEnabled);
            Assert.Equal("\"GRADUAL\"", put.Policy.AdditionalMembers?["PolicyUpdateMode"].GetRawText());
            Assert.Equal("3", put.Policy.SecurityServicePolicyData!.AdditionalMembers?["PolicyVersion"].GetRawText());
        }

        private static System.Text.Json.JsonElement Element(string json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }

        [Fact]
        public async Task Gives_up_at_the_timeout_and_reports_still_non_compliant()
        {
            var clock = new ManualClock();
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web", remediation: true);
            fms.AddAccount(policy, "222222222222", ("lb-1", "RESOURCE_MISSING_WEB_ACL"));
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[] { Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL") });
            var results = await new RemediationExecutor(_ => fms.Client, clock: clock.ToEngineClock()).ExecuteAsync(plan,
                new RemediationExecutionOptions { WaitForCompliance = true, PollInterval = TimeSpan.FromMinutes(5), Timeout = TimeSpan.FromMinutes(12) });
            var result = Assert.Single(results);
            Assert.Equal(RemediationOutcome.StillNonCompliant, result.OutcomeValue);
            Assert.Equal(0, fms.CallsOf("PutPolicy"));
            Assert.Equal(4, fms.CallsOf("GetComplianceDetail")); // t = 0, 5, 10, 12 minutes
            Assert.Equal(TimeSpan.FromMinutes(12), clock.TotalDelay);
        }

        [Fact]
        public async Task A_failed_PutPolicy_fails_that_policy_and_blocked_steps_are_not_supported()
        {
            var fms = new FakeFms();
            var policy = fms.AddPolicy("web");
            var plan = new RemediationPlanner().Plan(new[] { Reference(policy) }, new[]
            {
                Violation(policy, "222222222222", "lb-1", "RESOURCE_MISSING_WEB_ACL"),
                Violation(policy, "222222222222", "lb-9", "WEB_ACL_CONFIGURATION_OR_SCOPE_OF_USE"),
            });
            // Someone else changed the policy between our GetPolicy and PutPolicy: the token is stale.
            var executor = new RemediationExecutor(_ => StaleTokenClient.Create(fms), clock: new ManualClock().ToEngineClock());
            var results = await executor.ExecuteAsync(plan, new RemediationExecutionOptions());
            Assert.Equal(RemediationOutcome.Failed, results.Single(r => r.Step.KindValue == RemediationStepKind.EnablePolicyRemediation).OutcomeValue);
            Assert.Equal(RemediationOutcome.Failed, results.Single(r => r.ResourceId == "lb-1").OutcomeValue);
            var blocked = results.Single(r => r.ResourceId == "lb-9");
            Assert.Equal(RemediationOutcome.NotSupported, blocked.OutcomeValue);
            Assert.Contains("wafv2:UpdateWebACL", blocked.MissingCapability);
            Assert.False(fms.Policies.Single().RemediationEnabled);
        }

        /// <summary>Changes the stored token right after GetPolicy answers, as a concurrent editor would.</summary>
        public class StaleTokenClient : System.Reflection.DispatchProxy
        {
            internal static IFmsClient Create(FakeFms fms) { var proxy = Create<IFmsClient, StaleTokenClient>(); ((StaleTokenClient)(object)proxy)._fms = fms; return proxy; }
            private FakeFms? _fms;
            protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args)
            {
                var result = method!.Invoke(_fms!.Client, args);
                if (method.Name == "GetPolicyAsync")
                    return ((Task<GetPolicyResponse>)result!).ContinueWith(t => { _fms.Policies[0].PolicyUpdateToken = "3:changed"; return t.Result; });
                return result;
            }
        }
    }
}
