using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox.World
{
    /// <summary>The simulated AWS Organization (all features enabled).</summary>
    public sealed class Organization
    {
        /// <summary>o- followed by 10 lowercase letters/digits.</summary>
        public string Id { get; set; } = "";

        /// <summary>r- followed by 4 lowercase letters/digits.</summary>
        public string RootId { get; set; } = "";
        public string RootName { get; set; } = "Root";
        public string FeatureSet { get; set; } = "ALL";
        public string ManagementAccountId { get; set; } = "";
        public string ManagementAccountEmail { get; set; } = "";

        /// <summary>The Firewall Manager administrator (a delegated administrator, not the management account).</summary>
        public string FmsAdministratorAccountId { get; set; } = "";

        /// <summary>Organization policy types enabled on the root (e.g. SERVICE_CONTROL_POLICY).</summary>
        public string[] EnabledPolicyTypes { get; set; } = new[] { "SERVICE_CONTROL_POLICY" };

        /// <summary>Service principals with trusted access (fms.amazonaws.com, config.amazonaws.com…).</summary>
        public string[] EnabledServicePrincipals { get; set; } = new string[0];

        public List<OrganizationalUnit> OrganizationalUnits { get; set; } = new List<OrganizationalUnit>();
        public List<Account> Accounts { get; set; } = new List<Account>();
        public List<DelegatedAdministrator> DelegatedAdministrators { get; set; } = new List<DelegatedAdministrator>();

        [JsonIgnore]
        public string Arn => "arn:aws:organizations::" + ManagementAccountId + ":organization/" + Id;

        [JsonIgnore]
        public string RootArn => "arn:aws:organizations::" + ManagementAccountId + ":root/" + Id + "/" + RootId;

        public string AccountArn(string accountId) => AccountArnPrefix() + accountId;

        /// <summary>The account's ARN, built once and kept on the account (ListAccounts answers 20 per call) until the
        /// account's or the organization's ids change.</summary>
        public string AccountArn(Account account)
        {
            var prefix = AccountArnPrefix();
            var cached = account.ArnCache;
            if (cached != null && ReferenceEquals(cached.Prefix, prefix) && ReferenceEquals(cached.AccountId, account.Id)) return cached.Arn;
            cached = new CachedArn(prefix, account.Id, prefix + account.Id);
            account.ArnCache = cached;
            return cached.Arn;
        }

        private CachedArn? _accountArnPrefix;

        private string AccountArnPrefix()
        {
            var cached = _accountArnPrefix;
            if (cached != null && ReferenceEquals(cached.Prefix, ManagementAccountId) && ReferenceEquals(cached.AccountId, Id)) return cached.Arn;
            cached = new CachedArn(ManagementAccountId, Id, "arn:aws:organizations::" + ManagementAccountId + ":account/" + Id + "/");
            _accountArnPrefix = cached;
            return cached.Arn;
        }

        public string OrganizationalUnitArn(string ouId) => "arn:aws:organizations::" + ManagementAccountId + ":ou/" + Id + "/" + ouId;
    }

    public sealed class OrganizationalUnit
    {
        /// <summary>ou-{4 chars of the root id}-{8 lowercase letters/digits}.</summary>
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";

        /// <summary>The root id or another OU's id.</summary>
        public string ParentId { get; set; } = "";
    }

    public sealed class Account
    {
        /// <summary>12 digits.</summary>
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";

        /// <summary>ACTIVE, SUSPENDED or PENDING_CLOSURE.</summary>
        public string Status { get; set; } = "ACTIVE";

        /// <summary>INVITED or CREATED.</summary>
        public string JoinedMethod { get; set; } = "CREATED";
        public DateTime JoinedTimestamp { get; set; }

        /// <summary>The root id or the id of the OU that directly contains the account.</summary>
        public string ParentId { get; set; } = "";

        /// <summary>The IAM roles in the account that the management and FMS administrator accounts may assume (sts:AssumeRole).
        /// Null means what AWS Organizations leaves: OrganizationAccountAccessRole in accounts it created (not the management
        /// account), none in invited accounts.</summary>
        public string[]? IamRoles { get; set; }

        /// <summary>The role AWS Organizations creates in the accounts it creates.</summary>
        public const string OrganizationAccountAccessRole = "OrganizationAccountAccessRole";

        /// <summary>The roles that exist in the account (see <see cref="IamRoles"/>).</summary>
        public IReadOnlyList<string> RoleNames(string managementAccountId) =>
            IamRoles ?? (JoinedMethod == "CREATED" && Id != managementAccountId ? new[] { OrganizationAccountAccessRole } : new string[0]);

        public WorldTag[]? Tags { get; set; }

        /// <summary>See <see cref="Organization.AccountArn(Account)"/>; one immutable object, so threads see a whole entry.</summary>
        [JsonIgnore]
        internal CachedArn? ArnCache { get; set; }
    }

    /// <summary>An ARN (or ARN prefix) and the two id strings it was built from, compared by reference.</summary>
    internal sealed class CachedArn
    {
        public CachedArn(string prefix, string accountId, string arn)
        {
            Prefix = prefix;
            AccountId = accountId;
            Arn = arn;
        }

        public string Prefix { get; }
        public string AccountId { get; }
        public string Arn { get; }
    }

    public sealed class DelegatedAdministrator
    {
        public string AccountId { get; set; } = "";
        public string ServicePrincipal { get; set; } = "";
        public DateTime DelegationEnabledDate { get; set; }
    }

    /// <summary>The FMS administrator's association with a third-party firewall vendor (AssociateThirdPartyFirewall).</summary>
    public sealed class ThirdPartyFirewallAssociation
    {
        public string AdminAccountId { get; set; } = "";

        /// <summary>PALO_ALTO_NETWORKS_CLOUD_NGFW or FORTIGATE_CLOUD_NATIVE_FIREWALL.</summary>
        public string ThirdPartyFirewall { get; set; } = "";

        /// <summary>ONBOARDING, ONBOARD_COMPLETE, OFFBOARDING, OFFBOARD_COMPLETE or NOT_EXIST.</summary>
        public string Status { get; set; } = "ONBOARD_COMPLETE";

        /// <summary>NO_SUBSCRIPTION, NOT_COMPLETE or COMPLETE.</summary>
        public string MarketplaceOnboardingStatus { get; set; } = "COMPLETE";

        /// <summary>Firewall policies the vendor exposes to FMS (ListThirdPartyFirewallFirewallPolicies).</summary>
        public string[] FirewallPolicyNames { get; set; } = new string[0];
    }

    /// <summary>An entry of the AWS managed rule group catalogue (what DescribeManagedRuleGroup/ListAvailableManagedRuleGroups show).</summary>
    public sealed class ManagedRuleGroupDescriptor
    {
        public string VendorName { get; set; } = "AWS";
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public long Capacity { get; set; }
        public string[] Versions { get; set; } = new string[0];

        /// <summary>The version used when a reference does not pin one.</summary>
        public string? DefaultVersion { get; set; }
        public string? LabelNamespace { get; set; }

        /// <summary>The group's rules as DescribeManagedRuleGroup lists them (the same for every version).</summary>
        public string[] RuleNames { get; set; } = new string[0];

        /// <summary>True when <see cref="RuleNames"/> are made up by the sandbox (see <see cref="ManagedRuleGroupCatalogue"/>).</summary>
        public bool SyntheticRuleNames { get; set; }
    }

    /// <summary>A DDoS event Shield detected on a protected resource (source of GetProtectionStatus data).</summary>
    public sealed class ShieldAttack
    {
        public string AttackId { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string ResourceArn { get; set; } = "";
        public DateTime StartTime { get; set; }

        /// <summary>Null while the attack is ongoing.</summary>
        public DateTime? EndTime { get; set; }

        /// <summary>Attack vectors such as SYN_FLOOD, UDP_REFLECTION, REQUEST_FLOOD.</summary>
        public string[] AttackVectors { get; set; } = new string[0];
    }

    /// <summary>All resources of one account in one region.</summary>
    public sealed class AccountRegion
    {
        public string AccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public List<WorldResource> Resources { get; set; } = new List<WorldResource>();
    }
}
