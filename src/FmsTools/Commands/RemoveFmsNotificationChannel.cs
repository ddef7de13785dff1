namespace FmsTools.Commands
{
    /// <summary>Stops FMS notifications by deleting the notification channel.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsNotificationChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsNotificationChannel))]
    public sealed class RemoveFmsNotificationChannel : FmsChangeCmdlet
    {
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
                if (!ShouldChange("FMS notification channel", $"Stop notifications to {current.SnsTopicArn}")) return;
                Await((r, ct) => service.DeleteNotificationChannelAsync(current, ct));
                PassOn(current);
            });
        }
    }
}
