using System.Text.RegularExpressions;

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>
    /// The botocore FMS model's patterns for names and ids, shared by the policy validator and the
    /// administration input rules. Each ends in \z, not $: .NET's $ also matches before a final newline.
    /// </summary>
    internal static class ModelPatterns
    {
        /// <summary>ResourceName, Name, TagKey, TagValue, Description and Identifier in the model.</summary>
        public static readonly Regex ResourceName = new Regex(@"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)\z", RegexOptions.CultureInvariant);

        public static readonly Regex AccountId = new Regex(@"^[0-9]{12}\z", RegexOptions.CultureInvariant);

        /// <summary>PolicyId and ListId: 36 letters, digits or hyphens.</summary>
        public static readonly Regex Id36 = new Regex(@"^[a-z0-9A-Z-]{36}\z", RegexOptions.CultureInvariant);

        /// <summary>Base62Id (resource sets): 22 letters or digits.</summary>
        public static readonly Regex ResourceSetId = new Regex(@"^[a-z0-9A-Z]{22}\z", RegexOptions.CultureInvariant);

        /// <summary>AWSRegion (6 to 32 characters long), e.g. us-east-1, us-gov-west-1; the model's \w is read as ASCII letters, digits and _.</summary>
        public static readonly Regex AwsRegion = new Regex(@"^(af|ap|ca|eu|il|me|mx|sa|us|cn|us-gov)-[A-Za-z0-9_]+-[0-9]+\z", RegexOptions.CultureInvariant);
    }
}
