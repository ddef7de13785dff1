using FmsTools.Aws.Ec2;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Remediation
{
    /// <summary>One step of a resource's remediation with the EC2 calls it makes.</summary>
    public sealed class Ec2StepWork
    {
        public Ec2StepWork(RemediationStep step, IReadOnlyList<Ec2Operation> operations)
        {
            Step = step ?? throw new ArgumentNullException(nameof(step));
            Operations = operations ?? throw new ArgumentNullException(nameof(operations));
        }

        public RemediationStep Step { get; }
        public IReadOnlyList<Ec2Operation> Operations { get; }
    }

    /// <summary>
    /// One policy's EC2 remediation in one member account, carried to the end in rounds. Before a resource is acted on,
    /// its violation is read again from FMS: a violation FMS no longer reports is skipped, and one whose suggested calls
    /// changed since it was read is not acted on from the old details (nothing is written). After a round that changed
    /// something, the policy's violations of the resources it touched are read again (FMS re-evaluates them from the
    /// changed EC2 state) and what FMS now suggests is made as the next round, up to <see cref="MaxRounds"/>. It stops
    /// when FMS suggests nothing new, when it suggests exactly the calls an earlier round already made (no progress:
    /// reported, never repeated), or when a round fails or makes no change.
    /// </summary>
    internal sealed class Ec2RemediationRounds
    {
        /// <summary>The most rounds one run makes per policy and account (the first plus two follow-ups).</summary>
        internal const int MaxRounds = 3;

        private readonly ComplianceService _compliance;
        private readonly PolicyReference _policy;
        private readonly string _accountId;
        private readonly Ec2RemediationRunner _runner;
        private readonly Func<CancellationToken, Task<(IEc2Client? Client, MemberRoleException? Error)>> _client;
        private readonly IOperationReporter _reporter;
        private readonly int? _actionSet;
        private readonly string _where;

        public Ec2RemediationRounds(ComplianceService compliance, PolicyReference policy, string accountId, string where, Ec2RemediationRunner runner,
            Func<CancellationToken, Task<(IEc2Client? Client, MemberRoleException? Error)>> client, IOperationReporter reporter, int? actionSet)
        {
            _compliance = compliance;
            _policy = policy;
            _accountId = accountId;
            _where = where;
            _runner = runner;
            _client = client;
            _reporter = reporter;
            _actionSet = actionSet;
        }

        /// <summary>The resource a step is for (type and id), the key results are folded by.</summary>
        internal static string ResourceKey(RemediationStep step) => step.ResourceType + "|" + step.ResourceId;

        private static string ResourceKey(FmsViolation violation) => violation.ResourceType + "|" + violation.ResourceId;

        private static string Signature(IEnumerable<RemediationStep> steps) => string.Join("\n", steps.OrderBy(s => s.Order).SelectMany(s => s.Ec2Operations).Select(o => o.Text));

        /// <summary>Runs the first round's resources (each a list of ordered steps for one violation) and the rounds after; one result per violation and round.</summary>
        public async Task<IReadOnlyList<(string Resource, RemediationResult Result)>> RunAsync(IReadOnlyList<IReadOnlyList<RemediationStep>> firstRound,
            CancellationToken cancellationToken)
        {
            var results = new List<(string, RemediationResult)>();
            var applied = new Dictionary<string, List<(int Round, string Signature)>>(StringComparer.Ordinal);
            var groups = firstRound;
            var deferred = new Dictionary<string, IReadOnlyList<RemediationStep>>(StringComparer.Ordinal);
            HashSet<string> current;
            try
            {
                current = (await ReadAsync(null, cancellationToken).ConfigureAwait(false)).Violators;
            }
            catch (AwsServiceException e)
            {
                // Nothing is acted on from details FMS cannot confirm (an account FMS does not know, a policy deleted since).
                foreach (var group in groups)
                {
                    var failed = NotMade(group, 1, RemediationOutcome.Failed,
                        $"Could not read the violation again from FMS before acting {_where}: {e.ErrorCode}: {e.Message} No EC2 call was made.");
                    failed.Error = e;
                    results.Add((ResourceKey(group[0]), failed));
                }
                return results;
            }
            for (var round = 1; ; round++)
            {
                var touched = new HashSet<string>(StringComparer.Ordinal);
                var changed = false;
                foreach (var listed in groups)
                {
                    var group = listed;
                    var first = group[0];
                    var resource = ResourceKey(first);
                    if (!current.Contains(resource + "|" + first.Reason))
                    {
                        results.Add((resource, NotMade(group, round, RemediationOutcome.Skipped,
                            $"Nothing to do {_where}: FMS no longer reports {first.Reason} for {first.ResourceType} {first.ResourceId} (read again before acting), so no EC2 call was made.")));
                        continue;
                    }
                    var planned = Signature(group);
                    var fresh = await SuggestedNowAsync(first, cancellationToken).ConfigureAwait(false);
                    if (fresh != null && Signature(fresh) != planned && applied.Count > 0 && round == 1)
                    {
                        // This run's earlier calls changed what FMS expects of this resource: not the calls confirmed; the next round reads it again.
                        _reporter.Verbose($"Round 1 {_where}: after this run's earlier calls FMS suggests other EC2 calls for {first.Reason} on {first.ResourceId}; they are left to round 2.");
                        touched.Add(resource);
                        deferred[resource + "|" + first.Reason] = group;
                        continue;
                    }
                    if (fresh != null && Signature(fresh) != planned && applied.Count > 0)
                    {
                        // A follow-up round acts on what FMS suggests right before each resource, after this round's earlier calls.
                        _reporter.Verbose($"Round {round} {_where}: after this round's earlier calls FMS suggests other EC2 calls for {first.Reason} on {first.ResourceId}; making those.");
                        group = fresh;
                        planned = Signature(fresh);
                    }
                    else if (fresh == null || Signature(fresh) != planned)
                    {
                        touched.Add(resource);
                        results.Add((resource, NotMade(group, round, RemediationOutcome.Skipped,
                            $"Not made {_where}: FMS now suggests {(fresh == null ? "no EC2 call FmsTools can make" : "other EC2 calls")} for {first.Reason} on {first.ResourceId} than the ones planned from the violation as it was read"
                            + (fresh == null ? "" : " (" + string.Join("; ", fresh.SelectMany(s => s.Ec2Operations).Select(o => o.Text)) + ")")
                            + (round < MaxRounds ? "; the next round acts on what FMS suggests now, if anything else in this account changed." : "; read the violation again (Get-FmsViolation) and run the remediation again."))));
                        continue;
                    }
                    var earlier = applied.TryGetValue(resource, out var made) ? made.FirstOrDefault(m => m.Signature == planned) : default;
                    if (earlier.Signature != null)
                    {
                        results.Add((resource, NotMade(group, round, RemediationOutcome.StillNonCompliant,
                            $"Round {round} {_where}: FMS still reports {first.Reason} for {first.ResourceId} and suggests exactly the EC2 calls round {earlier.Round} made; they were not repeated. "
                            + "The change did not satisfy FMS's evaluation: check the resource (Get-FmsViolation -IncludeDetail).")));
                        continue;
                    }
                    var (client, error) = await _client(cancellationToken).ConfigureAwait(false);
                    if (error != null)
                    {
                        var skipped = NotMade(group, round, RemediationOutcome.Failed, error.Message);
                        skipped.Error = error;
                        results.Add((resource, skipped));
                        continue;
                    }
                    var steps = await _runner.RunAsync(client!, group.Select(s => new Ec2StepWork(s, s.Ec2Operations)).ToList(), cancellationToken).ConfigureAwait(false);
                    foreach (var step in steps) step.Round = round;
                    var result = RemediationService.Summarise(RemediationService.Combine(group.ToList()), steps, _where, round);
                    results.Add((resource, result));
                    if (result.OutcomeValue == RemediationOutcome.Remediated)
                    {
                        changed = true;
                        touched.Add(resource);
                        if (!applied.ContainsKey(resource)) applied[resource] = new List<(int, string)>();
                        applied[resource].Add((round, planned));
                    }
                }
                if (!changed) break;

                // FMS re-evaluates from the changed EC2 state: what does it suggest now for the resources this round touched?
                HashSet<string> violators;
                IReadOnlyList<IReadOnlyList<RemediationStep>> next;
                try
                {
                    (violators, next) = await ReadAsync(touched, cancellationToken).ConfigureAwait(false);
                }
                catch (AwsServiceException e)
                {
                    _reporter.Warning($"After round {round} {_where}, {_policy.PolicyName}'s violations could not be read again ({e.ErrorCode}: {e.Message}); "
                                      + "no further round is made. Read them with Get-FmsViolation and run the remediation again if FMS suggests more.");
                    break;
                }
                current = violators;
                foreach (var left in deferred.Where(d => !next.Any(g => ResourceKey(g[0]) + "|" + g[0].Reason == d.Key)))
                    results.Add((ResourceKey(left.Value[0]), NotMade(left.Value, round + 1, RemediationOutcome.Skipped,
                        $"Nothing left to do {_where}: after round {round}'s calls FMS no longer suggests EC2 calls for {left.Value[0].Reason} on {left.Value[0].ResourceId}.")));
                deferred.Clear();
                if (next.Count == 0)
                {
                    _reporter.Verbose($"After round {round}: FMS suggests no further EC2 calls for {_policy.PolicyName} {_where}.");
                    break;
                }
                var calls = next.Sum(g => g.Sum(s => s.Ec2Operations.Count));
                if (round == MaxRounds)
                {
                    _reporter.Verbose($"After round {round}, the last one a run makes: FMS suggests {calls} more EC2 calls for {_policy.PolicyName} {_where}; they are not made.");
                    foreach (var group in next)
                        results.Add((ResourceKey(group[0]), NotMade(group, round + 1, RemediationOutcome.StillNonCompliant,
                            $"Not made {_where}: after {MaxRounds} rounds FMS still suggests these EC2 calls for {group[0].Reason} on {group[0].ResourceId}; run Invoke-FmsRemediation again to make them.")));
                    break;
                }
                _reporter.Verbose($"Round {round + 1} for {_policy.PolicyName} {_where}: FMS now suggests {calls} EC2 calls for {next.Count} violations of the resources round {round} changed.");
                groups = next;
            }
            return results;
        }

        private RemediationResult NotMade(IReadOnlyList<RemediationStep> group, int round, RemediationOutcome outcome, string message)
        {
            var steps = Ec2RemediationRunner.Plan(group.Select(s => new Ec2StepWork(s, s.Ec2Operations)).ToList(), message).ToList();
            foreach (var step in steps)
            {
                step.OutcomeValue = Ec2StepOutcome.Skipped;
                step.Round = round;
            }
            return new RemediationResult(RemediationService.Combine(group.ToList()), outcome, message) { Ec2Steps = steps };
        }

        private RemediationPlanningOptions Options() => new RemediationPlanningOptions { ExecuteEc2Actions = true, ActionSet = _actionSet };

        /// <summary>The EC2 steps FMS suggests now for one violation (GetViolationDetails read again); null when none FmsTools can make.</summary>
        private async Task<IReadOnlyList<RemediationStep>?> SuggestedNowAsync(RemediationStep step, CancellationToken cancellationToken)
        {
            var violation = new FmsViolation
            {
                PolicyId = step.PolicyId, PolicyName = step.PolicyName, PolicyType = step.PolicyType, Region = step.Region, AccountId = step.AccountId,
                AccountName = step.AccountName, ResourceId = step.ResourceId, ResourceType = step.ResourceType, Reason = step.Reason,
            };
            await _compliance.EnrichAsync(violation, cancellationToken).ConfigureAwait(false);
            var steps = Ec2Groups(new[] { violation }).FirstOrDefault();
            return steps != null && steps.Count > 0 ? steps : null;
        }

        /// <summary>
        /// The policy's violators in the account now (resource and reason), and, for the resources given, the EC2 steps FMS
        /// suggests for each of their violations (one ordered list per violation).
        /// </summary>
        private async Task<(HashSet<string> Violators, IReadOnlyList<IReadOnlyList<RemediationStep>> Next)> ReadAsync(HashSet<string>? resources,
            CancellationToken cancellationToken)
        {
            var violators = new List<FmsViolation>();
            await foreach (var violation in _compliance.GetViolationsAsync(_policy, _accountId, false, cancellationToken).ConfigureAwait(false))
                violators.Add(violation);
            var keys = new HashSet<string>(violators.Select(v => ResourceKey(v) + "|" + v.Reason), StringComparer.Ordinal);
            if (resources == null) return (keys, new IReadOnlyList<RemediationStep>[0]);
            var candidates = violators.Where(v => resources.Contains(ResourceKey(v))).ToList();
            foreach (var violation in candidates) await _compliance.EnrichAsync(violation, cancellationToken).ConfigureAwait(false);
            return (keys, Ec2Groups(candidates));
        }

        /// <summary>The violations' EC2 steps FmsTools can make, one ordered list per violation; others are only mentioned (-Verbose).</summary>
        private IReadOnlyList<IReadOnlyList<RemediationStep>> Ec2Groups(IEnumerable<FmsViolation> violations)
        {
            var plan = new RemediationPlanner().Plan(new[] { _policy }, violations, Options());
            var groups = new List<IReadOnlyList<RemediationStep>>();
            foreach (var group in plan.Steps.Where(s => s.KindValue != RemediationStepKind.EnablePolicyRemediation).GroupBy(s => ResourceKey(s) + "|" + s.Reason))
            {
                var steps = group.OrderBy(s => s.Order).ToList();
                if (steps.All(s => s.KindValue == RemediationStepKind.Ec2Action && s.CanExecute)) groups.Add(steps);
                else if (steps.Any(s => s.KindValue == RemediationStepKind.Ec2Action || s.MissingCapability.Length > 0))
                    _reporter.Verbose($"FMS suggests for {steps[0].Reason} on {steps[0].ResourceId} {_where} steps FmsTools cannot make here: "
                                      + string.Join("; ", steps.Select(s => s.Action + (s.MissingCapability.Length > 0 ? " (" + s.MissingCapability + ")" : ""))));
            }
            return groups;
        }
    }
}
