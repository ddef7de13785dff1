using System.Text.RegularExpressions;

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>The kinds of identifier commands take as input (-Region, -AccountId, -PolicyId and the like).</summary>
    public enum IdentifierKind
    {
        /// <summary>An AWS Region name: us-east-1, eu-west-1, us-gov-west-1, cn-north-1, us-isob-east-1.</summary>
        Region,
        /// <summary>An AWS account id: 12 digits.</summary>
        AccountId,
        /// <summary>A Firewall Manager policy id: 36 letters, digits and hyphens.</summary>
        PolicyId,
        /// <summary>An organizational unit id (ou-xxxx-xxxxxxxx).</summary>
        OrganizationalUnitId,
        /// <summary>An organizational unit id or the organization's root id (r-xxxx), as a policy scope takes them.</summary>
        OrganizationalUnitOrRootId,
        /// <summary>A resource set id: 22 letters and digits.</summary>
        ResourceSetId,
        /// <summary>An apps list or protocols list id: 36 letters, digits and hyphens.</summary>
        ListId,
        /// <summary>An ARN: arn:partition:service:region:account:resource.</summary>
        Arn,
    }

    /// <summary>
    /// The form of each <see cref="IdentifierKind"/>, checked before any call so a typo is an error naming the input and the
    /// rule instead of a call that finds nothing. Only the form is checked: a well-formed id that does not exist is the
    /// service's to report. Each rule has a stable id (e.g. "Region.Format") for scripts and tests to match on.
    /// </summary>
    public static class IdentifierRules
    {
        // A region as AWS names them in every partition: two to four letters, one or more words, a number
        // (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1). Wider than the FMS model's AWSRegion,
        // which lists region prefixes for FMS's own values, because the connection's region also serves STS, WAF and
        // Organizations, and new regions must not need a new FmsTools.
        private static readonly Regex RegionPattern = new Regex("^" + ModelPatterns.ArnRegion + @"\z", RegexOptions.CultureInvariant);

        private static readonly Regex OrganizationalUnitPattern = new Regex(@"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}\z", RegexOptions.CultureInvariant);
        private static readonly Regex OrganizationalUnitOrRootPattern = new Regex(@"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})\z", RegexOptions.CultureInvariant);
        private static readonly Regex ArnPattern = new Regex(@"^" + ModelPatterns.ArnPartition + @":[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:\S+\z", RegexOptions.CultureInvariant);

        /// <summary>The stable rule id of <paramref name="kind"/>'s form, e.g. "Region.Format".</summary>
        public static string RuleId(IdentifierKind kind) => kind switch
        {
            IdentifierKind.OrganizationalUnitOrRootId => "OrganizationalUnitId.Format",
            _ => kind + ".Format",
        };

        /// <summary>What a value of <paramref name="kind"/> looks like, for messages.</summary>
        public static string Describe(IdentifierKind kind) => kind switch
        {
            IdentifierKind.Region => "an AWS Region name such as us-east-1, eu-west-1 or us-gov-west-1",
            IdentifierKind.AccountId => "an AWS account id: 12 digits, such as 111122223333",
            IdentifierKind.PolicyId => "a Firewall Manager policy id: 36 letters, digits and hyphens, such as 1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
            IdentifierKind.OrganizationalUnitId => "an organizational unit id such as ou-ab12-cd345678",
            IdentifierKind.OrganizationalUnitOrRootId => "an organizational unit id such as ou-ab12-cd345678, or the root id such as r-ab12",
            IdentifierKind.ResourceSetId => "a resource set id: 22 letters and digits",
            IdentifierKind.ListId => "an apps list or protocols list id: 36 letters, digits and hyphens",
            IdentifierKind.Arn => "an ARN such as arn:aws:fms:us-east-1:111122223333:policy/<id>",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        /// <summary>True when <paramref name="value"/> has the form of <paramref name="kind"/>.</summary>
        public static bool IsValid(IdentifierKind kind, string? value)
        {
            if (value == null) return false;
            switch (kind)
            {
                case IdentifierKind.Region: return value.Length <= 32 && RegionPattern.IsMatch(value);
                case IdentifierKind.AccountId: return ModelPatterns.AccountId.IsMatch(value);
                case IdentifierKind.PolicyId: return ModelPatterns.Id36.IsMatch(value);
                case IdentifierKind.OrganizationalUnitId: return OrganizationalUnitPattern.IsMatch(value);
                case IdentifierKind.OrganizationalUnitOrRootId: return OrganizationalUnitOrRootPattern.IsMatch(value);
                case IdentifierKind.ResourceSetId: return ModelPatterns.ResourceSetId.IsMatch(value);
                case IdentifierKind.ListId: return ModelPatterns.Id36.IsMatch(value);
                case IdentifierKind.Arn: return value.Length <= 1024 && ArnPattern.IsMatch(value);
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
            }
        }

        /// <summary>
        /// Null when <paramref name="value"/> has the form of <paramref name="kind"/>; otherwise why not, naming the rule,
        /// e.g. "'mars-1' is not an AWS Region name such as us-east-1, eu-west-1 or us-gov-west-1 (rule Region.Format)."
        /// </summary>
        public static string? Problem(IdentifierKind kind, string? value)
        {
            if (IsValid(kind, value)) return null;
            var shown = value == null ? "$null" : value.Length == 0 ? "An empty string" : "'" + value + "'";
            return shown + " is not " + Describe(kind) + " (rule " + RuleId(kind) + ").";
        }
    }
}
