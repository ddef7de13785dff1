using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// Firewall Manager administrators: the default one (AssociateAdminAccount, DisassociateAdminAccount, GetAdminAccount)
    /// and scoped ones (PutAdminAccount, GetAdminScope), the organization's list of them and who manages an account. Only
    /// the management account associates administrators; the default one is mirrored into the organization as the FMS
    /// delegated administrator.
    /// </summary>
    internal sealed class FmsAdministratorOperations
    {
        private readonly SandboxOptions _options;
        private readonly FmsPolicyOperations _policies;

        public FmsAdministratorOperations(SandboxOptions options, FmsPolicyOperations policies)
        {
            _options = options;
            _policies = policies;
        }

        /// <summary>Makes an account the default administrator, already READY (the usual starting state).</summary>
        public static void SeedDefaultAdmin(SandboxStore store, string accountId, DateTime now, SandboxOptions options)
        {
            store.Admins.Put(accountId, new AdminRecord
            {
                AccountId = accountId,
                IsDefault = true,
                Scope = AdminScopes.FullScope(),
                AssociatedAt = now - options.AdminSetupDelay,
                Sequence = store.NextSequence("admins"),
            });
            var organization = store.World.Organization;
            organization.FmsAdministratorAccountId = accountId;
            if (!organization.DelegatedAdministrators.Exists(d => d.ServicePrincipal == "fms.amazonaws.com"))
                organization.DelegatedAdministrators.Add(new World.DelegatedAdministrator
                {
                    AccountId = accountId, ServicePrincipal = "fms.amazonaws.com", DelegationEnabledDate = now,
                });
            store.World.InvalidateIndexes();
        }

        private static string RoleStatus(AdminRecord admin, RequestContext context, SandboxOptions options)
            => context.Now >= admin.AssociatedAt + options.AdminSetupDelay ? AccountRoleStatusValues.Ready : AccountRoleStatusValues.Creating;

        public object? AssociateAdminAccount(RequestContext context, AssociateAdminAccountRequest request)
        {
            FmsAccess.RequireManagementAccount(context);
            var accountId = request.AdminAccount!;
            if (context.World.FindAccount(accountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + accountId + " is not a member of the organization " + context.World.Organization.Id + ".");
            if (string.Equals(accountId, context.World.Organization.ManagementAccountId, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("The management account cannot be the Firewall Manager administrator; choose a member account.");
            var current = FmsAccess.DefaultAdmin(context.Store);
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
                Scope = AdminScopes.FullScope(),
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

        public object? DisassociateAdminAccount(RequestContext context, DisassociateAdminAccountRequest request)
        {
            var store = context.Store;
            var caller = context.Caller.AccountId;
            var isManagement = caller == context.World.Organization.ManagementAccountId;
            var target = store.Admins.Find(caller);
            if (target is null && isManagement) target = FmsAccess.DefaultAdmin(store);
            if (target is null)
                throw SandboxFmsErrors.NotFound("Account " + caller + " is not a Firewall Manager administrator.");
            if (target.IsDefault && store.Admins.Values.Any(a => !a.IsDefault))
                throw SandboxFmsErrors.InvalidOperation("The default administrator can be disassociated only after every other Firewall Manager administrator "
                    + "has been removed (first in, last out).");
            // Disassociation deletes the policies the administrator created (DisassociateAdminAccount documentation), and with them their tags.
            foreach (var policy in store.Policies.Values.Where(p => p.OwnerAccountId == target.AccountId).ToList())
                _policies.Delete(context, policy, deleteAllPolicyResources: false);
            store.Admins.Remove(target.AccountId);
            if (target.IsDefault) MirrorAdministratorIntoWorld(context, null, context.Now);
            return null;
        }

        public object GetAdminAccount(RequestContext context, GetAdminAccountRequest request)
        {
            var admin = FmsAccess.DefaultAdmin(context.Store)
                ?? throw SandboxFmsErrors.NotFound("No Firewall Manager administrator account is associated with the organization.");
            return new GetAdminAccountResponse { AdminAccount = admin.AccountId, RoleStatus = RoleStatus(admin, context, _options) };
        }

        public object? PutAdminAccount(RequestContext context, PutAdminAccountRequest request)
        {
            FmsAccess.RequireManagementAccount(context);
            var store = context.Store;
            var accountId = request.AdminAccount!;
            if (context.World.FindAccount(accountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + accountId + " is not a member of the organization " + context.World.Organization.Id + ".");
            var defaultAdmin = FmsAccess.DefaultAdmin(store)
                ?? throw SandboxFmsErrors.InvalidOperation("The organization is not onboarded to Firewall Manager: call AssociateAdminAccount first.");
            if (defaultAdmin.AccountId == accountId)
                throw SandboxFmsErrors.InvalidOperation("Account " + accountId + " is the default administrator, whose scope is the whole organization.");
            var existing = store.Admins.Find(accountId);
            if (existing is null && store.Admins.Count >= _options.Quotas.AdministratorsPerOrganization)
                throw SandboxFmsErrors.LimitExceeded("The organization already has " + _options.Quotas.AdministratorsPerOrganization + " Firewall Manager administrators.");
            var scope = AdminScopes.CompleteScope(request.AdminScope);
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

        public object GetAdminScope(RequestContext context, GetAdminScopeRequest request)
        {
            var caller = context.Caller.AccountId;
            if (caller != context.World.Organization.ManagementAccountId && caller != request.AdminAccount)
                throw SandboxFmsErrors.InvalidOperation("Only the management account or the administrator itself can read an administrator's scope.");
            var admin = context.Store.Admins.Find(request.AdminAccount!)
                ?? throw SandboxFmsErrors.NotFound("Account " + request.AdminAccount + " is not a Firewall Manager administrator.");
            return new GetAdminScopeResponse { AdminScope = admin.Scope, Status = OrganizationStatusValues.OnboardingComplete };
        }

        public object ListAdminAccountsForOrganization(RequestContext context, ListAdminAccountsForOrganizationRequest request)
        {
            FmsAccess.RequireManagementAccount(context);
            var admins = context.Store.Admins.Values.OrderBy(a => a.Sequence)
                .Select(a => new AdminAccountSummary { AdminAccount = a.AccountId, DefaultAdmin = a.IsDefault, Status = OrganizationStatusValues.OnboardingComplete })
                .ToList();
            var page = Pagination.Page(admins, request.MaxResults, request.NextToken, 100, out var next);
            return new ListAdminAccountsForOrganizationResponse { AdminAccounts = page, NextToken = next };
        }

        public object ListAdminsManagingAccount(RequestContext context, ListAdminsManagingAccountRequest request)
        {
            var caller = context.Caller.AccountId;
            var admins = context.Store.Admins.Values.OrderBy(a => a.Sequence)
                .Where(a => AdminScopes.AccountInScope(a, context.World, caller))
                .Select(a => a.AccountId).ToList();
            var page = Pagination.Page(admins, request.MaxResults, request.NextToken, 100, out var next);
            return new ListAdminsManagingAccountResponse { AdminAccounts = page, NextToken = next };
        }
    }
}
