using System.Reflection;

namespace FmsTools.Aws.Runtime
{
    /// <summary>The product version stamped into the assembly, for the user agent.</summary>
    public static class FmsToolsVersion
    {
        public static string Value { get; } = Read();

        /// <summary>The user agent token FmsTools adds to every request, e.g. FmsTools/0.1.0.</summary>
        public static string UserAgentToken => "FmsTools/" + Value;

        private static string Read()
        {
            var assembly = typeof(FmsToolsVersion).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                // The SDK appends "+<commit>"; the user agent carries the release only.
                var plus = informational!.IndexOf('+');
                return plus >= 0 ? informational.Substring(0, plus) : informational;
            }
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }
    }
}
