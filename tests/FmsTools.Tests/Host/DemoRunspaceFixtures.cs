using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A class fixture: the demo organization in a sandbox of its own and one runspace connected to it as the FMS
    /// administrator (<see cref="SandboxRunspace"/>: <c>$sandbox</c>, <c>$mgmt</c>, <c>$dir</c>), shared by the tests of
    /// one class, which xunit runs one at a time. The sandbox clock follows real time.
    /// </summary>
    public sealed class DemoRunspace : IDisposable
    {
        public DemoRunspace() { Env = new SandboxRunspace(); }

        public SandboxRunspace Env { get; }

        public void Dispose() => Env.Dispose();
    }

    /// <summary>
    /// The same with the sandbox clock frozen: nothing converges unless a test moves the clock, so the demo organization's
    /// documented violations (<see cref="DemoOrganization.ExpectedViolations(string)"/>) are what FMS reports.
    /// </summary>
    public sealed class FrozenDemoRunspace : IDisposable
    {
        public FrozenDemoRunspace() { Env = new SandboxRunspace(options: Options); }

        public SandboxRunspace Env { get; }

        /// <summary>A demo sandbox whose clock only moves when told to (and that runs no due work in the background).</summary>
        public static SandboxOptions Options() => new SandboxOptions { Demo = true, FreezeClock = true, BackgroundInterval = TimeSpan.FromHours(1) };

        public void Dispose() => Env.Dispose();
    }

    /// <summary>Reading what PowerShell showed and reported: error records, "What if:" lines and confirmation prompts.</summary>
    public static class HostReadings
    {
        private static readonly Regex Operation = new Regex("Performing the operation \"(?<action>.*)\" on target \"(?<target>.*)\"\\.", RegexOptions.Singleline);

        // ErrorId and Message of an ErrorRecord: ErrorRecordFacts.
        /// <summary>The (target, action) of each "What if:" line the host showed since <paramref name="position"/> in its text.</summary>
        public static IReadOnlyList<(string Target, string Action)> WhatIfSince(this TestPSHost host, int position)
            => host.Text.Substring(position).Split('\n').Where(l => l.StartsWith("What if: ", StringComparison.Ordinal))
                .Select(l => Parse(l)).ToList();

        /// <summary>The (target, action) of each confirmation prompt shown since the <paramref name="count"/>th.</summary>
        public static IReadOnlyList<(string Target, string Action)> PromptsSince(this TestPSHost host, int count)
            => host.Prompts.Skip(count).Select(p => Parse(p.Message)).ToList();

        private static (string Target, string Action) Parse(string text)
        {
            var match = Operation.Match(text);
            if (!match.Success) throw new Xunit.Sdk.XunitException("Not a ShouldProcess message: " + text);
            return (match.Groups["target"].Value, match.Groups["action"].Value);
        }

        /// <summary>The requests of one operation the sandbox answered since <paramref name="mark"/>.</summary>
        public static IReadOnlyList<RequestLogEntry> CallsSince(this SandboxRunspace env, long mark, string operation)
            => env.RequestsSince(mark).Where(e => e.Operation == operation).ToList();
    }
}
