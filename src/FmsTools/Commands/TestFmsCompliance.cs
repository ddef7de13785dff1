using FmsTools.Commands.ComplianceSupport;

namespace FmsTools.Commands
{
    /// <summary>
    /// Checks that policies are compliant in every account they cover and returns the evidence (IsCompliant, the
    /// non-compliant rows and their violators), or with -Quiet just $true or $false. For Pester and runbooks.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FmsCompliance", DefaultParameterSetName = ByName)]
    [OutputType(typeof(FmsComplianceTestResult), typeof(bool))]
    public sealed class TestFmsCompliance : FmsComplianceCheckCmdlet
    {
        /// <summary>Return only $true (compliant) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndCore()
        {
            var evidence = Evidence();
            // Inputs that could not be read are not evidence of compliance.
            var compliant = evidence.IsCompliant && FailedInputs == 0;
            if (Quiet.IsPresent) WriteObject(compliant);
            else
            {
                if (FailedInputs > 0) WriteWarning($"{FailedInputs} inputs could not be evaluated (see the errors); IsCompliant covers only the rest.");
                WriteObject(evidence);
            }
        }
    }
}
