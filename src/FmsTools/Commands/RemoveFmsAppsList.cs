using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes an applications list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsAppsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsAppsList))]
    public sealed class RemoveFmsAppsList : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListIdCompleter))]
        public string? ListId { get; set; }

        /// <summary>Skips the confirmation prompt.</summary>
        [Parameter]
        public SwitchParameter Force { get => new SwitchParameter(ForceFlag); set => ForceFlag = value.IsPresent; }

        /// <summary>-Force, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool ForceFlag { get; set; }

        /// <summary>Writes the deleted list (as it was) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get => new SwitchParameter(PassThruFlag); set => PassThruFlag = value.IsPresent; }

        /// <summary>-PassThru, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool PassThruFlag { get; set; }

        protected override void ProcessCore()
        {
            var service = NewAdministrationService();
            TryItem(ListId, () =>
            {
                var current = Await((r, ct) => service.GetAppsListAsync(ListId!, false, ct));
                if (!CommandHost.ShouldProcess($"apps list '{current.Name}' ({current.ListId})", $"Delete the apps list and its {current.Apps.Count} apps", ForceFlag)) return;
                Await((r, ct) => service.DeleteAppsListAsync(ListId!, current, ct));
                if (PassThruFlag) CommandHost.WriteObject(current);
            });
        }
    }
}
