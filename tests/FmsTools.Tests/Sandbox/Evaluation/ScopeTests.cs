using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using static FmsTools.Tests.Sandbox.Evaluation.TestWorld;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    /// <summary>Account and resource scope, checked through a Shield policy over one unprotected EIP per account.</summary>
    public class ScopeTests
    {
        private readonly TestWorld t = new TestWorld();
        private readonly Dictionary<string, ElasticIp> eips = new Dictionary<string, ElasticIp>();

        public ScopeTests()
        {
            eips[Admin] = t.Build.ElasticIp(Admin, Region, tags: WorldBuilder.Tags("env", "prod", "team", "red"));
            eips[A1] = t.Build.ElasticIp(A1, Region, tags: WorldBuilder.Tags("env", "prod"));
            eips[A2] = t.Build.ElasticIp(A2, Region, tags: WorldBuilder.Tags("team", "red", "flag", ""));
            eips[B1] = t.Build.ElasticIp(B1, Region);
        }

        private static Policy Shield() => Policy(SecurityServiceTypeValues.ShieldAdvanced, "{\"type\":\"SHIELD_ADVANCED\"}", ResourceTypes.ElasticIp);

        private string[] ViolatingAccounts(Policy policy, ResourceSetResolver? sets = null) =>
            new PolicyEvaluator().Evaluate(t.World, policy, Region, Now, sets).AllViolations.Select(v => v.AccountId).OrderBy(a => a).ToArray();

        private string[] InScopeAccounts(Policy policy) =>
            new PolicyEvaluator().Evaluate(t.World, policy, Region, Now).Accounts.Select(a => a.AccountId).OrderBy(a => a).ToArray();

        [Fact]
        public void NoMaps_CoverEveryAccount_IncludingTheFmsAdministrator()
        {
            Assert.Equal(new[] { Admin, A1, A2, B1 }, InScopeAccounts(Shield()));
        }

        [Fact]
        public void IncludeAccount_CoversOnlyThatAccount()
        {
            var policy = Shield();
            policy.IncludeMap = Map("ACCOUNT", A1);
            Assert.Equal(new[] { A1 }, InScopeAccounts(policy));
        }

        [Fact]
        public void IncludeOu_CoversNestedOus()
        {
            var policy = Shield();
            policy.IncludeMap = Map("ORG_UNIT", OuA);
            Assert.Equal(new[] { A1, A2 }, InScopeAccounts(policy));
        }

        [Fact]
        public void ExcludeOu_RemovesNestedOuAccounts()
        {
            var policy = Shield();
            policy.ExcludeMap = Map("ORG_UNIT", OuA);
            Assert.Equal(new[] { Admin, B1 }, InScopeAccounts(policy));
        }

        [Fact]
        public void ExcludeAccount_RemovesOnlyThatAccount()
        {
            var policy = Shield();
            policy.ExcludeMap = Map("ACCOUNT", A2);
            Assert.Equal(new[] { Admin, A1, B1 }, InScopeAccounts(policy));
        }

        [Fact]
        public void IncludeMap_MakesExcludeMapIgnored()
        {
            var policy = Shield();
            policy.IncludeMap = Map("ORG_UNIT", OuA);
            policy.ExcludeMap = Map("ACCOUNT", A1);
            Assert.Equal(new[] { A1, A2 }, InScopeAccounts(policy));
        }

        [Fact]
        public void IncludeMap_CloudFormationSpellingOrgUnit_IsAccepted()
        {
            var policy = Shield();
            policy.IncludeMap = Map("ORGUNIT", OuAChild);
            Assert.Equal(new[] { A2 }, InScopeAccounts(policy));
        }

        [Fact]
        public void SuspendedAccounts_AreOutOfScope()
        {
            t.World.FindAccount(B1)!.Status = "SUSPENDED";
            Assert.Equal(new[] { Admin, A1, A2 }, InScopeAccounts(Shield()));
        }

        [Fact]
        public void Tags_And_RequiresEveryTag()
        {
            var policy = Shield();
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "env", Value = "prod" }, new ResourceTag { Key = "team", Value = "red" } };
            Assert.Equal(new[] { Admin }, ViolatingAccounts(policy));
        }

        [Fact]
        public void Tags_Or_RequiresAnyTag()
        {
            var policy = Shield();
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "env", Value = "prod" }, new ResourceTag { Key = "team", Value = "red" } };
            policy.ResourceTagLogicalOperator = "OR";
            Assert.Equal(new[] { Admin, A1, A2 }, ViolatingAccounts(policy));
        }

        [Fact]
        public void Tags_Exclude_DropsMatchingResources()
        {
            var policy = Shield();
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "env", Value = "prod" } };
            policy.ExcludeResourceTags = true;
            Assert.Equal(new[] { A2, B1 }, ViolatingAccounts(policy));
        }

        [Fact]
        public void Tags_WithoutValue_MatchOnlyTheEmptyValue()
        {
            var policy = Shield();
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "flag" } };
            Assert.Equal(new[] { A2 }, ViolatingAccounts(policy));
            policy.ResourceTags = new List<ResourceTag> { new ResourceTag { Key = "env" } };
            Assert.Empty(ViolatingAccounts(policy));
        }

        [Fact]
        public void ResourceTypes_OnlyTheListedTypesAreEvaluated()
        {
            var policy = Shield();
            policy.ResourceType = "ResourceTypeList";
            policy.ResourceTypeList = new List<string> { ResourceTypes.ApplicationLoadBalancer };
            Assert.Empty(ViolatingAccounts(policy));
            policy.ResourceTypeList.Add(ResourceTypes.ElasticIp);
            Assert.Equal(4, ViolatingAccounts(policy).Length);
        }

        [Fact]
        public void ResourceSets_RestrictScopeToTheirArns()
        {
            var policy = Shield();
            policy.ResourceSetIds = new List<string> { "set-1" };
            Assert.Equal(new[] { B1 }, ViolatingAccounts(policy, id => id == "set-1" ? new[] { eips[B1].Arn } : new string[0]));
            Assert.Empty(ViolatingAccounts(policy));
        }

        [Fact]
        public void CloudFront_IsEvaluatedOnlyInUsEast1()
        {
            t.Build.CloudFrontDistribution(A1, "origin.example.com");
            var policy = Shield();
            policy.ResourceType = ResourceTypes.CloudFrontDistribution;
            Assert.Single(new PolicyEvaluator().Evaluate(t.World, policy, "us-east-1", Now).AllViolations);
            Assert.Empty(new PolicyEvaluator().Evaluate(t.World, policy, "eu-west-1", Now).AllViolations);
        }
    }
}
