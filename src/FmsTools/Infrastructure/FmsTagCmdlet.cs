namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of Get-, Set- and Remove-FmsTag: the ARN of the tagged resource (a policy, apps or protocols list, or resource
    /// set), bound from piped objects by property name, and the Region its calls go to (the ARN's).
    /// </summary>
    public abstract class FmsTagCmdlet : FmsConnectedCmdlet
    {
        [ValidateFmsId(IdentifierKind.Arn)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Arn", "PolicyArn")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsTaggableResourceArnCompleter))]
        public string? ResourceArn { get; set; }

        /// <summary>Tags are read and changed in the Region of the resource's ARN (FMS tags a resource only there).</summary>
        protected override string? InputRegion => RegionOfArn(ResourceArn);
    }
}
