namespace FmsTools.Commands
{
    /// <summary>Stops FMS notifications by deleting the notification channel.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsNotificationChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsNotificationChannel))]
    public sealed class RemoveFmsNotificationChannel : FmsConnectedCmdlet
    {
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            var service = new NotificationChannelService(NewAdministrationContext());
            TryItem(null, () =>
            {
                var current = Await((r, ct) => service.GetNotificationChannelAsync(ct));
                if (!current.IsConfigured)
                {
                    WriteVerbose("No notification channel is configured; nothing to remove.");
                    return;
                }
                if (!ShouldProcess("FMS notification channel", $"Stop notifications to {current.SnsTopicArn}", Force.IsPresent)) return;
                Await((r, ct) => service.DeleteNotificationChannelAsync(current, ct));
                if (PassThru.IsPresent) WriteObject(current);
            });
        }
    }
}
