namespace FmsTools.Commands
{
    /// <summary>Deletes an applications list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsAppsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsAppsList))]
    public sealed class RemoveFmsAppsList : RemoveFmsListCmdlet<FmsAppsList, FmsApp>
    {
        protected override FmsListKind<FmsAppsList, FmsApp> Kind => FmsListKinds.Apps;
    }
}
