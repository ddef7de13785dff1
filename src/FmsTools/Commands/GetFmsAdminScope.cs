using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>Gets what an FMS administrator may manage: accounts, OUs, regions and policy types.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsAdminScope")]
    [OutputType(typeof(FmsAdminScope))]
    public sealed class GetFmsAdminScope : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        [ArgumentCompleter(typeof(FmsAdminAccountCompleter))]
        public string? AdminAccount { get; set; }

        protected override void ProcessCore()
        {
            var service = new AdminAccountService(NewAdministrationContext());
            TryItem(AdminAccount, () =>
            {
                var scope = Await((r, ct) => service.GetAdminScopeAsync(AdminAccount!, ct));
                if (scope != null) WriteObject(scope);
            });
        }
    }
}
