using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Engine.Reports;

namespace FmsTools.Engine.Remediation
{
    public sealed class RemediationExecutionOptions
    {
        /// <summary>Plan only: no call at all is made and every result is Planned or NotSupported.</summary>
        public bool WhatIf { get; set; }

        /// <summary>After enabling remediation, poll until the planned resources are no longer violators or the timeout passes.</summary>
        public bool WaitForCompliance { get; set; }

        /// <summary>How long to wait for convergence (a new policy is pending for minutes; ENI changes take up to 6 hours).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// Carries out a <see cref="RemediationPlan"/> with FMS: enables remediation on the plan's policies (GetPolicy, then
    /// PutPolicy with RemediationEnabled=true, the current PolicyUpdateToken and every other field — ManagedServiceData
    /// included — sent back exactly as received), optionally waits for FMS to converge, and returns one result per
    /// step. With <see cref="RemediationExecutionOptions.WhatIf"/> it makes no call at all.
    /// </summary>
    public sealed class RemediationExecutor
    {
        private const int ProgressActivityId = 4200;
        private readonly Func<string, IFmsClient> _clientForRegion;
        private readonly IOperationReporter _reporter;
        private readonly EngineClock _clock;
        private readonly AdaptiveThrottle _throttle;

        public RemediationExecutor(Func<string, IFmsClient> clientForRegion, IOperationReporter? reporter = null, EngineClock? clock = null,
            AdaptiveThrottle? throttle = null)
        {
            _clientForRegion = clientForRegion ?? throw new ArgumentNullException(nameof(clientForRegion));
            _reporter = reporter ?? NullOperationReporter.Instance;
            _clock = clock ?? throttle?.Clock ?? EngineClock.System;
            _throttle = throttle ?? new AdaptiveThrottle(null, _clock);
        }

        /// <summary>Where each PutPolicy that turns remediation on is recorded (as UpdatePolicy, with the policy before and after); null records nothing.</summary>
        public IChangeJournal? Journal { get; set; }

        public async Task<IReadOnlyList<RemediationResult>> ExecuteAsync(RemediationPlan plan, RemediationExecutionOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            options ??= new RemediationExecutionOptions();
            var results = new List<RemediationResult>();

            if (options.WhatIf)
            {
                foreach (var step in plan.Steps)
                    results.Add(step.CanExecute
                        ? new RemediationResult(step, RemediationOutcome.Planned, "What if: " + step.Description)
                        : new RemediationResult(step, RemediationOutcome.NotSupported, "Needs " + step.MissingCapability + "."));
                return results;
            }

            // 1. Turn remediation on where the plan says so; remember which policies now remediate.
            var enabled = new Dictionary<string, bool>(StringComparer.Ordinal);
            var failures = new Dictionary<string, RemediationResult>(StringComparer.Ordinal);
            foreach (var step in plan.Steps.Where(s => s.KindValue == RemediationStepKind.EnablePolicyRemediation))
            {
                if (!step.CanExecute)
                {
                    results.Add(new RemediationResult(step, RemediationOutcome.NotSupported, "Needs " + step.MissingCapability + "."));
                    continue;
                }
                var result = await EnableAsync(step, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                enabled[step.PolicyId] = result.OutcomeValue != RemediationOutcome.Failed;
                if (result.OutcomeValue == RemediationOutcome.Failed) failures[step.PolicyId] = result;
            }

            // 2. Resource steps: blocked ones are reported as such; the rest wait on FMS.
            var waiting = new List<RemediationStep>();
            foreach (var step in plan.ResourceSteps)
            {
                if (!step.CanExecute)
                    results.Add(new RemediationResult(step, RemediationOutcome.NotSupported, "Needs " + step.MissingCapability + "."));
                else if (failures.TryGetValue(step.PolicyId, out var failure))
                    results.Add(new RemediationResult(step, RemediationOutcome.Failed, "Remediation could not be enabled on the policy: " + failure.Message) { Error = failure.Error });
                else if (!options.WaitForCompliance)
                    results.Add(new RemediationResult(step, RemediationOutcome.Pending, "FMS remediates this resource automatically; not waited for."));
                else waiting.Add(step);
            }
            if (waiting.Count > 0) results.AddRange(await WaitAsync(waiting, options, cancellationToken).ConfigureAwait(false));
            return results;
        }

        private async Task<RemediationResult> EnableAsync(RemediationStep step, CancellationToken cancellationToken)
        {
            var fms = _clientForRegion(step.Region);
            try
            {
                var current = await _throttle.RunAsync("GetPolicy", step.Region,
                    ct => fms.GetPolicyAsync(new GetPolicyRequest { PolicyId = step.PolicyId }, ct), cancellationToken).ConfigureAwait(false);
                var policy = current.Policy ?? throw new FmsTerminatingException(new FmsError("PolicyNotReturned", FmsErrorCategory.InvalidResult,
                    $"GetPolicy returned no policy for {step.PolicyId}.", step.PolicyId));
                if (policy.RemediationEnabled == true)
                    return new RemediationResult(step, RemediationOutcome.Skipped, "Automatic remediation is already on.");
                // The policy goes back as read: token, ManagedServiceData and scope untouched; only the flag changes.
                var before = Journal == null ? null : Typed(() => PolicyWireMapper.FromResponse(current, null, step.Region));
                policy.RemediationEnabled = true;
                // Members of a newer API kept from the answer (top level and nested) go back as read: PutPolicy replaces the
                // whole policy, and leaving them out would reset the newer fields while only RemediationEnabled is to change.
                _reporter.Verbose($"PutPolicy {step.PolicyName} ({step.PolicyId}) in {step.Region}: RemediationEnabled=true with update token {policy.PolicyUpdateToken}.");
                PutPolicyResponse response;
                string? requestId;
                using (var requestIds = AwsRequestIdScope.Begin())
                {
                    try
                    {
                        response = await _throttle.RunAsync("PutPolicy", step.Region,
                            ct => fms.PutPolicyAsync(new PutPolicyRequest { Policy = policy }, ct), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (Journal != null && !(e is AwsRequestValidationException))
                    {
                        var attempted = before?.Clone();
                        if (attempted != null) attempted.RemediationEnabled = true;
                        await ChangeRecorder.RecordAsync(Journal, new PolicyChange
                        {
                            Operation = ChangeOperations.UpdatePolicy, PolicyId = step.PolicyId, Region = step.Region, Before = before, After = attempted,
                            Error = e, RequestId = requestIds.LastRequestId,
                        }, cancellationToken).ConfigureAwait(false);
                        throw;
                    }
                    requestId = requestIds.LastRequestId;
                }
                if (Journal != null)
                {
                    var after = response.Policy == null ? null : Typed(() => PolicyWireMapper.FromResponse(response, null, step.Region));
                    try
                    {
                        await ChangeRecorder.RecordAsync(Journal, new PolicyChange
                        {
                            Operation = ChangeOperations.UpdatePolicy, PolicyId = step.PolicyId, Region = step.Region, Before = before, After = after, RequestId = requestId,
                        }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (FmsItemException e) when (e.Error.ErrorId == "ChangeJournalWriteFailed")
                    {
                        // The policy was changed: the result says so, and carries the journal failure.
                        return new RemediationResult(step, RemediationOutcome.Remediated, "Automatic remediation turned on. " + e.Message) { Error = e };
                    }
                }
                return new RemediationResult(step, RemediationOutcome.Remediated, "Automatic remediation turned on.");
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                return new RemediationResult(step, RemediationOutcome.Failed, e.Message) { Error = e };
            }
        }

        /// <summary>The typed policy for the journal; a policy the mapper cannot read is recorded without a document.</summary>
        private static FmsPolicy? Typed(Func<FmsPolicy> map)
        {
            try
            {
                return map();
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is System.Text.Json.JsonException || e is System.InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>Polls GetComplianceDetail per pending policy × account until its planned resources are gone or time is up.</summary>
        private async Task<IReadOnlyList<RemediationResult>> WaitAsync(List<RemediationStep> steps, RemediationExecutionOptions options,
            CancellationToken cancellationToken)
        {
            var results = new List<RemediationResult>();
            var pending = steps.GroupBy(s => (s.Region, s.PolicyId, s.AccountId)).ToDictionary(g => g.Key, g => g.ToList());
            var total = steps.Count;
            var deadline = _clock.Elapsed + options.Timeout;
            var lastError = new Dictionary<(string, string, string), Exception>();
            while (true)
            {
                foreach (var key in pending.Keys.ToList())
                {
                    var fms = _clientForRegion(key.Region);
                    try
                    {
                        var detail = await _throttle.RunAsync("GetComplianceDetail", key.Region,
                            ct => fms.GetComplianceDetailAsync(new GetComplianceDetailRequest { PolicyId = key.PolicyId, MemberAccount = key.AccountId }, ct),
                            cancellationToken).ConfigureAwait(false);
                        lastError.Remove(key);
                        var violators = new HashSet<string>((detail.PolicyComplianceDetail?.Violators ?? new List<ComplianceViolator>())
                            .Select(v => v.ResourceId ?? ""), StringComparer.Ordinal);
                        var still = new List<RemediationStep>();
                        foreach (var step in pending[key])
                        {
                            if (violators.Contains(step.ResourceId)) still.Add(step);
                            else results.Add(new RemediationResult(step, RemediationOutcome.Remediated, "FMS no longer lists the resource as a violator."));
                        }
                        if (still.Count == 0) pending.Remove(key);
                        else pending[key] = still;
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        lastError[key] = e;
                    }
                }
                var done = total - pending.Values.Sum(l => l.Count);
                _reporter.Progress(new FmsProgress(ProgressActivityId, "Waiting for Firewall Manager remediation",
                    $"{done} of {total} resources compliant")
                { PercentComplete = total == 0 ? 100 : done * 100 / total, Completed = pending.Count == 0 });
                if (pending.Count == 0) break;
                var remaining = deadline - _clock.Elapsed;
                if (remaining <= TimeSpan.Zero) break;
                await _clock.Delay(remaining < options.PollInterval ? remaining : options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            foreach (var pair in pending)
            {
                foreach (var step in pair.Value)
                {
                    if (lastError.TryGetValue(pair.Key, out var error))
                        results.Add(new RemediationResult(step, RemediationOutcome.Failed, "Compliance could not be read: " + error.Message) { Error = error });
                    else
                        results.Add(new RemediationResult(step, RemediationOutcome.StillNonCompliant,
                            $"Still a violator after {options.Timeout.TotalMinutes:0.#} minutes; FMS may need longer (up to 6 hours for network interface changes)."));
                }
            }
            if (pending.Count > 0)
                _reporter.Progress(new FmsProgress(ProgressActivityId, "Waiting for Firewall Manager remediation", "Timed out") { Completed = true, PercentComplete = 100 });
            return results;
        }
    }
}
