using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;

namespace FmsTools.Sandbox.Services
{
    internal sealed partial class FmsService
    {
        private IPolicyEngine? _engine;

        /// <summary>Set by the host once the World-backed engine exists.</summary>
        internal IPolicyEngine Engine
        {
            get => _engine ?? throw new System.InvalidOperationException("The sandbox policy engine is not attached.");
            set => _engine = value;
        }

        private void RegisterComplianceOperations()
        {
            On<ListComplianceStatusRequest>("ListComplianceStatus", ListComplianceStatus);
            On<GetComplianceDetailRequest>("GetComplianceDetail", GetComplianceDetail);
            On<GetViolationDetailsRequest>("GetViolationDetails", GetViolationDetails);
            On<GetProtectionStatusRequest>("GetProtectionStatus", GetProtectionStatus);
        }

        internal static EnginePolicy ToEngine(PolicyRecord record)
        {
            var policy = record.Policy;
            return new EnginePolicy(policy, record.OwnerAccountId, record.Region, record.UpdatedAt);
        }

        private void DeletePolicyResources(RequestContext context, PolicyRecord record, bool deleteAllPolicyResources)
            => Engine.DeletePolicyResources(context.World, ToEngine(record), deleteAllPolicyResources, context.Now);

        private object ListComplianceStatus(RequestContext context, ListComplianceStatusRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            var statuses = Engine.ComplianceStatus(context.World, ToEngine(record), context.Now);
            var page = Pagination.Page(statuses, request.MaxResults, request.NextToken, 100, out var next);
            return new ListComplianceStatusResponse { PolicyComplianceStatusList = page, NextToken = next };
        }

        private object GetComplianceDetail(RequestContext context, GetComplianceDetailRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            if (context.World.FindAccount(request.MemberAccount!) is null)
                throw SandboxFmsErrors.NotFound("Account " + request.MemberAccount + " is not a member of the organization.");
            var detail = Engine.ComplianceDetail(context.World, ToEngine(record), request.MemberAccount!, context.Now)
                ?? throw SandboxFmsErrors.NotFound("Account " + request.MemberAccount + " is not in scope of policy " + request.PolicyId + ".");
            return new GetComplianceDetailResponse { PolicyComplianceDetail = detail };
        }

        private object GetViolationDetails(RequestContext context, GetViolationDetailsRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            var detail = Engine.ViolationDetails(context.World, ToEngine(record), request.MemberAccount!, request.ResourceId!, request.ResourceType!)
                ?? throw SandboxFmsErrors.NotFound("Resource " + request.ResourceId + " of type " + request.ResourceType + " was not found in account "
                    + request.MemberAccount + ".");
            return new GetViolationDetailsResponse { ViolationDetail = detail };
        }

        private object GetProtectionStatus(RequestContext context, GetProtectionStatusRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindPolicy(context, admin, request.PolicyId!);
            var type = record.Policy.SecurityServicePolicyData!.Type!;
            if (type != SecurityServiceTypeValues.ShieldAdvanced)
                throw SandboxFmsErrors.InvalidInput("GetProtectionStatus is available only for SHIELD_ADVANCED policies; policy " + request.PolicyId + " is " + type + ".");
            if (request.MemberAccountId != null && context.World.FindAccount(request.MemberAccountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + request.MemberAccountId + " is not a member of the organization.");
            var data = Engine.ProtectionStatus(context.World, ToEngine(record), request.MemberAccountId, request.StartTime, request.EndTime);
            return new GetProtectionStatusResponse { AdminAccountId = admin.AccountId, ServiceType = type, Data = data };
        }

        /// <summary>
        /// Converges every policy whose last change is older than the remediation delay and that has not
        /// converged since (or all of them when the World changed since the last pass). The engine decides what
        /// a policy without RemediationEnabled still does (e.g. create its web ACL, #32). Returns the number of
        /// policies converged. Called under the store lock by the host's convergence loop.
        /// </summary>
        internal int Converge(Persistence.SandboxStore store, DateTime now, bool worldChangedSincePass)
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
            foreach (var association in store.World.ThirdPartyFirewallAssociations)
            {
                if (association.Status == ThirdPartyFirewallAssociationStatusValues.Onboarding)
                {
                    association.Status = ThirdPartyFirewallAssociationStatusValues.OnboardComplete;
                    store.World.MarkChanged();
                }
                else if (association.Status == ThirdPartyFirewallAssociationStatusValues.Offboarding)
                {
                    association.Status = ThirdPartyFirewallAssociationStatusValues.OffboardComplete;
                    store.World.MarkChanged();
                }
            }
            return remediated;
        }
    }
}
