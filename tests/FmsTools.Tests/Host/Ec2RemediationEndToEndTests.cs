using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Invoke-FmsRemediation -MemberRoleName end to end in a real runspace against a demo sandbox that serves EC2, when
    /// EC2 refuses a call or its answer is lost: failures are error records with the AWS error and undo, a lost answer is
    /// never sent again. (The main path, rounds, stale violations and prod-data's missing role: Ec2RemediationRoundsTests.)
    /// </summary>
    public sealed class Ec2RemediationEndToEndTests : IDisposable
    {
        private const string Policy = DemoOrganization.NetworkFirewallPolicyName;
        private const string Role = "OrganizationAccountAccessRole";
        private readonly SandboxRunspace _env = new SandboxRunspace();

        public void Dispose() => _env.Dispose();

        // prod-eu-web's (prod-data's violation fails for want of a role: Ec2RemediationRoundsTests).
        private void ReadViolations()
            => _env.Run($"$violations = Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant -AccountId {DemoOrganization.ProdEuWeb} | Get-FmsViolation")
                .ShouldSucceed();

        private IReadOnlyList<RequestLogEntry> Ec2WritesSince(long mark)
            => _env.RequestsSince(mark).Where(e => e.Service == "ec2" && e.Mutating).ToList();

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
    }
}
