using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// PutPolicy, GetPolicy, DeletePolicy and ListPolicies over the store, with the rules and defaults Firewall Manager
    /// applies to a policy it is given, and the convergence pass that brings the World in line with the stored policies
    /// (through the policy engine).
    /// </summary>
    internal sealed class FmsPolicyOperations
    {
        private const string ResourceTypeListLiteral = "ResourceTypeList";
        private const string CloudFrontType = "AWS::CloudFront::Distribution";
        private const string GlobalRegion = "us-east-1";
        private readonly SandboxOptions _options;

        public FmsPolicyOperations(SandboxOptions options)
        {
            _options = options;
        }

        private IPolicyEngine? _engine;

        /// <summary>Set by the host once the World-backed engine exists.</summary>
        public IPolicyEngine Engine
        {
            get => _engine ?? throw new System.InvalidOperationException("The sandbox policy engine is not attached.");
            set => _engine = value;
        }

        internal static EnginePolicy ToEngine(PolicyRecord record)
        {
            var policy = record.Policy;
            return new EnginePolicy(policy, record.OwnerAccountId, record.Region, record.UpdatedAt);
        }

        internal static string PolicyArn(PolicyRecord record)
            => "arn:aws:fms:" + record.Region + ":" + record.OwnerAccountId + ":policy/" + record.Policy.PolicyId;

        public static PolicyRecord FindPolicy(RequestContext context, AdminRecord admin, string policyId)
            => FmsAccess.FindOwned(context, admin, context.Store.Policies, policyId, "The referenced policy " + policyId + " does not exist.");

        /// <summary>A stored policy as the wire returns it, with its status against the owner's current scope.</summary>
        private static Policy Present(PolicyRecord record, AdminRecord admin)
        {
            var inScope = AdminScopes.RegionInScope(admin, record.Region) && AdminScopes.PolicyTypeInScope(admin, record.Policy.SecurityServicePolicyData!.Type!);
            var status = inScope ? CustomerPolicyStatusValues.Active : CustomerPolicyStatusValues.OutOfAdminScope;
            if (record.Policy.PolicyStatus == status) return record.Policy;
            var copy = SandboxJson.Clone(record.Policy);
            copy.PolicyStatus = status;
            return copy;
        }

        public object PutPolicy(RequestContext context, PutPolicyRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var store = context.Store;
            var input = request.Policy!;
            var data = input.SecurityServicePolicyData!;
            var policyType = data.Type!;

            if (!AdminScopes.RegionInScope(admin, context.Region))
                throw SandboxFmsErrors.InvalidOperation("Region " + context.Region + " is outside the administrator's scope.");
            if (!AdminScopes.PolicyTypeInScope(admin, policyType))
                throw SandboxFmsErrors.InvalidOperation("Policy type " + policyType + " is outside the administrator's scope.");

            PolicyRecord? existing = null;
            if (!string.IsNullOrEmpty(input.PolicyId))
            {
                existing = FindPolicy(context, admin, input.PolicyId!);
                // Optimistic concurrency: the error for a missing or stale token is unconfirmed; InvalidInputException
                // is what clients report seeing on rejected updates, and the message says how to recover.
                if (string.IsNullOrEmpty(input.PolicyUpdateToken))
                    throw SandboxFmsErrors.InvalidInput("PolicyUpdateToken is required to update policy " + input.PolicyId
                        + ". Call GetPolicy and send the PolicyUpdateToken it returns.");
                if (!string.Equals(input.PolicyUpdateToken, existing.Policy.PolicyUpdateToken, StringComparison.Ordinal))
                    throw SandboxFmsErrors.InvalidInput("The PolicyUpdateToken " + input.PolicyUpdateToken + " is out of date: policy " + input.PolicyId
                        + " was changed after you read it. Call GetPolicy for the current PolicyUpdateToken and retry.");
                if (existing.Policy.SecurityServicePolicyData!.Type != policyType)
                    throw SandboxFmsErrors.InvalidInput("The policy type cannot be changed from " + existing.Policy.SecurityServicePolicyData.Type
                        + " to " + policyType + ". Create a new policy instead.");
            }
            else if (FmsAccess.OwnedBy(context, admin, store.Policies).Count() >= _options.Quotas.PoliciesPerAdminAndRegion)
            {
                throw SandboxFmsErrors.LimitExceeded("You have reached the limit of " + _options.Quotas.PoliciesPerAdminAndRegion
                    + " Firewall Manager policies in " + context.Region + ".");
            }

            var normalized = NormalizePolicy(context, admin, input);
            var now = context.Now;
            PolicyRecord record;
            if (existing is null)
            {
                normalized.PolicyId = Guid.NewGuid().ToString();
                record = new PolicyRecord
                {
                    OwnerAccountId = admin.AccountId,
                    Region = context.Region,
                    CreatedAt = now,
                    Sequence = store.NextSequence("policies"),
                };
            }
            else
            {
                normalized.PolicyId = existing.Policy.PolicyId;
                record = new PolicyRecord
                {
                    OwnerAccountId = existing.OwnerAccountId,
                    Region = existing.Region,
                    CreatedAt = existing.CreatedAt,
                    Sequence = existing.Sequence,
                    RemediatedAt = existing.RemediatedAt,
                };
            }
            normalized.PolicyUpdateToken = FmsAccess.NewUpdateToken();
            record.Policy = normalized;
            record.UpdatedAt = now;
            store.Policies.Put(normalized.PolicyId!, record);
            if (request.TagList != null && request.TagList.Count > 0) FmsTagOperations.Merge(store, PolicyArn(record), request.TagList);
            return new PutPolicyResponse { Policy = Present(record, admin), PolicyArn = PolicyArn(record) };
        }

        /// <summary>Applies the service's rules and defaults to a PutPolicy input.</summary>
        private Policy NormalizePolicy(RequestContext context, AdminRecord admin, Policy input)
        {
            var data = input.SecurityServicePolicyData!;
            var policyType = data.Type!;
            string managedServiceData;
            if (string.IsNullOrEmpty(data.ManagedServiceData))
            {
                if (policyType != SecurityServiceTypeValues.ShieldAdvanced)
                    throw SandboxFmsErrors.InvalidInput("ManagedServiceData is required for policy type " + policyType + ".");
                managedServiceData = ManagedServiceDataNormalizer.ShieldDefault();
            }
            else
            {
                managedServiceData = ManagedServiceDataNormalizer.Normalize(policyType, data.ManagedServiceData!);
            }

            var resourceType = input.ResourceType!;
            var typeList = input.ResourceTypeList?.Where(t => !string.IsNullOrEmpty(t)).Distinct().ToList() ?? new List<string>();
            if (resourceType == ResourceTypeListLiteral && typeList.Count == 0)
                throw SandboxFmsErrors.InvalidInput("ResourceType is ResourceTypeList, but ResourceTypeList is empty.");
            if (typeList.Count > 1 || (typeList.Count == 1 && resourceType == ResourceTypeListLiteral))
                resourceType = ResourceTypeListLiteral; // several types: ResourceType is the literal
            else if (typeList.Count == 1 && resourceType != typeList[0])
                throw SandboxFmsErrors.InvalidInput("ResourceType " + resourceType + " does not match ResourceTypeList [" + typeList[0] + "]; set ResourceType to ResourceTypeList.");

            // CloudFront: only in us-east-1, and not inside a ResourceTypeList.
            if (resourceType == CloudFrontType && context.Region != GlobalRegion)
                throw SandboxFmsErrors.InvalidInput("Resource [" + CloudFrontType + "] can not be used in region: " + context.Region);
            if (resourceType == ResourceTypeListLiteral && typeList.Contains(CloudFrontType))
                throw SandboxFmsErrors.InvalidInput("Resource [" + CloudFrontType + "] can not be used in a ResourceTypeList; create a separate policy for CloudFront distributions in us-east-1.");

            // Fixed resource types per policy type where the reference pins them.
            var candidates = resourceType == ResourceTypeListLiteral ? typeList : new List<string> { resourceType };
            if (policyType == SecurityServiceTypeValues.ShieldAdvanced || policyType == SecurityServiceTypeValues.DnsFirewall)
            {
                var allowed = ResourceTypes.AllowedByPolicyType[policyType];
                foreach (var candidate in candidates)
                    if (!allowed.Contains(candidate))
                        throw SandboxFmsErrors.InvalidInput("Resource type " + candidate + " is not supported by policy type " + policyType
                            + ". Supported: " + string.Join(", ", allowed) + ".");
            }

            // IMPORT_NETWORK_FIREWALL needs resource sets.
            var resourceSetIds = input.ResourceSetIds?.Distinct().ToList() ?? new List<string>();
            if (policyType == SecurityServiceTypeValues.ImportNetworkFirewall && resourceSetIds.Count == 0)
                throw SandboxFmsErrors.InvalidInput("Policies of type IMPORT_NETWORK_FIREWALL must specify resourceSetIds.");
            if (resourceSetIds.Count > _options.Quotas.ResourceSetsPerPolicy)
                throw SandboxFmsErrors.LimitExceeded("A policy can use at most " + _options.Quotas.ResourceSetsPerPolicy + " resource sets.");
            foreach (var setId in resourceSetIds)
            {
                FmsAccess.FindOwned(context, admin, context.Store.ResourceSets, setId, "The referenced resource set " + setId + " does not exist.");
            }

            var tags = (input.ResourceTags ?? new List<ResourceTag>())
                .Select(t => new ResourceTag { Key = t.Key, Value = t.Value ?? "" }).ToList(); // a tag without Value is ""
            if (tags.Count > _options.Quotas.ResourceTagsPerPolicy)
                throw SandboxFmsErrors.LimitExceeded("A policy can have at most " + _options.Quotas.ResourceTagsPerPolicy + " resource tags.");

            CheckScopeMap(context, input.IncludeMap, "IncludeMap");
            CheckScopeMap(context, input.ExcludeMap, "ExcludeMap");

            var policy = new Policy
            {
                PolicyName = input.PolicyName,
                SecurityServicePolicyData = new SecurityServicePolicyData
                {
                    Type = policyType,
                    ManagedServiceData = managedServiceData,
                    // Not returned for WAF policies; kept for the firewall types that use it.
                    PolicyOption = policyType == SecurityServiceTypeValues.Waf || policyType == SecurityServiceTypeValues.Wafv2 ? null : KnownMembers(data.PolicyOption),
                },
                ResourceType = resourceType,
                ResourceTypeList = resourceType == ResourceTypeListLiteral ? typeList : null,
                ResourceTags = tags,
                ExcludeResourceTags = input.ExcludeResourceTags ?? false,
                RemediationEnabled = input.RemediationEnabled ?? false,
                DeleteUnusedFMManagedResources = input.DeleteUnusedFMManagedResources ?? false,
                IncludeMap = EmptyToNull(input.IncludeMap),
                ExcludeMap = EmptyToNull(input.ExcludeMap),
                ResourceSetIds = resourceSetIds.Count == 0 ? null : resourceSetIds,
                PolicyDescription = input.PolicyDescription,
                PolicyStatus = CustomerPolicyStatusValues.Active,
                // Defaults to AND; an update that omits it resets OR to AND.
                ResourceTagLogicalOperator = input.ResourceTagLogicalOperator ?? ResourceTagLogicalOperatorValues.And,
            };
            return policy;
        }

        /// <summary>
        /// The option without members this model does not know: the service ignores them (a newer API's stored members
        /// are played by AnswerFields).
        /// </summary>
        private static PolicyOption? KnownMembers(PolicyOption? option)
        {
            if (option is null) return null;
            var copy = SandboxJson.Clone(option);
            copy.AdditionalMembers = null;
            if (copy.NetworkFirewallPolicy != null) copy.NetworkFirewallPolicy.AdditionalMembers = null;
            if (copy.ThirdPartyFirewallPolicy != null) copy.ThirdPartyFirewallPolicy.AdditionalMembers = null;
            if (copy.NetworkAclCommonPolicy != null)
            {
                copy.NetworkAclCommonPolicy.AdditionalMembers = null;
                var set = copy.NetworkAclCommonPolicy.NetworkAclEntrySet;
                if (set != null)
                {
                    set.AdditionalMembers = null;
                    foreach (var entry in (set.FirstEntries ?? new List<NetworkAclEntry>()).Concat(set.LastEntries ?? new List<NetworkAclEntry>()))
                    {
                        if (entry == null) continue;
                        entry.AdditionalMembers = null;
                        if (entry.PortRange != null) entry.PortRange.AdditionalMembers = null;
                        if (entry.IcmpTypeCode != null) entry.IcmpTypeCode.AdditionalMembers = null;
                    }
                }
            }
            return copy;
        }

        private void CheckScopeMap(RequestContext context, Dictionary<string, List<string>>? map, string name)
        {
            if (map is null) return;
            foreach (var entry in map)
            {
                var ids = entry.Value ?? new List<string>();
                if (entry.Key == CustomerPolicyScopeIdTypeValues.OrgUnit)
                {
                    if (ids.Count > _options.Quotas.OrganizationalUnitsPerPolicy)
                        throw SandboxFmsErrors.LimitExceeded(name + " lists " + ids.Count + " organizational units; a policy can name at most "
                            + _options.Quotas.OrganizationalUnitsPerPolicy + ".");
                    foreach (var ou in ids)
                        if (context.World.FindOrganizationalUnit(ou) is null && ou != context.World.Organization.RootId)
                            throw SandboxFmsErrors.InvalidInput("Organizational unit " + ou + " in " + name + " does not exist in organization "
                                + context.World.Organization.Id + ".");
                }
                else if (entry.Key == CustomerPolicyScopeIdTypeValues.Account)
                {
                    if (ids.Count > _options.Quotas.ExplicitAccountsPerPolicy)
                        throw SandboxFmsErrors.LimitExceeded(name + " lists " + ids.Count + " accounts; a policy can name at most "
                            + _options.Quotas.ExplicitAccountsPerPolicy + ".");
                    foreach (var account in ids)
                        if (account.Length != 12 || !account.All(char.IsDigit))
                            throw SandboxFmsErrors.InvalidInput("Account " + account + " in " + name + " is not a 12-digit account id.");
                }
            }
        }

        private static Dictionary<string, List<string>>? EmptyToNull(Dictionary<string, List<string>>? map)
            => map is null || map.Count == 0 ? null : map.ToDictionary(e => e.Key, e => (e.Value ?? new List<string>()).ToList(), StringComparer.Ordinal);

        public object GetPolicy(RequestContext context, GetPolicyRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            return new GetPolicyResponse { Policy = Present(record, admin), PolicyArn = PolicyArn(record) };
        }

        public object? DeletePolicy(RequestContext context, DeletePolicyRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            Delete(context, FindPolicy(context, admin, request.PolicyId!), request.DeleteAllPolicyResources ?? false);
            return null;
        }

        /// <summary>Deletes a stored policy and its tags, after the engine cleaned up what FMS created for it.</summary>
        public void Delete(RequestContext context, PolicyRecord record, bool deleteAllPolicyResources)
        {
            Engine.DeletePolicyResources(context.World, ToEngine(record), deleteAllPolicyResources, context.Now);
            context.Store.Policies.Remove(record.Policy.PolicyId!);
            context.Store.Tags.Remove(PolicyArn(record));
        }

        public object ListPolicies(RequestContext context, ListPoliciesRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var summaries = FmsAccess.OwnedBy(context, admin, context.Store.Policies)
                .Select(p =>
                {
                    var policy = Present(p, admin);
                    return new PolicySummary
                    {
                        PolicyArn = PolicyArn(p),
                        PolicyId = policy.PolicyId,
                        PolicyName = policy.PolicyName,
                        ResourceType = policy.ResourceType,
                        SecurityServiceType = policy.SecurityServicePolicyData!.Type,
                        RemediationEnabled = policy.RemediationEnabled,
                        DeleteUnusedFMManagedResources = policy.DeleteUnusedFMManagedResources,
                        PolicyStatus = policy.PolicyStatus,
                    };
                }).ToList();
            var page = Pagination.Page(summaries, request.MaxResults, request.NextToken, 100, out var next);
            return new ListPoliciesResponse { PolicyList = page, NextToken = next };
        }

        /// <summary>
        /// Stores a policy with a given id (the demo organization's pre-existing FMS resources refer to fixed ids),
        /// through the same normalization as PutPolicy. Call under the store lock.
        /// </summary>
        public void Seed(SandboxStore store, string adminAccountId, string region, Policy input, DateTime now)
        {
            var admin = store.Admins.Find(adminAccountId) ?? throw new ArgumentException("Account " + adminAccountId + " is not an administrator.");
            var context = new RequestContext(new CallerIdentity(adminAccountId, "arn:aws:iam::" + adminAccountId + ":user/sandbox-seed", "seed", "seed"),
                region, "PutPolicy", now, store);
            var normalized = NormalizePolicy(context, admin, input);
            normalized.PolicyId = input.PolicyId ?? Guid.NewGuid().ToString();
            normalized.PolicyUpdateToken = FmsAccess.NewUpdateToken();
            store.Policies.Put(normalized.PolicyId!, new PolicyRecord
            {
                OwnerAccountId = adminAccountId,
                Region = region,
                Policy = normalized,
                CreatedAt = now,
                UpdatedAt = now,
                Sequence = store.NextSequence("policies"),
            });
        }

        /// <summary>
        /// Converges every policy whose last change is older than the remediation delay and that has not
        /// converged since (or all of them when the World changed since the last pass). The engine decides what
        /// a policy without RemediationEnabled still does (e.g. create its web ACL). Returns the number of
        /// policies converged. Called under the store lock by the host's convergence loop.
        /// </summary>
        public int Converge(SandboxStore store, DateTime now, bool worldChangedSincePass)
        {
            var all = store.Policies.Values.OrderBy(p => p.Sequence).ToList();
            var engineView = all.Select(ToEngine).ToList();
            var remediated = 0;
            foreach (var record in all)
            {
                if (now < record.UpdatedAt + _options.RemediationDelay) continue;
                var stale = record.RemediatedAt is null || record.RemediatedAt < record.UpdatedAt;
                if (!stale && !worldChangedSincePass) continue;
                Engine.Remediate(store.World, ToEngine(record), engineView, now);
                if (stale)
                {
                    store.Policies.Put(record.Policy.PolicyId!, new PolicyRecord
                    {
                        OwnerAccountId = record.OwnerAccountId,
                        Region = record.Region,
                        Policy = record.Policy,
                        CreatedAt = record.CreatedAt,
                        UpdatedAt = record.UpdatedAt,
                        RemediatedAt = now,
                        Sequence = record.Sequence,
                    });
                }
                remediated++;
            }
            return remediated;
        }
    }
}
