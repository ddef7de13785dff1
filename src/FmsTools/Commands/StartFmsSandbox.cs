using FmsTools.Sandbox;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>
    /// Starts the local FMS-compatible sandbox inside this PowerShell process on 127.0.0.1 and returns it
    /// (endpoint, credentials, accounts). Pipe it to Connect-Fms to make it the session's target.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FmsSandbox", SupportsShouldProcess = true)]
    [OutputType(typeof(SandboxHost))]
    public sealed class StartFmsSandbox : FmsCmdlet
    {
        /// <summary>TCP port on 127.0.0.1; 0 (default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>State file to persist to (crash-safe journal beside it); omitted keeps state in memory.</summary>
        [Parameter]
        public string? Path { get; set; }

        /// <summary>Seed the demo organization: a dozen accounts in three OUs, a few hundred resources, demo policies.</summary>
        [Parameter]
        public SwitchParameter Demo { get; set; }

        /// <summary>With -Demo: the demo organization's accounts, OUs, resources and FMS administrator, without its policies.</summary>
        [Parameter]
        public SwitchParameter OrganizationOnly { get; set; }

        /// <summary>Member accounts the generator creates when not -Demo.</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int AccountCount { get; set; } = 6;

        [Parameter]
        [ValidateRange(0, 10000)]
        public int ResourcesPerAccount { get; set; } = 12;

        [Parameter]
        public int Seed { get; set; } = 1;

        [ValidateFmsId(IdentifierKind.Region)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsRegionCompleter))]
        public string Region { get; set; } = "us-east-1";

        /// <summary>Sandbox time from a policy change until remediation converges.</summary>
        [Parameter]
        public TimeSpan? RemediationDelay { get; set; }

        /// <summary>Keep the sandbox clock still until advanced (deterministic runbook tests).</summary>
        [Parameter]
        public SwitchParameter FreezeClock { get; set; }

        protected override void ProcessCore()
        {
            var where = Port == 0 ? "127.0.0.1 (free port)" : "127.0.0.1:" + Port;
            if (OrganizationOnly.IsPresent && !Demo.IsPresent)
                ThrowFmsTerminatingError(new FmsError("OrganizationOnlyNeedsDemo", FmsErrorCategory.InvalidArgument,
                    "-OrganizationOnly starts the demo organization without its FMS configuration; use it with -Demo.", "OrganizationOnly"));
            var what = Demo.IsPresent ? "Start the FMS sandbox with the demo organization" + (OrganizationOnly.IsPresent ? " (accounts, OUs and resources; no FMS configuration)" : "") : $"Start the FMS sandbox with {AccountCount} generated accounts";
            if (!ShouldProcess(where, what + (Path == null ? " (in memory)" : " persisted to " + Path))) return;
            var options = new SandboxOptions
            {
                Port = Port,
                Path = Path == null ? null : ResolvePath(Path),
                Demo = Demo.IsPresent,
                OrganizationOnly = OrganizationOnly.IsPresent,
                AccountCount = AccountCount,
                ResourcesPerAccount = ResourcesPerAccount,
                Seed = Seed,
                Region = Region,
                FreezeClock = FreezeClock.IsPresent,
            };
            if (RemediationDelay.HasValue) options.RemediationDelay = RemediationDelay.Value;
            SandboxHost host;
            using (var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.StartSandbox, "Starting the FMS sandbox", "sandboxes"))
            {
                progress.Status(Demo.IsPresent ? "Building the demo organization" : $"Generating {AccountCount} accounts with {ResourcesPerAccount} resources each", where);
                host = SandboxHost.Start(options);
                progress.Step(host.Endpoint);
            }
            SandboxSessions.Add(host);
            WriteVerbose($"FMS sandbox listening on {host.Endpoint} (region {host.Region}, administrator account {host.AdminAccountId}).");
            WriteObject(host);
        }
    }
}
