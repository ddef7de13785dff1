namespace FmsTools.Commands
{
    /// <summary>Gets the default FMS administrator, or with -All every administrator of the organization.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsAdminAccount", DefaultParameterSetName = "Default")]
    [OutputType(typeof(FmsAdminAccount))]
    public sealed class GetFmsAdminAccount : FmsConnectedCmdlet
    {
        /// <summary>Every administrator (ListAdminAccountsForOrganization; management account only).</summary>
        [Parameter(ParameterSetName = "All", Mandatory = true)]
        public SwitchParameter All { get; set; }

        /// <summary>Also read each administrator's scope (one GetAdminScope call each).</summary>
        [Parameter(ParameterSetName = "All")]
        public SwitchParameter IncludeScope { get; set; }

        protected override void ProcessCore()
        {
            var service = new AdminAccountService(NewAdministrationContext());
            if (All.IsPresent)
            {
                TryItem(null, () => StreamOutput((r, ct) => service.GetAdminAccountsAsync(IncludeScope.IsPresent, ct)));
                return;
            }
            TryItem(null, () =>
            {
                var admin = Await((r, ct) => service.GetDefaultAdminAsync(ct));
                if (admin == null)
                    WriteFmsError(new FmsError("NoAdminAccount", FmsErrorCategory.ObjectNotFound,
                        "No FMS administrator is associated with this organization. Set-FmsAdminAccount -AccountId <id> (from the management account) sets one."));
                else
                    WriteObject(admin);
            });
        }
    }
}
