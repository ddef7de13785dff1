using FmsTools.Aws;
using FmsTools.Engine.Connection;
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

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AwsSession> _sessions =
            new System.Collections.Concurrent.ConcurrentDictionary<string, AwsSession>(StringComparer.Ordinal);

        [Parameter]
        [Alias("Profile", "StoredCredentials")]
        [ArgumentCompleter(typeof(FmsProfileNameCompleter))]
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
        [ArgumentCompleter(typeof(FmsSandboxEndpointCompleter))]
        public string? EndpointUrl { get; set; }

        /// <summary>An AWSCredentials object (AWS.Tools' Get-AWSCredential output works).</summary>
        [Parameter]
        public object? Credential { get; set; }

        [Parameter]
        public string? AccessKey { get; set; }

        /// <summary>The secret access key for -AccessKey; a string converts to it at binding and is never shown again.</summary>
        [Parameter]
        public SecretString? SecretKey { get; set; }

        /// <summary>The session token of temporary keys; a string converts to it at binding and is never shown again.</summary>
        [Parameter]
        public SecretString? SessionToken { get; set; }

        private string[]? _regions;

        /// <summary>
        /// The Regions of a cmdlet whose -Region takes several (it hides -Region with a string[] parameter that reads and
        /// writes this property): the first one given is the connection's Region.
        /// </summary>
        protected string[]? Regions
        {
            get => _regions;
            set
            {
                _regions = value;
                Region = value?.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r));
            }
        }

        /// <summary><see cref="Regions"/> trimmed, in order, without blanks and repeats.</summary>
        protected List<string> DistinctRegions()
            => (_regions ?? new string[0]).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The connection for this call in <see cref="RegionToUse"/>, resolved once per command and Region.</summary>
        protected AwsSession Session => _sessions.GetOrAdd(RegionToUse ?? "", _ => ResolveSession());

        /// <summary>
        /// The Region of the input being processed when it carries one (a piped policy, the ARN of a tagged resource, a journal
        /// entry): such an input is read and changed where it lives, whatever -Region says. Null when the input names none.
        /// </summary>
        protected virtual string? InputRegion => null;

        /// <summary>The Region this call goes to: the input's (<see cref="InputRegion"/>), else -Region, else the connection's (null).</summary>
        private string? RegionToUse
        {
            get
            {
                var input = InputRegion;
                if (!string.IsNullOrWhiteSpace(input)) return input!.Trim();
                return string.IsNullOrWhiteSpace(Region) ? null : Region;
            }
        }

        /// <summary>The Region of an ARN (arn:partition:service:region:account:resource), or null when it names none.</summary>
        protected static string? RegionOfArn(string? arn)
        {
            if (arn == null || !arn.StartsWith("arn:", StringComparison.Ordinal)) return null;
            var parts = arn.Split(new[] { ':' }, 6);
            return parts.Length == 6 && parts[3].Length > 0 ? parts[3] : null;
        }

        /// <summary>The change journal folder for this command (Restore-FmsPolicy -JournalPath); null means $env:FMSTOOLS_JOURNAL or the default.</summary>
        protected string? JournalFolder { get; set; }

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
        /// are wired to the change journal: every cmdlet builds its administration service (FmsListService,
        /// ResourceSetService, NotificationChannelService, AdminAccountService, TagService) on this (reads record nothing).
        /// </summary>
        protected FmsTools.Engine.Administration.AdministrationContext NewAdministrationContext()
        {
            var session = Session;
            return new FmsTools.Engine.Administration.AdministrationContext(session.Fms, session.Region, OpenJournal(session));
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
                Region = RegionToUse,
                EndpointUrl = EndpointUrl,
                AccessKey = AccessKey,
                SecretKey = SecretKey?.Reveal(),
                SessionToken = SessionToken?.Reveal(),
            };
            if (Credential != null)
            {
                call.Credentials = AwsCredentialObject.From(Credential)
                    ?? throw new FmsTerminatingException(new FmsError("InvalidCredentialObject", FmsErrorCategory.InvalidArgument,
                        $"-Credential expects an AWSCredentials object (e.g. from Get-AWSCredential or New-AWSCredential); got {CredentialTypeName(Credential)}.",
                        "Credential"));
            }
            return ResolveLayers(call, GetSessionVariable, WarnOnce);
        }

        private static string CredentialTypeName(object value)
            => (value is PSObject wrapped ? wrapped.BaseObject : value).GetType().FullName ?? "an object";

        private readonly System.Collections.Generic.HashSet<string> _warned = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);

        /// <summary>A warning written once per command (the connection may be resolved once per Region).</summary>
        private void WarnOnce(string message)
        {
            if (_warned.Add(message)) WriteWarning(message);
        }

        /// <summary>
        /// The precedence below a call's own parameters: Connect-Fms's session defaults, then AWS.Tools' stored
        /// settings. Static so argument completers resolve exactly as the cmdlets do, with their own variable reader.
        /// </summary>
        internal static ResolvedConnection ResolveLayers(ConnectionSettings call, Func<string, object?> readVariable, Action<string>? warn = null)
            => ConnectionResolver.Resolve(new[] { call, SessionDefaultsFrom(readVariable), AwsToolsStoredFrom(readVariable, warn) });

        private AwsSession ResolveSession()
        {
            var resolved = ResolveConnection();
            var session = OpenSession(resolved.Options);
            WriteVerbose(DescribeConnection(resolved, session));
            return session;
        }

        /// <summary>
        /// The -Verbose line of a connection: where the credentials come from (never a secret), the Region and where it
        /// came from, and the endpoint of each service with the setting that chose it.
        /// </summary>
        internal static string DescribeConnection(ResolvedConnection resolved, AwsSession session)
        {
            var endpoints = new System.Collections.Generic.List<string>();
            foreach (var service in new[] { AwsServiceIds.Fms, AwsServiceIds.Organizations, AwsServiceIds.Wafv2, AwsServiceIds.Sts })
                endpoints.Add(session.Endpoints[service].ToString());
            return $"Connection: credentials {session.CredentialDescription} (from {resolved.CredentialSource}); region {session.Region} "
                   + $"(from {resolved.RegionSource}); endpoints: {string.Join("; ", endpoints)}.";
        }

        /// <summary>The ErrorId of the error every connected command (and Connect-Fms) fails with when no AWS credentials exist anywhere.</summary>
        internal const string NoCredentialsErrorId = "NoAwsCredentials";

        /// <summary>
        /// The one place a connection becomes a session, for every connected command, Connect-Fms and tab completion alike. A
        /// connection that cannot be made fails here and nothing is called: with no AWS credentials anywhere the error is
        /// <see cref="NoCredentialsErrorId"/> (AuthenticationError), which says how to connect and how to try the sandbox instead;
        /// any other setting that is missing or wrong is ConnectionNotConfigured. There is no implicit fallback: the sandbox
        /// answers only when asked for (Connect-Fms -Sandbox, a piped sandbox, or -EndpointUrl), so sandbox data is never
        /// shown where AWS was expected.
        /// </summary>
        internal static AwsSession OpenSession(AwsConnectionOptions options)
        {
            try
            {
                return SessionCache.GetOrCreate(options);
            }
            catch (FmsTools.Aws.Runtime.AwsCredentialException e)
            {
                throw new FmsTerminatingException(CredentialError(e));
            }
            catch (FmsTools.Aws.Runtime.AwsConfigurationException e)
            {
                // A missing region is reported first by the SDK layer; when credentials are missing too, that is the real problem.
                if (e.Setting == "Credentials" || (e.Setting == "Region" && !AwsSessionFactory.CanResolveCredentials(options)))
                    throw new FmsTerminatingException(NoCredentialsError());
                throw new FmsTerminatingException(new FmsError("ConnectionNotConfigured", FmsErrorCategory.AuthenticationError, e.Message, e.Setting, e,
                    "Run Connect-Fms -ProfileName <name> -Region <region>, or pass -ProfileName/-Region; to try FmsTools without AWS, Connect-Fms -Sandbox."));
            }
        }

        /// <summary>A credential failure as an error: its own stable id (ProfileNotFound, AssumeRoleFailed, ...), ObjectNotFound or AuthenticationError.</summary>
        internal static FmsError CredentialError(FmsTools.Aws.Runtime.AwsCredentialException e)
            => new FmsError(e.ErrorId, e.IsNotFound ? FmsErrorCategory.ObjectNotFound : FmsErrorCategory.AuthenticationError, e.Message,
                e.Setting ?? "Credentials", e);

        // No inner exception: the SDK layer's message may be about the Region it checked first, and the problem is the credentials.
        private static FmsError NoCredentialsError()
            => new FmsError(NoCredentialsErrorId, FmsErrorCategory.AuthenticationError,
                "No AWS credentials were found: none were passed to the command (-ProfileName, -Credential, -AccessKey) or stored by "
                + "Connect-Fms, and there are none in AWS.Tools' stored settings, the AWS_* environment variables, the AWS config and "
                + "credentials files or container and instance metadata. Connect to AWS with Connect-Fms -ProfileName <name> -Region <region>. "
                + "To try FmsTools without an AWS account, use its local sandbox with a demo organization: Connect-Fms -Sandbox, "
                + "or Start-FmsSandbox -Demo | Connect-Fms.",
                "Credentials", null,
                "Connect-Fms -ProfileName <name> -Region <region> for AWS; Connect-Fms -Sandbox (or Start-FmsSandbox -Demo | Connect-Fms) for the local sandbox.");

        /// <summary>What Connect-Fms stored for this session, if anything.</summary>
        internal ConnectionSettings? SessionDefaults() => SessionDefaultsFrom(GetSessionVariable);

        /// <summary>AWS.Tools' Set-AWSCredential / Set-DefaultAWSRegion values.</summary>
        internal ConnectionSettings? AwsToolsStored() => AwsToolsStoredFrom(GetSessionVariable, WarnOnce);

        private static ConnectionSettings? SessionDefaultsFrom(Func<string, object?> readVariable) => readVariable(SessionDefaultsVariable) as ConnectionSettings;

        private static ConnectionSettings? AwsToolsStoredFrom(Func<string, object?> readVariable, Action<string>? warn = null)
        {
            var storedCredentials = readVariable("global:StoredAWSCredentials");
            var credentials = AwsCredentialObject.From(storedCredentials);
            if (credentials == null && Unwrapped(storedCredentials) is object unusable)
            {
                warn?.Invoke($"$StoredAWSCredentials holds a {TypeName(unusable)}, which FmsTools cannot sign with, so it is not used: FmsTools expected an "
                             + "AWSCredentials object, as AWS.Tools' Set-AWSCredential stores (Set-AWSCredential -ProfileName <name>, or -AccessKey/-SecretKey). "
                             + "Clear it with Clear-AWSCredential or Remove-Variable StoredAWSCredentials -Scope Global.");
            }
            var storedRegion = readVariable("global:StoredAWSRegion");
            var region = RegionName(storedRegion);
            if (region == null && Unwrapped(storedRegion) is object notARegion)
            {
                warn?.Invoke($"$StoredAWSRegion holds {(notARegion is string text ? "'" + text + "'" : "a " + TypeName(notARegion))}, which is not a Region, so it "
                             + "is not used: FmsTools expected a Region name such as us-east-1, or the Region object AWS.Tools stores (Set-DefaultAWSRegion -Region us-east-1).");
            }
            if (credentials == null && region == null) return null;
            return new ConnectionSettings { Source = "AWS.Tools stored settings", Credentials = credentials, Region = region };
        }

        private static readonly System.Text.RegularExpressions.Regex RegionPattern =
            new System.Text.RegularExpressions.Regex("^[a-z]{2}(-[a-z]+)+-\\d{1,2}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// The Region in $StoredAWSRegion: a Region name, or a Region object: AWS.Tools' (its Region property), the SDK's
        /// RegionEndpoint (SystemName); null when it holds nothing or something else.
        /// </summary>
        internal static string? RegionName(object? value)
        {
            var stored = Unwrapped(value);
            if (stored == null) return null;
            string? name = stored as string;
            if (name == null)
            {
                foreach (var property in new[] { "SystemName", "Region" })
                {
                    var read = Read(stored, property);
                    if (read is string text && text.Length > 0)
                    {
                        name = text;
                        break;
                    }
                    if (read != null && !(read is string) && Read(Unwrapped(read)!, "SystemName") is string inner)
                    {
                        name = inner;
                        break;
                    }
                }
            }
            name = name?.Trim();
            return name != null && RegionPattern.IsMatch(name) ? name : null;
        }

        private static object? Read(object target, string property)
        {
            if (target is PSObject wrapped) return wrapped.Properties[property]?.Value;
            if (target is System.Collections.IDictionary dictionary) return dictionary.Contains(property) ? dictionary[property] : null;
            return target.GetType().GetProperty(property)?.GetValue(target);
        }

        // A PSCustomObject stays a PSObject (its properties live there); anything else is read as its base object.
        private static object? Unwrapped(object? value)
        {
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject)) value = wrapped.BaseObject;
            if (value is string text && text.Trim().Length == 0) return null;
            return value;
        }

        private static string TypeName(object value) => value is PSObject wrapped && wrapped.BaseObject is PSCustomObject
            ? "PSCustomObject"
            : (value is PSObject other ? other.BaseObject : value).GetType().FullName ?? "value";
    }
}
