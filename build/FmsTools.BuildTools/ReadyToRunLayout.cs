using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FmsTools.BuildTools
{
    /// <summary>
    /// The ReadyToRun part of the layout: precompiled images of some module assemblies, per runtime identifier, in
    /// Dependencies/ReadyToRun/&lt;rid&gt;/, next to (never instead of) the IL assemblies in Dependencies/. FmsTools.Loader
    /// picks them on PowerShell 7 when the platform matches; Windows PowerShell 5.1 (.NET Framework) and every other
    /// platform load the IL assemblies.
    /// </summary>
    public static class ReadyToRunLayout
    {
        /// <summary>The folder under Dependencies/ (FmsTools.Loader.FmsModuleLoadContext.ReadyToRunFolder).</summary>
        public const string Folder = "ReadyToRun";

        /// <summary>
        /// Copies the ReadyToRun images found in <paramref name="readyToRunRoot"/>/&lt;rid&gt;/ (build/FmsTools.ReadyToRun
        /// published per rid) for the assemblies the module ships in <paramref name="dependencies"/>. Each image must be
        /// the same build as the IL assembly beside it (same module version id); a rid folder without any image is an error.
        /// </summary>
        public static IReadOnlyList<string> Copy(string readyToRunRoot, string dependencies)
        {
            var copied = new List<string>();
            foreach (var ridDir in Directory.GetDirectories(readyToRunRoot).OrderBy(d => d, StringComparer.Ordinal))
            {
                var rid = Path.GetFileName(ridDir);
                var target = Path.Combine(dependencies, Folder, rid);
                var images = Directory.GetFiles(ridDir, "*.dll")
                    .Where(f => File.Exists(Path.Combine(dependencies, Path.GetFileName(f))) && IsReadyToRun(f))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (images.Count == 0) throw new InvalidOperationException($"{ridDir} has no ReadyToRun image of an assembly the module ships.");
                Directory.CreateDirectory(target);
                foreach (var image in images)
                {
                    var name = Path.GetFileName(image);
                    var il = Path.Combine(dependencies, name);
                    // The very assembly shipped (not, say, a package's build for another framework: AWSSDK.Core's net10.0 lib
                    // does not work with the netstandard2.0 AWSSDK.SecurityToken the module ships).
                    if (ModuleVersionId(image) != ModuleVersionId(il))
                        throw new InvalidOperationException($"{image} is not the same build as {il} (module version ids differ): rebuild both.");
                    File.Copy(image, Path.Combine(target, name), overwrite: true);
                    copied.Add(rid + "/" + name);
                }
            }
            return copied;
        }

        /// <summary>True for a ReadyToRun image (IL plus precompiled code: the CLI header's managed native header is set).</summary>
        public static bool IsReadyToRun(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var cor = pe.PEHeaders.CorHeader;
            return cor != null && cor.ManagedNativeHeaderDirectory.Size > 0;
        }

        /// <summary>The module version id of an assembly's manifest module (the same for an IL assembly and its image).</summary>
        public static Guid ModuleVersionId(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
    }
}
