namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Shared body of Add-/Remove-FmsResourceSetResource: pipeline input is gathered per resource set (and the Region it
    /// lives in, when piped) and sent in batches of 100 instead of one call per resource; each resource gets a result or an error.
    /// </summary>
    public abstract class ResourceSetMembershipCmdlet : FmsPipedRegionCmdlet
    {
        private readonly Dictionary<(string Region, string SetId), List<string>> _pending = new Dictionary<(string Region, string SetId), List<string>>();

        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetIdCompleter))]
        public string? ResourceSetId { get; set; }

        /// <summary>Resource ARNs (or URIs) to add to or remove from the set.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsResourceSetUriCompleter))]
        public string[]? Uri { get; set; }

        /// <summary>True to associate, false to disassociate.</summary>
        protected abstract bool Associate { get; }

        protected override void ProcessCore()
        {
            var key = (Region ?? "", ResourceSetId!);
            if (!_pending.TryGetValue(key, out var uris)) _pending[key] = uris = new List<string>();
            uris.AddRange(Uri!);
        }

        protected override void EndCore()
        {
            var verb = Associate ? "Associate" : "Disassociate";
            using var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.ResourceSetResources,
                Associate ? "Adding resources to resource sets" : "Removing resources from resource sets", "resources",
                System.Linq.Enumerable.Sum(_pending.Values, u => u.Count));
            foreach (var pair in _pending)
            {
                var setId = pair.Key.SetId;
                var uris = pair.Value;
                // Each set is changed in the Region it was given or piped with.
                Region = pair.Key.Region.Length == 0 ? null : pair.Key.Region;
                var service = new ResourceSetService(NewAdministrationContext());
                TryItem(setId, () =>
                {
                    var sample = string.Join(", ", uris.GetRange(0, System.Math.Min(3, uris.Count))) + (uris.Count > 3 ? ", ..." : "");
                    if (!ShouldProcess($"resource set {setId}", $"{verb} {uris.Count} resource(s): {sample}")) return;
                    Stream((r, ct) => service.ChangeResourcesAsync(setId, uris, Associate, ct), change =>
                    {
                        progress.Step(change.Uri);
                        WriteChange(change);
                    });
                });
            }
        }

        private void WriteChange(FmsResourceSetChange change)
        {
            if (change.Succeeded)
            {
                WriteObject(change);
                return;
            }
            WriteFmsError(new FmsError("ResourceSet" + change.Action + "Failed", FmsErrorCategory.InvalidOperation,
                $"{change.Action} {change.Uri} with resource set {change.ResourceSetId} failed: {change.FailureReason ?? "no reason given"}.", change));
        }
    }
}
