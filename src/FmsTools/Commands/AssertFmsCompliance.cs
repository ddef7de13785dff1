using FmsTools.Commands.ComplianceSupport;

namespace FmsTools.Commands
{
    /// <summary>
    /// Stops with a terminating error that lists every violator (policy, region, account, resource, reason) when a
    /// policy is not compliant, or when an input could not be evaluated; otherwise writes nothing (or the evidence
    /// with -PassThru). For Pester, CI gates and runbooks.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Assert, "FmsCompliance", DefaultParameterSetName = ByName)]
    [OutputType(typeof(FmsComplianceTestResult))]
    public sealed class AssertFmsCompliance : FmsComplianceCheckCmdlet
    {
        /// <summary>Write the evidence when compliant.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Violators listed in the error message; the rest are counted (the error's TargetObject holds all the evidence).</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int MaxListed { get; set; } = 50;

        protected override void EndCore()
        {
            var evidence = Evidence();
            if (!evidence.IsCompliant)
            {
                var message = evidence.Summary + Environment.NewLine
                              + string.Join(Environment.NewLine, evidence.DescribeViolators(MaxListed).Select(line => "  " + line));
                throw new FmsTerminatingException(new FmsError("FmsNotCompliant", FmsErrorCategory.InvalidResult, message, evidence,
                    recommendedAction: "Get-FmsViolation -IncludeDetail shows what is wrong; Invoke-FmsRemediation -WhatIf shows how FMS would fix it."));
            }
            if (FailedInputs > 0)
                throw new FmsTerminatingException(new FmsError("FmsComplianceNotEvaluated", FmsErrorCategory.InvalidResult,
                    $"{FailedInputs} inputs could not be evaluated (see the errors above), so compliance is not proven. " + evidence.Summary, evidence));
            WriteVerbose(evidence.Summary);
            if (PassThru.IsPresent) WriteObject(evidence);
        }
    }
}
