using System;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Structured policy parameters (rule groups, ACL entries, JSON-shaped settings) take strings, hashtables,
    /// PSCustomObjects and JSON text, and PowerShell turns them into typed values when it binds the parameter; what cannot
    /// be read fails binding, naming the parameter, the element and the rule, before anything is built or sent.
    /// </summary>
    public sealed class PolicyInputBindingTests
    {
        private static FmsPolicy Build(PowerShellSession session, string command)
            => session.Run(command + " -Offline").ShouldSucceed().OutputOf<FmsPolicy>().Single();

        private static void AssertBindingError(PowerShellResult result, string parameter, string field, string rule)
        {
            var error = result.Error;
            Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains($"parameter '{parameter}'", error.Exception.Message);
            Assert.Contains(field + ":", error.Exception.Message);
            Assert.Contains($"(rule {rule})", error.Exception.Message);
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Managed_rule_groups_bind_from_text_hashtables_and_objects_in_their_positions()
        {
            using var session = new PowerShellSession();
            var policy = Build(session, "New-FmsWafPolicy -Name waf -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -ManagedRuleGroup "
                + "'AWS/AWSManagedRulesCommonRuleSet:Version_1.0', "
                + "@{ Vendor = 'AWS'; Name = 'AWSManagedRulesSQLiRuleSet'; Position = 'Post'; ExcludedRules = 'SQLi_BODY'; OverrideAction = 'Count' }, "
                + "([pscustomobject]@{ Vendor = 'AWS'; Name = 'AWSManagedRulesAmazonIpReputationList'; RuleActionOverrides = @{ AWSManagedIPReputationList = 'count' } })");

            var settings = Assert.IsType<WafV2PolicySettings>(policy.Settings);
            Assert.Equal(new[] { "AWSManagedRulesCommonRuleSet", "AWSManagedRulesAmazonIpReputationList" },
                settings.PreProcessRuleGroups.Select(g => g.ManagedRuleGroupIdentifier!.ManagedRuleGroupName));
            Assert.Equal("Version_1.0", settings.PreProcessRuleGroups[0].ManagedRuleGroupIdentifier!.Version);
            Assert.Equal("AWSManagedIPReputationList", Assert.Single(settings.PreProcessRuleGroups[1].RuleActionOverrides).Name);
            var post = Assert.Single(settings.PostProcessRuleGroups);
            Assert.Equal("AWSManagedRulesSQLiRuleSet", post.ManagedRuleGroupIdentifier!.ManagedRuleGroupName);
            Assert.Equal("SQLi_BODY", Assert.Single(post.ExcludeRules).Name);
            Assert.Equal("COUNT", post.OverrideAction!.Type);
        }

        [Theory]
        [InlineData("'AWS'", "ManagedRuleGroup[0]", "ManagedRuleGroup.Format")]
        [InlineData("'AWS/AWSManagedRulesCommonRuleSet', 'AWS/:v1'", "ManagedRuleGroup[1]", "ManagedRuleGroup.Format")]
        [InlineData("@{ Vendor = 'AWS' }", "ManagedRuleGroup[0]", "ManagedRuleGroup.Format")]
        [InlineData("@{ Vendor = 'AWS'; Name = 'X'; Position = 'Middle' }", "ManagedRuleGroup[0].Position", "ManagedRuleGroup.Position")]
        [InlineData("@{ Vendor = 'AWS'; Name = 'X'; OverrideAction = 'Block' }", "ManagedRuleGroup[0].OverrideAction", "ManagedRuleGroup.OverrideAction")]
        [InlineData("@{ Vendor = 'AWS'; Name = 'X'; RuleActionOverrides = @{ R = 'explode' } }", "ManagedRuleGroup[0].RuleActionOverrides", "ManagedRuleGroup.RuleActionOverride")]
        public void An_unreadable_managed_rule_group_fails_binding_naming_the_element_and_the_rule(string value, string field, string rule)
        {
            using var session = new PowerShellSession();
            AssertBindingError(session.Run("New-FmsWafPolicy -Name waf -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -Offline -ManagedRuleGroup " + value),
                "ManagedRuleGroup", field, rule);
        }

        [Fact]
        public void Json_settings_bind_from_hashtables_objects_and_JSON_text_alike()
        {
            using var session = new PowerShellSession();
            const string Command = "New-FmsWafPolicy -Name waf -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -DefaultAction Block -CustomResponse ";
            var fromTable = Build(session, Command + "@{ responseCode = 403; customResponseBodyKey = 'denied' }");
            var fromObject = Build(session, Command + "([pscustomobject]@{ responseCode = 403; customResponseBodyKey = 'denied' })");
            var fromText = Build(session, Command + "'{\"responseCode\":403,\"customResponseBodyKey\":\"denied\"}'");

            JsonNode Json(FmsPolicy p) => ((WafV2PolicySettings)p.Settings!).CustomResponse!;
            Assert.Equal("{\"responseCode\":403,\"customResponseBodyKey\":\"denied\"}", Json(fromText).ToJsonString());
            Assert.True(JsonNode.DeepEquals(Json(fromText), Json(fromTable)), Json(fromTable).ToJsonString()); // a hashtable has no key order
            Assert.Equal(Json(fromText).ToJsonString(), Json(fromObject).ToJsonString());

            AssertBindingError(session.Run(Command + "'{ not json' -Offline"), "CustomResponse", "CustomResponse", "Parameter.Json");
        }

        [Fact]
        public void Network_ACL_entries_bind_from_hashtables_and_bad_ones_name_the_entry()
        {
            using var session = new PowerShellSession();
            var policy = Build(session, "New-FmsNetworkAclPolicy -Name nacl -FirstEntry "
                + "@{ Action = 'Deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }, "
                + "([pscustomobject]@{ Action = 'allow'; Protocol = 'icmp'; CidrBlock = '10.0.0.0/8'; IcmpType = 8; Egress = $true })");

            var settings = Assert.IsType<NetworkAclCommonSettings>(policy.Settings);
            var ssh = settings.FirstEntries[0];
            Assert.Equal(("deny", "6", 22, 22), (ssh.RuleAction, ssh.Protocol, ssh.PortRange!.From, ssh.PortRange.To));
            var ping = settings.FirstEntries[1];
            Assert.Equal(("allow", "1", true, 8, -1), (ping.RuleAction, ping.Protocol, ping.Egress, ping.IcmpTypeCode!.Type, ping.IcmpTypeCode.Code));

            AssertBindingError(session.Run("New-FmsNetworkAclPolicy -Name nacl -Offline -LastEntry @{ Action = 'deny'; Port = 22 }, 'ssh'"),
                "LastEntry", "LastEntry[1]", "NetworkAclEntry.Format");
            AssertBindingError(session.Run("New-FmsNetworkAclPolicy -Name nacl -Offline -FirstEntry @{ Action = 'deny'; Port = 'twenty-two' }"),
                "FirstEntry", "FirstEntry[0].Port", "Parameter.Number");
        }

        [Fact]
        public void Rule_group_references_take_ids_or_hashtables_and_default_priorities_by_position()
        {
            using var session = new PowerShellSession();
            var dns = Build(session, "New-FmsDnsFirewallPolicy -Name dns -PreProcessRuleGroup 'rslvr-frg-aaaaaaaaaaaaaaaa', @{ Id = 'rslvr-frg-bbbbbbbbbbbbbbbb'; Priority = 10 }");
            var dnsSettings = Assert.IsType<DnsFirewallSettings>(dns.Settings);
            Assert.Equal(new[] { ("rslvr-frg-aaaaaaaaaaaaaaaa", (int?)1), ("rslvr-frg-bbbbbbbbbbbbbbbb", (int?)10) }, dnsSettings.PreProcessRuleGroups.Select(g => (g.RuleGroupId!, g.Priority)));
            var last = Build(session, "New-FmsDnsFirewallPolicy -Name dns -PostProcessRuleGroup 'rslvr-frg-cccccccccccccccc', 'rslvr-frg-dddddddddddddddd'");
            Assert.Equal(new int?[] { 10000, 9999 }, Assert.IsType<DnsFirewallSettings>(last.Settings).PostProcessRuleGroups.Select(g => g.Priority));

            const string Arn = "arn:aws:network-firewall:us-east-1:111122223333:stateless-rulegroup/";
            const string StatefulArn = "arn:aws:network-firewall:us-east-1:111122223333:stateful-rulegroup/s";
            var nfw = Build(session, $"New-FmsNetworkFirewallPolicy -Name nfw -StatelessRuleGroup '{Arn}a', @{{ Arn = '{Arn}b'; Priority = 50 }}, '{Arn}c' "
                + $"-StatefulRuleGroup @{{ ResourceArn = '{StatefulArn}'; Override = 'DROP_TO_ALERT' }}");
            var config = Assert.IsType<NetworkFirewallSettings>(nfw.Settings).FirewallPolicy;
            Assert.Equal(new int?[] { 1, 50, 3 }, config.StatelessRuleGroupReferences.Select(r => r.Priority));
            var stateful = Assert.Single(config.StatefulRuleGroupReferences);
            Assert.Equal((StatefulArn, "DROP_TO_ALERT"), (stateful.ResourceArn, stateful.Override!.Action));

            AssertBindingError(session.Run($"New-FmsNetworkFirewallPolicy -Name nfw -Offline -StatefulRuleGroup @{{ Priority = 1 }}"),
                "StatefulRuleGroup", "StatefulRuleGroup[0]", "RuleGroup.Format");
            AssertBindingError(session.Run("New-FmsDnsFirewallPolicy -Name dns -Offline -PreProcessRuleGroup @{ Id = 'rslvr-frg-aaaaaaaaaaaaaaaa'; Priority = 'first' }"),
                "PreProcessRuleGroup", "PreProcessRuleGroup[0].Priority", "Parameter.Number");
        }
    }
}
