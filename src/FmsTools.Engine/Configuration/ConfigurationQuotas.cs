using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>A per-account and Region quota a configuration sync would exceed: the kind, Region, counts, limit, and the objects it creates.</summary>
    public sealed class ConfigurationQuotaViolation
    {
        public ConfigurationKind Kind { get; set; }
        public string Region { get; set; } = "";
        public int Live { get; set; }
        public int Creates { get; set; }
        public int Deletes { get; set; }
        public int Limit { get; set; }

        /// <summary>The objects the sync creates of this kind in this Region, as "file ('name')".</summary>
        public List<string> Created { get; } = new List<string>();

        /// <summary>The stable error id, e.g. Configuration.Quota.AppsList.</summary>
        public string Rule => "Configuration.Quota." + Kind;

        public string Message
        {
            get
            {
                var noun = ConfigurationQuotas.Noun(Kind);
                var organization = Kind == ConfigurationKind.AdminAccount;
                var text = $"{(organization ? "The organization" : Region)} has {Live} {noun}; the folder creates {Creates} ({string.Join(", ", Created)}): {Live + Creates} would exceed the limit of {Limit} {noun} "
                           + (organization ? "per organization" : "per account and Region") + " (Firewall Manager quotas).";
                if (Deletes > 0)
                    text += $" The {Deletes} delete(s) of -DeleteMissing run after the policies, so they do not make room for the creates: delete those objects first"
                            + (Live + Creates - Deletes <= Limit ? $" (afterwards {Live + Creates - Deletes} fit)." : ".");
                return text;
            }
        }

        public override string ToString() => Message;
    }

    /// <summary>
    /// The Firewall Manager quotas on the number of custom apps lists, custom protocols lists and resource sets per
    /// account and Region (AWS Firewall Manager Developer Guide, "AWS Firewall Manager quotas": 10 custom application
    /// lists, 10 custom protocol lists, 20 resource sets) and on administrators per organization (10), checked for a
    /// whole sync plan before its first change; the sandbox enforces the same defaults. A raised quota is set with
    /// FMSTOOLS_APPS_LIST_QUOTA, FMSTOOLS_PROTOCOLS_LIST_QUOTA, FMSTOOLS_RESOURCE_SET_QUOTA and FMSTOOLS_ADMINISTRATOR_QUOTA.
    /// </summary>
    public sealed class ConfigurationQuotas
    {
        public const int DefaultAppsLists = 10;
        public const int DefaultProtocolsLists = 10;
        public const int DefaultResourceSets = 20;
        public const int DefaultAdministrators = 10;

        public int AppsLists { get; set; } = DefaultAppsLists;
        public int ProtocolsLists { get; set; } = DefaultProtocolsLists;
        public int ResourceSets { get; set; } = DefaultResourceSets;
        public int Administrators { get; set; } = DefaultAdministrators;

        /// <summary>The defaults, or the environment's raised quotas (a positive whole number; anything else keeps the default).</summary>
        public static ConfigurationQuotas FromEnvironment() => new ConfigurationQuotas
        {
            AppsLists = Read("FMSTOOLS_APPS_LIST_QUOTA", DefaultAppsLists),
            ProtocolsLists = Read("FMSTOOLS_PROTOCOLS_LIST_QUOTA", DefaultProtocolsLists),
            ResourceSets = Read("FMSTOOLS_RESOURCE_SET_QUOTA", DefaultResourceSets),
            Administrators = Read("FMSTOOLS_ADMINISTRATOR_QUOTA", DefaultAdministrators),
        };

        private static int Read(string variable, int fallback)
            => int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

        /// <summary>
        /// Every quota the plan exceeds per kind and Region. The plan creates lists and resource sets before the policies
        /// and deletes them after, so the count the service sees peaks at the live objects plus the creates: that is what is
        /// checked (the deletes are named in the message, they do not make room). <paramref name="live"/> is what the plan
        /// was made from (every custom list and resource set of the Regions and kinds taking part).
        /// </summary>
        public List<ConfigurationQuotaViolation> Check(ConfigurationSyncPlan plan, IReadOnlyList<FmsConfigurationItem> live)
        {
            var result = new List<ConfigurationQuotaViolation>();
            foreach (var kind in new[] { ConfigurationKind.ResourceSet, ConfigurationKind.AppsList, ConfigurationKind.ProtocolsList })
            {
                var steps = plan.Steps.Where(s => s.Kind == kind && s.Region != null).ToList();
                foreach (var region in steps.Where(s => s.Action == SyncActionKind.Create).Select(s => s.Region!).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
                {
                    var creates = steps.Where(s => s.Region == region && s.Action == SyncActionKind.Create).ToList();
                    var violation = new ConfigurationQuotaViolation
                    {
                        Kind = kind, Region = region, Limit = Limit(kind), Creates = creates.Count,
                        Live = live.Count(i => i.KindValue == kind && i.Region == region),
                        Deletes = steps.Count(s => s.Region == region && s.Action == SyncActionKind.Delete),
                    };
                    if (violation.Live + violation.Creates <= violation.Limit) continue;
                    violation.Created.AddRange(creates.Select(s => s.Desired!.File + " ('" + s.Name + "')"));
                    result.Add(violation);
                }
            }
            // Administrators: one quota for the organization, counted only where the plan applies them (a management
            // connection read the live administrators; otherwise their steps are not applied and nothing is counted).
            var adminCreates = plan.Steps.Where(s => s.Kind == ConfigurationKind.AdminAccount && s.Action == SyncActionKind.Create && s.NotApplicable == null).ToList();
            var admins = new ConfigurationQuotaViolation
            {
                Kind = ConfigurationKind.AdminAccount, Limit = Administrators, Creates = adminCreates.Count,
                Live = live.Count(i => i.KindValue == ConfigurationKind.AdminAccount),
            };
            if (admins.Creates > 0 && admins.Live + admins.Creates > admins.Limit)
            {
                admins.Created.AddRange(adminCreates.Select(s => s.Desired!.File + " ('" + s.Name + "')"));
                result.Add(admins);
            }
            return result;
        }

        private int Limit(ConfigurationKind kind) => kind switch
        {
            ConfigurationKind.AppsList => AppsLists,
            ConfigurationKind.ProtocolsList => ProtocolsLists,
            _ => ResourceSets,
        };

        internal static string Noun(ConfigurationKind kind) => kind switch
        {
            ConfigurationKind.AppsList => "custom apps lists",
            ConfigurationKind.ProtocolsList => "custom protocols lists",
            ConfigurationKind.AdminAccount => "Firewall Manager administrators",
            _ => "resource sets",
        };
    }
}
