namespace FmsTools.Engine.Policies
{
    /// <summary>
    /// Entry points for building policies, one per type. Cmdlets map their common parameters onto the fluent
    /// methods and type-specific ones onto <see cref="PolicyBuilder{TSettings}.Settings"/> (or Configure).
    /// </summary>
    /// <example>
    /// PolicyBuilder.WafV2("web-baseline")
    ///     .WithManagedRuleGroup("AWS", "AWSManagedRulesCommonRuleSet")
    ///     .WithResourceTypes(FmsResourceTypes.ApplicationLoadBalancer)
    ///     .IncludeOrganizationalUnits("ou-abcd-12345678")
    ///     .WithRemediation()
    ///     .Build();
    /// </example>
    public static class PolicyBuilder
    {
        public static PolicyBuilder<WafV2PolicySettings> WafV2(string name) =>
            new PolicyBuilder<WafV2PolicySettings>(name, new WafV2PolicySettings { DefaultAction = new PolicyAction(WafValues.Allow), OverrideCustomerWebAclAssociation = false });

        public static PolicyBuilder<WafClassicPolicySettings> WafClassic(string name) =>
            new PolicyBuilder<WafClassicPolicySettings>(name, new WafClassicPolicySettings { DefaultAction = new PolicyAction(WafValues.Allow) });

        public static PolicyBuilder<ShieldAdvancedPolicySettings> ShieldAdvanced(string name) =>
            new PolicyBuilder<ShieldAdvancedPolicySettings>(name, new ShieldAdvancedPolicySettings());

        public static PolicyBuilder<SecurityGroupsCommonSettings> SecurityGroupsCommon(string name, string primarySecurityGroupId)
        {
            var settings = new SecurityGroupsCommonSettings();
            settings.SecurityGroups.Add(new SecurityGroupReference(primarySecurityGroupId));
            return new PolicyBuilder<SecurityGroupsCommonSettings>(name, settings).WithResourceTypes(FmsResourceTypes.Instance);
        }

        public static PolicyBuilder<SecurityGroupsContentAuditSettings> SecurityGroupsContentAudit(string name, string auditSecurityGroupId, string action = SecurityGroupValues.Allow)
        {
            var settings = new SecurityGroupsContentAuditSettings { SecurityGroupAction = new PolicyAction(action) };
            settings.SecurityGroups.Add(new SecurityGroupReference(auditSecurityGroupId));
            return new PolicyBuilder<SecurityGroupsContentAuditSettings>(name, settings).WithResourceTypes(FmsResourceTypes.SecurityGroup);
        }

        public static PolicyBuilder<SecurityGroupsUsageAuditSettings> SecurityGroupsUsageAudit(string name, bool deleteUnused = true, bool coalesceRedundant = true, int? delayForUnusedInMinutes = null) =>
            new PolicyBuilder<SecurityGroupsUsageAuditSettings>(name, new SecurityGroupsUsageAuditSettings
            {
                DeleteUnusedSecurityGroups = deleteUnused,
                CoalesceRedundantSecurityGroups = coalesceRedundant,
                OptionalDelayForUnusedInMinutes = delayForUnusedInMinutes,
            });

        public static PolicyBuilder<NetworkFirewallSettings> NetworkFirewall(string name, string deploymentModel = FirewallValues.Distributed)
        {
            var settings = new NetworkFirewallSettings { DeploymentModel = deploymentModel == FirewallValues.Distributed ? null : deploymentModel };
            settings.FirewallPolicy.StatelessDefaultActions.Add(FirewallValues.ForwardToStatefulEngine);
            settings.FirewallPolicy.StatelessFragmentDefaultActions.Add(FirewallValues.ForwardToStatefulEngine);
            return new PolicyBuilder<NetworkFirewallSettings>(name, settings);
        }

        public static PolicyBuilder<ImportNetworkFirewallSettings> ImportNetworkFirewall(string name, params string[] resourceSetIds) =>
            new PolicyBuilder<ImportNetworkFirewallSettings>(name, new ImportNetworkFirewallSettings()).WithResourceSets(resourceSetIds);

        public static PolicyBuilder<DnsFirewallSettings> DnsFirewall(string name) =>
            new PolicyBuilder<DnsFirewallSettings>(name, new DnsFirewallSettings());

        public static PolicyBuilder<ThirdPartyFirewallSettings> ThirdPartyFirewall(string name, string vendor, string deploymentModel, params string[] vendorFirewallPolicies)
        {
            var settings = new ThirdPartyFirewallSettings
            {
                ThirdPartyFirewall = vendor,
                DeploymentModel = deploymentModel,
                FirewallConfig = new ThirdPartyFirewallConfig(),
            };
            settings.FirewallConfig.ThirdPartyFirewallPolicyList.AddRange(vendorFirewallPolicies ?? Array.Empty<string>());
            return new PolicyBuilder<ThirdPartyFirewallSettings>(name, settings);
        }

        public static PolicyBuilder<NetworkAclCommonSettings> NetworkAclCommon(string name) =>
            new PolicyBuilder<NetworkAclCommonSettings>(name, new NetworkAclCommonSettings());

        /// <summary>A builder around settings you made yourself (or read from elsewhere).</summary>
        public static PolicyBuilder<TSettings> For<TSettings>(string name, TSettings settings) where TSettings : PolicySettings =>
            new PolicyBuilder<TSettings>(name, settings);
    }

    /// <summary>Fluent builder for one policy; every method returns the builder. <see cref="Build"/> returns a new policy each time.</summary>
    public sealed class PolicyBuilder<TSettings> where TSettings : PolicySettings
    {
        private readonly FmsPolicy _policy;

        /// <summary>The scope being built (a built policy always has one).</summary>
        private PolicyScope Scope => _policy.Scope ??= new PolicyScope();

        internal PolicyBuilder(string name, TSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            Settings = settings;
            _policy = FmsPolicy.Create(name ?? string.Empty, settings);
        }

        /// <summary>The settings being built, for type-specific parameters.</summary>
        public TSettings Settings { get; }

        public PolicyBuilder<TSettings> Configure(Action<TSettings> configure)
        {
            configure?.Invoke(Settings);
            return this;
        }

        /// <summary>Replaces the resource types (the type's default, if any, is dropped).</summary>
        public PolicyBuilder<TSettings> WithResourceTypes(params string[] resourceTypes)
        {
            _policy.ResourceTypes = (resourceTypes ?? Array.Empty<string>()).ToList();
            return this;
        }

        public PolicyBuilder<TSettings> WithDescription(string? description)
        {
            _policy.Description = description;
            return this;
        }

        public PolicyBuilder<TSettings> WithRemediation(bool enabled = true)
        {
            _policy.RemediationEnabled = enabled;
            return this;
        }

        public PolicyBuilder<TSettings> WithDeleteUnusedResources(bool enabled = true)
        {
            _policy.DeleteUnusedFMManagedResources = enabled;
            return this;
        }

        public PolicyBuilder<TSettings> IncludeAccounts(params string[] accountIds) => Add(Scope.IncludeAccounts, accountIds);

        public PolicyBuilder<TSettings> IncludeOrganizationalUnits(params string[] ouIds) => Add(Scope.IncludeOrganizationalUnits, ouIds);

        public PolicyBuilder<TSettings> ExcludeAccounts(params string[] accountIds) => Add(Scope.ExcludeAccounts, accountIds);

        public PolicyBuilder<TSettings> ExcludeOrganizationalUnits(params string[] ouIds) => Add(Scope.ExcludeOrganizationalUnits, ouIds);

        public PolicyBuilder<TSettings> WithResourceSets(params string[] resourceSetIds) => Add(Scope.ResourceSetIds, resourceSetIds);

        /// <summary>Scopes to (or, with ExcludingTaggedResources, away from) resources with this tag.</summary>
        public PolicyBuilder<TSettings> WithResourceTag(string key, string? value = null)
        {
            Scope.ResourceTags.Add(new ResourceTagFilter(key, value));
            return this;
        }

        public PolicyBuilder<TSettings> MatchAnyResourceTag()
        {
            Scope.ResourceTagLogicalOperatorValue = ResourceTagLogicalOperator.Or;
            return this;
        }

        public PolicyBuilder<TSettings> ExcludingTaggedResources(bool exclude = true)
        {
            Scope.ExcludeResourceTags = exclude;
            return this;
        }

        /// <summary>A tag on the policy itself.</summary>
        public PolicyBuilder<TSettings> WithTag(string key, string value)
        {
            _policy.Tags = _policy.Tags ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
            _policy.Tags[key] = value;
            return this;
        }

        public PolicyBuilder<TSettings> InRegion(string region)
        {
            _policy.Region = region;
            return this;
        }

        /// <summary>Binds the policy to a deployed one (an update).</summary>
        public PolicyBuilder<TSettings> WithPolicyId(string policyId)
        {
            _policy.PolicyId = policyId;
            return this;
        }

        public FmsPolicy Build()
        {
            var built = _policy.Clone();
            built.Tags = _policy.Tags == null ? null : new SortedDictionary<string, string>(_policy.Tags, StringComparer.Ordinal);
            return built;
        }

        private PolicyBuilder<TSettings> Add(List<string> target, string[] values)
        {
            if (values != null) target.AddRange(values.Where(v => v != null));
            return this;
        }
    }

    /// <summary>Type-specific shortcuts for the common cases.</summary>
    public static class PolicyBuilderExtensions
    {
        public static PolicyBuilder<WafV2PolicySettings> WithManagedRuleGroup(this PolicyBuilder<WafV2PolicySettings> builder, string vendorName, string name,
            string? version = null, bool postProcess = false, string overrideAction = WafValues.OverrideNone, params string[] excludedRules)
        {
            var group = WafV2RuleGroup.Managed(vendorName, name, version, overrideAction);
            group.ExcludeRules.AddRange((excludedRules ?? Array.Empty<string>()).Select(r => new WafV2ExcludedRule(r)));
            (postProcess ? builder.Settings.PostProcessRuleGroups : builder.Settings.PreProcessRuleGroups).Add(group);
            return builder;
        }

        public static PolicyBuilder<WafV2PolicySettings> WithRuleGroupArn(this PolicyBuilder<WafV2PolicySettings> builder, string ruleGroupArn,
            bool postProcess = false, string overrideAction = WafValues.OverrideNone)
        {
            (postProcess ? builder.Settings.PostProcessRuleGroups : builder.Settings.PreProcessRuleGroups).Add(WafV2RuleGroup.Custom(ruleGroupArn, overrideAction));
            return builder;
        }

        public static PolicyBuilder<WafV2PolicySettings> WithDefaultAction(this PolicyBuilder<WafV2PolicySettings> builder, string action)
        {
            builder.Settings.DefaultAction = new PolicyAction(action);
            return builder;
        }

        public static PolicyBuilder<WafClassicPolicySettings> WithRuleGroup(this PolicyBuilder<WafClassicPolicySettings> builder, string ruleGroupId, string overrideAction = WafValues.OverrideNone)
        {
            builder.Settings.RuleGroups.Add(new WafClassicRuleGroup { Id = ruleGroupId, OverrideAction = new PolicyAction(overrideAction) });
            return builder;
        }

        /// <summary>Adds a DNS Firewall rule group; priorities 1–99 go first, 9901–10000 last.</summary>
        public static PolicyBuilder<DnsFirewallSettings> WithRuleGroup(this PolicyBuilder<DnsFirewallSettings> builder, string ruleGroupId, int priority)
        {
            var group = new DnsFirewallRuleGroup(ruleGroupId, priority);
            (priority >= DnsFirewallSettings.PostProcessMinPriority ? builder.Settings.PostProcessRuleGroups : builder.Settings.PreProcessRuleGroups).Add(group);
            return builder;
        }

        public static PolicyBuilder<NetworkFirewallSettings> WithStatelessRuleGroup(this PolicyBuilder<NetworkFirewallSettings> builder, string ruleGroupArn, int priority)
        {
            builder.Settings.FirewallPolicy.StatelessRuleGroupReferences.Add(new NetworkFirewallStatelessRuleGroupReference { ResourceArn = ruleGroupArn, Priority = priority });
            return builder;
        }

        public static PolicyBuilder<NetworkFirewallSettings> WithStatefulRuleGroup(this PolicyBuilder<NetworkFirewallSettings> builder, string ruleGroupArn, int? priority = null)
        {
            builder.Settings.FirewallPolicy.StatefulRuleGroupReferences.Add(new NetworkFirewallStatefulRuleGroupReference { ResourceArn = ruleGroupArn, Priority = priority });
            return builder;
        }

        public static PolicyBuilder<NetworkAclCommonSettings> WithEntry(this PolicyBuilder<NetworkAclCommonSettings> builder, bool first, string ruleAction, string protocol,
            string cidrBlock, bool egress, int? fromPort = null, int? toPort = null)
        {
            var entry = new NetworkAclRule { RuleAction = ruleAction, Protocol = protocol, CidrBlock = cidrBlock, Egress = egress };
            if (fromPort.HasValue || toPort.HasValue) entry.PortRange = new NetworkAclRulePortRange { From = fromPort, To = toPort ?? fromPort };
            (first ? builder.Settings.FirstEntries : builder.Settings.LastEntries).Add(entry);
            return builder;
        }
    }
}
