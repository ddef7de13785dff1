using System;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// Firewall Manager 2018-01-01 over the sandbox store: which operation each handler answers. Policies, lists, resource
    /// sets, administrators, tags, the notification channel and third-party firewall association each have their own
    /// operations class; they follow how the real service behaves (the AWS Firewall Manager API reference and developer
    /// guide), as their comments say where it matters.
    /// </summary>
    internal sealed class FmsService : JsonService
    {
        private readonly FmsPolicyOperations _policies;

        public FmsService(SandboxOptions options) : base("fms", "InvalidInputException")
        {
            _policies = new FmsPolicyOperations(options);
            var admins = new FmsAdministratorOperations(options, _policies);
            var appsLists = new FmsListOperations<AppsListRecord, AppsListData, App>(new AppsListKind(), options.Quotas);
            var protocolsLists = new FmsListOperations<ProtocolsListRecord, ProtocolsListData, string>(new ProtocolsListKind(), options.Quotas);
            var resourceSets = new FmsResourceSetOperations(options.Quotas);
            var tags = new FmsTagOperations();
            var accounts = new FmsAccountOperations();
            var thirdParty = new FmsThirdPartyFirewallOperations();
            var compliance = new FmsComplianceOperations(_policies);

            On<AssociateAdminAccountRequest>("AssociateAdminAccount", admins.AssociateAdminAccount, mutating: true);
            On<DisassociateAdminAccountRequest>("DisassociateAdminAccount", admins.DisassociateAdminAccount, mutating: true);
            On<GetAdminAccountRequest>("GetAdminAccount", admins.GetAdminAccount);
            On<PutAdminAccountRequest>("PutAdminAccount", admins.PutAdminAccount, mutating: true);
            On<GetAdminScopeRequest>("GetAdminScope", admins.GetAdminScope);
            On<ListAdminAccountsForOrganizationRequest>("ListAdminAccountsForOrganization", admins.ListAdminAccountsForOrganization);
            On<ListAdminsManagingAccountRequest>("ListAdminsManagingAccount", admins.ListAdminsManagingAccount);

            On<PutPolicyRequest>("PutPolicy", _policies.PutPolicy, mutating: true);
            On<GetPolicyRequest>("GetPolicy", _policies.GetPolicy);
            On<DeletePolicyRequest>("DeletePolicy", _policies.DeletePolicy, mutating: true);
            On<ListPoliciesRequest>("ListPolicies", _policies.ListPolicies);

            On<PutAppsListRequest>("PutAppsList", (c, r) => appsLists.Put(c, r.AppsList!, r.TagList), mutating: true);
            On<GetAppsListRequest>("GetAppsList", (c, r) => appsLists.Get(c, r.ListId!, r.DefaultList == true));
            On<DeleteAppsListRequest>("DeleteAppsList", (c, r) => appsLists.Delete(c, r.ListId!), mutating: true);
            On<ListAppsListsRequest>("ListAppsLists", (c, r) => appsLists.List(c, r.DefaultLists == true, r.MaxResults, r.NextToken));
            On<PutProtocolsListRequest>("PutProtocolsList", (c, r) => protocolsLists.Put(c, r.ProtocolsList!, r.TagList), mutating: true);
            On<GetProtocolsListRequest>("GetProtocolsList", (c, r) => protocolsLists.Get(c, r.ListId!, r.DefaultList == true));
            On<DeleteProtocolsListRequest>("DeleteProtocolsList", (c, r) => protocolsLists.Delete(c, r.ListId!), mutating: true);
            On<ListProtocolsListsRequest>("ListProtocolsLists", (c, r) => protocolsLists.List(c, r.DefaultLists == true, r.MaxResults, r.NextToken));

            On<PutResourceSetRequest>("PutResourceSet", resourceSets.PutResourceSet, mutating: true);
            On<GetResourceSetRequest>("GetResourceSet", resourceSets.GetResourceSet);
            On<DeleteResourceSetRequest>("DeleteResourceSet", resourceSets.DeleteResourceSet, mutating: true);
            On<ListResourceSetsRequest>("ListResourceSets", resourceSets.ListResourceSets);
            On<BatchAssociateResourceRequest>("BatchAssociateResource", resourceSets.BatchAssociateResource, mutating: true);
            On<BatchDisassociateResourceRequest>("BatchDisassociateResource", resourceSets.BatchDisassociateResource, mutating: true);
            On<ListResourceSetResourcesRequest>("ListResourceSetResources", resourceSets.ListResourceSetResources);

            On<PutNotificationChannelRequest>("PutNotificationChannel", accounts.PutNotificationChannel, mutating: true);
            On<GetNotificationChannelRequest>("GetNotificationChannel", accounts.GetNotificationChannel);
            On<DeleteNotificationChannelRequest>("DeleteNotificationChannel", accounts.DeleteNotificationChannel, mutating: true);

            On<TagResourceRequest>("TagResource", tags.TagResource, mutating: true);
            On<UntagResourceRequest>("UntagResource", tags.UntagResource, mutating: true);
            On<ListTagsForResourceRequest>("ListTagsForResource", tags.ListTagsForResource);

            On<AssociateThirdPartyFirewallRequest>("AssociateThirdPartyFirewall", thirdParty.AssociateThirdPartyFirewall, mutating: true);
            On<DisassociateThirdPartyFirewallRequest>("DisassociateThirdPartyFirewall", thirdParty.DisassociateThirdPartyFirewall, mutating: true);
            On<GetThirdPartyFirewallAssociationStatusRequest>("GetThirdPartyFirewallAssociationStatus", thirdParty.GetThirdPartyFirewallAssociationStatus);
            On<ListThirdPartyFirewallFirewallPoliciesRequest>("ListThirdPartyFirewallFirewallPolicies", thirdParty.ListThirdPartyFirewallFirewallPolicies);

            On<ListMemberAccountsRequest>("ListMemberAccounts", accounts.ListMemberAccounts);
            On<ListDiscoveredResourcesRequest>("ListDiscoveredResources", accounts.ListDiscoveredResources);

            On<ListComplianceStatusRequest>("ListComplianceStatus", compliance.ListComplianceStatus);
            On<GetComplianceDetailRequest>("GetComplianceDetail", compliance.GetComplianceDetail);
            On<GetViolationDetailsRequest>("GetViolationDetails", compliance.GetViolationDetails);
            On<GetProtectionStatusRequest>("GetProtectionStatus", compliance.GetProtectionStatus);
        }

        /// <summary>Set by the host once the World-backed engine exists.</summary>
        internal IPolicyEngine Engine
        {
            get => _policies.Engine;
            set => _policies.Engine = value;
        }

        /// <summary>
        /// One convergence pass: brings the World in line with the policies due for it (<see cref="FmsPolicyOperations.Converge"/>)
        /// and completes pending third-party firewall onboarding. Returns the number of policies converged. Called under
        /// the store lock by the host's convergence loop.
        /// </summary>
        internal int Converge(SandboxStore store, DateTime now, bool worldChangedSincePass)
        {
            var remediated = _policies.Converge(store, now, worldChangedSincePass);
            FmsThirdPartyFirewallOperations.CompletePending(store.World);
            return remediated;
        }

        /// <summary>
        /// Stores a policy with a given id (the demo organization's pre-existing FMS resources refer to fixed ids),
        /// through the same normalization as PutPolicy. Call under the store lock.
        /// </summary>
        internal void SeedPolicy(SandboxStore store, string adminAccountId, string region, Policy input, DateTime now)
            => _policies.Seed(store, adminAccountId, region, input, now);

        /// <summary>Makes an account the default administrator, already READY (the usual starting state).</summary>
        internal static void SeedDefaultAdmin(SandboxStore store, string accountId, DateTime now, SandboxOptions options)
            => FmsAdministratorOperations.SeedDefaultAdmin(store, accountId, now, options);
    }
}
