using FmsTools.Engine.Connection;
using FmsTools.Sandbox;

namespace FmsTools.Commands
{
    /// <summary>
    /// Sets the session's defaults (profile, region, endpoint, credentials, member-account role, or the local
    /// sandbox) used by every FmsTools cmdlet unless a call overrides them, and checks them with
    /// STS GetCallerIdentity before storing.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Fms", SupportsShouldProcess = true, DefaultParameterSetName = "Aws")]
    [OutputType(typeof(FmsContext))]
    public sealed class ConnectFms : FmsConnectedCmdlet
    {
        /// <summary>Connect to the local sandbox: the one piped in, the latest started, or a new demo sandbox.</summary>
        [Parameter(ParameterSetName = "Sandbox", Mandatory = true)]
        public SwitchParameter Sandbox { get; set; }

        [Parameter(ParameterSetName = "SandboxObject", Mandatory = true, ValueFromPipeline = true)]
        public SandboxHost? SandboxHost { get; set; }

        /// <summary>
        /// Role Invoke-FmsRemediation assumes in member accounts to make the EC2 changes FMS suggests (alias
        /// -MemberRoleName); without it, and without Invoke-FmsRemediation -MemberRoleName, those changes are only printed as commands.
        /// </summary>
        [Parameter]
        [Alias("MemberRoleName")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsMemberAccountRoleNameCompleter))]
        public string? MemberAccountRoleName { get; set; }

        /// <summary>The external id the member role's trust policy requires (sts:ExternalId), used with the member role.</summary>
        [Parameter]
        [ValidateLength(2, 1224)]
        [ValidatePattern(@"^[\w+=,.@:/-]+$")]
        public string? MemberRoleExternalId { get; set; }

        /// <summary>Store the settings without calling AWS to check them.</summary>
        [Parameter]
        public SwitchParameter SkipValidation { get; set; }

        protected override void ProcessCore()
        {
            var toSandbox = Sandbox.IsPresent || SandboxHost != null;
            var sandbox = toSandbox ? SandboxHost ?? SandboxSessions.Latest() : null;
            if (toSandbox && sandbox == null)
            {
                // No sandbox to connect to: starting the demo sandbox is itself a change, so it happens only once agreed to.
                if (!ShouldProcess("a new demo FMS sandbox on 127.0.0.1", "Start the FMS sandbox with the demo organization (in memory) and use it for FmsTools commands in this session")) return;
                Store(SandboxSettings(StartDemo()));
                return;
            }
            var settings = sandbox != null ? SandboxSettings(sandbox) : AwsSettings();
            var resolved = ConnectionResolver.Resolve(new[] { settings, AwsToolsStored() });
            var target = resolved.Options.EndpointUrl ?? ("AWS " + (resolved.Options.Region ?? "(default region)"));
            if (!ShouldProcess(target, $"Use for FmsTools commands in this session (credentials from {resolved.CredentialSource})")) return;
            Store(settings, resolved);
        }

        /// <summary>Checks the settings (unless -SkipValidation) and makes them the session's defaults.</summary>
        private void Store(ConnectionSettings settings, ResolvedConnection? resolved = null)
        {
            resolved ??= ConnectionResolver.Resolve(new[] { settings, AwsToolsStored() });
            if (!SkipValidation.IsPresent)
            {
                var session = OpenSession(resolved.Options);
                var context = Await((r, ct) => FmsContext.ReadAsync(session, resolved, SandboxSessions.FindByEndpoint(resolved.Options.EndpointUrl) != null, ct));
                SetSessionVariable(SessionDefaultsVariable, settings);
                WriteObject(context);
                return;
            }
            SetSessionVariable(SessionDefaultsVariable, settings);
        }

        private ConnectionSettings AwsSettings()
        {
            var call = ResolveConnection();
            return new ConnectionSettings
            {
                Source = "Connect-Fms",
                ProfileName = ProfileName,
                ProfilesLocation = ProfileLocation,
                Region = Region,
                EndpointUrl = EndpointUrl,
                Credentials = call.Options.Credentials,
                AccessKey = AccessKey,
                SecretKey = SecretKey?.Reveal(),
                SessionToken = SessionToken?.Reveal(),
                MemberAccountRoleName = MemberAccountRoleName,
                MemberRoleExternalId = MemberRoleExternalId,
            };
        }

        private ConnectionSettings SandboxSettings(SandboxHost host)
        {
            var sandbox = SandboxSessions.SettingsFor(host, "Connect-Fms -Sandbox");
            sandbox.MemberAccountRoleName = MemberAccountRoleName;
            sandbox.MemberRoleExternalId = MemberRoleExternalId;
            return sandbox;
        }

        private SandboxHost StartDemo()
        {
            var host = FmsTools.Sandbox.SandboxHost.Start(new SandboxOptions { Demo = true });
            SandboxSessions.Add(host);
            WriteVerbose($"Started a demo FMS sandbox on {host.Endpoint}.");
            return host;
        }
    }
}
