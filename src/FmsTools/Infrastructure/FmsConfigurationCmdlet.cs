using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Aws;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Diagnostics;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// What Compare- and Sync-FmsConfiguration share: the folder, Regions, kinds and the management connection, reading the
    /// folder (stopping on any error before a call) and the live configuration of the same Regions and kinds.
    /// </summary>
    public abstract class FmsConfigurationCmdlet : FmsConfigurationFolderCmdlet
    {
        /// <summary>
        /// The connection of the organization's management account, the only one that may read and change administrator
        /// accounts: a hashtable of connection parameters (ProfileName, ProfileLocation, EndpointUrl, AccessKey, SecretKey,
        /// SessionToken, Region). Without it administrator accounts are not read.
        /// </summary>
        [Parameter]
        public Hashtable? ManagementConnection { get; set; }

        protected sealed class ConfigurationState
        {
            public string Folder { get; set; } = "";
            public List<ConfigurationKind> Kinds { get; set; } = new List<ConfigurationKind>();
            public List<string> Regions { get; set; } = new List<string>();

            /// <summary>The Region administrator accounts are read and changed through (the first Region, else the connection's).</summary>
            public string AdminRegion { get; set; } = "";

            /// <summary>How many objects the folder has in each Region taking part (kinds filtered).</summary>
            public int CountIn(string region) => Desired.Count(i => i.Region == region);
            public List<FmsConfigurationItem> Desired { get; set; } = new List<FmsConfigurationItem>();
            public List<FmsConfigurationItem> Live { get; set; } = new List<FmsConfigurationItem>();

            /// <summary>Live resource set ids by Region and name.</summary>
            public Dictionary<string, Dictionary<string, string>> ResourceSetIds { get; } = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

            /// <summary>Whether administrator accounts were read (a management connection was given and worked).</summary>
            public bool AdminsRead { get; set; }

            public AwsSession? ManagementSession { get; set; }
        }

        /// <summary>
        /// Reads and checks the folder (any error: every finding is written and the command stops before a call), then the
        /// live configuration of the Regions and kinds taking part.
        /// </summary>
        protected ConfigurationState ReadState(string verb)
        {
            var state = new ConfigurationState { Folder = ResolvePath(Path!) };
            state.Kinds = Kinds();
            var read = ConfigurationFolder.Read(state.Folder);
            var findings = read.Findings.Concat(ConfigurationValidator.Validate(read.Items)).ToList();
            var errors = findings.Where(f => f.Severity == "Error").ToList();
            if (errors.Count > 0)
            {
                foreach (var f in errors)
                    WriteFmsError(new FmsError("ConfigurationInvalid", FmsErrorCategory.InvalidData, f.ToString(), f.File));
                throw new FmsTerminatingException(new FmsError("ConfigurationInvalid", FmsErrorCategory.InvalidData,
                    $"{errors.Count} error(s) in the configuration folder (see the errors above); nothing was {verb}.", state.Folder,
                    recommendedAction: "Fix the files (Test-FmsConfiguration -Path shows every finding) and run the command again."));
            }
            foreach (var f in findings) WriteWarning(f.ToString());
            var regions = DistinctRegions();
            if (regions.Count == 0) regions = read.Items.Where(i => i.Region != null).Select(i => i.Region!).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToList();
            // A folder without Region folders (only admin-accounts/) takes part in no Region: it never describes a Region as empty.
            state.Regions = regions;
            state.AdminRegion = regions.Count > 0 ? regions[0] : Session.Region;
            state.Desired = read.Items.Where(i => state.Kinds.Contains(i.KindValue) && (i.Region == null || regions.Contains(i.Region))).ToList();

            foreach (var region in regions)
            {
                InRegion(region, () =>
                {
                    var session = Session;
                    var exporter = new ConfigurationExporter(new Engine.PolicyOperations.PolicyService(session.Fms, session.Wafv2, region),
                        new AdministrationContext(session.Fms, region), region);
                    state.Live.AddRange(Await((r, ct) =>
                    {
                        r.Verbose($"Reading the live configuration of {region}.");
                        return exporter.ReadRegionAsync(state.Kinds, ct);
                    }));
                    state.ResourceSetIds[region] = exporter.ResourceSetIds;
                    return 0;
                });
            }
            if (state.Kinds.Contains(ConfigurationKind.AdminAccount)) ReadAdmins(state, state.AdminRegion);
            return state;
        }

        private void ReadAdmins(ConfigurationState state, string region)
        {
            if (ManagementConnection == null)
            {
                if (state.Desired.Any(i => i.KindValue == ConfigurationKind.AdminAccount))
                    WriteWarning("Administrator accounts were not read: only the organization's management account may read and change them; pass its connection with -ManagementConnection.");
                return;
            }
            state.ManagementSession = OpenManagementSession(region);
            try
            {
                state.Live.AddRange(Await((r, ct) => ConfigurationExporter.ReadAdminAccountsAsync(new AdministrationContext(state.ManagementSession.Fms, region), ct)));
                state.AdminsRead = true;
            }
            catch (Exception e) when (Unwrap(e) is AwsServiceException service && (service.ErrorCode == "AccessDeniedException" || service.ErrorCode == "InvalidOperationException"))
            {
                WriteWarning($"Administrator accounts were not read with -ManagementConnection (is it the organization's management account?): {service.Message}");
            }
        }

        private AwsSession OpenManagementSession(string region)
        {
            string? Text(string key)
            {
                foreach (DictionaryEntry entry in ManagementConnection!)
                {
                    if (!string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) continue;
                    var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                    return value is SecretString secret ? secret.Reveal() : value?.ToString();
                }
                return null;
            }
            var known = new[] { "ProfileName", "ProfileLocation", "EndpointUrl", "AccessKey", "SecretKey", "SessionToken", "Region" };
            foreach (DictionaryEntry entry in ManagementConnection!)
                if (!known.Contains(entry.Key?.ToString() ?? "", StringComparer.OrdinalIgnoreCase))
                    throw new FmsTerminatingException(new FmsError("InvalidManagementConnection", FmsErrorCategory.InvalidArgument,
                        $"-ManagementConnection has the key '{entry.Key}'; its keys are the connection parameters {string.Join(", ", known)}.", "ManagementConnection"));
            var settings = new ConnectionSettings
            {
                Source = "-ManagementConnection",
                ProfileName = Text("ProfileName"),
                ProfilesLocation = Text("ProfileLocation"),
                EndpointUrl = Text("EndpointUrl"),
                Region = Text("Region") ?? region,
                AccessKey = Text("AccessKey"),
                SecretKey = Text("SecretKey"),
                SessionToken = Text("SessionToken"),
            };
            return OpenSession(ConnectionResolver.Resolve(new[] { settings }).Options);
        }
    }
}
