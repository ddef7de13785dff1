namespace FmsTools.Engine.Policies
{
    public enum PolicyFindingSeverity
    {
        /// <summary>FMS would reject the policy, or it would not do what it says.</summary>
        Error = 0,
        /// <summary>Allowed, but probably not what was meant, or not checked.</summary>
        Warning = 1,
    }

    /// <summary>One validation rule: a stable id scripts and tests match on, its severity and what it checks.</summary>
    public sealed class PolicyRule
    {
        internal PolicyRule(string id, PolicyFindingSeverity severity, string description)
        {
            Id = id;
            Severity = severity;
            Description = description;
        }

        public string Id { get; }

        public PolicyFindingSeverity Severity { get; }

        public string Description { get; }

        public override string ToString() => Id;
    }

    /// <summary>One problem with one field of a policy.</summary>
    public sealed class PolicyFinding
    {
        public PolicyFinding(string field, PolicyRule rule, string detail)
        {
            Field = field;
            Rule = rule.Id;
            SeverityValue = rule.Severity;
            Message = field + ": " + detail + " (rule " + rule.Id + ")";
        }

        /// <summary>Path of the field, e.g. "Settings.preProcessRuleGroups[1].priority" or "Scope.IncludeAccounts[2]".</summary>
        public string Field { get; }

        /// <summary>The stable rule id, e.g. "ManagedServiceData.MaxLength".</summary>
        public string Rule { get; }

        /// <summary>Names the field and the rule.</summary>
        public string Message { get; }

        /// <remarks>The name of a <see cref="PolicyFindingSeverity"/> value (ConvertTo-Json writes enums as numbers); the engine reads SeverityValue.</remarks>
        public string Severity => SeverityValue.ToString();

        internal PolicyFindingSeverity SeverityValue { get; }

        public override string ToString() => Severity + " " + Message;
    }

    /// <summary>Every validation rule PolicyValidator applies. Ids never change meaning once published.</summary>
    public static class PolicyRules
    {
        private static readonly List<PolicyRule> Registry = new List<PolicyRule>();

        private static PolicyRule Error(string id, string description) => Add(id, PolicyFindingSeverity.Error, description);

        private static PolicyRule Warning(string id, string description) => Add(id, PolicyFindingSeverity.Warning, description);

        private static PolicyRule Add(string id, PolicyFindingSeverity severity, string description)
        {
            var rule = new PolicyRule(id, severity, description);
            Registry.Add(rule);
            return rule;
        }

        // Policy-level fields.
        public static readonly PolicyRule NameRequired = Error("Policy.Name.Required", "A policy needs a name.");
        public static readonly PolicyRule NameLength = Error("Policy.Name.Length", "Policy names are 1–128 characters.");
        public static readonly PolicyRule NamePattern = Error("Policy.Name.Pattern", "Policy names use letters, digits, spaces and _ . : / = + - @ only.");
        public static readonly PolicyRule DescriptionLength = Error("Policy.Description.Length", "Descriptions are at most 256 characters.");
        public static readonly PolicyRule DescriptionPattern = Error("Policy.Description.Pattern", "Descriptions use letters, digits, spaces and _ . : / = + - @ only.");
        public static readonly PolicyRule TypeUnknown = Error("Policy.Type.Unknown", "The policy type must be one of the 11 FMS types.");
        public static readonly PolicyRule PolicyIdFormat = Error("Policy.PolicyId.Format", "Policy ids are 36 characters of letters, digits and -.");
        public static readonly PolicyRule DeleteUnusedNotSupported = Warning("Policy.DeleteUnusedFMManagedResources.NotSupported", "Shield Advanced and WAF Classic policies do not clean up resources that leave scope.");
        public static readonly PolicyRule RegionFormat = Error("Policy.Region.Format", "Regions have the model's AWSRegion form, e.g. us-east-1 or us-gov-west-1 (6–32 characters).");
        public static readonly PolicyRule RegionUnknown = Warning("Policy.Region.Unknown", "A region of the right form that FmsTools does not know: a typo, or a region newer than this module.");

        // Settings as a whole.
        public static readonly PolicyRule SettingsRequired = Error("Settings.Required", "A policy to create or update needs its settings (ManagedServiceData).");
        public static readonly PolicyRule SettingsTypeMismatch = Error("Settings.TypeMismatch", "The settings must be of the policy's type.");
        public static readonly PolicyRule SettingsFieldType = Error("Settings.FieldType", "Every settings field has the JSON type the service expects.");
        public static readonly PolicyRule SettingsNotJsonObject = Error("Settings.NotJsonObject", "ManagedServiceData must be a JSON object.");
        public static readonly PolicyRule ManagedServiceDataMaxLength = Error("ManagedServiceData.MaxLength", "ManagedServiceData is at most 30,000 characters.");
        public static readonly PolicyRule ManagedServiceDataSingleLine = Error("ManagedServiceData.SingleLine", "ManagedServiceData may contain no newline, carriage return or escaped \\n or \\r.");

        // Resource types.
        public static readonly PolicyRule ResourceTypeRequired = Error("ResourceType.Required", "A policy needs at least one resource type.");
        public static readonly PolicyRule ResourceTypeFormat = Error("ResourceType.Format", "Resource types are CloudFormation type names of 1–128 characters.");
        public static readonly PolicyRule ResourceTypeNotAllowed = Error("ResourceType.NotAllowedForPolicyType", "Each policy type protects a fixed set of resource types.");
        public static readonly PolicyRule ResourceTypeDuplicate = Warning("ResourceType.Duplicate", "A resource type is listed more than once.");
        public static readonly PolicyRule ResourceTypeCloudFrontRegion = Error("ResourceType.CloudFrontRegion", "CloudFront policies exist only in us-east-1.");
        public static readonly PolicyRule ResourceTypeCloudFrontInList = Error("ResourceType.CloudFrontInList", "CloudFront cannot be combined with other resource types in a ResourceTypeList.");

        // Scope.
        public static readonly PolicyRule ScopeIncludeExcludeExclusive = Error("Scope.IncludeExcludeExclusive", "Give include lists or exclude lists, not both: with an IncludeMap FMS ignores the ExcludeMap.");
        public static readonly PolicyRule ScopeAccountIdFormat = Error("Scope.AccountId.Format", "Account ids are 12 digits.");
        public static readonly PolicyRule ScopeOrganizationalUnitIdFormat = Error("Scope.OrganizationalUnitId.Format", "OU ids look like ou-abcd-12345678; root ids like r-abcd.");
        public static readonly PolicyRule ScopeAccountsMaxCount = Error("Scope.Accounts.MaxCount", "At most 200 explicitly listed accounts per policy.");
        public static readonly PolicyRule ScopeOrganizationalUnitsMaxCount = Error("Scope.OrganizationalUnits.MaxCount", "At most 20 OUs per policy.");
        public static readonly PolicyRule ScopeDuplicate = Warning("Scope.Duplicate", "An account or OU is listed more than once.");
        public static readonly PolicyRule ScopeResourceTagsMaxCount = Error("Scope.ResourceTags.MaxCount", "At most 8 resource tags per policy.");
        public static readonly PolicyRule ScopeResourceTagKeyLength = Error("Scope.ResourceTags.KeyLength", "Resource tag keys are 1–128 characters.");
        public static readonly PolicyRule ScopeResourceTagValueLength = Error("Scope.ResourceTags.ValueLength", "Resource tag values are at most 256 characters.");
        public static readonly PolicyRule ScopeResourceTagPattern = Error("Scope.ResourceTags.Pattern", "Resource tag keys and values use letters, digits, spaces and _ . : / = + - @ * \\ only.");
        public static readonly PolicyRule ScopeResourceTagReservedPrefix = Warning("Scope.ResourceTags.ReservedPrefix", "Tag keys starting with aws: are reserved for AWS; scoping on them is rarely intended.");
        public static readonly PolicyRule ScopeResourceSetsMaxCount = Error("Scope.ResourceSets.MaxCount", "At most 5 resource sets per policy.");
        public static readonly PolicyRule ScopeResourceSetIdFormat = Error("Scope.ResourceSetId.Format", "Resource set ids are 22 letters and digits.");
        public static readonly PolicyRule ScopeResourceSetsRequiredForImport = Error("Scope.ResourceSets.RequiredForImport", "IMPORT_NETWORK_FIREWALL policies need resource sets.");

        // The policy's own tags.
        public static readonly PolicyRule TagsMaxCount = Error("Tags.MaxCount", "At most 200 tags on a policy.");
        public static readonly PolicyRule TagsKeyLength = Error("Tags.KeyLength", "Tag keys are 1–128 characters.");
        public static readonly PolicyRule TagsValueLength = Error("Tags.ValueLength", "Tag values are at most 256 characters.");
        public static readonly PolicyRule TagsPattern = Error("Tags.Pattern", "Tag keys and values use letters, digits, spaces and _ . : / = + - @ only.");
        public static readonly PolicyRule TagsReservedPrefix = Error("Tags.ReservedPrefix", "Tag keys may not start with aws:.");

        // Quotas that need the caller's context.
        public static readonly PolicyRule QuotaPoliciesPerRegion = Error("Quota.PoliciesPerRegion", "At most 20 policies per organization and region by default.");

        // WAFV2.
        public static readonly PolicyRule WafV2DefaultActionRequired = Error("WafV2.DefaultAction.Required", "A WAFV2 policy needs a defaultAction.");
        public static readonly PolicyRule WafV2DefaultActionValue = Error("WafV2.DefaultAction.Value", "defaultAction.type is ALLOW or BLOCK.");
        public static readonly PolicyRule WafV2CustomHandlingMatchesDefaultAction = Error("WafV2.CustomHandling.MatchesDefaultAction", "customRequestHandling goes with ALLOW, customResponse with BLOCK, never both.");
        public static readonly PolicyRule WafV2RuleGroupIdentity = Error("WafV2.RuleGroup.Identity", "A rule group has either a ruleGroupArn or a managedRuleGroupIdentifier, exactly one.");
        public static readonly PolicyRule WafV2RuleGroupType = Error("WafV2.RuleGroup.Type", "ruleGroupType is RuleGroup (ARN) or ManagedRuleGroup (identifier), matching the group.");
        public static readonly PolicyRule WafV2RuleGroupOverrideAction = Error("WafV2.RuleGroup.OverrideAction", "Each rule group needs overrideAction.type NONE or COUNT.");
        public static readonly PolicyRule WafV2ManagedRuleGroupName = Error("WafV2.ManagedRuleGroup.Name", "A managed rule group needs vendorName and managedRuleGroupName.");
        public static readonly PolicyRule WafV2ManagedRuleGroupVersion = Error("WafV2.ManagedRuleGroup.Version", "versionEnabled true needs a version.");
        public static readonly PolicyRule WafV2ManagedRuleGroupNameFormat = Error("WafV2.ManagedRuleGroup.NameFormat", "vendorName is 1–128 characters (not only spaces); managedRuleGroupName is 1–128 letters, digits, _ and - (WAFV2 model).");
        public static readonly PolicyRule WafV2ManagedRuleGroupUnknown = Error("WafV2.ManagedRuleGroup.Unknown", "A managed rule group is one WAF offers in the policy's scope (checked online through DescribeManagedRuleGroup, which answers WAFNonexistentItemException for any other); FMS would create the policy, but its web ACLs could not use the group.");
        public static readonly PolicyRule WafV2ManagedRuleGroupVersionUnknown = Error("WafV2.ManagedRuleGroup.VersionUnknown", "A pinned managed rule group version is one WAF offers for that group (checked online through DescribeManagedRuleGroup and ListAvailableManagedRuleGroupVersions).");
        public static readonly PolicyRule WafV2ManagedRuleGroupVersionFormat = Error("WafV2.ManagedRuleGroup.VersionFormat", "A managed rule group version is 1–64 letters, digits and _ # : . - / (WAFV2 model), e.g. Version_1.0.");
        public static readonly PolicyRule WafV2RuleNameFormat = Error("WafV2.RuleName.Format", "Rule names in excludeRules and ruleActionOverrides are 1–128 letters, digits, _ and - (WAFV2 model).");
        public static readonly PolicyRule WafV2RuleNameNotInManagedRuleGroup = Warning("WafV2.RuleName.NotInManagedRuleGroup", "Names in excludeRules and ruleActionOverrides are rules of the managed rule group (checked online through DescribeManagedRuleGroup); WAF silently ignores an unknown name, so that rule keeps its own action.");
        public static readonly PolicyRule WafV2RuleNameNotInRuleGroup = Error("WafV2.RuleName.NotInRuleGroup", "Names in excludeRules are rules of the customer-owned rule group (checked online through GetRuleGroup); WAF fails web ACL updates that name an unknown rule.");
        public static readonly PolicyRule WafV2RuleGroupArnFormat = Error("WafV2.RuleGroupArn.Format", "ruleGroupArn is a WAFV2 rule group ARN: arn:aws:wafv2:<region>:<account>:regional|global/rulegroup/<name>/<id>.");
        public static readonly PolicyRule WafV2RuleActionOverrideManagedOnly = Error("WafV2.RuleActionOverride.ManagedOnly", "FMS supports rule action overrides only for managed rule groups.");
        public static readonly PolicyRule WafV2RuleActionOverrideAction = Error("WafV2.RuleActionOverride.Action", "A rule action override names a rule and one action: allow, block, count, captcha or challenge.");
        public static readonly PolicyRule WafV2RuleGroupDuplicate = Warning("WafV2.RuleGroup.Duplicate", "The same rule group appears more than once.");
        public static readonly PolicyRule WafV2RuleGroupsMaxCount = Error("WafV2.RuleGroups.MaxCount", "At most 50 rule groups per WAF policy.");
        public static readonly PolicyRule WafV2CapacityMax = Error("WafV2.Capacity.Max", "At most 5,000 WCU of rule groups per WAF policy.");
        public static readonly PolicyRule WafV2CapacityNotChecked = Warning("WafV2.Capacity.NotChecked", "Rule group capacity could not be checked without capacities (connect, or supply a lookup).");
        public static readonly PolicyRule WafV2WebAclSourceValue = Error("WafV2.WebAclSource.Value", "webACLSource is RETROFIT_EXISTING or absent.");
        public static readonly PolicyRule WafV2LoggingLimits = Error("WafV2.Logging.Limits", "loggingConfiguration has one logDestinationConfigs entry and at most 20 redactedFields.");
        public static readonly PolicyRule WafV2LoggingFormat = Error("WafV2.Logging.Format", "loggingConfiguration is a JSON object with logDestinationConfigs (and optionally redactedFields, loggingFilterConfigs).");
        public static readonly PolicyRule WafV2LoggingDestination = Error("WafV2.Logging.Destination", "The log destination is the ARN of a Firehose delivery stream, S3 bucket or CloudWatch Logs log group named aws-waf-logs-*.");
        public static readonly PolicyRule WafV2LoggingRedactedField = Error("WafV2.Logging.RedactedField", "Each redactedFields entry has redactedFieldType URI, QUERY_STRING, HEADER or METHOD (FMS also reads UriPath, QueryString, SingleHeader, Method); HEADER needs redactedFieldValue, the header name.");

        // WAF Classic.
        public static readonly PolicyRule WafRuleGroupsMaxCount = Error("Waf.RuleGroups.MaxCount", "WAF Classic policies have at most 2 rule groups.");
        public static readonly PolicyRule WafRuleGroupIdRequired = Error("Waf.RuleGroup.Id.Required", "Each WAF Classic rule group needs its id.");
        public static readonly PolicyRule WafRuleGroupOverrideAction = Error("Waf.RuleGroup.OverrideAction", "Each WAF Classic rule group needs overrideAction.type NONE or COUNT.");
        public static readonly PolicyRule WafDefaultAction = Error("Waf.DefaultAction", "A WAF Classic policy needs defaultAction.type ALLOW or BLOCK.");

        // Shield Advanced.
        public static readonly PolicyRule ShieldAutomaticResponseStatus = Error("Shield.AutomaticResponse.Status", "automaticResponseStatus is ENABLED, IGNORED or DISABLED.");
        public static readonly PolicyRule ShieldAutomaticResponseAction = Error("Shield.AutomaticResponse.Action", "automaticResponseAction is BLOCK or COUNT, and is required when the status is ENABLED.");

        // Security groups.
        public static readonly PolicyRule SecurityGroupIdFormat = Error("SecurityGroup.Id.Format", "Security group ids look like sg-0123456789abcdef0.");
        public static readonly PolicyRule SecurityGroupsCommonPrimaryGroupCount = Error("SecurityGroupsCommon.PrimaryGroup.Count", "A common security group policy has exactly one primary group.");
        public static readonly PolicyRule SecurityGroupsCommonTagDistributionRequiresRevert = Error("SecurityGroupsCommon.TagDistribution.RequiresRevert", "enableTagDistribution needs revertManualSecurityGroupChanges true.");
        public static readonly PolicyRule SecurityGroupsContentAuditGroupCount = Error("SecurityGroupsContentAudit.AuditGroup.Count", "A content audit policy has at most one audit group, and needs one unless it uses preManagedOptions.");
        public static readonly PolicyRule SecurityGroupsContentAuditAction = Error("SecurityGroupsContentAudit.Action", "securityGroupAction.type is ALLOW or DENY, and is required with an audit group.");
        public static readonly PolicyRule SecurityGroupsUsageAuditDelayRange = Error("SecurityGroupsUsageAudit.Delay.Range", "optionalDelayForUnusedInMinutes is 0–525,600.");
        public static readonly PolicyRule SecurityGroupsUsageAuditNoAction = Warning("SecurityGroupsUsageAudit.NoAction", "Neither deleteUnusedSecurityGroups nor coalesceRedundantSecurityGroups is on: the policy does nothing.");

        // DNS Firewall.
        public static readonly PolicyRule DnsFirewallPreProcessPriority = Error("DnsFirewall.PreProcess.Priority", "preProcessRuleGroups priorities are 1–99.");
        public static readonly PolicyRule DnsFirewallPostProcessPriority = Error("DnsFirewall.PostProcess.Priority", "postProcessRuleGroups priorities are 9901–10000.");
        public static readonly PolicyRule DnsFirewallPriorityDuplicate = Error("DnsFirewall.Priority.Duplicate", "Each DNS Firewall rule group needs its own priority.");
        public static readonly PolicyRule DnsFirewallRuleGroupsMaxCount = Error("DnsFirewall.RuleGroups.MaxCount", "At most 2 rule groups per DNS Firewall policy.");
        public static readonly PolicyRule DnsFirewallRuleGroupIdRequired = Error("DnsFirewall.RuleGroupId.Required", "Each DNS Firewall rule group needs its ruleGroupId.");

        // Network Firewall (and import).
        public static readonly PolicyRule NetworkFirewallStatelessDefaultActions = Error("NetworkFirewall.StatelessDefaultActions", "Stateless default and fragment default actions each hold exactly one of aws:pass, aws:drop, aws:forward_to_sfe.");
        public static readonly PolicyRule NetworkFirewallCustomActionUndefined = Error("NetworkFirewall.CustomAction.Undefined", "A custom action used as a default action must be defined in networkFirewallStatelessCustomActions.");
        public static readonly PolicyRule NetworkFirewallRuleGroupArnRequired = Error("NetworkFirewall.RuleGroupArn.Required", "Each rule group reference needs its resourceARN.");
        public static readonly PolicyRule NetworkFirewallStatelessPriority = Error("NetworkFirewall.StatelessPriority", "Stateless rule groups need distinct priorities of 1–65,535.");
        public static readonly PolicyRule NetworkFirewallStatefulPriority = Error("NetworkFirewall.StatefulPriority", "With STRICT_ORDER every stateful rule group needs a distinct priority; without it none may have one.");
        public static readonly PolicyRule NetworkFirewallStatefulOverride = Error("NetworkFirewall.StatefulOverride.Value", "A stateful rule group override action is DROP_TO_ALERT.");
        public static readonly PolicyRule NetworkFirewallRuleOrder = Error("NetworkFirewall.RuleOrder.Value", "ruleOrder is DEFAULT_ACTION_ORDER or STRICT_ORDER.");
        public static readonly PolicyRule NetworkFirewallDeploymentModel = Error("NetworkFirewall.DeploymentModel", "The PolicyOption deployment model and the firewallDeploymentModel / networkFirewallOrchestrationConfig in the settings must agree.");
        public static readonly PolicyRule NetworkFirewallRouteManagementAction = Error("NetworkFirewall.RouteManagementAction.Value", "routeManagementAction is OFF or MONITOR.");
        public static readonly PolicyRule NetworkFirewallAvailabilityZoneNameOrId = Error("NetworkFirewall.AvailabilityZone.NameOrId", "An Availability Zone is given by availabilityZoneName or availabilityZoneId, exactly one.");
        public static readonly PolicyRule NetworkFirewallAvailabilityZoneFormat = Error("NetworkFirewall.AvailabilityZone.Format", "availabilityZoneName looks like us-east-1a, availabilityZoneId like use1-az1.");
        public static readonly PolicyRule NetworkFirewallAllowedCidrFormat = Error("NetworkFirewall.AllowedIpv4Cidr.Format", "allowedIPV4CidrList holds IPv4 CIDR blocks such as 10.0.0.0/28.");
        public static readonly PolicyRule NetworkFirewallRuleGroupArnFormat = Error("NetworkFirewall.RuleGroupArn.Format", "resourceARN is a Network Firewall rule group ARN of the list's kind: arn:aws:network-firewall:<region>:<account>:stateless-rulegroup/<name> or stateful-rulegroup/<name>.");

        // Third-party firewall.
        public static readonly PolicyRule ThirdPartyFirewallVendor = Error("ThirdPartyFirewall.Vendor", "thirdPartyFirewall is PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.");
        public static readonly PolicyRule ThirdPartyFirewallDeploymentModel = Error("ThirdPartyFirewall.DeploymentModel", "A third-party firewall policy needs PolicyOption deployment model CENTRALIZED or DISTRIBUTED, matching its firewallDeploymentModel.");
        public static readonly PolicyRule ThirdPartyFirewallPolicyRequired = Error("ThirdPartyFirewall.FirewallPolicy.Required", "thirdPartyFirewallConfig.thirdPartyFirewallPolicyList names the vendor firewall policy to apply.");

        // Network ACL.
        public static readonly PolicyRule NetworkAclEntriesRequired = Error("NetworkAcl.Entries.Required", "A network ACL policy needs at least one first or last entry.");
        public static readonly PolicyRule NetworkAclRuleAction = Error("NetworkAcl.RuleAction", "ruleAction is allow or deny.");
        public static readonly PolicyRule NetworkAclProtocol = Error("NetworkAcl.Protocol", "protocol is an IP protocol number -1–255 as a string (-1 means all).");
        public static readonly PolicyRule NetworkAclCidr = Error("NetworkAcl.Cidr", "Each entry has exactly one of cidrBlock (IPv4) or ipv6CidrBlock, in CIDR notation.");
        public static readonly PolicyRule NetworkAclPortRange = Error("NetworkAcl.PortRange", "TCP and UDP entries need portRange with 0 ≤ from ≤ to ≤ 65,535.");
        public static readonly PolicyRule NetworkAclIcmpTypeCode = Error("NetworkAcl.IcmpTypeCode", "ICMP entries need icmpTypeCode.");

        /// <summary>All rules, in declaration order.</summary>
        public static IReadOnlyList<PolicyRule> All => Registry;

        /// <summary>All rule ids.</summary>
        public static IReadOnlyList<string> AllIds => Registry.Select(r => r.Id).ToList();
    }
}
