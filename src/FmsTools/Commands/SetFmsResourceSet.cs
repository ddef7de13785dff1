namespace FmsTools.Commands
{
    /// <summary>Creates a resource set, or updates one (by -Id or from the pipeline) with its update token.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsResourceSet", SupportsShouldProcess = true, DefaultParameterSetName = "Properties")]
    [OutputType(typeof(FmsResourceSet))]
    public sealed class SetFmsResourceSet : FmsConnectedCmdlet
    {
        [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
        public FmsResourceSet? InputObject { get; set; }

        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 0)]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = "Properties", Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetResourceTypeCompleter))]
        public string[]? ResourceType { get; set; }

        [Parameter(ParameterSetName = "Properties")]
        public string? Description { get; set; }

        /// <summary>The resource set to update; without it a new one is created.</summary>
        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(ParameterSetName = "Properties")]
        [Alias("ResourceSetId")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? Id { get; set; }

        [Parameter]
        public System.Collections.Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped resource set is updated in its own Region.</summary>
        protected override string? InputRegion => InputObject?.Region;

        protected override void ProcessCore()
        {
            var service = new ResourceSetService(NewAdministrationContext());
            TryItem(InputObject?.Name ?? Name, () =>
            {
                FmsResourceSet desired;
                if (InputObject != null)
                {
                    desired = InputObject;
                }
                else if (Id != null)
                {
                    // Bad input is reported before any call, including the read of the set to update.
                    ResourceSetService.Validate(new FmsResourceSet { Id = Id, Name = Name!, ResourceTypes = ResourceType!.ToList(), Description = Description });
                    desired = Await((r, ct) => service.GetResourceSetAsync(Id, ct));
                    desired.Name = Name!;
                    desired.ResourceTypes = ResourceType!.ToList();
                    if (Description != null) desired.Description = Description;
                }
                else
                {
                    desired = new FmsResourceSet { Name = Name!, ResourceTypes = ResourceType!.ToList(), Description = Description };
                }
                ResourceSetService.Validate(desired);
                var action = desired.Id == null ? $"Create resource set for {desired.ResourceTypeSummary}" : $"Update resource set {desired.Id}: {desired.ResourceTypeSummary}";
                if (!ShouldProcess($"resource set '{desired.Name}'", action)) return;
                var stored = Await((r, ct) => service.PutResourceSetAsync(desired, TagsFrom(Tag), ct));
                if (PassThru.IsPresent) WriteObject(stored);
            });
        }
    }
}
