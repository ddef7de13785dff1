namespace FmsTools.Commands
{
    /// <summary>Deletes a resource set.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsResourceSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FmsResourceSet))]
    public sealed class RemoveFmsResourceSet : FmsPipedRegionCmdlet
    {
        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceSetId")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? Id { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCore()
        {
            var service = new ResourceSetService(NewAdministrationContext());
            TryItem(Id, () =>
            {
                var current = Await((r, ct) => service.GetResourceSetAsync(Id!, ct));
                if (!ShouldProcess($"resource set '{current.Name}' ({current.Id})", "Delete the resource set", Force.IsPresent)) return;
                Await((r, ct) => service.DeleteResourceSetAsync(Id!, current, ct));
                if (PassThru.IsPresent) WriteObject(current);
            });
        }
    }
}
