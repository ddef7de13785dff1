using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Invoke-FmsRemediation -MemberRoleName end to end in a real runspace against the demo sandbox (which serves EC2 and
    /// re-evaluates compliance from its EC2 world): one run finishes the job in rounds that follow what FMS suggests after each
    /// change, prod-data (no role) fails with AccessDenied, violation objects that are stale by the time they are acted on are
    /// skipped, the journal has the member account and request id, a network ACL policy with automatic remediation off is
    /// fixed through EC2, a refused call is undone and a lost answer never resent. Behaviour is read from the sandbox's
    /// request log and from Firewall Manager's own answers afterwards.
    /// </summary>
    public sealed class Ec2RemediationEndToEndTests : IDisposable
    {
        private const string Policy = DemoOrganization.NetworkFirewallPolicyName;
        private const string Role = "OrganizationAccountAccessRole";
        private readonly SandboxRunspace _env = new SandboxRunspace();

        public void Dispose() => _env.Dispose();

        private List<FmsViolation> Violations(string policy)
            => _env.Run($"Get-FmsComplianceStatus -PolicyName {policy} -Status NonCompliant | Get-FmsViolation -IncludeDetail").ShouldSucceed()
                .OutputOf<FmsViolation>().ToList();

        // prod-eu-web's violations (prod-data's fails for want of a role).
        private void ReadViolations()
            => _env.Run($"$violations = Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant -AccountId {DemoOrganization.ProdEuWeb} | Get-FmsViolation")
                .ShouldSucceed();

        private IReadOnlyList<RequestLogEntry> Ec2WritesSince(long mark)
            => _env.RequestsSince(mark).Where(e => e.Service == "ec2" && e.Mutating).ToList();

        private List<RemediationResult> Ec2Results(string script)
            => _env.Run(script).ShouldSucceed().OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();

        private static void AllAre(IReadOnlyCollection<RemediationResult> results, RemediationOutcome outcome, string message)
        {
            Assert.NotEmpty(results);
            Assert.All(results, r => { Assert.Equal(outcome, r.OutcomeValue); Assert.Contains(message, r.Message); });
        }

        /// <summary>The EC2 operation a step's call names (a copied route table is CreateRouteTable plus a CreateRoute per route).</summary>
        private static string Operation(Ec2StepResult step) => step.Ec2Call.Split(' ')[0];

        [Fact]
        public void One_run_of_the_policy_leaves_no_suggested_route_fix_where_the_role_exists_and_prod_data_fails_with_AccessDenied()
        {
            var before = Violations(Policy).Where(v => v.PossibleRemediationActions.Count > 0).ToList();
            Assert.Contains(before, v => v.AccountId == DemoOrganization.ProdEuWeb);
            Assert.Contains(before, v => v.AccountId == DemoOrganization.ProdData);
            _env.Session.Set("stale", before.Where(v => v.AccountId == DemoOrganization.ProdEuWeb).ToArray());

            var mark = _env.Mark;
            var started = DateTime.UtcNow;
            var run = _env.Run($"Get-FmsPolicy -Name {Policy} | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false -Verbose");
            var ended = DateTime.UtcNow;

            // prod-data has no OrganizationAccountAccessRole: one error, its result Failed, nothing sent there.
            Assert.Null(run.Terminating);
            var error = Assert.Single(run.Errors);
            Assert.Equal("MemberRoleAssumeFailed", error.ErrorId());
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains(DemoOrganization.ProdData, error.Message());
            Assert.Contains("AccessDenied", error.Message());
            Assert.Empty(run.Warnings);
            var results = run.OutputOf<RemediationResult>().Where(r => r.Ec2Steps.Count > 0).ToList();
            Assert.Equal(RemediationOutcome.Failed, Assert.Single(results, r => r.AccountId == DemoOrganization.ProdData).OutcomeValue);
            var fixedHere = results.Where(r => r.AccountId != DemoOrganization.ProdData).ToList();
            Assert.NotEmpty(fixedHere);
            Assert.All(fixedHere, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));

            // Rounds: the first run's routes make FMS expect return routes at the internet gateways; the second round makes them.
            var steps = fixedHere.SelectMany(r => r.Ec2Steps).ToList();
            Assert.Contains(steps, s => s.Round == 1 && s.Outcome == "Remediated");
            Assert.Contains(steps, s => s.Round == 2 && s.Outcome == "Remediated");
            Assert.All(steps, s => Assert.InRange(s.Round, 1, 3));
            Assert.Contains(run.Verbose, v => v.StartsWith("Round 2 for " + Policy, StringComparison.Ordinal));

            // Firewall Manager afterwards: nothing it suggests EC2 actions for is left in the accounts with the role.
            var after = Violations(Policy);
            Assert.DoesNotContain(after, v => v.AccountId != DemoOrganization.ProdData && v.PossibleRemediationActions.Count > 0);
            Assert.DoesNotContain(after, v => v.AccountId == DemoOrganization.ProdEuWeb);
            Assert.Contains(after, v => v.AccountId == DemoOrganization.ProdData && v.PossibleRemediationActions.Count > 0);

            // The request log: every EC2 write made as prod-eu-web and applied, the same calls the results name; one AssumeRole
            // per account, prod-data's refused.
            var writes = Ec2WritesSince(mark);
            Assert.All(writes, w =>
            {
                Assert.Equal(DemoOrganization.ProdEuWeb, w.CallerAccount);
                Assert.Equal("Success", w.Outcome);
                Assert.False(w.DryRun);
            });
            var made = steps.Where(s => s.Outcome == "Remediated").ToList();
            Assert.Equal(made.Select(Operation).Where(o => o != "CreateRoute").OrderBy(o => o, StringComparer.Ordinal),
                writes.Select(w => w.Operation).Where(o => o != "CreateRoute").OrderBy(o => o, StringComparer.Ordinal));
            Assert.True(writes.Count(w => w.Operation == "CreateRoute") >= made.Count(s => Operation(s) == "CreateRoute"));
            Assert.Equal(new[] { "AccessDenied", "Success" }, _env.CallsSince(mark, "AssumeRole").Select(c => c.Outcome).OrderBy(o => o, StringComparer.Ordinal));

            // The journal: each EC2 change under the member account, with the request id EC2 answered.
            var requestIds = new HashSet<string>(writes.Select(w => w.RequestId), StringComparer.Ordinal);
            // (The journal is the test process's shared one: this run's entries are those within its time window with its request ids.)
            var journal = _env.Run("Get-FmsChangeHistory -TargetType Ec2RouteTable").ShouldSucceed().OutputOf<FmsChangeEntry>()
                .Where(j => j.Time.ToUniversalTime() >= started && j.Time.ToUniversalTime() <= ended && requestIds.Contains(j.RequestId ?? "")).ToList();
            Assert.Equal(requestIds.OrderBy(i => i, StringComparer.Ordinal), journal.Select(j => j.RequestId).OrderBy(i => i, StringComparer.Ordinal));
            Assert.All(journal, j => Assert.Equal(DemoOrganization.ProdEuWeb, j.Account));

            // The violation objects read before the run are stale now: re-read first, nothing written, no role assumed.
            mark = _env.Mark;
            AllAre(Ec2Results($"$stale | Invoke-FmsRemediation -MemberRoleName {Role} -Confirm:$false"), RemediationOutcome.Skipped, "FMS no longer reports");
            Assert.Empty(Ec2WritesSince(mark));
            Assert.Empty(_env.CallsSince(mark, "AssumeRole"));
        }

        [Fact]
        public void WhatIf_plans_the_first_round_says_more_may_follow_and_sends_no_EC2_STS_or_mutating_request()
        {
            var mark = _env.Mark;
            var text = _env.Host.Text.Length;
            var results = Ec2Results($"Get-FmsPolicy -Name {Policy} | Invoke-FmsRemediation -MemberRoleName {Role} -WhatIf");

            AllAre(results, RemediationOutcome.Planned, "up to 2 more rounds");
            Assert.All(results.SelectMany(r => r.Ec2Steps), s => Assert.Equal(1, s.Round));
            var whatIf = _env.Host.WhatIfSince(text).Where(w => w.Action.StartsWith("Assume the role", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, whatIf.Count); // prod-eu-web and prod-data
            Assert.All(whatIf, w => Assert.Contains("up to 2 more rounds of the EC2 calls FMS suggests after these changes", w.Action));
            Assert.DoesNotContain(_env.RequestsSince(mark), e => e.Mutating || e.Service == "ec2" || e.Service == "sts");
        }

        [Fact]
        public void A_network_ACL_policy_without_automatic_remediation_is_fixed_through_EC2_in_the_member_accounts()
        {
            _env.Run("$nacl = New-FmsNetworkAclPolicy -Name nacl-through-ec2 -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 3389 } "
                     + "-LastEntry @{ Action = 'allow'; Protocol = 'all'; CidrBlock = '10.0.0.0/8' } "
                     + $"-IncludeAccount {DemoOrganization.ProdWeb}, {DemoOrganization.ProdApi} -Confirm:$false").ShouldSucceed();
            var before = Violations("nacl-through-ec2");
            Assert.Contains(before, v => v.AccountId == DemoOrganization.ProdWeb);
            Assert.Contains(before, v => v.AccountId == DemoOrganization.ProdApi);
            Assert.All(before, v => Assert.Equal("INVALID_NETWORK_ACL_ENTRY", v.Reason));
            // FMS marks the actions as not its own while the policy's automatic remediation is off.
            Assert.All(before.SelectMany(v => v.PossibleRemediationActions).SelectMany(o => o.Actions), a => Assert.False(a.FMSCanRemediate));

            // Turning automatic remediation on is declined; the EC2 changes in each account are accepted.
            _env.Host.Answers.Enqueue("No");
            _env.Host.Answers.Enqueue("Yes to All");
            var mark = _env.Mark;
            var results = Ec2Results($"$nacl | Invoke-FmsRemediation -MemberRoleName {Role}");

            Assert.Equal(before.Count, results.Count);
            Assert.All(results, r => Assert.Equal(RemediationOutcome.Remediated, r.OutcomeValue));
            var writes = Ec2WritesSince(mark);
            Assert.All(writes, w => Assert.Equal("Success", w.Outcome));
            Assert.Equal(new[] { DemoOrganization.ProdWeb, DemoOrganization.ProdApi }.OrderBy(a => a, StringComparer.Ordinal),
                writes.Select(w => w.CallerAccount).Distinct().OrderBy(a => a, StringComparer.Ordinal));
            var operations = writes.Select(w => w.Operation).Distinct().ToList();
            Assert.Contains("CreateNetworkAclEntry", operations);
            Assert.Contains("CreateNetworkAcl", operations);
            Assert.Contains("ReplaceNetworkAclAssociation", operations);
            Assert.DoesNotContain(_env.RequestsSince(mark), e => e.Operation == "PutPolicy");

            // Compliance converges from the changed network ACLs alone: the policy's remediation is still off.
            Assert.Empty(Violations("nacl-through-ec2"));
            Assert.Equal("False", _env.Run("(Get-FmsPolicy -Name nacl-through-ec2).RemediationEnabled").ShouldSucceed().Output.Single().ToString());
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
    }
}
