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
    /// <summary>
    /// Cached evaluations keep violations and per-account results compactly (ids read from the resource, one metadata
    /// entry inline, collections only for accounts that have something): the answers built from them are unchanged, are
    /// fresh copies, and follow the world when it changes. The sandbox's evaluator keeps in-scope resource lists only for
    /// Shield Advanced policies (GetProtectionStatus reads them); a list not kept is recomputed on read, equal to the kept
    /// one, and refused once the world has changed.
    /// </summary>
    public class CompactEvaluationTests
    {
        private readonly TestWorld t = new TestWorld();

        private static Policy Waf() => Policy(SecurityServiceTypeValues.Wafv2,
            "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},"
            + "\"overrideCustomerWebACLAssociation\":false}", ResourceTypes.ApplicationLoadBalancer);

        private ApplicationLoadBalancer Alb(string account, string? webAclArn = null) =>
            t.Build.ApplicationLoadBalancer(account, Region, t.Vpcs[account], "alb-" + account, new string[0], t.Subnets[account], webAclArn);

        [Fact]
        public void A_violator_carries_the_resources_id_type_and_its_one_metadata_entry_and_every_answer_is_a_fresh_copy()
        {
            var customer = t.Build.WebAcl(A1, Region, WafScopes.Regional, "customer", new WebAclRule[0]);
            var alb = Alb(A1, customer.Arn);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, Waf(), Region, Now);

            var violation = Assert.Single(evaluation.AllViolations);
            Assert.Equal((alb.Arn, ResourceTypes.ApplicationLoadBalancer), (violation.ResourceId, violation.ResourceType));
            var detail = evaluation.ToComplianceDetail(A1, Admin, Now);
            var violator = Assert.Single(detail.Violators!);
            Assert.Equal(alb.Arn, violator.ResourceId);
            Assert.Equal(new[] { ("WebACLArn", customer.Arn) }, violator.Metadata!.Select(m => (m.Key, m.Value)));
            Assert.Contains("\"Metadata\":{\"WebACLArn\":\"" + customer.Arn + "\"}", JsonSerializer.Serialize(violator));

            violator.Metadata!["WebACLArn"] = "changed by the caller";
            detail.IssueInfoMap!["AWSWAF"] = "changed by the caller";
            var again = evaluation.ToComplianceDetail(A1, Admin, Now);
            Assert.Equal(customer.Arn, again.Violators!.Single().Metadata!["WebACLArn"]);
            Assert.Empty(again.IssueInfoMap!);
            Assert.Empty(evaluation.GetAccount(A1)!.IssueInfoMap);
        }

        [Fact]
        public void Compliant_accounts_answer_empty_collections_and_an_issue_appears_only_where_it_was_found()
        {
            t.Build.ShieldProtection(t.Build.ElasticIp(A1, Region));
            t.Build.ShieldSubscription(A1);
            var bare = t.Build.ElasticIp(B1, Region);
            var policy = Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);
            var evaluation = new PolicyEvaluator().Evaluate(t.World, policy, Region, Now);

            var compliant = evaluation.GetAccount(A1)!;
            Assert.True(compliant.IsCompliant);
            Assert.Empty(compliant.Violations);
            Assert.Empty(compliant.IssueInfoMap);
            Assert.Empty(evaluation.ToComplianceStatus(A1, Admin, Now)!.IssueInfoMap!);

            var other = evaluation.GetAccount(B1)!;
            Assert.False(other.IsCompliant);
            Assert.Equal(bare.Arn, Assert.Single(other.Violations).ResourceId);
            Assert.Equal(new[] { "AWSSHIELD_ADVANCED" }, other.IssueInfoMap.Keys);
            Assert.Equal(new[] { "AWSSHIELD_ADVANCED" }, evaluation.ToComplianceStatus(B1, Admin, Now)!.IssueInfoMap!.Keys);
        }

        [Fact]
        public void A_cached_evaluation_is_answered_until_the_world_changes_then_the_new_state_is()
        {
            var alb = Alb(A1);
            var evaluator = new PolicyEvaluator { RetainViolationDetails = false };
            var first = evaluator.Evaluate(t.World, Waf(), Region, Now);
            Assert.Same(first, evaluator.Evaluate(t.World, Waf(), Region, Now));
            Assert.Equal(ViolationReasonValues.ResourceMissingWebAcl, Assert.Single(first.AllViolations).Reason);

            var customer = t.Build.WebAcl(A1, Region, WafScopes.Regional, "customer", new WebAclRule[0]);
            alb.WebAclArn = customer.Arn;
            t.World.MarkChanged();
            var second = evaluator.Evaluate(t.World, Waf(), Region, Now);
            Assert.NotSame(first, second);
            var violation = Assert.Single(second.AllViolations);
            Assert.Equal(ViolationReasonValues.ResourceIncorrectWebAcl, violation.Reason);
            Assert.Equal(customer.Arn, violation.ToWire().Metadata!["WebACLArn"]);
        }

        private static Policy Shield() => Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);

        private void Albs()
        {
            foreach (var account in new[] { A1, A2, B1 })
                for (var i = 0; i < 2; i++)
                    t.Build.ApplicationLoadBalancer(account, Region, t.Vpcs[account], "alb-" + account + "-" + i, new string[0], t.Subnets[account], null);
        }

        [Fact]
        public void A_list_not_kept_is_recomputed_equal_to_the_kept_one()
        {
            Albs();
            var kept = new PolicyEvaluator().Evaluate(t.World, Waf(), Region, Now);
            var compact = new PolicyEvaluator { RetainInScopeResources = false }.Evaluate(t.World, Waf(), Region, Now);

            Assert.True(kept.KeepsInScopeResources);
            Assert.False(compact.KeepsInScopeResources);
            Assert.Equal(6, kept.InScopeResources.Count);
            Assert.Equal(kept.InScopeResources, compact.InScopeResources);
            Assert.Equal(kept.AllViolations.Select(v => (v.ResourceId, v.Reason)), compact.AllViolations.Select(v => (v.ResourceId, v.Reason)));
        }

        [Fact]
        public void Shield_advanced_evaluations_keep_their_list_and_it_is_the_snapshot_of_their_world()
        {
            var first = t.Build.ElasticIp(A1, Region);
            t.Build.ElasticIp(B1, Region);
            var evaluator = new PolicyEvaluator { RetainInScopeResources = false };
            var evaluation = evaluator.Evaluate(t.World, Shield(), Region, Now);
            Assert.True(evaluation.KeepsInScopeResources);
            var before = evaluation.InScopeResources.ToList();
            Assert.Equal(new PolicyEvaluator().Evaluate(t.World, Shield(), Region, Now).InScopeResources, before);
            Assert.Contains(first, before);

            t.Build.ElasticIp(A2, Region);
            Assert.Equal(before, evaluation.InScopeResources);
            Assert.Equal(3, evaluator.Evaluate(t.World, Shield(), Region, Now).InScopeResources.Count);
        }

        [Fact]
        public void A_list_not_kept_is_refused_once_the_world_has_changed()
        {
            Albs();
            var compact = new PolicyEvaluator { RetainInScopeResources = false }.Evaluate(t.World, Waf(), Region, Now);
            t.Build.ApplicationLoadBalancer(A1, Region, t.Vpcs[A1], "alb-late", new string[0], t.Subnets[A1], null);

            var error = Assert.Throws<System.InvalidOperationException>(() => compact.InScopeResources);
            Assert.Contains("world has changed", error.Message);
        }
    }
}
