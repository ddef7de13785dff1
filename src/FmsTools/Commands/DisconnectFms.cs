using System.Management.Automation;
using FmsTools.Engine.Connection;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Clears the session defaults set by Connect-Fms (and with -StopSandbox stops the sandbox they pointed to).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Fms", SupportsShouldProcess = true)]
    [OutputType(typeof(ConnectionSettings))]
    public sealed class DisconnectFms : FmsCmdlet
    {
        [Parameter]
        public SwitchParameter StopSandbox { get => new SwitchParameter(StopSandboxFlag); set => StopSandboxFlag = value.IsPresent; }

        /// <summary>-StopSandbox, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool StopSandboxFlag { get; set; }

        /// <summary>Writes the settings that were cleared (secrets masked in their text form).</summary>
        [Parameter]
        public SwitchParameter PassThru { get => new SwitchParameter(PassThruFlag); set => PassThruFlag = value.IsPresent; }

        /// <summary>-PassThru, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool PassThruFlag { get; set; }

        protected override void ProcessCore()
        {
            if (!(CommandHost.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable) is ConnectionSettings current))
            {
                CommandHost.WriteVerbose("Not connected: there are no session defaults to clear.");
                return;
            }
            if (!CommandHost.ShouldProcess(current.EndpointUrl ?? current.ProfileName ?? current.Region ?? "session defaults", "Clear the FmsTools session defaults")) return;
            CommandHost.SetVariable(FmsConnectedCmdlet.SessionDefaultsVariable, null);
            if (StopSandboxFlag && SandboxSessions.FindByEndpoint(current.EndpointUrl) is FmsTools.Sandbox.SandboxHost host)
                SandboxSessions.Stop(host);
            if (PassThruFlag) CommandHost.WriteObject(WithoutSecrets(current));
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
