using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FmsTools.Engine.Connection;

namespace FmsTools.Engine.Policies
{
    /// <summary>What validation may know beyond the policy itself. Everything is optional.</summary>
    public sealed class PolicyValidationContext
    {
        /// <summary>The region the policy will be put in, when the policy itself does not say.</summary>
        public string? Region { get; set; }

        /// <summary>
        /// WCU of a WAFV2 rule group (e.g. from WAF CheckCapacity when connected); null when unknown.
        /// Without a lookup the capacity rule is skipped with a warning.
        /// </summary>
        public Func<WafV2RuleGroup, int?>? RuleGroupCapacity { get; set; }

        /// <summary>
        /// The rule names of a WAFV2 rule group (DescribeManagedRuleGroup at the pinned version for a managed group, GetRuleGroup
        /// for a customer-owned one); null when unknown. Without a lookup the names in excludeRules and ruleActionOverrides are
        /// checked only for their format.
        /// </summary>
        public Func<WafV2RuleGroup, IReadOnlyCollection<string>?>? RuleGroupRuleNames { get; set; }

        /// <summary>
        /// Whether WAF offers a WAFV2 managed rule group (and its pinned version), as read online (DescribeManagedRuleGroup,
        /// ListAvailableManagedRuleGroupVersions); null when not known. Without a lookup, managed rule groups are checked only
        /// for their format.
        /// </summary>
        public Func<WafV2RuleGroup, ManagedRuleGroupLookup?>? ManagedRuleGroupLookup { get; set; }

        /// <summary>How many policies the organization already has in this region; null when unknown.</summary>
        public int? ExistingPolicyCount { get; set; }

        /// <summary>
        /// True when <see cref="ExistingPolicyCount"/> is the count a plan leaves just before this policy is created (its deletes
        /// and earlier creates counted), not the count deployed now.
        /// </summary>
        public bool PolicyCountIsProjected { get; set; }

        /// <summary>The policies-per-region quota: 20 by default, or $env:FMSTOOLS_POLICY_QUOTA where the account's quota was raised.</summary>
        public int MaxPoliciesPerRegion { get; set; } = ConfiguredPolicyQuota();

        /// <summary>The environment variable naming a raised policies-per-region quota (Service Quotas).</summary>
        public const string PolicyQuotaVariable = "FMSTOOLS_POLICY_QUOTA";

        public const int DefaultPoliciesPerRegion = 20;

        /// <summary>$env:FMSTOOLS_POLICY_QUOTA when it is a whole number above zero, else the default 20.</summary>
        public static int ConfiguredPolicyQuota() => ParsePolicyQuota(Environment.GetEnvironmentVariable(PolicyQuotaVariable));

        /// <summary>A whole number above zero (digits only) is the quota; anything else means the default.</summary>
        public static int ParsePolicyQuota(string? text)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var quota) && quota > 0 ? quota : DefaultPoliciesPerRegion;
    }

    /// <summary>Checks a policy before any call to FMS. Every finding names its field and a stable rule id (<see cref="PolicyRules"/>).</summary>
    public static class PolicyValidator
    {
        private static readonly string QuotaHint = " (if Service Quotas raised this account's quota, set $env:" + PolicyValidationContext.PolicyQuotaVariable + " to it).";

        public const int MaxManagedServiceDataLength = 30000;
        public const int MaxAccounts = 200;
        public const int MaxOrganizationalUnits = 20;
        public const int MaxResourceTags = 8;
        public const int MaxResourceSets = 5;
        public const int MaxPolicyTags = 200;
        public const int MaxWafV2RuleGroups = 50;
        public const int MaxWafV2Capacity = 5000;
        public const int MaxWafClassicRuleGroups = 2;
        public const int MaxDnsFirewallRuleGroups = 2;
        public const string CloudFrontRegion = "us-east-1";

        private static readonly Regex ResourceNamePattern = ModelPatterns.ResourceName;
        private static readonly Regex ResourceTagPattern = new Regex(@"^([\p{L}\p{Z}\p{N}_.:\/=+\-@*\\]*)\z", RegexOptions.CultureInvariant);
        private static readonly Regex PolicyIdPattern = ModelPatterns.Id36;
        private static readonly Regex AccountIdPattern = ModelPatterns.AccountId;
        private static readonly Regex OrganizationalUnitPattern = new Regex(@"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})\z", RegexOptions.CultureInvariant);
        private static readonly Regex ResourceSetIdPattern = ModelPatterns.ResourceSetId;
        private static readonly Regex SecurityGroupIdPattern = new Regex(@"^sg-([0-9a-f]{8}|[0-9a-f]{17})\z", RegexOptions.CultureInvariant);

        /// <summary>All findings for the policy, errors and warnings; empty when there is nothing to say.</summary>
        public static IReadOnlyList<PolicyFinding> Validate(FmsPolicy policy, PolicyValidationContext? context = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            context = context ?? new PolicyValidationContext();
            var findings = new List<PolicyFinding>();
            void Add(string field, PolicyRule rule, string detail) => findings.Add(new PolicyFinding(field, rule, detail));

            ValidatePolicyFields(policy, Add);
            ValidateRegion(policy.Region ?? context.Region, Add);
            ValidateResourceTypes(policy, context, Add);
            ValidateScope(policy, Add);
            ValidateTags(policy, Add);
            if (context.ExistingPolicyCount.HasValue && policy.PolicyId == null && context.ExistingPolicyCount.Value >= context.MaxPoliciesPerRegion)
            {
                Add("Policy", PolicyRules.QuotaPoliciesPerRegion, context.PolicyCountIsProjected
                    ? "with the plan's deletes and earlier creates made, the region will already have " + Number(context.ExistingPolicyCount.Value)
                      + " policies when this one is created and the quota is " + Number(context.MaxPoliciesPerRegion) + "; creating it would fail" + QuotaHint
                    : "the organization already has " + Number(context.ExistingPolicyCount.Value)
                      + " policies in this region and the quota is " + Number(context.MaxPoliciesPerRegion) + "; creating another would fail" + QuotaHint);
            }
            ValidateSettings(policy, context, Add);
            return findings;
        }

        /// <summary>True when any finding is an error.</summary>
        public static bool HasErrors(IEnumerable<PolicyFinding> findings) => findings.Any(f => f.SeverityValue == PolicyFindingSeverity.Error);

        private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Quote(string? value) => value == null ? "null" : "\"" + value + "\"";

        private static void ValidatePolicyFields(FmsPolicy policy, Action<string, PolicyRule, string> add)
        {
            if (string.IsNullOrEmpty(policy.Name))
            {
                add("Name", PolicyRules.NameRequired, "is empty; give the policy a name.");
            }
            else
            {
                if (policy.Name.Length > 128) add("Name", PolicyRules.NameLength, "is " + Number(policy.Name.Length) + " characters; the limit is 128.");
                if (!ResourceNamePattern.IsMatch(policy.Name)) add("Name", PolicyRules.NamePattern, Quote(policy.Name) + " has characters FMS does not accept; use letters, digits, spaces and _ . : / = + - @.");
            }
            if (policy.Description != null)
            {
                if (policy.Description.Length > 256) add("Description", PolicyRules.DescriptionLength, "is " + Number(policy.Description.Length) + " characters; the limit is 256.");
                if (!ResourceNamePattern.IsMatch(policy.Description)) add("Description", PolicyRules.DescriptionPattern, "has characters FMS does not accept (only letters, digits, spaces and _ . : / = + - @; no commas, newlines or brackets).");
            }
            if (policy.TypeValue == FmsPolicyType.Unknown)
            {
                add("Type", PolicyRules.TypeUnknown, Quote(policy.TypeName) + " is not a Firewall Manager policy type; use one of " + string.Join(", ", FmsPolicyTypes.All.Select(FmsPolicyTypes.ToWire)) + ".");
            }
            if (policy.PolicyId != null && !PolicyIdPattern.IsMatch(policy.PolicyId))
            {
                add("PolicyId", PolicyRules.PolicyIdFormat, Quote(policy.PolicyId) + " is not a policy id (36 letters, digits and -).");
            }
            if (policy.DeleteUnusedFMManagedResources && (policy.TypeValue == FmsPolicyType.ShieldAdvanced || policy.TypeValue == FmsPolicyType.Waf))
            {
                add("DeleteUnusedFMManagedResources", PolicyRules.DeleteUnusedNotSupported, "is true, but " + policy.TypeName + " policies never clean up resources that leave scope; the setting has no effect.");
            }
        }

        /// <summary>The region the policy is for (its own, else the context's); nothing to check when neither says.</summary>
        private static void ValidateRegion(string? region, Action<string, PolicyRule, string> add)
        {
            if (region == null) return;
            if (region.Length < 6 || region.Length > 32 || !ModelPatterns.AwsRegion.IsMatch(region))
                add("Region", PolicyRules.RegionFormat, Quote(region) + " is not an AWS region name such as us-east-1, eu-west-1 or us-gov-west-1.");
            else if (!AwsRegionNames.IsKnown(region))
                add("Region", PolicyRules.RegionUnknown, Quote(region) + " is not a region FmsTools knows; check the spelling (FMS will refuse a region that does not exist).");
        }

        private static void ValidateResourceTypes(FmsPolicy policy, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            var types = policy.ResourceTypes ?? new List<string>();
            if (types.Count == 0)
            {
                var allowed = FmsPolicyTypes.AllowedResourceTypes(policy.TypeValue);
                add("ResourceTypes", PolicyRules.ResourceTypeRequired, "is empty; name at least one resource type" + (allowed.Count > 0 ? " (" + string.Join(", ", allowed) + ")." : "."));
                return;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < types.Count; i++)
            {
                var field = "ResourceTypes[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                var type = types[i];
                if (string.IsNullOrEmpty(type) || type.Length > 128 || !ResourceNamePattern.IsMatch(type) || type == FmsResourceTypes.ResourceTypeListLiteral)
                {
                    add(field, PolicyRules.ResourceTypeFormat, Quote(type) + " is not a resource type name such as AWS::EC2::VPC.");
                    continue;
                }
                if (!seen.Add(type)) add(field, PolicyRules.ResourceTypeDuplicate, Quote(type) + " is listed twice.");
                var allowedTypes = FmsPolicyTypes.AllowedResourceTypes(policy.TypeValue);
                if (policy.TypeValue != FmsPolicyType.Unknown && !allowedTypes.Contains(type))
                {
                    add(field, PolicyRules.ResourceTypeNotAllowed, Quote(type) + " cannot be used by " + policy.TypeName + " policies; allowed: " + string.Join(", ", allowedTypes) + ".");
                }
                if (type == FmsResourceTypes.CloudFrontDistribution)
                {
                    var region = policy.Region ?? context.Region;
                    if (region != null && !string.Equals(region, CloudFrontRegion, StringComparison.Ordinal))
                    {
                        add(field, PolicyRules.ResourceTypeCloudFrontRegion, "CloudFront policies can only be created in us-east-1, not " + region + "; FMS answers \"can not be used in region\".");
                    }
                    if (types.Count > 1)
                    {
                        add(field, PolicyRules.ResourceTypeCloudFrontInList, "CloudFront must be the policy's only resource type; FMS rejects it inside a ResourceTypeList. Make a separate CloudFront policy.");
                    }
                }
            }
        }

        private static void ValidateScope(FmsPolicy policy, Action<string, PolicyRule, string> add)
        {
            var scope = policy.Scope ?? new PolicyScope();
            if (scope.HasIncludeMap && scope.HasExcludeMap)
            {
                add("Scope.ExcludeAccounts", PolicyRules.ScopeIncludeExcludeExclusive,
                    "exclusions are set together with inclusions; FMS applies the policy to the included accounts and OUs and ignores the exclusions entirely. Remove one of them.");
            }
            ValidateIdList("Scope.IncludeAccounts", scope.IncludeAccounts, AccountIdPattern, PolicyRules.ScopeAccountIdFormat, "is not an account id (12 digits).", MaxAccounts, PolicyRules.ScopeAccountsMaxCount, "accounts", add);
            ValidateIdList("Scope.ExcludeAccounts", scope.ExcludeAccounts, AccountIdPattern, PolicyRules.ScopeAccountIdFormat, "is not an account id (12 digits).", MaxAccounts, PolicyRules.ScopeAccountsMaxCount, "accounts", add);
            ValidateIdList("Scope.IncludeOrganizationalUnits", scope.IncludeOrganizationalUnits, OrganizationalUnitPattern, PolicyRules.ScopeOrganizationalUnitIdFormat, "is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx).", MaxOrganizationalUnits, PolicyRules.ScopeOrganizationalUnitsMaxCount, "OUs", add);
            ValidateIdList("Scope.ExcludeOrganizationalUnits", scope.ExcludeOrganizationalUnits, OrganizationalUnitPattern, PolicyRules.ScopeOrganizationalUnitIdFormat, "is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx).", MaxOrganizationalUnits, PolicyRules.ScopeOrganizationalUnitsMaxCount, "OUs", add);

            if (scope.ResourceTags.Count > MaxResourceTags)
            {
                add("Scope.ResourceTags", PolicyRules.ScopeResourceTagsMaxCount, "has " + Number(scope.ResourceTags.Count) + " tags; the limit is " + Number(MaxResourceTags) + ".");
            }
            for (var i = 0; i < scope.ResourceTags.Count; i++)
            {
                var tag = scope.ResourceTags[i] ?? new ResourceTagFilter();
                var field = "Scope.ResourceTags[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                var key = tag.Key ?? string.Empty;
                if (key.Length < 1 || key.Length > 128) add(field + ".Key", PolicyRules.ScopeResourceTagKeyLength, "is " + Number(key.Length) + " characters; keys are 1–128.");
                if ((tag.Value ?? string.Empty).Length > 256) add(field + ".Value", PolicyRules.ScopeResourceTagValueLength, "is " + Number(tag.Value!.Length) + " characters; the limit is 256.");
                if (!ResourceTagPattern.IsMatch(key)) add(field + ".Key", PolicyRules.ScopeResourceTagPattern, Quote(key) + " has characters FMS does not accept.");
                if (!ResourceTagPattern.IsMatch(tag.Value ?? string.Empty)) add(field + ".Value", PolicyRules.ScopeResourceTagPattern, Quote(tag.Value) + " has characters FMS does not accept.");
                if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) add(field + ".Key", PolicyRules.ScopeResourceTagReservedPrefix, Quote(key) + " starts with aws:, a prefix reserved for tags AWS sets itself.");
            }

            if (scope.ResourceSetIds.Count > MaxResourceSets)
            {
                add("Scope.ResourceSetIds", PolicyRules.ScopeResourceSetsMaxCount, "has " + Number(scope.ResourceSetIds.Count) + " resource sets; the limit is " + Number(MaxResourceSets) + ".");
            }
            for (var i = 0; i < scope.ResourceSetIds.Count; i++)
            {
                var id = scope.ResourceSetIds[i];
                if (id == null || !ResourceSetIdPattern.IsMatch(id))
                {
                    add("Scope.ResourceSetIds[" + i.ToString(CultureInfo.InvariantCulture) + "]", PolicyRules.ScopeResourceSetIdFormat, Quote(id) + " is not a resource set id (22 letters and digits).");
                }
            }
            if (policy.TypeValue == FmsPolicyType.ImportNetworkFirewall && scope.ResourceSetIds.Count == 0)
            {
                add("Scope.ResourceSetIds", PolicyRules.ScopeResourceSetsRequiredForImport, "is empty; an IMPORT_NETWORK_FIREWALL policy imports the firewalls in its resource sets, so name at least one.");
            }
        }

        private static void ValidateIdList(string field, List<string> ids, Regex pattern, PolicyRule formatRule, string formatMessage,
            int max, PolicyRule maxRule, string noun, Action<string, PolicyRule, string> add)
        {
            if (ids.Count > max) add(field, maxRule, "lists " + Number(ids.Count) + " " + noun + "; the limit is " + Number(max) + ".");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < ids.Count; i++)
            {
                var itemField = field + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                var id = ids[i];
                if (id == null || !pattern.IsMatch(id))
                {
                    add(itemField, formatRule, Quote(id) + " " + formatMessage);
                    continue;
                }
                if (!seen.Add(id)) add(itemField, PolicyRules.ScopeDuplicate, Quote(id) + " is listed twice.");
            }
        }

        private static void ValidateTags(FmsPolicy policy, Action<string, PolicyRule, string> add)
        {
            if (policy.Tags == null) return;
            if (policy.Tags.Count > MaxPolicyTags) add("Tags", PolicyRules.TagsMaxCount, "has " + Number(policy.Tags.Count) + " tags; the limit is " + Number(MaxPolicyTags) + ".");
            foreach (var pair in policy.Tags)
            {
                var field = "Tags[" + pair.Key + "]";
                if (pair.Key.Length < 1 || pair.Key.Length > 128) add(field, PolicyRules.TagsKeyLength, "the key is " + Number(pair.Key.Length) + " characters; keys are 1–128.");
                if ((pair.Value ?? string.Empty).Length > 256) add(field, PolicyRules.TagsValueLength, "the value is " + Number(pair.Value!.Length) + " characters; the limit is 256.");
                if (!ResourceNamePattern.IsMatch(pair.Key) || !ResourceNamePattern.IsMatch(pair.Value ?? string.Empty)) add(field, PolicyRules.TagsPattern, "has characters AWS tags do not accept.");
                if (pair.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) add(field, PolicyRules.TagsReservedPrefix, "keys starting with aws: are reserved for AWS.");
            }
        }

        private static void ValidateSettings(FmsPolicy policy, PolicyValidationContext context, Action<string, PolicyRule, string> add)
        {
            var settings = policy.Settings;
            if (settings == null)
            {
                add("Settings", PolicyRules.SettingsRequired, "are missing; a summary from ListPolicies cannot be put back. Read the policy with GetPolicy or build its settings.");
                return;
            }
            if (policy.TypeValue != FmsPolicyType.Unknown && settings.PolicyType != policy.Type)
            {
                add("Settings", PolicyRules.SettingsTypeMismatch, "are " + settings.TypeName + " settings but the policy type is " + policy.TypeName + ".");
                return;
            }
            foreach (var issue in settings.ReadIssues)
            {
                add(issue.Path, PolicyRules.SettingsFieldType, issue.Message);
            }
            if (settings is UnknownPolicySettings unknown && unknown.RawManagedServiceData != null)
            {
                add("Settings", PolicyRules.SettingsNotJsonObject, "ManagedServiceData is not a JSON object, so FmsTools cannot check or compare it.");
            }

            var managedServiceData = settings.ToManagedServiceData();
            if (managedServiceData.Length > MaxManagedServiceDataLength)
            {
                add("Settings", PolicyRules.ManagedServiceDataMaxLength, "serialize to " + Number(managedServiceData.Length) + " characters of ManagedServiceData; FMS accepts at most " + Number(MaxManagedServiceDataLength) + ". Remove rule groups or long custom response bodies.");
            }
            if (HasLineBreak(managedServiceData))
            {
                var located = false;
                if (!(settings is UnknownPolicySettings && ((UnknownPolicySettings)settings).RawManagedServiceData != null))
                {
                    foreach (var path in StringsWithLineBreaks(settings.ToManagedServiceDataJson(), "Settings"))
                    {
                        located = true;
                        add(path, PolicyRules.ManagedServiceDataSingleLine, "contains a newline, carriage return or a backslash before n or r; FMS rejects ManagedServiceData containing them.");
                    }
                }
                if (!located)
                {
                    add("Settings", PolicyRules.ManagedServiceDataSingleLine, "ManagedServiceData contains a newline or an escaped \\n or \\r; FMS rejects it.");
                }
            }

            switch (settings)
            {
                case WafV2PolicySettings wafV2: WafV2Rules.Validate(wafV2, context, add); break;
                case WafClassicPolicySettings waf: WafClassicRules.Validate(waf, add); break;
                case ShieldAdvancedPolicySettings shield: ShieldRules.Validate(shield, add); break;
                case SecurityGroupsCommonSettings common: SecurityGroupRules.Validate(common, add); break;
                case SecurityGroupsContentAuditSettings audit: SecurityGroupRules.Validate(audit, add); break;
                case SecurityGroupsUsageAuditSettings usage: SecurityGroupRules.Validate(usage, add); break;
                case DnsFirewallSettings dns: DnsFirewallRules.Validate(dns, add); break;
                case NetworkFirewallSettings networkFirewall: NetworkFirewallRules.Validate(networkFirewall, add); break;
                case ImportNetworkFirewallSettings import: NetworkFirewallRules.ValidateConfig(import.FirewallPolicy, "Settings.awsNetworkFirewallConfig", add); break;
                case ThirdPartyFirewallSettings thirdParty: ThirdPartyFirewallRules.Validate(thirdParty, add); break;
                case NetworkAclCommonSettings networkAcl: NetworkAclRules.Validate(networkAcl, add); break;
            }
        }

        internal static bool IsValidSecurityGroupId(string? id) => id != null && SecurityGroupIdPattern.IsMatch(id);

        private static bool HasLineBreak(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\n' || c == '\r') return true;
                if (c == '\\' && i + 1 < text.Length && (text[i + 1] == 'n' || text[i + 1] == 'r')) return true;
            }
            return false;
        }

        private static IEnumerable<string> StringsWithLineBreaks(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var pair in obj)
                    {
                        foreach (var found in StringsWithLineBreaks(pair.Value, PolicyJson.Join(path, pair.Key))) yield return found;
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        foreach (var found in StringsWithLineBreaks(array[i], PolicyJson.Index(path, i))) yield return found;
                    }
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    // In the serialized text a newline becomes \n and a backslash \\ (so "\\n" also matches the service pattern).
                    if (text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0 || text.IndexOf("\\n", StringComparison.Ordinal) >= 0
                        || text.IndexOf("\\r", StringComparison.Ordinal) >= 0)
                    {
                        yield return path;
                    }
                    break;
            }
        }

        internal static bool IsValidCidr(string? cidr, bool ipv6)
        {
            if (string.IsNullOrEmpty(cidr)) return false;
            var slash = cidr!.IndexOf('/');
            if (slash <= 0 || slash == cidr.Length - 1) return false;
            if (!IPAddress.TryParse(cidr.Substring(0, slash), out var address)) return false;
            var expectIpv6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            if (expectIpv6 != ipv6) return false;
            if (!ipv6 && cidr.Substring(0, slash).Split('.').Length != 4) return false;
            if (!int.TryParse(cidr.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)) return false;
            return prefix >= 0 && prefix <= (ipv6 ? 128 : 32);
        }
    }
}
