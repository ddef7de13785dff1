using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;

namespace FmsTools.Aws
{
    /// <summary>
    /// Clients for one set of credentials in one region: FMS, Organizations, WAFv2 and STS, sharing retries,
    /// endpoint choice and the call observer. <see cref="ForAccountAsync(string, string, CancellationToken)"/> gives sessions in member accounts.
    /// </summary>
    public sealed class AwsSession : IDisposable
    {
        private static readonly System.Text.RegularExpressions.Regex AccountIdPattern =
            new System.Text.RegularExpressions.Regex("^[0-9]{12}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private readonly AwsConnectionOptions _options;
        private readonly AwsSession? _root;
        private readonly List<IDisposable> _owned = new List<IDisposable>();
        private readonly ConcurrentDictionary<string, Lazy<Task<MemberSession>>> _members =
            new ConcurrentDictionary<string, Lazy<Task<MemberSession>>>(StringComparer.Ordinal);
        private readonly List<AwsSession> _retired = new List<AwsSession>();
        private int _disposed;
        private readonly AwsInvokerSettings _ec2Settings;
        private readonly object _ec2Gate = new object();
        private FmsTools.Aws.Ec2.IEc2Client? _ec2;

        internal AwsSession(AwsConnectionOptions options, AWSCredentials credentials, string region, string? accountId, AwsSession? root,
            IReadOnlyDictionary<string, AwsEndpointChoice>? endpoints = null, string? credentialDescription = null, bool ownsCredentials = false)
        {
            _options = options;
            _root = root;
            Credentials = credentials;
            Region = region;
            AccountId = accountId;
            EndpointUrl = string.IsNullOrWhiteSpace(options.EndpointUrl) ? null : options.EndpointUrl!.Trim();
            Endpoints = endpoints ?? root?.Endpoints ?? AwsEndpointConfiguration.ResolveAll(options);
            CredentialDescription = credentialDescription ?? root?.CredentialDescription ?? credentials.GetType().Name;
            if (ownsCredentials && credentials is IDisposable disposableCredentials) _owned.Add(disposableCredentials);

            _ec2Settings = SettingsFor(AwsServiceIds.Ec2);
            AwsInvokerSettings SettingsFor(string serviceId) => new AwsInvokerSettings
            {
                Region = region,
                EndpointUrl = Endpoints[serviceId].Url?.ToString(),
                UseFips = options.UseFips,
                UseDualStack = options.UseDualStack,
                RetryMode = options.RetryMode,
                MaxAttempts = options.MaxAttempts,
                Timeout = options.Timeout,
                AccountId = accountId,
                Observer = options.Observer,
                RetryTiming = options.RetryTiming,
            };
            try
            {
                FmsInvoker = Own(new AwsJsonInvoker(FmsService.Descriptor, credentials, SettingsFor(AwsServiceIds.Fms)));
                OrganizationsInvoker = Own(new AwsJsonInvoker(OrganizationsService.Descriptor, credentials, SettingsFor(AwsServiceIds.Organizations)));
                Wafv2Invoker = Own(new AwsJsonInvoker(Wafv2Service.Descriptor, credentials, SettingsFor(AwsServiceIds.Wafv2)));
                Sts = Own(new StsClient(credentials, SettingsFor(AwsServiceIds.Sts)));
            }
            catch
            {
                Dispose();
                throw;
            }
            Fms = new FmsClient(FmsInvoker);
            Organizations = new OrganizationsClient(OrganizationsInvoker);
            Wafv2 = new Wafv2Client(Wafv2Invoker);
        }

        public string Region { get; }

        /// <summary>The explicit endpoint every service uses (-EndpointUrl, Connect-Fms, the sandbox), or null; see <see cref="Endpoints"/>.</summary>
        public string? EndpointUrl { get; }

        /// <summary>Where each service's calls go and which setting chose it, by service id (<see cref="AwsServiceIds"/>).</summary>
        public IReadOnlyDictionary<string, AwsEndpointChoice> Endpoints { get; }

        /// <summary>Where the credentials come from ("profile 'dev': role ... assumed with ..."); never a secret.</summary>
        public string CredentialDescription { get; }

        /// <summary>Every endpoint the session's services are configured to (explicit or configured), distinct.</summary>
        public IReadOnlyList<string> ConfiguredEndpointUrls
        {
            get
            {
                var urls = new List<string>();
                foreach (var choice in Endpoints.Values)
                {
                    if (choice.Url == null) continue;
                    var text = AwsEndpointText.Of(choice.Url).TrimEnd('/');
                    if (!urls.Contains(text)) urls.Add(text);
                }
                return urls;
            }
        }

        /// <summary>The account a per-account session acts in; null for the session built from the options.</summary>
        public string? AccountId { get; }

        public IFmsClient Fms { get; }

        public IOrganizationsClient Organizations { get; }

        public IWafv2Client Wafv2 { get; }

        public IStsClient Sts { get; }

        /// <summary>
        /// The EC2 client of this session's credentials, made on first use: AWSSDK.EC2 loads only then (never at import,
        /// never for commands that do not change EC2), in the module's private load context like the other AWSSDK assemblies.
        /// </summary>
        public FmsTools.Aws.Ec2.IEc2Client Ec2
        {
            get
            {
                ThrowIfDisposed();
                lock (_ec2Gate)
                {
                    if (_ec2 == null) _ec2 = NewEc2Client();
                    return _ec2;
                }
            }
        }

        // Kept out of line so that only calling it (not loading AwsSession) needs AWSSDK.EC2.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private FmsTools.Aws.Ec2.IEc2Client NewEc2Client() => Own(new FmsTools.Aws.Ec2.Ec2Client(Credentials, _ec2Settings));

        /// <summary>The invokers behind the typed clients (endpoint and service details for diagnostics).</summary>
        public AwsJsonInvoker FmsInvoker { get; }

        public AwsJsonInvoker OrganizationsInvoker { get; }

        public AwsJsonInvoker Wafv2Invoker { get; }

        internal AWSCredentials Credentials { get; }

        /// <summary>
        /// A session in a member account through arn:&lt;partition&gt;:iam::&lt;account&gt;:role/&lt;role&gt;
        /// (default <see cref="AwsConnectionOptions.MemberAccountRoleName"/>). Sessions are cached per account and role
        /// until shortly before their credentials expire; concurrent requests for one account share one AssumeRole call.
        /// </summary>
        public Task<AwsSession> ForAccountAsync(string accountId, string? roleName = null, CancellationToken cancellationToken = default)
            => ForAccountAsync(accountId, roleName, null, cancellationToken);

        /// <summary>As <see cref="ForAccountAsync(string, string, CancellationToken)"/>, with the external id the role's trust policy requires (null: none).</summary>
        public async Task<AwsSession> ForAccountAsync(string accountId, string? roleName, string? externalId, CancellationToken cancellationToken = default)
        {
            if (_root != null) return await _root.ForAccountAsync(accountId, roleName, externalId, cancellationToken).ConfigureAwait(false);
            ThrowIfDisposed();
            if (accountId == null || !AccountIdPattern.IsMatch(accountId))
                throw new ArgumentException($"'{accountId}' is not an AWS account id (12 digits).", nameof(accountId));
            var role = string.IsNullOrWhiteSpace(roleName) ? _options.MemberAccountRoleName : roleName!.Trim();
            if (string.IsNullOrWhiteSpace(role))
                throw new AwsConfigurationException("No member account role name is set; pass -RoleName or set MemberAccountRoleName.", "MemberAccountRoleName");
            var external = string.IsNullOrWhiteSpace(externalId) ? null : externalId!.Trim();
            var key = accountId + "/" + role + (external == null ? "" : "/" + external);

            // Two rounds at most: a cached entry that is about to expire is replaced once.
            for (var round = 0; ; round++)
            {
                var entry = _members.GetOrAdd(key, _ => NewMember(accountId, role, external));
                MemberSession member;
                try
                {
                    member = await WaitAsync(entry.Value, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // A failed AssumeRole is not cached: the next call tries again.
                    if (entry.Value.IsFaulted || entry.Value.IsCanceled) TryRemove(key, entry);
                    throw;
                }
                if (round > 0 || member.ExpirationUtc - _options.AssumedRoleRefreshMargin > DateTime.UtcNow)
                    return member.Session;
                if (_members.TryUpdate(key, NewMember(accountId, role, external), entry))
                {
                    lock (_retired) _retired.Add(member.Session);
                }
            }
        }

        private Lazy<Task<MemberSession>> NewMember(string accountId, string role, string? externalId)
            => new Lazy<Task<MemberSession>>(() => AssumeAsync(accountId, role, externalId), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The partition of the session's Region (aws, aws-cn, aws-us-gov ...), for ARNs.</summary>
        public string Partition => Fn.Partition(Region)?.name ?? "aws";

        private async Task<MemberSession> AssumeAsync(string accountId, string role, string? externalId)
        {
            var roleArn = $"arn:{Partition}:iam::{accountId}:role/{role}";
            // Shared by every waiter, so not bound to one caller's cancellation.
            var request = new StsAssumeRoleRequest(roleArn, "FmsTools-" + accountId) { ExternalId = externalId };
            var assumed = await ((StsClient)Sts).AssumeRoleAsync(request, CancellationToken.None).ConfigureAwait(false);
            var session = new AwsSession(_options, assumed.Credentials, Region, accountId, this, Endpoints, CredentialDescription);
            return new MemberSession(session, assumed.ExpirationUtc);
        }

        private void TryRemove(string key, Lazy<Task<MemberSession>> entry)
            => ((ICollection<KeyValuePair<string, Lazy<Task<MemberSession>>>>)_members).Remove(new KeyValuePair<string, Lazy<Task<MemberSession>>>(key, entry));

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    throw new OperationCanceledException(cancellationToken);
            }
            return await task.ConfigureAwait(false);
        }

        private T Own<T>(T disposable) where T : IDisposable
        {
            _owned.Add(disposable);
            return disposable;
        }

        private void ThrowIfDisposed()
        {
            if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(AwsSession));
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            foreach (var entry in _members.Values)
            {
                if (entry.IsValueCreated && entry.Value.Status == TaskStatus.RanToCompletion) entry.Value.Result.Session.Dispose();
            }
            _members.Clear();
            lock (_retired)
            {
                foreach (var session in _retired) session.Dispose();
                _retired.Clear();
            }
            foreach (var disposable in _owned) disposable.Dispose();
            _owned.Clear();
        }

        public override string ToString()
        {
            var fms = Endpoints[AwsServiceIds.Fms].Url;
            return $"AwsSession {Region}{(AccountId == null ? "" : " account " + AccountId)}{(fms == null ? "" : " via " + AwsEndpointText.Of(fms))}";
        }

        private sealed class MemberSession
        {
            public MemberSession(AwsSession session, DateTime expirationUtc)
            {
                Session = session;
                ExpirationUtc = expirationUtc;
            }

            public AwsSession Session { get; }
            public DateTime ExpirationUtc { get; }
        }
    }
}
