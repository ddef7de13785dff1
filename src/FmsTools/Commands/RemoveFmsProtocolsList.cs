using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes a protocols list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsProtocolsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class RemoveFmsProtocolsList : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? ListId { get; set; }

        [Parameter]
        public SwitchParameter Force { get => _force; set => _force = value; }

        private bool _force;

        [Parameter]
        public SwitchParameter PassThru { get => _passThru; set => _passThru = value; }

        private bool _passThru;

        protected override void ProcessCore()
        {
            var service = new AdministrationService(Session.Fms);
            TryItem(ListId, () =>
            {
                var current = Await((r, ct) => service.GetProtocolsListAsync(ListId!, false, ct));
                if (!CommandHost.ShouldProcess($"protocols list '{current.Name}' ({current.ListId})", $"Delete the protocols list ({current.ProtocolSummary})", _force)) return;
                Await((r, ct) => service.DeleteProtocolsListAsync(ListId!, ct));
                if (_passThru) CommandHost.WriteObject(current);
            });
        }
    }
}
