using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager applications lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsAppsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsAppsList))]
    public sealed class GetFmsAppsList : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListNameCompleter))]
        public string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListIdCompleter))]
        public string? ListId { get; set; }

        /// <summary>The FMS-managed default lists instead of the custom ones.</summary>
        [Parameter]
        public SwitchParameter Default { get => new SwitchParameter(DefaultFlag); set => DefaultFlag = value.IsPresent; }

        /// <summary>-Default, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool DefaultFlag { get; set; }

        protected override void ProcessCore()
        {
            var service = NewAdministrationService();
            TryItem(ListId ?? (object?)Name, () =>
                StreamOutput((r, ct) => service.GetAppsListsAsync(ListId, Patterns(Name), DefaultFlag, ct)));
        }
    }
}
