using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>What reading a configuration folder gave: the objects that could be read, and every finding.</summary>
    public sealed class ConfigurationReadResult
    {
        public List<FmsConfigurationItem> Items { get; } = new List<FmsConfigurationItem>();
        public List<FmsConfigurationFinding> Findings { get; } = new List<FmsConfigurationFinding>();
        public bool HasErrors => Findings.Any(f => f.SeverityValue == ConfigurationFindingSeverity.Error);
    }

    /// <summary>Reads and writes a configuration folder in the layout of <see cref="ConfigurationLayout"/>.</summary>
    public static class ConfigurationFolder
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>The file text of an object (policies through PolicyDocumentSerializer, with resource sets by name and no policy id).</summary>
        public static string Text(FmsConfigurationItem item)
        {
            if (item.KindValue != ConfigurationKind.Policy) return ConfigurationDocuments.Write(item);
            var policy = item.Policy!.Clone();
            policy.PolicyId = null;
            policy.Scope ??= new PolicyScope();
            policy.Scope.ResourceSetIds = item.ResourceSetNames.ToList();
            policy.Tags = item.Tags.Count == 0 ? policy.Tags : new Dictionary<string, string>(item.Tags);
            return PolicyDocumentSerializer.Write(policy, includePolicyId: false);
        }

        /// <summary>Objects in file order: Region, kind, name (administrators first).</summary>
        public static List<FmsConfigurationItem> Ordered(IEnumerable<FmsConfigurationItem> items)
            => items.OrderBy(i => i.Region ?? "", StringComparer.Ordinal).ThenBy(i => i.KindValue).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();

        /// <summary>
        /// Gives each object its file (setting <see cref="FmsConfigurationItem.File"/>) and returns (item, absolute path,
        /// text) for each, without writing anything: the caller asks ShouldProcess and then calls <see cref="WriteFile"/>.
        /// </summary>
        public static List<(FmsConfigurationItem Item, string Path, string Text)> Plan(string folder, IEnumerable<FmsConfigurationItem> items)
        {
            var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var plan = new List<(FmsConfigurationItem, string, string)>();
            foreach (var item in Ordered(items))
            {
                item.File = ConfigurationLayout.FileFor(item, taken);
                plan.Add((item, ConfigurationLayout.FullPath(folder, item.File), Text(item)));
            }
            return plan;
        }

        public static void WriteFile(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, Utf8);
        }

        /// <summary>
        /// Files of the exported Regions and kinds that no object of the export owns any more (an object deleted since
        /// the last export): Export-FmsConfiguration -Force removes them so the folder describes the configuration.
        /// </summary>
        public static List<string> StaleFiles(string folder, IEnumerable<string> regions, IReadOnlyCollection<ConfigurationKind> kinds, IEnumerable<string> written)
        {
            var keep = new HashSet<string>(written, StringComparer.OrdinalIgnoreCase);
            var stale = new List<string>();
            void Check(string path) { if (File.Exists(path) && !keep.Contains(path)) stale.Add(path); }
            foreach (var region in regions)
            {
                foreach (var (kind, sub, extension) in ConfigurationLayout.RegionFolders)
                {
                    if (!kinds.Contains(kind)) continue;
                    var dir = Path.Combine(folder, region, sub);
                    if (Directory.Exists(dir)) foreach (var f in Directory.GetFiles(dir, "*" + extension)) Check(f);
                }
                if (kinds.Contains(ConfigurationKind.NotificationChannel)) Check(Path.Combine(folder, region, ConfigurationLayout.NotificationChannelFile));
            }
            var admins = Path.Combine(folder, ConfigurationLayout.AdminAccountsFolder);
            if (kinds.Contains(ConfigurationKind.AdminAccount) && Directory.Exists(admins))
                foreach (var f in Directory.GetFiles(admins, "*" + ConfigurationLayout.AdminAccountExtension)) Check(f);
            stale.Sort(StringComparer.Ordinal);
            return stale;
        }

        /// <summary>
        /// Reads every object of a configuration folder, without calling AWS. Each problem (a file that does not parse,
        /// a field of the wrong type, a file outside the layout) is a finding naming the file and the field; the other
        /// files are still read. References and values are checked afterwards by <see cref="ConfigurationValidator"/>.
        /// </summary>
        public static ConfigurationReadResult Read(string folder)
        {
            var result = new ConfigurationReadResult();
            if (!Directory.Exists(folder))
            {
                result.Findings.Add(Finding(ConfigurationFindingSeverity.Error, "", null, "Configuration.Folder.Missing", $"The folder '{folder}' does not exist."));
                return result;
            }
            foreach (var entry in Directory.GetFileSystemEntries(folder).OrderBy(e => e, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith(".", StringComparison.Ordinal)) continue; // .git, .github, editor files
                if (Directory.Exists(entry) && name == ConfigurationLayout.AdminAccountsFolder)
                    ReadFiles(entry, name, ConfigurationKind.AdminAccount, ConfigurationLayout.AdminAccountExtension, null, result);
                else if (Directory.Exists(entry) && ConfigurationLayout.IsRegionName(name))
                    ReadRegion(entry, name, result);
                else if (!IsDocumentation(name))
                    result.Findings.Add(Finding(ConfigurationFindingSeverity.Warning, name, null, "Configuration.Layout.Unknown",
                        $"'{name}' is not part of the layout (admin-accounts/ and one folder per Region, e.g. us-east-1/); it is ignored."));
            }
            return result;
        }

        private static bool IsDocumentation(string name) => name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);

        private static void ReadRegion(string dir, string region, ConfigurationReadResult result)
        {
            foreach (var entry in Directory.GetFileSystemEntries(dir).OrderBy(e => e, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(entry);
                var relative = region + "/" + name;
                if (name.StartsWith(".", StringComparison.Ordinal)) continue;
                var known = ConfigurationLayout.RegionFolders.FirstOrDefault(k => k.Folder == name);
                if (known.Folder != null && Directory.Exists(entry))
                    ReadFiles(entry, relative, known.Kind, known.Extension, region, result);
                else if (name == ConfigurationLayout.NotificationChannelFile && File.Exists(entry))
                    ReadOne(entry, relative, ConfigurationKind.NotificationChannel, region, result);
                else if (!IsDocumentation(name))
                    result.Findings.Add(Finding(ConfigurationFindingSeverity.Warning, relative, null, "Configuration.Layout.Unknown",
                        $"'{relative}' is not part of the layout (policies/, apps-lists/, protocols-lists/, resource-sets/, {ConfigurationLayout.NotificationChannelFile}); it is ignored."));
            }
        }

        private static void ReadFiles(string dir, string relativeDir, ConfigurationKind kind, string extension, string? region, ConfigurationReadResult result)
        {
            foreach (var entry in Directory.GetFileSystemEntries(dir).OrderBy(e => e, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(entry);
                var relative = relativeDir + "/" + name;
                if (File.Exists(entry) && name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) ReadOne(entry, relative, kind, region, result);
                else if (!name.StartsWith(".", StringComparison.Ordinal) && !IsDocumentation(name))
                    result.Findings.Add(Finding(ConfigurationFindingSeverity.Warning, relative, kind, "Configuration.Layout.Unknown",
                        $"'{relative}' is not a {extension} file; it is ignored."));
            }
        }

        private static void ReadOne(string path, string relative, ConfigurationKind kind, string? region, ConfigurationReadResult result)
        {
            if (kind == ConfigurationKind.Policy)
            {
                var read = PolicyDocumentSerializer.ReadFile(path);
                foreach (var error in read.Errors)
                    result.Findings.Add(new FmsConfigurationFinding
                    {
                        SeverityValue = ConfigurationFindingSeverity.Error, File = relative, Kind = kind.ToString(), Object = read.Policy?.Name,
                        Field = error.Field, Rule = "Configuration.Policy.Document", Message = error.Message,
                    });
                if (read.Policy == null || read.Errors.Count > 0) return;
                var policy = read.Policy;
                var names = policy.Scope?.ResourceSetIds.ToList() ?? new List<string>();
                if (policy.Scope != null) policy.Scope.ResourceSetIds = new List<string>();
                policy.Region = region;
                foreach (var field in Policies.PolicyAdditionalMembers.Paths(policy))
                    result.Findings.Add(new FmsConfigurationFinding
                    {
                        SeverityValue = ConfigurationFindingSeverity.Warning, File = relative, Kind = kind.ToString(), Object = policy.Name,
                        Field = field, Rule = "Configuration.Field.Unknown", Message = field + " " + Policies.PolicyAdditionalMembers.KeptMessage,
                    });
                result.Items.Add(new FmsConfigurationItem
                {
                    KindValue = kind, Region = region, Name = policy.Name, File = relative, Policy = policy, ResourceSetNames = names,
                    Tags = policy.Tags == null ? new Dictionary<string, string>() : new Dictionary<string, string>(policy.Tags),
                });
                return;
            }
            string content;
            try
            {
                var info = new FileInfo(path);
                if (info.Length > (long)PolicyDocumentSerializer.MaxFileCharacters * 4)
                {
                    result.Findings.Add(Finding(ConfigurationFindingSeverity.Error, relative, kind, "Configuration.File.TooLarge", $"the file is {info.Length:N0} bytes; configuration files are limited to {PolicyDocumentSerializer.MaxFileCharacters:N0} characters."));
                    return;
                }
                content = File.ReadAllText(path, new UTF8Encoding(false, true));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException)
            {
                result.Findings.Add(Finding(ConfigurationFindingSeverity.Error, relative, kind, "Configuration.File.Unreadable", "could not be read: " + e.Message));
                return;
            }
            var item = ConfigurationDocuments.Read(kind, relative, content, result.Findings);
            if (item == null) return;
            item.Region = region;
            if (kind == ConfigurationKind.NotificationChannel) item.Name = region ?? "";
            SetRegion(item, region);
            result.Items.Add(item);
        }

        private static void SetRegion(FmsConfigurationItem item, string? region)
        {
            if (item.AppsList != null) item.AppsList.Region = region;
            if (item.ProtocolsList != null) item.ProtocolsList.Region = region;
            if (item.ResourceSet != null) item.ResourceSet.Region = region;
        }

        internal static FmsConfigurationFinding Finding(ConfigurationFindingSeverity severity, string file, ConfigurationKind? kind, string rule, string message, string field = "", string? name = null)
            => new FmsConfigurationFinding { SeverityValue = severity, File = file, Kind = kind?.ToString(), Object = name, Field = field, Rule = rule, Message = message };
    }
}
