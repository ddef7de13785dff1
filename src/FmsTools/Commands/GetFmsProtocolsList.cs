using System.Management.Automation;
using FmsTools.Engine.Administration;
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
        public string[]? Name { get; set; }

        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string? ListId { get; set; }

        [Parameter]
        public SwitchParameter Default { get => _default; set => _default = value; }

        private bool _default;

        protected override void ProcessCore()
        {
            var service = new AdministrationService(Session.Fms);
            TryItem(ListId ?? (object?)Name, () =>
                StreamOutput((r, ct) => service.GetProtocolsListsAsync(ListId, Patterns(Name), _default, ct)));
        }
    }
}
