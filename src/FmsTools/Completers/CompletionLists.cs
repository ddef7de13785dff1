using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;

namespace FmsTools.Completers
{
    /// <summary>Where each kind's values come from, and what else on the command line narrows them.</summary>
    internal sealed partial class CompletionEngine
    {
        /// <summary>Member accounts searched for resources to add to a resource set when the typed ARN names none.</summary>
        internal const int MaxDiscoveryAccounts = 50;

        /// <summary>Resource sets whose ARNs are read (one GetResourceSet each) for -ResourceArn.</summary>
        internal const int MaxResourceSetArns = 100;

        private List<Item> Items(FmsCompletionKind kind, Call call)
        {
            switch (kind)
            {
                case FmsCompletionKind.Region: return KnownValues.Regions.ToList();
                case FmsCompletionKind.PolicyType: return KnownValues.PolicyTypes.ToList();
                case FmsCompletionKind.ViolationReason: return KnownValues.ViolationReasons.ToList();
                case FmsCompletionKind.StatelessAction: return KnownValues.StatelessActions.ToList();
                case FmsCompletionKind.StatefulDefaultAction: return KnownValues.StatefulDefaultActions.ToList();
                case FmsCompletionKind.Protocol: return KnownValues.Protocols.ToList();
                case FmsCompletionKind.MemberAccountRoleName: return KnownValues.MemberAccountRoleNames.ToList();
                case FmsCompletionKind.ResourceSetResourceType: return KnownValues.ResourceSetResourceTypes.ToList();
                case FmsCompletionKind.PolicyResourceType: return PolicyResourceTypes(call);
                case FmsCompletionKind.ProfileName: return Profiles(call);
                case FmsCompletionKind.SandboxEndpoint: return SandboxEndpoints();
                case FmsCompletionKind.SandboxOperation: return SandboxOperations(call);

                case FmsCompletionKind.JournalPolicyId:
                case FmsCompletionKind.JournalPolicyName:
                case FmsCompletionKind.JournalCaller:
                case FmsCompletionKind.JournalTarget:
                case FmsCompletionKind.RestorablePolicyId:
                case FmsCompletionKind.RestoreVersion:
                    return JournalItems(kind, call);

                case FmsCompletionKind.PolicyName:
                case FmsCompletionKind.PolicyId:
                    return Policies(call);
                case FmsCompletionKind.AccountId: return Accounts(call);
                case FmsCompletionKind.PolicyAccountId: return PolicyAccounts(call);
                case FmsCompletionKind.OrganizationalUnitId: return Remote(call, "OrganizationalUnits", LoadOrganizationalUnitsAsync);
                case FmsCompletionKind.ManagedRuleGroup: return Remote(call, "ManagedRuleGroups", LoadManagedRuleGroupsAsync);
                case FmsCompletionKind.AdminAccountId: return Remote(call, "AdminAccounts", LoadAdminAccountsAsync);

                case FmsCompletionKind.AppsListName:
                case FmsCompletionKind.AppsListId:
                    return Lists(call, "AppsLists", FmsListKinds.Apps);
                case FmsCompletionKind.ProtocolsListName:
                case FmsCompletionKind.ProtocolsListId:
                    return Lists(call, "ProtocolsLists", FmsListKinds.Protocols);
                case FmsCompletionKind.ResourceSetName:
                case FmsCompletionKind.ResourceSetId:
                    return Remote(call, "ResourceSets", LoadResourceSetsAsync);

                case FmsCompletionKind.ResourceSetUri:
                    var setId = call.Text("ResourceSetId", "Id");
                    if (setId == null) return NoItems;
                    if (call.Request.CommandName != null && call.Request.CommandName.StartsWith("Remove-", StringComparison.OrdinalIgnoreCase))
                        return Remote(call, "ResourceSetMembers|" + setId, (s, ct) => LoadResourceSetMembersAsync(s, setId, ct));
                    return DiscoveredResources(call, setId);
                case FmsCompletionKind.TaggableResourceArn:
                    return Remote(call, "TaggableResources", LoadTaggableResourcesAsync);
                case FmsCompletionKind.TagKey:
                    var arn = call.Text("ResourceArn", "Arn", "PolicyArn");
                    return arn == null ? NoItems : Remote(call, "Tags|" + arn, (s, ct) => LoadTagsAsync(s, arn, ct));
                case FmsCompletionKind.WafRuleGroupArn:
                    var scope = call.Texts("ResourceType").Contains(FmsResourceTypes.CloudFrontDistribution, StringComparer.OrdinalIgnoreCase) ? "CLOUDFRONT" : "REGIONAL";
                    return Remote(call, "WafRuleGroups|" + scope, (s, ct) => LoadWafRuleGroupsAsync(s, scope, ct));
                case FmsCompletionKind.ThirdPartyFirewallPolicy:
                    return ThirdPartyFirewallPolicies(call);
                default:
                    return NoItems;
            }
        }

        // ---- policies and accounts ------------------------------------------------------------------------------------

        // Policy names and ids come from one list, so completing -Name then -PolicyId calls the service once.
        private List<Item> Policies(Call call) => Remote(call, "Policies", LoadPoliciesAsync);

        private static async Task<List<Item>> LoadPoliciesAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            await foreach (var p in session.Fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (p?.PolicyId == null) continue;
                var type = FmsPolicyTypes.TryParse(p.SecurityServiceType, out var known) ? known.ToString() : p.SecurityServiceType ?? "unknown";
                var name = p.PolicyName ?? p.PolicyId;
                items.Add(new Item(p.PolicyId, name, $"{name} ({type} policy)", $"{name} ({type} policy {p.PolicyId})", type));
            }
            return items;
        }

        private List<Item> Accounts(Call call) => Remote(call, "Accounts", LoadAccountsAsync);

        private static async Task<List<Item>> LoadAccountsAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            try
            {
                await foreach (var account in session.Organizations.ListAccountsItemsAsync(new ListAccountsRequest(), ct).ConfigureAwait(false))
                    if (account?.Id != null)
                        items.Add(new Item(account.Id, account.Name, string.Join(", ", new[] { account.Name, account.Email, account.State ?? account.Status }.Where(s => !string.IsNullOrEmpty(s)))));
                return items;
            }
            catch (AwsServiceException)
            {
                // Only the management account (or a delegated administrator) may list the organization;
                // the FMS administrator can still list the accounts it manages, without names.
                items.Clear();
            }
            await foreach (var id in session.Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest(), ct).ConfigureAwait(false))
                if (id != null) items.Add(new Item(id, null, "member account"));
            return items;
        }

        /// <summary>
        /// -AccountId of the compliance commands: with -PolicyId or -PolicyName on the command line, only the accounts in
        /// those policies' scope (one ListComplianceStatus per policy), named from the organization's account list.
        /// </summary>
        private List<Item> PolicyAccounts(Call call)
        {
            var ids = call.Texts("PolicyId");
            var names = call.Texts("PolicyName");
            if (ids.Count == 0 && names.Count == 0) return Accounts(call);
            var accounts = Start(call, "Accounts", LoadAccountsAsync);
            var policies = Policies(call);
            if (names.Count > 0)
            {
                var patterns = names.Select(n => new Wildcard(n)).ToList();
                ids.AddRange(policies.Where(p => p.Name != null && patterns.Any(w => w.IsMatch(p.Name))).Select(p => p.Value));
            }
            ids = ids.Distinct(StringComparer.Ordinal).ToList();
            // A policy that is not there narrows nothing: complete every account rather than none.
            if (ids.Count == 0) return Collect(call, accounts);
            var named = policies.ToDictionary(p => p.Value, p => p.Name ?? p.Value, StringComparer.Ordinal);
            var scoped = ids.SelectMany(id => Start(call, "ComplianceAccounts|" + id,
                (s, ct) => LoadComplianceAccountsAsync(s, id, named.TryGetValue(id, out var n) ? n : id, ct))).ToList();
            var inScope = Collect(call, scoped);
            var known = Collect(call, accounts).ToDictionary(a => a.Value, StringComparer.Ordinal);
            return inScope.Select(a => known.TryGetValue(a.Value, out var k) && k.Name != null ? new Item(a.Value, k.Name, k.Detail + "; " + a.Detail) : a).ToList();
        }

        private static async Task<List<Item>> LoadComplianceAccountsAsync(AwsSession session, string policyId, string policyName, CancellationToken ct)
        {
            var items = new List<Item>();
            await foreach (var status in session.Fms.ListComplianceStatusItemsAsync(new ListComplianceStatusRequest { PolicyId = policyId, MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (status?.MemberAccount == null) continue;
                var nonCompliant = status.EvaluationResults?.Any(r => r.ComplianceStatus == "NON_COMPLIANT") == true;
                items.Add(new Item(status.MemberAccount, null, (nonCompliant ? "non-compliant with " : "in scope of ") + policyName));
            }
            return items;
        }

        private static async Task<List<Item>> LoadOrganizationalUnitsAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            var pending = new Queue<KeyValuePair<string, string>>();
            await foreach (var root in session.Organizations.ListRootsItemsAsync(new ListRootsRequest(), ct).ConfigureAwait(false))
                if (root?.Id != null) pending.Enqueue(new KeyValuePair<string, string>(root.Id, root.Name ?? "Root"));
            while (pending.Count > 0 && items.Count < MaxOrganizationalUnits)
            {
                var parent = pending.Dequeue();
                var request = new ListOrganizationalUnitsForParentRequest { ParentId = parent.Key };
                await foreach (var ou in session.Organizations.ListOrganizationalUnitsForParentItemsAsync(request, ct).ConfigureAwait(false))
                {
                    if (ou?.Id == null) continue;
                    var path = parent.Value + "/" + (ou.Name ?? ou.Id);
                    items.Add(new Item(ou.Id, ou.Name, path));
                    pending.Enqueue(new KeyValuePair<string, string>(ou.Id, path));
                    if (items.Count >= MaxOrganizationalUnits) break;
                }
            }
            return items;
        }

        private static async Task<List<Item>> LoadAdminAccountsAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            try
            {
                await foreach (var admin in session.Fms.ListAdminAccountsForOrganizationItemsAsync(new ListAdminAccountsForOrganizationRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
                    if (admin?.AdminAccount != null)
                        items.Add(new Item(admin.AdminAccount, null, (admin.DefaultAdmin == true ? "default administrator" : "administrator") + (admin.Status != null ? ", " + admin.Status : "")));
                return items;
            }
            catch (AwsServiceException)
            {
                // Only the management account lists every administrator; anyone may read the default one.
                items.Clear();
            }
            var response = await session.Fms.GetAdminAccountAsync(new GetAdminAccountRequest(), ct).ConfigureAwait(false);
            if (response.AdminAccount != null) items.Add(new Item(response.AdminAccount, null, "default administrator"));
            return items;
        }

        private static async Task<List<Item>> LoadManagedRuleGroupsAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            var request = new ListAvailableManagedRuleGroupsRequest { Scope = "REGIONAL" };
            await foreach (var group in session.Wafv2.ListAvailableManagedRuleGroupsItemsAsync(request, ct).ConfigureAwait(false))
                if (group?.VendorName != null && group.Name != null)
                    items.Add(new Item(group.VendorName + "/" + group.Name, group.Name, group.Description ?? group.VendorName + " managed rule group", listed: group.VendorName + "/" + group.Name));
            return items;
        }

        private static async Task<List<Item>> LoadWafRuleGroupsAsync(AwsSession session, string scope, CancellationToken ct)
        {
            var items = new List<Item>();
            await foreach (var group in session.Wafv2.ListRuleGroupsItemsAsync(new ListRuleGroupsRequest { Scope = scope, Limit = 100 }, ct).ConfigureAwait(false))
                if (group?.ARN != null)
                    items.Add(new Item(group.ARN, group.Name, (group.Name ?? group.Id) + " (" + scope.ToLowerInvariant() + " rule group" + (string.IsNullOrEmpty(group.Description) ? ")" : ": " + group.Description + ")")));
            return items;
        }

        private List<Item> ThirdPartyFirewallPolicies(Call call)
        {
            var vendor = call.Text("Vendor");
            var vendors = vendor == null ? FirewallValues.ThirdPartyFirewalls.ToList() : new List<string> { ThirdPartyVendor(vendor) };
            // A vendor the administrator has not onboarded fails on its own and contributes nothing.
            return Collect(call, vendors.SelectMany(v => Start(call, "ThirdPartyFirewallPolicies|" + v, (s, ct) => LoadThirdPartyFirewallPoliciesAsync(s, v, ct))).ToList());
        }

        private static string ThirdPartyVendor(string parameterValue)
        {
            if (string.Equals(parameterValue, "PaloAltoCloudNgfw", StringComparison.OrdinalIgnoreCase)) return FirewallValues.PaloAltoCloudNgfw;
            if (string.Equals(parameterValue, "FortigateCloudNativeFirewall", StringComparison.OrdinalIgnoreCase)) return FirewallValues.FortigateCloudNativeFirewall;
            return parameterValue;
        }

        private static async Task<List<Item>> LoadThirdPartyFirewallPoliciesAsync(AwsSession session, string vendor, CancellationToken ct)
        {
            var items = new List<Item>();
            var request = new ListThirdPartyFirewallFirewallPoliciesRequest { ThirdPartyFirewall = vendor, MaxResults = 100 };
            await foreach (var policy in session.Fms.ListThirdPartyFirewallFirewallPoliciesItemsAsync(request, ct).ConfigureAwait(false))
                if (policy?.FirewallPolicyName != null)
                    items.Add(new Item(policy.FirewallPolicyName, null, $"{vendor} firewall policy {policy.FirewallPolicyId}"));
            return items;
        }

        // ---- lists, resource sets, tags ---------------------------------------------------------------------------

        /// <summary>The lists of one kind (the FMS-managed ones with -Default on the command line), named and with what they hold.</summary>
        private List<Item> Lists<TList, TItem>(Call call, string cacheKey, FmsListKind<TList, TItem> kind) where TList : class, IFmsList
        {
            var defaultLists = call.Has("Default");
            return Remote(call, defaultLists ? cacheKey + "|default" : cacheKey, (s, ct) => LoadListsAsync(s, kind, defaultLists, ct));
        }

        private static async Task<List<Item>> LoadListsAsync<TList, TItem>(AwsSession session, FmsListKind<TList, TItem> kind, bool defaultLists, CancellationToken ct)
            where TList : class, IFmsList
        {
            var items = new List<Item>();
            var noun = defaultLists ? "default " + kind.Noun : kind.Noun;
            await foreach (var list in kind.ListAsync(session.Fms, defaultLists, ct).ConfigureAwait(false))
            {
                var name = list.Name ?? list.ListId;
                items.Add(new Item(list.ListId, name, $"{name} ({noun}{kind.DescribeContents(list)})", $"{name} ({noun} {list.ListId})"));
            }
            return items;
        }

        private static async Task<List<Item>> LoadResourceSetsAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            await foreach (var set in session.Fms.ListResourceSetsItemsAsync(new ListResourceSetsRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                if (set?.Id == null) continue;
                var name = set.Name ?? set.Id;
                var about = string.IsNullOrEmpty(set.Description) ? "" : ": " + set.Description;
                items.Add(new Item(set.Id, name, $"{name} (resource set{about})", $"{name} (resource set {set.Id})"));
            }
            return items;
        }

        private static async Task<List<Item>> LoadResourceSetMembersAsync(AwsSession session, string setId, CancellationToken ct)
        {
            var items = new List<Item>();
            var request = new ListResourceSetResourcesRequest { Identifier = setId, MaxResults = 100 };
            await foreach (var resource in session.Fms.ListResourceSetResourcesItemsAsync(request, ct).ConfigureAwait(false))
                if (resource?.URI != null)
                    items.Add(new Item(resource.URI, null, "in resource set " + setId + (resource.AccountId != null ? ", account " + resource.AccountId : "")));
            return items;
        }

        private static readonly System.Text.RegularExpressions.Regex ArnAccount = new System.Text.RegularExpressions.Regex(@"^arn:[^:]*:[^:]*:[^:]*:(?<account>[0-9]{12}):", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// Add-FmsResourceSetResource -Uri: resources of the set's resource types that are not in it yet, from
        /// ListDiscoveredResources (one member account per call, as the service requires). An ARN typed as far as its
        /// account searches only that account; otherwise the first <see cref="MaxDiscoveryAccounts"/> member accounts.
        /// </summary>
        private List<Item> DiscoveredResources(Call call, string setId)
        {
            var typed = ArnAccount.Match(call.Word);
            var account = typed.Success ? typed.Groups["account"].Value : null;
            return Remote(call, "Discovered|" + setId + "|" + account, (s, ct) => LoadDiscoveredResourcesAsync(s, setId, account, ct));
        }

        private static async Task<List<Item>> LoadDiscoveredResourcesAsync(AwsSession session, string setId, string? account, CancellationToken ct)
        {
            var set = await session.Fms.GetResourceSetAsync(new GetResourceSetRequest { Identifier = setId }, ct).ConfigureAwait(false);
            var types = set.ResourceSet?.ResourceTypeList ?? new List<string>();
            var members = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var r in session.Fms.ListResourceSetResourcesItemsAsync(new ListResourceSetResourcesRequest { Identifier = setId, MaxResults = 100 }, ct).ConfigureAwait(false))
                if (r?.URI != null) members.Add(r.URI);
            var accounts = new List<string>();
            if (account != null) accounts.Add(account);
            else
            {
                await foreach (var id in session.Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
                {
                    if (id != null) accounts.Add(id);
                    if (accounts.Count >= MaxDiscoveryAccounts) break;
                }
            }
            var items = new List<Item>();
            foreach (var type in types)
            {
                foreach (var member in accounts)
                {
                    var request = new ListDiscoveredResourcesRequest { MemberAccountIds = new List<string> { member }, ResourceType = type, MaxResults = 100 };
                    try
                    {
                        await foreach (var resource in session.Fms.ListDiscoveredResourcesItemsAsync(request, ct).ConfigureAwait(false))
                            if (resource?.URI != null && !members.Contains(resource.URI))
                                items.Add(new Item(resource.URI, string.IsNullOrEmpty(resource.Name) ? null : resource.Name, $"{resource.Type ?? type} in account {resource.AccountId ?? member}"));
                    }
                    catch (AwsServiceException)
                    {
                        // An account outside the administrator's scope: the others still count.
                    }
                }
            }
            return items;
        }

        private static async Task<List<Item>> LoadTaggableResourcesAsync(AwsSession session, CancellationToken ct)
        {
            var items = new List<Item>();
            await foreach (var p in session.Fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
                if (p?.PolicyArn != null) items.Add(new Item(p.PolicyArn, p.PolicyName, "policy " + p.PolicyName));
            await AddListArnsAsync(items, session, FmsListKinds.Apps, ct).ConfigureAwait(false);
            await AddListArnsAsync(items, session, FmsListKinds.Protocols, ct).ConfigureAwait(false);
            var sets = new List<ResourceSetSummary>();
            await foreach (var s in session.Fms.ListResourceSetsItemsAsync(new ListResourceSetsRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
                if (s?.Id != null && sets.Count < MaxResourceSetArns) sets.Add(s);
            // ListResourceSets gives no ARN: read each set (in parallel) for it.
            var reads = sets.Select(s => session.Fms.GetResourceSetAsync(new GetResourceSetRequest { Identifier = s.Id }, ct)).ToList();
            for (var i = 0; i < reads.Count; i++)
            {
                try
                {
                    var arn = (await reads[i].ConfigureAwait(false)).ResourceSetArn;
                    if (arn != null) items.Add(new Item(arn, sets[i].Name, "resource set " + sets[i].Name));
                }
                catch (AwsServiceException)
                {
                    // A set deleted in between.
                }
            }
            return items;
        }

        private static async Task AddListArnsAsync<TList, TItem>(List<Item> items, AwsSession session, FmsListKind<TList, TItem> kind, CancellationToken ct)
            where TList : class, IFmsList
        {
            await foreach (var l in kind.ListAsync(session.Fms, false, ct).ConfigureAwait(false))
                if (l.Arn != null) items.Add(new Item(l.Arn, l.Name, kind.Noun + " " + l.Name));
        }

        private static async Task<List<Item>> LoadTagsAsync(AwsSession session, string arn, CancellationToken ct)
        {
            var response = await session.Fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }, ct).ConfigureAwait(false);
            return (response.TagList ?? new List<Tag>()).Where(t => t?.Key != null).Select(t => new Item(t.Key!, null, t.Key + " = " + t.Value)).ToList();
        }
    }
}
