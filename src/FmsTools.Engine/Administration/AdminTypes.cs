namespace FmsTools.Engine.Administration
{
    /// <summary>Which accounts, OUs, regions and policy types an FMS administrator may manage.</summary>
    public sealed class FmsAdminScope
    {
        public bool AllAccounts { get; set; } = true;
        public bool ExcludeSpecifiedAccounts { get; set; }
        public List<string> Accounts { get => _accounts; set => _accounts = Items.List(value); }
        private ItemList<string> _accounts = new ItemList<string>();
        public bool AllOrganizationalUnits { get; set; } = true;
        public bool ExcludeSpecifiedOrganizationalUnits { get; set; }
        public List<string> OrganizationalUnits { get => _organizationalUnits; set => _organizationalUnits = Items.List(value); }
        private ItemList<string> _organizationalUnits = new ItemList<string>();
        public bool AllRegions { get; set; } = true;
        public List<string> Regions { get => _regions; set => _regions = Items.List(value); }
        private ItemList<string> _regions = new ItemList<string>();
        public bool AllPolicyTypes { get; set; } = true;
        public List<string> PolicyTypes { get => _policyTypes; set => _policyTypes = Items.List(value); }

        /// <summary>
        /// Fields of the answer this version does not know (a newer API's), by wire name (a part's under the part's name, e.g.
        /// AccountScope); kept for configuration files, and sent back by PutAdminAccount (AdminAccountService: the deployed scope's).
        /// </summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();
        private ItemList<string> _policyTypes = new ItemList<string>();

        public string Summary
        {
            get
            {
                string Part(bool all, bool exclude, List<string> items, string noun)
                    => all ? (items.Count > 0 && exclude ? $"all {noun} except {items.Count}" : $"all {noun}")
                        : exclude ? $"all {noun} except {items.Count}" : $"{items.Count} {noun}";
                return string.Join("; ", Part(AllAccounts, ExcludeSpecifiedAccounts, Accounts, "accounts"),
                    Part(AllOrganizationalUnits, ExcludeSpecifiedOrganizationalUnits, OrganizationalUnits, "OUs"),
                    AllRegions ? "all regions" : string.Join(",", Regions),
                    AllPolicyTypes ? "all policy types" : string.Join(",", PolicyTypes));
            }
        }

        public override string ToString() => Summary;
    }

    /// <summary>An FMS administrator account and its scope.</summary>
    public sealed class FmsAdminAccount
    {
        public string AccountId { get; set; } = "";

        /// <summary>RoleStatus for the default administrator (READY, CREATING, ...), or the organization status.</summary>
        public string? Status { get; set; }

        public bool IsDefaultAdmin { get; set; }
        public FmsAdminScope? Scope { get; set; }
        public string ScopeSummary => Scope?.Summary ?? "";

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files, never sent.</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();

        public override string ToString() => AccountId;
    }

    /// <summary>Where FMS sends SNS notifications about non-compliance.</summary>
    public sealed class FmsNotificationChannel
    {
        public string? SnsTopicArn { get; set; }
        public string? SnsRoleName { get; set; }
        public bool IsConfigured => !string.IsNullOrEmpty(SnsTopicArn);

        /// <summary>
        /// Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files, and sent
        /// back by PutNotificationChannel (NotificationChannelService: the current channel's).
        /// </summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();

        public override string ToString() => SnsTopicArn ?? "(none)";
    }

    /// <summary>One tag on an FMS resource (policy, apps list, protocols list, resource set).</summary>
    public sealed class FmsTag
    {
        public string ResourceArn { get; set; } = "";
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";

        public override string ToString() => $"{Key}={Value}";
    }
}
