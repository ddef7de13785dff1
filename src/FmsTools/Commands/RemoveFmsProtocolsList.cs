namespace FmsTools.Commands
{
    /// <summary>Deletes a protocols list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsProtocolsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class RemoveFmsProtocolsList : RemoveFmsListCmdlet<FmsProtocolsList, string>
    {
        protected override FmsListKind<FmsProtocolsList, string> Kind => FmsListKinds.Protocols;
    }
}
