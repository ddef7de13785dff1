using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;
using NetworkFirewallPolicy = FmsTools.Sandbox.World.NetworkFirewallPolicy;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class NetworkPolicyTests
    {
        private readonly TestWorld t = new TestWorld();

        private PolicyEvaluation Evaluate(Policy policy, ResourceSetResolver? sets = null) => new PolicyEvaluator().Evaluate(t.World, policy, Region, Now, sets);

        // ---------------------------------------------------------------- DNS Firewall

        private Policy Dns(string groupId) => Policy(SecurityServiceTypeValues.DnsFirewall,
            "{\"type\":\"DNS_FIREWALL\",\"preProcessRuleGroups\":[{\"ruleGroupId\":\"" + groupId + "\",\"priority\":10}],\"postProcessRuleGroups\":[]}", ResourceTypes.Vpc);

        [Fact]
        public void Dns_AssociatedVpcIsCompliant_OthersAreRemediated()
        {
            var group = t.Build.DnsFirewallRuleGroup(Admin, Region, "block", 10);
            t.Build.DnsFirewallAssociation(t.Vpcs[A1], group.Id, 10, "already");
            var policy = Dns(group.Id);
            var violations = Evaluate(policy).AllViolations.ToList();
            Assert.Equal(new[] { Admin, A2, B1 }, violations.Select(v => v.AccountId).OrderBy(a => a).ToArray());
            Assert.All(violations, v => Assert.Equal((ResourceTypes.Vpc, ViolationReasonValues.ResourceMissingDnsFirewall), (v.ResourceType, v.Reason)));
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(Evaluate(policy).AllViolations);
            var created = t.World.GetResources<DnsFirewallRuleGroupAssociation>(B1, Region).Single();
            Assert.Equal((group.Id, 10, policy.PolicyId), (created.FirewallRuleGroupId, created.Priority, created.FmsPolicyId));
        }

        [Fact]
        public void Dns_PriorityConflict_IsDetailed_AndNotRemediated()
        {
            var group = t.Build.DnsFirewallRuleGroup(Admin, Region, "block", 10);
            var other = t.Build.DnsFirewallRuleGroup(A1, Region, "own", 5);
            t.Build.DnsFirewallAssociation(t.Vpcs[A1], other.Id, 10, "customer");
            var policy = Dns(group.Id);
            policy.IncludeMap = Map("ACCOUNT", A1);
            var evaluation = Evaluate(policy);
            var detail = evaluation.GetViolationDetail(t.World, A1, t.Vpcs[A1].Id, ResourceTypes.Vpc)!;
            var conflict = detail.ResourceViolations!.Single().DnsRuleGroupPriorityConflictViolation!;
            Assert.Equal(10, conflict.ConflictingPriority);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Single(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void Dns_DeletionWithCleanup_RemovesFmsAssociations()
        {
            var group = t.Build.DnsFirewallRuleGroup(Admin, Region, "block", 10);
            var policy = Dns(group.Id);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(4, t.World.AllResources().OfType<DnsFirewallRuleGroupAssociation>().Count());
            PolicyRemediator.CleanupDeletedPolicy(t.World, policy, Region, true, Now);
            Assert.Empty(t.World.AllResources().OfType<DnsFirewallRuleGroupAssociation>());
        }

        [Fact]
        public void Dns_DeleteUnusedFmManagedResources_RemovesAssociationsFromVpcsLeavingScope()
        {
            var group = t.Build.DnsFirewallRuleGroup(Admin, Region, "block", 10);
            var policy = Dns(group.Id);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            policy.ExcludeMap = Map("ACCOUNT", B1);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Single(t.World.GetResources<DnsFirewallRuleGroupAssociation>(B1, Region));
            policy.DeleteUnusedFMManagedResources = true;
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(t.World.GetResources<DnsFirewallRuleGroupAssociation>(B1, Region));
        }

        // ---------------------------------------------------------------- Network Firewall

        private const string StatelessArn = "arn:aws:network-firewall:us-east-1:100000000001:stateless-rulegroup/drop";
        private const string StatefulArn = "arn:aws:network-firewall:us-east-1:100000000001:stateful-rulegroup/allow";

        private static Policy Nfw(string extra = "") => Policy(SecurityServiceTypeValues.NetworkFirewall,
            "{\"type\":\"NETWORK_FIREWALL\",\"networkFirewallStatelessRuleGroupReferences\":[{\"resourceARN\":\"" + StatelessArn + "\",\"priority\":1}],\"networkFirewallStatelessDefaultActions\":[\"aws:forward_to_sfe\"],\"networkFirewallStatelessFragmentDefaultActions\":[\"aws:forward_to_sfe\"],\"networkFirewallStatefulRuleGroupReferences\":[{\"resourceARN\":\"" + StatefulArn + "\"}]" + extra + "}",
            ResourceTypes.Vpc);

        [Fact]
        public void NetworkFirewall_MissingFirewall_IsRemediatedWithEndpointsInEveryZone()
        {
            var policy = Nfw();
            policy.IncludeMap = Map("ACCOUNT", A1);
            var evaluation = Evaluate(policy);
            var violation = Assert.Single(evaluation.AllViolations);
            Assert.Equal((t.Vpcs[A1].Id, ViolationReasonValues.MissingFirewall), (violation.ResourceId, violation.Reason));
            Assert.Equal(t.Vpcs[A1].Id, evaluation.GetViolationDetail(t.World, A1, t.Vpcs[A1].Id, null)!.ResourceViolations!.Single().NetworkFirewallMissingFirewallViolation!.VPC);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var firewall = t.World.GetResources<NetworkFirewall>(A1, Region).Single();
            Assert.Equal(new[] { "us-east-1a", "us-east-1b" }, firewall.SubnetMappings.Select(m => m.AvailabilityZone).OrderBy(z => z).ToArray());
            Assert.All(firewall.SubnetMappings, m => Assert.StartsWith("vpce-", m.EndpointId));
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void NetworkFirewall_MissingZone_AndModifiedPolicy_AreReportedAndFixed()
        {
            var policy = Nfw();
            policy.IncludeMap = Map("ACCOUNT", A1);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var firewall = t.World.GetResources<NetworkFirewall>(A1, Region).Single();
            firewall.SubnetMappings = firewall.SubnetMappings.Where(m => m.AvailabilityZone == "us-east-1a").ToArray();
            var firewallPolicy = (NetworkFirewallPolicy)t.World.FindByArn(firewall.FirewallPolicyArn)!;
            firewallPolicy.StatefulRuleGroups = new NetworkFirewallRuleGroupReference[0];
            t.World.MarkChanged();
            var evaluation = Evaluate(policy);
            var reasons = evaluation.AllViolations.Select(v => v.Reason).OrderBy(r => r).ToArray();
            Assert.Equal(new[] { ViolationReasonValues.MissingFirewallSubnetInAz, ViolationReasonValues.NetworkFirewallPolicyModified }, reasons);
            var modified = evaluation.GetViolationDetail(t.World, A1, firewallPolicy.Arn, null)!.ResourceViolations!.Single().NetworkFirewallPolicyModifiedViolation!;
            Assert.Empty(modified.CurrentPolicyDescription!.StatefulRuleGroups!);
            Assert.Equal(StatefulArn, modified.ExpectedPolicyDescription!.StatefulRuleGroups!.Single().ResourceId);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void NetworkFirewall_Centralized_OnlyEvaluatesTheInspectionVpc()
        {
            var policy = Nfw(",\"firewallDeploymentModel\":{\"centralizedFirewallDeploymentModel\":{\"centralizedFirewallOrchestrationConfig\":{\"inspectionVpcIds\":[{\"resourceId\":\"" + t.Vpcs[B1].Id + "\",\"accountId\":\"" + B1 + "\"}]}}}");
            policy.SecurityServicePolicyData!.PolicyOption = new PolicyOption { NetworkFirewallPolicy = new FmsTools.Aws.Fms.NetworkFirewallPolicy { FirewallDeploymentModel = "CENTRALIZED" } };
            Assert.Equal(t.Vpcs[B1].Id, Assert.Single(Evaluate(policy).AllViolations).ResourceId);
        }

        [Fact]
        public void NetworkFirewall_DeletionWithCleanup_RemovesFirewallsPoliciesAndSubnets()
        {
            var policy = Nfw();
            policy.IncludeMap = Map("ACCOUNT", A1);
            var subnetsBefore = t.World.GetResources<Subnet>(A1, Region).Count();
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.True(t.World.GetResources<Subnet>(A1, Region).Count() > subnetsBefore);
            PolicyRemediator.CleanupDeletedPolicy(t.World, policy, Region, true, Now);
            Assert.Empty(t.World.GetResources<NetworkFirewall>(A1, Region));
            Assert.Empty(t.World.GetResources<NetworkFirewallPolicy>(A1, Region));
            Assert.Equal(subnetsBefore, t.World.GetResources<Subnet>(A1, Region).Count());
        }

        [Fact]
        public void ImportNetworkFirewall_FirewallsInTheResourceSet_MustRunThePolicysRuleGroups()
        {
            var firewallPolicy = t.Build.NetworkFirewallPolicy(B1, Region, "customer-policy", new NetworkFirewallRuleGroupReference[0], new NetworkFirewallRuleGroupReference[0]);
            var firewall = t.Build.NetworkFirewall(t.Vpcs[B1], "customer-firewall", firewallPolicy, new[] { t.Subnets[B1][0] });
            var policy = Policy(SecurityServiceTypeValues.ImportNetworkFirewall,
                "{\"type\":\"IMPORT_NETWORK_FIREWALL\",\"awsNetworkFirewallConfig\":{\"networkFirewallStatelessRuleGroupReferences\":[{\"resourceARN\":\"" + StatelessArn + "\",\"priority\":1}],\"networkFirewallStatefulRuleGroupReferences\":[]}}", ResourceTypes.Vpc);
            policy.ResourceSetIds = new List<string> { "imported" };
            ResourceSetResolver sets = id => new[] { firewall.Arn };
            var violation = Assert.Single(Evaluate(policy, sets).AllViolations);
            Assert.Equal((firewallPolicy.Arn, ViolationReasonValues.NetworkFirewallPolicyModified), (violation.ResourceId, violation.Reason));
            PolicyRemediator.Remediate(t.World, policy, Region, Now, sets);
            Assert.Equal(StatelessArn, firewallPolicy.StatelessRuleGroups.Single().ResourceArn);
            Assert.Empty(Evaluate(policy, sets).AllViolations);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void ThirdPartyFirewall_MissingFirewall_IsDeployedWhenOnboarded_AndFlaggedAsIssueWhenNot()
        {
            var policy = Policy(SecurityServiceTypeValues.ThirdPartyFirewall,
                "{\"type\":\"THIRD_PARTY_FIREWALL\",\"thirdPartyFirewall\":\"PALO_ALTO_NETWORKS_CLOUD_NGFW\",\"thirdPartyFirewallConfig\":{\"thirdPartyFirewallPolicyList\":[\"global-1\"]}}", ResourceTypes.Vpc);
            policy.IncludeMap = Map("ACCOUNT", A2);
            var evaluation = Evaluate(policy);
            Assert.Equal(ViolationReasonValues.MissingFirewall, Assert.Single(evaluation.AllViolations).Reason);
            Assert.True(evaluation.GetAccount(A2)!.IssueInfoMap.ContainsKey("AWSVPC"));
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(t.World.GetResources<ThirdPartyFirewall>(A2, Region));
            t.World.ThirdPartyFirewallAssociations.Add(new ThirdPartyFirewallAssociation { AdminAccountId = Admin, ThirdPartyFirewall = "PALO_ALTO_NETWORKS_CLOUD_NGFW" });
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal("global-1", t.World.GetResources<ThirdPartyFirewall>(A2, Region).Single().FirewallPolicyName);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        // ---------------------------------------------------------------- Network ACLs

        private static Policy Nacl(bool forceFirst = false)
        {
            var policy = Policy(SecurityServiceTypeValues.NetworkAclCommon, "{\"type\":\"NETWORK_ACL_COMMON\"}", ResourceTypes.Subnet);
            var set = DemoOrganization.NaclEntrySet();
            set.ForceRemediateForFirstEntries = forceFirst;
            policy.SecurityServicePolicyData!.PolicyOption = new PolicyOption { NetworkAclCommonPolicy = new NetworkAclCommonPolicy { NetworkAclEntrySet = set } };
            policy.IncludeMap = Map("ACCOUNT", A1);
            return policy;
        }

        private static NetworkAclRule Entry(int number, string protocol, string action, string cidr, int? port = null) =>
            new NetworkAclRule { RuleNumber = number, Protocol = protocol, RuleAction = action, CidrBlock = cidr, PortFrom = port, PortTo = port };

        [Fact]
        public void Nacl_CompliantNacl_HasNoViolation()
        {
            t.Build.NetworkAcl(t.Vpcs[A1], "good", new[] { Entry(1, "6", "deny", "0.0.0.0/0", 3389), Entry(100, "-1", "allow", "0.0.0.0/0"), Entry(32766, "-1", "allow", "10.0.0.0/8") }, t.Subnets[A1]);
            Assert.Empty(Evaluate(Nacl()).AllViolations);
        }

        [Fact]
        public void Nacl_MisorderedEntry_IsReportedWithRemediationActions_AndFixedInPlace()
        {
            var acl = t.Build.NetworkAcl(t.Vpcs[A1], "custom", new[] { Entry(50, "6", "deny", "0.0.0.0/0", 3389), Entry(100, "-1", "allow", "0.0.0.0/0") }, t.Subnets[A1]);
            var policy = Nacl();
            var evaluation = Evaluate(policy);
            Assert.Equal(2, evaluation.AllViolations.Count());
            var detail = evaluation.GetViolationDetail(t.World, A1, t.Subnets[A1][0].Id, ResourceTypes.Subnet)!.ResourceViolations!.Single();
            var entries = detail.InvalidNetworkAclEntriesViolation!;
            Assert.Equal(acl.Id, entries.CurrentAssociatedNetworkAcl);
            var reasons = entries.EntryViolations!.SelectMany(e => e.EntryViolationReasons!).OrderBy(r => r).ToArray();
            Assert.Equal(new[] { EntryViolationReasonValues.IncorrectEntryOrder, EntryViolationReasonValues.MissingExpectedEntry }, reasons);
            var ordered = detail.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!;
            Assert.NotNull(ordered[0].RemediationAction!.DeleteNetworkAclEntriesAction);
            Assert.Equal(2, ordered[1].RemediationAction!.CreateNetworkAclEntriesAction!.NetworkAclEntriesToBeCreated!.Count);
            var report = PolicyRemediator.ApplyViolationRemediation(t.World, policy, Region, A1, t.Subnets[A1][0].Id, Now);
            Assert.NotEmpty(report.Changes);
            Assert.Equal(new[] { 1, 100, 32766 }, acl.Entries.Select(e => e.RuleNumber).ToArray());
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void Nacl_ConflictAtFmsRuleNumber_NeedsForceRemediation()
        {
            var acl = t.Build.NetworkAcl(t.Vpcs[A1], "conflict", new[] { Entry(1, "-1", "allow", "0.0.0.0/0"), Entry(32766, "-1", "allow", "10.0.0.0/8") }, t.Subnets[A1]);
            var policy = Nacl();
            var detail = Evaluate(policy).GetViolationDetail(t.World, A1, t.Subnets[A1][0].Id, null)!.ResourceViolations!.Single();
            Assert.Contains(EntryViolationReasonValues.EntryConflict, detail.InvalidNetworkAclEntriesViolation!.EntryViolations!.Single().EntryViolationReasons!);
            Assert.False(detail.PossibleRemediationActions!.Actions!.Single().OrderedRemediationActions!.Last().RemediationAction!.CreateNetworkAclEntriesAction!.FMSCanRemediate);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotEmpty(Evaluate(policy).AllViolations);
            var forced = Nacl(forceFirst: true);
            PolicyRemediator.Remediate(t.World, forced, Region, Now);
            Assert.Empty(Evaluate(forced).AllViolations);
            Assert.Equal("deny", acl.Entries.Single(e => e.RuleNumber == 1).RuleAction);
        }

        [Fact]
        public void Nacl_DeletionWithCleanup_RestoresOriginalAssociationOrStripsEntries()
        {
            var policy = Nacl();
            var defaultAcl = t.Subnets[A1][0].NetworkAclId;
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotEqual(defaultAcl, t.Subnets[A1][0].NetworkAclId);
            var fmsAcl = t.Subnets[A1][0].NetworkAclId;
            PolicyRemediator.CleanupDeletedPolicy(t.World, policy, Region, true, Now);
            Assert.Equal(defaultAcl, t.Subnets[A1][0].NetworkAclId);
            Assert.Null(t.World.FindById(fmsAcl));
        }
    }
}
