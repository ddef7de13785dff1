using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Invoke-FmsRemediation -MemberRoleName end to end in a real runspace against a demo sandbox that serves EC2: the
    /// demo-network-firewall route violations (all in prod-eu-web) are fixed through OrganizationAccountAccessRole, the
    /// sandbox's request log shows exactly the EC2 calls the results name, its compliance evaluation (re-run from the EC2
    /// world) converges, failures are error records with the AWS error and undo, and an account without the role
    /// (prod-data) is an error while the others go on.
    /// </summary>
    public sealed class Ec2RemediationEndToEndTests : IDisposable
    {
        private const string Policy = DemoOrganization.NetworkFirewallPolicyName;
        private const string Role = "OrganizationAccountAccessRole";
        private readonly SandboxRunspace _env = new SandboxRunspace();

        public void Dispose() => _env.Dispose();

        private void ReadViolations()
            => _env.Run($"$violations = Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant | Get-FmsViolation").ShouldSucceed();

        private List<(string Account, string Reason, string Resource)> RouteViolations()
        {
            var run = _env.Run($"Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant | Get-FmsViolation").ShouldSucceed();
            return run.OutputOf<FmsViolation>().Where(v => v.Reason != "MISSING_FIREWALL")
                .Select(v => (v.AccountId, v.Reason, v.ResourceId)).ToList();
        }

        private IReadOnlyList<RequestLogEntry> Ec2WritesSince(long mark)
            => _env.RequestsSince(mark).Where(e => e.Service == "ec2" && e.Mutating).ToList();

        /// <summary>The EC2 operations a step's call makes, as a pattern over the request log's operation names.</summary>
        private static string Pattern(Ec2StepResult step)
            => step.Ec2Call.StartsWith("CreateRouteTable in ", StringComparison.Ordinal) && step.Ec2Call.Contains("then CreateRoute for each route")
                ? "CreateRouteTable( CreateRoute)*"
                : Regex.Escape(step.Ec2Call.Split(' ')[0]);

        [Fact]
        public void The_route_violations_are_fixed_in_the_member_account_with_exactly_the_EC2_calls_reported_and_FMS_converges()
        {
            var before = RouteViolations();
            Assert.NotEmpty(before);
            Assert.All(before, v => Assert.Equal(DemoOrganization.ProdEuWeb, v.Account));

            ReadViolations();
            var mark = _env.Mark;
            var started = DateTime.UtcNow;
            var run = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false").ShouldSucceed();
            var ended = DateTime.UtcNow;
            Assert.Empty(run.Warnings);
            var results = run.OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();
            Assert.Equal(before.Select(v => v.Resource).Distinct().OrderBy(r => r, StringComparer.Ordinal),
                results.Select(r => r.ResourceId).OrderBy(r => r, StringComparer.Ordinal));
            var steps = results.SelectMany(r => r.Ec2Steps).ToList();
            Assert.All(results, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            Assert.All(steps, s =>
            {
                Assert.Equal("Remediated", s.Outcome);
                Assert.Equal(DemoOrganization.ProdEuWeb, s.AccountId);
                Assert.NotEqual("", s.ResourceId);
                Assert.NotEqual("", s.Ec2Call);
            });

            // The request log: every EC2 write was made in prod-eu-web, succeeded, and they are the steps' calls in order.
            var writes = Ec2WritesSince(mark);
            Assert.All(writes, w =>
            {
                Assert.Equal(DemoOrganization.ProdEuWeb, w.CallerAccount);
                Assert.Equal("Success", w.Outcome);
                Assert.False(w.DryRun);
            });
            Assert.Matches("^" + string.Join(" ", steps.Select(Pattern)) + "$", string.Join(" ", writes.Select(w => w.Operation)));
            Assert.Single(_env.CallsSince(mark, "AssumeRole"));

            // The sandbox re-evaluates from the EC2 world: every violation reported before is gone, except the internet
            // gateway's, whose expected routes grew (the subnets now routed through the firewall need return routes).
            var after = RouteViolations();
            Assert.All(after, v => Assert.Equal("INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE", v.Reason));
            Assert.Equal(before.Count - after.Count, before.Count(v => v.Reason != "INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE"));

            // A second run with fresh violations makes those follow-up routes; then nothing is left.
            ReadViolations();
            var second = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false").ShouldSucceed()
                .OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();
            Assert.NotEmpty(second);
            Assert.All(second, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            Assert.Empty(RouteViolations());

            // A third has nothing to do: no EC2 write, no member account reached.
            ReadViolations();
            var third = _env.Mark;
            var nothing = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false").ShouldSucceed();
            Assert.DoesNotContain(nothing.OutputOf<RemediationResult>(), r => r.Ec2Steps.Count > 0);
            Assert.Empty(Ec2WritesSince(third));
            Assert.Empty(_env.CallsSince(third, "AssumeRole"));

            // The journal has each change of the first run with its before and after.
            // (The journal is the test process's shared one: only this run's time window is read.)
            var journal = _env.Run("Get-FmsChangeHistory -TargetType Ec2RouteTable").ShouldSucceed().OutputOf<FmsChangeEntry>()
                .Where(j => j.Time.ToUniversalTime() >= started && j.Time.ToUniversalTime() <= ended).ToList();
            foreach (var step in steps.Where(s => s.Ec2Call.StartsWith("ReplaceRoute rtb-", StringComparison.Ordinal) || s.Ec2Call.StartsWith("DeleteRoute rtb-", StringComparison.Ordinal)))
            {
                var table = step.Ec2Call.Split(' ')[1];
                var record = journal.Last(j => j.TargetId == table && j.Operation == step.Ec2Call.Split(' ')[0]
                                                         && j.BeforeDocument != null && j.BeforeDocument != j.AfterDocument
                                                         && (j.TargetName ?? "").Contains(DemoOrganization.ProdEuWeb));
                Assert.Equal("Succeeded", record.Outcome);
                Assert.NotNull(record.AfterDocument);
            }
        }

        [Fact]
        public void A_refused_EC2_call_is_a_Failed_result_and_an_error_record_and_the_earlier_calls_of_that_resource_are_undone()
        {
            ReadViolations();
            // EC2 answers a throttled call 503 RequestLimitExceeded: refused, not applied.
            _env.Sandbox.Faults.FailNext("ec2:ReplaceRouteTableAssociation", 1, FaultKind.Throttling);
            var mark = _env.Mark;
            var run = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false");

            Assert.Null(run.Terminating);
            var error = Assert.Single(run.Errors);
            Assert.Equal("Ec2RemediationStepFailed", error.ErrorId());
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Contains("RequestLimitExceeded", error.Message());
            Assert.Empty(run.Warnings);
            var results = run.OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();
            var failed = Assert.Single(results, r => r.OutcomeValue == RemediationOutcome.Failed);
            var target = error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject;
            Assert.Equal(failed.ResourceId, Assert.IsType<RemediationResult>(target).ResourceId);
            var refused = Assert.Single(failed.Ec2Steps, s => s.Outcome == "Failed");
            Assert.Equal("RequestLimitExceeded", refused.ErrorCode);
            Assert.StartsWith("ReplaceRouteTableAssociation ", refused.Ec2Call);
            var undone = failed.Ec2Steps.Where(s => s.Outcome == "Undone").ToList();
            Assert.NotEmpty(undone);
            Assert.All(failed.Ec2Steps.Where(s => s.Order > refused.Order), s => Assert.Equal("Skipped", s.Outcome));
            Assert.All(results.Where(r => r != failed), r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));

            // The request log: the refused call, then the undo of what that resource's earlier steps created (routes, then the table).
            var writes = Ec2WritesSince(mark).Select(w => w.Operation + ":" + w.Outcome).ToList();
            var at = writes.IndexOf("ReplaceRouteTableAssociation:RequestLimitExceeded");
            Assert.True(at > 0, string.Join(", ", writes));
            Assert.Equal("CreateRouteTable:Success", writes.Take(at).Last(w => w.StartsWith("CreateRouteTable:", StringComparison.Ordinal)));
            var undo = writes.Skip(at + 1).TakeWhile(w => w.StartsWith("Delete", StringComparison.Ordinal)).ToList();
            Assert.Equal("DeleteRouteTable:Success", undo.Last());
            Assert.All(undo.Take(undo.Count - 1), w => Assert.Equal("DeleteRoute:Success", w));
        }

        [Fact]
        public void A_call_whose_answer_is_lost_is_MayHaveBeenApplied_an_error_record_and_never_sent_again()
        {
            ReadViolations();
            _env.Sandbox.Faults.FailNext("ec2:DeleteRoute", 1, FaultKind.ResponseLost);
            var mark = _env.Mark;
            var run = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false");

            Assert.Null(run.Terminating);
            var error = Assert.Single(run.Errors);
            Assert.Equal("Ec2RemediationStepMayHaveBeenApplied", error.ErrorId());
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            var lost = Assert.Single(run.OutputOf<RemediationResult>(), r => r.OutcomeValue == RemediationOutcome.MayHaveBeenApplied);
            Assert.Contains(lost.Ec2Steps, s => s.Outcome == "MayHaveBeenApplied" && s.Ec2Call.StartsWith("DeleteRoute ", StringComparison.Ordinal));
            Assert.DoesNotContain(lost.Ec2Steps, s => s.Outcome == "Undone");
            // Sent once (the sandbox applied it and dropped the answer), not again.
            var deletes = Ec2WritesSince(mark).Where(w => w.Operation == "DeleteRoute").ToList();
            Assert.Equal("ResponseLost", Assert.Single(deletes).Outcome);
        }

        [Fact]
        public void Prod_data_has_no_role_so_its_violation_is_a_MemberRoleAssumeFailed_error_and_prod_eu_web_is_fixed()
        {
            _env.Run($"$violations = Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant | Get-FmsViolation -IncludeDetail").ShouldSucceed();
            // prod-data (invited, no OrganizationAccountAccessRole) with one of the route violations: AssumeRole is refused there.
            _env.Run($"$other = @($violations | Where-Object AccountId -eq {DemoOrganization.ProdEuWeb})[0].Copy(); $other.AccountId = '{DemoOrganization.ProdData}'; "
                     + "$violations = @($violations) + $other").ShouldSucceed();
            var mark = _env.Mark;
            var run = _env.Run($"$violations | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false");

            Assert.Null(run.Terminating);
            var error = Assert.Single(run.Errors);
            Assert.Equal("MemberRoleAssumeFailed", error.ErrorId());
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains(DemoOrganization.ProdData, error.Message());
            Assert.Contains("AccessDenied", error.Exception.InnerException?.ToString() ?? error.Message());
            var results = run.OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();
            var refused = Assert.Single(results, r => r.AccountId == DemoOrganization.ProdData);
            Assert.Equal(RemediationOutcome.Failed, refused.OutcomeValue);
            Assert.All(results.Where(r => r.AccountId == DemoOrganization.ProdEuWeb), r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            Assert.DoesNotContain(Ec2WritesSince(mark), w => w.CallerAccount == DemoOrganization.ProdData);
            Assert.Contains(_env.CallsSince(mark, "AssumeRole"), c => c.Outcome == "AccessDenied");
        }
    }
}
