using System;

namespace FmsTools.Aws.Runtime
{
    /// <summary>Names the botocore shape a generated class was made from.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class AwsShapeAttribute : Attribute
    {
        public AwsShapeAttribute(string name) { Name = name; }

        /// <summary>The shape's name in the service model.</summary>
        public string Name { get; }

        /// <summary>True for error shapes (the model's "exception": true).</summary>
        public bool IsError { get; set; }
    }

    /// <summary>The model's constraints on one member, so requests can be checked before they are sent.</summary>
    [AttributeUsage(AttributeTargets.Property, Inherited = false)]
    public sealed class AwsMemberAttribute : Attribute
    {
        /// <summary>The member's target shape in the service model.</summary>
        public string Shape { get; set; } = "";

        public bool Required { get; set; }

        /// <summary>Minimum length (strings, lists, maps) or value (numbers); NaN when the model sets none.</summary>
        public double Min { get; set; } = double.NaN;

        /// <summary>Maximum length or value; NaN when the model sets none.</summary>
        public double Max { get; set; } = double.NaN;

        /// <summary>The model's regular expression for a string member, or null.</summary>
        public string? Pattern { get; set; }

        /// <summary>The generated *Values class holding the allowed values of an enum member, or null.</summary>
        public Type? Enum { get; set; }
    }
}
