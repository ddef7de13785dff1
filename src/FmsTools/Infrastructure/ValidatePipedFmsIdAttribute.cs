using System.Collections;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// <see cref="ValidateFmsIdAttribute"/> for a parameter that piped objects bind by property name (-Region from a piped
    /// policy): a value of the wrong form still fails binding, naming the parameter and the rule, but an object that has
    /// no value there (null or empty: a policy read from a file carries no Region) leaves the parameter unset instead of
    /// failing.
    /// </summary>
    [System.AttributeUsage(System.AttributeTargets.Property | System.AttributeTargets.Field)]
    public sealed class ValidatePipedFmsIdAttribute : ValidateArgumentsAttribute
    {
        public ValidatePipedFmsIdAttribute(IdentifierKind kind)
        {
            Kind = kind;
        }

        /// <summary>The kind of identifier the parameter takes.</summary>
        public IdentifierKind Kind { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is IEnumerable items && !(value is string))
            {
                foreach (var item in items) Check(item is PSObject element ? element.BaseObject : item);
                return;
            }
            Check(value);
        }

        private void Check(object? value)
        {
            var text = value as string ?? value?.ToString();
            if (string.IsNullOrEmpty(text)) return;
            var problem = IdentifierRules.Problem(Kind, text);
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
