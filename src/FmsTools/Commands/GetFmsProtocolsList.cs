using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Gets Firewall Manager protocols lists, custom or FMS-managed.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsProtocolsList", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class GetFmsProtocolsList : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListNameCompleter))]
        public string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListIdCompleter))]
        public string? ListId { get; set; }

        [Parameter]
        public SwitchParameter Default { get => new SwitchParameter(DefaultFlag); set => DefaultFlag = value.IsPresent; }

        /// <summary>-Default, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool DefaultFlag { get; set; }

        protected override void ProcessCore()
        {
            var service = NewAdministrationService();
            TryItem(ListId ?? (object?)Name, () =>
                StreamOutput((r, ct) => service.GetProtocolsListsAsync(ListId, Patterns(Name), DefaultFlag, ct)));
        }
    }
}
