using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager applications lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsAppsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsAppsList))]
    public sealed class GetFmsAppsList : GetFmsListCmdlet<FmsAppsList, FmsApp>
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListNameCompleter))]
        public override string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListIdCompleter))]
        public override string? ListId { get; set; }

        protected override FmsListKind<FmsAppsList, FmsApp> Kind => FmsListKinds.Apps;
    }
}
