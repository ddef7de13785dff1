using System.Text.Json;
using FmsTools.Engine.Administration;

namespace FmsTools.Engine.History
{
    /// <summary>
    /// The journal documents of everything but policies: indented camelCase JSON of FmsTools' own objects, limited to what
    /// the user sets and identifies the object by (no update tokens, timestamps or FMS's earlier-version history), with
    /// lists in a stable order, so two documents of the same state are equal text.
    /// </summary>
    public static class ChangeDocuments
    {
        // The journal's JSON conventions (ChangeJournalStore), indented: a document is read by people, in diffs.
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions(ChangeJournalStore.JsonOptions) { WriteIndented = true };

        public static string? Write(FmsAppsList? list, IReadOnlyDictionary<string, string>? tags = null) => list == null ? null : Serialize(new AppsListDocument
        {
            ListId = list.ListId,
            Name = list.Name,
            Arn = list.Arn,
            Apps = list.Apps.Select(a => new AppDocument { Name = a.Name, Protocol = a.Protocol, Port = a.Port }).ToList(),
            Tags = Sorted(tags),
        });

        public static string? Write(FmsProtocolsList? list, IReadOnlyDictionary<string, string>? tags = null) => list == null ? null : Serialize(new ProtocolsListDocument
        {
            ListId = list.ListId,
            Name = list.Name,
            Arn = list.Arn,
            Protocols = list.Protocols.ToList(),
            Tags = Sorted(tags),
        });

        public static string? Write(FmsResourceSet? set, IReadOnlyDictionary<string, string>? tags = null) => set == null ? null : Serialize(new ResourceSetDocument
        {
            Id = set.Id,
            Name = set.Name,
            Description = set.Description,
            Arn = set.Arn,
            ResourceTypes = set.ResourceTypes.ToList(),
            Tags = Sorted(tags),
        });

        /// <summary>One batch of BatchAssociateResource or BatchDisassociateResource: what was asked and what the service refused.</summary>
        public static string WriteMembership(string resourceSetId, string action, IReadOnlyList<string> uris, IReadOnlyDictionary<string, string?>? failed)
            => Serialize(new ResourceSetMembershipDocument
            {
                ResourceSetId = resourceSetId,
                Action = action,
                Uris = uris.ToList(),
                Failed = failed == null || failed.Count == 0 ? null
                    : failed.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new FailedItemDocument { Uri = f.Key, Reason = f.Value }).ToList(),
            });

        public static string? Write(FmsNotificationChannel? channel) => channel == null || !channel.IsConfigured ? null
            : Serialize(new NotificationChannelDocument { SnsTopicArn = channel.SnsTopicArn, SnsRoleName = channel.SnsRoleName });

        public static string? Write(FmsAdminAccount? admin) => admin == null ? null : Serialize(new AdminAccountDocument
        {
            AccountId = admin.AccountId,
            IsDefaultAdmin = admin.IsDefaultAdmin,
            Scope = admin.Scope == null ? null : new AdminScopeDocument
            {
                AllAccounts = admin.Scope.AllAccounts,
                ExcludeSpecifiedAccounts = admin.Scope.ExcludeSpecifiedAccounts,
                Accounts = admin.Scope.Accounts.ToList(),
                AllOrganizationalUnits = admin.Scope.AllOrganizationalUnits,
                ExcludeSpecifiedOrganizationalUnits = admin.Scope.ExcludeSpecifiedOrganizationalUnits,
                OrganizationalUnits = admin.Scope.OrganizationalUnits.ToList(),
                AllRegions = admin.Scope.AllRegions,
                Regions = admin.Scope.Regions.ToList(),
                AllPolicyTypes = admin.Scope.AllPolicyTypes,
                PolicyTypes = admin.Scope.PolicyTypes.ToList(),
            },
        });

        public static string? WriteTags(string resourceArn, IReadOnlyDictionary<string, string>? tags) => tags == null ? null
            : Serialize(new TagsDocument { ResourceArn = resourceArn, Tags = Sorted(tags) ?? new SortedDictionary<string, string>(StringComparer.Ordinal) });

        private static SortedDictionary<string, string>? Sorted(IReadOnlyDictionary<string, string>? tags)
            => tags == null || tags.Count == 0 ? null : new SortedDictionary<string, string>(tags.ToDictionary(t => t.Key, t => t.Value ?? string.Empty), StringComparer.Ordinal);

        private static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options);

        // The document shapes: property order is declaration order, which keeps the text stable.
        private sealed class AppDocument
        {
            public string Name { get; set; } = "";
            public string Protocol { get; set; } = "";
            public long Port { get; set; }
        }

        private sealed class AppsListDocument
        {
            public string? ListId { get; set; }
            public string Name { get; set; } = "";
            public string? Arn { get; set; }
            public List<AppDocument> Apps { get; set; } = new List<AppDocument>();
            public SortedDictionary<string, string>? Tags { get; set; }
        }

        private sealed class ProtocolsListDocument
        {
            public string? ListId { get; set; }
            public string Name { get; set; } = "";
            public string? Arn { get; set; }
            public List<string> Protocols { get; set; } = new List<string>();
            public SortedDictionary<string, string>? Tags { get; set; }
        }

        private sealed class ResourceSetDocument
        {
            public string? Id { get; set; }
            public string Name { get; set; } = "";
            public string? Description { get; set; }
            public string? Arn { get; set; }
            public List<string> ResourceTypes { get; set; } = new List<string>();
            public SortedDictionary<string, string>? Tags { get; set; }
        }

        private sealed class FailedItemDocument
        {
            public string Uri { get; set; } = "";
            public string? Reason { get; set; }
        }

        private sealed class ResourceSetMembershipDocument
        {
            public string ResourceSetId { get; set; } = "";
            public string Action { get; set; } = "";
            public List<string> Uris { get; set; } = new List<string>();
            public List<FailedItemDocument>? Failed { get; set; }
        }

        private sealed class NotificationChannelDocument
        {
            public string? SnsTopicArn { get; set; }
            public string? SnsRoleName { get; set; }
        }

        private sealed class AdminScopeDocument
        {
            public bool AllAccounts { get; set; }
            public bool ExcludeSpecifiedAccounts { get; set; }
            public List<string> Accounts { get; set; } = new List<string>();
            public bool AllOrganizationalUnits { get; set; }
            public bool ExcludeSpecifiedOrganizationalUnits { get; set; }
            public List<string> OrganizationalUnits { get; set; } = new List<string>();
            public bool AllRegions { get; set; }
            public List<string> Regions { get; set; } = new List<string>();
            public bool AllPolicyTypes { get; set; }
            public List<string> PolicyTypes { get; set; } = new List<string>();
        }

        private sealed class AdminAccountDocument
        {
            public string AccountId { get; set; } = "";
            public bool IsDefaultAdmin { get; set; }
            public AdminScopeDocument? Scope { get; set; }
        }

        private sealed class TagsDocument
        {
            public string ResourceArn { get; set; } = "";
            public SortedDictionary<string, string> Tags { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }
    }
}
