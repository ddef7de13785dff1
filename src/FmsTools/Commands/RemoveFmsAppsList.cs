using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Deletes an applications list.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsAppsList", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsAppsList))]
    public sealed class RemoveFmsAppsList : RemoveFmsListCmdlet<FmsAppsList, FmsApp>
    {
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListIdCompleter))]
        public override string? ListId { get; set; }

        protected override FmsListKind<FmsAppsList, FmsApp> Kind => FmsListKinds.Apps;
    }
}
