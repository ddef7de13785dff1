namespace FmsTools.Commands
{
    /// <summary>Adds tags to an FMS resource, replacing the values of keys it already has.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsTag", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsTag))]
    public sealed class SetFmsTag : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.Arn)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Arn", "PolicyArn")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsTaggableResourceArnCompleter))]
        public string? ResourceArn { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        public System.Collections.Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Tags are read and changed in the Region of the resource's ARN (FMS tags a resource only there).</summary>
        protected override string? InputRegion => RegionOfArn(ResourceArn);

        protected override void ProcessCore()
        {
            var service = new TagService(NewAdministrationContext());
            var tags = TagsFrom(Tag)!;
            TryItem(ResourceArn, () =>
            {
                if (!ShouldProcess(ResourceArn!, "Set tags " + string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}")))) return;
                Await((r, ct) => service.SetTagsAsync(ResourceArn!, tags, ct));
                if (PassThru.IsPresent) StreamOutput((r, ct) => service.GetTagsAsync(ResourceArn!, ct));
            });
        }
    }
}
