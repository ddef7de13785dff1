using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class WafAndShieldTests
    {
        private const string CommonRuleSet = "{\"managedRuleGroupIdentifier\":{\"vendorName\":\"AWS\",\"managedRuleGroupName\":\"AWSManagedRulesCommonRuleSet\"},\"overrideAction\":{\"type\":\"NONE\"},\"ruleGroupType\":\"ManagedRuleGroup\"}";
        private readonly TestWorld t = new TestWorld();

        private static Policy Waf(bool overrideCustomer, bool retrofit = false) => Policy(SecurityServiceTypeValues.Wafv2,
            "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[" + CommonRuleSet + "],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},\"overrideCustomerWebACLAssociation\":" + (overrideCustomer ? "true" : "false")
            + ",\"optimizeUnassociatedWebACL\":true" + (retrofit ? ",\"webACLSource\":\"RETROFIT_EXISTING\"" : "") + "}",
            ResourceTypes.ApplicationLoadBalancer);

        private ApplicationLoadBalancer Alb(string account, string? webAclArn = null) =>
            t.Build.ApplicationLoadBalancer(account, Region, t.Vpcs[account], "alb-" + account, new string[0], t.Subnets[account], webAclArn);

        private WebAcl CustomerAcl(string account) => t.Build.WebAcl(account, Region, WafScopes.Regional, "customer-" + account, new[] { new WebAclRule { Name = "rate", StatementType = WebAclStatementTypes.RateBased, RateLimit = 100, Action = "BLOCK" } });

        private List<Violation> Evaluate(Policy policy) => new PolicyEvaluator().Evaluate(t.World, policy, Region, Now).AllViolations.ToList();

        [Fact]
        public void WafV2_MissingWebAcl_IsRemediatedWithAnFmsWebAcl_ThenCompliant()
        {
            var alb = Alb(A1);
            var policy = Waf(false);
            var violation = Assert.Single(Evaluate(policy), v => v.AccountId == A1);
            Assert.Equal(ViolationReasonValues.ResourceMissingWebAcl, violation.Reason);
            Assert.Equal(alb.Arn, violation.ResourceId);
            Assert.Equal(ResourceTypes.ApplicationLoadBalancer, violation.ResourceType);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(Evaluate(policy));
            var acl = (WebAcl)t.World.FindByArn(alb.WebAclArn!)!;
            Assert.StartsWith("FMManagedWebACLV2-test-wafv2-", acl.Name);
            Assert.Equal(policy.PolicyId, acl.FmsPolicyId);
        }

        [Fact]
        public void WafV2_CustomerWebAcl_WithoutOverride_IsIncorrectAndLeftAlone()
        {
            var customer = CustomerAcl(A1);
            var alb = Alb(A1, customer.Arn);
            var policy = Waf(false);
            Assert.Equal(ViolationReasonValues.ResourceIncorrectWebAcl, Assert.Single(Evaluate(policy)).Reason);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(customer.Arn, alb.WebAclArn);
            Assert.Single(Evaluate(policy));
        }

        [Fact]
        public void WafV2_CustomerWebAcl_WithOverride_IsReplaced()
        {
            var customer = CustomerAcl(A1);
            var alb = Alb(A1, customer.Arn);
            var policy = Waf(true);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotEqual(customer.Arn, alb.WebAclArn);
            Assert.Empty(Evaluate(policy));
        }

        [Fact]
        public void WafV2_AnotherPoliciesWebAcl_IsNeverReplaced_EvenWithOverride()
        {
            var other = CustomerAcl(A1);
            other.ManagedByFirewallManager = true;
            other.FmsPolicyId = "other000-0000-4000-8000-000000000000";
            other.FmsPolicyType = SecurityServiceTypeValues.Wafv2;
            var alb = Alb(A1, other.Arn);
            var policy = Waf(true);
            Assert.Equal(ViolationReasonValues.ResourceIncorrectWebAcl, Assert.Single(Evaluate(policy)).Reason);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(other.Arn, alb.WebAclArn);
        }

        [Fact]
        public void WafV2_RetrofitExisting_AddsFirstRuleSectionToCustomerAcl()
        {
            var customer = CustomerAcl(A1);
            var alb = Alb(A1, customer.Arn);
            var policy = Waf(false, retrofit: true);
            var violation = Assert.Single(Evaluate(policy));
            Assert.Equal(ViolationReasonValues.WebAclMissingRuleGroup, violation.Reason);
            Assert.Equal(ResourceTypes.WebAcl, violation.ResourceType);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Equal(customer.Arn, alb.WebAclArn);
            Assert.True(customer.RetrofittedByFirewallManager);
            Assert.Empty(Evaluate(policy));
        }

        [Fact]
        public void WafV2_FmsWebAclEditedByHand_IsMissingRuleGroup_AndRestored()
        {
            var alb = Alb(A1);
            var policy = Waf(false);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var acl = (WebAcl)t.World.FindByArn(alb.WebAclArn!)!;
            acl.PreProcessFirewallManagerRuleGroups = new WebAclRule[0];
            t.World.MarkChanged();
            var violation = Assert.Single(Evaluate(policy));
            Assert.Equal(ViolationReasonValues.WebAclMissingRuleGroup, violation.Reason);
            var detail = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now).GetViolationDetail(t.World, A1, acl.Arn, null)!;
            Assert.Equal(acl.Arn, detail.ResourceViolations!.Single().WebACLHasIncompatibleConfigurationViolation!.WebACLArn);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Empty(Evaluate(policy));
        }

        [Fact]
        public void WafV2_ShieldPolicyWebAcl_IsReplacedByTheWafPolicy()
        {
            var alb = Alb(A1);
            t.Build.ShieldSubscription(A1);
            var shield = Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ApplicationLoadBalancer);
            shield.PolicyId = "shield00-0000-4000-8000-000000000000";
            PolicyRemediator.Remediate(t.World, shield, Region, Now);
            var shieldAcl = alb.WebAclArn;
            Assert.NotNull(shieldAcl);
            var policy = Waf(false);
            Assert.Equal(ViolationReasonValues.ResourceIncorrectWebAcl, Assert.Single(Evaluate(policy), v => v.AccountId == A1).Reason);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotEqual(shieldAcl, alb.WebAclArn);
            Assert.Empty(Evaluate(policy));
            Assert.Empty(Evaluate(shield));
        }

        [Fact]
        public void WafV2_OutOfScopeResourceOnPolicyAcl_IsReported_AndDisassociatedWhenDeleteUnusedIsOn()
        {
            var alb = Alb(A1);
            var policy = Waf(false);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            t.World.SetTags(alb, WorldBuilder.Tags("skip", "yes"));
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "skip", Value = "yes" } };
            policy.ExcludeResourceTags = true;
            var violation = Assert.Single(Evaluate(policy));
            Assert.Equal(ViolationReasonValues.WebAclConfigurationOrScopeOfUse, violation.Reason);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotNull(alb.WebAclArn);
            policy.DeleteUnusedFMManagedResources = true;
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.Null(alb.WebAclArn);
            Assert.Empty(Evaluate(policy));
        }

        [Fact]
        public void WafClassic_MissingWebAcl_IsRemediated()
        {
            var alb = Alb(B1);
            var policy = Policy(SecurityServiceTypeValues.Waf, "{\"type\":\"WAF\",\"ruleGroups\":[{\"id\":\"78cb36c0-1b5e-4d7d-82b2-cf48d3ad9659\",\"overrideAction\":{\"type\":\"NONE\"}}],\"overrideCustomerWebACLAssociation\":false,\"defaultAction\":{\"type\":\"BLOCK\"}}", ResourceTypes.ApplicationLoadBalancer);
            Assert.Equal(ViolationReasonValues.ResourceMissingWebAcl, Assert.Single(Evaluate(policy)).Reason);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            var acl = t.World.FindById<ClassicWebAcl>(alb.ClassicWebAclId!)!;
            Assert.Equal("78cb36c0-1b5e-4d7d-82b2-cf48d3ad9659", acl.RuleGroups.Single().RuleGroupId);
            Assert.Equal("BLOCK", acl.DefaultAction);
            Assert.Empty(Evaluate(policy));
        }

        [Fact]
        public void Shield_ProtectedResourceIsCompliant_UnprotectedIsNot_AndRemediationSubscribesAndProtects()
        {
            var protectedEip = t.Build.ElasticIp(A1, Region);
            t.Build.ShieldProtection(protectedEip);
            var bare = t.Build.ElasticIp(B1, Region);
            var policy = Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now);
            var violation = Assert.Single(evaluation.AllViolations);
            Assert.Equal(bare.Arn, violation.ResourceId);
            Assert.Equal(ViolationReasonValues.ResourceMissingShieldProtection, violation.Reason);
            Assert.True(evaluation.GetAccount(B1)!.IssueInfoMap.ContainsKey("AWSSHIELD_ADVANCED"));
            Assert.Null(t.World.FindShieldSubscription(B1));
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotNull(t.World.FindShieldSubscription(B1));
            var after = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now);
            Assert.Empty(after.AllViolations);
            Assert.Empty(after.GetAccount(B1)!.IssueInfoMap);
        }

        [Fact]
        public void Shield_DeletingThePolicyWithCleanup_RemovesProtectionsButKeepsSubscriptions()
        {
            t.Build.ElasticIp(A1, Region);
            var policy = Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);
            PolicyRemediator.Remediate(t.World, policy, Region, Now);
            Assert.NotEmpty(t.World.GetResources<ShieldProtection>(A1, Region));
            PolicyRemediator.CleanupDeletedPolicy(t.World, policy, Region, true, Now);
            Assert.Empty(t.World.GetResources<ShieldProtection>(A1, Region));
            Assert.NotNull(t.World.FindShieldSubscription(A1));
        }

        [Fact]
        public void ProtectionStatus_ListsAttacksOnInScopeResourcesWithinTheWindow()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.ShieldPolicyName);
            var evaluation = new PolicyEvaluator().Evaluate(world, policy, "us-east-1", DemoOrganization.ReferenceTime);
            var all = ProtectionStatus.Attacks(world, evaluation, null, DemoOrganization.ReferenceTime.AddDays(-7), DemoOrganization.ReferenceTime);
            Assert.Equal(2, all.Count);
            var recent = ProtectionStatus.Attacks(world, evaluation, DemoOrganization.ProdWeb, DemoOrganization.ReferenceTime.AddDays(-1), DemoOrganization.ReferenceTime);
            Assert.Equal("UDP_REFLECTION", Assert.Single(recent).AttackVectors.Single());
            var json = ProtectionStatus.ToData(recent);
            Assert.Contains("\"AttackSummaries\"", json);
            Assert.Contains("\"EndTime\":null", json);
            Assert.Empty(ProtectionStatus.Attacks(world, evaluation, DemoOrganization.DevCi, DemoOrganization.ReferenceTime.AddDays(-7), DemoOrganization.ReferenceTime));
        }
    }
}
