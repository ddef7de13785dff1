namespace FmsTools.Commands
{
    /// <summary>
    /// Disassociates the CALLING account as an FMS administrator (DisassociateAdminAccount acts on the caller).
    /// When the caller is the default administrator, FMS deletes every policy it created.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "FmsAdminAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsAdminAccount))]
    public sealed class RemoveFmsAdminAccount : FmsChangeCmdlet
    {
        protected override void ProcessCore()
        {
            var service = new AdminAccountService(NewAdministrationContext());
            TryItem(null, () =>
            {
                // Resolve the real target first: the prompt must name the account that will be disassociated.
                var caller = Await((r, ct) => Session.Sts.GetCallerIdentityAsync(ct));
                var defaultAdmin = Await((r, ct) => service.GetDefaultAdminAsync(ct));
                // Called by an administrator, FMS disassociates that caller; called from the management account,
                // it disassociates the default administrator.
                var callerIsDefault = defaultAdmin != null && defaultAdmin.AccountId == caller.Account;
                if (defaultAdmin == null && !callerIsDefault)
                    throw new FmsItemException(new FmsError("NoAdminAccount", FmsErrorCategory.ObjectNotFound, "No FMS administrator is associated; nothing to remove."));
                var target = callerIsDefault || defaultAdmin == null
                    ? $"FMS administrator {caller.Account} (the calling account)"
                    : $"FMS administrator {defaultAdmin.AccountId} (the default administrator; called from account {caller.Account})";
                if (!ShouldChange(target, "Disassociate the administrator; FMS deletes every policy this administrator created")) return;
                Await((r, ct) => service.RemoveDefaultAdminAsync(ct));
                if (PassThru.IsPresent)
                    WriteObject(callerIsDefault || defaultAdmin == null
                        ? new FmsAdminAccount { AccountId = caller.Account ?? "", IsDefaultAdmin = callerIsDefault }
                        : defaultAdmin);
            });
        }
    }
}
