using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Internal.Util;

namespace FmsTools.Aws
{
    /// <summary>
    /// The endpoint settings of the shared AWS config file: a profile's endpoint_url, services and
    /// ignore_configured_endpoint_urls, and the [services NAME] sections. The file is the one the SDK's profile store reads
    /// (AWS_CONFIG_FILE, else the config file beside the shared credentials file), parsed with the SDK's own INI reader.
    /// Read here rather than from the SDK's CredentialProfile because that one drops a profile's endpoint_url when the
    /// profile also names a services section, and keeps the services section internal.
    /// </summary>
    internal sealed class AwsSharedConfig
    {
        private readonly ProfileIniFile? _file;

        private AwsSharedConfig(string? path, ProfileIniFile? file)
        {
            Path = path;
            _file = file;
        }

        /// <summary>The config file read, or null when there is none.</summary>
        public string? Path { get; }

        public static AwsSharedConfig Load(AwsConnectionOptions options)
        {
            string? path;
            try
            {
                // As the SDK's profile store: AWS_CONFIG_FILE when it is set, else "config" beside the credentials file.
                var configured = options.Environment(SharedCredentialsFile.SharedConfigFileEnvVar);
                if (!string.IsNullOrWhiteSpace(configured))
                {
                    path = configured!.Trim();
                }
                else
                {
                    var shared = new SharedCredentialsFile(string.IsNullOrWhiteSpace(options.ProfilesLocation) ? null : options.ProfilesLocation);
                    path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(shared.FilePath) ?? "", "config");
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return new AwsSharedConfig(null, null);
            }
            if (string.IsNullOrEmpty(path) || !File.Exists(path)) return new AwsSharedConfig(path, null);
            try
            {
                return new AwsSharedConfig(path, new ProfileIniFile(path, profileMarkerRequired: true));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new AwsSharedConfig(path, null);
            }
        }

        /// <summary>The settings of [profile NAME] ([default] for the default profile), or null when the file has no such profile.</summary>
        public IReadOnlyDictionary<string, string>? Profile(string name)
        {
            if (_file == null) return null;
            var pattern = name == SharedCredentialsFile.DefaultProfileName
                ? "^(profile[ \\t]+)?default$"
                : "^profile[ \\t]+" + Regex.Escape(name) + "$";
            return _file.TryGetSection(new Regex(pattern, RegexOptions.Singleline), out Dictionary<string, string> properties,
                out Dictionary<string, Dictionary<string, string>> _)
                ? CaseInsensitive(properties)
                : null;
        }

        /// <summary>The per-service settings of [services NAME] (service key, e.g. fms, to its settings), or null when there is no such section.</summary>
        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Services(string name)
        {
            if (_file == null) return null;
            if (!_file.TryGetSection(new Regex("^services[ \\t]+" + Regex.Escape(name) + "$", RegexOptions.Singleline), out Dictionary<string, string> _,
                    out Dictionary<string, Dictionary<string, string>> nested))
                return null;
            var services = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
            if (nested != null)
                foreach (var pair in nested) services[pair.Key.Trim()] = CaseInsensitive(pair.Value);
            return services;
        }

        private static IReadOnlyDictionary<string, string> CaseInsensitive(Dictionary<string, string>? properties)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (properties != null)
                foreach (var pair in properties) result[pair.Key.Trim()] = pair.Value?.Trim() ?? "";
            return result;
        }
    }
}
