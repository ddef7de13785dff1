using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Every exported cmdlet in every parameter set, in a real runspace against a demo sandbox of its own (one per case):
    /// PowerShell binds the invocation to the case's parameter set, -WhatIf changes nothing (ShouldProcess cmdlets), and
    /// the real run (-Force or -Confirm:$false) succeeds without a prompt, writes only declared output types, and changes
    /// what it should as read back afterwards. The cases are <see cref="CmdletCases"/>; Get-Command's metadata decides
    /// which cases must exist.
    /// </summary>
    public sealed class EveryCmdletTests
    {
        public static IEnumerable<object[]> Cases => CmdletCases.Keys(c => !c.ProcessWide);

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_cmdlet_runs_for_real_in_its_parameter_set(string key) => CmdletCaseRunner.RunEverything(key);

        [Fact]
        public void Every_exported_cmdlet_and_parameter_set_has_exactly_one_case()
        {
            var exported = CmdletFacts.All.Values.SelectMany(f => f.ParameterSets.Select(s => f.Name + " [" + s + "]")).ToList();
            var cases = CmdletCases.All.Select(c => c.Key).ToList();
            var missing = exported.Except(cases).ToList();
            var unknown = cases.Except(exported).ToList();
            var repeated = cases.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(missing.Count == 0 && unknown.Count == 0 && repeated.Count == 0,
                "CmdletCases must hold one case per exported cmdlet and parameter set."
                + (missing.Count > 0 ? "\nWithout a case: " + string.Join(", ", missing) : "")
                + (unknown.Count > 0 ? "\nNot exported: " + string.Join(", ", unknown) : "")
                + (repeated.Count > 0 ? "\nMore than once: " + string.Join(", ", repeated) : ""));
            // Cmdlets that only read have nothing to probe; every mutating case must read its effect back.
            var unprobed = CmdletCases.All.Where(c => CmdletFacts.Of(c.Cmdlet).SupportsShouldProcess && c.Probe == null).Select(c => c.Key).ToList();
            Assert.True(unprobed.Count == 0, "Mutating cases without a probe: " + string.Join(", ", unprobed));
        }
    }

    /// <summary>The cases that start, stop or pick the process's sandboxes: alone, so that no other test's sandbox is involved.</summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class EveryProcessWideCmdletTests
    {
        public static IEnumerable<object[]> Cases => CmdletCases.Keys(c => c.ProcessWide);

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_cmdlet_runs_for_real_in_its_parameter_set(string key) => CmdletCaseRunner.RunEverything(key);
    }
}
