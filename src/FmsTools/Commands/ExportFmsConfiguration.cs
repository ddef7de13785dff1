using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Writes the Firewall Manager configuration of one or more Regions to a folder, one readable file per object
    /// (layout: ConfigurationLayout): policies, custom apps and protocols lists, resource sets with their resources,
    /// the notification channel, and the organization's administrators with their scopes. Objects refer to each other
    /// by name. A file whose content is already what it would write is left untouched; a file with other content is
    /// replaced only with -Force, which also removes files of exported Regions and kinds whose object is gone.
    /// </summary>
    [Cmdlet(VerbsData.Export, "FmsConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsConfigurationFile))]
    public sealed class ExportFmsConfiguration : FmsConfigurationFolderCmdlet
    {
        /// <summary>Replace files whose content differs, and remove files of exported Regions and kinds whose object no longer exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndCore()
        {
            var folder = ResolvePath(Path!);
            var kinds = Kinds();
            var regions = DistinctRegions();
            if (regions.Count == 0) regions.Add(Session.Region);

            var items = new List<FmsConfigurationItem>();
            var failed = new List<string>();
            using (var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.ExportConfiguration, "Reading the Firewall Manager configuration", "Regions", regions.Count))
            {
                foreach (var region in regions)
                {
                    CurrentRegion = region;
                    var exporter = new ConfigurationExporter(new Engine.PolicyOperations.PolicyService(Session.Fms, Session.Wafv2, region),
                        new Engine.Administration.AdministrationContext(Session.Fms, region), region);
                    // A Region that could not be read is an error of its own; its files are neither written nor removed.
                    if (!TryItem(region, () => items.AddRange(Await((r, ct) => exporter.ReadRegionAsync(kinds, ct))))) failed.Add(region);
                    foreach (var warning in exporter.Warnings) WriteWarning(warning);
                    progress.Step(region);
                }
            }
            if (kinds.Contains(ConfigurationKind.AdminAccount))
            {
                CurrentRegion = regions[0];
                try
                {
                    items.AddRange(Await((r, ct) => ConfigurationExporter.ReadAdminAccountsAsync(new Engine.Administration.AdministrationContext(Session.Fms, regions[0]), ct)));
                }
                catch (Exception e) when (Unwrap(e) is AwsServiceException service && (service.ErrorCode == "AccessDeniedException" || service.ErrorCode == "InvalidOperationException"))
                {
                    kinds.Remove(ConfigurationKind.AdminAccount); // nothing read: keep the administrators' files as they are
                    // Only the management account may list the organization's administrators.
                    WriteWarning($"Administrator accounts were not exported (only the organization's management account may list them): {service.Message}");
                }
            }
            CurrentRegion = null;

            var written = new List<string>();
            foreach (var (item, file, text) in ConfigurationFolder.Plan(folder, items))
            {
                written.Add(file);
                var exists = File.Exists(file);
                if (exists && Same(file, text))
                {
                    WriteObject(Output(item, file, ConfigurationFileStatus.Unchanged));
                    continue;
                }
                if (exists && !Force.IsPresent)
                {
                    WriteFmsError(new FmsError("FileExists", FmsErrorCategory.ResourceExists,
                        $"'{file}' exists with other content; pass -Force to overwrite it.", file));
                    continue;
                }
                if (!ShouldProcess(file, $"{(exists ? "Overwrite" : "Write")} the file of {item.Kind} '{item.Name}'{(item.Region == null ? "" : " (" + item.Region + ")")}", Force.IsPresent)) continue;
                TryItem(file, () =>
                {
                    Write(() => ConfigurationFolder.WriteFile(file, text), file);
                    WriteObject(Output(item, file, exists ? ConfigurationFileStatus.Overwritten : ConfigurationFileStatus.Written));
                });
            }
            if (!Force.IsPresent) return;
            foreach (var stale in ConfigurationFolder.StaleFiles(folder, regions.Except(failed), kinds, written))
            {
                if (!ShouldProcess(stale, "Remove the file of an object that no longer exists", true)) continue;
                TryItem(stale, () =>
                {
                    Write(() => File.Delete(stale), stale);
                    var relative = stale.Substring(folder.Length).TrimStart(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar).Replace('\\', '/');
                    WriteObject(new FmsConfigurationFile { StatusValue = ConfigurationFileStatus.Removed, File = relative, FullName = stale, Name = System.IO.Path.GetFileName(stale) });
                });
            }
        }

        private static bool Same(string file, string text)
        {
            try
            {
                return File.ReadAllText(file, new UTF8Encoding(false)) == text;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static void Write(Action write, string file)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FmsItemException(new FmsError("ExportFailed", FmsErrorCategory.WriteError, $"Could not write '{file}': {e.Message}", file, e));
            }
        }

        private static FmsConfigurationFile Output(FmsConfigurationItem item, string file, ConfigurationFileStatus status) => new FmsConfigurationFile
        {
            StatusValue = status, Kind = item.Kind, Region = item.Region, Name = item.Name, File = item.File, FullName = file,
        };
    }
}
