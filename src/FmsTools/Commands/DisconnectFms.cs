using FmsTools.Engine.Connection;

namespace FmsTools.Commands
{
    /// <summary>Clears the session defaults set by Connect-Fms (and with -StopSandbox stops the sandbox they pointed to).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Fms", SupportsShouldProcess = true)]
    [OutputType(typeof(ConnectionSettings))]
    public sealed class DisconnectFms : FmsCmdlet
    {
        [Parameter]
        public SwitchParameter StopSandbox { get; set; }

        /// <summary>Writes the settings that were cleared (secrets masked in their text form).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            if (!(GetSessionVariable(FmsConnectedCmdlet.SessionDefaultsVariable) is ConnectionSettings current))
            {
                WriteVerbose("Not connected: there are no session defaults to clear.");
                return;
            }
            if (!ShouldProcess(current.EndpointUrl ?? current.ProfileName ?? current.Region ?? "session defaults", "Clear the FmsTools session defaults")) return;
            SetSessionVariable(FmsConnectedCmdlet.SessionDefaultsVariable, null);
            if (StopSandbox.IsPresent && SandboxSessions.FindByEndpoint(current.EndpointUrl) is FmsTools.Sandbox.SandboxHost host)
                SandboxSessions.Stop(host);
            if (PassThru.IsPresent) WriteObject(WithoutSecrets(current));
        }

        /// <summary>The cleared settings as written: the secret key and session token are not passed on (Format-List *, ConvertTo-Json).</summary>
        private static ConnectionSettings WithoutSecrets(ConnectionSettings settings)
        {
            var shown = settings.Clone();
            shown.SecretKey = null;
            shown.SessionToken = null;
            return shown;
        }
    }
}
