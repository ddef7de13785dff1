using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Remediation
{
    /// <summary>What kind of change a step is.</summary>
    public enum RemediationStepKind
    {
        /// <summary>Turn on the policy's automatic remediation (PutPolicy; FmsTools can do this).</summary>
        EnablePolicyRemediation,

        /// <summary>A change FMS makes itself once the policy's remediation is on.</summary>
        FmsAutomaticRemediation,

        /// <summary>A change outside FMS's automatic remediation (EC2 routes, NACLs, policy settings ...).</summary>
        ManualAction,

        /// <summary>An EC2 change FMS suggests that FmsTools makes in the member account, through the member role (-MemberRoleName).</summary>
        Ec2Action,
    }

    /// <summary>One change to one resource (or to the policy itself).</summary>
    public sealed class RemediationStep
    {
        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string PolicyType { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string AccountName { get; set; } = "";
        public string Region { get; set; } = "";
        public string ResourceId { get; set; } = "";
        public string ResourceType { get; set; } = "";

        /// <summary>The violation reason the step answers; empty for policy-level steps.</summary>
        public string Reason { get; set; } = "";

        /// <remarks>The name of a <see cref="RemediationStepKind"/> value (ConvertTo-Json writes enums as numbers); the engine reads KindValue.</remarks>
        public string Kind { get => KindValue.ToString(); set => KindValue = EnumName.Parse<RemediationStepKind>(value, nameof(Kind)); }

        internal RemediationStepKind KindValue { get; set; }

        /// <summary>Short action name, e.g. EnableAutomaticRemediation, AssociateWebAcl, EC2CreateRouteAction.</summary>
        public string Action { get; set; } = "";

        public string Description { get; set; } = "";

        /// <summary>Order within the resource's steps (FMS's order for multi-step remediations).</summary>
        public int Order { get; set; } = 1;

        /// <summary>True when FmsTools (through FMS) can carry the step out.</summary>
        public bool CanExecute { get; set; }

        /// <summary>What FmsTools would need to carry the step out (an API or a policy change); empty when executable.</summary>
        public string MissingCapability { get; set; } = "";

        /// <summary>
        /// aws CLI commands that carry out an EC2 step FmsTools cannot (one per line, in order; comment lines start with #);
        /// empty for other steps. FmsTools never runs them.
        /// </summary>
        public IReadOnlyList<string> AwsCliCommands { get; set; } = new string[0];

        /// <summary>The same as AWS.Tools.EC2 cmdlet calls (a comment line where only the CLI form is generated).</summary>
        public IReadOnlyList<string> PowerShellCommands { get; set; } = new string[0];

        /// <summary>The EC2 calls of an <see cref="RemediationStepKind.Ec2Action"/> step, in order; empty for other steps.</summary>
        public IReadOnlyList<string> Ec2Calls => Items.ReadOnly(Ec2Operations.Select(o => o.Text));

        internal IReadOnlyList<Ec2Operation> Ec2Operations { get; set; } = new Ec2Operation[0];

        /// <summary>A ready-to-review aws CLI script: where to run it (account, Region) as a comment, then <see cref="AwsCliCommands"/>; "" when none.</summary>
        public string AwsCliCommand => Script(AwsCliCommands);

        /// <summary>A ready-to-review AWS.Tools.EC2 script: where to run it as a comment, then <see cref="PowerShellCommands"/>; "" when none.</summary>
        public string PowerShellCommand => Script(PowerShellCommands);

        private string Script(IReadOnlyList<string> lines)
            => lines.Count == 0 ? "" : Ec2CommandBuilder.Header(AccountId, AccountName, Region) + "\n" + string.Join("\n", lines);

        public override string ToString() => $"{Kind} {Action} {AccountId} {Region} {ResourceType} {ResourceId}" + (CanExecute ? "" : $" [needs {MissingCapability}]");
    }

    /// <summary>A remediation plan: what would change, where and how; nothing has been changed.</summary>
    public sealed class RemediationPlan
    {
        public RemediationPlan(IReadOnlyList<RemediationStep> steps, IReadOnlyList<PolicyReference> policiesToEnable)
        {
            Steps = steps ?? throw new ArgumentNullException(nameof(steps));
            PoliciesToEnable = policiesToEnable ?? throw new ArgumentNullException(nameof(policiesToEnable));
        }

        public IReadOnlyList<RemediationStep> Steps { get; }

        /// <summary>Policies whose automatic remediation the plan turns on.</summary>
        public IReadOnlyList<PolicyReference> PoliciesToEnable { get; }

        public IEnumerable<RemediationStep> ExecutableSteps => Steps.Where(s => s.CanExecute);

        public IEnumerable<RemediationStep> BlockedSteps => Steps.Where(s => !s.CanExecute);

        /// <summary>Resource-level steps (policy-level steps excluded).</summary>
        public IEnumerable<RemediationStep> ResourceSteps => Steps.Where(s => s.KindValue != RemediationStepKind.EnablePolicyRemediation);

        public int AccountCount => ResourceSteps.Select(s => s.AccountId).Distinct(StringComparer.Ordinal).Count();

        public override string ToString()
            => $"{PoliciesToEnable.Count} policies to enable remediation on; {ResourceSteps.Count()} resource steps in {AccountCount} accounts, {BlockedSteps.Count()} not executable by FmsTools";
    }

    /// <summary>How one resource (or policy) ended up.</summary>
    public enum RemediationOutcome
    {
        /// <summary>-WhatIf: nothing was changed; this is what would happen.</summary>
        Planned,

        /// <summary>FMS no longer lists the resource as a violator.</summary>
        Remediated,

        /// <summary>Remediation was started and not waited for.</summary>
        Pending,

        /// <summary>Still a violator when the wait ended.</summary>
        StillNonCompliant,

        Failed,

        /// <summary>Nothing to do (e.g. remediation was already on).</summary>
        Skipped,

        /// <summary>Needs a capability FmsTools lacks (see MissingCapability).</summary>
        NotSupported,

        /// <summary>An EC2 call was sent and its answer lost: it may have been applied (see Ec2Steps); it was not sent again.</summary>
        MayHaveBeenApplied,
    }

    public sealed class RemediationResult
    {
        public RemediationResult(RemediationStep step, RemediationOutcome outcome, string message)
        {
            Step = step ?? throw new ArgumentNullException(nameof(step));
            OutcomeValue = outcome;
            Message = message ?? "";
        }

        public RemediationStep Step { get; }
        /// <remarks>The name of a <see cref="RemediationOutcome"/> value (ConvertTo-Json writes enums as numbers); the engine reads OutcomeValue.</remarks>
        public string Outcome => OutcomeValue.ToString();

        internal RemediationOutcome OutcomeValue { get; }
        public string Message { get; }
        public string PolicyId => Step.PolicyId;
        public string PolicyName => Step.PolicyName;
        public string AccountId => Step.AccountId;
        public string Region => Step.Region;
        public string ResourceId => Step.ResourceId;
        public string ResourceType => Step.ResourceType;
        public string Action => Step.Action;
        public string MissingCapability => Step.MissingCapability;

        /// <summary>The aws CLI commands (with where to run them) of an EC2 step FmsTools cannot carry out; "" otherwise.</summary>
        public string AwsCliCommand => Step.AwsCliCommand;

        /// <summary>The same as AWS.Tools.EC2 cmdlet calls; "" otherwise.</summary>
        public string PowerShellCommand => Step.PowerShellCommand;

        /// <summary>The AWS error of a failure, when there was one.</summary>
        public Exception? Error { get; set; }

        /// <summary>The EC2 calls made (or planned) in the member account for this resource, one per call, in order; empty when none.</summary>
        public IReadOnlyList<Ec2StepResult> Ec2Steps { get => _ec2Steps; set => _ec2Steps = Items.ReadOnly(value); }

        private ReadOnlyItemList<Ec2StepResult> _ec2Steps = Items.ReadOnly(new Ec2StepResult[0]);

        public override string ToString() => $"{Outcome} {AccountId} {Region} {ResourceType} {ResourceId}: {Message}";
    }
}
