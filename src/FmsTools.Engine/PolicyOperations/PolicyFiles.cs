using System.IO;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.PolicyOperations
{
    /// <summary>The policy files a set of paths names, and the problems finding them.</summary>
    public sealed class PolicyFileSet
    {
        public List<string> Files { get; } = new List<string>();

        public List<FmsError> Errors { get; } = new List<FmsError>();
    }

    /// <summary>
    /// Turns user paths (already made absolute) into policy files: a file is taken as is, a folder gives its
    /// *.fmspolicy.json files (with subfolders when recursing), and PowerShell wildcards may appear in any segment.
    /// </summary>
    public static class PolicyFiles
    {
        public static PolicyFileSet Expand(IEnumerable<string> absolutePaths, bool recurse)
        {
            var result = new PolicyFileSet();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in absolutePaths)
            {
                var matches = Wildcard.HasWildcards(path) ? Glob(path) : new List<string> { path };
                if (matches.Count == 0)
                {
                    result.Errors.Add(new FmsError("PathNotFound", FmsErrorCategory.ObjectNotFound, $"No file or folder matches '{path}'.", path));
                    continue;
                }
                foreach (var match in matches)
                {
                    if (Directory.Exists(match))
                    {
                        var option = recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                        foreach (var file in Directory.GetFiles(match, "*" + PolicyDocumentSerializer.FileExtension, option).OrderBy(f => f, StringComparer.Ordinal))
                            if (seen.Add(file)) result.Files.Add(file);
                    }
                    else if (File.Exists(match))
                    {
                        if (seen.Add(match)) result.Files.Add(match);
                    }
                    else
                    {
                        result.Errors.Add(new FmsError("PathNotFound", FmsErrorCategory.ObjectNotFound, $"'{match}' does not exist.", match));
                    }
                }
            }
            return result;
        }

        /// <summary>Every existing path matching a pattern whose segments may hold wildcards.</summary>
        private static List<string> Glob(string pattern)
        {
            var root = Path.GetPathRoot(pattern) ?? string.Empty;
            var segments = pattern.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            var current = new List<string> { root.Length == 0 ? "." : root };
            for (var i = 0; i < segments.Length; i++)
            {
                var segment = segments[i];
                var last = i == segments.Length - 1;
                var next = new List<string>();
                foreach (var directory in current)
                {
                    if (!Directory.Exists(directory)) continue;
                    if (!Wildcard.HasWildcards(segment))
                    {
                        next.Add(Path.Combine(directory, segment));
                        continue;
                    }
                    var wildcard = new Wildcard(segment);
                    var entries = last ? Directory.GetFileSystemEntries(directory) : Directory.GetDirectories(directory);
                    next.AddRange(entries.Where(e => wildcard.IsMatch(Path.GetFileName(e))).OrderBy(e => e, StringComparer.Ordinal));
                }
                current = next;
            }
            return current.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        }
    }
}
