using System;
using System.Management.Automation;
using FmsTools.Aws;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Diagnostics;
using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that calls AWS (or the sandbox). Each call may override the session defaults
    /// set by Connect-Fms with -ProfileName, -Region, -EndpointUrl, -Credential or explicit keys; AWS.Tools'
    /// $StoredAWSCredentials and $StoredAWSRegion are honoured below those; the SDK's chain comes last.
    /// </summary>
    public abstract class FmsConnectedCmdlet : FmsCmdlet
    {
        /// <summary>The session variable Connect-Fms writes (global scope of the runspace).</summary>
        internal const string SessionDefaultsVariable = "global:FmsToolsSessionDefaults";

        private AwsSession? _session;

        [Parameter]
        [Alias("Profile", "StoredCredentials")]
        public string? ProfileName { get; set; }

        [Parameter]
        [Alias("ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        [ValidateFmsId(IdentifierKind.Region)]
        [Parameter]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(FmsRegionCompleter))]
        public string? Region { get; set; }

        /// <summary>One URL for every service call, e.g. the sandbox's http://127.0.0.1:port.</summary>
        [Parameter]
        public string? EndpointUrl { get; set; }

        /// <summary>An AWSCredentials object (AWS.Tools' Get-AWSCredential output works).</summary>
        [Parameter]
        public object? Credential { get; set; }

        [Parameter]
        public string? AccessKey { get; set; }

        [Parameter]
        public string? SecretKey { get; set; }

        [Parameter]
        public string? SessionToken { get; set; }

        /// <summary>The connection for this call, resolved once per command.</summary>
        protected AwsSession Session => _session ??= ResolveSession();

        /// <summary>The change journal folder for this command; null means $env:FMSTOOLS_JOURNAL or the default (tests set it).</summary>
        internal string? JournalFolder { get; set; }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AwsSession, System.Threading.Tasks.Task<StsCallerIdentity>> CallerBySession =
            new System.Runtime.CompilerServices.ConditionalWeakTable<AwsSession, System.Threading.Tasks.Task<StsCallerIdentity>>();

        /// <summary>
        /// The one place policy writes are wired to the change journal: every cmdlet that creates, updates or deletes
        /// policies gets its PolicyService here. The caller identity is read once per session.
        /// </summary>
        protected FmsTools.Engine.PolicyOperations.PolicyService NewPolicyService(string? region = null)
        {
            var session = Session;
            var service = new FmsTools.Engine.PolicyOperations.PolicyService(session.Fms, session.Wafv2, region ?? session.Region);
            service.Journal = OpenJournal(session);
            return service;
        }

        /// <summary>
        /// The one place apps lists, protocols lists, resource sets, the notification channel, administrators and tags
        /// are wired to the change journal: every cmdlet gets its AdministrationService here (reads record nothing).
        /// </summary>
        protected FmsTools.Engine.Administration.AdministrationService NewAdministrationService()
        {
            var session = Session;
            return new FmsTools.Engine.Administration.AdministrationService(session.Fms, session.Region) { Journal = OpenJournal(session) };
        }

        /// <summary>The journal for this command's session, or null when it is turned off ($env:FMSTOOLS_JOURNAL = 'off').</summary>
        internal FmsTools.Engine.History.ChangeJournal? OpenJournal(AwsSession session)
        {
            var folder = JournalFolder ?? FmsTools.Engine.History.ChangeJournalStore.DefaultFolder();
            if (folder == null) return null;
            return new FmsTools.Engine.History.ChangeJournal(new FmsTools.Engine.History.ChangeJournalStore(folder), async ct =>
            {
                var read = CallerBySession.GetValue(session, s => s.Sts.GetCallerIdentityAsync(System.Threading.CancellationToken.None));
                if (read.IsFaulted || read.IsCanceled)
                {
                    CallerBySession.Remove(session);
                    read = CallerBySession.GetValue(session, s => s.Sts.GetCallerIdentityAsync(System.Threading.CancellationToken.None));
                }
                var identity = await read.ConfigureAwait(false);
                return (identity.Arn, identity.Account);
            });
        }

        /// <summary>The layers in precedence order; Connect-Fms reuses this with its own parameters.</summary>
        internal ResolvedConnection ResolveConnection()
        {
            var call = new ConnectionSettings
            {
                Source = "parameters",
                ProfileName = ProfileName,
                ProfilesLocation = ProfileLocation,
                Region = Region,
                EndpointUrl = EndpointUrl,
                AccessKey = AccessKey,
                SecretKey = SecretKey,
                SessionToken = SessionToken,
            };
            if (Credential != null)
            {
                call.Credentials = AwsCredentialObject.From(Credential)
                    ?? throw new FmsTerminatingException(new FmsError("InvalidCredentialObject", FmsErrorCategory.InvalidArgument,
                        $"-Credential expects an AWSCredentials object (e.g. from Get-AWSCredential or New-AWSCredential); got {Credential.GetType().FullName}.",
                        Credential));
            }
            return ResolveLayers(call, CommandHost.GetVariable);
        }

        /// <summary>
        /// The precedence below a call's own parameters: Connect-Fms's session defaults, then AWS.Tools' stored
        /// settings. Static so argument completers resolve exactly as the cmdlets do, with their own variable reader.
        /// </summary>
        internal static ResolvedConnection ResolveLayers(ConnectionSettings call, Func<string, object?> readVariable)
            => ConnectionResolver.Resolve(new[] { call, SessionDefaultsFrom(readVariable), AwsToolsStoredFrom(readVariable) });

        /// <summary>
        /// A session for work that must not start anything or warn (tab completion): the embedded sandbox only when
        /// commands already fell back to it for these settings; otherwise the resolved connection, which throws
        /// when it has no credentials.
        /// </summary>
        internal static AwsSession QuietSession(ResolvedConnection resolved)
        {
            if (resolved.UsesDefaultChain && resolved.Options.EndpointUrl == null && FellBackBefore.ContainsKey(ConnectionResolver.CacheKey(resolved.Options)))
            {
                var settings = SandboxSessions.SettingsFor(SandboxSessions.Embedded(), "embedded sandbox (no AWS credentials found)");
                return SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[] { settings }).Options);
            }
            return SessionCache.GetOrCreate(resolved.Options);
        }

        private AwsSession ResolveSession()
        {
            var resolved = ResolveConnection();
            if (resolved.UsesDefaultChain && resolved.Options.EndpointUrl == null && FellBackBefore.ContainsKey(ConnectionResolver.CacheKey(resolved.Options)))
                return EmbeddedSandboxSession();
            CommandHost.WriteDebug($"Connection: credentials from {resolved.CredentialSource}, region from {resolved.RegionSource}, endpoint {resolved.Options.EndpointUrl ?? "AWS"} ({resolved.EndpointSource})");
            try
            {
                return SessionCache.GetOrCreate(resolved.Options);
            }
            catch (FmsTools.Aws.Runtime.AwsConfigurationException) when (resolved.UsesDefaultChain && resolved.Options.EndpointUrl == null && NoCredentialsAnywhere(resolved))
            {
                // Remember the conclusion: probing the SDK chain (instance metadata) again on every command is slow.
                FellBackBefore[ConnectionResolver.CacheKey(resolved.Options)] = true;
                return EmbeddedSandboxSession();
            }
            catch (FmsTools.Aws.Runtime.AwsConfigurationException e)
            {
                throw new FmsTerminatingException(new FmsError("ConnectionNotConfigured", FmsErrorCategory.AuthenticationError, e.Message, e.Setting, e,
                    "Run Connect-Fms (or Connect-Fms -Sandbox to use the local sandbox), or pass -ProfileName/-Region."));
            }
        }

        private static int _embeddedWarningShown;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> FellBackBefore =
            new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();

        /// <summary>
        /// The sandbox is the embedded default: with no credentials anywhere (no parameters, no Connect-Fms,
        /// no AWS.Tools settings, nothing in the environment, profiles or instance metadata) commands run
        /// against an in-process demo sandbox instead of failing, and say so once.
        /// </summary>
        private AwsSession EmbeddedSandboxSession()
        {
            var host = SandboxSessions.Embedded();
            if (System.Threading.Interlocked.Exchange(ref _embeddedWarningShown, 1) == 0)
            {
                CommandHost.WriteWarning($"No AWS credentials were found, so FmsTools is using its embedded sandbox at {host.Endpoint} "
                                         + "(demo organization, no AWS account). Connect-Fms -ProfileName <name> -Region <region> connects to AWS.");
            }
            var settings = SandboxSessions.SettingsFor(host, "embedded sandbox (no AWS credentials found)");
            return SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[] { settings }).Options);
        }

        private static bool NoCredentialsAnywhere(ResolvedConnection resolved)
            => !AwsSessionFactory.CanResolveCredentials(resolved.Options);

        /// <summary>What Connect-Fms stored for this session, if anything.</summary>
        internal ConnectionSettings? SessionDefaults() => SessionDefaultsFrom(CommandHost.GetVariable);

        /// <summary>AWS.Tools' Set-AWSCredential / Set-DefaultAWSRegion values.</summary>
        internal ConnectionSettings? AwsToolsStored() => AwsToolsStoredFrom(CommandHost.GetVariable);

        private static ConnectionSettings? SessionDefaultsFrom(Func<string, object?> readVariable) => readVariable(SessionDefaultsVariable) as ConnectionSettings;

        private static ConnectionSettings? AwsToolsStoredFrom(Func<string, object?> readVariable)
        {
            var credentials = AwsCredentialObject.From(readVariable("global:StoredAWSCredentials"));
            var region = Unwrap(readVariable("global:StoredAWSRegion"));
            if (credentials == null && region == null) return null;
            return new ConnectionSettings { Source = "AWS.Tools stored settings", Credentials = credentials, Region = region };
        }

        // $StoredAWSRegion holds a string or AWS.Tools' region object whose ToString is the system name.
        private static string? Unwrap(object? value)
        {
            if (value == null) return null;
            var t = value.GetType();
            if (t.FullName == "System.Management.Automation.PSObject") value = t.GetProperty("BaseObject")?.GetValue(value);
            var text = value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
        }
    }
}
