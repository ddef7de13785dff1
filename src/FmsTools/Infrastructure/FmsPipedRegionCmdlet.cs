using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// A connected cmdlet whose piped input objects carry the Region they live in (lists, resource sets and their
    /// resources from the Get- cmdlets): -Region binds from them by property name, so each is changed where it lives; one
    /// without a Region (an object built by hand or read from a file) goes to the connection's Region. Given on the
    /// command line, -Region applies to every input.
    /// </summary>
    public abstract class FmsPipedRegionCmdlet : FmsConnectedCmdlet
    {
        /// <summary>The Region to call; a piped object binds its own Region here.</summary>
        [ValidatePipedFmsId(IdentifierKind.Region)]
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(FmsRegionCompleter))]
        public new string? Region { get => base.Region; set => base.Region = value; }
    }
}
