using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager protocols lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsProtocolsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class GetFmsProtocolsList : GetFmsListCmdlet<FmsProtocolsList, string>
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListNameCompleter))]
        public override string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListIdCompleter))]
        public override string? ListId { get; set; }

        protected override FmsListKind<FmsProtocolsList, string> Kind => FmsListKinds.Protocols;
    }
}
