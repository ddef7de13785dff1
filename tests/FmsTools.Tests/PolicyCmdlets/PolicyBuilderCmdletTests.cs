using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Commands;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>Each New-Fms*Policy builder against the sandbox: create, read back typed, export → import → compare.</summary>
    public class PolicyBuilderCmdletTests
    {
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string RuleGroupArn = "arn:aws:wafv2:us-east-1:222222222222:regional/rulegroup/team-rate-limit/a1b2c3d4-5678-90ab-cdef-000000000001";
        private const string StatefulArn = "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains";
        private const string StatelessArn = "arn:aws:network-firewall:us-east-1:222222222222:stateless-rulegroup/drop-bad";

        public static IEnumerable<object[]> Types => new[]
        {
            "WafV2", "WafClassic", "Shield", "SecurityGroupsCommon", "SecurityGroupsContentAudit", "SecurityGroupsUsageAudit",
            "NetworkFirewall", "NetworkFirewallCentralized", "ImportNetworkFirewall", "DnsFirewall", "NetworkAcl", "ThirdPartyFirewall",
        }.Select(t => new object[] { t });

        /// <summary>A builder for the case, its expected type, and a check of the typed settings read back.</summary>
        private static (FmsPolicyBuilderCmdlet Cmdlet, FmsPolicyType Type, Action<FmsPolicy> Check) Case(string name, PolicySandbox sandbox)
        {
            switch (name)
            {
                case "WafV2":
                    return (new NewFmsWafPolicy
                    {
                        Name = "t-waf",
                        ResourceType = new[] { AlbType },
                        ManagedRuleGroup = new object[]
                        {
                            "AWS/AWSManagedRulesCommonRuleSet:Version_1.12",
                            new Hashtable
                            {
                                ["Vendor"] = "AWS", ["Name"] = "AWSManagedRulesSQLiRuleSet", ["ExcludedRules"] = new[] { "SQLi_BODY" },
                                ["RuleActionOverrides"] = new Hashtable { ["SQLi_QUERYARGUMENTS"] = "count" }, ["Position"] = "Post",
                            },
                        },
                        RuleGroupArn = new[] { RuleGroupArn },
                        DefaultAction = "Block",
                        RetrofitExistingWebAclFlag = true,
                        CaptchaImmunitySeconds = 600,
                        LogDestination = new[] { "arn:aws:firehose:us-east-1:222222222222:deliverystream/aws-waf-logs-t" },
                        IncludeOrganizationalUnit = new[] { "ou-d3m0-pr0d0001" },
                        ResourceTag = new Hashtable { ["env"] = "prod" },
                        ResourceTagOperator = ResourceTagLogicalOperator.Or,
                        Tag = new Hashtable { ["owner"] = "secops" },
                    }, FmsPolicyType.WafV2, p =>
                    {
                        var s = Assert.IsType<WafV2PolicySettings>(p.Settings);
                        Assert.Equal(new[] { "AWSManagedRulesCommonRuleSet", null }, s.PreProcessRuleGroups.Select(g => g.ManagedRuleGroupIdentifier?.ManagedRuleGroupName));
                        Assert.Equal("Version_1.12", s.PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.Version);
                        Assert.Equal(RuleGroupArn, s.PreProcessRuleGroups[1].RuleGroupArn);
                        var post = Assert.Single(s.PostProcessRuleGroups);
                        Assert.Equal("SQLi_BODY", Assert.Single(post.ExcludeRules).Name);
                        Assert.Equal("SQLi_QUERYARGUMENTS", Assert.Single(post.RuleActionOverrides).Name);
                        Assert.Equal("BLOCK", s.DefaultAction!.Type);
                        Assert.Equal("RETROFIT_EXISTING", s.WebAclSource);
                        Assert.Equal(600, s.CaptchaConfig!["immunityTimeProperty"]!["immunityTime"]!.GetValue<int>());
                        Assert.Equal(ResourceTagLogicalOperator.Or, p.Scope!.ResourceTagLogicalOperatorValue);
                        Assert.Equal("secops", p.Tags!["owner"]);
                    });
                case "WafClassic":
                    return (new NewFmsWafClassicPolicy { Name = "t-waf-classic", RuleGroupId = new[] { "a1b2c3d4-5678-90ab-cdef-000000000002" }, OverrideAction = "Count", ResourceType = new[] { AlbType } },
                        FmsPolicyType.Waf, p =>
                        {
                            var s = Assert.IsType<WafClassicPolicySettings>(p.Settings);
                            Assert.Equal("COUNT", Assert.Single(s.RuleGroups).OverrideAction!.Type);
                        });
                case "Shield":
                    return (new NewFmsShieldPolicy { Name = "t-shield", ResourceType = new[] { AlbType, "AWS::EC2::EIP" }, AutomaticResponse = "Enabled", AutomaticResponseAction = "Block", ExcludeAccount = new[] { "310000000001" } },
                        FmsPolicyType.ShieldAdvanced, p =>
                        {
                            var s = Assert.IsType<ShieldAdvancedPolicySettings>(p.Settings);
                            Assert.Equal("ENABLED", s.AutomaticResponseConfiguration!.AutomaticResponseStatus);
                            Assert.Equal("BLOCK", s.AutomaticResponseConfiguration.AutomaticResponseAction);
                            Assert.Equal(new[] { "AWS::EC2::EIP", AlbType }, p.ResourceTypes!.OrderBy(t => t, StringComparer.Ordinal));
                            Assert.Equal(new[] { "310000000001" }, p.Scope!.ExcludeAccounts);
                        });
                case "SecurityGroupsCommon":
                    return (new NewFmsSecurityGroupPolicy { Name = "t-sg-common", SecurityGroupId = "sg-0123456789abcdef0", RevertManualSecurityGroupChangesFlag = true, IncludeSharedVpcFlag = true },
                        FmsPolicyType.SecurityGroupsCommon, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsCommonSettings>(p.Settings);
                            Assert.Equal("sg-0123456789abcdef0", Assert.Single(s.SecurityGroups).Id);
                            Assert.True(s.RevertManualSecurityGroupChanges);
                            Assert.Equal(new[] { "AWS::EC2::Instance" }, p.ResourceTypes);
                        });
                case "SecurityGroupsContentAudit":
                    return (new NewFmsSecurityGroupPolicy { Name = "t-sg-audit", AuditSecurityGroupId = "sg-0fedcba9876543210", AuditAction = "Deny" },
                        FmsPolicyType.SecurityGroupsContentAudit, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsContentAuditSettings>(p.Settings);
                            Assert.Equal("DENY", s.SecurityGroupAction!.Type);
                            Assert.Equal(new[] { "AWS::EC2::SecurityGroup" }, p.ResourceTypes);
                        });
                case "SecurityGroupsUsageAudit":
                    return (new NewFmsSecurityGroupPolicy { Name = "t-sg-usage", UsageAuditFlag = true, DeleteUnusedSecurityGroupFlag = true, UnusedDelayMinutes = 1440 },
                        FmsPolicyType.SecurityGroupsUsageAudit, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsUsageAuditSettings>(p.Settings);
                            Assert.Equal(1440, s.OptionalDelayForUnusedInMinutes);
                            Assert.True(s.DeleteUnusedSecurityGroups);
                        });
                case "NetworkFirewall":
                    return (new NewFmsNetworkFirewallPolicy
                    {
                        Name = "t-nfw",
                        StatelessRuleGroup = new object[] { StatelessArn },
                        StatefulRuleGroup = new object[] { StatefulArn },
                        AvailabilityZone = new[] { "us-east-1a", "use1-az2" },
                        RouteManagementAction = "Monitor",
                    }, FmsPolicyType.NetworkFirewall, p =>
                    {
                        var s = Assert.IsType<NetworkFirewallSettings>(p.Settings);
                        Assert.False(s.IsCentralized);
                        Assert.Equal(1, Assert.Single(s.FirewallPolicy.StatelessRuleGroupReferences).Priority);
                        Assert.Equal(StatefulArn, Assert.Single(s.FirewallPolicy.StatefulRuleGroupReferences).ResourceArn);
                        Assert.Equal("MONITOR", s.OrchestrationConfig!.RouteManagementAction);
                        var zones = s.OrchestrationConfig.FirewallCreationConfig!.EndpointLocation!.AvailabilityZoneConfigList;
                        Assert.Equal("us-east-1a", zones[0].AvailabilityZoneName);
                        Assert.Equal("use1-az2", zones[1].AvailabilityZoneId);
                    });
                case "NetworkFirewallCentralized":
                    return (new NewFmsNetworkFirewallPolicy
                    {
                        Name = "t-nfw-central",
                        DeploymentModel = "Centralized",
                        InspectionVpcId = "vpc-0a1b2c3d4e5f67890",
                        InspectionAccountId = "320000000002",
                        StatefulRuleOrder = "StrictOrder",
                        StatefulRuleGroup = new object[] { new Hashtable { ["Arn"] = StatefulArn, ["Priority"] = 10 } },
                    }, FmsPolicyType.NetworkFirewall, p =>
                    {
                        var s = Assert.IsType<NetworkFirewallSettings>(p.Settings);
                        Assert.True(s.IsCentralized);
                        Assert.Equal("CENTRALIZED", p.PolicyOption!.NetworkFirewallDeploymentModel);
                        Assert.Equal("vpc-0a1b2c3d4e5f67890", s.FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.InspectionVpcIds.Single().ResourceId);
                        Assert.Equal(10, s.FirewallPolicy.StatefulRuleGroupReferences.Single().Priority);
                    });
                case "ImportNetworkFirewall":
                    return (new NewFmsImportNetworkFirewallPolicy { Name = "t-import", ResourceSetId = new[] { sandbox.CreateResourceSet() }, StatefulRuleGroup = new object[] { StatefulArn } },
                        FmsPolicyType.ImportNetworkFirewall, p =>
                        {
                            var s = Assert.IsType<ImportNetworkFirewallSettings>(p.Settings);
                            Assert.Equal(StatefulArn, s.FirewallPolicy.StatefulRuleGroupReferences.Single().ResourceArn);
                            Assert.Single(p.Scope!.ResourceSetIds);
                        });
                case "DnsFirewall":
                    return (new NewFmsDnsFirewallPolicy
                    {
                        Name = "t-dns",
                        PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" },
                        PostProcessRuleGroup = new object[] { new Hashtable { ["Id"] = "rslvr-frg-fedcba9876543210", ["Priority"] = 9950 } },
                    }, FmsPolicyType.DnsFirewall, p =>
                    {
                        var s = Assert.IsType<DnsFirewallSettings>(p.Settings);
                        Assert.Equal(1, s.PreProcessRuleGroups.Single().Priority);
                        Assert.Equal(9950, s.PostProcessRuleGroups.Single().Priority);
                    });
                case "NetworkAcl":
                    return (new NewFmsNetworkAclPolicy
                    {
                        Name = "t-nacl",
                        FirstEntry = new object[] { new Hashtable { ["Action"] = "deny", ["Protocol"] = "tcp", ["CidrBlock"] = "0.0.0.0/0", ["Port"] = 22 } },
                        LastEntry = new object[] { new Hashtable { ["Action"] = "allow", ["Protocol"] = "all", ["CidrBlock"] = "10.0.0.0/8", ["Egress"] = true } },
                        ForceRemediateFirstEntriesFlag = true,
                    }, FmsPolicyType.NetworkAclCommon, p =>
                    {
                        var s = Assert.IsType<NetworkAclCommonSettings>(p.Settings);
                        var first = s.FirstEntries.Single();
                        Assert.Equal(("deny", "6", 22, 22), (first.RuleAction, first.Protocol, first.PortRange!.From, first.PortRange.To));
                        Assert.True(s.LastEntries.Single().Egress);
                        Assert.True(s.ForceRemediateForFirstEntries);
                    });
                case "ThirdPartyFirewall":
                    return (new NewFmsThirdPartyFirewallPolicy { Name = "t-ngfw", Vendor = "PaloAltoCloudNgfw", FirewallPolicy = new[] { "global-rulestack-prod" }, AvailabilityZone = new[] { "us-east-1a" } },
                        FmsPolicyType.ThirdPartyFirewall, p =>
                        {
                            var s = Assert.IsType<ThirdPartyFirewallSettings>(p.Settings);
                            Assert.Equal("PALO_ALTO_NETWORKS_CLOUD_NGFW", s.ThirdPartyFirewall);
                            Assert.Equal("DISTRIBUTED", s.DeploymentModel);
                            Assert.Equal("global-rulestack-prod", s.FirewallConfig!.ThirdPartyFirewallPolicyList.Single());
                        });
                default:
                    throw new ArgumentOutOfRangeException(nameof(name), name, null);
            }
        }

        [Theory]
        [MemberData(nameof(Types))]
        public void Each_builder_creates_its_type_that_reads_back_typed_and_survives_export_import_compare(string name)
        {
            using var sandbox = new PolicySandbox();
            var (cmdlet, type, check) = Case(name, sandbox);
            var created = sandbox.RunClean(cmdlet);
            var stored = Assert.Single(created.OutputOf<FmsPolicy>());
            Assert.Equal(type, stored.TypeValue);
            Assert.NotNull(stored.PolicyId);
            Assert.Equal(1, sandbox.Calls("PutPolicy"));
            Assert.Contains(created.ShouldProcessCalls, c => c.Action.Contains(FmsPolicyTypes.ToWire(type)) && c.Action.Contains(stored.ResourceTypes![0]));

            // Read back through Get-FmsPolicy: typed settings as built.
            var read = sandbox.Get(stored.PolicyId!);
            Assert.True(read.IsDetailed);
            check(read);

            // Also listed as a summary, filtered by type and wildcard name.
            var listed = sandbox.RunClean(new GetFmsPolicy { Name = new[] { cmdlet.Name!.Substring(0, 3) + "*" }, Type = new[] { type } }).OutputOf<FmsPolicy>().ToList();
            Assert.Contains(listed, p => p.PolicyId == stored.PolicyId && !p.IsDetailed);
            Assert.All(listed, p => Assert.Equal(type, p.TypeValue));

            // Export → import → compare with the deployed policy: no differences.
            var folder = TempFolder.Create();
            var exported = sandbox.RunClean(new ExportFmsPolicy { InputObject = read, Path = folder });
            var file = Assert.Single(exported.OutputOf<PolicyFileInfo>());
            Assert.True(File.Exists(file.FullName));
            var imported = Assert.Single(CmdletRunner.Run(new ImportFmsPolicy { Path = new[] { file.FullName } }).OutputOf<FmsPolicy>());
            var compared = sandbox.RunClean(new CompareFmsPolicy { InputObject = imported });
            Assert.Empty(compared.Output);
            var summary = sandbox.RunClean(new CompareFmsPolicy { InputObject = imported, SummaryFlag = true });
            Assert.Equal(PolicyComparisonStatus.Equal, Assert.Single(summary.OutputOf<FmsPolicyComparison>()).StatusValue);
            Assert.Equal(1, sandbox.Calls("PutPolicy"));
        }

        [Fact]
        public void Validation_errors_name_field_and_rule_and_nothing_is_called()
        {
            using var sandbox = new PolicySandbox();
            sandbox.Host.RequestLog.Clear();
            var result = sandbox.Run(new NewFmsWafPolicy
            {
                Name = "bad,name",
                IncludeAccount = new[] { "12345" },
                ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" },
            });
            var ids = result.Errors.Select(e => e.ErrorId).ToList();
            Assert.Contains("Policy.Name.Pattern", ids);
            Assert.Contains("ResourceType.Required", ids);
            Assert.Contains("Scope.AccountId.Format", ids);
            Assert.Contains(result.Errors, e => e.Message.Contains("Scope.IncludeAccounts[0]") && e.Message.Contains("Scope.AccountId.Format"));
            Assert.Empty(result.Output);
            Assert.Empty(result.ShouldProcessCalls);
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);
        }

        [Fact]
        public void A_malformed_managed_rule_group_is_reported_before_any_call()
        {
            using var sandbox = new PolicySandbox();
            sandbox.Host.RequestLog.Clear();
            var result = sandbox.Run(new NewFmsWafPolicy { Name = "x", ResourceType = new[] { AlbType }, ManagedRuleGroup = new object[] { "JustAName" } });
            var error = Assert.Single(result.Errors);
            Assert.Equal("ManagedRuleGroup.Format", error.ErrorId);
            Assert.Contains("ManagedRuleGroup[0]", error.Message);
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);
        }

        [Theory]
        [InlineData("AWS/AWSManagedRulesCommonRuleSet:")]
        [InlineData("AWS/:Version_1.0")]
        public void A_managed_rule_group_with_an_empty_name_or_version_is_refused(string text)
        {
            var result = CmdletRunner.Run(new NewFmsWafPolicy { Name = "x", ResourceType = new[] { AlbType }, ManagedRuleGroup = new object[] { text }, OfflineFlag = true, Region = "us-east-1" });

            var error = Assert.Single(result.Errors);
            Assert.Equal("ManagedRuleGroup.Format", error.ErrorId);
            Assert.Contains("ManagedRuleGroup[0]", error.Message);
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Malformed_zones_cidrs_and_rule_group_arns_are_reported_before_any_call()
        {
            using var sandbox = new PolicySandbox();
            sandbox.Host.RequestLog.Clear();
            var result = sandbox.Run(new NewFmsNetworkFirewallPolicy
            {
                Name = "nfw-bad",
                StatefulRuleGroup = new object[] { StatelessArn },
                AvailabilityZone = new[] { "us-east-1" },
                AllowedIpv4Cidr = new[] { "10.0.0.0/33" },
            });
            var ids = result.Errors.Select(e => e.ErrorId).OrderBy(i => i, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { "NetworkFirewall.AllowedIpv4Cidr.Format", "NetworkFirewall.AvailabilityZone.Format", "NetworkFirewall.RuleGroupArn.Format" }, ids);
            Assert.Contains(result.Errors, e => Equals(e.TargetObject, "Settings.networkFirewallStatefulRuleGroupReferences[0].resourceARN"));
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);

            var waf = sandbox.Run(new NewFmsWafPolicy
            {
                Name = "waf-bad",
                ResourceType = new[] { AlbType },
                RuleGroupArn = new[] { "arn:aws:wafv2:us-east-1:222222222222:regional/rulegroup/team-rate-limit" },
                LogDestination = new[] { "arn:aws:firehose:us-east-1:222222222222:deliverystream/waf-logs" },
            });
            Assert.Equal(new[] { "WafV2.Logging.Destination", "WafV2.RuleGroupArn.Format" }, waf.Errors.Select(e => e.ErrorId).OrderBy(i => i, StringComparer.Ordinal));
            Assert.Equal(0, sandbox.Host.RequestLog.TotalCount);
        }

        [Fact]
        public void Capacity_over_5000_WCU_found_through_CheckCapacity_stops_the_create()
        {
            using var sandbox = new PolicySandbox();
            // Eight copies of the 700-WCU core rule set: 5,600 WCU, which only CheckCapacity can tell.
            var groups = Enumerable.Range(0, 8).Select(i => (object)"AWS/AWSManagedRulesCommonRuleSet").ToArray();
            var result = sandbox.Run(new NewFmsWafPolicy { Name = "too-big", ResourceType = new[] { AlbType }, ManagedRuleGroup = groups });
            Assert.Contains(result.Errors, e => e.ErrorId == "WafV2.Capacity.Max");
            Assert.True(sandbox.Calls("CheckCapacity") >= 1);
            Assert.Equal(0, sandbox.Calls("PutPolicy"));

            var offline = CmdletRunner.Run(new NewFmsWafPolicy { Name = "too-big", ResourceType = new[] { AlbType }, ManagedRuleGroup = groups, OfflineFlag = true });
            Assert.Empty(offline.Errors);
            Assert.Contains(offline.Warnings, w => w.Contains("WafV2.Capacity.NotChecked"));
            Assert.Single(offline.OutputOf<FmsPolicy>());
        }

        [Fact]
        public void WhatIf_describes_the_create_and_makes_no_mutating_call()
        {
            using var sandbox = new PolicySandbox();
            sandbox.Host.RequestLog.Clear();
            var result = sandbox.Run(new NewFmsDnsFirewallPolicy { Name = "dns-preview", PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" }, IncludeOrganizationalUnit = new[] { "ou-d3m0-pr0d0001" } },
                new RecordingCommandHost { WhatIf = true });
            var call = Assert.Single(result.ShouldProcessCalls);
            Assert.Contains("DNS_FIREWALL", call.Action);
            Assert.Contains("AWS::EC2::VPC", call.Action);
            Assert.Contains("1 OU", call.Action);
            Assert.Contains("remediation off", call.Action);
            Assert.Equal(0, sandbox.MutatingCalls);
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Offline_returns_the_policy_without_any_connection_and_Set_creates_it_later()
        {
            var offline = CmdletRunner.Run(new NewFmsShieldPolicy { Name = "shield-later", ResourceType = new[] { AlbType }, OfflineFlag = true, Region = "us-east-1", RemediationEnabledFlag = true });
            var policy = Assert.Single(offline.OutputOf<FmsPolicy>());
            Assert.Null(policy.PolicyId);
            Assert.Equal("us-east-1", policy.Region);

            using var sandbox = new PolicySandbox();
            var created = sandbox.RunClean(new SetFmsPolicy { InputObject = policy, PassThruFlag = true });
            var stored = Assert.Single(created.OutputOf<FmsPolicy>());
            Assert.NotNull(stored.PolicyId);
            Assert.True(sandbox.Get(stored.PolicyId!).RemediationEnabled);
        }
    }
}
