using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Organizations;
using FmsTools.Sandbox.Protocol;
using WorldAccount = FmsTools.Sandbox.World.Account;

namespace FmsTools.Sandbox.Services
{
    /// <summary>The read side of AWS Organizations over the World's organization.</summary>
    internal sealed class OrganizationsService : JsonService
    {
        public OrganizationsService() : base("organizations", "InvalidInputException")
        {
            On<AwsEmptyRequestShim>("DescribeOrganization", DescribeOrganization);
            On<ListRootsRequest>("ListRoots", ListRoots);
            On<ListOrganizationalUnitsForParentRequest>("ListOrganizationalUnitsForParent", ListOrganizationalUnitsForParent);
            On<ListChildrenRequest>("ListChildren", ListChildren);
            On<ListAccountsRequest>("ListAccounts", ListAccounts);
            On<ListAccountsForParentRequest>("ListAccountsForParent", ListAccountsForParent);
            On<ListParentsRequest>("ListParents", ListParents);
            On<DescribeAccountRequest>("DescribeAccount", DescribeAccount);
            On<DescribeOrganizationalUnitRequest>("DescribeOrganizationalUnit", DescribeOrganizationalUnit);
            On<ListDelegatedAdministratorsRequest>("ListDelegatedAdministrators", ListDelegatedAdministrators);
        }

        /// <summary>DescribeOrganization has no input shape.</summary>
        internal sealed class AwsEmptyRequestShim { }

        private const int DefaultPageSize = 20;

        private static SandboxServiceException Error(string code, string message) => new SandboxServiceException(code, message);

        /// <summary>
        /// Any account in the organization may describe it; listing and describing its structure is for the
        /// management account and delegated administrators, as at AWS.
        /// </summary>
        private static void RequireReader(RequestContext context, bool anyMember = false)
        {
            var organization = context.World.Organization;
            var caller = context.Caller.AccountId;
            if (context.World.FindAccount(caller) is null)
                throw Error("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
            if (anyMember || caller == organization.ManagementAccountId) return;
            if (organization.DelegatedAdministrators.Any(d => d.AccountId == caller)) return;
            throw Error("AccessDeniedException", "You don't have permissions to access this resource.");
        }

        private static Account ToWire(RequestContext context, WorldAccount account) => new Account
        {
            Id = account.Id,
            Arn = context.World.Organization.AccountArn(account),
            Email = account.Email,
            Name = account.Name,
            Status = account.Status,
            State = account.Status == "PENDING_CLOSURE" ? "PENDING_CLOSURE" : account.Status == "SUSPENDED" ? "SUSPENDED" : "ACTIVE",
            JoinedMethod = account.JoinedMethod,
            JoinedTimestamp = account.JoinedTimestamp,
        };

        private static OrganizationalUnit ToWire(RequestContext context, World.OrganizationalUnit unit) => new OrganizationalUnit
        {
            Id = unit.Id,
            Arn = context.World.Organization.OrganizationalUnitArn(unit.Id),
            Name = unit.Name,
        };

        private static void RequireParent(RequestContext context, string parentId)
        {
            if (parentId != context.World.Organization.RootId && context.World.FindOrganizationalUnit(parentId) is null)
                throw Error("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
        }

        private object DescribeOrganization(RequestContext context, AwsEmptyRequestShim request)
        {
            RequireReader(context, anyMember: true);
            var organization = context.World.Organization;
            return new DescribeOrganizationResponse
            {
                Organization = new Organization
                {
                    Id = organization.Id,
                    Arn = organization.Arn,
                    FeatureSet = organization.FeatureSet,
                    MasterAccountArn = organization.AccountArn(organization.ManagementAccountId),
                    MasterAccountId = organization.ManagementAccountId,
                    MasterAccountEmail = organization.ManagementAccountEmail,
                    AvailablePolicyTypes = organization.EnabledPolicyTypes
                        .Select(t => new PolicyTypeSummary { Type = t, Status = "ENABLED" }).ToList(),
                },
            };
        }

        private object ListRoots(RequestContext context, ListRootsRequest request)
        {
            RequireReader(context);
            var organization = context.World.Organization;
            var roots = new List<Root>
            {
                new Root
                {
                    Id = organization.RootId,
                    Arn = organization.RootArn,
                    Name = organization.RootName,
                    PolicyTypes = organization.EnabledPolicyTypes.Select(t => new PolicyTypeSummary { Type = t, Status = "ENABLED" }).ToList(),
                },
            };
            var page = Pagination.Page(roots, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListRootsResponse { Roots = page, NextToken = next };
        }

        private object ListOrganizationalUnitsForParent(RequestContext context, ListOrganizationalUnitsForParentRequest request)
        {
            RequireReader(context);
            RequireParent(context, request.ParentId!);
            var units = context.World.GetChildOrganizationalUnits(request.ParentId!).Select(u => ToWire(context, u)).ToList();
            var page = Pagination.Page(units, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListOrganizationalUnitsForParentResponse { OrganizationalUnits = page, NextToken = next };
        }

        private object ListChildren(RequestContext context, ListChildrenRequest request)
        {
            RequireReader(context);
            RequireParent(context, request.ParentId!);
            var children = request.ChildType == "ACCOUNT"
                ? context.World.GetChildAccounts(request.ParentId!).Select(a => new Child { Id = a.Id, Type = "ACCOUNT" }).ToList()
                : context.World.GetChildOrganizationalUnits(request.ParentId!).Select(u => new Child { Id = u.Id, Type = "ORGANIZATIONAL_UNIT" }).ToList();
            var page = Pagination.Page(children, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListChildrenResponse { Children = page, NextToken = next };
        }

        private object ListAccounts(RequestContext context, ListAccountsRequest request)
        {
            RequireReader(context);
            var accounts = Pagination.Projected(context.World.Organization.Accounts, a => ToWire(context, a));
            var page = Pagination.Page(accounts, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListAccountsResponse { Accounts = page, NextToken = next };
        }

        private object ListAccountsForParent(RequestContext context, ListAccountsForParentRequest request)
        {
            RequireReader(context);
            RequireParent(context, request.ParentId!);
            var accounts = Pagination.Projected(context.World.GetChildAccounts(request.ParentId!), a => ToWire(context, a));
            var page = Pagination.Page(accounts, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListAccountsForParentResponse { Accounts = page, NextToken = next };
        }

        private object ListParents(RequestContext context, ListParentsRequest request)
        {
            RequireReader(context);
            var childId = request.ChildId!;
            string? parentId = context.World.FindAccount(childId)?.ParentId ?? context.World.FindOrganizationalUnit(childId)?.ParentId;
            if (parentId is null)
                throw Error("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
            var parents = new List<Parent>
            {
                new Parent { Id = parentId, Type = parentId == context.World.Organization.RootId ? "ROOT" : "ORGANIZATIONAL_UNIT" },
            };
            var page = Pagination.Page(parents, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListParentsResponse { Parents = page, NextToken = next };
        }

        private object DescribeAccount(RequestContext context, DescribeAccountRequest request)
        {
            RequireReader(context);
            var account = context.World.FindAccount(request.AccountId!)
                ?? throw Error("AccountNotFoundException", "You specified an account that doesn't exist.");
            return new DescribeAccountResponse { Account = ToWire(context, account) };
        }

        private object DescribeOrganizationalUnit(RequestContext context, DescribeOrganizationalUnitRequest request)
        {
            RequireReader(context);
            var unit = context.World.FindOrganizationalUnit(request.OrganizationalUnitId!)
                ?? throw Error("OrganizationalUnitNotFoundException", "You specified an organizational unit (OU) that doesn't exist.");
            return new DescribeOrganizationalUnitResponse { OrganizationalUnit = ToWire(context, unit) };
        }

        private object ListDelegatedAdministrators(RequestContext context, ListDelegatedAdministratorsRequest request)
        {
            RequireReader(context);
            var organization = context.World.Organization;
            var admins = organization.DelegatedAdministrators
                .Where(d => request.ServicePrincipal is null || d.ServicePrincipal == request.ServicePrincipal)
                .GroupBy(d => d.AccountId)
                .Select(g =>
                {
                    var account = context.World.FindAccount(g.Key);
                    var wire = account is null ? null : ToWire(context, account);
                    return new DelegatedAdministrator
                    {
                        Id = g.Key,
                        Arn = organization.AccountArn(g.Key),
                        Email = wire?.Email,
                        Name = wire?.Name,
                        Status = wire?.Status,
                        State = wire?.State,
                        JoinedMethod = wire?.JoinedMethod,
                        JoinedTimestamp = wire?.JoinedTimestamp,
                        DelegationEnabledDate = g.Min(d => d.DelegationEnabledDate),
                    };
                }).ToList();
            var page = Pagination.Page(admins, request.MaxResults, request.NextToken, DefaultPageSize, out var next);
            return new ListDelegatedAdministratorsResponse { DelegatedAdministrators = page, NextToken = next };
        }
    }
}
