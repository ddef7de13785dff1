using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes a protocols list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsProtocolsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class RemoveFmsProtocolsList : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListIdCompleter))]
        public string? ListId { get; set; }

        [Parameter]
        public SwitchParameter Force { get => new SwitchParameter(ForceFlag); set => ForceFlag = value.IsPresent; }

        /// <summary>-Force, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool ForceFlag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get => new SwitchParameter(PassThruFlag); set => PassThruFlag = value.IsPresent; }

        /// <summary>-PassThru, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool PassThruFlag { get; set; }

        protected override void ProcessCore()
        {
            var service = NewAdministrationService();
            TryItem(ListId, () =>
            {
                var current = Await((r, ct) => service.GetProtocolsListAsync(ListId!, false, ct));
                if (!CommandHost.ShouldProcess($"protocols list '{current.Name}' ({current.ListId})", $"Delete the protocols list ({current.ProtocolSummary})", ForceFlag)) return;
                Await((r, ct) => service.DeleteProtocolsListAsync(ListId!, current, ct));
                if (PassThruFlag) CommandHost.WriteObject(current);
            });
        }
    }
}
