using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>Runs the scripts of a <see cref="CmdletCase"/> in a <see cref="SandboxRunspace"/> and reads their results as text.</summary>
    public static class CmdletCaseRunner
    {
        /// <summary>A script's output as text: each item's string form, joined with '|'.</summary>
        public static string Text(IEnumerable<PSObject> output) => string.Join("|", output.Select(o => o?.ToString() ?? ""));

        /// <summary>Runs a script that must not fail and returns its output as text.</summary>
        public static string Evaluate(SandboxRunspace env, string script)
        {
            var result = env.Run(script);
            try
            {
                result.ShouldSucceed();
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"The script `{script}` failed: {e.Message}");
            }
            return Text(result.Output);
        }

        public static void Arrange(SandboxRunspace env, CmdletCase c)
        {
            env.Session.Set("out", Array.Empty<object>());
            if (c.Arrange != null) Evaluate(env, c.Arrange);
        }

        /// <summary>The probe's reading, with <c>$out</c> set to <paramref name="output"/> (null when the case has no probe).</summary>
        public static string? Probe(SandboxRunspace env, CmdletCase c, IEnumerable<PSObject>? output = null)
        {
            env.Session.Set("out", output?.ToArray() ?? Array.Empty<PSObject>());
            return c.Probe == null ? null : Evaluate(env, c.Probe);
        }

        /// <summary>What the probe must read after the real run.</summary>
        public static string? ProbeAfter(SandboxRunspace env, CmdletCase c)
            => c.ProbeAfter ?? (c.ProbeAfterOf == null ? null : Evaluate(env, c.ProbeAfterOf));

        /// <summary>The invocation with extra parameters at its end (the cmdlet is the pipeline's last command).</summary>
        public static string Invocation(CmdletCase c, string? extra) => string.IsNullOrEmpty(extra) ? c.Act : c.Act + " " + extra;

        /// <summary>How the real run avoids a prompt: -Force where the cmdlet offers it, else -Confirm:$false; nothing without ShouldProcess.</summary>
        public static string? Bypass(CmdletFacts facts) => !facts.SupportsShouldProcess ? null : facts.HasForce ? "-Force" : "-Confirm:$false";

        /// <summary>
        /// The parameter sets PowerShell binds the invocation to: the cmdlet is shadowed for one run by a function with the
        /// cmdlet's own parameter metadata (ProxyCommand) that only records $PSCmdlet.ParameterSetName; the rest of the
        /// pipeline runs for real, so pipeline input binds as it would.
        /// </summary>
        public static IReadOnlyList<string> BoundParameterSets(SandboxRunspace env, CmdletCase c, string invocation)
        {
            Evaluate(env, $$"""
                $meta = [System.Management.Automation.CommandMetadata]::new((Get-Command -Module FmsTools -CommandType Cmdlet -Name '{{c.Cmdlet}}'))
                # A proxy's param block keeps no transformation attribute: such a parameter takes what the cmdlet's would read.
                foreach ($proxied in @($meta.Parameters.Values)) { if ($proxied.Attributes | Where-Object { $_ -is [FmsTools.Infrastructure.PolicyInputTransformationAttribute] }) { $proxied.ParameterType = [object] } }
                $text = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($meta) + "`nparam(" + [System.Management.Automation.ProxyCommand]::GetParamBlock($meta) + ")`nprocess { `$global:BoundParameterSets += @(`$PSCmdlet.ParameterSetName) }"
                $global:BoundParameterSets = @()
                Set-Item -Path 'function:global:{{c.Cmdlet}}' -Value ([scriptblock]::Create($text))
                """);
            try
            {
                Evaluate(env, invocation);
                return env.Run("$global:BoundParameterSets").Output.Select(o => o.ToString()).Distinct().ToList();
            }
            finally
            {
                // (Remove-Item 'function:global:...' leaves the function in place; the runspace's scripts run in the global scope.)
                Evaluate(env, $"Remove-Item -Path 'function:{c.Cmdlet}'");
                Assert.Equal("Cmdlet", Evaluate(env, $"(Get-Command -Name '{c.Cmdlet}').CommandType"));
            }
        }

        /// <summary>Fails unless every output object is of a type the cmdlet declares with [OutputType].</summary>
        public static void OutputIsDeclared(CmdletFacts facts, PowerShellResult result)
        {
            foreach (var item in result.Output)
            {
                var value = item.BaseObject;
                Assert.True(facts.OutputTypes.Any(t => t.IsInstanceOfType(value)),
                    $"{facts.Name} wrote a {value.GetType().FullName}, which its [OutputType] ({string.Join(", ", facts.OutputTypes.Select(t => t.Name))}) does not declare.");
            }
        }

        /// <summary>Every progress bar the run showed is completed by its end, so none lingers in the console.</summary>
        public static void ProgressIsCompleted(CmdletCase c, PowerShellResult result)
        {
            var open = result.Progress.GroupBy(p => p.ActivityId).Where(g => g.Last().RecordType != ProgressRecordType.Completed)
                .Select(g => $"{g.Key} '{g.Last().Activity}'").ToList();
            Assert.True(open.Count == 0, $"{c.Key} left progress open: {string.Join(", ", open)}");
        }

        /// <summary>
        /// -WhatIf: no prompt, the "What if:" line, no error, no state-changing request to the sandbox, and the probe reads
        /// what it read before.
        /// </summary>
        public static PowerShellResult WhatIfChangesNothing(SandboxRunspace env, CmdletCase c, string? extra = null)
        {
            var before = Probe(env, c);
            var mark = env.Mark;
            var text = env.Host.Text.Length;
            var prompts = env.Host.Prompts.Count;
            var result = env.Run(Invocation(c, (extra == null ? "" : extra + " ") + "-WhatIf")).ShouldSucceed();
            Assert.True(env.Host.Prompts.Count == prompts, $"{c.Key} -WhatIf prompted: {string.Join("; ", env.Host.Prompts.Skip(prompts).Select(p => p.Message))}");
            Assert.Contains("What if: ", env.Host.Text.Substring(text));
            Assert.Empty(result.Warnings);
            Assert.Empty(env.MutatingSince(mark).Select(e => e.Operation));
            Assert.Equal(before, Probe(env, c, result.Output));
            return result;
        }

        /// <summary>Checks the real run's outcome: success (or the expected error), declared output types and the case's verification.</summary>
        public static void Verify(SandboxRunspace env, CmdletCase c, CmdletFacts facts, PowerShellResult result)
        {
            if (c.ExpectErrorId != null)
            {
                Assert.True(result.Terminating != null || result.Errors.Count > 0, $"{c.Key} was expected to fail with {c.ExpectErrorId} but succeeded.");
                Assert.StartsWith(c.ExpectErrorId + ",", result.Error.FullyQualifiedErrorId, StringComparison.Ordinal);
                env.Session.Set("err", result.Error);
            }
            else
            {
                result.ShouldSucceed();
            }
            OutputIsDeclared(facts, result);
            // The cases are valid and complete: nothing in them deserves a warning.
            Assert.Empty(result.Warnings);
            ProgressIsCompleted(c, result);
            env.Session.Set("out", result.Output.ToArray());
            if (c.Verify == null) return;
            var actual = Evaluate(env, c.Verify);
            var expected = c.Expect ?? Evaluate(env, c.ExpectOf ?? throw new InvalidOperationException(c.Key + " has Verify without Expect or ExpectOf."));
            Assert.Equal(expected, actual);
        }

        /// <summary>
        /// The whole case: arrange, check the parameter set PowerShell binds, run under -WhatIf (ShouldProcess cmdlets),
        /// then for real without a prompt and check what it wrote and what it changed.
        /// </summary>
        public static void RunEverything(string key)
        {
            var c = CmdletCases.Find(key);
            var facts = CmdletFacts.Of(c.Cmdlet);
            Assert.Contains(c.ParameterSet, facts.ParameterSets);
            using var env = new SandboxRunspace(c.Management, connect: !c.Unconnected);
            try
            {
                // Verbose and debug lines are written too (from the pipeline thread, or PowerShell refuses them).
                Evaluate(env, "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'");
                Arrange(env, c);
                var bypass = Bypass(facts);
                Assert.Equal(new[] { c.ParameterSet }, BoundParameterSets(env, c, Invocation(c, bypass)));
                if (facts.SupportsShouldProcess) WhatIfChangesNothing(env, c);

                var before = Probe(env, c);
                var prompts = env.Host.Prompts.Count;
                var result = env.Run(Invocation(c, bypass));
                Verify(env, c, facts, result);
                Assert.True(env.Host.Prompts.Count == prompts, $"{c.Key} {bypass} prompted: {string.Join("; ", env.Host.Prompts.Skip(prompts).Select(p => p.Message))}");
                if (c.Probe != null)
                {
                    var after = Probe(env, c, result.Output);
                    Assert.NotEqual(before, after);
                    Assert.Equal(ProbeAfter(env, c), after);
                }
            }
            finally
            {
                if (c.Cleanup != null) env.Run(c.Cleanup);
            }
        }
    }
}
