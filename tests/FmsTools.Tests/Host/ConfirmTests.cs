using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Prompts as PowerShell users expect them, for every cmdlet that supports ShouldProcess (its case in
    /// <see cref="CmdletCases"/>), in a real runspace whose host answers the prompts: PowerShell prompts when the cmdlet's
    /// ConfirmImpact (its CmdletAttribute) is at or above $ConfirmPreference, or under -Confirm; "No" leaves the sandbox
    /// as it was (no state-changing request, the probe reads the same) and "Yes" applies; -Confirm:$false and -Force
    /// (where offered) never prompt, even under $ConfirmPreference = 'Low', and neither does anything under 'None'; -Confirm
    /// prompts, also with -Force; -WhatIf never prompts and changes nothing.
    /// </summary>
    public sealed class ConfirmTests
    {
        public static IEnumerable<object[]> Cases => CmdletCases.Keys(c => !c.ProcessWide && CmdletFacts.Of(c.Cmdlet).SupportsShouldProcess);

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_cmdlet_prompts_as_its_ConfirmImpact_says(string key) => ConfirmScenarios.Run(key);

        [Fact]
        public void Every_cmdlet_that_supports_ShouldProcess_has_its_prompts_tested()
        {
            var tested = Cases.Concat(ProcessWideConfirmTests.Cases).Select(k => CmdletCases.Find((string)k[0]).Cmdlet).ToHashSet();
            var untested = CmdletFacts.All.Values.Where(f => f.SupportsShouldProcess && !tested.Contains(f.Name)).Select(f => f.Name).ToList();
            Assert.True(untested.Count == 0, "Cmdlets that support ShouldProcess without a case: " + string.Join(", ", untested));
        }

        private const string ThreePolicies = "Get-FmsPolicy -Name demo-nacl-baseline, demo-dns-firewall, demo-sg-usage-audit";
        private const string CountThem = "@(" + ThreePolicies + ").Count";

        [Fact]
        public void Yes_to_All_answers_once_for_every_piped_policy_a_High_cmdlet_removes()
        {
            using var env = new SandboxRunspace();
            env.Host.Answers.Enqueue("Yes to All");
            env.Run(ThreePolicies + " | Remove-FmsPolicy").ShouldSucceed();
            Assert.Single(env.Host.Prompts);
            Assert.Equal("0", CmdletCaseRunner.Evaluate(env, CountThem));
        }

        [Fact]
        public void No_to_All_answers_once_and_nothing_is_removed()
        {
            using var env = new SandboxRunspace();
            var mark = env.Mark;
            env.Host.Answers.Enqueue("No to All");
            env.Run(ThreePolicies + " | Remove-FmsPolicy").ShouldSucceed();
            Assert.Single(env.Host.Prompts);
            Assert.Empty(env.MutatingSince(mark));
            Assert.Equal("3", CmdletCaseRunner.Evaluate(env, CountThem));
        }

        [Fact]
        public void Yes_and_No_answer_for_one_piped_item_each()
        {
            using var env = new SandboxRunspace();
            foreach (var answer in new[] { "Yes", "No", "Yes" }) env.Host.Answers.Enqueue(answer);
            env.Run(ThreePolicies + " | Remove-FmsPolicy").ShouldSucceed();
            Assert.Equal(3, env.Host.Prompts.Count);
            // Get-FmsPolicy lists in the service's order; whichever came second is the one kept.
            Assert.Equal("1", CmdletCaseRunner.Evaluate(env, CountThem));
            Assert.Contains(CmdletCaseRunner.Evaluate(env, ThreePolicies + " | ForEach-Object Name"), env.Host.Prompts[1].Message);
        }

        [Fact]
        public void Yes_to_All_covers_every_piped_list_and_Medium_updates_under_a_lowered_preference()
        {
            using var env = new SandboxRunspace();
            CmdletCaseRunner.Evaluate(env, "foreach ($n in 'a', 'b', 'c') { Set-FmsAppsList -Name host-$n -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -Confirm:$false }");
            env.Host.Answers.Enqueue("Yes to All");
            env.Run("$ConfirmPreference = 'Medium'; Get-FmsPolicy -Name demo-nacl-baseline, demo-dns-firewall | Set-FmsPolicy -Description reviewed; $ConfirmPreference = 'High'").ShouldSucceed();
            Assert.Single(env.Host.Prompts);
            Assert.Equal("reviewed|reviewed", CmdletCaseRunner.Evaluate(env, "(Get-FmsPolicy -Name demo-nacl-baseline, demo-dns-firewall -Detailed).Description"));

            env.Host.Answers.Enqueue("No to All");
            var mark = env.Mark;
            env.Run("Get-FmsAppsList -Name 'host-*' | Remove-FmsAppsList").ShouldSucceed();
            Assert.Equal(2, env.Host.Prompts.Count);
            Assert.Empty(env.MutatingSince(mark));
            env.Host.Answers.Enqueue("Yes to All");
            env.Run("Get-FmsAppsList -Name 'host-*' | Remove-FmsAppsList").ShouldSucceed();
            Assert.Equal(3, env.Host.Prompts.Count);
            Assert.Equal("0", CmdletCaseRunner.Evaluate(env, "@(Get-FmsAppsList -Name 'host-*').Count"));
        }

        [Fact]
        public void A_preference_set_inside_a_function_applies_to_the_cmdlets_it_calls()
        {
            using var env = new SandboxRunspace();
            var mark = env.Mark;
            env.Run("function Invoke-Cleanup { $WhatIfPreference = $true; Get-FmsPolicy -Name demo-nacl-baseline | Remove-FmsPolicy -Force }; Invoke-Cleanup").ShouldSucceed();
            Assert.Empty(env.MutatingSince(mark));
            Assert.Equal("1", CmdletCaseRunner.Evaluate(env, "@(Get-FmsPolicy -Name demo-nacl-baseline).Count"));
            env.Run("function Invoke-Cleanup { $ConfirmPreference = 'Low'; Get-FmsPolicy -Name demo-nacl-baseline | Set-FmsPolicy -Description reviewed }; Invoke-Cleanup").ShouldSucceed();
            Assert.Single(env.Host.Prompts);
            Assert.Empty(env.MutatingSince(mark));
        }
    }

    /// <summary>The same for the cmdlets that start, stop or pick the process's sandboxes, alone.</summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class ProcessWideConfirmTests
    {
        public static IEnumerable<object[]> Cases => CmdletCases.Keys(c => c.ProcessWide && CmdletFacts.Of(c.Cmdlet).SupportsShouldProcess);

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_cmdlet_prompts_as_its_ConfirmImpact_says(string key) => ConfirmScenarios.Run(key);
    }

    /// <summary>The prompting scenarios of one case, each on untouched state (a fresh sandbox, arranged again).</summary>
    public static class ConfirmScenarios
    {
        public static void Run(string key)
        {
            var c = CmdletCases.Find(key);
            var facts = CmdletFacts.Of(c.Cmdlet);
            Assert.True(facts.SupportsShouldProcess);
            // PowerShell asks when the cmdlet's impact is at or above $ConfirmPreference; its default is High.
            var promptsByDefault = facts.ConfirmImpact >= ConfirmImpact.High;
            using var env = new SandboxRunspace(c.Management, connect: !c.Unconnected);
            try
            {
                CmdletCaseRunner.Arrange(env, c);
                Attempt(env, c, "default $ConfirmPreference, answered No", null, "No", prompts: promptsByDefault, applies: !promptsByDefault);
                if (promptsByDefault)
                {
                    Attempt(env, c, "default $ConfirmPreference, answered Yes", null, "Yes", prompts: true, applies: true);
                }
                else
                {
                    Fresh(env, c);
                    Attempt(env, c, $"$ConfirmPreference = '{facts.ConfirmImpact}', answered No", null, "No", prompts: true, applies: false, preference: facts.ConfirmImpact);
                    Attempt(env, c, $"$ConfirmPreference = '{facts.ConfirmImpact}', answered Yes", null, "Yes", prompts: true, applies: true, preference: facts.ConfirmImpact);
                }

                foreach (var bypass in facts.HasForce ? new[] { "-Confirm:$false", "-Force" } : new[] { "-Confirm:$false" })
                {
                    Fresh(env, c);
                    Attempt(env, c, bypass + " under $ConfirmPreference = 'Low'", bypass, null, prompts: false, applies: true, preference: ConfirmImpact.Low);
                }

                // $ConfirmPreference = 'None' turns confirmation off, whatever the impact.
                Fresh(env, c);
                Attempt(env, c, "$ConfirmPreference = 'None'", null, null, prompts: false, applies: true, preference: ConfirmImpact.None);

                Fresh(env, c);
                Attempt(env, c, "-Confirm, answered No", "-Confirm", "No", prompts: true, applies: false);
                // -Force skips the prompt unless -Confirm is given as well.
                if (facts.HasForce) Attempt(env, c, "-Force -Confirm, answered No", "-Force -Confirm", "No", prompts: true, applies: false);
                SetPreference(env, ConfirmImpact.Low);
                try
                {
                    CmdletCaseRunner.WhatIfChangesNothing(env, c);
                }
                finally
                {
                    SetPreference(env, ConfirmImpact.High);
                }
            }
            finally
            {
                if (c.Cleanup != null) env.Run(c.Cleanup);
            }
        }

        private static void Fresh(SandboxRunspace env, CmdletCase c)
        {
            if (c.Cleanup != null) env.Run(c.Cleanup);
            env.Renew();
            CmdletCaseRunner.Arrange(env, c);
        }

        private static void SetPreference(SandboxRunspace env, ConfirmImpact preference)
            => CmdletCaseRunner.Evaluate(env, $"$global:ConfirmPreference = '{preference}'");

        /// <summary>Runs the case once, answering every prompt with <paramref name="answer"/>, and checks prompts and effect.</summary>
        private static void Attempt(SandboxRunspace env, CmdletCase c, string scenario, string? extra, string? answer, bool prompts, bool applies,
            ConfirmImpact preference = ConfirmImpact.High)
        {
            var before = CmdletCaseRunner.Probe(env, c);
            var mark = env.Mark;
            var asked = env.Host.Prompts.Count;
            env.Host.Answers.Clear();
            if (answer != null) for (var i = 0; i < 20; i++) env.Host.Answers.Enqueue(answer);
            SetPreference(env, preference);
            PowerShellResult result;
            try
            {
                result = env.Run(CmdletCaseRunner.Invocation(c, extra));
            }
            finally
            {
                SetPreference(env, ConfirmImpact.High);
                env.Host.Answers.Clear();
            }
            var shown = env.Host.Prompts.Skip(asked).ToList();
            var what = $"{c.Key}, {scenario}";
            if (prompts)
            {
                Assert.True(shown.Count > 0, what + ": no prompt.");
                foreach (var prompt in shown)
                {
                    Assert.Equal(new[] { "Yes", "Yes to All", "No", "No to All", "Suspend" }, prompt.Choices);
                    Assert.Contains("Performing the operation \"", prompt.Message, StringComparison.Ordinal);
                }
            }
            else
            {
                Assert.True(shown.Count == 0, what + ": prompted " + string.Join("; ", shown.Select(p => p.Message)));
            }

            var after = CmdletCaseRunner.Probe(env, c, result.Output);
            if (applies)
            {
                if (c.ExpectErrorId == null) result.ShouldSucceed();
                Assert.True(CmdletCaseRunner.ProbeAfter(env, c) == after, $"{what}: the probe read '{after}' after the run, not '{CmdletCaseRunner.ProbeAfter(env, c)}'.");
                Assert.NotEqual(before, after);
            }
            else
            {
                result.ShouldSucceed();
                Assert.True(before == after, $"{what}: the probe read '{after}' after the run, '{before}' before.");
                Assert.Empty(env.MutatingSince(mark).Select(e => e.Operation));
            }
        }
    }
}
