using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// Who may call and what they own: every FMS operation of the sandbox checks its caller here, and finds, lists and
    /// deletes the records an administrator owns in a Region (policies, lists, resource sets) the same way.
    /// </summary>
    internal static class FmsAccess
    {
        /// <summary>
        /// The calling FMS administrator, or AccessDeniedException: the service answers a caller that is not an
        /// administrator with that error, which its model does not declare.
        /// </summary>
        public static AdminRecord RequireAdmin(RequestContext context)
        {
            var admin = context.Store.Admins.Find(context.Caller.AccountId);
            if (admin is null) throw SandboxFmsErrors.AccessDenied(context.Operation);
            return admin;
        }

        public static void RequireManagementAccount(RequestContext context)
        {
            var management = context.World.Organization.ManagementAccountId;
            if (!string.Equals(context.Caller.AccountId, management, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidOperation("This operation can only be performed by the management account of the organization ("
                    + management + "). Account " + context.Caller.AccountId + " is not the management account.");
        }

        public static AdminRecord? DefaultAdmin(SandboxStore store) => store.Admins.Values.FirstOrDefault(a => a.IsDefault);

        /// <summary>The ARN of an administrator's list or resource set: arn:aws:fms:region:account:kind/id.</summary>
        public static string Arn(string kind, string region, string account, string id) => "arn:aws:fms:" + region + ":" + account + ":" + kind + "/" + id;

        /// <summary>"1:" and 16 random bytes in base64, the form FMS update tokens take.</summary>
        public static string NewUpdateToken()
        {
            var bytes = new byte[16];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return "1:" + Convert.ToBase64String(bytes);
        }

        /// <summary>The caller's own records of this region, in creation order (what listings show and quotas count).</summary>
        public static IEnumerable<T> OwnedBy<T>(RequestContext context, AdminRecord admin, StateTable<T> table) where T : class, IAdminOwned
            => table.Values.Where(r => r.OwnerAccountId == admin.AccountId && r.Region == context.Region).OrderBy(r => r.Sequence);

        /// <summary>The caller's record with this id in this region; one of another administrator or region is NotFound too.</summary>
        public static T FindOwned<T>(RequestContext context, AdminRecord admin, StateTable<T> table, string id, string notFoundMessage)
            where T : class, IAdminOwned
        {
            var record = table.Find(id);
            if (record is null || record.OwnerAccountId != admin.AccountId || record.Region != context.Region)
                throw SandboxFmsErrors.NotFound(notFoundMessage);
            return record;
        }

        /// <summary>Deletes the caller's list or resource set (and its tags), unless one of its policies uses it.</summary>
        public static object? DeleteOwned<T>(RequestContext context, StateTable<T> table, string id, string noun, string arnKind) where T : class, IAdminOwned
        {
            var admin = RequireAdmin(context);
            FindOwned(context, admin, table, id, "The " + noun + " " + id + " does not exist.");
            var user = PolicyReferencing(context, admin.AccountId, id);
            if (user != null)
                throw SandboxFmsErrors.InvalidOperation("The " + noun + " " + id + " is used by policy " + user.Policy.PolicyId + " and cannot be deleted.");
            table.Remove(id);
            context.Store.Tags.Remove(Arn(arnKind, context.Region, admin.AccountId, id));
            return null;
        }

        /// <summary>Whether any of the administrator's policies refers to the id (a deleted list or set would break it).</summary>
        private static PolicyRecord? PolicyReferencing(RequestContext context, string ownerAccountId, string id)
            => context.Store.Policies.Values.FirstOrDefault(p => p.OwnerAccountId == ownerAccountId && p.Region == context.Region
                && ((p.Policy.SecurityServicePolicyData?.ManagedServiceData?.IndexOf(id, StringComparison.Ordinal) ?? -1) >= 0
                    || (p.Policy.ResourceSetIds?.Contains(id) ?? false)));
    }
}
