using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// Firewall Manager 2018-01-01: policies, lists, resource sets, administrators, tags, notification
    /// channel and third-party firewall association over the sandbox store, following
    /// shared/reference/fms-service-behaviour.md (numbers in comments refer to it).
    /// </summary>
    internal sealed partial class FmsService : JsonService
    {
        private const string CloudFrontType = "AWS::CloudFront::Distribution";
        private const string ResourceTypeListLiteral = "ResourceTypeList";
        private const string GlobalRegion = "us-east-1";
        private readonly SandboxOptions _options;

        public FmsService(SandboxOptions options) : base("fms", "InvalidInputException")
        {
            _options = options;
            On<AssociateAdminAccountRequest>("AssociateAdminAccount", AssociateAdminAccount, mutating: true);
            On<DisassociateAdminAccountRequest>("DisassociateAdminAccount", DisassociateAdminAccount, mutating: true);
            On<GetAdminAccountRequest>("GetAdminAccount", GetAdminAccount);
            On<PutAdminAccountRequest>("PutAdminAccount", PutAdminAccount, mutating: true);
            On<GetAdminScopeRequest>("GetAdminScope", GetAdminScope);
            On<ListAdminAccountsForOrganizationRequest>("ListAdminAccountsForOrganization", ListAdminAccountsForOrganization);
            On<ListAdminsManagingAccountRequest>("ListAdminsManagingAccount", ListAdminsManagingAccount);

            On<PutPolicyRequest>("PutPolicy", PutPolicy, mutating: true);
            On<GetPolicyRequest>("GetPolicy", GetPolicy);
            On<DeletePolicyRequest>("DeletePolicy", DeletePolicy, mutating: true);
            On<ListPoliciesRequest>("ListPolicies", ListPolicies);

            On<PutAppsListRequest>("PutAppsList", PutAppsList, mutating: true);
            On<GetAppsListRequest>("GetAppsList", GetAppsList);
            On<DeleteAppsListRequest>("DeleteAppsList", DeleteAppsList, mutating: true);
            On<ListAppsListsRequest>("ListAppsLists", ListAppsLists);
            On<PutProtocolsListRequest>("PutProtocolsList", PutProtocolsList, mutating: true);
            On<GetProtocolsListRequest>("GetProtocolsList", GetProtocolsList);
            On<DeleteProtocolsListRequest>("DeleteProtocolsList", DeleteProtocolsList, mutating: true);
            On<ListProtocolsListsRequest>("ListProtocolsLists", ListProtocolsLists);

            On<PutResourceSetRequest>("PutResourceSet", PutResourceSet, mutating: true);
            On<GetResourceSetRequest>("GetResourceSet", GetResourceSet);
            On<DeleteResourceSetRequest>("DeleteResourceSet", DeleteResourceSet, mutating: true);
            On<ListResourceSetsRequest>("ListResourceSets", ListResourceSets);
            On<BatchAssociateResourceRequest>("BatchAssociateResource", BatchAssociateResource, mutating: true);
            On<BatchDisassociateResourceRequest>("BatchDisassociateResource", BatchDisassociateResource, mutating: true);
            On<ListResourceSetResourcesRequest>("ListResourceSetResources", ListResourceSetResources);

            On<PutNotificationChannelRequest>("PutNotificationChannel", PutNotificationChannel, mutating: true);
            On<GetNotificationChannelRequest>("GetNotificationChannel", GetNotificationChannel);
            On<DeleteNotificationChannelRequest>("DeleteNotificationChannel", DeleteNotificationChannel, mutating: true);

            On<TagResourceRequest>("TagResource", TagResource, mutating: true);
            On<UntagResourceRequest>("UntagResource", UntagResource, mutating: true);
            On<ListTagsForResourceRequest>("ListTagsForResource", ListTagsForResource);

            On<AssociateThirdPartyFirewallRequest>("AssociateThirdPartyFirewall", AssociateThirdPartyFirewall, mutating: true);
            On<DisassociateThirdPartyFirewallRequest>("DisassociateThirdPartyFirewall", DisassociateThirdPartyFirewall, mutating: true);
            On<GetThirdPartyFirewallAssociationStatusRequest>("GetThirdPartyFirewallAssociationStatus", GetThirdPartyFirewallAssociationStatus);
            On<ListThirdPartyFirewallFirewallPoliciesRequest>("ListThirdPartyFirewallFirewallPolicies", ListThirdPartyFirewallFirewallPolicies);

            On<ListMemberAccountsRequest>("ListMemberAccounts", ListMemberAccounts);
            On<ListDiscoveredResourcesRequest>("ListDiscoveredResources", ListDiscoveredResources);

            RegisterComplianceOperations();
        }

        // ------------------------------------------------------------------ identity and scope

        /// <summary>The calling FMS administrator, or AccessDeniedException (#21).</summary>
        private static AdminRecord RequireAdmin(RequestContext context)
        {
            var admin = context.Store.Admins.Find(context.Caller.AccountId);
            if (admin is null) throw SandboxFmsErrors.AccessDenied(context.Operation);
            return admin;
        }

        private static void RequireManagementAccount(RequestContext context)
        {
            var management = context.World.Organization.ManagementAccountId;
            if (!string.Equals(context.Caller.AccountId, management, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidOperation("This operation can only be performed by the management account of the organization ("
                    + management + "). Account " + context.Caller.AccountId + " is not the management account.");
        }

        private static AdminRecord? DefaultAdmin(SandboxStore store) => store.Admins.Values.FirstOrDefault(a => a.IsDefault);

        internal static bool RegionInScope(AdminRecord admin, string region)
        {
            var scope = admin.Scope.RegionScope;
            return scope is null || scope.AllRegionsEnabled != false || (scope.Regions?.Contains(region) ?? false);
        }

        internal static bool PolicyTypeInScope(AdminRecord admin, string policyType)
        {
            var scope = admin.Scope.PolicyTypeScope;
            return scope is null || scope.AllPolicyTypesEnabled != false || (scope.PolicyTypes?.Contains(policyType) ?? false);
        }

        /// <summary>Whether an account falls inside an administrator's account and OU scope.</summary>
        internal static bool AccountInScope(AdminRecord admin, World.World world, string accountId)
        {
            var accounts = admin.Scope.AccountScope;
            if (accounts != null)
            {
                var listed = accounts.Accounts?.Contains(accountId) ?? false;
                if (accounts.AllAccountsEnabled == true)
                {
                    if (accounts.ExcludeSpecifiedAccounts == true && listed) return false;
                }
                else if (accounts.ExcludeSpecifiedAccounts == true ? listed : !listed)
                {
                    return false;
                }
            }
            var units = admin.Scope.OrganizationalUnitScope;
            if (units != null)
            {
                var inListed = (units.OrganizationalUnits ?? new List<string>()).Any(ou => world.IsAccountUnder(accountId, ou));
                if (units.AllOrganizationalUnitsEnabled == true)
                {
                    if (units.ExcludeSpecifiedOrganizationalUnits == true && inListed) return false;
                }
                else if (units.ExcludeSpecifiedOrganizationalUnits == true ? inListed : !inListed)
                {
                    return false;
                }
            }
            return true;
        }

        private static string RoleStatus(AdminRecord admin, RequestContext context, SandboxOptions options)
            => context.Now >= admin.AssociatedAt + options.AdminSetupDelay ? AccountRoleStatusValues.Ready : AccountRoleStatusValues.Creating;

        /// <summary>The full scope an administrator gets when none is given.</summary>
        private static AdminScope FullScope() => new AdminScope
        {
            AccountScope = new AccountScope { Accounts = new List<string>(), AllAccountsEnabled = true, ExcludeSpecifiedAccounts = false },
            OrganizationalUnitScope = new OrganizationalUnitScope
            {
                OrganizationalUnits = new List<string>(), AllOrganizationalUnitsEnabled = true, ExcludeSpecifiedOrganizationalUnits = false,
            },
            RegionScope = new RegionScope { Regions = new List<string>(), AllRegionsEnabled = true },
            PolicyTypeScope = new PolicyTypeScope { PolicyTypes = new List<string>(), AllPolicyTypesEnabled = true },
        };

        private static AdminScope CompleteScope(AdminScope? given)
        {
            var full = FullScope();
            if (given is null) return full;
            return new AdminScope
            {
                AccountScope = given.AccountScope is null ? full.AccountScope : new AccountScope
                {
                    Accounts = given.AccountScope.Accounts ?? new List<string>(),
                    AllAccountsEnabled = given.AccountScope.AllAccountsEnabled ?? false,
                    ExcludeSpecifiedAccounts = given.AccountScope.ExcludeSpecifiedAccounts ?? false,
                },
                OrganizationalUnitScope = given.OrganizationalUnitScope is null ? full.OrganizationalUnitScope : new OrganizationalUnitScope
                {
                    OrganizationalUnits = given.OrganizationalUnitScope.OrganizationalUnits ?? new List<string>(),
                    AllOrganizationalUnitsEnabled = given.OrganizationalUnitScope.AllOrganizationalUnitsEnabled ?? false,
                    ExcludeSpecifiedOrganizationalUnits = given.OrganizationalUnitScope.ExcludeSpecifiedOrganizationalUnits ?? false,
                },
                RegionScope = given.RegionScope is null ? full.RegionScope : new RegionScope
                {
                    Regions = given.RegionScope.Regions ?? new List<string>(),
                    AllRegionsEnabled = given.RegionScope.AllRegionsEnabled ?? false,
                },
                PolicyTypeScope = given.PolicyTypeScope is null ? full.PolicyTypeScope : new PolicyTypeScope
                {
                    PolicyTypes = given.PolicyTypeScope.PolicyTypes ?? new List<string>(),
                    AllPolicyTypesEnabled = given.PolicyTypeScope.AllPolicyTypesEnabled ?? false,
                },
            };
        }

        // ------------------------------------------------------------------ administrators (#45, #22, #43)

        private object? AssociateAdminAccount(RequestContext context, AssociateAdminAccountRequest request)
        {
            RequireManagementAccount(context);
            var accountId = request.AdminAccount!;
            if (context.World.FindAccount(accountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + accountId + " is not a member of the organization " + context.World.Organization.Id + ".");
            if (string.Equals(accountId, context.World.Organization.ManagementAccountId, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("The management account cannot be the Firewall Manager administrator; choose a member account.");
            var current = DefaultAdmin(context.Store);
            if (current != null)
            {
                if (current.AccountId == accountId) return null;
                throw SandboxFmsErrors.InvalidOperation("Account " + current.AccountId + " is already the Firewall Manager default administrator; "
                    + "disassociate it before associating another account.");
            }
            var existing = context.Store.Admins.Find(accountId);
            if (existing is null && context.Store.Admins.Count >= _options.Quotas.AdministratorsPerOrganization)
                throw SandboxFmsErrors.LimitExceeded("The organization already has " + _options.Quotas.AdministratorsPerOrganization + " Firewall Manager administrators.");
            context.Store.Admins.Put(accountId, new AdminRecord
            {
                AccountId = accountId,
                IsDefault = true,
                Scope = FullScope(),
                AssociatedAt = context.Now,
                Sequence = existing?.Sequence ?? context.Store.NextSequence("admins"),
            });
            MirrorAdministratorIntoWorld(context, accountId, context.Now);
            return null;
        }

        private static void MirrorAdministratorIntoWorld(RequestContext context, string? accountId, DateTime now)
        {
            var organization = context.World.Organization;
            organization.FmsAdministratorAccountId = accountId ?? "";
            organization.DelegatedAdministrators.RemoveAll(d => d.ServicePrincipal == "fms.amazonaws.com");
            if (accountId != null)
                organization.DelegatedAdministrators.Add(new DelegatedAdministrator
                {
                    AccountId = accountId, ServicePrincipal = "fms.amazonaws.com", DelegationEnabledDate = now,
                });
            context.World.InvalidateIndexes();
        }

        private object? DisassociateAdminAccount(RequestContext context, DisassociateAdminAccountRequest request)
        {
            var store = context.Store;
            var caller = context.Caller.AccountId;
            var isManagement = caller == context.World.Organization.ManagementAccountId;
            var target = store.Admins.Find(caller);
            if (target is null && isManagement) target = DefaultAdmin(store);
            if (target is null)
                throw SandboxFmsErrors.NotFound("Account " + caller + " is not a Firewall Manager administrator.");
            if (target.IsDefault && store.Admins.Values.Any(a => !a.IsDefault))
                throw SandboxFmsErrors.InvalidOperation("The default administrator can be disassociated only after every other Firewall Manager administrator "
                    + "has been removed (first in, last out).");
            // Disassociation deletes the policies the administrator created (#45), and with them their tags.
            foreach (var policy in store.Policies.Values.Where(p => p.OwnerAccountId == target.AccountId).ToList())
            {
                DeletePolicyResources(context, policy, deleteAllPolicyResources: false);
                store.Policies.Remove(policy.Policy.PolicyId!);
                store.Tags.Remove(PolicyArn(policy));
            }
            store.Admins.Remove(target.AccountId);
            if (target.IsDefault) MirrorAdministratorIntoWorld(context, null, context.Now);
            return null;
        }

        private object GetAdminAccount(RequestContext context, GetAdminAccountRequest request)
        {
            var admin = DefaultAdmin(context.Store)
                ?? throw SandboxFmsErrors.NotFound("No Firewall Manager administrator account is associated with the organization.");
            return new GetAdminAccountResponse { AdminAccount = admin.AccountId, RoleStatus = RoleStatus(admin, context, _options) };
        }

        private object? PutAdminAccount(RequestContext context, PutAdminAccountRequest request)
        {
            RequireManagementAccount(context);
            var store = context.Store;
            var accountId = request.AdminAccount!;
            if (context.World.FindAccount(accountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + accountId + " is not a member of the organization " + context.World.Organization.Id + ".");
            var defaultAdmin = DefaultAdmin(store)
                ?? throw SandboxFmsErrors.InvalidOperation("The organization is not onboarded to Firewall Manager: call AssociateAdminAccount first.");
            if (defaultAdmin.AccountId == accountId)
                throw SandboxFmsErrors.InvalidOperation("Account " + accountId + " is the default administrator, whose scope is the whole organization.");
            var existing = store.Admins.Find(accountId);
            if (existing is null && store.Admins.Count >= _options.Quotas.AdministratorsPerOrganization)
                throw SandboxFmsErrors.LimitExceeded("The organization already has " + _options.Quotas.AdministratorsPerOrganization + " Firewall Manager administrators.");
            var scope = CompleteScope(request.AdminScope);
            foreach (var type in scope.PolicyTypeScope?.PolicyTypes ?? new List<string>())
                if (!SecurityServiceTypeValues.All.Contains(type))
                    throw SandboxFmsErrors.InvalidInput("Unknown policy type " + type + " in PolicyTypeScope.");
            store.Admins.Put(accountId, new AdminRecord
            {
                AccountId = accountId,
                IsDefault = false,
                Scope = scope,
                AssociatedAt = existing?.AssociatedAt ?? context.Now,
                Sequence = existing?.Sequence ?? store.NextSequence("admins"),
            });
            return null;
        }

        private object GetAdminScope(RequestContext context, GetAdminScopeRequest request)
        {
            var caller = context.Caller.AccountId;
            if (caller != context.World.Organization.ManagementAccountId && caller != request.AdminAccount)
                throw SandboxFmsErrors.InvalidOperation("Only the management account or the administrator itself can read an administrator's scope.");
            var admin = context.Store.Admins.Find(request.AdminAccount!)
                ?? throw SandboxFmsErrors.NotFound("Account " + request.AdminAccount + " is not a Firewall Manager administrator.");
            return new GetAdminScopeResponse { AdminScope = admin.Scope, Status = OrganizationStatusValues.OnboardingComplete };
        }

        private object ListAdminAccountsForOrganization(RequestContext context, ListAdminAccountsForOrganizationRequest request)
        {
            RequireManagementAccount(context);
            var admins = context.Store.Admins.Values.OrderBy(a => a.Sequence)
                .Select(a => new AdminAccountSummary { AdminAccount = a.AccountId, DefaultAdmin = a.IsDefault, Status = OrganizationStatusValues.OnboardingComplete })
                .ToList();
            var page = Pagination.Page(admins, request.MaxResults, request.NextToken, 100, out var next);
            return new ListAdminAccountsForOrganizationResponse { AdminAccounts = page, NextToken = next };
        }

        private object ListAdminsManagingAccount(RequestContext context, ListAdminsManagingAccountRequest request)
        {
            var caller = context.Caller.AccountId;
            var admins = context.Store.Admins.Values.OrderBy(a => a.Sequence)
                .Where(a => AccountInScope(a, context.World, caller))
                .Select(a => a.AccountId).ToList();
            var page = Pagination.Page(admins, request.MaxResults, request.NextToken, 100, out var next);
            return new ListAdminsManagingAccountResponse { AdminAccounts = page, NextToken = next };
        }

        // ------------------------------------------------------------------ policies

        internal static string PolicyArn(PolicyRecord record)
            => "arn:aws:fms:" + record.Region + ":" + record.OwnerAccountId + ":policy/" + record.Policy.PolicyId;

        /// <summary>"1:" and 16 random bytes in base64, the form FMS tokens take (#15).</summary>
        internal static string NewUpdateToken()
        {
            var bytes = new byte[16];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return "1:" + Convert.ToBase64String(bytes);
        }

        private static PolicyRecord FindPolicy(RequestContext context, AdminRecord admin, string policyId)
            => FindOwned(context, admin, context.Store.Policies, policyId, "The referenced policy " + policyId + " does not exist.");

        /// <summary>A stored policy as the wire returns it, with its status against the owner's current scope (#43).</summary>
        private static Policy Present(PolicyRecord record, AdminRecord admin)
        {
            var inScope = RegionInScope(admin, record.Region) && PolicyTypeInScope(admin, record.Policy.SecurityServicePolicyData!.Type!);
            var status = inScope ? CustomerPolicyStatusValues.Active : CustomerPolicyStatusValues.OutOfAdminScope;
            if (record.Policy.PolicyStatus == status) return record.Policy;
            var copy = SandboxJson.Clone(record.Policy);
            copy.PolicyStatus = status;
            return copy;
        }

        private object PutPolicy(RequestContext context, PutPolicyRequest request)
        {
            var admin = RequireAdmin(context);
            var store = context.Store;
            var input = request.Policy!;
            var data = input.SecurityServicePolicyData!;
            var policyType = data.Type!;

            if (!RegionInScope(admin, context.Region))
                throw SandboxFmsErrors.InvalidOperation("Region " + context.Region + " is outside the administrator's scope.");
            if (!PolicyTypeInScope(admin, policyType))
                throw SandboxFmsErrors.InvalidOperation("Policy type " + policyType + " is outside the administrator's scope.");

            PolicyRecord? existing = null;
            if (!string.IsNullOrEmpty(input.PolicyId))
            {
                existing = FindPolicy(context, admin, input.PolicyId!);
                // Optimistic concurrency (#15): the error for a missing or stale token is unconfirmed; InvalidInputException
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
            else if (OwnedBy(context, admin, store.Policies).Count() >= _options.Quotas.PoliciesPerAdminAndRegion)
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
            normalized.PolicyUpdateToken = NewUpdateToken();
            record.Policy = normalized;
            record.UpdatedAt = now;
            store.Policies.Put(normalized.PolicyId!, record);
            if (request.TagList != null && request.TagList.Count > 0) MergeTags(store, PolicyArn(record), request.TagList);
            return new PutPolicyResponse { Policy = Present(record, admin), PolicyArn = PolicyArn(record) };
        }

        /// <summary>Applies the service's rules and defaults to a PutPolicy input (#7-#13, #19, #20, #41, #44).</summary>
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
                resourceType = ResourceTypeListLiteral; // several types: ResourceType is the literal (#11)
            else if (typeList.Count == 1 && resourceType != typeList[0])
                throw SandboxFmsErrors.InvalidInput("ResourceType " + resourceType + " does not match ResourceTypeList [" + typeList[0] + "]; set ResourceType to ResourceTypeList.");

            // CloudFront (#19, #42): only in us-east-1, and not inside a ResourceTypeList.
            if (resourceType == CloudFrontType && context.Region != GlobalRegion)
                throw SandboxFmsErrors.InvalidInput("Resource [" + CloudFrontType + "] can not be used in region: " + context.Region);
            if (resourceType == ResourceTypeListLiteral && typeList.Contains(CloudFrontType))
                throw SandboxFmsErrors.InvalidInput("Resource [" + CloudFrontType + "] can not be used in a ResourceTypeList; create a separate policy for CloudFront distributions in us-east-1.");

            // Fixed resource types per policy type where the reference pins them (#42).
            var candidates = resourceType == ResourceTypeListLiteral ? typeList : new List<string> { resourceType };
            if (policyType == SecurityServiceTypeValues.ShieldAdvanced || policyType == SecurityServiceTypeValues.DnsFirewall)
            {
                var allowed = ResourceTypes.AllowedByPolicyType[policyType];
                foreach (var candidate in candidates)
                    if (!allowed.Contains(candidate))
                        throw SandboxFmsErrors.InvalidInput("Resource type " + candidate + " is not supported by policy type " + policyType
                            + ". Supported: " + string.Join(", ", allowed) + ".");
            }

            // IMPORT_NETWORK_FIREWALL needs resource sets (#20).
            var resourceSetIds = input.ResourceSetIds?.Distinct().ToList() ?? new List<string>();
            if (policyType == SecurityServiceTypeValues.ImportNetworkFirewall && resourceSetIds.Count == 0)
                throw SandboxFmsErrors.InvalidInput("Policies of type IMPORT_NETWORK_FIREWALL must specify resourceSetIds.");
            if (resourceSetIds.Count > _options.Quotas.ResourceSetsPerPolicy)
                throw SandboxFmsErrors.LimitExceeded("A policy can use at most " + _options.Quotas.ResourceSetsPerPolicy + " resource sets.");
            foreach (var setId in resourceSetIds)
            {
                FindOwned(context, admin, context.Store.ResourceSets, setId, "The referenced resource set " + setId + " does not exist.");
            }

            var tags = (input.ResourceTags ?? new List<ResourceTag>())
                .Select(t => new ResourceTag { Key = t.Key, Value = t.Value ?? "" }).ToList(); // a tag without Value is "" (#12)
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
                    // Not returned for WAF policies (#13); kept for the firewall types that use it.
                    PolicyOption = policyType == SecurityServiceTypeValues.Waf || policyType == SecurityServiceTypeValues.Wafv2 ? null : data.PolicyOption,
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
                // Defaults to AND; an update that omits it resets OR to AND (#12).
                ResourceTagLogicalOperator = input.ResourceTagLogicalOperator ?? ResourceTagLogicalOperatorValues.And,
            };
            return policy;
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

        private object GetPolicy(RequestContext context, GetPolicyRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            return new GetPolicyResponse { Policy = Present(record, admin), PolicyArn = PolicyArn(record) };
        }

        private object? DeletePolicy(RequestContext context, DeletePolicyRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            DeletePolicyResources(context, record, request.DeleteAllPolicyResources ?? false);
            context.Store.Policies.Remove(record.Policy.PolicyId!);
            context.Store.Tags.Remove(PolicyArn(record));
            return null;
        }

        private object ListPolicies(RequestContext context, ListPoliciesRequest request)
        {
            var admin = RequireAdmin(context);
            var summaries = OwnedBy(context, admin, context.Store.Policies)
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

        // ------------------------------------------------------------------ tags

        private static void MergeTags(SandboxStore store, string arn, IEnumerable<Tag> tags)
        {
            var current = store.Tags.Find(arn)?.Tags ?? new List<Tag>();
            var merged = current.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            foreach (var tag in tags)
            {
                merged.RemoveAll(t => t.Key == tag.Key);
                merged.Add(new Tag { Key = tag.Key, Value = tag.Value ?? "" });
            }
            if (merged.Count > 200) throw SandboxFmsErrors.LimitExceeded("A resource can have at most 200 tags.");
            store.Tags.Put(arn, new TagsRecord { Tags = merged });
        }

        /// <summary>Resolves an FMS ARN the caller owns: policy, applications list, protocols list or resource set.</summary>
        private static void RequireTaggable(RequestContext context, AdminRecord admin, string arn)
        {
            var parts = arn.Split(':');
            if (parts.Length < 6 || parts[0] != "arn" || parts[2] != "fms")
                throw SandboxFmsErrors.InvalidInput("The resource ARN " + arn + " is not a Firewall Manager ARN.");
            var region = parts[3];
            var account = parts[4];
            var resource = string.Join(":", parts.Skip(5));
            var slash = resource.IndexOf('/');
            var kind = slash < 0 ? resource : resource.Substring(0, slash);
            var id = slash < 0 ? "" : resource.Substring(slash + 1);
            var store = context.Store;
            var exists = account == admin.AccountId && region == context.Region && kind switch
            {
                "policy" => store.Policies.Find(id) is PolicyRecord p && p.OwnerAccountId == account && p.Region == region,
                "applications-list" => store.AppsLists.Find(id) is AppsListRecord a && a.OwnerAccountId == account && a.Region == region,
                "protocols-list" => store.ProtocolsLists.Find(id) is ProtocolsListRecord l && l.OwnerAccountId == account && l.Region == region,
                "resource-set" => store.ResourceSets.Find(id) is ResourceSetRecord s && s.OwnerAccountId == account && s.Region == region,
                _ => false,
            };
            if (!exists) throw SandboxFmsErrors.NotFound("The resource " + arn + " does not exist.");
        }

        private object TagResource(RequestContext context, TagResourceRequest request)
        {
            var admin = RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            MergeTags(context.Store, request.ResourceArn!, request.TagList!);
            return new TagResourceResponse();
        }

        private object UntagResource(RequestContext context, UntagResourceRequest request)
        {
            var admin = RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            var current = context.Store.Tags.Find(request.ResourceArn!)?.Tags ?? new List<Tag>();
            var keys = new HashSet<string>(request.TagKeys!, StringComparer.Ordinal);
            var remaining = current.Where(t => !keys.Contains(t.Key!)).ToList();
            if (remaining.Count != current.Count) context.Store.Tags.Put(request.ResourceArn!, new TagsRecord { Tags = remaining });
            return new UntagResourceResponse();
        }

        private object ListTagsForResource(RequestContext context, ListTagsForResourceRequest request)
        {
            var admin = RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            return new ListTagsForResourceResponse { TagList = context.Store.Tags.Find(request.ResourceArn!)?.Tags ?? new List<Tag>() };
        }

        // ------------------------------------------------------------------ notification channel

        private static string ChannelKey(AdminRecord admin, RequestContext context) => admin.AccountId + "|" + context.Region;

        private object? PutNotificationChannel(RequestContext context, PutNotificationChannelRequest request)
        {
            var admin = RequireAdmin(context);
            if (!request.SnsTopicArn!.StartsWith("arn:aws:sns:", StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("SnsTopicArn " + request.SnsTopicArn + " is not an Amazon SNS topic ARN.");
            context.Store.NotificationChannels.Put(ChannelKey(admin, context),
                new NotificationChannelRecord { SnsTopicArn = request.SnsTopicArn!, SnsRoleName = request.SnsRoleName! });
            return null;
        }

        private object GetNotificationChannel(RequestContext context, GetNotificationChannelRequest request)
        {
            var admin = RequireAdmin(context);
            var channel = context.Store.NotificationChannels.Find(ChannelKey(admin, context));
            return channel is null
                ? new GetNotificationChannelResponse()
                : new GetNotificationChannelResponse { SnsTopicArn = channel.SnsTopicArn, SnsRoleName = channel.SnsRoleName };
        }

        private object? DeleteNotificationChannel(RequestContext context, DeleteNotificationChannelRequest request)
        {
            var admin = RequireAdmin(context);
            if (!context.Store.NotificationChannels.Remove(ChannelKey(admin, context)))
                throw SandboxFmsErrors.NotFound("No notification channel is set for " + admin.AccountId + " in " + context.Region + ".");
            return null;
        }

        // ------------------------------------------------------------------ organization views

        private object ListMemberAccounts(RequestContext context, ListMemberAccountsRequest request)
        {
            var caller = context.Caller.AccountId;
            var admin = context.Store.Admins.Find(caller);
            if (admin is null && caller != context.World.Organization.ManagementAccountId) throw SandboxFmsErrors.AccessDenied(context.Operation);
            var accounts = context.World.ActiveAccounts()
                .Where(a => admin is null || AccountInScope(admin, context.World, a.Id))
                .Select(a => a.Id).ToList();
            var page = Pagination.Page(accounts, request.MaxResults, request.NextToken, 100, out var next);
            return new ListMemberAccountsResponse { MemberAccounts = page, NextToken = next };
        }

        private object ListDiscoveredResources(RequestContext context, ListDiscoveredResourcesRequest request)
        {
            var admin = RequireAdmin(context);
            foreach (var account in request.MemberAccountIds!)
                if (context.World.FindAccount(account) is null || !AccountInScope(admin, context.World, account))
                    throw SandboxFmsErrors.InvalidInput("Account " + account + " is not a member account in the administrator's scope.");
            var items = context.World.ListDiscoveredResources(request.MemberAccountIds!, request.ResourceType!, context.Region);
            var page = Pagination.Page(items, request.MaxResults, request.NextToken, 100, out var next);
            return new ListDiscoveredResourcesResponse { Items = page, NextToken = next };
        }
    }
}
