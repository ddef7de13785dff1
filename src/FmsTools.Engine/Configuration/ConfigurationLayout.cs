using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>
    /// Where each object lives in a configuration folder:
    /// <code>
    /// admin-accounts/&lt;account id&gt;.fmsadmin.json             administrators and their scopes (organization-wide)
    /// &lt;region&gt;/notification-channel.fmschannel.json         the Region's notification channel
    /// &lt;region&gt;/policies/&lt;name&gt;.fmspolicy.json               policies (PolicyDocumentSerializer; resource sets by name)
    /// &lt;region&gt;/apps-lists/&lt;name&gt;.fmsappslist.json            apps lists
    /// &lt;region&gt;/protocols-lists/&lt;name&gt;.fmsprotocolslist.json  protocols lists
    /// &lt;region&gt;/resource-sets/&lt;name&gt;.fmsresourceset.json      resource sets with their member resources
    /// </code>
    /// File names come from object names (reduced to safe characters); the name inside the file is what counts.
    /// Tags are part of their object's file. Paths use '/' in findings and items whatever the platform.
    /// </summary>
    public static class ConfigurationLayout
    {
        public const string AdminAccountsFolder = "admin-accounts";
        public const string NotificationChannelFile = "notification-channel.fmschannel.json";

        private static readonly (ConfigurationKind Kind, string Folder, string Extension)[] RegionKinds =
        {
            (ConfigurationKind.Policy, "policies", PolicyDocumentSerializer.FileExtension),
            (ConfigurationKind.AppsList, "apps-lists", ".fmsappslist.json"),
            (ConfigurationKind.ProtocolsList, "protocols-lists", ".fmsprotocolslist.json"),
            (ConfigurationKind.ResourceSet, "resource-sets", ".fmsresourceset.json"),
        };

        public const string AdminAccountExtension = ".fmsadmin.json";

        /// <summary>The folder (relative, '/' separated) and file extension of a kind kept per Region in its own folder.</summary>
        public static (string Folder, string Extension) FolderOf(ConfigurationKind kind)
        {
            foreach (var k in RegionKinds) if (k.Kind == kind) return (k.Folder, k.Extension);
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kept in a single file, not a folder");
        }

        /// <summary>The kinds kept one file per object in a folder of each Region.</summary>
        public static IEnumerable<(ConfigurationKind Kind, string Folder, string Extension)> RegionFolders => RegionKinds;

        /// <summary>
        /// The relative file for an object; <paramref name="taken"/> holds the files already given out, so two
        /// objects whose names reduce to the same stem get "-2", "-3" appended instead of overwriting each other.
        /// </summary>
        public static string FileFor(FmsConfigurationItem item, ISet<string> taken)
        {
            string candidate;
            switch (item.KindValue)
            {
                case ConfigurationKind.NotificationChannel:
                    candidate = item.Region + "/" + NotificationChannelFile;
                    taken.Add(candidate);
                    return candidate;
                case ConfigurationKind.AdminAccount:
                    candidate = AdminAccountsFolder + "/" + Stem(item.Name, "account") + AdminAccountExtension;
                    taken.Add(candidate);
                    return candidate;
            }
            var (folder, extension) = FolderOf(item.KindValue);
            var stem = Stem(item.Name, item.KindValue.ToString().ToLowerInvariant());
            var prefix = item.Region + "/" + folder + "/";
            candidate = prefix + stem + extension;
            for (var n = 2; taken.Contains(candidate); n++) candidate = prefix + stem + "-" + n + extension;
            taken.Add(candidate);
            return candidate;
        }

        /// <summary>A file stem from a name: PolicyDocumentSerializer's safe-name rules (no separators, "..", device names).</summary>
        private static string Stem(string name, string fallback)
        {
            var file = PolicyDocumentSerializer.SafeFileName(new FmsPolicy { Name = name });
            var stem = file.Substring(0, file.Length - PolicyDocumentSerializer.FileExtension.Length);
            return stem == "policy" && !string.Equals(name, "policy", StringComparison.Ordinal) ? fallback : stem;
        }

        /// <summary>The absolute path of a relative ('/' separated) file in <paramref name="folder"/>.</summary>
        public static string FullPath(string folder, string relative) => Path.Combine(new[] { folder }.Concat(relative.Split('/')).ToArray());

        /// <summary>Whether a folder name is a Region (us-east-1, us-gov-west-1, ...).</summary>
        public static bool IsRegionName(string name) => Diagnostics.ModelPatterns.AwsRegion.IsMatch(name);
    }
}
