namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager applications lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsAppsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsAppsList))]
    public sealed class GetFmsAppsList : GetFmsListCmdlet<FmsAppsList, FmsApp>
    {
        protected override FmsListKind<FmsAppsList, FmsApp> Kind => FmsListKinds.Apps;
    }
}
