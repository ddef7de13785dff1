using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.PolicyOperations
{
    /// <summary>
    /// Policy reads and writes over the FMS wire client: list, read with tags, validate (with WAF capacity and
    /// the policy quota when connected), create, update with the token the policy was read with, delete.
    /// A concurrent change surfaces as <see cref="FmsConflictException"/> carrying both versions; nothing is overwritten.
    /// </summary>
    public sealed partial class PolicyService
    {
        private readonly IFmsClient _fms;
        private readonly IWafv2Client? _wafv2;

        public PolicyService(IFmsClient fms, IWafv2Client? wafv2 = null, string? region = null)
        {
            _fms = fms ?? throw new ArgumentNullException(nameof(fms));
            _wafv2 = wafv2;
            Region = region;
        }

        /// <summary>The region the client calls; stamped on policies that do not carry one.</summary>
        public string? Region { get; }

        /// <summary>
        /// Where every create, update and delete this service sends is recorded, with its outcome (null records nothing),
        /// and each TagResource/UntagResource an update makes to bring the policy's tags in line (as a change of its Tags).
        /// Only calls actually sent are recorded, so -WhatIf and stale-token refusals leave no entry.
        /// </summary>
        public IChangeJournal? Journal { get; set; }

        // ---- reads ------------------------------------------------------------------------------------

        /// <summary>
        /// Policies whose name matches any pattern and whose type is in <paramref name="types"/> (all when null).
        /// Summaries stream as ListPolicies pages arrive; with <paramref name="detailed"/> each is read with GetPolicy and its tags.
        /// </summary>
        public async IAsyncEnumerable<FmsPolicy> GetPoliciesAsync(IReadOnlyList<Wildcard>? names, IReadOnlyCollection<FmsPolicyType>? types, bool detailed,
            [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var summary in _fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (summary == null || !Wildcard.MatchesAny(summary.PolicyName, names)) continue;
                var policy = PolicyWireMapper.FromSummary(summary, Region);
                if (types != null && types.Count > 0 && !types.Contains(policy.TypeValue)) continue;
                if (detailed && policy.PolicyId != null)
                    yield return await GetPolicyAsync(policy.PolicyId, includeTags: true, ct).ConfigureAwait(false);
                else
                    yield return policy;
            }
        }

        /// <summary>One policy with typed settings (GetPolicy) and, when asked, its tags (ListTagsForResource).</summary>
        public async Task<FmsPolicy> GetPolicyAsync(string policyId, bool includeTags, CancellationToken ct)
        {
            var response = await _fms.GetPolicyAsync(new GetPolicyRequest { PolicyId = policyId }, ct).ConfigureAwait(false);
            List<Tag>? tags = null;
            if (includeTags && !string.IsNullOrEmpty(response.PolicyArn))
            {
                var tagResponse = await _fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = response.PolicyArn }, ct).ConfigureAwait(false);
                tags = tagResponse.TagList ?? new List<Tag>();
            }
            return PolicyWireMapper.FromResponse(response, tags, Region ?? PolicyWireMapper.RegionFromArn(response.PolicyArn));
        }

        /// <summary>The policy with this id and its tags, or null when FMS has no such policy (ResourceNotFoundException).</summary>
        public async Task<FmsPolicy?> FindPolicyAsync(string policyId, CancellationToken ct)
        {
            try
            {
                return await GetPolicyAsync(policyId, includeTags: true, ct).ConfigureAwait(false);
            }
            catch (AwsServiceException e) when (e.ErrorCode == FmsErrorCodes.ResourceNotFoundException)
            {
                return null;
            }
        }

        /// <summary>The policy itself when it has settings; otherwise it is read again with GetPolicy and tags.</summary>
        public async Task<FmsPolicy> EnsureDetailedAsync(FmsPolicy policy, CancellationToken ct)
        {
            if (policy.Settings != null || string.IsNullOrEmpty(policy.PolicyId)) return policy;
            return await GetPolicyAsync(policy.PolicyId!, includeTags: true, ct).ConfigureAwait(false);
        }

        /// <summary>Every policy of this administrator in this region, read in full (for sync and compare by name).</summary>
        public async Task<List<FmsPolicy>> GetAllDetailedAsync(CancellationToken ct)
        {
            var result = new List<FmsPolicy>();
            await foreach (var policy in GetPoliciesAsync(null, null, detailed: true, ct).ConfigureAwait(false)) result.Add(policy);
            return result;
        }

        public async Task<List<PolicySummary>> ListSummariesAsync(CancellationToken ct)
        {
            var result = new List<PolicySummary>();
            await foreach (var summary in _fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
                if (summary != null) result.Add(summary);
            return result;
        }

        /// <summary>The deployed policy a desired one stands for: by PolicyId, otherwise by its (unique) name.</summary>
        public async Task<FmsPolicy> FindDeployedAsync(FmsPolicy desired, CancellationToken ct)
        {
            if (!string.IsNullOrEmpty(desired.PolicyId)) return await GetPolicyAsync(desired.PolicyId!, includeTags: true, ct).ConfigureAwait(false);
            var matches = (await ListSummariesAsync(ct).ConfigureAwait(false))
                .Where(s => string.Equals(s.PolicyName, desired.Name, StringComparison.Ordinal)).ToList();
            if (matches.Count == 0)
                throw new FmsItemException(new FmsError("PolicyNotDeployed", FmsErrorCategory.ObjectNotFound,
                    $"No deployed policy is named '{desired.Name}' and the policy has no PolicyId, so there is nothing to compare it with.", desired.Name));
            if (matches.Count > 1)
                throw new FmsItemException(new FmsError("AmbiguousPolicyName", FmsErrorCategory.InvalidArgument,
                    $"{matches.Count} deployed policies are named '{desired.Name}' ({string.Join(", ", matches.Select(m => m.PolicyId))}); give the policy a PolicyId to choose one.", desired.Name));
            return await GetPolicyAsync(matches[0].PolicyId!, includeTags: true, ct).ConfigureAwait(false);
        }

        // ---- validation -------------------------------------------------------------------------------

        /// <summary>Checks that need no call: the policy alone, with the region it will be put in.</summary>
        public static IReadOnlyList<PolicyFinding> ValidateOffline(FmsPolicy policy, string? region)
            => PolicyValidator.Validate(policy, new PolicyValidationContext { Region = region });

        // ---- writes -----------------------------------------------------------------------------------

        /// <summary>Creates the policy (PutPolicy without an id) with its tags; returns the stored version.</summary>
        public async Task<FmsPolicy> CreateAsync(FmsPolicy policy, CancellationToken ct)
        {
            var wire = PolicyWireMapper.ToWire(policy);
            wire.PolicyId = null;
            wire.PolicyUpdateToken = null;
            var request = new PutPolicyRequest { Policy = wire, TagList = ToTags(policy.Tags) };
            PutPolicyResponse response;
            string? requestId;
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    response = await _fms.PutPolicyAsync(request, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (Journal != null && Sent(e))
                {
                    await RecordAsync(ChangeOperations.CreatePolicy, null, null, policy, e, requestIds.LastRequestId, ct).ConfigureAwait(false);
                    throw;
                }
                requestId = requestIds.LastRequestId;
            }
            var tags = policy.Tags == null ? null : ToTags(policy.Tags) ?? new List<Tag>();
            var created = PolicyWireMapper.FromResponse(response, tags, Region ?? policy.Region);
            await RecordAsync(ChangeOperations.CreatePolicy, created.PolicyId, null, created, null, requestId, ct).ConfigureAwait(false);
            return created;
        }

        /// <summary>
        /// Throws <see cref="FmsConflictException"/> when <paramref name="desired"/> was read with a token other than the
        /// deployed one: someone changed the policy since, and applying would overwrite their change.
        /// </summary>
        public static void EnsureNotStale(FmsPolicy desired, FmsPolicy current)
        {
            if (desired.UpdateToken == null || string.Equals(desired.UpdateToken, current.UpdateToken, StringComparison.Ordinal)) return;
            throw Conflict(desired, current);
        }

        /// <summary>
        /// Updates a deployed policy. <paramref name="desired"/> carries the PolicyId and the token it was read with (or none:
        /// then the token of <paramref name="current"/>, the version the caller compared against, is used). Tags are made
        /// equal to desired.Tags when those are loaded (null leaves tags alone).
        /// </summary>
        public async Task<FmsPolicy> UpdateAsync(FmsPolicy desired, FmsPolicy current, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(current.PolicyId)) throw new ArgumentException("The deployed policy has no PolicyId.", nameof(current));
            EnsureNotStale(desired, current);
            // PutPolicy replaces the whole policy: the members of a newer API that the deployed policy has (GetPolicy's
            // answer) go back unchanged, so that the update does not reset them. They are the service's own values; a
            // file's copy of them (from an earlier export) is not applied, as they are never compared.
            var wire = PolicyWireMapper.ToWire(desired, current.IsDetailed ? current.AdditionalFields : desired.AdditionalFields);
            wire.PolicyId = current.PolicyId;
            wire.PolicyUpdateToken = desired.UpdateToken ?? current.UpdateToken;
            PutPolicyResponse response;
            string? requestId;
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    try
                    {
                        response = await _fms.PutPolicyAsync(new PutPolicyRequest { Policy = wire }, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (Journal != null && Sent(e))
                    {
                        // The call was sent and refused (or its outcome is unknown): recorded before a refusal is told apart from a conflict.
                        await RecordAsync(ChangeOperations.UpdatePolicy, current.PolicyId, current, desired, e, requestIds.LastRequestId, ct).ConfigureAwait(false);
                        throw;
                    }
                }
                catch (AwsServiceException e) when (e.ErrorCode == "InvalidInputException" || e.ErrorCode == "InvalidOperationException")
                {
                    // The error for a stale token is unconfirmed: read again and call it a conflict only when the token moved.
                    var now = await GetPolicyAsync(current.PolicyId!, includeTags: desired.Tags != null, ct).ConfigureAwait(false);
                    if (!string.Equals(now.UpdateToken, wire.PolicyUpdateToken, StringComparison.Ordinal))
                    {
                        var sent = desired.Clone();
                        sent.UpdateToken = wire.PolicyUpdateToken;
                        throw Conflict(sent, now);
                    }
                    throw;
                }
                requestId = requestIds.LastRequestId;
            }
            var arn = response.PolicyArn ?? current.Arn;
            IDictionary<string, string>? tags = current.Tags;
            if (desired.Tags != null && arn != null)
            {
                tags = await SyncTagsAsync(arn, desired.Tags, current.Tags, current.Name, ct).ConfigureAwait(false);
            }
            var stored = PolicyWireMapper.FromResponse(response, null, Region ?? current.Region);
            stored.Tags = tags == null ? null : new SortedDictionary<string, string>(tags, StringComparer.Ordinal);
            await RecordAsync(ChangeOperations.UpdatePolicy, current.PolicyId, current, stored, null, requestId, ct).ConfigureAwait(false);
            return stored;
        }

        /// <summary>Makes the policy's tags equal to <paramref name="desired"/>; each UntagResource and TagResource is journaled as a change of the policy's tags.</summary>
        private async Task<IDictionary<string, string>> SyncTagsAsync(string arn, IDictionary<string, string> desired, IDictionary<string, string>? current, string policyName,
            CancellationToken ct)
        {
            if (current == null)
            {
                var listed = await _fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }, ct).ConfigureAwait(false);
                current = (listed.TagList ?? new List<Tag>()).Where(t => t.Key != null).ToDictionary(t => t.Key!, t => t.Value ?? string.Empty, StringComparer.Ordinal);
            }
            var removed = current.Keys.Where(k => !desired.ContainsKey(k)).ToList();
            var changed = desired.Where(p => !current.TryGetValue(p.Key, out var value) || value != p.Value).ToList();
            var state = new Dictionary<string, string>(current, StringComparer.Ordinal);
            if (removed.Count > 0)
            {
                var after = state.Where(t => !removed.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                await TagCallAsync(ChangeOperations.UntagResource, arn, policyName, state, after,
                    c => _fms.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = removed }, c), ct).ConfigureAwait(false);
                state = after;
            }
            if (changed.Count > 0)
            {
                var after = new Dictionary<string, string>(state, StringComparer.Ordinal);
                foreach (var p in changed) after[p.Key] = p.Value;
                await TagCallAsync(ChangeOperations.TagResource, arn, policyName, state, after,
                    c => _fms.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, TagList = changed.Select(p => new Tag { Key = p.Key, Value = p.Value }).ToList() }, c), ct).ConfigureAwait(false);
            }
            return new SortedDictionary<string, string>(desired, StringComparer.Ordinal);
        }

        private async Task TagCallAsync<T>(string operation, string arn, string policyName, Dictionary<string, string> before, Dictionary<string, string> after,
            Func<CancellationToken, Task<T>> send, CancellationToken ct)
        {
            if (Journal == null)
            {
                await send(ct).ConfigureAwait(false);
                return;
            }
            var change = new ChangeRecord
            {
                TargetType = ChangeTargetType.Tags, Operation = operation, TargetId = arn, TargetName = policyName, Region = Region,
                BeforeDocument = ChangeDocuments.WriteTags(arn, before), AfterDocument = ChangeDocuments.WriteTags(arn, after),
            };
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    await send(ct).ConfigureAwait(false);
                    change.RequestId = requestIds.LastRequestId;
                }
                catch (Exception e) when (Sent(e))
                {
                    change.Error = e;
                    change.RequestId = requestIds.LastRequestId;
                    await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
                    throw;
                }
            }
            await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
        }

        /// <summary>False for a request refused locally before sending (model validation): nothing was sent, so nothing is recorded.</summary>
        private static bool Sent(Exception e) => !(e is AwsRequestValidationException);

        public async Task DeleteAsync(string policyId, bool deleteAllPolicyResources, CancellationToken ct)
        {
            FmsPolicy? before = null;
            if (Journal != null)
            {
                // The journal keeps the deleted policy so it can be recreated; a policy that cannot be read is deleted anyway.
                try
                {
                    before = await GetPolicyAsync(policyId, includeTags: true, ct).ConfigureAwait(false);
                }
                catch (AwsServiceException)
                {
                    before = null;
                }
            }
            string? requestId;
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    await _fms.DeletePolicyAsync(new DeletePolicyRequest { PolicyId = policyId, DeleteAllPolicyResources = deleteAllPolicyResources ? true : (bool?)null }, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (Journal != null && Sent(e))
                {
                    await RecordAsync(ChangeOperations.DeletePolicy, policyId, before, null, e, requestIds.LastRequestId, ct).ConfigureAwait(false);
                    throw;
                }
                requestId = requestIds.LastRequestId;
            }
            await RecordAsync(ChangeOperations.DeletePolicy, policyId, before, null, null, requestId, ct).ConfigureAwait(false);
        }

        /// <summary>Records one policy change; a journal that cannot be written after a successful call is reported as ChangeJournalWriteFailed.</summary>
        private Task RecordAsync(string operation, string? policyId, FmsPolicy? before, FmsPolicy? after, Exception? error, string? requestId, CancellationToken ct)
            => ChangeRecorder.RecordAsync(Journal,
                new PolicyChange { Operation = operation, PolicyId = policyId, Region = Region, Before = before, After = after, Error = error, RequestId = requestId }, ct);

        // ---- messages ---------------------------------------------------------------------------------

        /// <summary>What a create does, for ShouldProcess: type, resource types, scope, remediation.</summary>
        public static string DescribeCreate(FmsPolicy policy)
            => $"Create {policy.TypeName} policy for {DescribeResourceTypes(policy)} in scope {policy.ScopeSummary ?? "(not read)"}; automatic remediation {(policy.RemediationEnabled ? "on" : "off")}"
               + (policy.Region == null ? "" : " (region " + policy.Region + ")");

        public static string DescribeResourceTypes(FmsPolicy policy)
            => policy.ResourceTypes == null ? "resource types not read" : policy.ResourceTypes.Count == 0 ? "no resource types" : string.Join(", ", policy.ResourceTypes);

        public static string Target(FmsPolicy policy)
            => policy.PolicyId == null ? $"policy '{policy.Name}'" : $"policy '{policy.Name}' ({policy.PolicyId})";

        private static FmsConflictException Conflict(FmsPolicy yours, FmsPolicy current)
        {
            var diff = PolicyComparer.Compare(yours, current);
            var detail = diff.IsEqual
                ? "The deployed settings equal yours, but the policy was saved again in between."
                : "The deployed version differs from yours in " + diff.Differences.Count.ToString(CultureInfo.InvariantCulture)
                  + " field(s) (deployed -> yours): " + string.Join("; ", diff.Differences.Select(d => d.ToString())) + ".";
            return new FmsConflictException(Target(current), yours.UpdateToken, current.UpdateToken, yours, current, detail);
        }

        private static List<Tag>? ToTags(IDictionary<string, string>? tags)
            => tags == null || tags.Count == 0 ? null : tags.Select(p => new Tag { Key = p.Key, Value = p.Value }).ToList();
    }
}
