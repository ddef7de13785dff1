using System.Text.RegularExpressions;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Administration
{
    /// <summary>The model's constraints on FMS names, ids and tags, checked before any call with messages that name the field.</summary>
    public static class InputRules
    {
        // Patterns shared with PolicyValidator come from ModelPatterns, identifier forms from IdentifierRules (the same rules
        // cmdlet parameters are bound with); the rest end in \z for the same reason.
        private static readonly Regex ResourceNamePattern = ModelPatterns.ResourceName;

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
            if (!IdentifierRules.IsValid(IdentifierKind.AccountId, value))
                findings.Add(new InputFinding(field, "AccountId.Format", $"{field} '{value}' is not an AWS account id (12 digits)."));
        }

        public static void OrganizationalUnitId(List<InputFinding> findings, string field, string? value)
        {
            if (!IdentifierRules.IsValid(IdentifierKind.OrganizationalUnitId, value))
                findings.Add(new InputFinding(field, "OrganizationalUnitId.Format", $"{field} '{value}' is not an organizational unit id (ou-xxxx-xxxxxxxx)."));
        }

        public static void ListId(List<InputFinding> findings, string field, string? value)
        {
            if (!IdentifierRules.IsValid(IdentifierKind.ListId, value))
                findings.Add(new InputFinding(field, "ListId.Format", $"{field} '{value}' is not a list id (36 letters, digits or hyphens)."));
        }

        public static void ResourceSetId(List<InputFinding> findings, string field, string? value)
        {
            if (!IdentifierRules.IsValid(IdentifierKind.ResourceSetId, value))
                findings.Add(new InputFinding(field, "ResourceSetId.Format", $"{field} '{value}' is not a resource set id (22 letters or digits)."));
        }

        public static void Arn(List<InputFinding> findings, string field, string? value)
        {
            if (!IdentifierRules.IsValid(IdentifierKind.Arn, value))
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

        // ---- protocols and ports (apps lists, protocols lists) -------------------------------------------------------

        /// <summary>
        /// The model's Protocol: "the IP protocol name or number; the name can be one of tcp, udp or icmp" (any case),
        /// a number being an IANA protocol number 0-255. -1 (all protocols, as in EC2 and network ACL rules) is accepted too.
        /// </summary>
        public static void Protocol(List<InputFinding> findings, string field, string? value)
        {
            if (IsProtocol(value)) return;
            findings.Add(new InputFinding(field, "Protocol.Value",
                $"{field} '{value}' is not a protocol: use tcp, udp, icmp, an IANA protocol number 0-255, or -1 for all."));
        }

        private static bool IsProtocol(string? value)
        {
            if (string.IsNullOrEmpty(value)) return false;
            if (ProtocolNames.Contains(value!.ToLowerInvariant())) return true;
            if (value == "-1") return true;
            if (value.Length > 3) return false;
            foreach (var c in value) if (c < '0' || c > '9') return false;
            return int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) <= 255;
        }

        private static readonly HashSet<string> ProtocolNames = new HashSet<string>(System.StringComparer.Ordinal) { "tcp", "udp", "icmp" };

        /// <summary>
        /// An application's port: 0-65535 (the model's IPPortNumber). Port 0 is refused for TCP and UDP, where IANA
        /// reserves it and no application can be reached on it; it stays allowed for protocols without ports (icmp, ...).
        /// </summary>
        public static void AppPort(List<InputFinding> findings, string field, string? protocol, long port)
        {
            if (port < 0 || port > 65535)
                findings.Add(new InputFinding(field, "Port.Range", $"{field} {port} is outside 0-65535."));
            else if (port == 0 && protocol != null && PortedProtocols.Contains(protocol.ToLowerInvariant()))
                findings.Add(new InputFinding(field, "Port.Reserved", $"{field} is 0, a reserved port no {protocol} application uses; give the application's port (1-65535)."));
        }

        private static readonly HashSet<string> PortedProtocols = new HashSet<string>(System.StringComparer.Ordinal) { "tcp", "udp", "6", "17" };

        // ---- resource sets ------------------------------------------------------------------------------------------

        /// <summary>
        /// Resource types a resource set may hold, with the ARN service of their resources: every type an FMS policy
        /// type scopes to (the model's Policy.ResourceType documentation), plus Network Firewall firewalls,
        /// which IMPORT_NETWORK_FIREWALL policies take from resource sets. A set of any other type could serve no policy.
        /// </summary>
        public static IReadOnlyDictionary<string, string> ResourceSetTypes { get; } = new Dictionary<string, string>(System.StringComparer.Ordinal)
        {
            [FmsResourceTypes.ApiGatewayStage] = "apigateway",
            [FmsResourceTypes.CloudFrontDistribution] = "cloudfront",
            [FmsResourceTypes.ApplicationLoadBalancer] = "elasticloadbalancing",
            [FmsResourceTypes.ClassicLoadBalancer] = "elasticloadbalancing",
            [FmsResourceTypes.ElasticIp] = "ec2",
            [FmsResourceTypes.Vpc] = "ec2",
            [FmsResourceTypes.Subnet] = "ec2",
            [FmsResourceTypes.SecurityGroup] = "ec2",
            [FmsResourceTypes.NetworkInterface] = "ec2",
            [FmsResourceTypes.Instance] = "ec2",
            ["AWS::NetworkFirewall::Firewall"] = "network-firewall",
        };

        /// <summary>A resource set's resource type: the AWS::Service::Resource form and one of <see cref="ResourceSetTypes"/>.</summary>
        public static void ResourceSetType(List<InputFinding> findings, string field, string? value)
        {
            var before = findings.Count;
            ResourceType(findings, field, value);
            if (findings.Count > before || ResourceSetTypes.ContainsKey(value!)) return;
            findings.Add(new InputFinding(field, "ResourceType.NotSupported",
                $"{field} '{value}' is not a resource type Firewall Manager policies protect; use one of {string.Join(", ", ResourceSetTypes.Keys)}."));
        }

        private static readonly Regex ResourceUriPattern = new Regex("^" + ModelPatterns.ArnPartition + @":([a-z0-9-]+):[a-z0-9-]*:([0-9]{12})?:\S+\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// A resource to put in (or take out of) a resource set: the model's Identifier (1-2048 characters of its
        /// character set) and, as its documentation says, an ARN, of a service whose resources resource sets hold.
        /// </summary>
        public static void ResourceUri(List<InputFinding> findings, string field, string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 2048 || !ModelPatterns.ResourceName.IsMatch(value))
            {
                findings.Add(new InputFinding(field, "ResourceUri.Format", $"{field} '{value}' is not a resource ARN (1-2048 characters: letters, digits and _ . : / = + - @)."));
                return;
            }
            var match = ResourceUriPattern.Match(value);
            if (!match.Success)
            {
                findings.Add(new InputFinding(field, "ResourceUri.Format", $"{field} '{value}' is not a resource ARN (arn:aws:service:region:account:resource)."));
                return;
            }
            var service = match.Groups[2].Value;
            if (!ResourceSetTypes.Values.Contains(service))
                findings.Add(new InputFinding(field, "ResourceUri.Service",
                    $"{field} '{value}' is a {service} ARN; resource sets hold resources of {string.Join(", ", ResourceSetTypes.Values.Distinct())}."));
        }

        // ---- notification channel and tags ------------------------------------------------------------------------

        private static readonly Regex SnsTopicArnPattern = new Regex("^" + ModelPatterns.ArnPartition + @":sns:(?<region>[a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?\z", RegexOptions.CultureInvariant);
        private static readonly Regex IamRoleArnPattern = new Regex("^" + ModelPatterns.ArnPartition + @":iam::[0-9]{12}:role/[A-Za-z0-9_+=.@/-]+\z", RegexOptions.CultureInvariant);

        /// <summary>An SNS topic ARN: arn:aws[-partition]:sns:region:account:name (name: letters, digits, - and _, optional .fifo).</summary>
        public static void SnsTopicArn(List<InputFinding> findings, string field, string? value)
        {
            if (!IsArn(findings, field, value)) return;
            var match = SnsTopicArnPattern.Match(value!);
            if (!match.Success || !ModelPatterns.AwsRegion.IsMatch(match.Groups["region"].Value))
                findings.Add(new InputFinding(field, "Arn.NotSnsTopic", $"{field} '{value}' is not an SNS topic ARN (arn:aws:sns:us-east-1:123456789012:topic-name)."));
        }

        /// <summary>An IAM role ARN: arn:aws[-partition]:iam::account:role/[path/]name, within the model's ResourceArn limits.</summary>
        public static void IamRoleArn(List<InputFinding> findings, string field, string? value)
        {
            if (!IsArn(findings, field, value)) return;
            if (!IamRoleArnPattern.IsMatch(value!) || value!.EndsWith("/", System.StringComparison.Ordinal))
                findings.Add(new InputFinding(field, "Arn.NotIamRole", $"{field} '{value}' is not an IAM role ARN (arn:aws:iam::123456789012:role/name)."));
        }

        /// <summary>Arn, reporting whether it passed.</summary>
        private static bool IsArn(List<InputFinding> findings, string field, string? value)
        {
            var before = findings.Count;
            Arn(findings, field, value);
            return findings.Count == before;
        }

        /// <summary>The notification channel's topic and the role FMS publishes with (PutNotificationChannel's SnsRoleName).</summary>
        public static void NotificationChannel(List<InputFinding> findings, string? snsTopicArn, string? snsRoleArn)
        {
            SnsTopicArn(findings, "SnsTopicArn", snsTopicArn);
            IamRoleArn(findings, "SnsRoleArn", snsRoleArn);
        }

        private static readonly Regex TaggableArnPattern = new Regex(
            "^" + ModelPatterns.ArnPartition + @":fms:(?<region>[a-z0-9-]+):[0-9]{12}:((policy|applications-list|protocols-list)/[a-z0-9A-Z-]{36}|resource-set/[a-z0-9A-Z]{22})\z",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// A resource FMS can tag: a policy, applications list, protocols list or resource set, named by its FMS ARN
        /// (arn:aws:fms:region:account:policy/id; ids as in the model: 36 characters, or 22 for resource sets).
        /// </summary>
        public static void TaggableArn(List<InputFinding> findings, string field, string? value)
        {
            if (!IsArn(findings, field, value)) return;
            var match = TaggableArnPattern.Match(value!);
            if (!match.Success || !ModelPatterns.AwsRegion.IsMatch(match.Groups["region"].Value))
                findings.Add(new InputFinding(field, "Arn.NotTaggable",
                    $"{field} '{value}' is not the ARN of an FMS policy, applications list, protocols list or resource set (arn:aws:fms:region:account:policy/id)."));
        }

        public static void ThrowIfAny(List<InputFinding> findings)
        {
            if (findings.Count > 0) throw new FmsInputException(findings);
        }
    }
}
