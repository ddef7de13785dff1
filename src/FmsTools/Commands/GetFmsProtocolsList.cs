namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager protocols lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsProtocolsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class GetFmsProtocolsList : GetFmsListCmdlet<FmsProtocolsList, string>
    {
        protected override FmsListKind<FmsProtocolsList, string> Kind => FmsListKinds.Protocols;
    }
}
