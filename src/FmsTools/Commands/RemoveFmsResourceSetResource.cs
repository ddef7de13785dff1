namespace FmsTools.Commands
{
    /// <summary>Disassociates resources from a resource set, in batches, one result per resource.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsResourceSetResource", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsResourceSetChange))]
    public sealed class RemoveFmsResourceSetResource : ResourceSetMembershipCmdlet
    {
        protected override bool Associate => false;
    }
}
