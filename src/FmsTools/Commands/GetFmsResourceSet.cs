namespace FmsTools.Commands
{
    /// <summary>Gets resource sets.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsResourceSet", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(FmsResourceSet))]
    public sealed class GetFmsResourceSet : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetNameCompleter))]
        public string[]? Name { get; set; }

        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceSetId")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? Id { get; set; }

        protected override void ProcessCore()
        {
            var service = new ResourceSetService(NewAdministrationContext());
            TryItem(Id ?? (object?)Name, () => StreamOutput((r, ct) => service.GetResourceSetsAsync(Id, Patterns(Name), ct)));
        }
    }
}
