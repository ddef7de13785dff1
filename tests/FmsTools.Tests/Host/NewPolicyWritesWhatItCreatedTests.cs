using System;
using System.Linq;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// New-Fms*Policy writes the policy it created, as PowerShell's New-* commands do, without -PassThru: the stored policy with
    /// its id, read back the same by Get-FmsPolicy. -PassThru is an accepted, obsolete no-op that PowerShell warns about;
    /// -Offline writes the built policy and calls nothing; -WhatIf writes nothing. Runs alone: creating policies writes the
    /// change journal, which goes to a folder of the test's own through the (process-wide) environment.
    /// </summary>
    [Collection(RunsAlone.Name)]
    public sealed class NewPolicyWritesWhatItCreatedTests
    {
        public static TheoryData<string, FmsPolicyType> Builders => new TheoryData<string, FmsPolicyType>
        {
            { "New-FmsWafPolicy -Name p-waf -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -DefaultAction Block", FmsPolicyType.WafV2 },
            { "New-FmsWafClassicPolicy -Name p-waf-classic -RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer", FmsPolicyType.Waf },
            { "New-FmsShieldPolicy -Name p-shield -ResourceType AWS::EC2::EIP", FmsPolicyType.ShieldAdvanced },
            { "New-FmsSecurityGroupPolicy -Name p-sg -SecurityGroupId 'sg-0123456789abcdef0'", FmsPolicyType.SecurityGroupsCommon },
            { "New-FmsNetworkFirewallPolicy -Name p-nfw -StatefulRuleGroup 'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny' -AvailabilityZone us-east-1a", FmsPolicyType.NetworkFirewall },
            { "New-FmsDnsFirewallPolicy -Name p-dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef'", FmsPolicyType.DnsFirewall },
            { "New-FmsNetworkAclPolicy -Name p-nacl -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }", FmsPolicyType.NetworkAclCommon },
            { "New-FmsThirdPartyFirewallPolicy -Name p-ngfw -Vendor PaloAltoCloudNgfw -FirewallPolicy 'rulestack-1'", FmsPolicyType.ThirdPartyFirewall },
        };

        [Theory]
        [MemberData(nameof(Builders))]
        public void A_builder_writes_the_policy_it_created_without_PassThru(string command, FmsPolicyType type)
        {
            using var environment = new IsolatedEnvironment();
            using var sandbox = new PolicySandbox();
            using var session = new PowerShellSession();
            session.Set("sandbox", sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();

            var result = session.Run(command).ShouldSucceed();

            var created = Assert.Single(result.OutputOf<FmsPolicy>());
            Assert.Equal(type, created.TypeValue);
            Assert.NotNull(created.PolicyId);
            Assert.NotNull(created.UpdateToken);
            Assert.True(created.IsDetailed);
            Assert.Equal(1, sandbox.Calls("PutPolicy"));
            session.Set("created", created);
            var read = session.Run("Get-FmsPolicy -PolicyId $created.PolicyId").ShouldSucceed().OutputOf<FmsPolicy>().Single();
            Assert.True(PolicyComparer.Compare(read, created).IsEqual);
        }

        [Fact]
        public void PassThru_is_accepted_obsolete_and_changes_nothing_WhatIf_writes_nothing_and_Offline_calls_nothing()
        {
            using var environment = new IsolatedEnvironment();
            using var sandbox = new PolicySandbox();
            using var session = new PowerShellSession();
            session.Set("sandbox", sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();

            var passThru = session.Run("New-FmsShieldPolicy -Name with-passthru -ResourceType AWS::EC2::EIP -PassThru").ShouldSucceed();
            Assert.Single(passThru.OutputOf<FmsPolicy>());
            Assert.Contains(passThru.Warnings, w => w.Contains("PassThru") && w.Contains("obsolete"));
            Assert.Equal(1, sandbox.Calls("PutPolicy"));

            var whatIf = session.Run("New-FmsShieldPolicy -Name what-if -ResourceType AWS::EC2::EIP -WhatIf").ShouldSucceed();
            Assert.Empty(whatIf.Output);
            Assert.Equal(1, sandbox.Calls("PutPolicy"));

            var calls = sandbox.Host.RequestLog.TotalCount;
            var offline = session.Run("New-FmsShieldPolicy -Name built -ResourceType AWS::EC2::EIP -Offline").ShouldSucceed();
            var built = Assert.Single(offline.OutputOf<FmsPolicy>());
            Assert.Null(built.PolicyId);
            Assert.Equal(calls, sandbox.Host.RequestLog.TotalCount);
        }
    }
}
