using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>
    /// Each New-Fms*Policy builder in a runspace connected to the demo sandbox (one for the class): create, read back typed,
    /// export → import → compare; and what the builders refuse before any call.
    /// </summary>
    public sealed class PolicyBuilderCmdletTests : IClassFixture<SandboxSessionFixture>
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

        private readonly SandboxSessionFixture _fixture;

        public PolicyBuilderCmdletTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            // Each test starts from the demo's ten policies (the module refuses a create over the default quota of 20 per region).
            _fixture.Renew();
        }

        /// <summary>The builder invocation of the case (PowerShell text; -Confirm is added by the test), its type, and a check of the typed settings read back.</summary>
        private static (string Command, FmsPolicyType Type, Action<FmsPolicy> Check) Case(string name)
        {
            switch (name)
            {
                case "WafV2":
                    return ($"New-FmsWafPolicy -Name t-waf -ResourceType {AlbType} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet:Version_1.12', "
                             + "@{ Vendor = 'AWS'; Name = 'AWSManagedRulesSQLiRuleSet'; ExcludedRules = @('SQLi_BODY'); RuleActionOverrides = @{ SQLi_QUERYARGUMENTS = 'count' }; Position = 'Post' } "
                             + $"-RuleGroupArn '{RuleGroupArn}' -DefaultAction Block -RetrofitExistingWebAcl -CaptchaImmunitySeconds 600 "
                             + "-LogDestination 'arn:aws:firehose:us-east-1:222222222222:deliverystream/aws-waf-logs-t' -IncludeOrganizationalUnit ou-d3m0-pr0d0001 "
                             + "-ResourceTag @{ env = 'prod' } -ResourceTagOperator Or -Tag @{ owner = 'secops' }",
                        FmsPolicyType.WafV2, p =>
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
                    return ($"New-FmsWafClassicPolicy -Name t-waf-classic -RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -OverrideAction Count -ResourceType {AlbType}",
                        FmsPolicyType.Waf, p =>
                        {
                            var s = Assert.IsType<WafClassicPolicySettings>(p.Settings);
                            Assert.Equal("COUNT", Assert.Single(s.RuleGroups).OverrideAction!.Type);
                        });
                case "Shield":
                    return ($"New-FmsShieldPolicy -Name t-shield -ResourceType {AlbType}, AWS::EC2::EIP -AutomaticResponse Enabled -AutomaticResponseAction Block -ExcludeAccount 310000000001",
                        FmsPolicyType.ShieldAdvanced, p =>
                        {
                            var s = Assert.IsType<ShieldAdvancedPolicySettings>(p.Settings);
                            Assert.Equal("ENABLED", s.AutomaticResponseConfiguration!.AutomaticResponseStatus);
                            Assert.Equal("BLOCK", s.AutomaticResponseConfiguration.AutomaticResponseAction);
                            Assert.Equal(new[] { "AWS::EC2::EIP", AlbType }, p.ResourceTypes!.OrderBy(t => t, StringComparer.Ordinal));
                            Assert.Equal(new[] { "310000000001" }, p.Scope!.ExcludeAccounts);
                        });
                case "SecurityGroupsCommon":
                    return ("New-FmsSecurityGroupPolicy -Name t-sg-common -SecurityGroupId 'sg-0123456789abcdef0' -RevertManualSecurityGroupChanges -IncludeSharedVpc",
                        FmsPolicyType.SecurityGroupsCommon, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsCommonSettings>(p.Settings);
                            Assert.Equal("sg-0123456789abcdef0", Assert.Single(s.SecurityGroups).Id);
                            Assert.True(s.RevertManualSecurityGroupChanges);
                            Assert.Equal(new[] { "AWS::EC2::Instance" }, p.ResourceTypes);
                        });
                case "SecurityGroupsContentAudit":
                    return ("New-FmsSecurityGroupPolicy -Name t-sg-audit -AuditSecurityGroupId 'sg-0fedcba9876543210' -AuditAction Deny",
                        FmsPolicyType.SecurityGroupsContentAudit, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsContentAuditSettings>(p.Settings);
                            Assert.Equal("DENY", s.SecurityGroupAction!.Type);
                            Assert.Equal(new[] { "AWS::EC2::SecurityGroup" }, p.ResourceTypes);
                        });
                case "SecurityGroupsUsageAudit":
                    return ("New-FmsSecurityGroupPolicy -Name t-sg-usage -UsageAudit -DeleteUnusedSecurityGroup -UnusedDelayMinutes 1440",
                        FmsPolicyType.SecurityGroupsUsageAudit, p =>
                        {
                            var s = Assert.IsType<SecurityGroupsUsageAuditSettings>(p.Settings);
                            Assert.Equal(1440, s.OptionalDelayForUnusedInMinutes);
                            Assert.True(s.DeleteUnusedSecurityGroups);
                        });
                case "NetworkFirewall":
                    return ($"New-FmsNetworkFirewallPolicy -Name t-nfw -StatelessRuleGroup '{StatelessArn}' -StatefulRuleGroup '{StatefulArn}' "
                            + "-AvailabilityZone us-east-1a, use1-az2 -RouteManagementAction Monitor", FmsPolicyType.NetworkFirewall, p =>
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
                    return ("New-FmsNetworkFirewallPolicy -Name t-nfw-central -DeploymentModel Centralized -InspectionVpcId vpc-0a1b2c3d4e5f67890 -InspectionAccountId 320000000002 "
                            + $"-StatefulRuleOrder StrictOrder -StatefulRuleGroup @{{ Arn = '{StatefulArn}'; Priority = 10 }}", FmsPolicyType.NetworkFirewall, p =>
                    {
                        var s = Assert.IsType<NetworkFirewallSettings>(p.Settings);
                        Assert.True(s.IsCentralized);
                        Assert.Equal("CENTRALIZED", p.PolicyOption!.NetworkFirewallDeploymentModel);
                        Assert.Equal("vpc-0a1b2c3d4e5f67890", s.FirewallDeploymentModel!.Centralized!.OrchestrationConfig!.InspectionVpcIds.Single().ResourceId);
                        Assert.Equal(10, s.FirewallPolicy.StatefulRuleGroupReferences.Single().Priority);
                    });
                case "ImportNetworkFirewall":
                    return ("$set = Set-FmsResourceSet -Name legacy-firewalls -ResourceType AWS::EC2::VPC -PassThru; "
                            + $"New-FmsImportNetworkFirewallPolicy -Name t-import -ResourceSetId $set.Id -StatefulRuleGroup '{StatefulArn}'",
                        FmsPolicyType.ImportNetworkFirewall, p =>
                        {
                            var s = Assert.IsType<ImportNetworkFirewallSettings>(p.Settings);
                            Assert.Equal(StatefulArn, s.FirewallPolicy.StatefulRuleGroupReferences.Single().ResourceArn);
                            Assert.Single(p.Scope!.ResourceSetIds);
                        });
                case "DnsFirewall":
                    return ("New-FmsDnsFirewallPolicy -Name t-dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -PostProcessRuleGroup @{ Id = 'rslvr-frg-fedcba9876543210'; Priority = 9950 }",
                        FmsPolicyType.DnsFirewall, p =>
                    {
                        var s = Assert.IsType<DnsFirewallSettings>(p.Settings);
                        Assert.Equal(1, s.PreProcessRuleGroups.Single().Priority);
                        Assert.Equal(9950, s.PostProcessRuleGroups.Single().Priority);
                    });
                case "NetworkAcl":
                    return ("New-FmsNetworkAclPolicy -Name t-nacl -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 } "
                            + "-LastEntry @{ Action = 'allow'; Protocol = 'all'; CidrBlock = '10.0.0.0/8'; Egress = $true } -ForceRemediateFirstEntries",
                        FmsPolicyType.NetworkAclCommon, p =>
                    {
                        var s = Assert.IsType<NetworkAclCommonSettings>(p.Settings);
                        var first = s.FirstEntries.Single();
                        Assert.Equal(("deny", "6", 22, 22), (first.RuleAction, first.Protocol, first.PortRange!.From, first.PortRange.To));
                        Assert.True(s.LastEntries.Single().Egress);
                        Assert.True(s.ForceRemediateForFirstEntries);
                    });
                case "ThirdPartyFirewall":
                    return ("New-FmsThirdPartyFirewallPolicy -Name t-ngfw -Vendor PaloAltoCloudNgfw -FirewallPolicy global-rulestack-prod -AvailabilityZone us-east-1a",
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
            var (command, type, check) = Case(name);
            var mark = _fixture.Mark;
            var prompts = _fixture.Host.Prompts.Count;
            _fixture.Host.Answers.Enqueue("Yes");
            var stored = Assert.Single(_fixture.Read<FmsPolicy>(command + " -Confirm"));
            Assert.Equal(type, stored.TypeValue);
            Assert.NotNull(stored.PolicyId);
            Assert.Equal(1, _fixture.Calls("PutPolicy", mark));
            // The prompt says what will be created: the policy type and its resource type.
            var prompt = Assert.Single(_fixture.Host.Prompts.Skip(prompts));
            Assert.Contains(FmsPolicyTypes.ToWire(type), prompt.Message);
            Assert.Contains(stored.ResourceTypes![0], prompt.Message);

            // Read back through Get-FmsPolicy: typed settings as built.
            _fixture.Set("stored", stored);
            var read = Assert.Single(_fixture.Read<FmsPolicy>("$read = Get-FmsPolicy -PolicyId $stored.PolicyId; $read"));
            Assert.True(read.IsDetailed);
            check(read);

            // Also listed as a summary, filtered by type and wildcard name.
            var listed = _fixture.Read<FmsPolicy>($"Get-FmsPolicy -Name '{stored.Name.Substring(0, 3)}*' -Type {type}");
            Assert.Contains(listed, p => p.PolicyId == stored.PolicyId && !p.IsDetailed);
            Assert.All(listed, p => Assert.Equal(type, p.TypeValue));

            // Export → import → compare with the deployed policy: no differences.
            _fixture.Set("folder", _fixture.NewFolder());
            var file = Assert.Single(_fixture.Read<PolicyFileInfo>("$file = $read | Export-FmsPolicy -Path $folder; $file"));
            Assert.True(File.Exists(file.FullName));
            Assert.Single(_fixture.Read<FmsPolicy>("$imported = Import-FmsPolicy -Path $file.FullName; $imported"));
            Assert.Empty(_fixture.Succeed("$imported | Compare-FmsPolicy").Output);
            Assert.Equal(PolicyComparisonStatus.Equal, Assert.Single(_fixture.Read<FmsPolicyComparison>("$imported | Compare-FmsPolicy -Summary")).StatusValue);
            Assert.Equal(1, _fixture.Calls("PutPolicy", mark));
        }

        [Fact]
        public void Validation_errors_name_field_and_rule_and_nothing_is_called()
        {
            var mark = _fixture.Mark;
            var prompts = _fixture.Host.Prompts.Count;
            var result = _fixture.Run("New-FmsWafPolicy -Name 'bad,name' -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Confirm");
            var ids = result.ErrorIds();
            Assert.Contains("Policy.Name.Pattern", ids);
            Assert.Contains("ResourceType.Required", ids);
            Assert.All(result.AllErrors(), e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
            Assert.Empty(result.Output);
            // Refused before ShouldProcess: nothing to confirm.
            Assert.Equal(prompts, _fixture.Host.Prompts.Count);
            Assert.Empty(_fixture.RequestsSince(mark));

            // A malformed account in a policy object (the binder refuses one given as -IncludeAccount) is named by its field.
            var inObject = _fixture.Run($"$p = New-FmsWafPolicy -Name in-object -ResourceType {AlbType} -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Offline; "
                                        + "$p.Scope.IncludeAccounts.Add('12345'); $p | Set-FmsPolicy");
            Assert.Contains(inObject.AllErrors(), e => e.ErrorId() == "Scope.AccountId.Format" && e.Message().Contains("Scope.IncludeAccounts[0]"));
            Assert.Empty(_fixture.MutatingSince(mark));
        }

        [Fact]
        public void A_malformed_managed_rule_group_is_reported_before_any_call()
        {
            var mark = _fixture.Mark;
            // Refused when PowerShell binds the parameter: its error names the parameter, ours the element and the rule.
            var error = _fixture.Run($"New-FmsWafPolicy -Name x -ResourceType {AlbType} -ManagedRuleGroup JustAName").Error;
            Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("'ManagedRuleGroup'", error.Message());
            Assert.Contains("ManagedRuleGroup[0]: 'JustAName' is not 'Vendor/Name'", error.Message());
            Assert.Contains("(rule ManagedRuleGroup.Format)", error.Message());
            Assert.Empty(_fixture.RequestsSince(mark));
        }

        [Theory]
        [InlineData("AWS/AWSManagedRulesCommonRuleSet:")]
        [InlineData("AWS/:Version_1.0")]
        public void A_managed_rule_group_with_an_empty_name_or_version_is_refused(string text)
        {
            var result = _fixture.Run($"New-FmsWafPolicy -Name x -ResourceType {AlbType} -ManagedRuleGroup '{text}' -Offline -Region us-east-1");
            var error = result.Error;
            Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("ManagedRuleGroup[0]", error.Message());
            Assert.Contains("(rule ManagedRuleGroup.Format)", error.Message());
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Malformed_zones_cidrs_and_rule_group_arns_are_reported_before_any_call()
        {
            var mark = _fixture.Mark;
            var result = _fixture.Run($"New-FmsNetworkFirewallPolicy -Name nfw-bad -StatefulRuleGroup '{StatelessArn}' -AvailabilityZone us-east-1 -AllowedIpv4Cidr 10.0.0.0/33");
            Assert.Equal(new[] { "NetworkFirewall.AllowedIpv4Cidr.Format", "NetworkFirewall.AvailabilityZone.Format", "NetworkFirewall.RuleGroupArn.Format" },
                result.ErrorIds().OrderBy(i => i, StringComparer.Ordinal));
            Assert.Contains(result.AllErrors(), e => Equals(e.TargetObject, "Settings.networkFirewallStatefulRuleGroupReferences[0].resourceARN"));
            Assert.Empty(_fixture.RequestsSince(mark));

            var waf = _fixture.Run($"New-FmsWafPolicy -Name waf-bad -ResourceType {AlbType} -RuleGroupArn 'arn:aws:wafv2:us-east-1:222222222222:regional/rulegroup/team-rate-limit' "
                                   + "-LogDestination 'arn:aws:firehose:us-east-1:222222222222:deliverystream/waf-logs'");
            Assert.Equal(new[] { "WafV2.Logging.Destination", "WafV2.RuleGroupArn.Format" }, waf.ErrorIds().OrderBy(i => i, StringComparer.Ordinal));
            Assert.Empty(_fixture.RequestsSince(mark));
        }

        [Fact]
        public void Capacity_over_5000_WCU_found_through_CheckCapacity_stops_the_create()
        {
            // Eight copies of the 700-WCU core rule set: 5,600 WCU, which only CheckCapacity can tell.
            const string groups = "-ManagedRuleGroup (1..8 | ForEach-Object { 'AWS/AWSManagedRulesCommonRuleSet' })";
            var mark = _fixture.Mark;
            var result = _fixture.Run($"New-FmsWafPolicy -Name too-big -ResourceType {AlbType} {groups}");
            Assert.Contains("WafV2.Capacity.Max", result.ErrorIds());
            Assert.True(_fixture.Calls("CheckCapacity", mark) >= 1);
            Assert.Equal(0, _fixture.Calls("PutPolicy", mark));

            var offline = _fixture.Succeed($"New-FmsWafPolicy -Name too-big -ResourceType {AlbType} {groups} -Offline");
            Assert.Contains(offline.Warnings, w => w.Contains("WafV2.Capacity.NotChecked"));
            Assert.Single(offline.OutputOf<FmsPolicy>());
        }

        [Fact]
        public void WhatIf_describes_the_create_and_makes_no_mutating_call()
        {
            var mark = _fixture.Mark;
            var text = _fixture.Host.Text.Length;
            var result = _fixture.Succeed("New-FmsDnsFirewallPolicy -Name dns-preview -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -IncludeOrganizationalUnit ou-d3m0-pr0d0001 -WhatIf");
            var line = Assert.Single(_fixture.Host.WhatIfLines(text));
            Assert.Contains("DNS_FIREWALL", line);
            Assert.Contains("AWS::EC2::VPC", line);
            Assert.Contains("1 OU", line);
            Assert.Contains("remediation off", line);
            Assert.Empty(_fixture.MutatingSince(mark));
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Offline_returns_the_policy_without_any_connection_and_Set_creates_it_later()
        {
            using var offline = new PowerShellSession();
            var policy = Assert.Single(offline.Run($"New-FmsShieldPolicy -Name shield-later -ResourceType {AlbType} -Offline -Region us-east-1 -RemediationEnabled")
                .ShouldSucceed().OutputOf<FmsPolicy>());
            Assert.Null(policy.PolicyId);
            Assert.Equal("us-east-1", policy.Region);

            _fixture.Set("later", policy);
            var stored = Assert.Single(_fixture.Read<FmsPolicy>("$later | Set-FmsPolicy -PassThru"));
            Assert.NotNull(stored.PolicyId);
            Assert.Equal("True", _fixture.Text($"(Get-FmsPolicy -PolicyId '{stored.PolicyId}').RemediationEnabled"));
        }
    }
}
