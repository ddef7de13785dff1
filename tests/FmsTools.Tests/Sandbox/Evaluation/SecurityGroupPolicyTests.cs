using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class SecurityGroupPolicyTests
    {
        private readonly TestWorld t = new TestWorld();

        private SecurityGroup Group(string account, string name, params SecurityGroupRule[] ingress) =>
            t.Build.SecurityGroup(account, Region, t.Vpcs[account].Id, name, ingress);

        private PolicyEvaluation Evaluate(Policy policy) => new PolicyEvaluator().Evaluate(t.World, policy, Region, Now);

        // ---------------------------------------------------------------- common

        private Policy Common(SecurityGroup primary, string extra = "") => Policy(SecurityServiceTypeValues.SecurityGroupsCommon,
            "{\"type\":\"SECURITY_GROUPS_COMMON\",\"securityGroups\":[{\"id\":\"" + primary.Id + "\"}],\"revertManualSecurityGroupChanges\":true" + extra + "}", ResourceTypes.Instance);

        [Fact]
        public void Common_InstanceWithoutReplica_Violates_RemediationReplicatesAndAttaches()
        {
            var primary = Group(Admin, "primary", SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8"));
            var app = Group(A1, "app", SecurityGroupRule.Tcp(80, 80, "10.0.0.0/8"));
            var instance = t.Build.Instance(A1, t.Subnets[A1][0], "i1", new[] { app.Id });
            var policy = Common(primary);
            policy.IncludeMap = Map("ACCOUNT", A1);
            var violation = Assert.Single(Evaluate(policy).AllViolations);
            Assert.Equal((instance.Id, ViolationReasonValues.ResourceMissingSecurityGroup), (violation.ResourceId, violation.Reason));
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var eni = t.World.FindById<NetworkInterface>(instance.NetworkInterfaceIds[0])!;
            Assert.Equal(2, eni.SecurityGroupIds.Length);
            var replica = t.World.FindById<SecurityGroup>(eni.SecurityGroupIds[1])!;
            Assert.Equal(primary.Id, replica.ReplicaOfGroupId);
            Assert.Equal(A1, replica.AccountId);
            Assert.True(replica.Ingress.Single().SameTrafficAs(primary.Ingress.Single()));
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void Common_EditedReplica_IsReported_AndReverted()
        {
            var primary = Group(Admin, "primary", SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8"));
            t.Build.Instance(A1, t.Subnets[A1][0], "i1", new string[0]);
            var policy = Common(primary);
            policy.IncludeMap = Map("ACCOUNT", A1);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var replica = t.World.GetResources<SecurityGroup>(A1, Region).Single(g => g.FmsPolicyId == policy.PolicyId);
            replica.Ingress = new[] { SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0") };
            t.World.MarkChanged();
            var violation = Assert.Single(Evaluate(policy).AllViolations);
            Assert.Equal((replica.Id, ViolationReasonValues.FmsCreatedSecurityGroupEdited), (violation.ResourceId, violation.Reason));
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(9100, replica.Ingress.Single().FromPort);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void Common_SharedVpcResources_AreOnlyInScopeWithIncludeSharedVpc()
        {
            var primary = Group(Admin, "primary", SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8"));
            t.Vpcs[B1].SharedWithAccountIds = new[] { A1 };
            var participant = t.Build.Instance(A1, t.Subnets[B1][0], "in-shared-vpc", new string[0]);
            var policy = Common(primary);
            policy.IncludeMap = Map("ACCOUNT", A1);
            Assert.Empty(Evaluate(policy).AllViolations);
            var shared = Common(primary, ",\"includeSharedVPC\":true");
            shared.IncludeMap = Map("ACCOUNT", A1);
            Assert.Equal(participant.Id, Assert.Single(Evaluate(shared).AllViolations).ResourceId);
            PolicyRemediator.Remediate(t.World, shared, Region, Now);
            var replica = t.World.GetResources<SecurityGroup>(A1, Region).Single(g => g.FmsPolicyId == shared.PolicyId);
            Assert.Equal(t.Vpcs[B1].Id, replica.VpcId);
            Assert.Empty(Evaluate(shared).AllViolations);
        }

        [Fact]
        public void Common_ExclusiveManagement_ReplacesOtherGroups()
        {
            var primary = Group(Admin, "primary", SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8"));
            var app = Group(A1, "app", SecurityGroupRule.Tcp(80, 80, "10.0.0.0/8"));
            var instance = t.Build.Instance(A1, t.Subnets[A1][0], "i1", new[] { app.Id });
            var policy = Common(primary, ",\"exclusiveResourceSecurityGroupManagement\":true");
            policy.IncludeMap = Map("ACCOUNT", A1);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var eni = t.World.FindById<NetworkInterface>(instance.NetworkInterfaceIds[0])!;
            Assert.DoesNotContain(app.Id, eni.SecurityGroupIds);
            Assert.Single(eni.SecurityGroupIds);
        }

        [Fact]
        public void Common_DeletionWithCleanup_DetachesAndDeletesReplicas_WithoutCleanupReleasesThem()
        {
            var primary = Group(Admin, "primary", SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8"));
            var instance = t.Build.Instance(A1, t.Subnets[A1][0], "i1", new string[0]);
            var policy = Common(primary);
            policy.IncludeMap = Map("ACCOUNT", A1);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var eni = t.World.FindById<NetworkInterface>(instance.NetworkInterfaceIds[0])!;
            var replicaId = eni.SecurityGroupIds.Single();

            var kept = World.FromJson(t.World.ToJson());
            PolicyRemediator.CleanupDeletedPolicy(kept, policy, Region, false, Now);
            Assert.Null(kept.FindById<SecurityGroup>(replicaId)!.FmsPolicyId);
            Assert.Contains(replicaId, kept.FindById<NetworkInterface>(eni.Id)!.SecurityGroupIds);

            PolicyRemediator.CleanupDeletedPolicy(t.World, policy, Region, true, Now);
            Assert.Empty(eni.SecurityGroupIds);
            Assert.Null(t.World.FindById(replicaId));
        }

        // ---------------------------------------------------------------- content audit

        private Policy Audit(SecurityGroup audit, string action, string resourceType = ResourceTypes.SecurityGroup) => Policy(SecurityServiceTypeValues.SecurityGroupsContentAudit,
            "{\"type\":\"SECURITY_GROUPS_CONTENT_AUDIT\",\"preManagedOptions\":[{\"auditSgDirection\":{\"type\":\"INGRESS\"}}],\"securityGroups\":[{\"id\":\"" + audit.Id + "\"}],\"securityGroupAction\":{\"type\":\"" + action + "\"}}", resourceType);

        [Fact]
        public void ContentAudit_Deny_FlagsOnlyRulesOpeningTheAuditedRange()
        {
            var audit = Group(Admin, "audit", SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0"));
            var open = Group(A1, "open", SecurityGroupRule.Tcp(20, 25, "0.0.0.0/0"), SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0"));
            Group(A1, "internal", SecurityGroupRule.Tcp(22, 22, "10.0.0.0/8"));
            var policy = Audit(audit, "DENY");
            var evaluation = Evaluate(policy);
            var violation = Assert.Single(evaluation.AllViolations);
            Assert.Equal((open.Id, ViolationReasonValues.ResourceViolatesAuditSecurityGroup), (violation.ResourceId, violation.Reason));
            var detail = evaluation.GetViolationDetail(t.World, A1, open.Id, ResourceTypes.SecurityGroup)!;
            var sgViolation = Assert.Single(detail.ResourceViolations!).AwsVPCSecurityGroupViolation!;
            Assert.Equal(open.Id, sgViolation.ViolationTarget);
            Assert.Equal("DENIED_RULE_MATCH", sgViolation.PartialMatches!.Single().TargetViolationReasons!.Single());
            var remove = sgViolation.PossibleSecurityGroupRemediationActions!.Single();
            Assert.Equal(("REMOVE", true, 20L, "0.0.0.0/0"), (remove.RemediationActionType, remove.IsDefaultAction == true, remove.RemediationResult!.FromPort!.Value, remove.RemediationResult.IPV4Range));
        }

        [Fact]
        public void ContentAudit_Deny_RemediationRemovesOnlyTheOffendingRule()
        {
            var audit = Group(Admin, "audit", SecurityGroupRule.Tcp(3389, 3389, "0.0.0.0/0"));
            var open = Group(B1, "rdp", SecurityGroupRule.Tcp(3389, 3389, "0.0.0.0/0"), SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0"));
            var policy = Audit(audit, "DENY");
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(443, open.Ingress.Single().FromPort);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        [Fact]
        public void ContentAudit_Allow_FlagsRulesOutsideTheAllowedRanges_ModifyNarrowsThem()
        {
            var audit = Group(Admin, "audit", SecurityGroupRule.Tcp(443, 443, "10.0.0.0/8"));
            var inside = Group(A2, "inside", SecurityGroupRule.Tcp(443, 443, "10.1.0.0/16"));
            var outside = Group(A2, "outside", SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0"));
            var policy = Audit(audit, "ALLOW");
            var evaluation = Evaluate(policy);
            Assert.Equal(outside.Id, Assert.Single(evaluation.AllViolations).ResourceId);
            var actions = evaluation.GetViolationDetail(t.World, A2, outside.Id, null)!.ResourceViolations!.Single().AwsVPCSecurityGroupViolation!.PossibleSecurityGroupRemediationActions!;
            Assert.Equal(new[] { "REMOVE", "MODIFY" }, actions.Select(a => a.RemediationActionType).ToArray());
            var report = PolicyRemediator.ApplyViolationRemediation(t.World, policy, Region, A2, outside.Id, Now, "MODIFY");
            Assert.NotEmpty(report.Changes);
            Assert.Equal("10.0.0.0/8", outside.Ingress.Single().CidrIpv4);
            Assert.Empty(Evaluate(policy).AllViolations);
            Assert.Equal("10.1.0.0/16", inside.Ingress.Single().CidrIpv4);
        }

        [Fact]
        public void ContentAudit_InstancesAndInterfaces_ReportTheViolatingGroups()
        {
            var audit = Group(Admin, "audit", SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0"));
            var open = Group(A1, "open", SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0"));
            var fine = Group(A1, "fine", SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0"));
            var instance = t.Build.Instance(A1, t.Subnets[A1][0], "i1", new[] { open.Id, fine.Id });
            t.Build.Instance(A1, t.Subnets[A1][0], "i2", new[] { fine.Id });
            var policy = Audit(audit, "DENY", ResourceTypes.Instance);
            var evaluation = Evaluate(policy);
            Assert.Equal(instance.Id, Assert.Single(evaluation.AllViolations).ResourceId);
            var instanceViolation = evaluation.GetViolationDetail(t.World, A1, instance.Id, null)!.ResourceViolations!.Single().AwsEc2InstanceViolation!;
            Assert.Equal(new[] { open.Id }, instanceViolation.AwsEc2NetworkInterfaceViolations!.Single().ViolatingSecurityGroups!.ToArray());
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(new[] { fine.Id }, t.World.FindById<NetworkInterface>(instance.NetworkInterfaceIds[0])!.SecurityGroupIds);
            Assert.Empty(Evaluate(policy).AllViolations);
        }

        // ---------------------------------------------------------------- usage audit

        private static Policy Usage(string extra = "") => Policy(SecurityServiceTypeValues.SecurityGroupsUsageAudit,
            "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":true,\"coalesceRedundantSecurityGroups\":true" + extra + "}", ResourceTypes.SecurityGroup);

        [Fact]
        public void UsageAudit_UsedGroupsAndDefaultGroupsAreCompliant_UnusedAndRedundantAreNot()
        {
            var used = Group(A1, "used", SecurityGroupRule.Tcp(80, 80, "10.0.0.0/8"));
            t.Build.Instance(A1, t.Subnets[A1][0], "i1", new[] { used.Id });
            var referenced = Group(A1, "referenced", SecurityGroupRule.Tcp(81, 81, "10.0.0.0/8"));
            Group(A1, "referrer", new SecurityGroupRule { Protocol = "tcp", FromPort = 5, ToPort = 5, ReferencedGroupId = referenced.Id });
            var unused = Group(A1, "unused", SecurityGroupRule.Tcp(82, 82, "10.0.0.0/8"));
            var twin = t.Build.SecurityGroup(A1, Region, t.Vpcs[A1].Id, "twin", used.Ingress, ageDays: 5);
            t.Build.Instance(A1, t.Subnets[A1][1], "i2", new[] { twin.Id });
            var policy = Usage();
            policy.IncludeMap = Map("ACCOUNT", A1);
            var found = Evaluate(policy).AllViolations.Select(v => (Name: v.Resource.Name ?? "", v.Reason)).OrderBy(x => x.Name).ToArray();
            Assert.Equal(new[] { ("referrer", ViolationReasonValues.SecurityGroupUnused), ("twin", ViolationReasonValues.SecurityGroupRedundant), ("unused", ViolationReasonValues.SecurityGroupUnused) }, found);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Null(t.World.FindById(unused.Id));
            Assert.Null(t.World.FindById(twin.Id));
            Assert.NotNull(t.World.FindById(used.Id));
            // Deleting "referrer" freed the group it referenced: the next pass finds and deletes it.
            Assert.Equal(referenced.Id, Assert.Single(Evaluate(policy).AllViolations).ResourceId);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(Evaluate(policy).AllViolations);
        }
    }
}
