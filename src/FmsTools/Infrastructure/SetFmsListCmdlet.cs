using System.Threading;
using System.Threading.Tasks;
using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Set-FmsAppsList and Set-FmsProtocolsList: create or update a list of one kind (<see cref="Kind"/>). A list read
    /// earlier carries its update token, so concurrent edits conflict instead of overwriting, and its Region, where it is
    /// updated. Each cmdlet declares its items parameter (-App, -Protocol); the completers of -Name and -ListId take the kind
    /// from the command's noun.
    /// </summary>
    public abstract class SetFmsListCmdlet<TList, TItem> : FmsConnectedCmdlet where TList : class, IFmsList
    {
        /// <summary>The list to create or update, as Get- wrote it (parameter set InputObject).</summary>
        [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
        public TList? InputObject { get; set; }

        /// <summary>The list's name (parameter set Properties).</summary>
        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(FmsListNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The list to update; without it a list with this name is updated, or created when none exists.</summary>
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "Properties")]
        [ArgumentCompleter(typeof(FmsListIdCompleter))]
        public string? ListId { get; set; }

        /// <summary>The apps or protocols the list is to hold (parameter set Properties).</summary>
        protected abstract IEnumerable<TItem>? Items { get; }

        [Parameter]
        public System.Collections.Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract FmsListKind<TList, TItem> Kind { get; }

        /// <summary>A piped list is updated in its own Region.</summary>
        protected override string? InputRegion => InputObject?.Region;

        protected override void ProcessCore()
        {
            var service = new FmsListService<TList, TItem>(NewAdministrationContext(), Kind);
            TryItem(InputObject?.Name ?? Name, () =>
            {
                // Bad input is reported before any call, including the read that finds the list by name.
                if (InputObject == null) Kind.Validate(Kind.New(Name!, ListId, Items ?? new TItem[0]));
                var desired = InputObject ?? Await((r, ct) => ResolveAsync(service, ct));
                Kind.Validate(desired);
                if (!ShouldProcess($"{Kind.Noun} '{desired.Name}'", Kind.DescribePut(desired))) return;
                var stored = Await((r, ct) => service.PutListAsync(desired, TagsFrom(Tag), ct));
                if (PassThru.IsPresent) WriteObject(stored);
            });
        }

        /// <summary>The list -ListId names, else the one list named -Name, else a new one, with the given items.</summary>
        private async Task<TList> ResolveAsync(FmsListService<TList, TItem> service, CancellationToken ct)
        {
            var items = (Items ?? new TItem[0]).ToList();
            if (ListId != null)
            {
                var current = await service.GetListAsync(ListId, false, ct).ConfigureAwait(false);
                current.Name = Name!;
                Kind.SetItems(current, items);
                return current;
            }
            var matches = new List<TList>();
            await foreach (var list in service.GetListsAsync(null, new[] { Wildcard.Literal(Name!) }, false, ct).ConfigureAwait(false))
                matches.Add(list);
            if (matches.Count > 1)
                throw new FmsItemException(new FmsError("AmbiguousListName", FmsErrorCategory.InvalidArgument,
                    $"{matches.Count} {Kind.Noun}s are named '{Name}' ({string.Join(", ", matches.Select(m => m.ListId))}); pass -ListId to choose one.", Name));
            var target = matches.FirstOrDefault() ?? Kind.New(Name!, null, items);
            Kind.SetItems(target, items);
            return target;
        }
    }
}
