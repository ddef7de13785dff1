using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes a resource set.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsResourceSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsResourceSet))]
    public sealed class RemoveFmsResourceSet : FmsPipedRegionCmdlet
    {
        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceSetId")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? Id { get; set; }

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
            var service = new ResourceSetService(NewAdministrationContext());
            TryItem(Id, () =>
            {
                var current = Await((r, ct) => service.GetResourceSetAsync(Id!, ct));
                if (!CommandHost.ShouldProcess($"resource set '{current.Name}' ({current.Id})", "Delete the resource set", ForceFlag)) return;
                Await((r, ct) => service.DeleteResourceSetAsync(Id!, current, ct));
                if (PassThruFlag) CommandHost.WriteObject(current);
            });
        }
    }
}
