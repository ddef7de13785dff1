using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Get-FmsAppsList and Get-FmsProtocolsList: the lists of one kind (<see cref="Kind"/>), by id or by name, custom or
    /// FMS-managed. The completers of -Name and -ListId take the kind from the command's noun.
    /// </summary>
    public abstract class GetFmsListCmdlet<TList, TItem> : FmsConnectedCmdlet where TList : class, IFmsList
    {
        /// <summary>Name patterns (parameter set ByName); null or empty gets every list.</summary>
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsListNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>One list by id (parameter set ById).</summary>
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsListIdCompleter))]
        public string? ListId { get; set; }

        /// <summary>The FMS-managed default lists instead of the custom ones.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        protected abstract FmsListKind<TList, TItem> Kind { get; }

        protected override void ProcessCore()
        {
            var service = new FmsListService<TList, TItem>(NewAdministrationContext(), Kind);
            TryItem(ListId ?? (object?)Name, () =>
                StreamOutput((r, ct) => service.GetListsAsync(ListId, Patterns(Name), Default.IsPresent, ct)));
        }
    }
}
