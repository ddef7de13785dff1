namespace FmsTools.Commands
{
    /// <summary>Creates or updates a protocols list, detecting concurrent edits through the list's update token.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsProtocolsList", SupportsShouldProcess = true, DefaultParameterSetName = "Properties")]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class SetFmsProtocolsList : SetFmsListCmdlet<FmsProtocolsList, string>
    {
        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolCompleter))]
        public string[]? Protocol { get; set; }

        protected override IEnumerable<string>? Items => Protocol;

        protected override FmsListKind<FmsProtocolsList, string> Kind => FmsListKinds.Protocols;
    }
}
