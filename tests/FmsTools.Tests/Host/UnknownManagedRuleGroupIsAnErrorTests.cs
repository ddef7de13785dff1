using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A managed rule group WAF does not offer (a typo), or a version of a known group WAF does not offer, is an error before
    /// PutPolicy whenever a command is connected: the builders, Set-FmsPolicy (also for what Import-FmsPolicy read),
    /// Sync-FmsPolicy and Test-FmsPolicy -Online apply the same rule, with the rule as ErrorId and the field and rule named.
    /// The sandbox answers DescribeManagedRuleGroup for an unknown group with WAFNonexistentItemException, as WAFV2 does.
    /// </summary>
    public sealed class UnknownManagedRuleGroupIsAnErrorTests : IClassFixture<SandboxCmdletFixture>
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string Typo = "New-FmsWafPolicy -Name typo-waf -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSett' -ResourceType " + Alb;
        private const string GroupField = "Settings.preProcessRuleGroups[0].managedRuleGroupIdentifier.managedRuleGroupName";

        private readonly SandboxCmdletFixture _sandbox;

        public UnknownManagedRuleGroupIsAnErrorTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            return session;
        }

        private int Calls(string operation) => _sandbox.Host.RequestLog.For(operation).Count;

        private static void AssertUnknownGroupError(ErrorRecord error, string command)
        {
            Assert.Equal("WafV2.ManagedRuleGroup.Unknown,FmsTools.Commands." + command, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            var message = error.ErrorDetails?.Message ?? error.Exception.Message;
            Assert.Contains(GroupField, message);
            Assert.Contains("(rule WafV2.ManagedRuleGroup.Unknown)", message);
            Assert.Contains("WAFNonexistentItemException", message);
            Assert.Contains("did you mean \"AWS/AWSManagedRulesCommonRuleSet\"", message);
        }

        [Fact]
        public void New_FmsWafPolicy_with_a_misspelt_managed_rule_group_creates_nothing()
        {
            using var session = Connected();
            var puts = Calls("PutPolicy");

            var result = session.Run(Typo);

            AssertUnknownGroupError(Assert.Single(result.Errors), "NewFmsWafPolicy");
            Assert.Empty(result.Output);
            Assert.Equal(puts, Calls("PutPolicy"));
            Assert.True(Calls("DescribeManagedRuleGroup") > 0);
            // The group's capacity cannot be read either; that is the same fault, not a second warning about it.
            Assert.DoesNotContain(result.Warnings, w => w.Contains("AWSManagedRulesCommonRuleSett"));
            Assert.Empty(session.Run("Get-FmsPolicy -Name typo-waf").ShouldSucceed().Output);
        }

        [Fact]
        public void A_version_WAF_does_not_offer_is_an_error_naming_the_versions_it_does()
        {
            using var session = Connected();
            var puts = Calls("PutPolicy");

            var result = session.Run("New-FmsWafPolicy -Name pinned-waf -ResourceType " + Alb
                                     + " -ManagedRuleGroup @{ Vendor = 'AWS'; Name = 'AWSManagedRulesKnownBadInputsRuleSet'; Version = 'Version_9.9' }");

            var error = Assert.Single(result.Errors);
            Assert.Equal("WafV2.ManagedRuleGroup.VersionUnknown,FmsTools.Commands.NewFmsWafPolicy", error.FullyQualifiedErrorId);
            var message = error.ErrorDetails?.Message ?? error.Exception.Message;
            Assert.Contains("Settings.preProcessRuleGroups[0].managedRuleGroupIdentifier.version", message);
            Assert.Contains("(rule WafV2.ManagedRuleGroup.VersionUnknown)", message);
            Assert.Contains("\"Version_9.9\"", message);
            Assert.Contains("Version_1.19", message);
            Assert.Contains("Version_1.20", message);
            Assert.Empty(result.Output);
            Assert.Equal(puts, Calls("PutPolicy"));
        }

        [Fact]
        public void Known_groups_and_versions_pass_and_Offline_building_does_not_ask_WAF()
        {
            using var session = Connected();
            var puts = Calls("PutPolicy");
            var known = session.Run("New-FmsWafPolicy -Name known-waf -ResourceType " + Alb
                                    + " -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet', @{ Vendor = 'AWS'; Name = 'AWSManagedRulesKnownBadInputsRuleSet'; Version = 'Version_1.20' } -WhatIf")
                .ShouldSucceed();
            Assert.Empty(known.Warnings);
            Assert.Equal(puts, Calls("PutPolicy"));

            var describes = Calls("DescribeManagedRuleGroup");
            var offline = session.Run(Typo + " -Offline").ShouldSucceed();
            Assert.Single(offline.OutputOf<FmsPolicy>());
            Assert.Equal(describes, Calls("DescribeManagedRuleGroup"));
        }

        [Fact]
        public void Set_FmsPolicy_refuses_an_offline_built_or_imported_policy_with_the_same_rule()
        {
            using var session = Connected();
            var folder = Directory.CreateTempSubdirectory("fmstools-unknown-group-").FullName;
            try
            {
                session.Set("folder", folder);
                var puts = Calls("PutPolicy");

                var built = session.Run(Typo + " -Offline | Set-FmsPolicy");
                AssertUnknownGroupError(Assert.Single(built.Errors), "SetFmsPolicy");
                Assert.Empty(built.Output);

                session.Run(Typo + " -Offline | Export-FmsPolicy -Path $folder").ShouldSucceed();
                var imported = session.Run("Import-FmsPolicy -Path $folder | Set-FmsPolicy");
                AssertUnknownGroupError(Assert.Single(imported.Errors), "SetFmsPolicy");
                Assert.Equal(puts, Calls("PutPolicy"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void Sync_FmsPolicy_stops_before_any_change_and_Test_FmsPolicy_Online_reports_the_rule()
        {
            using var session = Connected();
            var folder = Directory.CreateTempSubdirectory("fmstools-unknown-group-").FullName;
            try
            {
                session.Set("folder", folder);
                session.Run(Typo + " -Offline | Export-FmsPolicy -Path $folder").ShouldSucceed();
                var puts = Calls("PutPolicy");

                var synced = session.Run("Sync-FmsPolicy -Path $folder");
                AssertUnknownGroupError(Assert.Single(synced.Errors, e => e.FullyQualifiedErrorId.StartsWith("WafV2.", StringComparison.Ordinal)), "SyncFmsPolicy");
                Assert.NotNull(synced.Terminating); // the sync aborts: nothing was changed
                Assert.Equal(puts, Calls("PutPolicy"));

                var tested = session.Run("Test-FmsPolicy -Path $folder -Online").ShouldSucceed();
                var finding = Assert.Single(tested.OutputOf<PolicyFinding>(), f => f.SeverityValue == PolicyFindingSeverity.Error);
                Assert.Equal(("WafV2.ManagedRuleGroup.Unknown", GroupField), (finding.Rule, finding.Field));
                Assert.False((bool)session.Run("Test-FmsPolicy -Path $folder -Online -Quiet").ShouldSucceed().Output.Single().BaseObject);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
