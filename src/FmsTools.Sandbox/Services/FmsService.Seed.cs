using System;
using System.Collections.Generic;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;

namespace FmsTools.Sandbox.Services
{
    internal sealed partial class FmsService
    {
        /// <summary>
        /// Stores a policy with a given id (the demo organization's pre-existing FMS resources refer to fixed ids),
        /// through the same normalization as PutPolicy. Call under the store lock.
        /// </summary>
        internal void SeedPolicy(SandboxStore store, string adminAccountId, string region, Policy input, DateTime now)
        {
            var admin = store.Admins.Find(adminAccountId) ?? throw new ArgumentException("Account " + adminAccountId + " is not an administrator.");
            var context = new RequestContext(new CallerIdentity(adminAccountId, "arn:aws:iam::" + adminAccountId + ":user/sandbox-seed", "seed", "seed"),
                region, "PutPolicy", now, store);
            var normalized = NormalizePolicy(context, admin, input);
            normalized.PolicyId = input.PolicyId ?? Guid.NewGuid().ToString();
            normalized.PolicyUpdateToken = NewUpdateToken();
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

        /// <summary>Makes an account the default administrator, already READY (the usual starting state).</summary>
        internal static void SeedDefaultAdmin(SandboxStore store, string accountId, DateTime now, SandboxOptions options)
        {
            store.Admins.Put(accountId, new AdminRecord
            {
                AccountId = accountId,
                IsDefault = true,
                Scope = FullScope(),
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
    }
}
