using System.Linq;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public class SyncPlannerTests
    {
        private static int _nextId;

        private static FmsPolicy Deploy(FmsPolicy desired)
        {
            var id = (++_nextId).ToString("D36");
            var wire = PolicyWireMapper.ToWire(desired);
            wire.PolicyId = id;
            var returned = SimulatedFmsService.PutThenGet(wire);
            return PolicyWireMapper.FromWire(returned, "arn:aws:fms:us-east-1:111111111111:policy/" + id);
        }

        [Fact]
        public void MatchingByNameFindsUnchangedUpdatedCreatedAndDeleted()
        {
            var unchanged = PolicySamples.DnsFirewall();
            var changed = PolicySamples.WafClassic();
            var created = PolicySamples.SecurityGroupsUsageAudit();
            var deployedUnchanged = Deploy(unchanged);
            var deployedChanged = Deploy(changed);
            var orphan = Deploy(PolicySamples.ShieldAdvanced());
            changed.Scope!.IncludeAccounts.Add(PolicySamples.AccountC);

            var plan = SyncPlanner.Plan(new[] { unchanged, changed, created }, new[] { deployedUnchanged, deployedChanged, orphan }, deleteMissing: true);

            Assert.Empty(plan.Issues);
            Assert.Same(deployedUnchanged, Assert.Single(plan.Unchanged).Deployed);
            var update = Assert.Single(plan.Updates);
            Assert.Same(deployedChanged, update.Deployed);
            Assert.Equal("Scope.IncludeAccounts", Assert.Single(update.Diff!.Differences).Path);
            Assert.Same(created, Assert.Single(plan.Creates).Desired);
            Assert.Same(orphan, Assert.Single(plan.Deletes).Deployed);
            Assert.True(plan.HasChanges);
            Assert.StartsWith("1 to create, 1 to update, 1 to delete, 1 unchanged", plan.ToString());
        }

        [Fact]
        public void ActionsAreInApplyOrderAndEachCreateCarriesTheQuotaCountItIsCheckedAgainst()
        {
            var unchanged = PolicySamples.DnsFirewall();
            var changed = PolicySamples.WafClassic();
            var firstCreate = PolicySamples.SecurityGroupsUsageAudit();
            var secondCreate = PolicySamples.SecurityGroupsUsageAudit();
            secondCreate.Name = "second-create";
            var deployedUnchanged = Deploy(unchanged);
            var deployedChanged = Deploy(changed);
            var orphanA = Deploy(PolicySamples.ShieldAdvanced());
            var orphanB = Deploy(PolicySamples.ShieldAdvanced());
            orphanB.Name = "orphan-b";
            changed.Scope!.IncludeAccounts.Add(PolicySamples.AccountC);

            // Files in an order that puts the unchanged policy and the update before the creates.
            var plan = SyncPlanner.Plan(new[] { unchanged, changed, firstCreate, secondCreate },
                new[] { deployedUnchanged, deployedChanged, orphanA, orphanB }, deleteMissing: true);

            Assert.Equal(new[] { SyncActionKind.Delete, SyncActionKind.Delete, SyncActionKind.Create, SyncActionKind.Create, SyncActionKind.Update, SyncActionKind.Unchanged },
                plan.Actions.Select(a => a.Kind));
            Assert.Equal(new[] { firstCreate.Name, "second-create" }, plan.Actions.Where(a => a.Kind == SyncActionKind.Create).Select(a => a.Name));
            // 4 deployed, 2 deleted first: the first create is checked against 2 policies, the second against 3.
            Assert.Equal(new int?[] { 2, 3 }, plan.Creates.Select(a => a.PoliciesBefore));
            Assert.All(plan.Actions.Where(a => a.Kind != SyncActionKind.Create), a => Assert.Null(a.PoliciesBefore));
        }

        [Fact]
        public void WithoutDeleteMissingUnmatchedPoliciesAreLeftAlone()
        {
            var orphan = Deploy(PolicySamples.ShieldAdvanced());

            var plan = SyncPlanner.Plan(new FmsPolicy[0], new[] { orphan }, deleteMissing: false);

            Assert.Empty(plan.Actions);
            Assert.Same(orphan, Assert.Single(plan.Unmanaged));
            Assert.False(plan.HasChanges);
        }

        [Fact]
        public void PolicyIdBindsEvenAfterARename()
        {
            var deployed = Deploy(PolicySamples.DnsFirewall());
            var desired = PolicySamples.DnsFirewall();
            desired.Name = "dns-firewall-renamed";
            desired.PolicyId = deployed.PolicyId;

            var plan = SyncPlanner.Plan(new[] { desired }, new[] { deployed }, deleteMissing: true);

            var update = Assert.Single(plan.Actions);
            Assert.Equal(SyncActionKind.Update, update.Kind);
            Assert.Equal("Name", Assert.Single(update.Diff!.Differences).Path);
            var put = update.PolicyToPut()!;
            Assert.Equal(deployed.PolicyId, put.PolicyId);
            Assert.Equal(deployed.UpdateToken, put.UpdateToken);
            Assert.Equal("dns-firewall-renamed", put.Name);
        }

        [Fact]
        public void CreatesAreSentWithoutAnId()
        {
            var plan = SyncPlanner.Plan(new[] { PolicySamples.DnsFirewall() }, new FmsPolicy[0], deleteMissing: false);

            var put = Assert.Single(plan.Creates).PolicyToPut()!;
            Assert.Null(put.PolicyId);
            Assert.Null(put.UpdateToken);
        }

        [Fact]
        public void PolicyIdThatIsNotDeployedIsAnIssueNotACreate()
        {
            var desired = PolicySamples.DnsFirewall();
            desired.PolicyId = "9".PadLeft(36, '9');

            var plan = SyncPlanner.Plan(new[] { desired }, new FmsPolicy[0], deleteMissing: true);

            Assert.Empty(plan.Actions);
            Assert.Equal(SyncIssue.PolicyIdNotDeployed, Assert.Single(plan.Issues).Code);
        }

        [Fact]
        public void DuplicateDesiredNamesAreReportedAndTheirNamesakeIsNotDeleted()
        {
            var deployed = Deploy(PolicySamples.DnsFirewall());

            var plan = SyncPlanner.Plan(new[] { PolicySamples.DnsFirewall(), PolicySamples.DnsFirewall() }, new[] { deployed }, deleteMissing: true);

            Assert.Equal(SyncIssue.DuplicateDesiredName, Assert.Single(plan.Issues).Code);
            Assert.Empty(plan.Actions);
            Assert.Same(deployed, Assert.Single(plan.Unmanaged));
        }

        [Fact]
        public void DuplicateDesiredPolicyIdsAreReported()
        {
            var deployed = Deploy(PolicySamples.DnsFirewall());
            var first = PolicySamples.DnsFirewall();
            var second = PolicySamples.DnsFirewall();
            second.Name = "other";
            first.PolicyId = second.PolicyId = deployed.PolicyId;

            var plan = SyncPlanner.Plan(new[] { first, second }, new[] { deployed }, deleteMissing: true);

            Assert.Equal(SyncIssue.DuplicateDesiredPolicyId, Assert.Single(plan.Issues).Code);
            Assert.Empty(plan.Actions);
        }

        [Fact]
        public void SeveralDeployedPoliciesWithTheFileNameAreAmbiguous()
        {
            var a = Deploy(PolicySamples.DnsFirewall());
            var b = Deploy(PolicySamples.DnsFirewall());

            var plan = SyncPlanner.Plan(new[] { PolicySamples.DnsFirewall() }, new[] { a, b }, deleteMissing: true);

            Assert.Equal(SyncIssue.AmbiguousDeployedName, Assert.Single(plan.Issues).Code);
            Assert.Empty(plan.Actions);
            Assert.Equal(2, plan.Unmanaged.Count);
        }

        [Fact]
        public void TypeChangesAndOutOfScopePoliciesAreNotTouched()
        {
            var deployedDns = Deploy(PolicySamples.DnsFirewall());
            var retyped = PolicySamples.NetworkFirewall();
            retyped.Name = deployedDns.Name;
            var outOfScope = Deploy(PolicySamples.WafClassic());
            outOfScope.StatusValue = FmsPolicyStatus.OutOfAdminScope;
            var wantOutOfScope = PolicySamples.WafClassic();
            wantOutOfScope.RemediationEnabled = true;
            var outOfScopeOrphan = Deploy(PolicySamples.ShieldAdvanced());
            outOfScopeOrphan.StatusValue = FmsPolicyStatus.OutOfAdminScope;

            var plan = SyncPlanner.Plan(new[] { retyped, wantOutOfScope }, new[] { deployedDns, outOfScope, outOfScopeOrphan }, deleteMissing: true);

            Assert.Empty(plan.Actions);
            Assert.Equal(new[] { SyncIssue.OutOfAdminScope, SyncIssue.OutOfAdminScope, SyncIssue.TypeChange }, plan.Issues.Select(i => i.Code).OrderBy(c => c));
        }

        [Fact]
        public void SummariesCannotBeCompared()
        {
            var deployed = Deploy(PolicySamples.DnsFirewall());
            deployed.Settings = null;
            deployed.IsDetailed = false;

            var plan = SyncPlanner.Plan(new[] { PolicySamples.DnsFirewall() }, new[] { deployed }, deleteMissing: false);

            Assert.Equal(SyncIssue.DeployedNotDetailed, Assert.Single(plan.Issues).Code);
        }

        [Fact]
        public void FilesWrittenFromDeployedPoliciesPlanNoChanges()
        {
            var deployed = PolicySamples.Names.Select(n => Deploy(PolicySamples.Get(n))).ToList();
            var files = deployed.Select(p => PolicyDocumentSerializer.Read(PolicyDocumentSerializer.SafeFileName(p), PolicyDocumentSerializer.Write(p))).ToList();
            Assert.All(files, f => Assert.True(f.Success));

            var plan = SyncPlanner.Plan(files.Select(f => f.Policy!), deployed, deleteMissing: true);

            Assert.Empty(plan.Issues);
            Assert.Equal(deployed.Count, plan.Unchanged.Count);
            Assert.False(plan.HasChanges);
        }
    }
}
