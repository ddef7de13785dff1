namespace FmsTools.Commands
{
    /// <summary>Creates or updates an applications list; a list read earlier carries its update token, so concurrent edits conflict instead of overwriting.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsAppsList", SupportsShouldProcess = true, DefaultParameterSetName = "Properties")]
    [OutputType(typeof(FmsAppsList))]
    public sealed class SetFmsAppsList : SetFmsListCmdlet<FmsAppsList, FmsApp>
    {
        /// <summary>Apps as FmsApp objects or hashtables: @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }.</summary>
        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 1)]
        public FmsApp[]? App { get; set; }

        protected override IEnumerable<FmsApp>? Items => App;

        protected override FmsListKind<FmsAppsList, FmsApp> Kind => FmsListKinds.Apps;
    }
}
