using System;
using System.Collections.Generic;
using System.Linq;
using Amazon.Runtime.CredentialManagement;

namespace FmsTools.Aws
{
    /// <summary>
    /// The credential profiles -ProfileName can name, read from the same places the connection reads them (the
    /// profiles file given, else the shared credentials and config files, and the .NET SDK credential store).
    /// For tab completion: reads local files only, never calls anything, and never throws.
    /// </summary>
    public static class AwsProfileNames
    {
        /// <summary>Profile names with the region each one sets (null when it sets none), sorted by name.</summary>
        public static IReadOnlyList<KeyValuePair<string, string?>> List(string? profilesLocation)
        {
            try
            {
                var chain = new CredentialProfileStoreChain(string.IsNullOrWhiteSpace(profilesLocation) ? null : profilesLocation);
                return chain.ListProfiles()
                    .Where(p => !string.IsNullOrEmpty(p.Name))
                    .GroupBy(p => p.Name, StringComparer.Ordinal)
                    .Select(g => new KeyValuePair<string, string?>(g.Key, g.First().Region?.SystemName))
                    .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                    .ToList();
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return new KeyValuePair<string, string?>[0];
            }
        }
    }
}
