using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Infrastructure
{
    /// <summary>One policy file as read: the policy, or null when the file had errors (already written).</summary>
    internal sealed class PolicyFileRead
    {
        public PolicyFileRead(string file, FmsPolicy? policy)
        {
            File = file;
            Policy = policy;
        }

        public string File { get; }

        public FmsPolicy? Policy { get; }
    }

    /// <summary>
    /// Reads policy files for Import-, Test- and Sync-FmsPolicy: paths resolved against the current location, folders
    /// and wildcards expanded, and each bad file (or path that matches nothing) written as a non-terminating error that
    /// names the file and the field. A member of a newer API the file keeps (an upper-case field) is a warning naming
    /// the file, the policy and the field.
    /// </summary>
    internal static class PolicyFileReader
    {
        public static List<PolicyFileRead> Read(FmsCmdlet host, IEnumerable<string> paths, bool recurse)
            => Read(host, paths, recurse, out _);

        /// <summary>As Read, also counting the paths that matched nothing (each already written as an error).</summary>
        public static List<PolicyFileRead> Read(FmsCmdlet host, IEnumerable<string> paths, bool recurse, out int pathErrors)
        {
            var set = PolicyFiles.Expand(paths.Select(host.ResolvePath), recurse);
            pathErrors = set.Errors.Count;
            foreach (var error in set.Errors) host.WriteFmsError(error);
            var result = new List<PolicyFileRead>();
            foreach (var file in set.Files)
            {
                var read = PolicyDocumentSerializer.ReadFile(file);
                foreach (var error in read.Errors) host.WriteFmsError(error.ToFmsError());
                if (read.Success)
                {
                    host.WriteVerbose($"Read policy '{read.Policy!.Name}' ({read.Policy.TypeName}) from {file}.");
                    foreach (var field in PolicyAdditionalMembers.Paths(read.Policy))
                        host.WriteWarning($"{file}: policy '{read.Policy.Name}': {field} {PolicyAdditionalMembers.KeptMessage}");
                }
                result.Add(new PolicyFileRead(file, read.Success ? read.Policy : null));
            }
            return result;
        }
    }
}
