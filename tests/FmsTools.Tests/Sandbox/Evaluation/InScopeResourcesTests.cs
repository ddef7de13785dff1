using System;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    /// <summary>
    /// The sandbox's evaluator caches evaluations without their in-scope resource list except for Shield Advanced policies
    /// (GetProtectionStatus reads it); a list that was not kept is recomputed on read and equals the one a keeping
    /// evaluator holds, and is refused once the world has changed.
    /// </summary>
    public class InScopeResourcesTests
    {
        private readonly TestWorld t = new TestWorld();

        private static Policy Waf() => Policy(SecurityServiceTypeValues.Wafv2,
            "{\"type\":\"WAFV2\",\"preProcessRuleGroups\":[],\"postProcessRuleGroups\":[],\"defaultAction\":{\"type\":\"ALLOW\"},"
            + "\"overrideCustomerWebACLAssociation\":false}", ResourceTypes.ApplicationLoadBalancer);

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
