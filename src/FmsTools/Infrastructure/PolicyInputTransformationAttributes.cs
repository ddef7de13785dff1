using System.Collections;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies.Input;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Turns what a user writes for a structured policy parameter (a string, a hashtable, a PSCustomObject, JSON text, or
    /// an array of them) into the engine's typed value when PowerShell binds the parameter. A value that cannot be read
    /// fails binding, before any call, with PowerShell's error naming the parameter and ours naming the element, field
    /// and rule ("Cannot process argument transformation on parameter 'ManagedRuleGroup'. ManagedRuleGroup[1]: ...
    /// (rule ManagedRuleGroup.Format).").
    /// </summary>
    public abstract class PolicyInputTransformationAttribute : ArgumentTransformationAttribute
    {
        protected PolicyInputTransformationAttribute(string parameterName)
        {
            ParameterName = parameterName ?? throw new ArgumentNullException(nameof(parameterName));
        }

        /// <summary>The parameter's name, used in the error's field path.</summary>
        public string ParameterName { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            try
            {
                return TransformPlain(PolicyParameterConverter.Plain(inputData));
            }
            catch (FmsInputException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message.TrimEnd('.') + $". (rule {e.Rule})", e);
            }
        }

        /// <summary>Converts the unwrapped value (no PSObject anywhere in it).</summary>
        protected abstract object? TransformPlain(object? value);

        /// <summary>Each element of a one-or-many value, with its field path (Name[0], Name[1], ...).</summary>
        protected T[] Each<T>(object? value, Func<object?, string, T> convert)
        {
            if (value == null) return new T[0];
            var items = value is string || value is IDictionary || !(value is IEnumerable enumerable) ? new List<object?> { value } : enumerable.Cast<object?>().ToList();
            return items.Select((item, index) => convert(item, $"{ParameterName}[{index}]")).ToArray();
        }
    }

    /// <summary>A JSON-shaped parameter: a hashtable, PSCustomObject, array or JSON text becomes a <see cref="JsonNode"/>.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class JsonInputTransformationAttribute : PolicyInputTransformationAttribute
    {
        public JsonInputTransformationAttribute(string parameterName) : base(parameterName) { }

        protected override object? TransformPlain(object? value) => PolicyInput.ToJson(value, ParameterName);
    }

    /// <summary>-ManagedRuleGroup: 'Vendor/Name[:Version]' or hashtables become <see cref="WafV2RuleGroupPlacement"/>s.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ManagedRuleGroupTransformationAttribute : PolicyInputTransformationAttribute
    {
        public ManagedRuleGroupTransformationAttribute(string parameterName) : base(parameterName) { }

        protected override object? TransformPlain(object? value) => Each(value, PolicyInputParsers.ManagedRuleGroup);
    }

    /// <summary>Rule groups by id or ARN, or hashtables with it and Priority (and Override), become <see cref="RuleGroupReferenceInput"/>s.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RuleGroupReferenceTransformationAttribute : PolicyInputTransformationAttribute
    {
        private readonly string[] _referenceKeys;

        /// <param name="parameterName">The parameter's name.</param>
        /// <param name="referenceKeys">The hashtable keys that name the rule group (the first is the one errors mention).</param>
        public RuleGroupReferenceTransformationAttribute(string parameterName, params string[] referenceKeys) : base(parameterName)
        {
            _referenceKeys = referenceKeys;
        }

        protected override object? TransformPlain(object? value) => Each(value, (item, field) => PolicyInputParsers.RuleGroupReference(item, field, _referenceKeys));
    }

    /// <summary>Network ACL entries given as hashtables become <see cref="NetworkAclRule"/>s.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class NetworkAclEntryTransformationAttribute : PolicyInputTransformationAttribute
    {
        public NetworkAclEntryTransformationAttribute(string parameterName) : base(parameterName) { }

        protected override object? TransformPlain(object? value) => Each(value, PolicyInputParsers.NetworkAclEntry);
    }
}
