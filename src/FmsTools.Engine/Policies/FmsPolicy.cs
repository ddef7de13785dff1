using System.Text;
using System.Text.Json.Nodes;

namespace FmsTools.Engine.Policies
{
    /// <summary>PolicyStatus: whether the calling administrator may manage the policy.</summary>
    public enum FmsPolicyStatus
    {
        /// <summary>Not reported (summaries from older responses, or a policy not yet created).</summary>
        Unknown = 0,
        Active,
        /// <summary>Viewable but not editable by this administrator.</summary>
        OutOfAdminScope,
    }

    /// <summary>How several resource tags combine (ResourceTagLogicalOperator); AND is the service default.</summary>
    public enum ResourceTagLogicalOperator
    {
        And = 0,
        Or,
    }

    /// <summary>A resource tag the policy scopes on. A missing value is stored as "" and matches only "".</summary>
    public sealed class ResourceTagFilter
    {
        public ResourceTagFilter()
        {
        }

        public ResourceTagFilter(string key, string? value = null)
        {
            Key = key;
            Value = value;
        }

        public string Key { get; set; } = string.Empty;

        public string? Value { get; set; }

        public override string ToString() => Key + "=" + (Value ?? string.Empty);
    }

    /// <summary>Which accounts and resources a policy applies to.</summary>
    public sealed class PolicyScope
    {
        /// <summary>Accounts in scope (IncludeMap ACCOUNT). With any include list, the exclude lists are ignored by FMS.</summary>
        public List<string> IncludeAccounts { get => _includeAccounts; set => _includeAccounts = Items.List(value); }
        private ItemList<string> _includeAccounts = new ItemList<string>();

        /// <summary>OUs (or the root) in scope, with their child OUs and future accounts (IncludeMap ORG_UNIT).</summary>
        public List<string> IncludeOrganizationalUnits { get => _includeOrganizationalUnits; set => _includeOrganizationalUnits = Items.List(value); }
        private ItemList<string> _includeOrganizationalUnits = new ItemList<string>();

        public List<string> ExcludeAccounts { get => _excludeAccounts; set => _excludeAccounts = Items.List(value); }

        private ItemList<string> _excludeAccounts = new ItemList<string>();

        public List<string> ExcludeOrganizationalUnits { get => _excludeOrganizationalUnits; set => _excludeOrganizationalUnits = Items.List(value); }

        private ItemList<string> _excludeOrganizationalUnits = new ItemList<string>();

        public List<ResourceTagFilter> ResourceTags { get => _resourceTags; set => _resourceTags = Items.List(value); }

        private ItemList<ResourceTagFilter> _resourceTags = new ItemList<ResourceTagFilter>();

        /// <remarks>The name of a <see cref="Policies.ResourceTagLogicalOperator"/> value (ConvertTo-Json writes enums as numbers); the engine reads ResourceTagLogicalOperatorValue.</remarks>
        public string ResourceTagLogicalOperator { get => ResourceTagLogicalOperatorValue.ToString(); set => ResourceTagLogicalOperatorValue = EnumName.Parse<Policies.ResourceTagLogicalOperator>(value, nameof(ResourceTagLogicalOperator)); }

        internal Policies.ResourceTagLogicalOperator ResourceTagLogicalOperatorValue { get; set; } = Policies.ResourceTagLogicalOperator.And;

        /// <summary>True: resources with the tags are excluded; false: only resources with the tags are in scope.</summary>
        public bool ExcludeResourceTags { get; set; }

        /// <summary>Resource set ids (22 base62 characters).</summary>
        public List<string> ResourceSetIds { get => _resourceSetIds; set => _resourceSetIds = Items.List(value); }
        private ItemList<string> _resourceSetIds = new ItemList<string>();

        public bool HasIncludeMap => IncludeAccounts.Count > 0 || IncludeOrganizationalUnits.Count > 0;

        public bool HasExcludeMap => ExcludeAccounts.Count > 0 || ExcludeOrganizationalUnits.Count > 0;

        /// <summary>One line for people, e.g. "3 OUs, excl. 1 account, tags env=prod".</summary>
        public string Summary
        {
            get
            {
                var parts = new List<string>();
                if (HasIncludeMap)
                {
                    if (IncludeAccounts.Count > 0) parts.Add(Count(IncludeAccounts.Count, "account"));
                    if (IncludeOrganizationalUnits.Count > 0) parts.Add(Count(IncludeOrganizationalUnits.Count, "OU"));
                }
                else
                {
                    parts.Add("all accounts");
                }
                if (HasExcludeMap)
                {
                    var excluded = new List<string>();
                    if (ExcludeAccounts.Count > 0) excluded.Add(Count(ExcludeAccounts.Count, "account"));
                    if (ExcludeOrganizationalUnits.Count > 0) excluded.Add(Count(ExcludeOrganizationalUnits.Count, "OU"));
                    parts.Add("excl. " + string.Join(" and ", excluded) + (HasIncludeMap ? " (ignored: include list set)" : string.Empty));
                }
                if (ResourceTags.Count > 0)
                {
                    var joiner = ResourceTagLogicalOperatorValue == Policies.ResourceTagLogicalOperator.Or ? " or " : " and ";
                    parts.Add((ExcludeResourceTags ? "excl. tags " : "tags ") + string.Join(joiner, ResourceTags.Select(t => t.ToString())));
                }
                if (ResourceSetIds.Count > 0) parts.Add(Count(ResourceSetIds.Count, "resource set"));
                return string.Join(", ", parts);
            }
        }

        private static string Count(int count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

        public override string ToString() => Summary;
    }

    /// <summary>The PolicyOption a policy sends, derived from its settings (read-only view for display).</summary>
    public sealed class FmsPolicyOption
    {
        internal FmsPolicyOption(string? networkFirewallDeploymentModel, string? thirdPartyFirewallDeploymentModel, NetworkAclCommonSettings? networkAcl)
        {
            NetworkFirewallDeploymentModel = networkFirewallDeploymentModel;
            ThirdPartyFirewallDeploymentModel = thirdPartyFirewallDeploymentModel;
            NetworkAclCommonPolicy = networkAcl;
        }

        public string? NetworkFirewallDeploymentModel { get; }

        public string? ThirdPartyFirewallDeploymentModel { get; }

        public NetworkAclCommonSettings? NetworkAclCommonPolicy { get; }

        public override string ToString()
        {
            if (NetworkFirewallDeploymentModel != null) return "NetworkFirewall " + NetworkFirewallDeploymentModel;
            if (ThirdPartyFirewallDeploymentModel != null) return "ThirdPartyFirewall " + ThirdPartyFirewallDeploymentModel;
            if (NetworkAclCommonPolicy != null)
            {
                return "NetworkAcl " + NetworkAclCommonPolicy.FirstEntries.Count.ToString(CultureInfo.InvariantCulture) + " first, "
                    + NetworkAclCommonPolicy.LastEntries.Count.ToString(CultureInfo.InvariantCulture) + " last entries";
            }
            return string.Empty;
        }
    }

    /// <summary>
    /// A Firewall Manager policy as FmsTools works with it: typed scope and settings instead of the wire's
    /// escaped ManagedServiceData string. What cmdlets output and policy files hold.
    /// </summary>
    public sealed class FmsPolicy
    {
        private string? _typeName;

        public string Name { get; set; } = string.Empty;

        /// <summary>36-character id; null until the policy exists.</summary>
        public string? PolicyId { get; set; }

        public string? Arn { get; set; }

        /// <summary>The token an update must send; server-only.</summary>
        public string? UpdateToken { get; set; }

        /// <summary>The policy type. Setting <see cref="Settings"/> of a known type sets this too.</summary>
        /// <remarks>The name of a <see cref="FmsPolicyType"/> value (ConvertTo-Json writes enums as numbers); the engine reads TypeValue.</remarks>
        public string Type { get => TypeValue.ToString(); set => TypeValue = EnumName.Parse<FmsPolicyType>(value, nameof(Type)); }

        internal FmsPolicyType TypeValue { get; set; }

        /// <summary>The SecurityServiceType string: derived from <see cref="Type"/>, or for Unknown types whatever the service sent.</summary>
        public string TypeName
        {
            get => TypeValue != FmsPolicyType.Unknown ? FmsPolicyTypes.ToWire(TypeValue) : _typeName ?? Settings?.TypeName ?? string.Empty;
            set
            {
                _typeName = value;
                if (FmsPolicyTypes.TryParse(value, out var parsed)) TypeValue = parsed;
            }
        }

        /// <summary>
        /// The resource types in scope; never the literal "ResourceTypeList". Null on a ListPolicies summary of a
        /// policy with several resource types: the summary names only "ResourceTypeList", so the list is not known until
        /// the policy is read in full (Get-FmsPolicy -Detailed).
        /// </summary>
        public List<string>? ResourceTypes { get => _resourceTypes; set => _resourceTypes = value == null ? null : Items.List(value); }
        private ItemList<string>? _resourceTypes = new ItemList<string>();

        /// <summary>Which accounts and resources the policy applies to; null on a ListPolicies summary, which does not carry it.</summary>
        public PolicyScope? Scope { get; set; } = new PolicyScope();

        /// <summary>One line describing <see cref="Scope"/>; null when the scope was not read (a summary).</summary>
        public string? ScopeSummary => Scope?.Summary;

        public bool RemediationEnabled { get; set; }

        public bool DeleteUnusedFMManagedResources { get; set; }

        public string? Description { get; set; }

        /// <remarks>The name of a <see cref="FmsPolicyStatus"/> value (ConvertTo-Json writes enums as numbers); the engine reads StatusValue.</remarks>
        public string Status { get => StatusValue.ToString(); set => StatusValue = EnumName.Parse<FmsPolicyStatus>(value, nameof(Status)); }

        internal FmsPolicyStatus StatusValue { get; set; }

        /// <summary>The region the policy lives in (from the ARN or the client); null when unknown.</summary>
        public string? Region { get; set; }

        /// <summary>The policy's own tags; null when not loaded (summaries), so diffs do not compare them.</summary>
        public IDictionary<string, string>? Tags { get => _tags; set => _tags = value == null ? null : Items.Dictionary(value); }

        private ItemDictionary<string, string>? _tags;

        /// <summary>True when read with GetPolicy (settings present); false for a ListPolicies summary.</summary>
        public bool IsDetailed { get; set; }

        /// <summary>The typed ManagedServiceData (and PolicyOption); null for a summary.</summary>
        public PolicySettings? Settings { get; set; }

        /// <summary>
        /// Members of the policy this version does not know (a newer API's answer, or a policy file's upper-case
        /// fields), by wire name, the nested ones under the wire name of the known shape holding them (see
        /// PolicyAdditionalMembers): written into policy files, never compared or applied from a file, sent back with
        /// PutPolicy so that an update does not reset them (an update sends the deployed policy's, PolicyService.UpdateAsync).
        /// </summary>
        internal IDictionary<string, JsonNode?> AdditionalFields { get; } = Administration.AdditionalMembers.New();

        /// <summary>The PolicyOption these settings send, for display; null when the type uses none.</summary>
        public FmsPolicyOption? PolicyOption
        {
            get
            {
                switch (Settings)
                {
                    case NetworkFirewallSettings networkFirewall when networkFirewall.DeploymentModel != null:
                        return new FmsPolicyOption(networkFirewall.DeploymentModel, null, null);
                    case ThirdPartyFirewallSettings thirdParty when thirdParty.DeploymentModel != null:
                        return new FmsPolicyOption(null, thirdParty.DeploymentModel, null);
                    case NetworkAclCommonSettings networkAcl:
                        return new FmsPolicyOption(null, null, networkAcl);
                    default:
                        return null;
                }
            }
        }

        /// <summary>A new policy with the type taken from its settings.</summary>
        public static FmsPolicy Create(string name, PolicySettings settings, params string[] resourceTypes)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var policy = new FmsPolicy
            {
                Name = name,
                Type = settings.PolicyType,
                Settings = settings,
                IsDetailed = true,
            };
            if (settings.PolicyTypeValue == FmsPolicyType.Unknown) policy.TypeName = settings.TypeName;
            policy.ResourceTypes = (resourceTypes != null && resourceTypes.Length > 0 ? resourceTypes : FmsPolicyTypes.DefaultResourceTypes(settings.PolicyTypeValue)).ToList();
            return policy;
        }

        /// <summary>A deep copy (settings copied through their JSON, so nothing is shared).</summary>
        public FmsPolicy Clone()
        {
            var wire = PolicyWireMapper.ToWire(this);
            var copy = PolicyWireMapper.FromWire(wire, Arn, null, Region);
            copy.Tags = Tags == null ? null : new SortedDictionary<string, string>(Tags, StringComparer.Ordinal);
            copy.IsDetailed = IsDetailed;
            copy.Status = Status;
            foreach (var pair in AdditionalFields) copy.AdditionalFields[pair.Key] = pair.Value?.DeepClone();
            if (Settings == null) copy.Settings = null;
            // A summary's copy stays a summary: what was not read is not made up by the round trip through the wire shape.
            if (Scope == null) copy.Scope = null;
            if (ResourceTypes == null) copy.ResourceTypes = null;
            return copy;
        }

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(Name).Append(" (").Append(TypeName);
            if (PolicyId != null) text.Append(", ").Append(PolicyId);
            // A summary does not carry the scope: say so rather than print a scope that was never read.
            text.Append("): ").Append(ScopeSummary ?? "scope not read (a ListPolicies summary; Get-FmsPolicy -Detailed reads it)");
            return text.ToString();
        }
    }
}
