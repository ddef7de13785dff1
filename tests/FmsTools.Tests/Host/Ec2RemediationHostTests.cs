using System;
using System.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox.World;
using FmsTools.Tests.ComplianceCmdlets;
using FmsTools.Tests.Sandbox.Evaluation;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Invoke-FmsRemediation -MemberRoleName in a real runspace against the demo sandbox, whose demo-network-firewall route
    /// violations carry the EC2 actions FMS suggests: what -WhatIf shows and sends (nothing to member accounts), one
    /// confirmation per account and policy, -ActionSet validation, and the per-account AssumeRole error. (The sandbox's EC2
    /// endpoint comes with its own branch; these tests hold with or without it.)
    /// </summary>
    public sealed class Ec2RemediationHostTests : IDisposable
    {
        private const string Policy = DemoOrganization.NetworkFirewallPolicyName;
        private readonly SandboxRunspace _env = new SandboxRunspace(options: FrozenDemoRunspace.Options);

        public void Dispose() => _env.Dispose();

        private void PipeViolations(bool detail = false)
            => _env.Run($"$violations = Get-FmsViolation -PolicyId {ComplianceSandbox.PolicyId(Policy)} -AccountId {DemoOrganization.ProdEuWeb}" + (detail ? " -IncludeDetail" : ""))
                .ShouldSucceed();

        [Fact]
        public void WhatIf_lists_every_EC2_call_per_account_and_makes_no_call_into_a_member_account()
        {
            PipeViolations();
            var mark = _env.Mark;
            var text = _env.Host.Text.Length;
            var results = _env.Run("$violations | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -WhatIf").ShouldSucceed()
                .OutputOf<RemediationResult>().ToList();

            var requests = _env.RequestsSince(mark);
            Assert.DoesNotContain(requests, r => r.Mutating);
            Assert.DoesNotContain(requests, r => r.Operation == "AssumeRole" || r.Service.Equals("EC2", StringComparison.OrdinalIgnoreCase));
            Assert.NotEmpty(results);
            Assert.All(results, r =>
            {
                Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue);
                Assert.NotEmpty(r.Ec2Steps);
                Assert.All(r.Ec2Steps, s => { Assert.Equal("Planned", s.Outcome); Assert.Equal(DemoOrganization.ProdEuWeb, s.AccountId); });
                Assert.Contains("What if:", r.Message);
            });
            var calls = results.SelectMany(r => r.Ec2Steps).Select(s => s.Ec2Call).ToList();
            Assert.Contains(calls, c => c.StartsWith("ReplaceRoute rtb-", StringComparison.Ordinal));
            Assert.Contains(calls, c => c.StartsWith("DeleteRoute rtb-", StringComparison.Ordinal));
            // One "What if" per account and policy, naming the account, the policy and every call.
            var whatIf = _env.Host.WhatIfSince(text).Where(w => w.Action.StartsWith("Assume the role", StringComparison.Ordinal)).ToList();
            var only = Assert.Single(whatIf);
            Assert.Contains("account " + DemoOrganization.ProdEuWeb, only.Target);
            Assert.Contains("policy " + Policy, only.Target);
            Assert.Contains("Assume the role OrganizationAccountAccessRole and make " + calls.Count + " EC2 calls", only.Action);
            Assert.All(calls, c => Assert.Contains(c, only.Action));
        }

        [Fact]
        public void Confirm_asks_once_per_account_and_policy_and_a_No_sends_nothing_to_the_account()
        {
            _env.Run($"$violations = Get-FmsComplianceStatus -PolicyName {Policy} -Status NonCompliant | Get-FmsViolation").ShouldSucceed();
            var mark = _env.Mark;
            var prompts = _env.Host.Prompts.Count;
            var results = _env.Run("$violations | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole").ShouldSucceed().OutputOf<RemediationResult>().ToList();

            var asked = _env.Host.PromptsSince(prompts).Where(p => p.Action.StartsWith("Assume the role", StringComparison.Ordinal)).ToList();
            var withEc2 = results.Where(r => r.Ec2Steps.Count > 0).Select(r => r.AccountId).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(withEc2);
            Assert.Equal(withEc2, asked.Select(p => p.Target.Split(' ')[1]).OrderBy(a => a, StringComparer.Ordinal));
            Assert.All(asked, p => Assert.Contains("policy " + Policy, p.Target));
            Assert.DoesNotContain(_env.RequestsSince(mark), r => r.Operation == "AssumeRole" || r.Mutating);
            Assert.All(results.Where(r => r.Ec2Steps.Count > 0), r => Assert.Equal(RemediationOutcome.Planned, r.OutcomeValue));
        }

        [Fact]
        public void ActionSet_is_checked_at_binding_and_against_each_violation_before_any_EC2_call()
        {
            PipeViolations();
            var bad = _env.Run("$violations | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -ActionSet -1 -WhatIf");
            Assert.Equal("ParameterArgumentValidationError", bad.Error.ErrorId());
            Assert.Contains("ActionSet", bad.Error.Message());

            var mark = _env.Mark;
            var results = _env.Run("$violations | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -ActionSet 7 -Confirm:$false").ShouldSucceed()
                .OutputOf<RemediationResult>().ToList();
            var missing = results.Where(r => r.Action == "ActionSet").ToList();
            Assert.NotEmpty(missing);
            Assert.All(missing, r =>
            {
                Assert.Equal(RemediationOutcome.NotSupported, r.OutcomeValue);
                Assert.Contains("-ActionSet 7 names no action set of this violation", r.Step.Description);
            });
            Assert.DoesNotContain(results, r => r.Ec2Steps.Count > 0);
            Assert.DoesNotContain(_env.RequestsSince(mark), r => r.Operation == "AssumeRole" || r.Mutating);
        }

        [Fact]
        public void A_violation_in_an_account_FMS_does_not_know_is_an_error_before_any_call_there_and_the_other_accounts_go_on()
        {
            PipeViolations(detail: true);
            // The same violation (details read) in an account outside the organization: re-read before acting, FMS does not know it.
            _env.Run("$stranger = $violations[0].Copy(); $stranger.AccountId = '999999999999'; $violations = @($violations) + $stranger").ShouldSucceed();
            var mark = _env.Mark;
            var run = _env.Run("$violations | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -Confirm:$false");

            Assert.Null(run.Terminating);
            var error = Assert.Single(run.Errors);
            Assert.Equal("Ec2RemediationViolationReadFailed", error.ErrorId());
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("999999999999", error.Message());
            Assert.DoesNotContain("SecretAccessKey", error.Message());
            var results = run.OutputOf<RemediationResult>().ToList();
            var refused = Assert.Single(results, r => r.AccountId == "999999999999");
            Assert.Equal(RemediationOutcome.Failed, refused.OutcomeValue);
            Assert.All(refused.Ec2Steps, s => Assert.Equal("Skipped", s.Outcome));
            // Only the organization's account was reached through its role (once, cached), and it went on.
            Assert.Single(_env.CallsSince(mark, "AssumeRole"));
            Assert.DoesNotContain(_env.RequestsSince(mark), r => r.Service == "ec2" && r.CallerAccount == "999999999999");
            Assert.Contains(results, r => r.AccountId == DemoOrganization.ProdEuWeb && r.OutcomeValue == RemediationOutcome.Remediated);
        }
    }
}
