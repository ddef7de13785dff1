using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>How an object or field of the folder differs from the live configuration (what applying the folder would do).</summary>
    public enum ConfigurationChange
    {
        /// <summary>In the folder, not live (a whole object, or a field or item of one).</summary>
        Added,
        /// <summary>Live, not in the folder.</summary>
        Removed,
        /// <summary>In both, with different values.</summary>
        Changed,
    }

    /// <summary>
    /// One difference between a configuration folder and the live configuration: the object (kind, Region, name, its live
    /// id), the field in the file's spelling (empty for a whole object that is only on one side; policies use
    /// Compare-FmsPolicy's paths), the values on each side as compact JSON, and the change applying the folder makes.
    /// </summary>
    public sealed class FmsConfigurationDifference
    {
        public string Change => ChangeValue.ToString();
        internal ConfigurationChange ChangeValue { get; set; }

        public string Kind => KindValue.ToString();
        internal ConfigurationKind KindValue { get; set; }

        /// <summary>The Region; null for administrator accounts.</summary>
        public string? Region { get; set; }

        public string Name { get; set; } = "";

        /// <summary>The live object's id (the name resolved); null when the object exists only in the folder.</summary>
        public string? Id { get; set; }

        /// <summary>The field, e.g. resources, apps[https].port, Settings.defaultAction.type; empty for the whole object.</summary>
        public string Field { get; set; } = "";

        /// <summary>The value in the folder (compact JSON); null when the folder does not have it.</summary>
        public string? FolderValue { get; set; }

        /// <summary>The live value (compact JSON); null when the live object does not have it.</summary>
        public string? LiveValue { get; set; }

        /// <summary>The two values for a table: "live -> folder", "+ folder" or "- live".</summary>
        public string Values => ChangeValue switch
        {
            ConfigurationChange.Added => "+ " + FolderValue,
            ConfigurationChange.Removed => "- " + LiveValue,
            _ => LiveValue + " -> " + FolderValue,
        };

        /// <summary>The folder file of the object; empty when it exists only live.</summary>
        public string File { get; set; } = "";

        public override string ToString()
        {
            var what = Kind + " '" + Name + "'" + (Region == null ? "" : " (" + Region + ")") + (Field.Length == 0 ? "" : " " + Field);
            return ChangeValue switch
            {
                ConfigurationChange.Added => "+ " + what + (FolderValue == null ? "" : ": " + FolderValue),
                ConfigurationChange.Removed => "- " + what + (LiveValue == null ? "" : ": " + LiveValue),
                _ => "~ " + what + ": " + LiveValue + " -> " + FolderValue,
            };
        }
    }

    /// <summary>
    /// Compares a configuration folder with the live configuration by meaning, kind by kind. Objects are matched by kind,
    /// Region and name. Policies go through <see cref="PolicyComparer"/> (what the service fills in is ignored) with
    /// resource sets compared by name on both sides; the other kinds are compared as their file documents, with the lists
    /// whose order means nothing (resources, resource types, protocols, apps by name, admin scope lists) compared as sets.
    /// </summary>
    public static class ConfigurationComparer
    {
        private static readonly string[] UnorderedPaths =
        {
            "apps", "protocols", "resourceTypes", "resources", "scope.accounts", "scope.organizationalUnits", "scope.regions", "scope.policyTypes",
        };

        /// <summary>Every difference; objects in file order (Region, kind, name).</summary>
        public static List<FmsConfigurationDifference> Compare(IReadOnlyList<FmsConfigurationItem> folder, IReadOnlyList<FmsConfigurationItem> live)
        {
            var result = new List<FmsConfigurationDifference>();
            var liveByKey = live.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
            var folderKeys = new HashSet<(ConfigurationKind, string, string)>(folder.Select(Key));
            foreach (var item in ConfigurationFolder.Ordered(folder.Concat(live.Where(l => !folderKeys.Contains(Key(l))))))
            {
                var inFolder = folderKeys.Contains(Key(item)) && folder.Contains(item);
                if (!inFolder)
                {
                    result.Add(Whole(item, ConfigurationChange.Removed));
                    continue;
                }
                if (!liveByKey.TryGetValue(Key(item), out var deployed))
                {
                    result.Add(Whole(item, ConfigurationChange.Added));
                    continue;
                }
                result.AddRange(CompareItem(item, deployed));
            }
            return result;
        }

        /// <summary>The field-level differences between an object of the folder and the live object of the same kind and name.</summary>
        public static List<FmsConfigurationDifference> CompareItem(FmsConfigurationItem desired, FmsConfigurationItem deployed)
        {
            List<PolicyDifference> differences;
            if (desired.KindValue == ConfigurationKind.Policy)
                differences = PolicyComparer.Compare(WithNames(desired), WithNames(deployed)).Differences.ToList();
            else
                differences = PolicyComparer.CompareDocuments(Document(desired), Document(deployed), UnorderedPaths);
            return differences.Select(d => new FmsConfigurationDifference
            {
                ChangeValue = d.KindValue switch
                {
                    PolicyDifferenceKind.Added => ConfigurationChange.Added,
                    PolicyDifferenceKind.Removed => ConfigurationChange.Removed,
                    _ => ConfigurationChange.Changed,
                },
                KindValue = desired.KindValue, Region = desired.Region, Name = desired.Name, Id = deployed.Id, File = desired.File,
                Field = d.Path, FolderValue = d.DesiredValue, LiveValue = d.DeployedValue,
            }).ToList();
        }

        /// <summary>The policy with its resource sets by name (the folder's way), tags from the item.</summary>
        internal static FmsPolicy WithNames(FmsConfigurationItem item)
        {
            var policy = item.Policy!.Clone();
            policy.Scope ??= new PolicyScope();
            policy.Scope.ResourceSetIds = item.ResourceSetNames.ToList();
            policy.Tags = new Dictionary<string, string>(item.Tags);
            policy.PolicyId = null;
            policy.UpdateToken = null;
            return policy;
        }

        private static JsonObject Document(FmsConfigurationItem item)
        {
            // Fields this version does not know (top-level or nested) are kept in the files but neither applied nor compared.
            var json = (JsonObject)JsonNode.Parse(ConfigurationDocuments.Write(item, withUnknownFields: false))!;
            json.Remove("schema");
            return json;
        }

        private static FmsConfigurationDifference Whole(FmsConfigurationItem item, ConfigurationChange change) => new FmsConfigurationDifference
        {
            ChangeValue = change, KindValue = item.KindValue, Region = item.Region, Name = item.Name, Id = item.Id,
            File = change == ConfigurationChange.Added ? item.File : "",
            FolderValue = change == ConfigurationChange.Added ? item.Summary : null,
            LiveValue = change == ConfigurationChange.Removed ? item.Summary : null,
        };

        internal static (ConfigurationKind, string, string) Key(FmsConfigurationItem item) => (item.KindValue, item.Region ?? "", item.Name);
    }
}
