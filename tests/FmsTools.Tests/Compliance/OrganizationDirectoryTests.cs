using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Organizations;
using FmsTools.Engine.Organization;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class OrganizationDirectoryTests
    {
        private static FakeOrganizations Tree()
        {
            var org = new FakeOrganizations { PageSize = 2 };
            var production = org.AddUnit("Production", FakeOrganizations.RootId);
            var web = org.AddUnit("Web", production);
            var data = org.AddUnit("Data", production);
            org.AddUnit("Sandbox", FakeOrganizations.RootId);
            org.AddAccount("111111111111", "management", FakeOrganizations.RootId);
            org.AddAccount("222222222222", "web-prod-1", web);
            org.AddAccount("222222222223", "web-prod-2", web);
            org.AddAccount("222222222224", "web-prod-3", web);
            org.AddAccount("333333333333", "data-prod", data);
            return org;
        }

        [Fact]
        public async Task Names_and_OU_paths_come_from_the_tree()
        {
            var org = Tree();
            var directory = new OrganizationDirectory(org.Client);
            var accounts = await directory.GetAccountsAsync();
            Assert.True(directory.IsAvailable);
            Assert.Equal(5, accounts.Count);
            Assert.Equal("Root", accounts["111111111111"].OrganizationalUnitPath);
            Assert.Equal("Root/Production/Web", accounts["222222222224"].OrganizationalUnitPath);
            Assert.Equal("web-prod-3", accounts["222222222224"].AccountName);
            Assert.Equal("Root/Production/Data", accounts["333333333333"].OrganizationalUnitPath);
            Assert.True(org.Calls["ListAccountsForParent"] >= 5); // paging (2 per page) through 5 parents
        }

        [Fact]
        public async Task The_parents_of_a_level_are_read_together_and_the_result_is_the_same()
        {
            var org = Tree();
            // Each call of the second level (Production and Sandbox, two listings each) waits until all four have
            // arrived; a walk that reads one parent at a time never gets there and the wait gives up after 30 s.
            var secondLevel = new HashSet<string>(StringComparer.Ordinal) { "ou-0000", "ou-0003" };
            var arrived = 0;
            var all = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            org.Latency = async (operation, request, token) =>
            {
                var parent = request is ListAccountsForParentRequest a ? a.ParentId
                    : request is ListOrganizationalUnitsForParentRequest u ? u.ParentId : null;
                if (parent == null || !secondLevel.Contains(parent)) return;
                if (Interlocked.Increment(ref arrived) == 4) all.TrySetResult(true);
                await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromSeconds(30), token));
            };
            var directory = new OrganizationDirectory(org.Client);
            var accounts = await directory.GetAccountsAsync();

            Assert.True(all.Task.IsCompleted, "the four listings of the second level were not in flight together");
            Assert.True(org.MaxInFlight >= 4);
            Assert.True(org.MaxInFlight <= 2 * OrganizationDirectory.MaxParentsInFlight);
            Assert.Equal(5, accounts.Count);
            Assert.Equal("Root/Production/Web", accounts["222222222223"].OrganizationalUnitPath);
            Assert.Equal("Root/Production/Data", accounts["333333333333"].OrganizationalUnitPath);
            Assert.Equal("Root", accounts["111111111111"].OrganizationalUnitPath);
        }

        [Fact]
        public async Task At_most_a_bounded_number_of_parents_are_read_at_once()
        {
            var org = new FakeOrganizations { PageSize = 1 };
            for (var i = 0; i < 12; i++)
            {
                var unit = org.AddUnit("Unit" + i, FakeOrganizations.RootId);
                org.AddAccount(TestData.Account(i), "account-" + i, unit);
            }
            org.Latency = async (operation, request, token) => await Task.Yield();
            var accounts = await new OrganizationDirectory(org.Client).GetAccountsAsync();
            Assert.Equal(12, accounts.Count);
            Assert.Equal("Root/Unit7", accounts[TestData.Account(7)].OrganizationalUnitPath);
            Assert.True(org.MaxInFlight <= 2 * OrganizationDirectory.MaxParentsInFlight, "in flight: " + org.MaxInFlight);
        }

        [Fact]
        public async Task The_tree_is_read_once_per_directory()
        {
            var org = Tree();
            var directory = new OrganizationDirectory(org.Client);
            await directory.GetAccountsAsync();
            var calls = org.TotalCalls;
            await directory.GetAccountsAsync();
            var unknown = await directory.GetAccountAsync("999999999999");
            Assert.Equal(calls, org.TotalCalls);
            Assert.Equal("999999999999", unknown.AccountName);
            Assert.Equal("", unknown.OrganizationalUnitPath);
        }

        [Fact]
        public async Task Without_Organizations_permissions_it_warns_once_and_falls_back_to_ids()
        {
            var org = Tree();
            org.DenyAccess = true;
            var reporter = new RecordingReporter();
            var directory = new OrganizationDirectory(org.Client, reporter);
            var accounts = await directory.GetAccountsAsync();
            Assert.Empty(accounts);
            Assert.False(directory.IsAvailable);
            var warning = Assert.Single(reporter.Warnings);
            Assert.Contains("AccessDeniedException", warning);

            // A report still works, with ids for names.
            var fms = new FakeFms();
            var policy = fms.AddPolicy("p");
            fms.AddAccount(policy, "222222222222");
            var rows = await new ComplianceReportBuilder(_ => fms.Client, directory, reporter)
                .BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            var row = Assert.Single(rows);
            Assert.Equal("222222222222", row.AccountName);
            Assert.Equal("", row.OrganizationalUnitPath);
            Assert.Single(reporter.Warnings);
        }
    }
}
