using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// ListComplianceStatus, GetComplianceDetail, GetViolationDetails and GetProtectionStatus: what the policy engine finds
    /// in the World for one of the caller's policies.
    /// </summary>
    internal sealed class FmsComplianceOperations
    {
        private readonly FmsPolicyOperations _policies;

        public FmsComplianceOperations(FmsPolicyOperations policies)
        {
            _policies = policies;
        }

        public object ListComplianceStatus(RequestContext context, ListComplianceStatusRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FmsPolicyOperations.FindPolicy(context, admin, request.PolicyId!);
            var statuses = _policies.Engine.ComplianceStatus(context.World, FmsPolicyOperations.ToEngine(record), context.Now);
            var page = Pagination.Page(statuses, request.MaxResults, request.NextToken, 100, out var next);
            return new ListComplianceStatusResponse { PolicyComplianceStatusList = page, NextToken = next };
        }

        public object GetComplianceDetail(RequestContext context, GetComplianceDetailRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FmsPolicyOperations.FindPolicy(context, admin, request.PolicyId!);
            if (context.World.FindAccount(request.MemberAccount!) is null)
                throw SandboxFmsErrors.NotFound("Account " + request.MemberAccount + " is not a member of the organization.");
            var detail = _policies.Engine.ComplianceDetail(context.World, FmsPolicyOperations.ToEngine(record), request.MemberAccount!, context.Now)
                ?? throw SandboxFmsErrors.NotFound("Account " + request.MemberAccount + " is not in scope of policy " + request.PolicyId + ".");
            return new GetComplianceDetailResponse { PolicyComplianceDetail = detail };
        }

        public object GetViolationDetails(RequestContext context, GetViolationDetailsRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FmsPolicyOperations.FindPolicy(context, admin, request.PolicyId!);
            var detail = _policies.Engine.ViolationDetails(context.World, FmsPolicyOperations.ToEngine(record), request.MemberAccount!, request.ResourceId!, request.ResourceType!)
                ?? throw SandboxFmsErrors.NotFound("Resource " + request.ResourceId + " of type " + request.ResourceType + " was not found in account "
                    + request.MemberAccount + ".");
            return new GetViolationDetailsResponse { ViolationDetail = detail };
        }

        public object GetProtectionStatus(RequestContext context, GetProtectionStatusRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FmsPolicyOperations.FindPolicy(context, admin, request.PolicyId!);
            var type = record.Policy.SecurityServicePolicyData!.Type!;
            if (type != SecurityServiceTypeValues.ShieldAdvanced)
                throw SandboxFmsErrors.InvalidInput("GetProtectionStatus is available only for SHIELD_ADVANCED policies; policy " + request.PolicyId + " is " + type + ".");
            if (request.MemberAccountId != null && context.World.FindAccount(request.MemberAccountId) is null)
                throw SandboxFmsErrors.InvalidInput("Account " + request.MemberAccountId + " is not a member of the organization.");
            var data = _policies.Engine.ProtectionStatus(context.World, FmsPolicyOperations.ToEngine(record), request.MemberAccountId, request.StartTime, request.EndTime);
            return new GetProtectionStatusResponse { AdminAccountId = admin.AccountId, ServiceType = type, Data = data };
        }
    }
}
