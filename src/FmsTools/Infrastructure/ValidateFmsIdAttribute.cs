namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Checks the form of an identifier parameter (-Region, -AccountId, -PolicyId, OU, resource set and list ids, ARNs) when
    /// PowerShell binds it, with the engine's <see cref="IdentifierRules"/>: a malformed value fails binding, before any call,
    /// with PowerShell's error naming the parameter ("Cannot validate argument on parameter 'Region'. 'mars-1' is not an AWS
    /// Region name such as us-east-1, ... (rule Region.Format)."), instead of a call that silently finds nothing. Each element of
    /// an array parameter is checked. Only the form is checked; a well-formed id that does not exist is the service's to report.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateFmsIdAttribute : ValidateEnumeratedArgumentsAttribute
    {
        public ValidateFmsIdAttribute(IdentifierKind kind)
        {
            Kind = kind;
        }

        /// <summary>The kind of identifier the parameter takes.</summary>
        public IdentifierKind Kind { get; }

        protected override void ValidateElement(object element)
        {
            var value = element is PSObject wrapped ? wrapped.BaseObject : element;
            var problem = IdentifierRules.Problem(Kind, value as string ?? value?.ToString());
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
