using System.Collections.Generic;
using System.Text.RegularExpressions;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Engine.Administration
{
    /// <summary>The model's constraints on FMS names, ids and tags, checked before any call with messages that name the field.</summary>
    public static class InputRules
    {
        // Patterns shared with PolicyValidator come from ModelPatterns; the rest end in \z for the same reason.
        private static readonly Regex ResourceNamePattern = ModelPatterns.ResourceName;
        private static readonly Regex AccountIdPattern = ModelPatterns.AccountId;
        private static readonly Regex OuIdPattern = new Regex(@"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\z", RegexOptions.CultureInvariant);
        private static readonly Regex ListIdPattern = ModelPatterns.Id36;
        private static readonly Regex ResourceSetIdPattern = ModelPatterns.ResourceSetId;
        private static readonly Regex ArnPattern = new Regex(@"^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:\S+\z", RegexOptions.CultureInvariant);

        public static void Name(List<InputFinding> findings, string field, string? value, int max = 128, bool required = true)
        {
            if (string.IsNullOrEmpty(value))
            {
                if (required) findings.Add(new InputFinding(field, "Name.Required", $"{field} is required."));
                return;
            }
            if (value!.Length > max)
                findings.Add(new InputFinding(field, "Name.MaxLength", $"{field} must be at most {max} characters; it has {value.Length}."));
            if (!ResourceNamePattern.IsMatch(value))
                findings.Add(new InputFinding(field, "Name.Characters", $"{field} '{value}' may contain only letters, digits, spaces and _ . : / = + - @."));
        }

        public static void AccountId(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || !AccountIdPattern.IsMatch(value))
                findings.Add(new InputFinding(field, "AccountId.Format", $"{field} '{value}' is not an AWS account id (12 digits)."));
        }

        public static void OrganizationalUnitId(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || !OuIdPattern.IsMatch(value))
                findings.Add(new InputFinding(field, "OrganizationalUnitId.Format", $"{field} '{value}' is not an organizational unit id (ou-xxxx-xxxxxxxx)."));
        }

        public static void ListId(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || !ListIdPattern.IsMatch(value))
                findings.Add(new InputFinding(field, "ListId.Format", $"{field} '{value}' is not a list id (36 letters, digits or hyphens)."));
        }

        public static void ResourceSetId(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || !ResourceSetIdPattern.IsMatch(value))
                findings.Add(new InputFinding(field, "ResourceSetId.Format", $"{field} '{value}' is not a resource set id (22 letters or digits)."));
        }

        public static void Arn(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || value.Length > 1024 || !ArnPattern.IsMatch(value))
                findings.Add(new InputFinding(field, "Arn.Format", $"{field} '{value}' is not an ARN (arn:aws:service:region:account:resource)."));
        }

        public static void Tag(List<InputFinding> findings, string field, string? key, string? value)
        {
            if (string.IsNullOrEmpty(key) || key!.Length > 128)
                findings.Add(new InputFinding(field + ".Key", "Tag.KeyLength", $"{field}: a tag key has 1 to 128 characters."));
            else if (!ResourceNamePattern.IsMatch(key))
                findings.Add(new InputFinding(field + ".Key", "Tag.KeyCharacters", $"{field}: tag key '{key}' may contain only letters, digits, spaces and _ . : / = + - @."));
            else if (key.StartsWith("aws:", System.StringComparison.OrdinalIgnoreCase))
                findings.Add(new InputFinding(field + ".Key", "Tag.ReservedPrefix", $"{field}: tag key '{key}' uses the reserved prefix 'aws:'."));
            if (value == null) return;
            if (value.Length > 256)
                findings.Add(new InputFinding(field + ".Value", "Tag.ValueLength", $"{field}: a tag value has at most 256 characters."));
            else if (!ResourceNamePattern.IsMatch(value))
                findings.Add(new InputFinding(field + ".Value", "Tag.ValueCharacters", $"{field}: tag value '{value}' may contain only letters, digits, spaces and _ . : / = + - @."));
        }

        // A resource type reads AWS::Service::Resource; \z, not $, so a trailing newline is not accepted.
        private static readonly Regex ResourceTypePattern = new Regex(@"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+\z", RegexOptions.CultureInvariant);

        public static void ResourceType(List<InputFinding> findings, string field, string? value)
        {
            if (value == null || !ResourceTypePattern.IsMatch(value))
                findings.Add(new InputFinding(field, "ResourceType.Format", $"{field} '{value}' is not a resource type like AWS::EC2::VPC."));
        }

        public static void ThrowIfAny(List<InputFinding> findings)
        {
            if (findings.Count > 0) throw new FmsInputException(findings);
        }
    }
}
