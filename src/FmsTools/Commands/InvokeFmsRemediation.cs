using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.Remediation;
using FmsTools.Infrastructure;

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
        public SwitchParameter Wait { get => new SwitchParameter(WaitFlag); set => WaitFlag = value.IsPresent; }

        /// <summary>-Wait as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool WaitFlag { get; set; }

        /// <summary>How long -Wait follows convergence (default 30 minutes; network interface changes can take FMS up to 6 hours).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>Skips the confirmation prompt (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get => new SwitchParameter(ForceFlag); set => ForceFlag = value.IsPresent; }

        /// <summary>-Force as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ForceFlag { get; set; }

        /// <summary>Time between compliance polls under -Wait.</summary>
        internal TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

        private readonly Dictionary<string, PolicyReference> _policies = new Dictionary<string, PolicyReference>(StringComparer.Ordinal);
        private readonly List<string> _policyOrder = new List<string>();
        private readonly Dictionary<string, FmsViolation> _violations = new Dictionary<string, FmsViolation>(StringComparer.Ordinal);

        /// <summary>The plan the last run made (tests read it).</summary>
        internal RemediationPlan? LastPlan { get; private set; }

        protected override void ProcessCore()
        {
            if (Policy != null)
                foreach (var policy in Policy.Where(p => p != null))
                    TryItem(policy, () => AddPolicy(ReferenceOf(policy)));
            if (PolicyId != null)
                foreach (var id in PolicyId)
                    TryItem(id, () => AddPolicy(Run(ct => PolicyByIdAsync(DefaultRegion, id, ct))));
            if (Violation != null)
                foreach (var violation in Violation.Where(v => v != null))
                    // Keyed with the reason too: a resource can violate one policy for several reasons (a VPC's route reasons).
                    _violations[Key(violation.Region, violation.PolicyId) + "/" + violation.AccountId + "/" + violation.ResourceType + "/" + violation.ResourceId + "/" + violation.Reason] = violation;
        }

        protected override void EndCore()
        {
            if (_policies.Count == 0 && _violations.Count == 0) return;
            var plan = Run(PlanAsync);
            LastPlan = plan;
            CommandHost.WriteVerbose("Remediation plan: " + plan);
            if (plan.Steps.Count == 0)
            {
                CommandHost.WriteVerbose("Nothing to remediate: no violators and every policy already remediates automatically.");
                return;
            }

            var approved = new List<RemediationStep>();
            var notApproved = new List<RemediationStep>();
            foreach (var group in plan.Steps.GroupBy(s => Key(s.Region, s.PolicyId)))
            {
                var steps = group.ToList();
                if (!steps.Any(s => s.CanExecute))
                {
                    // Nothing FmsTools can do for this policy: report what is missing without asking.
                    notApproved.AddRange(steps);
                    continue;
                }
                var (target, action) = Describe(steps);
                if (CommandHost.ShouldProcess(target, action, ForceFlag)) approved.AddRange(steps);
                else notApproved.AddRange(steps);
            }

            var executor = new RemediationExecutor(region => SessionFor(region).Fms, Reporter, Clock, Throttle) { Journal = OpenJournal(Session) };
            var results = new List<RemediationResult>();
            if (notApproved.Count > 0)
                results.AddRange(Run(ct => executor.ExecuteAsync(Subplan(plan, notApproved), new RemediationExecutionOptions { WhatIf = true }, ct)));
            if (approved.Count > 0)
            {
                var options = new RemediationExecutionOptions { WaitForCompliance = WaitFlag, Timeout = Timeout, PollInterval = PollInterval };
                results.AddRange(Run(ct => executor.ExecuteAsync(Subplan(plan, approved), options, ct)));
            }

            var order = plan.Steps.Select((step, index) => (step, index)).ToDictionary(p => p.step, p => p.index);
            foreach (var result in PerResource(results.OrderBy(r => order.TryGetValue(r.Step, out var i) ? i : int.MaxValue)))
            {
                if (result.OutcomeValue == RemediationOutcome.Failed && result.Step.KindValue == RemediationStepKind.EnablePolicyRemediation)
                    CommandHost.WriteWarning($"Could not turn on automatic remediation of {result.PolicyName} ({result.PolicyId}) in {result.Region}: {result.Message}");
                if (result.AwsCliCommand.Length > 0)
                    CommandHost.WriteVerbose($"FmsTools cannot make the EC2 changes for {result.ResourceType} {result.ResourceId} ({result.Action}); the aws CLI commands "
                                             + "(PowerShellCommand has the AWS.Tools.EC2 form):\n" + result.AwsCliCommand);
                CommandHost.WriteObject(result);
            }
        }

        // Which outcome speaks for a resource whose remediation has several ordered steps: FMS no longer listing it wins,
        // then what stopped it, then what is still open.
        private static readonly RemediationOutcome[] OutcomePrecedence =
        {
            RemediationOutcome.Remediated, RemediationOutcome.Failed, RemediationOutcome.NotSupported, RemediationOutcome.StillNonCompliant,
            RemediationOutcome.Pending, RemediationOutcome.Planned, RemediationOutcome.Skipped,
        };

        /// <summary>One result per resource (and per policy step): multi-step remediations (NACLs, routes) are folded into one.</summary>
        internal static IEnumerable<RemediationResult> PerResource(IEnumerable<RemediationResult> ordered)
        {
            var groups = new List<List<RemediationResult>>();
            var index = new Dictionary<string, List<RemediationResult>>(StringComparer.Ordinal);
            foreach (var result in ordered)
            {
                var step = result.Step;
                var key = step.KindValue == RemediationStepKind.EnablePolicyRemediation
                    ? "policy|" + step.Region + "|" + step.PolicyId
                    : string.Join("|", "resource", step.Region, step.PolicyId, step.AccountId, step.ResourceType, step.ResourceId);
                if (!index.TryGetValue(key, out var group))
                {
                    group = new List<RemediationResult>();
                    index[key] = group;
                    groups.Add(group);
                }
                group.Add(result);
            }
            foreach (var group in groups)
            {
                if (group.Count == 1)
                {
                    yield return group[0];
                    continue;
                }
                var steps = group.Select(r => r.Step).OrderBy(s => s.Order).ToList();
                var first = steps[0];
                var combined = new RemediationStep
                {
                    PolicyId = first.PolicyId, PolicyName = first.PolicyName, PolicyType = first.PolicyType, AccountId = first.AccountId,
                    AccountName = first.AccountName, Region = first.Region, ResourceId = first.ResourceId, ResourceType = first.ResourceType,
                    Reason = first.Reason, Order = first.Order,
                    KindValue = steps.All(s => s.KindValue == RemediationStepKind.FmsAutomaticRemediation) ? RemediationStepKind.FmsAutomaticRemediation : RemediationStepKind.ManualAction,
                    Action = string.Join(", ", steps.Select(s => s.Action)),
                    Description = string.Join(" ", steps.Select(s => s.Order + ". " + s.Description)),
                    CanExecute = steps.All(s => s.CanExecute),
                    MissingCapability = string.Join("; ", steps.Where(s => s.MissingCapability.Length > 0)
                        .Select(s => s.Action + " needs " + s.MissingCapability).Distinct(StringComparer.Ordinal)),
                    AwsCliCommands = steps.SelectMany(s => s.AwsCliCommands).ToList(),
                    PowerShellCommands = steps.SelectMany(s => s.PowerShellCommands).ToList(),
                };
                var outcome = OutcomePrecedence.First(o => group.Any(r => r.OutcomeValue == o));
                var chosen = group.First(r => r.OutcomeValue == outcome);
                var others = group.Where(r => r.OutcomeValue != outcome).Select(r => r.Step.Action + ": " + r.Outcome).ToList();
                var message = chosen.Message + (others.Count > 0 && outcome != RemediationOutcome.Remediated ? " (" + string.Join("; ", others) + ")" : "");
                yield return new RemediationResult(combined, outcome, message) { Error = chosen.Error };
            }
        }

        private void AddPolicy(PolicyReference policy)
        {
            var key = Key(policy.Region, policy.PolicyId);
            if (_policies.ContainsKey(key)) return;
            _policies[key] = policy;
            _policyOrder.Add(key);
        }

        private static string Key(string region, string policyId) => region + "/" + policyId;

        /// <summary>Read-only: violators of the input policies, details for possible remediation actions, the WAF settings that decide replacements.</summary>
        private async Task<RemediationPlan> PlanAsync(CancellationToken cancellationToken)
        {
            var violations = new List<FmsViolation>();
            var accounts = AccountId == null || AccountId.Length == 0 ? null : new HashSet<string>(AccountId, StringComparer.Ordinal);
            var filter = new ComplianceQuery { AccountIds = accounts, IncludeViolators = true, Status = FmsComplianceState.NonCompliant };
            foreach (var key in _policyOrder)
            {
                var policy = _policies[key];
                var service = ServiceFor(policy.Region);
                await foreach (var row in service.GetComplianceStatusAsync(policy, filter, cancellationToken).ConfigureAwait(false))
                    violations.AddRange(row.Violations);
            }

            // Violations piped in: plan them against their policies as FMS has them now (is remediation already on?).
            foreach (var violation in _violations.Values)
            {
                var key = Key(violation.Region, violation.PolicyId);
                if (!_policies.ContainsKey(key))
                {
                    _policies[key] = await PolicyByIdAsync(violation.Region, violation.PolicyId, cancellationToken).ConfigureAwait(false);
                    _policyOrder.Add(key);
                }
                violations.Add(violation);
            }

            foreach (var violation in violations.Where(v => !v.IsEnriched))
                await ServiceFor(violation.Region).EnrichAsync(violation, cancellationToken).ConfigureAwait(false);

            var managedServiceData = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in violations.Where(v => v.Reason == "RESOURCE_INCORRECT_WEB_ACL").Select(v => Key(v.Region, v.PolicyId)).Distinct())
            {
                var policy = _policies[key];
                var response = await Throttle.RunAsync("GetPolicy", policy.Region,
                    ct => SessionFor(policy.Region).Fms.GetPolicyAsync(new GetPolicyRequest { PolicyId = policy.PolicyId }, ct), cancellationToken).ConfigureAwait(false);
                var data = response.Policy?.SecurityServicePolicyData?.ManagedServiceData;
                if (data != null) managedServiceData[policy.PolicyId] = data;
            }

            var policies = _policyOrder.Select(k => _policies[k]).ToList();
            return new RemediationPlanner().Plan(policies, violations, new RemediationPlanningOptions { ManagedServiceDataByPolicyId = managedServiceData });
        }

        private static RemediationPlan Subplan(RemediationPlan plan, List<RemediationStep> steps)
        {
            var ids = new HashSet<string>(steps.Select(s => Key(s.Region, s.PolicyId)), StringComparer.Ordinal);
            return new RemediationPlan(steps, plan.PoliciesToEnable.Where(p => ids.Contains(Key(p.Region, p.PolicyId))).ToList());
        }

        /// <summary>The ShouldProcess text of one policy: what changes, where, and what FmsTools cannot do.</summary>
        private static (string Target, string Action) Describe(List<RemediationStep> steps)
        {
            var first = steps[0];
            var target = $"{first.PolicyName} ({first.PolicyId}, {first.PolicyType}) in {first.Region}";
            var resources = steps.Where(s => s.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            var automatic = resources.Where(s => s.CanExecute).ToList();
            var blocked = resources.Where(s => !s.CanExecute).ToList();
            var enable = steps.FirstOrDefault(s => s.KindValue == RemediationStepKind.EnablePolicyRemediation && s.CanExecute);
            var accounts = automatic.Select(s => s.AccountId).Distinct(StringComparer.Ordinal).Count();
            var text = enable != null
                ? $"Turn on automatic remediation (PutPolicy RemediationEnabled=true): FMS then changes {automatic.Count} resources in {accounts} accounts"
                : $"Follow FMS's automatic remediation (already on; nothing is changed) of {automatic.Count} resources in {accounts} accounts";
            var examples = automatic.Take(5).Select(s => $"{s.AccountId} {s.ResourceType} {s.ResourceId}: {s.Action}").ToList();
            if (examples.Count > 0) text += " (" + string.Join("; ", examples) + (automatic.Count > examples.Count ? $"; and {automatic.Count - examples.Count} more" : "") + ")";
            if (blocked.Count > 0) text += $". {blocked.Count} steps need what FmsTools lacks and are reported as NotSupported";
            return (target, text + ".");
        }
    }
}
