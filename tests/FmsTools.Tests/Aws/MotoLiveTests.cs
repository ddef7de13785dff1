using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>The clients against moto's real Organizations, WAFv2 and STS wire implementations.</summary>
    public class MotoLiveTests : IClassFixture<MotoServerFixture>
    {
        private const int CreatedAccounts = 260;
        private static readonly SemaphoreSlim OrganizationLock = new SemaphoreSlim(1, 1);
        private static readonly Dictionary<string, bool> Prepared = new Dictionary<string, bool>();
        private readonly MotoServerFixture _moto;

        public MotoLiveTests(MotoServerFixture moto) { _moto = moto; }

        // Operations the typed clients do not carry; the tests set up state through the same invoker.
        private sealed class CreateOrganizationInput { public string FeatureSet { get; set; } = "ALL"; }
        private sealed class CreateAccountInput { public string Email { get; set; } = ""; public string AccountName { get; set; } = ""; }
        private sealed class CreateOuInput { public string ParentId { get; set; } = ""; public string Name { get; set; } = ""; }
        private sealed class CreateIpSetInput
        {
            public string Name { get; set; } = "";
            public string Scope { get; set; } = "REGIONAL";
            public string IPAddressVersion { get; set; } = "IPV4";
            public List<string> Addresses { get; set; } = new List<string> { "10.0.0.0/8" };
        }
        private sealed class CreateWebAclInput
        {
            public string Name { get; set; } = "";
            public string Scope { get; set; } = "REGIONAL";
            public Dictionary<string, object> DefaultAction { get; set; } = new Dictionary<string, object> { ["Allow"] = new Dictionary<string, object>() };
            public Dictionary<string, object> VisibilityConfig { get; set; } = new Dictionary<string, object>
            {
                ["SampledRequestsEnabled"] = false, ["CloudWatchMetricsEnabled"] = false, ["MetricName"] = "m",
            };
        }

        private async Task<(string RootId, string OuId)> PrepareOrganization(AwsSession session)
        {
            await OrganizationLock.WaitAsync();
            try
            {
                var roots = await session.Organizations.ListRootsAsync(new ListRootsRequest()).ContinueWith(t => t.IsFaulted ? null : t.Result);
                if (roots == null || roots.Roots == null || roots.Roots.Count == 0)
                {
                    await session.OrganizationsInvoker.InvokeAsync<CreateOrganizationInput, Dictionary<string, JsonElement>>(
                        "CreateOrganization", new CreateOrganizationInput(), CancellationToken.None);
                    for (var i = 0; i < CreatedAccounts; i++)
                    {
                        await session.OrganizationsInvoker.InvokeAsync<CreateAccountInput, Dictionary<string, JsonElement>>("CreateAccount",
                            new CreateAccountInput { Email = $"member{i}@example.com", AccountName = $"member-{i}" }, CancellationToken.None);
                    }
                    roots = await session.Organizations.ListRootsAsync(new ListRootsRequest());
                }
                var rootId = roots!.Roots![0].Id!;
                var ous = await session.Organizations.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = rootId });
                var ou = ous.OrganizationalUnits?.FirstOrDefault(o => o.Name == "Workloads");
                if (ou == null)
                {
                    await session.OrganizationsInvoker.InvokeAsync<CreateOuInput, Dictionary<string, JsonElement>>("CreateOrganizationalUnit",
                        new CreateOuInput { ParentId = rootId, Name = "Workloads" }, CancellationToken.None);
                    ous = await session.Organizations.ListOrganizationalUnitsForParentAsync(new ListOrganizationalUnitsForParentRequest { ParentId = rootId });
                    ou = ous.OrganizationalUnits!.Single(o => o.Name == "Workloads");
                }
                return (rootId, ou.Id!);
            }
            finally
            {
                OrganizationLock.Release();
            }
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Organizations_pagination_walks_all_accounts_page_by_page()
        {
            var observer = new RecordingObserver();
            using var session = _moto.Session(observer);
            await PrepareOrganization(session);
            var before = observer.Calls.Count;

            var pages = await AwsTestSupport.ToListAsync(session.Organizations.ListAccountsPagesAsync(new ListAccountsRequest { MaxResults = 20 }));
            var accounts = pages.SelectMany(p => p.Accounts!).ToList();

            Assert.True(accounts.Count >= CreatedAccounts + 1, $"{accounts.Count} accounts");
            Assert.Equal(accounts.Count, accounts.Select(a => a.Id).Distinct().Count());
            Assert.True(pages.Count >= (CreatedAccounts + 1) / 20, $"{pages.Count} pages");
            Assert.All(pages.Take(pages.Count - 1), p => Assert.False(string.IsNullOrEmpty(p.NextToken)));
            Assert.Equal(pages.Count, observer.Calls.Count - before);
            Assert.All(accounts, a => Assert.Matches("^[0-9]{12}$", a.Id!));

            var items = await AwsTestSupport.ToListAsync(session.Organizations.ListAccountsItemsAsync(new ListAccountsRequest()));
            Assert.Equal(accounts.Count, items.Count);
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Organizations_structure_operations_work_against_moto()
        {
            using var session = _moto.Session();
            var (rootId, ouId) = await PrepareOrganization(session);

            var organization = await session.Organizations.DescribeOrganizationAsync();
            Assert.Matches("^o-", organization.Organization!.Id!);
            Assert.Equal("ALL", organization.Organization.FeatureSet);

            var children = await AwsTestSupport.ToListAsync(session.Organizations.ListChildrenItemsAsync(
                new ListChildrenRequest { ParentId = rootId, ChildType = ChildTypeValues.Account }));
            Assert.True(children.Count >= CreatedAccounts);

            var ou = await session.Organizations.DescribeOrganizationalUnitAsync(new DescribeOrganizationalUnitRequest { OrganizationalUnitId = ouId });
            Assert.Equal("Workloads", ou.OrganizationalUnit!.Name);

            var inRoot = await AwsTestSupport.ToListAsync(session.Organizations.ListAccountsForParentItemsAsync(new ListAccountsForParentRequest { ParentId = rootId }));
            var account = await session.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = inRoot[1].Id });
            Assert.Equal(inRoot[1].Id, account.Account!.Id);

            var parents = await AwsTestSupport.ToListAsync(session.Organizations.ListParentsItemsAsync(new ListParentsRequest { ChildId = inRoot[1].Id }));
            Assert.Equal(rootId, Assert.Single(parents).Id);

            var delegated = await session.Organizations.ListDelegatedAdministratorsAsync(new ListDelegatedAdministratorsRequest());
            Assert.NotNull(delegated);
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Organizations_errors_come_back_typed()
        {
            using var session = _moto.Session();
            await PrepareOrganization(session);
            var error = await Assert.ThrowsAsync<OrganizationsAccountNotFoundException>(() =>
                session.Organizations.DescribeAccountAsync(new DescribeAccountRequest { AccountId = "000000000000" }));
            Assert.Equal("AccountNotFoundException", error.ErrorCode);
            Assert.Equal("DescribeAccount", error.Operation);
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Wafv2_operations_and_NextMarker_paging_work_against_moto()
        {
            var observer = new RecordingObserver();
            using var session = _moto.Session(observer);
            var suffix = Guid.NewGuid().ToString("N").Substring(0, 8);
            for (var i = 0; i < 3; i++)
            {
                await session.Wafv2Invoker.InvokeAsync<CreateWebAclInput, Dictionary<string, JsonElement>>("CreateWebACL",
                    new CreateWebAclInput { Name = $"acl-{suffix}-{i}" }, CancellationToken.None);
            }
            await session.Wafv2Invoker.InvokeAsync<CreateIpSetInput, Dictionary<string, JsonElement>>("CreateIPSet",
                new CreateIpSetInput { Name = "ips-" + suffix }, CancellationToken.None);

            var acls = await AwsTestSupport.ToListAsync(session.Wafv2.ListWebACLsItemsAsync(new ListWebACLsRequest { Scope = ScopeValues.Regional, Limit = 1 }));
            var mine = acls.Where(a => a.Name!.StartsWith("acl-" + suffix)).ToList();
            Assert.Equal(3, mine.Count);
            Assert.True(observer.Calls.Count(c => c.Operation == "ListWebACLs") >= 3);

            var acl = await session.Wafv2.GetWebACLAsync(new GetWebACLRequest { Name = mine[0].Name, Id = mine[0].Id, Scope = ScopeValues.Regional });
            Assert.Equal(mine[0].ARN, acl.WebACL!.ARN);
            Assert.NotNull(acl.LockToken);

            var ipSets = await AwsTestSupport.ToListAsync(session.Wafv2.ListIPSetsItemsAsync(new ListIPSetsRequest { Scope = ScopeValues.Regional }));
            Assert.Contains(ipSets, s => s.Name == "ips-" + suffix);

            // moto 5.2 answers ListResourcesForWebACL with an HTML 500; the client must report that as a service error.
            try
            {
                var resources = await session.Wafv2.ListResourcesForWebACLAsync(new ListResourcesForWebACLRequest { WebACLArn = mine[0].ARN });
                Assert.Empty(resources.ResourceArns ?? new List<string>());
            }
            catch (AwsServiceException broken)
            {
                Assert.Equal(System.Net.HttpStatusCode.InternalServerError, broken.StatusCode);
                Assert.Equal("InternalServerError", broken.ErrorCode);
            }

            var groups = await AwsTestSupport.ToListAsync(session.Wafv2.ListRuleGroupsItemsAsync(new ListRuleGroupsRequest { Scope = ScopeValues.Regional }));
            Assert.NotNull(groups);

            var missing = await Assert.ThrowsAsync<Wafv2NonexistentItemException>(() => session.Wafv2.GetWebACLAsync(
                new GetWebACLRequest { Name = "nope", Id = "00000000-0000-0000-0000-000000000000", Scope = ScopeValues.Regional }));
            Assert.Equal("WAFNonexistentItemException", missing.ErrorCode);
        }

        [RequiresFact(Prerequisite.Moto)]
        public async Task Sts_identity_and_member_sessions_work_against_moto()
        {
            using var session = _moto.Session();
            var identity = await session.Sts.GetCallerIdentityAsync();
            Assert.Matches("^[0-9]{12}$", identity.Account);
            Assert.StartsWith("arn:aws:", identity.Arn);

            var member = await session.ForAccountAsync("210987654321", null, CancellationToken.None);
            Assert.Same(member, await session.ForAccountAsync("210987654321", null, CancellationToken.None));
            var memberIdentity = await member.Sts.GetCallerIdentityAsync();
            Assert.Equal("210987654321", memberIdentity.Account);
            Assert.Contains("AWSControlTowerExecution", memberIdentity.Arn);
        }
    }
}
