namespace FmsTools.Commands
{
    /// <summary>Gets the tags of an FMS policy, apps list, protocols list or resource set.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsTag")]
    [OutputType(typeof(FmsTag))]
    public sealed class GetFmsTag : FmsTagCmdlet
    {
        protected override void ProcessCore()
        {
            var service = new TagService(NewAdministrationContext());
            TryItem(ResourceArn, () => StreamOutput((r, ct) => service.GetTagsAsync(ResourceArn!, ct)));
        }
    }
}
