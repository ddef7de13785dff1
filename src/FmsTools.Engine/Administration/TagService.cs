using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>The tags of FMS resources: policies, apps lists, protocols lists and resource sets, by ARN.</summary>
    public sealed class TagService
    {
        /// <summary>Tags one TagResource call sets at most.</summary>
        public const int MaxTagsPerCall = 200;

        private readonly AdministrationContext _context;

        public TagService(AdministrationContext context)
        {
            _context = context;
        }

        private IFmsClient Fms => _context.Fms;

        public async IAsyncEnumerable<FmsTag> GetTagsAsync(string resourceArn, [EnumeratorCancellation] CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            InputRules.ThrowIfAny(findings);
            var r = await Fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = resourceArn }, ct).ConfigureAwait(false);
            foreach (var t in (r.TagList ?? new List<Tag>()).OrderBy(t => t.Key, StringComparer.Ordinal))
                yield return new FmsTag { ResourceArn = resourceArn, Key = t.Key ?? "", Value = t.Value ?? "" };
        }

        public async Task SetTagsAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            if (tags.Count == 0) findings.Add(new InputFinding("Tag", "Tag.Required", "Tag needs at least one key."));
            if (tags.Count > MaxTagsPerCall) findings.Add(new InputFinding("Tag", "Tag.Quota", $"Tag has {tags.Count} entries; at most {MaxTagsPerCall} can be set in one call."));
            foreach (var t in tags) InputRules.Tag(findings, $"Tag[{t.Key}]", t.Key, t.Value);
            InputRules.ThrowIfAny(findings);
            var tagList = AdministrationContext.ToTags(tags)!;
            var change = _context.Change(ChangeTargetType.Tags, ChangeOperations.TagResource, resourceArn);
            if (change != null)
            {
                var before = await TagsBeforeAsync(resourceArn, ct).ConfigureAwait(false);
                Dictionary<string, string>? after = null;
                if (before != null)
                {
                    after = new Dictionary<string, string>(before, StringComparer.Ordinal);
                    foreach (var t in tags) after[t.Key] = t.Value ?? "";
                }
                change.BeforeDocument = ChangeDocuments.WriteTags(resourceArn, before);
                change.AfterDocument = ChangeDocuments.WriteTags(resourceArn, after ?? tags.ToDictionary(t => t.Key, t => t.Value ?? ""));
            }
            await _context.SendAsync(change, c => Fms.TagResourceAsync(new TagResourceRequest { ResourceArn = resourceArn, TagList = tagList }, c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, resourceArn, null, change?.AfterDocument, ct).ConfigureAwait(false);
        }

        public async Task RemoveTagsAsync(string resourceArn, IReadOnlyList<string> keys, CancellationToken ct)
        {
            var findings = new List<InputFinding>();
            InputRules.TaggableArn(findings, "ResourceArn", resourceArn);
            if (keys.Count == 0) findings.Add(new InputFinding("Key", "Tag.Required", "Key needs at least one tag key."));
            InputRules.ThrowIfAny(findings);
            var change = _context.Change(ChangeTargetType.Tags, ChangeOperations.UntagResource, resourceArn);
            if (change != null)
            {
                var before = await TagsBeforeAsync(resourceArn, ct).ConfigureAwait(false);
                change.BeforeDocument = ChangeDocuments.WriteTags(resourceArn, before);
                change.AfterDocument = ChangeDocuments.WriteTags(resourceArn, before?.Where(t => !keys.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
            }
            await _context.SendAsync(change, c => Fms.UntagResourceAsync(new UntagResourceRequest { ResourceArn = resourceArn, TagKeys = keys.ToList() }, c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, resourceArn, null, change?.AfterDocument, ct).ConfigureAwait(false);
        }

        private async Task<Dictionary<string, string>?> TagsBeforeAsync(string resourceArn, CancellationToken ct)
        {
            var listed = await _context.BeforeAsync(c => Fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = resourceArn }, c), ct).ConfigureAwait(false);
            return listed == null ? null
                : (listed.TagList ?? new List<Tag>()).Where(t => t.Key != null).GroupBy(t => t.Key!).ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal);
        }
    }
}
