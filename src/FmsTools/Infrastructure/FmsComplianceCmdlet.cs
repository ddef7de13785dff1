using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Organization;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the compliance cmdlets: one session per region, one organization directory and one adaptive throttle
    /// per command (shared by every region, so the whole command is paced together), and policy resolution from
    /// FmsPolicy objects, names or ids.
    /// </summary>
    public abstract class FmsComplianceCmdlet : FmsConnectedCmdlet
    {
        private readonly Dictionary<string, AwsSession> _sessions = new Dictionary<string, AwsSession>(StringComparer.Ordinal);
        private readonly Dictionary<string, ComplianceService> _services = new Dictionary<string, ComplianceService>(StringComparer.Ordinal);
        private readonly object _servicesLock = new object();
        private OrganizationDirectory? _directory;
        private AdaptiveThrottle? _throttle;

        /// <summary>Engine services are built once per command and outlive each Await; their messages go to whichever Await runs.</summary>
        internal ForwardingReporter Reporter { get; } = new ForwardingReporter();

        /// <summary>Time for pacing and polling.</summary>
        internal EngineClock Clock => EngineClock.System;

        internal AdaptiveThrottle Throttle => _throttle ??= new AdaptiveThrottle(ThrottleOptions(), Clock);

        /// <summary>Throttle settings of the command (null: the engine's defaults).</summary>
        protected virtual AdaptiveThrottleOptions? ThrottleOptions() => null;

        /// <summary>Account names and OU paths from Organizations, read once per command.</summary>
        internal OrganizationDirectory Directory => _directory ??= new OrganizationDirectory(Session.Organizations, Reporter, Throttle);

        /// <summary>The region commands use when an input names none: the connection's region.</summary>
        protected string DefaultRegion => Session.Region;

        /// <summary>
        /// The session for <paramref name="region"/>: the command's own session when it is that region, otherwise the
        /// same connection (credentials, endpoint) pointed at the other region.
        /// </summary>
        internal AwsSession SessionFor(string? region)
        {
            var primary = Session;
            if (string.IsNullOrWhiteSpace(region) || string.Equals(primary.Region, region, StringComparison.Ordinal)) return primary;
            lock (_sessions)
            {
                if (_sessions.TryGetValue(region!, out var cached)) return cached;
                var options = ResolveConnection().Options;
                options.Region = region;
                var session = OpenSession(options);
                _sessions[region!] = session;
                return session;
            }
        }

        /// <summary>The compliance service of a region (one per command and region, sharing the directory and throttle).</summary>
        internal ComplianceService ServiceFor(string? region)
        {
            var name = string.IsNullOrWhiteSpace(region) ? DefaultRegion : region!.Trim();
            var session = SessionFor(name);
            var directory = Directory;
            lock (_servicesLock)
            {
                if (!_services.TryGetValue(name, out var service))
                {
                    service = new ComplianceService(session.Fms, name, directory, Throttle, Reporter);
                    _services[name] = service;
                }
                return service;
            }
        }

        /// <summary>Await with the command's engine services reporting to this Await's pump.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work)
            => Await(async (reporter, ct) =>
            {
                using (Reporter.Attach(reporter))
                    return await work(ct).ConfigureAwait(false);
            });

        /// <summary>Stream with the command's engine services reporting to this Stream's pump.</summary>
        protected void RunStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Action<T> onItem)
            => Stream((reporter, ct) => Attached(reporter, source, ct), onItem);

        private async IAsyncEnumerable<T> Attached<T>(IOperationReporter reporter, Func<CancellationToken, IAsyncEnumerable<T>> source,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using (Reporter.Attach(reporter))
            {
                await foreach (var item in source(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                    yield return item;
            }
        }

        /// <summary>What compliance queries need from a policy object (Get-FmsPolicy output, summary or detailed).</summary>
        internal PolicyReference ReferenceOf(FmsPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            if (string.IsNullOrEmpty(policy.PolicyId))
                throw new FmsItemException(new FmsError("PolicyNotDeployed", FmsErrorCategory.InvalidArgument,
                    $"Policy '{policy.Name}' has no PolicyId: it was built locally and never deployed, so FMS has no compliance for it.", policy,
                    recommendedAction: "Deploy it with Set-FmsPolicy, or pipe Get-FmsPolicy output instead."));
            // A summary of a policy with several resource types does not list them; CloudFront is never one of several.
            var resourceTypes = policy.ResourceTypes ?? new List<string>();
            var resourceType = resourceTypes.Contains(PolicyReference.CloudFrontResourceType)
                ? PolicyReference.CloudFrontResourceType
                : resourceTypes.FirstOrDefault() ?? "";
            var status = policy.StatusValue == FmsPolicyStatus.OutOfAdminScope ? "OUT_OF_ADMIN_SCOPE" : policy.StatusValue == FmsPolicyStatus.Active ? "ACTIVE" : "";
            return new PolicyReference(policy.PolicyId!, policy.Name, policy.TypeName, string.IsNullOrWhiteSpace(policy.Region) ? DefaultRegion : policy.Region!,
                resourceType, policy.RemediationEnabled, policy.Arn ?? "", status);
        }

        /// <summary>Policies of a region whose names match; a plain name (no wildcard) that matches nothing is an item error.</summary>
        internal async Task<IReadOnlyList<PolicyReference>> PoliciesByNameAsync(string region, string[]? names, CancellationToken cancellationToken)
        {
            var all = await ServiceFor(region).GetPoliciesAsync(cancellationToken).ConfigureAwait(false);
            if (names == null || names.Length == 0) return all;
            var patterns = names.Select(n => new Wildcard(n)).ToList();
            var missing = names.Where(n => !Wildcard.HasWildcards(n) && !all.Any(p => string.Equals(p.PolicyName, n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
                throw new FmsItemException(new FmsError("PolicyNotFound", FmsErrorCategory.ObjectNotFound,
                    $"No Firewall Manager policy named {string.Join(", ", missing.Select(m => "'" + m + "'"))} exists in {region}.", missing[0],
                    recommendedAction: "Get-FmsPolicy lists the policies of a region; -Region selects another one."));
            return all.Where(p => Wildcard.MatchesAny(p.PolicyName, patterns)).ToList();
        }

        /// <summary>The policy with this id in the region; a missing id is an item error (the pipeline goes on).</summary>
        internal async Task<PolicyReference> PolicyByIdAsync(string region, string policyId, CancellationToken cancellationToken)
        {
            try
            {
                return await ServiceFor(region).GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false);
            }
            catch (FmsTerminatingException e)
            {
                throw new FmsItemException(e.Error);
            }
        }
    }

    /// <summary>
    /// An IOperationReporter that forwards to whichever pipeline pump is attached, and drops messages when none is
    /// (engine objects live for the whole command, each Await has its own pump).
    /// </summary>
    internal sealed class ForwardingReporter : IOperationReporter
    {
        private volatile IOperationReporter? _target;

        public IDisposable Attach(IOperationReporter target)
        {
            var previous = _target;
            _target = target;
            return new Detach(this, previous);
        }

        public void Progress(FmsProgress progress) => Send(t => t.Progress(progress));
        public void Verbose(string message) => Send(t => t.Verbose(message));
        public void Warning(string message) => Send(t => t.Warning(message));
        public void Debug(string message) => Send(t => t.Debug(message));

        private void Send(Action<IOperationReporter> write)
        {
            var target = _target;
            if (target == null) return;
            try
            {
                write(target);
            }
            catch (InvalidOperationException)
            {
                // The pump finished between the read and the write: the message belongs to no running Await.
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped (Select-Object -First): nobody reads the message.
            }
        }

        private sealed class Detach : IDisposable
        {
            private readonly ForwardingReporter _owner;
            private readonly IOperationReporter? _previous;

            public Detach(ForwardingReporter owner, IOperationReporter? previous)
            {
                _owner = owner;
                _previous = previous;
            }

            public void Dispose() => _owner._target = _previous;
        }
    }
}
