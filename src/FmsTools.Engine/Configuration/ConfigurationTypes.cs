using System;
using System.Collections.Generic;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>The kinds of object a configuration folder describes (Export-FmsConfiguration -Kind).</summary>
    public enum ConfigurationKind
    {
        Policy,
        AppsList,
        ProtocolsList,
        ResourceSet,
        NotificationChannel,
        AdminAccount,
    }

    /// <summary>How serious a configuration finding is: an Error stops a folder from being applied, a Warning does not.</summary>
    public enum ConfigurationFindingSeverity
    {
        Error,
        Warning,
    }

    /// <summary>
    /// One object of a configuration folder, as read from its file (Import-FmsConfiguration) or written to it
    /// (Export-FmsConfiguration): its kind, Region (null for administrator accounts, which are organization-wide),
    /// name, file, and the typed object of its kind. Policies name their resource sets by name in ResourceSetNames;
    /// their Policy.Scope.ResourceSetIds stays empty until the names are resolved against a live Region.
    /// </summary>
    public sealed class FmsConfigurationItem
    {
        public string Kind => KindValue.ToString();
        internal ConfigurationKind KindValue { get; set; }

        /// <summary>The Region folder the object is in; null for administrator accounts.</summary>
        public string? Region { get; set; }

        /// <summary>The object's name (the account id for an administrator, the Region for the notification channel).</summary>
        public string Name { get; set; } = "";

        /// <summary>The file, relative to the configuration folder, with '/' separators (e.g. us-east-1/apps-lists/web.fmsappslist.json).</summary>
        public string File { get; set; } = "";

        /// <summary>The live object's id (policy, list or resource set id) when the item was read from a Region; null for a file.</summary>
        public string? Id { get; set; }

        /// <summary>The live object as read (with its id, ARN and update token), for Sync-FmsConfiguration; null for a file.</summary>
        internal object? Deployed { get; set; }

        public FmsPolicy? Policy { get; set; }

        /// <summary>The names of the resource sets a policy is scoped to (same Region), in the file's order.</summary>
        public List<string> ResourceSetNames { get => _resourceSetNames; set => _resourceSetNames = Items.List(value); }
        private ItemList<string> _resourceSetNames = new ItemList<string>();

        public FmsAppsList? AppsList { get; set; }
        public FmsProtocolsList? ProtocolsList { get; set; }
        public FmsResourceSet? ResourceSet { get; set; }

        /// <summary>The member resources of a resource set (their URIs: ARNs), sorted.</summary>
        public List<string> Resources { get => _resources; set => _resources = Items.List(value); }
        private ItemList<string> _resources = new ItemList<string>();

        public FmsNotificationChannel? NotificationChannel { get; set; }
        public FmsAdminAccount? AdminAccount { get; set; }

        /// <summary>Tags of a policy, apps list, protocols list or resource set.</summary>
        public Dictionary<string, string> Tags { get => _tags; set => _tags = Items.Dictionary(value); }
        private ItemDictionary<string, string> _tags = new ItemDictionary<string, string>();

        /// <summary>
        /// Top-level fields of the file (or of the live answer: a newer API's, by their wire name) this version does not know,
        /// kept as read and written back after the known fields; they are neither applied nor compared. Fields nested in an
        /// app, a resource or the admin scope are kept the same way on FmsApp, ResourceAdditionalFields and FmsAdminScope.
        /// </summary>
        public IDictionary<string, System.Text.Json.Nodes.JsonNode?> AdditionalFields { get; } = new SortedItemDictionary<string, System.Text.Json.Nodes.JsonNode?>(StringComparer.Ordinal);

        /// <summary>
        /// Fields of a resource set's member resources this version does not know, by resource URI (the file writes such a
        /// resource as an object: uri plus these fields); kept, not applied, not compared.
        /// </summary>
        internal Dictionary<string, IDictionary<string, System.Text.Json.Nodes.JsonNode?>> ResourceAdditionalFields { get; } =
            new Dictionary<string, IDictionary<string, System.Text.Json.Nodes.JsonNode?>>(StringComparer.Ordinal);

        /// <summary>A one-line description of the object for tables.</summary>
        public string Summary => KindValue switch
        {
            ConfigurationKind.Policy => (Policy?.TypeName ?? "") + (ResourceSetNames.Count > 0 ? "; resource sets: " + string.Join(", ", ResourceSetNames) : ""),
            ConfigurationKind.AppsList => AppsList == null ? "" : AppsList.AppCount + " apps",
            ConfigurationKind.ProtocolsList => ProtocolsList?.ProtocolSummary ?? "",
            ConfigurationKind.ResourceSet => Resources.Count + " resources" + (ResourceSet == null || ResourceSet.ResourceTypes.Count == 0 ? "" : "; " + ResourceSet.ResourceTypeSummary),
            ConfigurationKind.NotificationChannel => NotificationChannel?.SnsTopicArn ?? "",
            ConfigurationKind.AdminAccount => AdminAccount == null ? "" : (AdminAccount.IsDefaultAdmin ? "default; " : "") + AdminAccount.ScopeSummary,
            _ => "",
        };

        public override string ToString() => $"{Kind} {Name}";
    }

    /// <summary>A problem in a configuration folder: the file, the object and the field, and what is wrong.</summary>
    public sealed class FmsConfigurationFinding
    {
        public string Severity => SeverityValue.ToString();
        internal ConfigurationFindingSeverity SeverityValue { get; set; }

        /// <summary>The file, relative to the configuration folder ('/' separators); empty for the folder itself.</summary>
        public string File { get; set; } = "";

        /// <summary>The object's kind (Policy, AppsList, ...); null when the file could not be told apart.</summary>
        public string? Kind { get; set; }

        /// <summary>The object's name; null when the file could not be read far enough to know it.</summary>
        public string? Object { get; set; }

        /// <summary>The field, as its path in the file (e.g. scope.resourceSetIds[0]); empty for the whole file.</summary>
        public string Field { get; set; } = "";

        /// <summary>A stable rule id, e.g. Configuration.Reference.ResourceSet.</summary>
        public string Rule { get; set; } = "";

        public string Message { get; set; } = "";

        public override string ToString()
            => File + (Field.Length > 0 ? " [" + Field + "]" : "") + (Object != null ? " (" + Kind + " '" + Object + "')" : "") + ": " + Message;
    }
}

namespace FmsTools.Engine.Configuration
{
    /// <summary>What Export-FmsConfiguration did with a file.</summary>
    public enum ConfigurationFileStatus
    {
        Written,
        Overwritten,
        Unchanged,
        Removed,
    }

    /// <summary>One file Export-FmsConfiguration wrote, left as it was (same content), or removed (its object is gone).</summary>
    public sealed class FmsConfigurationFile
    {
        public string Status => StatusValue.ToString();
        internal ConfigurationFileStatus StatusValue { get; set; }
        public string Kind { get; set; } = "";
        public string? Region { get; set; }
        public string Name { get; set; } = "";

        /// <summary>The file relative to the configuration folder ('/' separators).</summary>
        public string File { get; set; } = "";

        public string FullName { get; set; } = "";

        public override string ToString() => FullName;
    }
}
