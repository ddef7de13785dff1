using System.Management.Automation;
using FmsTools.Engine.Administration;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Get-FmsAppsList and Get-FmsProtocolsList: the lists of one kind (<see cref="Kind"/>), by id or by name, custom or
    /// FMS-managed. Each cmdlet declares -Name and -ListId with its kind's completers.
    /// </summary>
    public abstract class GetFmsListCmdlet<TList, TItem> : FmsConnectedCmdlet where TList : class, IFmsList
    {
        /// <summary>Name patterns (parameter set ByName); null or empty gets every list.</summary>
        public abstract string[]? Name { get; set; }

        /// <summary>One list by id (parameter set ById).</summary>
        public abstract string? ListId { get; set; }

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
