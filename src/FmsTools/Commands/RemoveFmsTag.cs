namespace FmsTools.Commands
{
    /// <summary>Removes tags (by key) from an FMS resource.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsTag", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsTag))]
    public sealed class RemoveFmsTag : FmsTagCmdlet
    {
        private readonly Dictionary<string, List<string>> _keysByResource = new Dictionary<string, List<string>>();

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsTagKeyCompleter))]
        public string[]? Key { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        // Get-FmsTag | Remove-FmsTag sends one tag per object; gather them into one call per resource.
        protected override void ProcessCore()
        {
            if (!_keysByResource.TryGetValue(ResourceArn!, out var keys)) _keysByResource[ResourceArn!] = keys = new List<string>();
            foreach (var k in Key!) if (!keys.Contains(k)) keys.Add(k);
        }

        private string? _arn;

        /// <summary>Tags are removed (at the end, per resource) in the Region of that resource's ARN.</summary>
        protected override string? InputRegion => RegionOfArn(_arn);

        protected override void EndCore()
        {
            foreach (var pair in _keysByResource)
            {
                _arn = pair.Key;
                var service = new TagService(NewAdministrationContext());
                TryItem(pair.Key, () =>
                {
                    if (!ShouldProcess(pair.Key, "Remove tags " + string.Join(", ", pair.Value))) return;
                    Await((r, ct) => service.RemoveTagsAsync(pair.Key, pair.Value, ct));
                    if (PassThru.IsPresent) StreamOutput((r, ct) => service.GetTagsAsync(pair.Key, ct));
                });
            }
        }
    }
}
