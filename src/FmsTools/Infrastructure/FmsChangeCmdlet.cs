namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the connected cmdlets that make one confirmed change to an object they resolve first (Remove-FmsPolicy,
    /// Remove- and Set-FmsAdminAccount, Remove-FmsNotificationChannel): -Force skips the confirmation prompt (-WhatIf
    /// still only reports), -PassThru writes the object changed.
    /// </summary>
    public abstract class FmsChangeCmdlet : FmsConnectedCmdlet
    {
        /// <summary>Skips the confirmation prompt (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the object changed (a deleted one as it was) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>ShouldProcess for the resolved <paramref name="target"/>, without a prompt under -Force.</summary>
        protected bool ShouldChange(string target, string action) => ShouldProcess(target, action, Force.IsPresent);

        /// <summary>Writes <paramref name="changed"/> when -PassThru is given.</summary>
        protected void PassOn(object changed)
        {
            if (PassThru.IsPresent) WriteObject(changed);
        }
    }
}
