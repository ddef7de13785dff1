using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>
    /// Makes an account the default FMS administrator (AssociateAdminAccount), or with scope parameters an
    /// administrator limited to accounts, OUs, regions and policy types (PutAdminAccount). Management account only.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FmsAdminAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Default")]
    [OutputType(typeof(FmsAdminAccount))]
    public sealed class SetFmsAdminAccount : FmsChangeCmdlet
    {
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("AdminAccount")]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string? AccountId { get; set; }

        [Parameter(ParameterSetName = "Scoped", Mandatory = true)]
        public FmsAdminScope? Scope { get; set; }

        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter(ParameterSetName = "ScopeParameters")]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string[]? ScopeAccount { get; set; }

        [ValidateFmsId(IdentifierKind.OrganizationalUnitId)]
        [Parameter(ParameterSetName = "ScopeParameters")]
        [ArgumentCompleter(typeof(FmsOrganizationalUnitCompleter))]
        public string[]? ScopeOrganizationalUnit { get; set; }

        [ValidateFmsId(IdentifierKind.Region)]
        [Parameter(ParameterSetName = "ScopeParameters")]
        [ArgumentCompleter(typeof(FmsRegionCompleter))]
        public string[]? ScopeRegion { get; set; }

        [Parameter(ParameterSetName = "ScopeParameters")]
        [ArgumentCompleter(typeof(FmsPolicyTypeCompleter))]
        public string[]? ScopePolicyType { get; set; }

        protected override void ProcessCore()
        {
            var service = new AdminAccountService(NewAdministrationContext());
            var scope = Scope ?? (HasScopeParameters ? FromParameters() : null);
            TryItem(AccountId, () =>
            {
                var action = scope == null ? "Make this account the default FMS administrator" : $"Make this account an FMS administrator for: {scope.Summary}";
                if (!ShouldChange($"account {AccountId}", action)) return;
                var admin = Await((r, ct) => service.SetAdminAccountAsync(AccountId!, scope, ct));
                PassOn(admin);
            });
        }

        private bool HasScopeParameters
            => ScopeAccount != null || ScopeOrganizationalUnit != null || ScopeRegion != null || ScopePolicyType != null;

        private FmsAdminScope FromParameters() => new FmsAdminScope
        {
            AllAccounts = ScopeAccount == null,
            Accounts = ScopeAccount?.ToList() ?? new System.Collections.Generic.List<string>(),
            AllOrganizationalUnits = ScopeOrganizationalUnit == null,
            OrganizationalUnits = ScopeOrganizationalUnit?.ToList() ?? new System.Collections.Generic.List<string>(),
            AllRegions = ScopeRegion == null,
            Regions = ScopeRegion?.ToList() ?? new System.Collections.Generic.List<string>(),
            AllPolicyTypes = ScopePolicyType == null,
            PolicyTypes = ScopePolicyType?.ToList() ?? new System.Collections.Generic.List<string>(),
        };
    }
}
