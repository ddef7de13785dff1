namespace FmsTools.Engine.Administration
{
    /// <summary>An application in an apps list: name, protocol and port.</summary>
    public sealed class FmsApp
    {
        public FmsApp() { }

        public FmsApp(string name, string protocol, long port)
        {
            Name = name;
            Protocol = protocol;
            Port = port;
        }

        public string Name { get; set; } = "";
        public string Protocol { get; set; } = "";
        public long Port { get; set; }

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files, never sent.</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();

        public override string ToString() => $"{Name} ({Protocol}/{Port})";
    }

    /// <summary>A Firewall Manager applications list (used by security group common and audit policies).</summary>
    public sealed class FmsAppsList : IFmsList
    {
        public string? ListId { get; set; }
        public string Name { get; set; } = "";
        public string? Arn { get; set; }
        /// <summary>The Region the list lives in: its ARN's, or the one it was read from (null for a list not read from FMS).</summary>
        public string? Region { get; set; }
        public List<FmsApp> Apps { get => _apps; set => _apps = Items.List(value); }
        private ItemList<FmsApp> _apps = new ItemList<FmsApp>();

        /// <summary>Earlier versions kept by FMS, keyed by version number.</summary>
        public Dictionary<string, List<FmsApp>> PreviousApps
        {
            get => _previousApps;
            set => _previousApps = Items.Dictionary(value?.Select(p => new KeyValuePair<string, List<FmsApp>>(p.Key, Items.List(p.Value))));
        }

        private ItemDictionary<string, List<FmsApp>> _previousApps = new ItemDictionary<string, List<FmsApp>>();

        /// <summary>ListUpdateToken of the version read; sent back on update so a concurrent change is detected.</summary>
        public string? UpdateToken { get; set; }

        public DateTime? CreatedTime { get; set; }
        public DateTime? LastUpdatedTime { get; set; }

        /// <summary>True for FMS-managed default lists, which cannot be changed.</summary>
        public bool IsManaged { get; set; }

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files and sent back with a Put (never in place of a known field).</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();

        public int AppCount => Apps.Count;
        public string AppSummary => string.Join(", ", Apps.Take(4).Select(a => a.ToString())) + (Apps.Count > 4 ? $" (+{Apps.Count - 4})" : "");

        public override string ToString() => Name;
    }

    /// <summary>A Firewall Manager protocols list.</summary>
    public sealed class FmsProtocolsList : IFmsList
    {
        public string? ListId { get; set; }
        public string Name { get; set; } = "";
        public string? Arn { get; set; }
        /// <summary>The Region the list lives in: its ARN's, or the one it was read from (null for a list not read from FMS).</summary>
        public string? Region { get; set; }
        public List<string> Protocols { get => _protocols; set => _protocols = Items.List(value); }
        private ItemList<string> _protocols = new ItemList<string>();
        public Dictionary<string, List<string>> PreviousProtocols
        {
            get => _previousProtocols;
            set => _previousProtocols = Items.Dictionary(value?.Select(p => new KeyValuePair<string, List<string>>(p.Key, Items.List(p.Value))));
        }

        private ItemDictionary<string, List<string>> _previousProtocols = new ItemDictionary<string, List<string>>();
        public string? UpdateToken { get; set; }
        public DateTime? CreatedTime { get; set; }
        public DateTime? LastUpdatedTime { get; set; }
        public bool IsManaged { get; set; }

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files and sent back with a Put (never in place of a known field).</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();
        public string ProtocolSummary => string.Join(", ", Protocols);

        public override string ToString() => Name;
    }

    /// <summary>A resource set: a named group of resources a policy can be scoped to.</summary>
    public sealed class FmsResourceSet
    {
        public string? Id { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string? Arn { get; set; }
        /// <summary>The Region the set lives in: its ARN's, or the one it was read from (null for a set not read from FMS).</summary>
        public string? Region { get; set; }
        public List<string> ResourceTypes { get => _resourceTypes; set => _resourceTypes = Items.List(value); }
        private ItemList<string> _resourceTypes = new ItemList<string>();
        public string? Status { get; set; }
        public string? UpdateToken { get; set; }
        public DateTime? LastUpdatedTime { get; set; }

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files and sent back with a Put (never in place of a known field).</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();
        public string ResourceTypeSummary => string.Join(", ", ResourceTypes);

        public override string ToString() => Name;
    }

    /// <summary>A resource associated with a resource set.</summary>
    public sealed class FmsResourceSetResource
    {
        public string ResourceSetId { get; set; } = "";
        public string Uri { get; set; } = "";
        public string? AccountId { get; set; }

        /// <summary>The Region of the resource set (the one it was read from).</summary>
        public string? Region { get; set; }

        /// <summary>Fields of the answer this version does not know (a newer API's), by wire name; kept for configuration files, never sent.</summary>
        internal IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = AdditionalMembers.New();

        public override string ToString() => Uri;
    }

    /// <summary>Outcome of associating or disassociating one resource with a resource set.</summary>
    public sealed class FmsResourceSetChange
    {
        public string ResourceSetId { get; set; } = "";
        public string Uri { get; set; } = "";
        public string Action { get; set; } = "";
        public bool Succeeded { get; set; }
        public string? FailureReason { get; set; }
    }
}
