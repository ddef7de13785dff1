namespace FmsTools.Commands
{
    /// <summary>Gets the SNS topic and role FMS uses to report non-compliance.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsNotificationChannel")]
    [OutputType(typeof(FmsNotificationChannel))]
    public sealed class GetFmsNotificationChannel : FmsConnectedCmdlet
    {
        protected override void ProcessCore()
        {
            var service = new NotificationChannelService(NewAdministrationContext());
            TryItem(null, () => WriteObject(Await((r, ct) => service.GetNotificationChannelAsync(ct))));
        }
    }
}
