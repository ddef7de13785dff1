using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Stops FMS notifications by deleting the notification channel.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsNotificationChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsNotificationChannel))]
    public sealed class RemoveFmsNotificationChannel : FmsConnectedCmdlet
    {
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
            var service = new NotificationChannelService(NewAdministrationContext());
            TryItem(null, () =>
            {
                var current = Await((r, ct) => service.GetNotificationChannelAsync(ct));
                if (!current.IsConfigured)
                {
                    CommandHost.WriteVerbose("No notification channel is configured; nothing to remove.");
                    return;
                }
                if (!CommandHost.ShouldProcess("FMS notification channel", $"Stop notifications to {current.SnsTopicArn}", ForceFlag)) return;
                Await((r, ct) => service.DeleteNotificationChannelAsync(current, ct));
                if (PassThruFlag) CommandHost.WriteObject(current);
            });
        }
    }
}
