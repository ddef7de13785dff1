using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes a protocols list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsProtocolsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class RemoveFmsProtocolsList : RemoveFmsListCmdlet<FmsProtocolsList, string>
    {
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListIdCompleter))]
        public override string? ListId { get; set; }

        protected override FmsListKind<FmsProtocolsList, string> Kind => FmsListKinds.Protocols;
    }
}
