using System;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Remediation;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Invoke-FmsRemediation in a real runspace: when the PutPolicy that turns a policy's automatic remediation on is refused,
    /// the user gets a non-terminating error record (stable id, the AWS error's category, the result as target), not a warning,
    /// and the other input goes on.
    /// </summary>
    public sealed class RemediationEnableErrorTests : IDisposable
    {
        private readonly SandboxRunspace _env = new SandboxRunspace();

        public void Dispose() => _env.Dispose();

        [Fact]
        public void A_refused_PutPolicy_is_an_EnablePolicyRemediationFailed_error_record_and_not_a_warning()
        {
            _env.Run("$p = Get-FmsPolicy -Name demo-waf-baseline; Set-FmsPolicy -PolicyId $p.PolicyId -RemediationEnabled:$false -Confirm:$false").ShouldSucceed();
            // More failures than the client's retries: the PutPolicy that turns remediation on ends refused.
            _env.Sandbox.Faults.FailNext("fms:PutPolicy", 20, FaultKind.InternalErrorException);
            var mark = _env.Mark;
            var run = _env.Run("Get-FmsPolicy -Name demo-waf-baseline | Invoke-FmsRemediation -Force");
            _env.Sandbox.Faults.Clear();

            Assert.Null(run.Terminating);
            Assert.Empty(run.Warnings);
            var error = Assert.Single(run.Errors);
            Assert.Equal("EnablePolicyRemediationFailed", error.ErrorId());
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Contains("demo-waf-baseline", error.Message());
            Assert.Contains("InternalErrorException", error.Message());
            var target = error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject;
            var failed = Assert.IsType<RemediationResult>(target);
            Assert.Equal(RemediationStepKind.EnablePolicyRemediation, failed.Step.KindValue);
            Assert.Equal(RemediationOutcome.Failed, failed.OutcomeValue);
            Assert.Contains(run.OutputOf<RemediationResult>(), r => ReferenceEquals(r, failed));
            Assert.Contains(_env.RequestsSince(mark), e => e.Operation == "PutPolicy" && e.Outcome == "InternalErrorException");
            Assert.Equal("False", _env.Run("(Get-FmsPolicy -Name demo-waf-baseline).RemediationEnabled").ShouldSucceed().Output.Single().ToString());
        }
    }
}
