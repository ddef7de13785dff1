using System.IO;
using System.Text;
using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Commands
{
    /// <summary>
    /// Writes policies as policy-as-code files, one *.fmspolicy.json per policy, reading each in full first when it is
    /// only a summary. Existing files are kept unless -Force is given.
    /// </summary>
    [Cmdlet(VerbsData.Export, "FmsPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(PolicyFileInfo))]
    public sealed class ExportFmsPolicy : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public FmsPolicy? InputObject { get; set; }

        /// <summary>The folder to write to; created when missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string? Path { get; set; }

        /// <summary>Overwrite files that exist, without a prompt unless -Confirm is given (as Export-FmsComplianceReport -Force).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Leave policyId out of the files, so they describe new policies (e.g. for another region or organization).</summary>
        [Parameter]
        public SwitchParameter NoPolicyId { get; set; }

        // One bar for the whole pipeline of exported policies; completed in EndCore.
        private CmdletProgress? _progress;

        /// <summary>A piped summary is read in full in its own Region.</summary>
        protected override string? InputRegion => InputObject?.Region;

        protected override void ProcessCore()
        {
            _progress ??= new CmdletProgress(WriteFmsProgress, ProgressActivity.ExportPolicies, "Exporting Firewall Manager policies", "policies");
            TryItem(InputObject?.Name, () =>
            {
                var policy = InputObject!;
                if (policy.Settings == null && policy.PolicyId != null)
                {
                    var service = new PolicyService(Session.Fms, Session.Wafv2, Session.Region);
                    policy = Await((r, ct) => service.EnsureDetailedAsync(InputObject!, ct));
                }
                if (policy.Settings == null)
                    throw new FmsItemException(new FmsError("PolicyNotDetailed", FmsErrorCategory.InvalidData,
                        $"Policy '{policy.Name}' has no settings and no PolicyId to read them with; nothing to export.", policy.Name));

                var folder = ResolvePath(Path!);
                var file = System.IO.Path.Combine(folder, PolicyDocumentSerializer.SafeFileName(NoPolicyId.IsPresent ? Unbound(policy) : policy));
                var exists = File.Exists(file);
                if (exists && !Force.IsPresent)
                    throw new FmsItemException(new FmsError("FileExists", FmsErrorCategory.ResourceExists,
                        $"'{file}' exists; pass -Force to overwrite it.", file));
                if (!ShouldProcess(file, $"{(exists ? "Overwrite" : "Write")} policy file for {policy.TypeName} policy '{policy.Name}'", Force.IsPresent)) return;
                try
                {
                    Directory.CreateDirectory(folder);
                    File.WriteAllText(file, PolicyDocumentSerializer.Write(policy, includePolicyId: !NoPolicyId.IsPresent), new UTF8Encoding(false));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new FmsItemException(new FmsError("ExportFailed", FmsErrorCategory.WriteError, $"Could not write '{file}': {e.Message}", file, e));
                }
                _progress.Step(file);
                var info = new FileInfo(file);
                WriteObject(new PolicyFileInfo
                {
                    Name = info.Name,
                    FullName = info.FullName,
                    DirectoryName = info.DirectoryName,
                    Length = info.Length,
                    LastWriteTime = info.LastWriteTime,
                    PolicyName = policy.Name,
                    PolicyId = NoPolicyId.IsPresent ? null : policy.PolicyId,
                    PolicyType = policy.TypeName,
                    Overwritten = exists,
                });
            });
        }

        protected override void EndCore() => _progress?.Dispose();

        private static FmsPolicy Unbound(FmsPolicy policy)
        {
            var copy = policy.Clone();
            copy.PolicyId = null;
            return copy;
        }
    }
}
