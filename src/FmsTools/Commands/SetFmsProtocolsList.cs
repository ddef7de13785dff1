using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Creates or updates a protocols list, detecting concurrent edits through the list's update token.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsProtocolsList", SupportsShouldProcess = true, DefaultParameterSetName = "Properties")]
    [OutputType(typeof(FmsProtocolsList))]
    public sealed class SetFmsProtocolsList : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
        public FmsProtocolsList? InputObject { get; set; }

        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListNameCompleter))]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolCompleter))]
        public string[]? Protocol { get; set; }

        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "Properties")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsProtocolsListIdCompleter))]
        public string? ListId { get; set; }

        [Parameter]
        public System.Collections.Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get => new SwitchParameter(PassThruFlag); set => PassThruFlag = value.IsPresent; }

        /// <summary>-PassThru, kept as a bool: PowerShellStandard's SwitchParameter is a stub, so tests set this.</summary>
        internal bool PassThruFlag { get; set; }

        protected override void ProcessCore()
        {
            var service = NewAdministrationService();
            TryItem(InputObject?.Name ?? Name, () =>
            {
                // Bad input is reported before any call, including the read that finds the list by name.
                if (InputObject == null)
                    AdministrationService.ValidateProtocolsList(new FmsProtocolsList { Name = Name!, ListId = ListId, Protocols = (Protocol ?? new string[0]).ToList() });
                var desired = InputObject ?? Await((r, ct) => ResolveAsync(service, ct));
                AdministrationService.ValidateProtocolsList(desired);
                var description = desired.ListId == null
                    ? $"Create protocols list: {desired.ProtocolSummary}"
                    : $"Update protocols list {desired.ListId} to: {desired.ProtocolSummary}";
                if (!CommandHost.ShouldProcess($"protocols list '{desired.Name}'", description)) return;
                var stored = Await((r, ct) => service.PutProtocolsListAsync(desired, TagsFrom(Tag), ct));
                if (PassThruFlag) CommandHost.WriteObject(stored);
            });
        }

        private async Task<FmsProtocolsList> ResolveAsync(AdministrationService service, System.Threading.CancellationToken ct)
        {
            var protocols = (Protocol ?? new string[0]).ToList();
            if (ListId != null)
            {
                var current = await service.GetProtocolsListAsync(ListId, false, ct).ConfigureAwait(false);
                current.Name = Name!;
                current.Protocols = protocols;
                return current;
            }
            var matches = new System.Collections.Generic.List<FmsProtocolsList>();
            await foreach (var list in service.GetProtocolsListsAsync(null, new[] { Wildcard.Literal(Name!) }, false, ct).ConfigureAwait(false))
                matches.Add(list);
            if (matches.Count > 1)
                throw new FmsItemException(new FmsError("AmbiguousListName", FmsErrorCategory.InvalidArgument,
                    $"{matches.Count} protocols lists are named '{Name}' ({string.Join(", ", matches.Select(m => m.ListId))}); pass -ListId to choose one.", Name));
            var target = matches.FirstOrDefault() ?? new FmsProtocolsList { Name = Name! };
            target.Protocols = protocols;
            return target;
        }
    }
}
