namespace FmsTools.Commands
{
    /// <summary>Associates resources with a resource set, in batches, one result per resource.</summary>
    [Cmdlet(VerbsCommon.Add, "FmsResourceSetResource", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsResourceSetChange))]
    public sealed class AddFmsResourceSetResource : ResourceSetMembershipCmdlet
    {
        protected override bool Associate => true;
    }
}
