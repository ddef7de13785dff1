using FmsTools.Aws.Ec2;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Remediation
{
    /// <summary>What to remediate: whole policies (every violator, optionally only in some accounts) and single violations.</summary>
    public sealed class RemediationRequest
    {
        /// <summary>Policies whose violators are all planned, in the order given.</summary>
        public IList<PolicyReference> Policies { get; } = new List<PolicyReference>();

        /// <summary>Single violations (Get-FmsViolation output): only these resources are planned for their policies.</summary>
        public IList<FmsViolation> Violations { get; } = new List<FmsViolation>();

        /// <summary>Only violators in these accounts (for <see cref="Policies"/>); null or empty: every account.</summary>
        public ICollection<string>? AccountIds { get; set; }
    }

    /// <summary>
    /// Remediation from request to per-resource results: plans read-only (violators of the requested policies, violation
    /// details, the WAF settings that decide replacements), then executes the steps the caller approved and reports the
    /// rest as what would happen. Results come back one per resource (multi-step remediations folded into one) and one per
    /// policy step, in plan order. Asking the user is the caller's part: it approves steps per policy.
    /// </summary>
    public sealed class RemediationService
    {
        // Which outcome speaks for a resource whose remediation has several ordered steps: FMS no longer listing it wins,
        // then what stopped it, then what is still open.
        private static readonly RemediationOutcome[] OutcomePrecedence =
        {
            RemediationOutcome.Remediated, RemediationOutcome.MayHaveBeenApplied, RemediationOutcome.Failed, RemediationOutcome.NotSupported, RemediationOutcome.StillNonCompliant,
            RemediationOutcome.Pending, RemediationOutcome.Planned, RemediationOutcome.Skipped,
        };

        private static readonly RemediationOutcome[] Ec2OutcomePrecedence =
        {
            RemediationOutcome.MayHaveBeenApplied, RemediationOutcome.Failed, RemediationOutcome.NotSupported, RemediationOutcome.StillNonCompliant,
            RemediationOutcome.Remediated, RemediationOutcome.Pending, RemediationOutcome.Planned, RemediationOutcome.Skipped,
        };

        private readonly Func<string, IFmsClient> _fmsForRegion;
        private readonly Func<string, ComplianceService> _complianceForRegion;
        private readonly IOperationReporter _reporter;
        private readonly EngineClock _clock;
        private readonly AdaptiveThrottle _throttle;

        public RemediationService(Func<string, IFmsClient> fmsForRegion, Func<string, ComplianceService> complianceForRegion, IOperationReporter? reporter = null,
            EngineClock? clock = null, AdaptiveThrottle? throttle = null)
        {
            _fmsForRegion = fmsForRegion ?? throw new ArgumentNullException(nameof(fmsForRegion));
            _complianceForRegion = complianceForRegion ?? throw new ArgumentNullException(nameof(complianceForRegion));
            _reporter = reporter ?? NullOperationReporter.Instance;
            _clock = clock ?? throttle?.Clock ?? EngineClock.System;
            _throttle = throttle ?? new AdaptiveThrottle(null, _clock);
        }

        /// <summary>Where every PutPolicy that turns remediation on, and every EC2 change, is recorded; null records nothing.</summary>
        public IChangeJournal? Journal { get; set; }

        /// <summary>
        /// The EC2 client of a member account (account id, Region), through the member role; null: EC2 steps are only
        /// planned. A failure to get it (AssumeRole refused) fails that account's EC2 steps with a <see cref="MemberRoleException"/>.
        /// </summary>
        public Func<string, string, CancellationToken, Task<IEc2Client>>? MemberEc2 { get; set; }

        /// <summary>Planning choices (EC2 execution, -ActionSet); ManagedServiceDataByPolicyId is filled by <see cref="PlanAsync"/>.</summary>
        public RemediationPlanningOptions PlanningOptions { get; set; } = new RemediationPlanningOptions();

        /// <summary>The member role's name, for messages.</summary>
        public string MemberRoleName { get; set; } = "";

        // The policies the last plan covers, for reading their violations again between EC2 rounds.
        private readonly Dictionary<string, PolicyReference> _policies = new Dictionary<string, PolicyReference>(StringComparer.Ordinal);

        /// <summary>Client tokens for EC2 creates (tests fix them); null: a new GUID each.</summary>
        internal Func<string>? ClientTokens { get; set; }

        /// <summary>
        /// Plans the request. Reads only. A violation whose policy is not among <see cref="RemediationRequest.Policies"/> is
        /// planned against that policy as FMS has it now (read by id in the violation's Region).
        /// </summary>
        public async Task<RemediationPlan> PlanAsync(RemediationRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var policies = _policies;
            policies.Clear();
            var order = new List<string>();
            foreach (var policy in request.Policies)
            {
                var key = Key(policy.Region, policy.PolicyId);
                if (policies.ContainsKey(key)) continue;
                policies[key] = policy;
                order.Add(key);
            }

            var violations = new List<FmsViolation>();
            var accounts = request.AccountIds == null || request.AccountIds.Count == 0 ? null : new HashSet<string>(request.AccountIds, StringComparer.Ordinal);
            var filter = new ComplianceQuery { AccountIds = accounts, IncludeViolators = true, Status = FmsComplianceState.NonCompliant };
            foreach (var key in order.ToList())
            {
                var policy = policies[key];
                await foreach (var row in _complianceForRegion(policy.Region).GetComplianceStatusAsync(policy, filter, cancellationToken).ConfigureAwait(false))
                    violations.AddRange(row.Violations);
            }

            foreach (var violation in Distinct(request.Violations))
            {
                var key = Key(violation.Region, violation.PolicyId);
                if (!policies.ContainsKey(key))
                {
                    policies[key] = await _complianceForRegion(violation.Region).GetPolicyAsync(violation.PolicyId, cancellationToken).ConfigureAwait(false);
                    order.Add(key);
                }
                violations.Add(violation);
            }

            foreach (var violation in violations.Where(v => !v.IsEnriched))
                await _complianceForRegion(violation.Region).EnrichAsync(violation, cancellationToken).ConfigureAwait(false);

            // The WAF policy's settings decide whether a web ACL is replaced or retrofitted: read them for those violations only.
            var managedServiceData = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in violations.Where(v => v.Reason == "RESOURCE_INCORRECT_WEB_ACL").Select(v => Key(v.Region, v.PolicyId)).Distinct())
            {
                var policy = policies[key];
                var response = await _throttle.RunAsync("GetPolicy", policy.Region,
                    ct => _fmsForRegion(policy.Region).GetPolicyAsync(new GetPolicyRequest { PolicyId = policy.PolicyId }, ct), cancellationToken).ConfigureAwait(false);
                var data = response.Policy?.SecurityServicePolicyData?.ManagedServiceData;
                if (data != null) managedServiceData[policy.PolicyId] = data;
            }

            var planned = order.Select(k => policies[k]).ToList();
            var plan = new RemediationPlanner().Plan(planned, violations, new RemediationPlanningOptions
            {
                ManagedServiceDataByPolicyId = managedServiceData, ExecuteEc2Actions = PlanningOptions.ExecuteEc2Actions, ActionSet = PlanningOptions.ActionSet,
            });
            _reporter.Verbose("Remediation plan: " + plan);
            return plan;
        }

        /// <summary>
        /// Carries out the approved steps (the executor's calls, journaled) and reports every other step of the plan as
        /// what would happen, without a call. Returns one result per resource and per policy step, in plan order.
        /// </summary>
        public async Task<IReadOnlyList<RemediationResult>> ExecuteAsync(RemediationPlan plan, IReadOnlyCollection<RemediationStep> approved,
            RemediationExecutionOptions options, CancellationToken cancellationToken = default)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (approved == null) throw new ArgumentNullException(nameof(approved));
            if (options == null) throw new ArgumentNullException(nameof(options));
            var approvedSet = new HashSet<RemediationStep>(approved);
            var position = plan.Steps.Select((step, index) => (step, index)).ToDictionary(p => p.step, p => p.index);
            var ec2Results = await ExecuteEc2Async(plan.Steps.Where(s => s.KindValue == RemediationStepKind.Ec2Action).ToList(), approvedSet, cancellationToken)
                .ConfigureAwait(false);
            var fmsSteps = plan.Steps.Where(s => s.KindValue != RemediationStepKind.Ec2Action).ToList();
            var notApproved = fmsSteps.Where(s => !approvedSet.Contains(s)).ToList();
            var doing = fmsSteps.Where(approvedSet.Contains).ToList();

            var executor = new RemediationExecutor(_fmsForRegion, _reporter, _clock, _throttle) { Journal = Journal };
            var results = new List<RemediationResult>();
            if (notApproved.Count > 0)
                results.AddRange(await executor.ExecuteAsync(Subplan(plan, notApproved), new RemediationExecutionOptions { WhatIf = true }, cancellationToken).ConfigureAwait(false));
            if (doing.Count > 0)
                results.AddRange(await executor.ExecuteAsync(Subplan(plan, doing), options, cancellationToken).ConfigureAwait(false));

            var ordered = results.Select(r => (Position: position.TryGetValue(r.Step, out var i) ? i : int.MaxValue, Result: r))
                .Concat(ec2Results).OrderBy(p => p.Position).Select(p => p.Result);
            return PerResource(ordered).ToList();
        }

        /// <summary>
        /// The EC2 steps, one result per violation and round: made in the member account when approved and a member client
        /// is available (<see cref="MemberEc2"/>), otherwise planned with the exact calls. Each policy's steps in an account
        /// run in rounds (<see cref="Ec2RemediationRounds"/>): what FMS suggests after a round's changes is made next. Accounts
        /// are reached once each, and only when a call is to be made; an account whose role cannot be assumed fails its
        /// resources and the others go on.
        /// </summary>
        private async Task<List<(int Position, RemediationResult Result)>> ExecuteEc2Async(List<RemediationStep> steps, HashSet<RemediationStep> approved,
            CancellationToken cancellationToken)
        {
            var results = new List<(int, RemediationResult)>();
            if (steps.Count == 0) return results;
            var runner = new Ec2RemediationRunner(_reporter, ClientTokens) { Journal = Journal };
            var clients = new Dictionary<string, (IEc2Client? Client, MemberRoleException? Error)>(StringComparer.Ordinal);
            var groups = steps.GroupBy(s => string.Join("|", s.Region, s.PolicyId, s.AccountId, s.ResourceType, s.ResourceId, s.Reason))
                .Select((g, i) => (Position: i, Steps: (IReadOnlyList<RemediationStep>)g.OrderBy(s => s.Order).ToList())).ToList();
            var running = new List<(int Position, IReadOnlyList<RemediationStep> Steps)>();
            foreach (var (position, resourceSteps) in groups)
            {
                if (MemberEc2 != null && resourceSteps.All(approved.Contains))
                {
                    running.Add((position, resourceSteps));
                    continue;
                }
                var first = resourceSteps[0];
                var planned = Ec2RemediationRunner.Plan(resourceSteps.Select(s => new Ec2StepWork(s, s.Ec2Operations)).ToList(), "Not made (what if).");
                results.Add((position, new RemediationResult(Combine(resourceSteps.ToList()), RemediationOutcome.Planned,
                    $"What if: {planned.Count} EC2 calls {Where(first)}{(MemberRoleName.Length > 0 ? " as role " + MemberRoleName : "")}: "
                    + string.Join("; ", planned.Select(p => p.Ec2Call)) + $". FMS may suggest further calls once these are made: up to {Ec2RemediationRounds.MaxRounds - 1} more rounds, "
                    + "each read from FMS again, would follow.") { Ec2Steps = planned }));
            }

            foreach (var unit in running.GroupBy(r => string.Join("|", r.Steps[0].Region, r.Steps[0].PolicyId, r.Steps[0].AccountId)))
            {
                var first = unit.First().Steps[0];
                var key = first.Region + "|" + first.AccountId;
                async Task<(IEc2Client?, MemberRoleException?)> ClientAsync(CancellationToken ct)
                {
                    if (clients.TryGetValue(key, out var client)) return client;
                    try
                    {
                        client = (await MemberEc2!(first.AccountId, first.Region, ct).ConfigureAwait(false), null);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                    {
                        client = (null, new MemberRoleException(first.AccountId, MemberRoleName, e));
                    }
                    clients[key] = client;
                    return client;
                }
                var policy = _policies.TryGetValue(Key(first.Region, first.PolicyId), out var known) ? known
                    : await _complianceForRegion(first.Region).GetPolicyAsync(first.PolicyId, cancellationToken).ConfigureAwait(false);
                var rounds = new Ec2RemediationRounds(_complianceForRegion(first.Region), policy, first.AccountId, Where(first), runner, ClientAsync, _reporter,
                    PlanningOptions.ActionSet);
                var positions = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (position, resourceSteps) in unit)
                    if (!positions.ContainsKey(Ec2RemediationRounds.ResourceKey(resourceSteps[0]))) positions[Ec2RemediationRounds.ResourceKey(resourceSteps[0])] = position;
                foreach (var (resource, result) in await rounds.RunAsync(unit.Select(u => u.Steps).ToList(), cancellationToken).ConfigureAwait(false))
                    results.Add((positions.TryGetValue(resource, out var at) ? at : int.MaxValue, result));
            }
            return results;
        }

        private static string Where(RemediationStep step) => $"in account {step.AccountId}{(step.AccountName.Length > 0 ? " (" + step.AccountName + ")" : "")}, {step.Region}";

        internal static RemediationResult Summarise(RemediationStep combined, IReadOnlyList<Ec2StepResult> made, string where, int round = 1)
        {
            where += round > 1 ? $" (round {round})" : "";
            var lost = made.FirstOrDefault(r => r.OutcomeValue == Ec2StepOutcome.MayHaveBeenApplied);
            var failed = made.FirstOrDefault(r => r.OutcomeValue == Ec2StepOutcome.Failed);
            var applied = made.Count(r => r.OutcomeValue == Ec2StepOutcome.Remediated);
            var undone = made.Count(r => r.OutcomeValue == Ec2StepOutcome.Undone);
            var left = made.Count(r => r.Undo.StartsWith("Left in place", StringComparison.Ordinal));
            if (lost != null)
                return new RemediationResult(combined, RemediationOutcome.MayHaveBeenApplied,
                    $"{lost.Ec2Call} {where}: the answer was lost, so it may have been applied; it was not sent again and the later calls were not made. "
                    + $"{applied} earlier calls are left in place. Check the state before running it again.") { Ec2Steps = made };
            if (failed != null)
                return new RemediationResult(combined, RemediationOutcome.Failed,
                    $"{failed.Ec2Call} {where} failed: {failed.ErrorCode} {failed.Message}".TrimEnd()
                    + (undone + left > 0 ? $" {undone} earlier calls undone, {left} left in place." : "")) { Ec2Steps = made };
            if (applied == 0)
                return new RemediationResult(combined, RemediationOutcome.Skipped, $"Nothing to change {where}: every EC2 change is already in place.") { Ec2Steps = made };
            return new RemediationResult(combined, RemediationOutcome.Remediated,
                $"{applied} EC2 calls made {where}" + (made.Count > applied ? $" ({made.Count - applied} already in place)" : "")
                + "; FMS re-evaluates the resource on its next compliance run.") { Ec2Steps = made };
        }

        /// <summary>One result per resource (and per policy step): multi-step remediations (NACLs, routes) are folded into one.</summary>
        public static IEnumerable<RemediationResult> PerResource(IEnumerable<RemediationResult> ordered)
        {
            if (ordered == null) throw new ArgumentNullException(nameof(ordered));
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
                yield return group.Count == 1 ? group[0] : Fold(group);
        }

        private static RemediationResult Fold(List<RemediationResult> group)
        {
            var combined = Combine(group.Select(r => r.Step).ToList());
            // EC2 changes the module made itself: an unknown or failed one must not hide behind a sibling that succeeded.
            var precedence = group.Any(r => r.Step.KindValue == RemediationStepKind.Ec2Action) ? Ec2OutcomePrecedence : OutcomePrecedence;
            var outcome = precedence.First(o => group.Any(r => r.OutcomeValue == o));
            var chosen = group.First(r => r.OutcomeValue == outcome);
            var others = group.Where(r => r.OutcomeValue != outcome).Select(r => r.Step.Action + ": " + r.Outcome).Distinct(StringComparer.Ordinal).ToList();
            // EC2 results of several rounds or violations: every message of the outcome that speaks, in order.
            var message = (precedence == Ec2OutcomePrecedence
                              ? string.Join(" ", group.Where(r => r.OutcomeValue == outcome).Select(r => r.Message).Distinct(StringComparer.Ordinal))
                              : chosen.Message) + (others.Count > 0 && (outcome != RemediationOutcome.Remediated || precedence == Ec2OutcomePrecedence) ? " (" + string.Join("; ", others) + ")" : "");
            return new RemediationResult(combined, outcome, message) { Error = chosen.Error, Ec2Steps = group.SelectMany(r => r.Ec2Steps).ToList() };
        }

        /// <summary>One step standing for a resource's ordered steps.</summary>
        internal static RemediationStep Combine(List<RemediationStep> group)
        {
            var steps = group.OrderBy(s => s.Order).ToList();
            if (steps.Count == 1) return steps[0];
            var first = steps[0];
            return new RemediationStep
            {
                PolicyId = first.PolicyId, PolicyName = first.PolicyName, PolicyType = first.PolicyType, AccountId = first.AccountId,
                AccountName = first.AccountName, Region = first.Region, ResourceId = first.ResourceId, ResourceType = first.ResourceType,
                Reason = first.Reason, Order = first.Order,
                KindValue = steps.All(s => s.KindValue == RemediationStepKind.FmsAutomaticRemediation) ? RemediationStepKind.FmsAutomaticRemediation
                    : steps.All(s => s.KindValue == RemediationStepKind.Ec2Action) ? RemediationStepKind.Ec2Action : RemediationStepKind.ManualAction,
                Action = string.Join(", ", steps.Select(s => s.Action)),
                Description = string.Join(" ", steps.Select(s => s.Order + ". " + s.Description)),
                CanExecute = steps.All(s => s.CanExecute),
                MissingCapability = string.Join("; ", steps.Where(s => s.MissingCapability.Length > 0)
                    .Select(s => s.Action + " needs " + s.MissingCapability).Distinct(StringComparer.Ordinal)),
                AwsCliCommands = steps.SelectMany(s => s.AwsCliCommands).ToList(),
                PowerShellCommands = steps.SelectMany(s => s.PowerShellCommands).ToList(),
                Ec2Operations = steps.SelectMany(s => s.Ec2Operations).ToList(),
            };
        }

        /// <summary>
        /// The confirmation text of one policy's steps: what changes, where, and what FmsTools cannot do. Null when none of
        /// the steps can be carried out (nothing to ask; they are reported as NotSupported).
        /// </summary>
        public static RemediationPrompt? Describe(IReadOnlyList<RemediationStep> policySteps)
        {
            if (policySteps == null) return null;
            policySteps = policySteps.Where(s => s.KindValue != RemediationStepKind.Ec2Action).ToList();
            if (policySteps.Count == 0 || !policySteps.Any(s => s.CanExecute)) return null;
            var first = policySteps[0];
            var target = $"{first.PolicyName} ({first.PolicyId}, {first.PolicyType}) in {first.Region}";
            var resources = policySteps.Where(s => s.KindValue != RemediationStepKind.EnablePolicyRemediation).ToList();
            var automatic = resources.Where(s => s.CanExecute).ToList();
            var blocked = resources.Where(s => !s.CanExecute).ToList();
            var enable = policySteps.FirstOrDefault(s => s.KindValue == RemediationStepKind.EnablePolicyRemediation && s.CanExecute);
            var accounts = automatic.Select(s => s.AccountId).Distinct(StringComparer.Ordinal).Count();
            var text = enable != null
                ? $"Turn on automatic remediation (PutPolicy RemediationEnabled=true): FMS then changes {automatic.Count} resources in {accounts} accounts"
                : $"Follow FMS's automatic remediation (already on; nothing is changed) of {automatic.Count} resources in {accounts} accounts";
            var examples = automatic.Take(5).Select(s => $"{s.AccountId} {s.ResourceType} {s.ResourceId}: {s.Action}").ToList();
            if (examples.Count > 0) text += " (" + string.Join("; ", examples) + (automatic.Count > examples.Count ? $"; and {automatic.Count - examples.Count} more" : "") + ")";
            if (blocked.Count > 0) text += $". {blocked.Count} steps need what FmsTools lacks and are reported as NotSupported";
            return new RemediationPrompt(target, text + ".");
        }

        /// <summary>
        /// The confirmations of one policy's EC2 steps, one per member account: the account and policy, and every EC2 call
        /// that would be made there, in order.
        /// </summary>
        public static IEnumerable<(RemediationPrompt Prompt, IReadOnlyList<RemediationStep> Steps)> DescribeEc2(IReadOnlyList<RemediationStep> policySteps, string roleName)
        {
            if (policySteps == null) yield break;
            foreach (var account in policySteps.Where(s => s.KindValue == RemediationStepKind.Ec2Action && s.CanExecute).GroupBy(s => s.AccountId))
            {
                var steps = account.ToList();
                var first = steps[0];
                var calls = steps.GroupBy(s => s.ResourceId + "|" + s.Reason).SelectMany(g => g.OrderBy(s => s.Order).SelectMany(s => s.Ec2Operations)).Select(o => o.Text).ToList();
                var target = $"account {first.AccountId}{(first.AccountName.Length > 0 ? " (" + first.AccountName + ")" : "")} in {first.Region}, policy {first.PolicyName} ({first.PolicyId})";
                var resources = steps.Select(s => s.ResourceId).Distinct(StringComparer.Ordinal).Count();
                var action = $"Assume the role {roleName} and make {calls.Count} EC2 calls for {resources} resources: " + string.Join("; ", calls)
                             + $". Then, for these resources, up to {Ec2RemediationRounds.MaxRounds - 1} more rounds of the EC2 calls FMS suggests after these changes (read from FMS again)";
                yield return (new RemediationPrompt(target, action), steps);
            }
        }

        /// <summary>The plan's steps grouped by policy (Region and id), in plan order: the unit the user approves.</summary>
        public static IEnumerable<IReadOnlyList<RemediationStep>> ByPolicy(RemediationPlan plan)
            => plan.Steps.GroupBy(s => Key(s.Region, s.PolicyId)).Select(g => (IReadOnlyList<RemediationStep>)g.ToList());

        private static IEnumerable<FmsViolation> Distinct(IEnumerable<FmsViolation> violations)
        {
            // Keyed with the reason too: a resource can violate one policy for several reasons (a VPC's route reasons).
            var seen = new Dictionary<string, FmsViolation>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var violation in violations.Where(v => v != null))
            {
                var key = string.Join("/", violation.Region, violation.PolicyId, violation.AccountId, violation.ResourceType, violation.ResourceId, violation.Reason);
                if (!seen.ContainsKey(key)) order.Add(key);
                seen[key] = violation;
            }
            return order.Select(k => seen[k]);
        }

        private static RemediationPlan Subplan(RemediationPlan plan, List<RemediationStep> steps)
        {
            var ids = new HashSet<string>(steps.Select(s => Key(s.Region, s.PolicyId)), StringComparer.Ordinal);
            return new RemediationPlan(steps, plan.PoliciesToEnable.Where(p => ids.Contains(Key(p.Region, p.PolicyId))).ToList());
        }

        private static string Key(string region, string policyId) => region + "/" + policyId;
    }

    /// <summary>The confirmation of one policy's remediation: the target and what will change.</summary>
    public sealed class RemediationPrompt
    {
        public RemediationPrompt(string target, string action)
        {
            Target = target;
            Action = action;
        }

        public string Target { get; }

        public string Action { get; }
    }
}
