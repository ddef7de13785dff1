using System;
using System.Linq;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class WorldModelTests
    {
        [Fact]
        public void Demo_HasManagementAdminAndTwelveMembersInNestedOus()
        {
            var world = World.CreateDemo();
            Assert.Equal(13, world.Organization.Accounts.Count);
            Assert.Matches("^o-[a-z0-9]{10}$", world.Organization.Id);
            Assert.Matches("^r-[a-z0-9]{4}$", world.Organization.RootId);
            Assert.All(world.Organization.OrganizationalUnits, ou => Assert.Matches("^ou-[a-z0-9]{4}-[a-z0-9]{8}$", ou.Id));
            Assert.All(world.Organization.Accounts, a => Assert.Matches("^[0-9]{12}$", a.Id));
            Assert.Equal(DemoOrganization.FmsAdministratorAccountId, world.Organization.DelegatedAdministrators.Single().AccountId);
            // prod-eu-web sits in Production-EU, nested in Production.
            Assert.Equal(new[] { DemoOrganization.RootId, DemoOrganization.ProductionOuId, DemoOrganization.ProductionEuOuId },
                world.GetParentPath(DemoOrganization.ProdEuWeb).ToArray());
            Assert.True(world.IsAccountUnder(DemoOrganization.ProdEuWeb, DemoOrganization.ProductionOuId));
            Assert.False(world.IsAccountUnder(DemoOrganization.DevCi, DemoOrganization.ProductionOuId));
            var production = world.GetAccountsUnder(DemoOrganization.ProductionOuId);
            Assert.Equal(5, production.Count);
            Assert.Contains(DemoOrganization.ProdEuNetwork, production);
        }

        [Fact]
        public void Demo_HasAFewHundredResourcesAcrossTwoRegionsAndGlobalCloudFront()
        {
            var world = World.CreateDemo();
            var all = world.AllResources().ToList();
            Assert.InRange(all.Count, 200, 600);
            Assert.Contains(all, r => r.Region == "eu-west-1");
            Assert.All(all.OfType<CloudFrontDistribution>(), d => Assert.Equal("us-east-1", d.Region));
            foreach (var type in new[] { typeof(Vpc), typeof(Subnet), typeof(SecurityGroup), typeof(Ec2Instance), typeof(NetworkInterface), typeof(ApplicationLoadBalancer),
                typeof(ClassicLoadBalancer), typeof(ElasticIp), typeof(ApiGatewayStage), typeof(CloudFrontDistribution), typeof(WebAcl), typeof(WafRuleGroup), typeof(IpSet),
                typeof(ShieldSubscription), typeof(ShieldProtection), typeof(DnsFirewallRuleGroup), typeof(DnsFirewallRuleGroupAssociation), typeof(NetworkFirewall),
                typeof(NetworkFirewallPolicy), typeof(NetworkAcl) })
                Assert.Contains(all, r => r.GetType() == type);
        }

        [Fact]
        public void EveryResource_IsFoundByItsArn_AndArnsHaveAwsFormats()
        {
            var world = World.CreateDemo();
            foreach (var resource in world.AllResources())
                Assert.Same(resource, world.FindByArn(resource.Arn));
            var alb = world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdApi, "us-east-1").Single();
            Assert.Matches(@"^arn:aws:elasticloadbalancing:us-east-1:310000000002:loadbalancer/app/prod-api-alb/[0-9a-f]{16}$", alb.Arn);
            var vpc = world.GetResources<Vpc>(DemoOrganization.ProdApi, "eu-west-1").Single();
            Assert.Matches(@"^arn:aws:ec2:eu-west-1:310000000002:vpc/vpc-0[0-9a-f]{16}$", vpc.Arn);
            Assert.Matches(@"^arn:aws:wafv2:us-east-1:310000000001:global/webacl/prod-web-cf-acl/[0-9a-f-]{36}$",
                world.GetResources<WebAcl>(DemoOrganization.ProdWeb, "us-east-1").Single(w => w.Scope == WafScopes.CloudFront).Arn);
            Assert.Matches(@"^arn:aws:apigateway:us-east-1::/restapis/[a-z0-9]{10}/stages/prod$",
                world.GetResources<ApiGatewayStage>(DemoOrganization.ProdApi, "us-east-1").Single().Arn);
            Assert.Null(world.FindByArn("arn:aws:ec2:us-east-1:310000000002:vpc/vpc-0000000000000000"));
        }

        [Fact]
        public void World_RoundTripsThroughJsonExactly()
        {
            var world = World.CreateDemo();
            var json = world.ToJson();
            var reloaded = World.FromJson(json);
            Assert.Equal(json, reloaded.ToJson());
            Assert.Equal(world.AllResources().Count(), reloaded.AllResources().Count());
            var eni = reloaded.AllResources().OfType<NetworkInterface>().First();
            Assert.Same(eni, reloaded.FindById(eni.Id));
        }

        [Fact]
        public void RemediatedWorld_AlsoRoundTripsThroughJson()
        {
            var world = World.CreateDemo();
            foreach (var region in world.Regions.ToList())
                foreach (var policy in DemoOrganization.Policies(region))
                    FmsTools.Sandbox.Evaluation.PolicyRemediator.Remediate(world, policy, region, DemoOrganization.ReferenceTime);
            var json = world.ToJson();
            Assert.Equal(json, World.FromJson(json).ToJson());
        }

        [Fact]
        public void Generate_IsDeterministicPerSeed()
        {
            var first = World.Generate(40, 30, 7).ToJson();
            var second = World.Generate(40, 30, 7).ToJson();
            var other = World.Generate(40, 30, 8).ToJson();
            Assert.Equal(first, second);
            Assert.NotEqual(first, other);
        }

        [Fact]
        public void Generate_SpreadsAccountsOverOusAndHonoursTheResourceBudget()
        {
            var world = World.Generate(100, 50, 1);
            Assert.Equal(102, world.Organization.Accounts.Count);
            var members = world.Organization.Accounts.Skip(2).ToList();
            Assert.True(members.Select(a => a.ParentId).Distinct().Count() >= 8);
            foreach (var member in members.Take(10))
            {
                var count = world.Regions.Sum(r => world.GetResources(member.Id, r).Count);
                Assert.InRange(count, 45, 55);
            }
        }

        [Fact]
        public void Tagging_ByArn_ChangesTagsAndVersion()
        {
            var world = World.CreateDemo();
            var vpc = world.GetResources<Vpc>(DemoOrganization.DevCi, "us-east-1").Single();
            var before = world.Version;
            Assert.True(world.TagResource(vpc.Arn, new[] { new WorldTag("team", "ci") }));
            Assert.Equal("ci", vpc.GetTag("team"));
            Assert.True(world.Version > before);
            Assert.True(world.UntagResource(vpc.Arn, new[] { "team" }));
            Assert.Null(vpc.GetTag("team"));
            Assert.False(world.TagResource("arn:aws:ec2:us-east-1:1:vpc/vpc-nope", new[] { new WorldTag("a", "b") }));
        }
    }
}
