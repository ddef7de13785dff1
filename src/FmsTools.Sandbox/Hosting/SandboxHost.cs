using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Hosting;
using FmsTools.Sandbox.Http;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.Services;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox
{
    /// <summary>
    /// A running FMS-compatible sandbox on 127.0.0.1: FMS, Organizations, WAFv2 and STS on one endpoint
    /// with SigV4, a simulated organization, persistence and operations knobs. Start-FmsSandbox and the
    /// fms-sandbox command both run this.
    /// </summary>
    public sealed class SandboxHost : IDisposable
    {
        /// <summary>The FMS administrator's fixed demo key (a sandbox-only credential, never valid at AWS).</summary>
        public const string DemoAccessKeyId = "AKIAFMSSANDBOXADMIN1";
        public const string DemoSecretAccessKey = "fmsSandboxAdminSecretKeyNotValidAtAWS001";

        /// <summary>The management account's fixed demo key.</summary>
        public const string ManagementDemoAccessKeyId = "AKIAFMSSANDBOXMGMT01";
        public const string ManagementDemoSecretAccessKey = "fmsSandboxMgmtSecretKeyNotValidAtAWS0001";

        private readonly SandboxOptions _options;
        private readonly SandboxStore _store;
        private readonly FmsService _fms;
        private readonly SandboxHttpServer _server;
        private readonly ConcurrentDictionary<string, SandboxCredential> _credentials = new ConcurrentDictionary<string, SandboxCredential>(StringComparer.Ordinal);
        private readonly Timer _background;
        private readonly object _convergeGate = new object();
        private long _worldVersionAtLastPass = -1;
        private int _stopped;

        private SandboxHost(SandboxOptions options)
        {
            _options = options;
            Clock = new SandboxClock();
            if (options.FreezeClock) Clock.Freeze();
            RequestLog = new RequestLog(options.RequestLogCapacity, options.RequestLogPath);
            Faults = new FaultInjector(options.FaultSeed);
            foreach (var rule in options.Faults) Faults.Add(rule);
            RateLimits = new RateLimiter();
            foreach (var limit in options.RateLimits) RateLimits.Set(limit.Key, limit.Value);

            _store = new SandboxStore(options.Path, options.CompactionThresholdBytes);
            _fms = new FmsService(options);
            _fms.Engine = new EvaluationPolicyEngine(_store);
            var loaded = _store.Open();
            lock (_store.Sync)
            {
                if (!loaded) Seed();
                foreach (var session in _store.Sessions.Values) _credentials[session.AccessKeyId] = session.ToCredential();
                _store.Commit();
            }
            var host = _store.Host.Find("host")!;
            AdminAccountId = host.AdminAccountId;
            ManagementAccountId = host.ManagementAccountId;
            Region = options.Region;
            AccessKeyId = DemoAccessKeyId;
            SecretAccessKey = DemoSecretAccessKey;
            _credentials[DemoAccessKeyId] = new SandboxCredential(DemoAccessKeyId, DemoSecretAccessKey, AdminAccountId, "fms-admin");
            _credentials[ManagementDemoAccessKeyId] = new SandboxCredential(ManagementDemoAccessKeyId, ManagementDemoSecretAccessKey, ManagementAccountId, "org-admin");
            foreach (var extra in options.ExtraCredentials) _credentials[extra.AccessKeyId] = extra;

            var verifier = new SigV4Verifier(LookupCredential, () => DateTime.UtcNow);
            var sts = new StsService(credential => _credentials[credential.AccessKeyId] = credential);
            var gateway = new SandboxGateway(new JsonService[] { _fms, new OrganizationsService(), new Wafv2Service() }, sts, _store, verifier, Clock,
                RequestLog, RateLimits, Faults, new AdminApi(this), AnswerFields);
            _server = new SandboxHttpServer(options.Port, new HttpServerLimits { MaxBodyBytes = options.MaxRequestBodyBytes, IdleTimeout = options.IdleTimeout }, gateway.HandleAsync);
            Clock.Advanced += (sender, now) => Converge();
            _background = new Timer(_ => BackgroundTick(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>Starts a sandbox and returns once it accepts connections.</summary>
        public static SandboxHost Start(SandboxOptions options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            var host = new SandboxHost(options);
            try
            {
                host._server.Start();
                host._background.Change(options.BackgroundInterval, options.BackgroundInterval);
                return host;
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }

        /// <summary>http://127.0.0.1:PORT</summary>
        public string Endpoint => "http://127.0.0.1:" + Port;
        public int Port => _server.Port;

        /// <summary>The FMS administrator's key pair; the access key id identifies the caller as AdminAccountId.</summary>
        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }

        /// <summary>The management account's key pair (for AssociateAdminAccount, PutAdminAccount and the like).</summary>
        public string ManagementAccessKeyId => ManagementDemoAccessKeyId;
        public string ManagementSecretAccessKey => ManagementDemoSecretAccessKey;

        public string Region { get; }
        public string AdminAccountId { get; }
        public string ManagementAccountId { get; }

        /// <summary>The state file, or null when state lives in memory only.</summary>
        public string? StatePath => _store.Path;

        public RequestLog RequestLog { get; }
        public SandboxClock Clock { get; }
        public FaultInjector Faults { get; }

        /// <summary>Members added to answers, to play a newer API than the client's model (none by default).</summary>
        public AnswerFields AnswerFields { get; } = new AnswerFields();
        public RateLimiter RateLimits { get; }

        /// <summary>Adds a key pair (e.g. for a member account) while running.</summary>
        public void AddCredential(SandboxCredential credential)
        {
            if (credential is null) throw new ArgumentNullException(nameof(credential));
            _credentials[credential.AccessKeyId] = credential;
        }

        /// <summary>Account ids of the simulated organization, management account first.</summary>
        public IReadOnlyList<string> AccountIds
        {
            get
            {
                lock (_store.Sync)
                    return new AccountIdList(_store.World.Organization.Accounts.Select(a => a.Id)
                        .OrderBy(id => id == ManagementAccountId ? 0 : 1).ToList());
            }
        }

        /// <summary>Runs due work now (remediation convergence, admin and third-party onboarding); returns policies remediated.</summary>
        /// <summary>Account ids whose text is the ids (what Export-Csv shows), not the list's type name.</summary>
        private sealed class AccountIdList : System.Collections.ObjectModel.ReadOnlyCollection<string>
        {
            public AccountIdList(IList<string> ids) : base(ids) { }

            public override string ToString() => string.Join(", ", this);
        }

        public int Converge()
        {
            lock (_convergeGate)
            lock (_store.Sync)
            {
                var now = Clock.UtcNow;
                var worldChanged = _store.World.Version != _worldVersionAtLastPass;
                int remediated;
                try
                {
                    remediated = _fms.Converge(_store, now, worldChanged);
                    var expired = _store.Sessions.Values.Where(s => s.ExpiresAtUtc < DateTime.UtcNow.AddHours(-1)).Select(s => s.AccessKeyId).ToList();
                    foreach (var key in expired)
                    {
                        _store.Sessions.Remove(key);
                        _credentials.TryRemove(key, out _);
                    }
                    _store.Commit();
                }
                catch
                {
                    _store.DiscardPending();
                    throw;
                }
                _worldVersionAtLastPass = _store.World.Version;
                return remediated;
            }
        }

        /// <summary>Reads the World under the store lock (the admin API's resource listing).</summary>
        internal T ReadWorld<T>(Func<World.World, T> read)
        {
            lock (_store.Sync) return read(_store.World);
        }

        /// <summary>
        /// Changes the World under the store lock and persists it, as an account's own API call would (the admin API's
        /// resource changes). Nothing converges here: the next clock advance or background pass lets remediation react.
        /// </summary>
        internal T ChangeWorld<T>(Func<World.World, DateTime, T> change)
        {
            lock (_store.Sync)
            {
                try
                {
                    var result = change(_store.World, Clock.UtcNow);
                    _store.Commit();
                    return result;
                }
                catch
                {
                    _store.DiscardPending();
                    throw;
                }
            }
        }

        /// <summary>Back to the initial state (same seed): World, policies, lists, administrators. Knobs and the log stay.</summary>
        public void Reset()
        {
            lock (_convergeGate)
            lock (_store.Sync)
            {
                _store.ResetAll();
                Seed();
                _store.Commit();
                foreach (var key in _credentials.Keys.Where(k => k.StartsWith("ASIA", StringComparison.Ordinal)).ToList())
                    _credentials.TryRemove(key, out _);
                _worldVersionAtLastPass = -1;
            }
        }

        /// <summary>Writes a fresh snapshot and starts a new journal (no-op in memory mode).</summary>
        public void Compact()
        {
            lock (_store.Sync) _store.Compact();
        }

        internal object Describe() => new
        {
            endpoint = Endpoint,
            region = Region,
            accessKeyId = AccessKeyId,
            secretAccessKey = SecretAccessKey,
            managementAccessKeyId = ManagementAccessKeyId,
            managementSecretAccessKey = ManagementSecretAccessKey,
            adminAccountId = AdminAccountId,
            managementAccountId = ManagementAccountId,
            organizationId = OrganizationId,
            statePath = StatePath,
            persistent = _store.IsPersistent,
        };

        private string OrganizationId
        {
            get { lock (_store.Sync) return _store.World.Organization.Id; }
        }

        private SandboxCredential? LookupCredential(string accessKeyId) => _credentials.TryGetValue(accessKeyId, out var found) ? found : null;

        /// <summary>First start: the World (demo or generated), the default administrator, demo policies. Under the store lock.</summary>
        private void Seed()
        {
            var now = Clock.UtcNow;
            var world = _options.Demo ? World.World.CreateDemo() : World.World.Generate(_options.AccountCount, _options.ResourcesPerAccount, _options.Seed);
            _store.ReplaceWorld(world);
            var adminAccountId = world.Organization.FmsAdministratorAccountId;
            _store.Host.Put("host", new HostRecord
            {
                AdminAccountId = adminAccountId,
                ManagementAccountId = world.Organization.ManagementAccountId,
                CreatedAt = now,
            });
            world.Organization.FmsAdministratorAccountId = "";
            world.Organization.DelegatedAdministrators.RemoveAll(d => d.ServicePrincipal == "fms.amazonaws.com");
            world.InvalidateIndexes();
            if (!_options.AssociateAdministrator && !_options.Demo) return;
            FmsService.SeedDefaultAdmin(_store, adminAccountId, now, _options);
            if (!_options.Demo || _options.OrganizationOnly) return;
            foreach (var region in world.Regions)
                foreach (var policy in DemoOrganization.Policies(region))
                    _fms.SeedPolicy(_store, adminAccountId, region, policy, now);
        }

        private void BackgroundTick()
        {
            if (Volatile.Read(ref _stopped) != 0) return;
            if (!Monitor.TryEnter(_convergeGate)) return;
            try
            {
                Converge();
            }
            catch (Exception)
            {
                // A failed background pass is retried on the next tick; requests are unaffected.
            }
            finally
            {
                Monitor.Exit(_convergeGate);
            }
        }

        /// <summary>Stops listening, flushes state to a final snapshot and releases files.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            using (var done = new ManualResetEvent(false))
            {
                if (_background.Dispose(done)) done.WaitOne(TimeSpan.FromSeconds(10));
            }
            _server.Dispose();
            lock (_convergeGate) _store.Dispose();
            RequestLog.Dispose();
        }

        public void Dispose() => Stop();
    }
}
