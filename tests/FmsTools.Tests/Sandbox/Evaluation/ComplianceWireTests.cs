using System;
using System.Linq;
using System.Text.Json;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class ComplianceWireTests
    {
        private readonly TestWorld t = new TestWorld();

        private static Policy Shield() => Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);

        [Fact]
        public void ComplianceDetail_CapsViolatorsAtOneHundred_AndFlagsTheLimit()
        {
            for (var i = 0; i < 150; i++) t.Build.ElasticIp(A1, Region);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, Shield(), Region, Now);
            var detail = evaluation.ToComplianceDetail(A1, Admin, Now.AddHours(1));
            Assert.Equal(100, detail.Violators!.Count);
            Assert.True(detail.EvaluationLimitExceeded);
            Assert.Equal(Now.AddHours(1), detail.ExpiredAt);
            var status = evaluation.ToComplianceStatus(A1, Admin, Now)!;
            var nonCompliant = status.EvaluationResults!.Single(r => r.ComplianceStatus == "NON_COMPLIANT");
            Assert.Equal(150, nonCompliant.ViolatorCount);
            Assert.True(nonCompliant.EvaluationLimitExceeded);
        }

        [Fact]
        public void ComplianceDetail_AtExactlyOneHundred_DoesNotFlagTheLimit()
        {
            for (var i = 0; i < 100; i++) t.Build.ElasticIp(A1, Region);
            var detail = new PolicyEvaluator().Evaluate(t.World, Shield(), Region, Now).ToComplianceDetail(A1, Admin, Now);
            Assert.Equal(100, detail.Violators!.Count);
            Assert.False(detail.EvaluationLimitExceeded);
        }

        [Fact]
        public void CompliantAccount_HasOneCompliantResult_EmptyIssueMap_AndNoViolators()
        {
            t.Build.ShieldProtection(t.Build.ElasticIp(A1, Region));
            t.Build.ShieldSubscription(A1);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, Shield(), Region, Now);
            var status = evaluation.ToComplianceStatus(A1, Admin, Now)!;
            var result = Assert.Single(status.EvaluationResults!);
            Assert.Equal(("COMPLIANT", 0L, false), (result.ComplianceStatus, result.ViolatorCount!.Value, result.EvaluationLimitExceeded!.Value));
            Assert.Empty(status.IssueInfoMap!);
            var json = JsonSerializer.Serialize(evaluation.ToComplianceDetail(A1, Admin, Now));
            Assert.Contains("\"Violators\":[]", json);
            Assert.Contains("\"IssueInfoMap\":{}", json);
            Assert.Contains("\"EvaluationLimitExceeded\":false", json);
        }

        [Fact]
        public void ComplianceStatuses_OneEntryPerInScopeAccount_WithPolicyIdentity()
        {
            var policy = Shield();
            policy.IncludeMap = Map("ORG_UNIT", OuA);
            var statuses = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now).ToComplianceStatuses(Admin, Now);
            Assert.Equal(new[] { A1, A2 }, statuses.Select(s => s.MemberAccount).ToArray());
            Assert.All(statuses, s => Assert.Equal((policy.PolicyId, policy.PolicyName, Admin), (s.PolicyId, s.PolicyName, s.PolicyOwner)));
        }

        [Fact]
        public void Violator_UsesTheModelsReasonEnumAndResourceIdentity()
        {
            var eip = t.Build.ElasticIp(B1, Region);
            var violator = new PolicyEvaluator().Evaluate(t.World, Shield(), Region, Now).ToComplianceDetail(B1, Admin, Now).Violators!.Single();
            Assert.Contains(violator.ViolationReason, ViolationReasonValues.All);
            Assert.Equal((eip.Arn, ResourceTypes.ElasticIp), (violator.ResourceId, violator.ResourceType));
            Assert.NotNull(violator.Metadata);
        }

        [Fact]
        public void Evaluate_IsCached_UntilTheWorldOrPolicyChanges()
        {
            t.Build.ElasticIp(A1, Region);
            var evaluator = new PolicyEvaluator();
            var policy = Shield();
            var first = evaluator.Evaluate(t.World, policy, Region, Now);
            Assert.Same(first, evaluator.Evaluate(t.World, policy, Region, Now));
            t.Build.ElasticIp(B1, Region);
            var second = evaluator.Evaluate(t.World, policy, Region, Now);
            Assert.NotSame(first, second);
            Assert.Equal(2, second.AllViolations.Count());
            policy.IncludeMap = Map("ACCOUNT", A1);
            Assert.Single(evaluator.Evaluate(t.World, policy, Region, Now).AllViolations);
        }

        [Fact]
        public void ViolationDetail_CarriesTagsAndIsNullOutsideTheScope()
        {
            var eip = t.Build.ElasticIp(A1, Region, tags: WorldBuilder.Tags("env", "prod"));
            var policy = Shield();
            policy.IncludeMap = Map("ACCOUNT", A1);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now);
            var detail = evaluation.GetViolationDetail(t.World, A1, eip.Arn, ResourceTypes.ElasticIp)!;
            Assert.Equal(("env", "prod"), (detail.ResourceTags!.Single().Key, detail.ResourceTags!.Single().Value));
            Assert.Equal(policy.PolicyId, detail.PolicyId);
            Assert.Null(evaluation.GetViolationDetail(t.World, B1, eip.Arn, null));
        }

        [Fact]
        public void ListDiscoveredResources_ReturnsArnsOfTheRequestedType()
        {
            var world = World.CreateDemo();
            var found = world.ListDiscoveredResources(new[] { DemoOrganization.ProdWeb, DemoOrganization.ProdApi }, ResourceTypes.ApplicationLoadBalancer, "eu-west-1");
            Assert.Equal(2, found.Count);
            Assert.All(found, r => Assert.StartsWith("arn:aws:elasticloadbalancing:eu-west-1:", r.URI));
            Assert.Equal(2, world.ListDiscoveredResources(new[] { DemoOrganization.ProdWeb, DemoOrganization.DevTeamA }, ResourceTypes.CloudFrontDistribution, "eu-west-1").Count);
        }

        [Fact]
        public void DemoWaf_DeletionWithCleanup_RemovesFmsWebAclsAndRetrofitSections()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("eu-west-1").Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            PolicyRemediator.Remediate(world, policy, "eu-west-1", DemoOrganization.ReferenceTime);
            var retrofitted = world.AllResources().OfType<WebAcl>().Single(a => a.Name == "prod-web-acl" && a.Region == "eu-west-1");
            Assert.True(retrofitted.RetrofittedByFirewallManager);
            PolicyRemediator.CleanupDeletedPolicy(world, policy, "eu-west-1", true, DemoOrganization.ReferenceTime);
            Assert.DoesNotContain(world.AllResources().OfType<WebAcl>(), a => a.FmsPolicyId == policy.PolicyId);
            Assert.False(retrofitted.RetrofittedByFirewallManager);
            Assert.Empty(retrofitted.PreProcessFirewallManagerRuleGroups);
            Assert.Null(world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdApi, "eu-west-1").Single().WebAclArn);
            Assert.Equal(retrofitted.Arn, world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdWeb, "eu-west-1").Single().WebAclArn);
        }

        [Fact]
        public void DemoWaf_DeletionWithoutCleanup_LeavesAssociationsButReleasesManagement()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("eu-west-1").Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            PolicyRemediator.Remediate(world, policy, "eu-west-1", DemoOrganization.ReferenceTime);
            var alb = world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdApi, "eu-west-1").Single();
            var acl = (WebAcl)world.FindByArn(alb.WebAclArn!)!;
            PolicyRemediator.CleanupDeletedPolicy(world, policy, "eu-west-1", false, DemoOrganization.ReferenceTime);
            Assert.Equal(acl.Arn, alb.WebAclArn);
            Assert.False(acl.ManagedByFirewallManager);
            Assert.Null(acl.FmsPolicyId);
        }
    }
}
