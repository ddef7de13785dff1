namespace FmsTools.Commands
{
    /// <summary>Sets the SNS topic (and the role FMS assumes to publish to it) for non-compliance notifications.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsNotificationChannel", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsNotificationChannel))]
    public sealed class SetFmsNotificationChannel : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? SnsTopicArn { get; set; }

        /// <summary>ARN of the IAM role FMS uses to publish (the API calls it SnsRoleName).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("SnsRoleName")]
        public string? SnsRoleArn { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            var service = new NotificationChannelService(NewAdministrationContext());
            TryItem(SnsTopicArn, () =>
            {
                // Bad ARNs are reported before any call, including the read of the current channel.
                var findings = new List<InputFinding>();
                InputRules.NotificationChannel(findings, SnsTopicArn, SnsRoleArn);
                InputRules.ThrowIfAny(findings);
                var current = Await((r, ct) => service.GetNotificationChannelAsync(ct));
                var action = current.IsConfigured
                    ? $"Replace the notification channel {current.SnsTopicArn} with {SnsTopicArn} (role {SnsRoleArn})"
                    : $"Send FMS notifications to {SnsTopicArn} (role {SnsRoleArn})";
                if (!ShouldProcess("FMS notification channel", action)) return;
                var stored = Await((r, ct) => service.SetNotificationChannelAsync(SnsTopicArn!, SnsRoleArn!, current, ct));
                if (PassThru.IsPresent) WriteObject(stored);
            });
        }
    }
}
