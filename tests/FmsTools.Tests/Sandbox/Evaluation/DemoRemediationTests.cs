using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    public class DemoRemediationTests
    {
        private static readonly DateTime Now = DemoOrganization.ReferenceTime.AddHours(1);

        [Theory]
        [MemberData(nameof(DemoGroundTruthTests.DemoPolicies), MemberType = typeof(DemoGroundTruthTests))]
        public void DemoPolicy_StartsNonCompliant_AndIsCompliantAfterRemediate(string region, string policyName)
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies(region).Single(p => p.PolicyName == policyName);
            var evaluator = new PolicyEvaluator();
            Assert.False(evaluator.Evaluate(world, policy, region, Now).IsCompliant);

            var report = PolicyRemediator.Remediate(world, policy, region, Now);

            Assert.NotEmpty(report.Changes);
            var after = evaluator.Evaluate(world, policy, region, Now);
            // What remains is exactly what FMS only reports (Network Firewall routes in MONITOR mode); for most policies nothing.
            Assert.Equal(MonitorOnly(policyName, region), Keys(after));
            Assert.Empty(PolicyRemediator.Remediate(world, policy, region, Now).Changes);
        }

        private static List<string> MonitorOnly(string policyName, string region) =>
            DemoOrganization.ExpectedViolations(policyName, region).Where(v => !v.FmsRemediates)
                .Select(v => v.AccountId + " " + v.ResourceId + " " + v.ViolationReason).OrderBy(k => k, StringComparer.Ordinal).ToList();

        private static List<string> Keys(PolicyEvaluation evaluation) =>
            evaluation.AllViolations.Select(v => v.AccountId + " " + v.ResourceId + " " + v.Reason).OrderBy(k => k, StringComparer.Ordinal).ToList();

        [Fact]
        public void Only_network_firewall_route_violations_are_report_only_and_FMS_changes_no_route()
        {
            var monitorOnly = new[] { "us-east-1", "eu-west-1" }.SelectMany(DemoOrganization.ExpectedViolations).Where(v => !v.FmsRemediates).ToList();
            Assert.Equal(12, monitorOnly.Count); // 11 in prod-eu-web, 1 in prod-data
            Assert.All(monitorOnly, v => Assert.Equal(DemoOrganization.NetworkFirewallPolicyName, v.PolicyName));
            var world = World.CreateDemo();
            var routes = RouteSnapshot(world);
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.NetworkFirewallPolicyName);
            var report = PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            Assert.DoesNotContain(report.Changes, c => c.ResourceArn.Contains(":route-table/"));
            Assert.Equal(routes, RouteSnapshot(world));
        }

        private static List<string> RouteSnapshot(World world) =>
            world.AllResources().OfType<RouteTable>().SelectMany(t => t.Routes.Select(r => t.Id + " " + r.DestinationCidrBlock + " " + r.Target + " " + r.State))
                .Concat(world.AllResources().OfType<Subnet>().Where(s => s.RouteTableId != null).Select(s => s.Id + " " + s.RouteTableId)).OrderBy(x => x, StringComparer.Ordinal).ToList();

        [Theory]
        [InlineData("us-east-1")]
        [InlineData("eu-west-1")]
        public void AllDemoPolicies_RemediatedInOrder_AreAllCompliant(string region)
        {
            var world = World.CreateDemo();
            var policies = DemoOrganization.Policies(region);
            foreach (var policy in policies) PolicyRemediator.Remediate(world, policy, region, Now);
            var evaluator = new PolicyEvaluator();
            foreach (var policy in policies)
            {
                var evaluation = evaluator.Evaluate(world, policy, region, Now);
                Assert.Equal(MonitorOnly(policy.PolicyName!, region), Keys(evaluation));
            }
        }

        [Fact]
        public void WafRemediation_NamesWebAclsAfterPolicyAndTime_AndRetrofitsCustomerAcls()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            var apiAlb = world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdApi, "us-east-1").Single();
            var acl = (WebAcl)world.FindByArn(apiAlb.WebAclArn!)!;
            Assert.Equal("FMManagedWebACLV2-demo-waf-baseline-" + (long)(Now - DateTime.UnixEpoch).TotalMilliseconds, acl.Name);
            Assert.True(acl.ManagedByFirewallManager);
            Assert.Equal("AWSManagedRulesCommonRuleSet", acl.PreProcessFirewallManagerRuleGroups.Single().ManagedRuleGroupName);
            var webAlb = world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdWeb, "us-east-1").Single();
            var customer = (WebAcl)world.FindByArn(webAlb.WebAclArn!)!;
            Assert.Equal("prod-web-acl", customer.Name);
            Assert.True(customer.RetrofittedByFirewallManager);
            Assert.Single(customer.Rules);
            Assert.Single(customer.PreProcessFirewallManagerRuleGroups);
        }

        [Fact]
        public void WafWithoutRemediation_CreatesWebAclsButAssociatesNothing_WhenNotOptimized()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            policy.RemediationEnabled = false;
            policy.SecurityServicePolicyData!.ManagedServiceData = policy.SecurityServicePolicyData.ManagedServiceData!.Replace("\"optimizeUnassociatedWebACL\":true", "\"optimizeUnassociatedWebACL\":false");
            var report = PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            Assert.Contains(report.Changes, c => c.Action == "CreateWebACL" && c.AccountId == DemoOrganization.ProdEuNetwork);
            Assert.DoesNotContain(report.Changes, c => c.Action == "AssociateWebACL");
            Assert.Null(world.GetResources<ApplicationLoadBalancer>(DemoOrganization.ProdApi, "us-east-1").Single().WebAclArn);
        }

        [Fact]
        public void UsageAudit_CoalescesRedundantGroupBeforeDeletingIt()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.UsageAuditPolicyName);
            var copy = world.GetResources<SecurityGroup>(DemoOrganization.DevCi, "us-east-1").Single(g => g.Name == "app-sg-copy");
            var original = world.GetResources<SecurityGroup>(DemoOrganization.DevCi, "us-east-1").Single(g => g.Name == "app-sg");
            var runner = world.GetResources<Ec2Instance>(DemoOrganization.DevCi, "us-east-1").Single(i => i.Name == "dev-ci-runner-1");
            PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            Assert.Null(world.FindById(copy.Id));
            Assert.Equal(new[] { original.Id }, world.FindById<NetworkInterface>(runner.NetworkInterfaceIds[0])!.SecurityGroupIds);
            Assert.DoesNotContain(world.GetResources<SecurityGroup>(DemoOrganization.DevTeamB, "us-east-1"), g => g.Name == "old-test-sg");
        }

        [Fact]
        public void UsageAudit_Delay_KeepsRecentlyFreedGroupsUntilTheDelayPasses()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.UsageAuditPolicyName);
            policy.SecurityServicePolicyData!.ManagedServiceData = policy.SecurityServicePolicyData.ManagedServiceData!.Replace("\"optionalDelayForUnusedInMinutes\":null", "\"optionalDelayForUnusedInMinutes\":60");
            var copy = world.GetResources<SecurityGroup>(DemoOrganization.DevCi, "us-east-1").Single(g => g.Name == "app-sg-copy");
            PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            Assert.NotNull(world.FindById(copy.Id));
            var evaluator = new PolicyEvaluator();
            Assert.DoesNotContain(evaluator.Evaluate(world, policy, "us-east-1", Now.AddMinutes(30)).AllViolations, v => v.Resource == copy);
            Assert.Contains(evaluator.Evaluate(world, policy, "us-east-1", Now.AddMinutes(61)).AllViolations, v => v.Resource == copy && v.Reason == ViolationReasonValues.SecurityGroupUnused);
            PolicyRemediator.Remediate(world, policy, "us-east-1", Now.AddMinutes(61));
            Assert.Null(world.FindById(copy.Id));
        }

        [Fact]
        public void NaclRemediation_MovesDefaultNaclSubnetsToAnFmsNacl_AndEditsCustomNaclsInPlace()
        {
            var world = World.CreateDemo();
            var policy = DemoOrganization.Policies("us-east-1").Single(p => p.PolicyName == DemoOrganization.NetworkAclPolicyName);
            var webSubnet = world.GetResources<Subnet>(DemoOrganization.ProdWeb, "us-east-1").First(s => s.Name == "prod-web-private-a");
            var defaultAcl = webSubnet.NetworkAclId;
            var apiSubnet = world.GetResources<Subnet>(DemoOrganization.ProdApi, "us-east-1").First(s => s.Name == "prod-api-private-a");
            var apiAcl = apiSubnet.NetworkAclId;
            PolicyRemediator.Remediate(world, policy, "us-east-1", Now);
            Assert.NotEqual(defaultAcl, webSubnet.NetworkAclId);
            Assert.Equal(defaultAcl, webSubnet.FmsOriginalNetworkAclId);
            var fmsAcl = world.FindById<NetworkAcl>(webSubnet.NetworkAclId)!;
            Assert.Contains(fmsAcl.Entries, e => e.RuleNumber == 1 && e.RuleAction == "deny" && e.PortFrom == 3389);
            Assert.Contains(fmsAcl.Entries, e => e.RuleNumber == 32766 && e.CidrBlock == "10.0.0.0/8");
            Assert.Contains(fmsAcl.Entries, e => e.RuleNumber == 100 && e.CidrBlock == "0.0.0.0/0"); // the default NACL's custom entry is kept
            Assert.Equal(apiAcl, apiSubnet.NetworkAclId);
            Assert.Contains(world.FindById<NetworkAcl>(apiAcl)!.Entries, e => e.RuleNumber == 32766);
        }
    }
}
