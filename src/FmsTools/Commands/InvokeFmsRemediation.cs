using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Remediation;

namespace FmsTools.Commands
{
    /// <summary>
    /// Remediates policies or individual violations. It plans first (read-only: which resources in which accounts
    /// change and how), asks once per policy (ShouldProcess, ConfirmImpact High; -WhatIf makes no mutating call at all),
    /// then turns on the policy's automatic remediation (GetPolicy, then PutPolicy with the current update token) and,
    /// with -Wait, follows FMS's convergence until -Timeout. Writes one RemediationResult per resource (and per policy
    /// whose remediation it turned on): Planned, Remediated, Pending, StillNonCompliant, Failed, Skipped or NotSupported
    /// with the missing capability.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FmsRemediation", DefaultParameterSetName = ByPolicy, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RemediationResult))]
    public sealed class InvokeFmsRemediation : FmsComplianceCmdlet
    {
        private const string ByPolicy = "ByPolicy";
        private const string ByViolation = "ByViolation";
        private const string ById = "ById";

        /// <summary>Policies from Get-FmsPolicy: every violator of every non-compliant account is planned.</summary>
        [Parameter(ParameterSetName = ByPolicy, Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy[]? Policy { get; set; }

        /// <summary>Violations from Get-FmsViolation: only these resources are planned.</summary>
        [Parameter(ParameterSetName = ByViolation, Mandatory = true, ValueFromPipeline = true)]
        public FmsViolation[]? Violation { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        /// <summary>Only violators in these member accounts (with -Policy or -PolicyId).</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter(ParameterSetName = ByPolicy)]
        [Parameter(ParameterSetName = ById)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyAccountIdCompleter))]
        public string[]? AccountId { get; set; }

        /// <summary>After turning remediation on, poll until the planned resources are compliant or -Timeout passes.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait follows convergence (default 30 minutes; network interface changes can take FMS up to 6 hours).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>
        /// The role to assume (sts:AssumeRole) in each member account to make the EC2 changes FMS suggests (routes, route
        /// tables, network ACLs). Default: the role given to Connect-Fms -MemberRoleName; without either, those changes are
        /// not made and their aws CLI / AWS.Tools.EC2 commands are printed.
        /// </summary>
        [Parameter]
        [ValidateLength(1, 64)]
        [ValidatePattern(@"^[\w+=,.@-]+$")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsMemberAccountRoleNameCompleter))]
        public string? MemberRoleName { get; set; }

        /// <summary>The external id the member role's trust policy requires (default: Connect-Fms -MemberRoleExternalId).</summary>
        [Parameter]
        [ValidateLength(2, 1224)]
        [ValidatePattern(@"^[\w+=,.@:/-]+$")]
        public string? MemberRoleExternalId { get; set; }

        /// <summary>The index (0-based) of the action set to take from each violation's PossibleRemediationActions; default: the one FMS marks as default.</summary>
        [Parameter]
        [ValidateRange(0, 99)]
        public int? ActionSet { get; set; }

        /// <summary>Skips the confirmation prompt (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Time between compliance polls under -Wait.</summary>
        private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

        private readonly RemediationRequest _request = new RemediationRequest();

        protected override void ProcessCore()
        {
            if (Policy != null)
                foreach (var policy in Policy.Where(p => p != null))
                    TryItem(policy, () => _request.Policies.Add(ReferenceOf(policy)));
            if (PolicyId != null)
                foreach (var id in PolicyId)
                    TryItem(id, () => _request.Policies.Add(Run(ct => PolicyByIdAsync(DefaultRegion, id, ct))));
            if (Violation != null)
                foreach (var violation in Violation.Where(v => v != null))
                    _request.Violations.Add(violation);
        }

        protected override void EndCore()
        {
            if (_request.Policies.Count == 0 && _request.Violations.Count == 0) return;
            if (AccountId != null && AccountId.Length > 0) _request.AccountIds = AccountId;
            var defaults = SessionDefaults();
            var role = !string.IsNullOrWhiteSpace(MemberRoleName) ? MemberRoleName!.Trim() : defaults?.MemberAccountRoleName?.Trim();
            var externalId = !string.IsNullOrWhiteSpace(MemberRoleExternalId) ? MemberRoleExternalId : defaults?.MemberRoleExternalId;
            var service = new RemediationService(region => SessionFor(region).Fms, ServiceFor, Reporter, Clock, Throttle)
            {
                Journal = OpenJournal(Session),
                MemberRoleName = role ?? "",
                PlanningOptions = new RemediationPlanningOptions { ExecuteEc2Actions = !string.IsNullOrEmpty(role), ActionSet = ActionSet },
            };
            if (!string.IsNullOrEmpty(role))
                service.MemberEc2 = async (account, region, ct) => (await SessionFor(region).ForAccountAsync(account, role, externalId, ct).ConfigureAwait(false)).Ec2;
            var plan = Run(ct => service.PlanAsync(_request, ct));
            if (plan.Steps.Count == 0)
            {
                WriteVerbose("Nothing to remediate: no violators and every policy already remediates automatically.");
                return;
            }

            // One question per policy; a policy with nothing FmsTools can do is reported without asking.
            var approved = new List<RemediationStep>();
            foreach (var steps in RemediationService.ByPolicy(plan))
            {
                var prompt = RemediationService.Describe(steps);
                if (prompt != null && ShouldProcess(prompt.Target, prompt.Action, Force.IsPresent))
                    approved.AddRange(steps.Where(s => s.KindValue != RemediationStepKind.Ec2Action));
                // EC2 changes: one question per member account of the policy, naming every call.
                foreach (var (ec2Prompt, ec2Steps) in RemediationService.DescribeEc2(steps, role ?? ""))
                    if (ShouldProcess(ec2Prompt.Target, ec2Prompt.Action, Force.IsPresent)) approved.AddRange(ec2Steps);
            }

            var options = new RemediationExecutionOptions { WaitForCompliance = Wait.IsPresent, Timeout = Timeout, PollInterval = PollInterval };
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var result in Run(ct => service.ExecuteAsync(plan, approved, options, ct)))
            {
                if (result.Error is MemberRoleException denied && reported.Add(denied.AccountId))
                    WriteFmsError(new FmsError("MemberRoleAssumeFailed", denied.Denied ? FmsErrorCategory.PermissionDenied : FmsErrorCategory.ConnectionError,
                        denied.Message + " Its EC2 changes were not made; the other accounts go on.", denied.AccountId, denied,
                        $"Check that the role {denied.RoleName} exists in account {denied.AccountId} and trusts the FMS administrator's credentials (and the external id, if its trust policy requires one)."));
                if (result.OutcomeValue == RemediationOutcome.Failed && result.Step.KindValue == RemediationStepKind.Ec2Action && result.Error is FmsTools.Aws.Runtime.AwsServiceException unread
                    && !result.Ec2Steps.Any(s => s.OutcomeValue == Ec2StepOutcome.Failed))
                    WriteFmsError(new FmsError("Ec2RemediationViolationReadFailed", ErrorMapper.CategoryOf(unread),
                        $"EC2 remediation of {result.ResourceType} {result.ResourceId} in account {result.AccountId}: {result.Message}", result, unread,
                        "Read the violation with Get-FmsViolation (it may be gone, or the account may not be in the organization) and run the remediation again."));
                else if (result.OutcomeValue == RemediationOutcome.Failed && result.Step.KindValue == RemediationStepKind.Ec2Action && !(result.Error is MemberRoleException))
                {
                    var failed = result.Ec2Steps.FirstOrDefault(s => s.OutcomeValue == Ec2StepOutcome.Failed);
                    WriteFmsError(new FmsError("Ec2RemediationStepFailed", Ec2Category(failed?.ErrorCode ?? ""),
                        $"EC2 remediation of {result.ResourceType} {result.ResourceId} in account {result.AccountId} failed: {result.Message}", result, null,
                        "The RemediationResult's Ec2Steps list each call: which were undone and which were left in place. Fix the cause and run the remediation again."));
                }
                if (result.OutcomeValue == RemediationOutcome.MayHaveBeenApplied)
                    WriteFmsError(new FmsError("Ec2RemediationStepMayHaveBeenApplied", FmsErrorCategory.ConnectionError,
                        $"EC2 remediation of {result.ResourceType} {result.ResourceId} in account {result.AccountId}: {result.Message}", result, null,
                        "Read the resource (Get-FmsViolation -IncludeDetail, or aws ec2 describe-route-tables / describe-network-acls in that account) before running the remediation again."));
                if (result.OutcomeValue == RemediationOutcome.StillNonCompliant && result.Step.KindValue == RemediationStepKind.Ec2Action)
                    WriteFmsError(new FmsError("Ec2RemediationNotConverging", FmsErrorCategory.InvalidResult,
                        $"EC2 remediation of {result.ResourceType} {result.ResourceId} in account {result.AccountId} did not converge: {result.Message}", result, null,
                        "The RemediationResult's Ec2Steps list each round's calls (Round). Read the violation (Get-FmsViolation -IncludeDetail) and the resource in that account before running the remediation again."));
                if (result.OutcomeValue == RemediationOutcome.Failed && result.Step.KindValue == RemediationStepKind.EnablePolicyRemediation)
                    WriteFmsError(new FmsError("EnablePolicyRemediationFailed",
                        result.Error is FmsTools.Aws.Runtime.AwsServiceException aws ? ErrorMapper.CategoryOf(aws) : result.Error != null ? ErrorMapper.Map(result.Error, result).Category : FmsErrorCategory.InvalidOperation,
                        $"Could not turn on automatic remediation of {result.PolicyName} ({result.PolicyId}) in {result.Region}: {result.Message}"
                        + (result.Error is FmsTools.Aws.Runtime.AwsServiceException code && result.Message.IndexOf(code.ErrorCode, StringComparison.Ordinal) < 0 ? $" ({code.ErrorCode})" : ""),
                        result, result.Error,
                        "Its resources are reported as not remediated. Fix the cause (Get-FmsPolicy shows the policy; Set-FmsPolicy -RemediationEnabled turns it on) and run the remediation again."));
                if (result.AwsCliCommand.Length > 0)
                    WriteVerbose($"FmsTools cannot make the EC2 changes for {result.ResourceType} {result.ResourceId} ({result.Action}); the aws CLI commands "
                                             + "(PowerShellCommand has the AWS.Tools.EC2 form):\n" + result.AwsCliCommand);
                WriteObject(result);
            }
        }

        /// <summary>The PowerShell category for the EC2 error code a step failed with.</summary>
        internal static FmsErrorCategory Ec2Category(string code)
        {
            if (code.EndsWith(".NotFound", StringComparison.Ordinal)) return FmsErrorCategory.ObjectNotFound;
            if (code.EndsWith(".Malformed", StringComparison.Ordinal) || code.StartsWith("InvalidParameter", StringComparison.Ordinal) || code == "MissingParameter")
                return FmsErrorCategory.InvalidArgument;
            switch (code)
            {
                case "UnauthorizedOperation":
                case "AccessDenied":
                case "AuthFailure":
                    return FmsErrorCategory.PermissionDenied;
                case "RouteAlreadyExists":
                case "NetworkAclEntryAlreadyExists":
                case "Resource.AlreadyAssociated":
                    return FmsErrorCategory.ResourceExists;
                case "RequestLimitExceeded":
                case "ThrottlingException":
                    return FmsErrorCategory.ResourceBusy;
                case "RouteLimitExceeded":
                case "RouteTableLimitExceeded":
                case "NetworkAclLimitExceeded":
                case "NetworkAclEntryLimitExceeded":
                    return FmsErrorCategory.LimitsExceeded;
                case "InternalError":
                case "InternalFailure":
                case "InternalErrorException":
                case "Unavailable":
                case "ServiceUnavailable":
                    return FmsErrorCategory.ResourceUnavailable;
                case "":
                    return FmsErrorCategory.ConnectionError;
            }
            return FmsErrorCategory.InvalidOperation;
        }
    }
}
