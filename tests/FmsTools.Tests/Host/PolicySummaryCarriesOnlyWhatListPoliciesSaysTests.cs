using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Plain Get-FmsPolicy writes ListPolicies summaries. A summary never carries a value that looks like data but was not
    /// read: a policy scoped to one OU with two resource types must not read "Scope: all accounts" and "no resource types".
    /// What ListPolicies does not return is null, and -Detailed reads it.
    /// </summary>
    public sealed class PolicySummaryCarriesOnlyWhatListPoliciesSaysTests : IClassFixture<SandboxCmdletFixture>
    {
        private readonly SandboxCmdletFixture _sandbox;

        public PolicySummaryCarriesOnlyWhatListPoliciesSaysTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            return session;
        }

        [Fact]
        public void A_summary_of_a_policy_scoped_to_one_OU_with_two_resource_types_leaves_scope_and_resource_types_out()
        {
            using var session = Connected();

            // The demo's WAF policy: the production OU only, ALBs and API Gateway stages (a ResourceTypeList).
            var summary = session.Run($"Get-FmsPolicy -Name {DemoOrganization.WafPolicyName}").ShouldSucceed().OutputOf<FmsPolicy>().Single();
            var detailed = session.Run($"Get-FmsPolicy -Name {DemoOrganization.WafPolicyName} -Detailed").ShouldSucceed().OutputOf<FmsPolicy>().Single();

            Assert.False(summary.IsDetailed);
            Assert.Null(summary.Scope);
            Assert.Null(summary.ScopeSummary);
            Assert.Null(summary.ResourceTypes);
            Assert.Null(summary.Settings);
            Assert.Null(summary.Tags);
            Assert.Null(summary.UpdateToken);

            Assert.Equal("1 OU", detailed.ScopeSummary);
            Assert.Equal(new[] { DemoOrganization.ProductionOuId }, detailed.Scope!.IncludeOrganizationalUnits);
            Assert.Equal(2, detailed.ResourceTypes!.Count);

            // However PowerShell shows the summary, it never claims a scope or an empty resource type list.
            var listed = session.Run($"Get-FmsPolicy -Name {DemoOrganization.WafPolicyName} | Format-List * | Out-String -Width 200").ShouldSucceed();
            var text = string.Concat(listed.Output.Select(o => o.BaseObject));
            Assert.DoesNotContain("all accounts", text);
            Assert.DoesNotContain("{}", text);
            var asString = session.Run($"\"$(Get-FmsPolicy -Name {DemoOrganization.WafPolicyName})\"").ShouldSucceed();
            Assert.Contains("Get-FmsPolicy -Detailed", (string)asString.Output.Single().BaseObject);
        }

        [Fact]
        public void A_summary_of_a_policy_with_one_resource_type_names_it_as_ListPolicies_does()
        {
            using var session = Connected();
            var summary = session.Run($"Get-FmsPolicy -Name {DemoOrganization.DnsFirewallPolicyName}").ShouldSucceed().OutputOf<FmsPolicy>().Single();
            Assert.Equal(new[] { "AWS::EC2::VPC" }, summary.ResourceTypes);
            Assert.Null(summary.Scope);
        }

        /// <summary>
        /// Every property of every demo policy's summary is either null (not read) or what GetPolicy says: no default that
        /// contradicts the policy (an "all accounts" scope, an empty list, remediation off, an unknown status).
        /// </summary>
        [Fact]
        public void No_property_of_a_summary_contradicts_the_policy_read_in_full()
        {
            using var session = Connected();
            var summaries = session.Run("Get-FmsPolicy").ShouldSucceed().OutputOf<FmsPolicy>().ToList();
            var detailed = session.Run("Get-FmsPolicy -Detailed").ShouldSucceed().OutputOf<FmsPolicy>().ToDictionary(p => p.PolicyId!);
            Assert.Equal(detailed.Count, summaries.Count);
            Assert.True(summaries.Count >= 9);

            var contradictions = new List<string>();
            foreach (var summary in summaries)
            {
                var full = detailed[summary.PolicyId!];
                foreach (var property in typeof(FmsPolicy).GetProperties().Where(p => p.CanRead && p.Name != nameof(FmsPolicy.IsDetailed)))
                {
                    var value = property.GetValue(summary);
                    if (value == null) continue;
                    var expected = property.GetValue(full);
                    if (Json(value) != Json(expected)) contradictions.Add($"{summary.Name}.{property.Name}: summary {Json(value)}, policy {Json(expected)}");
                }
            }
            Assert.True(contradictions.Count == 0, string.Join(Environment.NewLine, contradictions));
        }

        private static string Json(object? value) => value switch
        {
            null => "null",
            PolicyScope scope => scope.Summary,
            _ => JsonSerializer.Serialize(value),
        };
    }
}
