using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Removes the default FMS administrator. FMS then deletes the policies that administrator created.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsAdminAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsAdminAccount))]
    public sealed class RemoveFmsAdminAccount : FmsConnectedCmdlet
    {
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            var service = new AdministrationService(Session.Fms);
            TryItem(null, () =>
            {
                var admin = Await((r, ct) => service.GetDefaultAdminAsync(ct));
                if (admin == null)
                    throw new FmsItemException(new FmsError("NoAdminAccount", FmsErrorCategory.ObjectNotFound, "No FMS administrator is associated; nothing to remove."));
                if (!CommandHost.ShouldProcess($"FMS administrator {admin.AccountId}",
                        "Disassociate the administrator; FMS deletes every policy this administrator created", Force)) return;
                Await((r, ct) => service.RemoveDefaultAdminAsync(ct));
                if (PassThru) CommandHost.WriteObject(admin);
            });
        }
    }
}
