using System.Linq;
using System.Threading.Tasks;
using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Creates or updates an applications list; a list read earlier carries its update token, so concurrent edits conflict instead of overwriting.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsAppsList", SupportsShouldProcess = true, DefaultParameterSetName = "Properties")]
    [OutputType(typeof(FmsAppsList))]
    public sealed class SetFmsAppsList : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
        public FmsAppsList? InputObject { get; set; }

        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Apps as FmsApp objects or hashtables: @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }.</summary>
        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 1)]
        public FmsApp[]? App { get; set; }

        /// <summary>The list to update; without it a list with this name is updated, or created when none exists.</summary>
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "Properties")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsAppsListIdCompleter))]
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
            var target = InputObject?.Name ?? Name;
            TryItem(target, () =>
            {
                // Bad input is reported before any call, including the read that finds the list by name.
                if (InputObject == null)
                    AdministrationService.ValidateAppsList(new FmsAppsList { Name = Name!, ListId = ListId, Apps = (App ?? new FmsApp[0]).ToList() });
                var desired = InputObject ?? Await((r, ct) => ResolveAsync(service, ct));
                AdministrationService.ValidateAppsList(desired);
                var description = desired.ListId == null
                    ? $"Create apps list with {desired.Apps.Count} apps: {desired.AppSummary}"
                    : $"Update apps list {desired.ListId} to {desired.Apps.Count} apps: {desired.AppSummary}";
                if (!CommandHost.ShouldProcess($"apps list '{desired.Name}'", description)) return;
                var stored = Await((r, ct) => service.PutAppsListAsync(desired, TagsFrom(Tag), ct));
                if (PassThruFlag) CommandHost.WriteObject(stored);
            });
        }

        private async System.Threading.Tasks.Task<FmsAppsList> ResolveAsync(AdministrationService service, System.Threading.CancellationToken ct)
        {
            var apps = (App ?? new FmsApp[0]).ToList();
            if (ListId != null)
            {
                var current = await service.GetAppsListAsync(ListId, false, ct).ConfigureAwait(false);
                current.Name = Name!;
                current.Apps = apps;
                return current;
            }
            var matches = new System.Collections.Generic.List<FmsAppsList>();
            await foreach (var list in service.GetAppsListsAsync(null, new[] { Wildcard.Literal(Name!) }, false, ct).ConfigureAwait(false))
                matches.Add(list);
            if (matches.Count > 1)
                throw new FmsItemException(new FmsError("AmbiguousListName", FmsErrorCategory.InvalidArgument,
                    $"{matches.Count} apps lists are named '{Name}' ({string.Join(", ", matches.Select(m => m.ListId))}); pass -ListId to choose one.", Name));
            var target = matches.FirstOrDefault() ?? new FmsAppsList { Name = Name! };
            target.Apps = apps;
            return target;
        }
    }
}
