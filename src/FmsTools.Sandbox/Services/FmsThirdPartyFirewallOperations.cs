using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// An administrator's association with a third-party firewall vendor (AssociateThirdPartyFirewall and friends):
    /// onboarding and offboarding complete on the next convergence pass, and an onboarded vendor lists its firewall policies.
    /// </summary>
    internal sealed class FmsThirdPartyFirewallOperations
    {
        private static ThirdPartyFirewallAssociation? FindAssociation(RequestContext context, AdminRecord admin, string firewall)
            => context.World.ThirdPartyFirewallAssociations.FirstOrDefault(a => a.AdminAccountId == admin.AccountId && a.ThirdPartyFirewall == firewall);

        /// <summary>Completes the onboarding and offboarding started since the last convergence pass (called under the store lock).</summary>
        public static void CompletePending(World.World world)
        {
            foreach (var association in world.ThirdPartyFirewallAssociations)
            {
                if (association.Status == ThirdPartyFirewallAssociationStatusValues.Onboarding)
                {
                    association.Status = ThirdPartyFirewallAssociationStatusValues.OnboardComplete;
                    world.MarkChanged();
                }
                else if (association.Status == ThirdPartyFirewallAssociationStatusValues.Offboarding)
                {
                    association.Status = ThirdPartyFirewallAssociationStatusValues.OffboardComplete;
                    world.MarkChanged();
                }
            }
        }

        public object AssociateThirdPartyFirewall(RequestContext context, AssociateThirdPartyFirewallRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null)
            {
                association = new ThirdPartyFirewallAssociation
                {
                    AdminAccountId = admin.AccountId,
                    ThirdPartyFirewall = request.ThirdPartyFirewall!,
                    Status = ThirdPartyFirewallAssociationStatusValues.Onboarding,
                    MarketplaceOnboardingStatus = MarketplaceSubscriptionOnboardingStatusValues.Complete,
                    FirewallPolicyNames = new[] { "Baseline-Inspection", "Egress-Filtering" },
                };
                context.World.ThirdPartyFirewallAssociations.Add(association);
            }
            // Onboarding completes on the next convergence pass (SandboxHost.Converge).
            else if (association.Status != ThirdPartyFirewallAssociationStatusValues.OnboardComplete)
                association.Status = ThirdPartyFirewallAssociationStatusValues.Onboarding;
            context.World.MarkChanged();
            return new AssociateThirdPartyFirewallResponse { ThirdPartyFirewallStatus = association.Status };
        }

        public object DisassociateThirdPartyFirewall(RequestContext context, DisassociateThirdPartyFirewallRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null || association.Status == ThirdPartyFirewallAssociationStatusValues.NotExist)
                throw SandboxFmsErrors.NotFound("The administrator is not associated with " + request.ThirdPartyFirewall + ".");
            if (association.Status != ThirdPartyFirewallAssociationStatusValues.OffboardComplete)
                association.Status = ThirdPartyFirewallAssociationStatusValues.Offboarding;
            context.World.MarkChanged();
            return new DisassociateThirdPartyFirewallResponse { ThirdPartyFirewallStatus = association.Status };
        }

        public object GetThirdPartyFirewallAssociationStatus(RequestContext context, GetThirdPartyFirewallAssociationStatusRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            return association is null
                ? new GetThirdPartyFirewallAssociationStatusResponse
                {
                    ThirdPartyFirewallStatus = ThirdPartyFirewallAssociationStatusValues.NotExist,
                    MarketplaceOnboardingStatus = MarketplaceSubscriptionOnboardingStatusValues.NoSubscription,
                }
                : new GetThirdPartyFirewallAssociationStatusResponse
                {
                    ThirdPartyFirewallStatus = association.Status,
                    MarketplaceOnboardingStatus = association.MarketplaceOnboardingStatus,
                };
        }

        public object ListThirdPartyFirewallFirewallPolicies(RequestContext context, ListThirdPartyFirewallFirewallPoliciesRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null || association.Status != ThirdPartyFirewallAssociationStatusValues.OnboardComplete)
                throw SandboxFmsErrors.InvalidOperation("The administrator has not completed onboarding to " + request.ThirdPartyFirewall
                    + "; call AssociateThirdPartyFirewall and wait for ONBOARD_COMPLETE.");
            var policies = association.FirewallPolicyNames.Select(name => new ThirdPartyFirewallFirewallPolicy
            {
                FirewallPolicyId = StableId(request.ThirdPartyFirewall + "/" + admin.AccountId + "/" + name),
                FirewallPolicyName = name,
            }).ToList();
            var page = Pagination.Page(policies, request.MaxResults, request.NextToken, 100, out var next);
            return new ListThirdPartyFirewallFirewallPoliciesResponse { ThirdPartyFirewallFirewallPolicies = page, NextToken = next };
        }

        private static string StableId(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return new Guid(hash.Take(16).ToArray()).ToString();
        }
    }
}
