using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    internal static class WafClassicRules
    {
        public static void Validate(WafClassicPolicySettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.RuleGroups.Count > PolicyValidator.MaxWafClassicRuleGroups)
            {
                add("Settings.ruleGroups", PolicyRules.WafRuleGroupsMaxCount, "has " + settings.RuleGroups.Count.ToString(CultureInfo.InvariantCulture) + " rule groups; WAF Classic policies take at most 2.");
            }
            for (var i = 0; i < settings.RuleGroups.Count; i++)
            {
                var group = settings.RuleGroups[i];
                var path = PolicyJson.Index("Settings.ruleGroups", i);
                if (string.IsNullOrEmpty(group?.Id)) add(path + ".id", PolicyRules.WafRuleGroupIdRequired, "is missing; give the WAF Classic rule group id.");
                var overrideType = group?.OverrideAction?.Type;
                if (overrideType == null || !WafValues.OverrideActions.Contains(overrideType))
                {
                    add(path + ".overrideAction.type", PolicyRules.WafRuleGroupOverrideAction, Text.Quote(overrideType) + " is not NONE or COUNT.");
                }
            }
            var defaultType = settings.DefaultAction?.Type;
            if (defaultType == null || !WafValues.DefaultActions.Contains(defaultType))
            {
                add("Settings.defaultAction.type", PolicyRules.WafDefaultAction, Text.Quote(defaultType) + " is not ALLOW or BLOCK.");
            }
        }
    }

    internal static class ShieldRules
    {
        public static void Validate(ShieldAdvancedPolicySettings settings, Action<string, PolicyRule, string> add)
        {
            var response = settings.AutomaticResponseConfiguration;
            if (response == null) return;
            if (response.AutomaticResponseStatus == null || !ShieldValues.Statuses.Contains(response.AutomaticResponseStatus))
            {
                add("Settings.automaticResponseConfiguration.automaticResponseStatus", PolicyRules.ShieldAutomaticResponseStatus,
                    Text.Quote(response.AutomaticResponseStatus) + " is not ENABLED, IGNORED or DISABLED.");
            }
            if (response.AutomaticResponseAction != null && !ShieldValues.Actions.Contains(response.AutomaticResponseAction))
            {
                add("Settings.automaticResponseConfiguration.automaticResponseAction", PolicyRules.ShieldAutomaticResponseAction,
                    Text.Quote(response.AutomaticResponseAction) + " is not BLOCK or COUNT.");
            }
            else if (response.AutomaticResponseStatus == ShieldValues.Enabled && response.AutomaticResponseAction == null)
            {
                add("Settings.automaticResponseConfiguration.automaticResponseAction", PolicyRules.ShieldAutomaticResponseAction,
                    "is missing; with automaticResponseStatus ENABLED, choose BLOCK or COUNT.");
            }
        }
    }

    internal static class SecurityGroupRules
    {
        public static void Validate(SecurityGroupsCommonSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.SecurityGroups.Count != 1)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsCommonPrimaryGroupCount, "has " + settings.SecurityGroups.Count.ToString(CultureInfo.InvariantCulture) + " groups; a common security group policy takes exactly one primary group.");
            }
            ValidateIds(settings.SecurityGroups, add);
            if (settings.EnableTagDistribution == true && settings.RevertManualSecurityGroupChanges != true)
            {
                add("Settings.enableTagDistribution", PolicyRules.SecurityGroupsCommonTagDistributionRequiresRevert, "is true but revertManualSecurityGroupChanges is not; FMS will not create the policy.");
            }
        }

        public static void Validate(SecurityGroupsContentAuditSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.SecurityGroups.Count > 1)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsContentAuditGroupCount, "has " + settings.SecurityGroups.Count.ToString(CultureInfo.InvariantCulture) + " groups; a content audit policy takes one audit group.");
            }
            else if (settings.SecurityGroups.Count == 0 && settings.PreManagedOptions == null)
            {
                add("Settings.securityGroups", PolicyRules.SecurityGroupsContentAuditGroupCount, "is empty and there are no preManagedOptions; name the audit security group.");
            }
            ValidateIds(settings.SecurityGroups, add);
            var action = settings.SecurityGroupAction?.Type;
            if (action != null ? !SecurityGroupValues.ContentAuditActions.Contains(action) : settings.SecurityGroups.Count > 0)
            {
                add("Settings.securityGroupAction.type", PolicyRules.SecurityGroupsContentAuditAction, Text.Quote(action) + " is not ALLOW or DENY.");
            }
        }

        public static void Validate(SecurityGroupsUsageAuditSettings settings, Action<string, PolicyRule, string> add)
        {
            var delay = settings.OptionalDelayForUnusedInMinutes;
            if (delay.HasValue && (delay.Value < 0 || delay.Value > SecurityGroupValues.MaxUnusedDelayMinutes))
            {
                add("Settings.optionalDelayForUnusedInMinutes", PolicyRules.SecurityGroupsUsageAuditDelayRange, delay.Value.ToString(CultureInfo.InvariantCulture) + " is outside 0–525,600 minutes (one year).");
            }
            if (settings.DeleteUnusedSecurityGroups != true && settings.CoalesceRedundantSecurityGroups != true)
            {
                add("Settings", PolicyRules.SecurityGroupsUsageAuditNoAction, "turn on deleteUnusedSecurityGroups or coalesceRedundantSecurityGroups, or the policy audits nothing.");
            }
        }

        private static void ValidateIds(List<SecurityGroupReference> groups, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var id = groups[i]?.Id;
                if (!PolicyValidator.IsValidSecurityGroupId(id))
                {
                    add(PolicyJson.Index("Settings.securityGroups", i) + ".id", PolicyRules.SecurityGroupIdFormat, Text.Quote(id) + " is not a security group id (sg- and 8 or 17 hex digits).");
                }
            }
        }
    }

    internal static class DnsFirewallRules
    {
        public static void Validate(DnsFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            var total = settings.PreProcessRuleGroups.Count + settings.PostProcessRuleGroups.Count;
            if (total > PolicyValidator.MaxDnsFirewallRuleGroups)
            {
                add("Settings", PolicyRules.DnsFirewallRuleGroupsMaxCount, "have " + total.ToString(CultureInfo.InvariantCulture) + " rule groups; a DNS Firewall policy takes at most 2.");
            }
            var priorities = new HashSet<int>();
            Check(settings.PreProcessRuleGroups, "Settings.preProcessRuleGroups", DnsFirewallSettings.PreProcessMinPriority, DnsFirewallSettings.PreProcessMaxPriority, PolicyRules.DnsFirewallPreProcessPriority, priorities, add);
            Check(settings.PostProcessRuleGroups, "Settings.postProcessRuleGroups", DnsFirewallSettings.PostProcessMinPriority, DnsFirewallSettings.PostProcessMaxPriority, PolicyRules.DnsFirewallPostProcessPriority, priorities, add);
        }

        private static void Check(List<DnsFirewallRuleGroup> groups, string listPath, int min, int max, PolicyRule rangeRule, HashSet<int> priorities, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                var group = groups[i];
                var path = PolicyJson.Index(listPath, i);
                if (string.IsNullOrEmpty(group?.RuleGroupId)) add(path + ".ruleGroupId", PolicyRules.DnsFirewallRuleGroupIdRequired, "is missing; name the Route 53 Resolver firewall rule group (rslvr-frg-...).");
                var priority = group?.Priority;
                if (!priority.HasValue || priority.Value < min || priority.Value > max)
                {
                    add(path + ".priority", rangeRule, (priority.HasValue ? priority.Value.ToString(CultureInfo.InvariantCulture) : "null") + " is outside " + min.ToString(CultureInfo.InvariantCulture) + "–" + max.ToString(CultureInfo.InvariantCulture) + ".");
                }
                else if (!priorities.Add(priority.Value))
                {
                    add(path + ".priority", PolicyRules.DnsFirewallPriorityDuplicate, priority.Value.ToString(CultureInfo.InvariantCulture) + " is used by another rule group.");
                }
            }
        }
    }

    internal static class NetworkFirewallRules
    {
        public static void Validate(NetworkFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            ValidateConfig(settings.FirewallPolicy, settings.IsCentralized ? "Settings.awsNetworkFirewallConfig" : "Settings", add);
            const string modelPath = "PolicyOption.networkFirewallPolicy.firewallDeploymentModel";
            if (settings.DeploymentModel != null && !FirewallValues.DeploymentModels.Contains(settings.DeploymentModel))
            {
                add(modelPath, PolicyRules.NetworkFirewallDeploymentModel, Text.Quote(settings.DeploymentModel) + " is not CENTRALIZED or DISTRIBUTED.");
            }
            if (settings.IsCentralized)
            {
                if (settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig == null)
                {
                    add("Settings.firewallDeploymentModel", PolicyRules.NetworkFirewallDeploymentModel, "needs centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig (inspection VPCs) for the CENTRALIZED model.");
                }
                if (settings.OrchestrationConfig != null)
                {
                    add("Settings.networkFirewallOrchestrationConfig", PolicyRules.NetworkFirewallDeploymentModel, "belongs to the distributed model, but the PolicyOption says CENTRALIZED.");
                }
            }
            else if (settings.FirewallDeploymentModel?.Centralized != null)
            {
                add(modelPath, PolicyRules.NetworkFirewallDeploymentModel, "must be CENTRALIZED when the settings contain centralizedFirewallDeploymentModel.");
            }
            var orchestration = settings.OrchestrationConfig;
            if (orchestration != null)
            {
                if (orchestration.RouteManagementAction != null && !FirewallValues.RouteManagementActions.Contains(orchestration.RouteManagementAction))
                {
                    add("Settings.networkFirewallOrchestrationConfig.routeManagementAction", PolicyRules.NetworkFirewallRouteManagementAction, Text.Quote(orchestration.RouteManagementAction) + " is not OFF or MONITOR.");
                }
                ValidateZones(orchestration.FirewallCreationConfig, "Settings.networkFirewallOrchestrationConfig.firewallCreationConfig", add);
                ValidateCidrs(orchestration.AllowedIpv4CidrList, "Settings.networkFirewallOrchestrationConfig.allowedIPV4CidrList", add);
            }
            ValidateOrchestration(settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig", add);
        }

        /// <summary>Zones and CIDR blocks of a centralized or (third-party) distributed orchestration config.</summary>
        internal static void ValidateOrchestration(FirewallOrchestrationConfig? orchestration, string path, Action<string, PolicyRule, string> add)
        {
            if (orchestration == null) return;
            ValidateZones(orchestration.FirewallCreationConfig, path + ".firewallCreationConfig", add);
            ValidateCidrs(orchestration.AllowedIpv4CidrList, path + ".allowedIPV4CidrList", add);
        }

        private static void ValidateCidrs(List<string> cidrs, string path, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < cidrs.Count; i++)
            {
                if (!PolicyValidator.IsValidCidr(cidrs[i], ipv6: false))
                {
                    add(PolicyJson.Index(path, i), PolicyRules.NetworkFirewallAllowedCidrFormat, Text.Quote(cidrs[i]) + " is not an IPv4 CIDR block such as 10.0.0.0/28.");
                }
            }
        }

        internal static void ValidateZones(FirewallCreationConfig? creation, string path, Action<string, PolicyRule, string> add)
        {
            var zones = creation?.EndpointLocation?.AvailabilityZoneConfigList;
            if (zones == null) return;
            for (var i = 0; i < zones.Count; i++)
            {
                var zone = zones[i];
                var zonePath = PolicyJson.Index(path + ".endpointLocation.availabilityZoneConfigList", i);
                if (string.IsNullOrEmpty(zone?.AvailabilityZoneName) == string.IsNullOrEmpty(zone?.AvailabilityZoneId))
                {
                    add(zonePath, PolicyRules.NetworkFirewallAvailabilityZoneNameOrId, "needs availabilityZoneName or availabilityZoneId, not both and not neither.");
                }
                else if (!string.IsNullOrEmpty(zone!.AvailabilityZoneName) && !ModelPatterns.AvailabilityZoneName.IsMatch(zone.AvailabilityZoneName))
                {
                    add(zonePath + ".availabilityZoneName", PolicyRules.NetworkFirewallAvailabilityZoneFormat, Text.Quote(zone.AvailabilityZoneName) + " is not an Availability Zone name such as us-east-1a.");
                }
                else if (!string.IsNullOrEmpty(zone.AvailabilityZoneId) && !ModelPatterns.AvailabilityZoneId.IsMatch(zone.AvailabilityZoneId))
                {
                    add(zonePath + ".availabilityZoneId", PolicyRules.NetworkFirewallAvailabilityZoneFormat, Text.Quote(zone.AvailabilityZoneId) + " is not an Availability Zone id such as use1-az1.");
                }
                if (zone != null) ValidateCidrs(zone.AllowedIpv4CidrList, zonePath + ".allowedIPV4CidrList", add);
            }
        }

        public static void ValidateConfig(NetworkFirewallPolicyConfig config, string basePath, Action<string, PolicyRule, string> add)
        {
            var customNames = new HashSet<string>(config.StatelessCustomActions.Where(a => a?.ActionName != null).Select(a => a.ActionName!), StringComparer.Ordinal);
            CheckDefaultActions(config.StatelessDefaultActions, PolicyJson.Join(basePath, "networkFirewallStatelessDefaultActions"), customNames, add);
            CheckDefaultActions(config.StatelessFragmentDefaultActions, PolicyJson.Join(basePath, "networkFirewallStatelessFragmentDefaultActions"), customNames, add);

            var statelessPath = PolicyJson.Join(basePath, "networkFirewallStatelessRuleGroupReferences");
            var statelessPriorities = new HashSet<int>();
            for (var i = 0; i < config.StatelessRuleGroupReferences.Count; i++)
            {
                var reference = config.StatelessRuleGroupReferences[i];
                var path = PolicyJson.Index(statelessPath, i);
                CheckRuleGroupArn(reference?.ResourceArn, path, "stateless", add);
                var priority = reference?.Priority;
                if (!priority.HasValue || priority.Value < 1 || priority.Value > 65535 || !statelessPriorities.Add(priority.Value))
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatelessPriority, (priority.HasValue ? priority.Value.ToString(CultureInfo.InvariantCulture) : "null") + " is not a distinct priority of 1–65,535.");
                }
            }

            var ruleOrder = config.StatefulEngineOptions?.RuleOrder;
            if (ruleOrder != null && !FirewallValues.StatefulRuleOrders.Contains(ruleOrder))
            {
                add(PolicyJson.Join(basePath, "networkFirewallStatefulEngineOptions.ruleOrder"), PolicyRules.NetworkFirewallRuleOrder, Text.Quote(ruleOrder) + " is not DEFAULT_ACTION_ORDER or STRICT_ORDER.");
            }
            var strict = ruleOrder == FirewallValues.StrictOrder;
            var statefulPath = PolicyJson.Join(basePath, "networkFirewallStatefulRuleGroupReferences");
            var statefulPriorities = new HashSet<int>();
            for (var i = 0; i < config.StatefulRuleGroupReferences.Count; i++)
            {
                var reference = config.StatefulRuleGroupReferences[i];
                var path = PolicyJson.Index(statefulPath, i);
                CheckRuleGroupArn(reference?.ResourceArn, path, "stateful", add);
                var priority = reference?.Priority;
                if (strict && (!priority.HasValue || priority.Value < 1 || priority.Value > 65535 || !statefulPriorities.Add(priority.Value)))
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatefulPriority, "needs a distinct priority of 1–65,535 with STRICT_ORDER.");
                }
                else if (!strict && priority.HasValue)
                {
                    add(path + ".priority", PolicyRules.NetworkFirewallStatefulPriority, "is only allowed with networkFirewallStatefulEngineOptions.ruleOrder STRICT_ORDER.");
                }
                var overrideAction = reference?.Override?.Action;
                if (reference?.Override != null && (overrideAction == null || !FirewallValues.StatefulOverrideActions.Contains(overrideAction)))
                {
                    add(path + ".override.action", PolicyRules.NetworkFirewallStatefulOverride, Text.Quote(overrideAction) + " is not DROP_TO_ALERT.");
                }
            }
        }

        private static void CheckRuleGroupArn(string? arn, string path, string kind, Action<string, PolicyRule, string> add)
        {
            if (string.IsNullOrEmpty(arn))
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnRequired, "is missing.");
                return;
            }
            var match = ModelPatterns.NetworkFirewallRuleGroupArn.Match(arn);
            if (!match.Success)
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnFormat, Text.Quote(arn)
                    + " is not a Network Firewall rule group ARN (arn:aws:network-firewall:<region>:<account>:" + kind + "-rulegroup/<name>).");
            }
            else if (match.Groups["kind"].Value != kind)
            {
                add(path + ".resourceARN", PolicyRules.NetworkFirewallRuleGroupArnFormat, Text.Quote(arn) + " is a " + match.Groups["kind"].Value
                    + " rule group, but this list takes " + kind + " rule groups.");
            }
        }

        private static void CheckDefaultActions(List<string> actions, string path, HashSet<string> customNames, Action<string, PolicyRule, string> add)
        {
            var standard = actions.Count(a => FirewallValues.StatelessStandardActions.Contains(a));
            if (standard != 1)
            {
                add(path, PolicyRules.NetworkFirewallStatelessDefaultActions, "has " + standard.ToString(CultureInfo.InvariantCulture) + " standard actions; it needs exactly one of aws:pass, aws:drop, aws:forward_to_sfe.");
            }
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (FirewallValues.StatelessStandardActions.Contains(action)) continue;
                if (!customNames.Contains(action ?? string.Empty))
                {
                    add(PolicyJson.Index(path, i), PolicyRules.NetworkFirewallCustomActionUndefined, Text.Quote(action) + " is not a standard action and no custom action of that name is defined.");
                }
            }
        }
    }

    internal static class ThirdPartyFirewallRules
    {
        public static void Validate(ThirdPartyFirewallSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.ThirdPartyFirewall == null || !FirewallValues.ThirdPartyFirewalls.Contains(settings.ThirdPartyFirewall))
            {
                add("Settings.thirdPartyFirewall", PolicyRules.ThirdPartyFirewallVendor, Text.Quote(settings.ThirdPartyFirewall) + " is not PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.");
            }
            const string modelPath = "PolicyOption.thirdPartyFirewallPolicy.firewallDeploymentModel";
            var model = settings.DeploymentModel;
            if (model == null || !FirewallValues.DeploymentModels.Contains(model))
            {
                add(modelPath, PolicyRules.ThirdPartyFirewallDeploymentModel, Text.Quote(model) + " is not CENTRALIZED or DISTRIBUTED.");
            }
            else if (model == FirewallValues.Centralized && settings.FirewallDeploymentModel?.Distributed != null)
            {
                add("Settings.firewallDeploymentModel", PolicyRules.ThirdPartyFirewallDeploymentModel, "describes a distributed deployment but the PolicyOption says CENTRALIZED.");
            }
            else if (model == FirewallValues.Distributed && settings.FirewallDeploymentModel?.Centralized != null)
            {
                add("Settings.firewallDeploymentModel", PolicyRules.ThirdPartyFirewallDeploymentModel, "describes a centralized deployment but the PolicyOption says DISTRIBUTED.");
            }
            if (settings.FirewallConfig == null || settings.FirewallConfig.ThirdPartyFirewallPolicyList.Count == 0)
            {
                add("Settings.thirdPartyFirewallConfig.thirdPartyFirewallPolicyList", PolicyRules.ThirdPartyFirewallPolicyRequired, "is empty; name the vendor firewall policy to apply.");
            }
            NetworkFirewallRules.ValidateOrchestration(settings.FirewallDeploymentModel?.Distributed?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.distributedFirewallDeploymentModel.distributedFirewallOrchestrationConfig", add);
            NetworkFirewallRules.ValidateOrchestration(settings.FirewallDeploymentModel?.Centralized?.OrchestrationConfig,
                "Settings.firewallDeploymentModel.centralizedFirewallDeploymentModel.centralizedFirewallOrchestrationConfig", add);
        }
    }

    internal static class NetworkAclRules
    {
        private const string SetPath = "PolicyOption.networkAclCommonPolicy.networkAclEntrySet";

        public static void Validate(NetworkAclCommonSettings settings, Action<string, PolicyRule, string> add)
        {
            if (settings.FirstEntries.Count == 0 && settings.LastEntries.Count == 0)
            {
                add(SetPath, PolicyRules.NetworkAclEntriesRequired, "has no firstEntries and no lastEntries.");
            }
            Check(settings.FirstEntries, SetPath + ".firstEntries", add);
            Check(settings.LastEntries, SetPath + ".lastEntries", add);
        }

        private static void Check(List<NetworkAclRule> entries, string listPath, Action<string, PolicyRule, string> add)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i] ?? new NetworkAclRule();
                var path = PolicyJson.Index(listPath, i);
                if (entry.RuleAction == null || !FirewallValues.AclRuleActions.Contains(entry.RuleAction))
                {
                    add(path + ".ruleAction", PolicyRules.NetworkAclRuleAction, Text.Quote(entry.RuleAction) + " is not allow or deny.");
                }
                var hasProtocol = int.TryParse(entry.Protocol, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var protocol) && protocol >= -1 && protocol <= 255;
                if (!hasProtocol)
                {
                    add(path + ".protocol", PolicyRules.NetworkAclProtocol, Text.Quote(entry.Protocol) + " is not a protocol number (-1 for all, 6 TCP, 17 UDP, 1 ICMP).");
                }
                var hasV4 = entry.CidrBlock != null;
                var hasV6 = entry.Ipv6CidrBlock != null;
                if (hasV4 == hasV6 || (hasV4 && !PolicyValidator.IsValidCidr(entry.CidrBlock, false)) || (hasV6 && !PolicyValidator.IsValidCidr(entry.Ipv6CidrBlock, true)))
                {
                    add(path + (hasV6 && !hasV4 ? ".ipv6CidrBlock" : ".cidrBlock"), PolicyRules.NetworkAclCidr, "needs exactly one valid CIDR block (cidrBlock like 10.0.0.0/16 or ipv6CidrBlock).");
                }
                if (hasProtocol && (protocol == 6 || protocol == 17))
                {
                    var range = entry.PortRange;
                    if (range?.From == null || range.To == null || range.From < 0 || range.To > 65535 || range.From > range.To)
                    {
                        add(path + ".portRange", PolicyRules.NetworkAclPortRange, "needs from and to with 0 ≤ from ≤ to ≤ 65,535 for TCP and UDP.");
                    }
                }
                if (hasProtocol && (protocol == 1 || protocol == 58) && entry.IcmpTypeCode == null)
                {
                    add(path + ".icmpTypeCode", PolicyRules.NetworkAclIcmpTypeCode, "is missing; ICMP entries need a type and code (-1 for all).");
                }
            }
        }
    }

    internal static class Text
    {
        public static string Quote(string? value) => value == null ? "null" : "\"" + value + "\"";
    }
}
