using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes a resource set.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsResourceSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsResourceSet))]
    public sealed class RemoveFmsResourceSet : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceSetId")]
        public string? Id { get; set; }

        [Parameter]
        public SwitchParameter Force { get => _force; set => _force = value; }

        private bool _force;

        [Parameter]
        public SwitchParameter PassThru { get => _passThru; set => _passThru = value; }

        private bool _passThru;

        protected override void ProcessCore()
        {
            var service = new AdministrationService(Session.Fms);
            TryItem(Id, () =>
            {
                var current = Await((r, ct) => service.GetResourceSetAsync(Id!, ct));
                if (!CommandHost.ShouldProcess($"resource set '{current.Name}' ({current.Id})", "Delete the resource set", _force)) return;
                Await((r, ct) => service.DeleteResourceSetAsync(Id!, ct));
                if (_passThru) CommandHost.WriteObject(current);
            });
        }
    }
}
