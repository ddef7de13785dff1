using System.Text.RegularExpressions;

namespace FmsTools.Engine.Diagnostics
{
    /// <summary>
    /// The botocore models' patterns for names, ids and ARNs, shared by the policy validator and the
    /// administration input rules. Each ends in \z, not $: .NET's $ also matches before a final newline.
    /// Character classes are spelled out in ASCII where the service (Java) reads \w as ASCII; .NET's \w is Unicode.
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

        // ARN building blocks, shared by the ARN patterns here and those of InputRules: the partition (aws, aws-cn, aws-us-gov,
        // aws-iso-b, ...) and a region as it stands in an ARN or an Availability Zone name (us-east-1, us-gov-west-1,
        // us-isob-east-1, eusc-de-east-1). The region block is wider than AwsRegion on purpose: AwsRegion is the FMS
        // model's list of region prefixes for FMS's own region values, while ARNs of other services and partitions
        // carry regions that list leaves out.
        internal const string ArnPartition = @"arn:aws(-[a-z]+)*";
        internal const string ArnRegion = @"[a-z]{2,4}(-[a-z]+)+-[0-9]+";

        // WAFV2 EntityName, ^[\w\-]+$ with 1-128 characters in the model.
        private const string WafV2Name = @"[A-Za-z0-9_-]{1,128}";

        /// <summary>
        /// A WAFV2 rule group ARN: arn:aws:wafv2:{region}:{account}:{regional|global}/rulegroup/{name}/{id}, with the WAFV2
        /// model's EntityName (1-128 letters, digits, _ and -) and EntityId (a lower-case UUID).
        /// </summary>
        public static readonly Regex WafV2RuleGroupArn = new Regex(
            "^" + ArnPartition + ":wafv2:" + ArnRegion + @":[0-9]{12}:(regional|global)/rulegroup/" + WafV2Name + @"/[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}\z",
            RegexOptions.CultureInvariant);

        /// <summary>WAFV2 EntityName (rule group and rule names): 1-128 letters, digits, _ and -.</summary>
        public static readonly Regex WafV2EntityName = new Regex("^" + WafV2Name + @"\z", RegexOptions.CultureInvariant);

        /// <summary>WAFV2 VendorName: 1-128 characters, not only white space (and no line breaks).</summary>
        public static readonly Regex WafV2VendorName = new Regex(@"^(?=.*\S)[^\r\n]{1,128}\z", RegexOptions.CultureInvariant);

        /// <summary>WAFV2 VersionKeyString: 1-64 letters, digits and _ # : . - /.</summary>
        public static readonly Regex WafV2Version = new Regex(@"^[A-Za-z0-9_#:.\-/]{1,64}\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// WAF log destinations: names start with aws-waf-logs- (WAFV2 LoggingConfiguration): a Firehose delivery stream,
        /// an S3 bucket (optionally with a key prefix) or a CloudWatch Logs log group.
        /// </summary>
        public static readonly Regex WafLogDestination = new Regex(
            "^(" + ArnPartition + ":firehose:" + ArnRegion + @":[0-9]{12}:deliverystream/aws-waf-logs-[A-Za-z0-9_.-]*"
            + "|" + ArnPartition + @":s3:::aws-waf-logs-[a-z0-9.-]*(/[^\s]*)?"
            + "|" + ArnPartition + ":logs:" + ArnRegion + @":[0-9]{12}:log-group:aws-waf-logs-[A-Za-z0-9_./#-]*(:\*)?" + @")\z",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// A Network Firewall rule group ARN: arn:aws:network-firewall:{region}:{account}:{stateful|stateless}-rulegroup/{name},
        /// name per the model's ResourceName (1-128 letters, digits and -); AWS managed groups have the account aws-managed.
        /// </summary>
        public static readonly Regex NetworkFirewallRuleGroupArn = new Regex(
            "^" + ArnPartition + ":network-firewall:" + ArnRegion + @":([0-9]{12}|[a-z][a-z0-9-]*):(?<kind>stateful|stateless)-rulegroup/[A-Za-z0-9-]{1,128}\z",
            RegexOptions.CultureInvariant);

        /// <summary>An Availability Zone name: us-east-1a, or a Local/Wavelength Zone such as us-west-2-lax-1a.</summary>
        public static readonly Regex AvailabilityZoneName = new Regex("^" + ArnRegion + @"([a-z]|(-[a-z0-9]+)+)\z", RegexOptions.CultureInvariant);

        /// <summary>An Availability Zone id: use1-az1, or a Local/Wavelength Zone id such as usw2-lax1-az1.</summary>
        public static readonly Regex AvailabilityZoneId = new Regex(@"^[a-z]{2,5}[0-9]+(-[a-z0-9]+)*-(az|wlz)[0-9]+\z", RegexOptions.CultureInvariant);

        /// <summary>AWSRegion (6 to 32 characters long), e.g. us-east-1, us-gov-west-1; the model's \w is read as ASCII letters, digits and _.</summary>
        public static readonly Regex AwsRegion = new Regex(@"^(af|ap|ca|eu|il|me|mx|sa|us|cn|us-gov)-[A-Za-z0-9_]+-[0-9]+\z", RegexOptions.CultureInvariant);
    }
}
