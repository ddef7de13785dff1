namespace FmsTools.Commands
{
    /// <summary>Gets the tags of an FMS policy, apps list, protocols list or resource set.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsTag")]
    [OutputType(typeof(FmsTag))]
    public sealed class GetFmsTag : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.Arn)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Arn", "PolicyArn")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsTaggableResourceArnCompleter))]
        public string? ResourceArn { get; set; }

        /// <summary>Tags are read and changed in the Region of the resource's ARN (FMS tags a resource only there).</summary>
        protected override string? InputRegion => RegionOfArn(ResourceArn);

        protected override void ProcessCore()
        {
            var service = new TagService(NewAdministrationContext());
            TryItem(ResourceArn, () => StreamOutput((r, ct) => service.GetTagsAsync(ResourceArn!, ct)));
        }
    }
}
