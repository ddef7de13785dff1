using FmsTools.Sandbox;

namespace FmsTools.Commands
{
    /// <summary>Stops sandboxes started in this process; their state file (if any) keeps the data.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "FmsSandbox", SupportsShouldProcess = true, DefaultParameterSetName = "Latest")]
    [OutputType(typeof(SandboxHost))]
    public sealed class StopFmsSandbox : FmsCmdlet
    {
        [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true, Position = 0)]
        public SandboxHost? InputObject { get; set; }

        [Parameter(ParameterSetName = "All", Mandatory = true)]
        public SwitchParameter All { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            var targets = InputObject != null ? new[] { InputObject }
                : All.IsPresent ? SandboxSessions.All()
                : SandboxSessions.Latest() is SandboxHost latest ? new[] { latest } : new SandboxHost[0];
            if (targets.Count == 0 && !All.IsPresent)
            {
                WriteFmsError(new FmsError("NoSandboxRunning", FmsErrorCategory.ObjectNotFound, "No FMS sandbox is running in this session."));
                return;
            }
            foreach (var host in targets)
            {
                if (!ShouldProcess(host.Endpoint, "Stop the FMS sandbox" + (host.StatePath == null ? " (its in-memory state is lost)" : $" (state stays in {host.StatePath})"))) continue;
                SandboxSessions.Stop(host);
                if (GetSessionVariable(FmsConnectedCmdlet.SessionDefaultsVariable) is Engine.Connection.ConnectionSettings defaults
                    && string.Equals(defaults.EndpointUrl, host.Endpoint, System.StringComparison.OrdinalIgnoreCase))
                {
                    SetSessionVariable(FmsConnectedCmdlet.SessionDefaultsVariable, null);
                    WriteWarning($"The session was connected to the sandbox at {host.Endpoint}; it is now disconnected.");
                }
                if (PassThru.IsPresent) WriteObject(host);
            }
        }
    }
}
