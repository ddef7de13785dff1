using System;
using System.IO;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>Where the repository and the build outputs are, seen from the test assembly.</summary>
    public static class RepoPaths
    {
        public static string Root { get; } = FindRoot();

        /// <summary>Debug or Release, as the test assembly was built.</summary>
        public static string Configuration { get; } = FindConfiguration();

        public static string TestOutput => AppContext.BaseDirectory;

        public static string InRepo(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FmsTools.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("The tests run from inside the FmsTools repository.");
        }

        private static string FindConfiguration()
        {
            var parts = AppContext.BaseDirectory.Replace('\\', '/').Split('/');
            var bin = Array.LastIndexOf(parts, "bin");
            return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
        }
    }
}
