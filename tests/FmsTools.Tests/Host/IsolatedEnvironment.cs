using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// The process environment of a machine with no AWS credentials anywhere, whatever the test machine has: every AWS_*
    /// variable removed, the shared credentials and config files pointed at empty files, instance metadata turned off; and
    /// the change journal in a folder of its own. Restored on Dispose. The environment is process-wide, so only tests in the
    /// RunsAlone collection (run after the parallel ones, one at a time) may use it.
    /// </summary>
    internal sealed class IsolatedEnvironment : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>(StringComparer.Ordinal);

        public IsolatedEnvironment()
        {
            Folder = Directory.CreateTempSubdirectory("fmstools-isolated-").FullName;
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                var name = (string)variable.Key;
                if (name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)) Set(name, null);
            }
            var credentials = Path.Combine(Folder, "credentials");
            var config = Path.Combine(Folder, "config");
            File.WriteAllText(credentials, "");
            File.WriteAllText(config, "");
            Set("AWS_SHARED_CREDENTIALS_FILE", credentials);
            Set("AWS_CONFIG_FILE", config);
            Set("AWS_EC2_METADATA_DISABLED", "true");
            Journal = Path.Combine(Folder, "journal");
            Set("FMSTOOLS_JOURNAL", Journal);
        }

        /// <summary>A folder of this environment's own, deleted on Dispose.</summary>
        public string Folder { get; }

        /// <summary>Where the change journal goes while the environment is in force.</summary>
        public string Journal { get; }

        public void Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var pair in _saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere: the temporary folder is left behind, nothing else.
            }
        }
    }
}
