namespace FmsTools.Commands
{
    /// <summary>Lists the resources associated with a resource set.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsResourceSetResource")]
    [OutputType(typeof(FmsResourceSetResource))]
    public sealed class GetFmsResourceSetResource : FmsPipedRegionCmdlet
    {
        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? ResourceSetId { get; set; }

        protected override void ProcessCore()
        {
            var service = new ResourceSetService(NewAdministrationContext());
            TryItem(ResourceSetId, () => StreamOutput((r, ct) => service.GetResourcesAsync(ResourceSetId!, ct)));
        }
    }
}
