using System.Collections.Generic;
using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>Associates resources with a resource set, in batches, one result per resource.</summary>
    [Cmdlet(VerbsCommon.Add, "FmsResourceSetResource", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsResourceSetChange))]
    public sealed class AddFmsResourceSetResource : FmsConnectedCmdlet
    {
        private readonly Dictionary<string, List<string>> _pending = new Dictionary<string, List<string>>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string? ResourceSetId { get; set; }

        /// <summary>Resource ARNs (or URIs) to associate.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string[]? Uri { get; set; }

        // Collect pipeline input so resources are sent in batches of 100 rather than one call each.
        protected override void ProcessCore()
        {
            if (!_pending.TryGetValue(ResourceSetId!, out var uris)) _pending[ResourceSetId!] = uris = new List<string>();
            uris.AddRange(Uri!);
        }

        private void WriteChange(FmsResourceSetChange change)
        {
            if (change.Succeeded)
            {
                CommandHost.WriteObject(change);
                return;
            }
            WriteFmsError(new FmsTools.Engine.Diagnostics.FmsError("ResourceSet" + change.Action + "Failed", FmsTools.Engine.Diagnostics.FmsErrorCategory.InvalidOperation,
                $"{change.Action} {change.Uri} with resource set {change.ResourceSetId} failed: {change.FailureReason ?? "no reason given"}.", change));
        }

        protected override void EndCore()
        {
            var service = new AdministrationService(Session.Fms);
            using var progress = new CmdletProgress(CommandHost.WriteProgress, ProgressActivity.ResourceSetResources, "Adding resources to resource sets", "resources",
                System.Linq.Enumerable.Sum(_pending.Values, u => u.Count));
            foreach (var pair in _pending)
            {
                var setId = pair.Key;
                var uris = pair.Value;
                TryItem(setId, () =>
                {
                    if (!CommandHost.ShouldProcess($"resource set {setId}", $"Associate {uris.Count} resource(s): {string.Join(", ", uris.GetRange(0, System.Math.Min(3, uris.Count)))}{(uris.Count > 3 ? ", ..." : "")}")) return;
                    Stream((r, ct) => service.ChangeResourceSetResourcesAsync(setId, uris, associate: true, ct), change =>
                    {
                        progress.Step(change.Uri);
                        WriteChange(change);
                    });
                });
            }
        }
    }
}
