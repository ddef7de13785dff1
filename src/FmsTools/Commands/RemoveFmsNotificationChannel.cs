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
        public SwitchParameter Force { get => _force; set => _force = value; }

        private bool _force;

        [Parameter]
        public SwitchParameter PassThru { get => _passThru; set => _passThru = value; }

        private bool _passThru;

        protected override void ProcessCore()
        {
            var service = new AdministrationService(Session.Fms);
            TryItem(null, () =>
            {
                var current = Await((r, ct) => service.GetNotificationChannelAsync(ct));
                if (!current.IsConfigured)
                {
                    CommandHost.WriteVerbose("No notification channel is configured; nothing to remove.");
                    return;
                }
                if (!CommandHost.ShouldProcess("FMS notification channel", $"Stop notifications to {current.SnsTopicArn}", _force)) return;
                Await((r, ct) => service.DeleteNotificationChannelAsync(ct));
                if (_passThru) CommandHost.WriteObject(current);
            });
        }
    }
}
