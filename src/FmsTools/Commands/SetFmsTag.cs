namespace FmsTools.Commands
{
    /// <summary>Adds tags to an FMS resource, replacing the values of keys it already has.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsTag", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsTag))]
    public sealed class SetFmsTag : FmsTagCmdlet
    {
        [Parameter(Mandatory = true, Position = 1)]
        public System.Collections.Hashtable? Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

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
