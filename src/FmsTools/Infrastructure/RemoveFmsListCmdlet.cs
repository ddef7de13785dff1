using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Remove-FmsAppsList and Remove-FmsProtocolsList: delete lists of one kind (<see cref="Kind"/>) by id, each in the
    /// Region it lives in when piped. The completer of -ListId takes the kind from the command's noun.
    /// </summary>
    public abstract class RemoveFmsListCmdlet<TList, TItem> : FmsPipedRegionCmdlet where TList : class, IFmsList
    {
        /// <summary>The list to delete.</summary>
        [ValidateFmsId(IdentifierKind.ListId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsListIdCompleter))]
        public string? ListId { get; set; }

        /// <summary>Skips the confirmation prompt.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the deleted list (as it was) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract FmsListKind<TList, TItem> Kind { get; }

        protected override void ProcessCore()
        {
            var service = new FmsListService<TList, TItem>(NewAdministrationContext(), Kind);
            TryItem(ListId, () =>
            {
                var current = Await((r, ct) => service.GetListAsync(ListId!, false, ct));
                if (!ShouldProcess($"{Kind.Noun} '{current.Name}' ({current.ListId})", Kind.DescribeDelete(current), Force.IsPresent)) return;
                Await((r, ct) => service.DeleteListAsync(ListId!, current, ct));
                if (PassThru.IsPresent) WriteObject(current);
            });
        }
    }
}
