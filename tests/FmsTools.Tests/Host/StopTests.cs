using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using FmsTools.Engine.Compliance;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A generated organization of 1,000 member accounts with four organization-wide policies (one of them non-compliant
    /// in every account, so the report drills into each): about 4,000 report rows and over a thousand calls.
    /// </summary>
    public sealed class LargeOrganization : IDisposable
    {
        public const int Accounts = 1000;

        public LargeOrganization()
        {
            Sandbox = SandboxHost.Start(new SandboxOptions { AccountCount = Accounts, ResourcesPerAccount = 5, Seed = 7 });
            using var session = new PowerShellSession();
            session.Set("sandbox", Sandbox);
            session.Run("""
                $null = $sandbox | Connect-Fms
                $null = New-FmsDnsFirewallPolicy -Name big-dns -PreProcessRuleGroup 'rslvr-frg-0123456789abcdef' -Confirm:$false
                $null = New-FmsNetworkAclPolicy -Name big-nacl -FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 } -Confirm:$false
                $null = New-FmsSecurityGroupPolicy -Name big-sg -SecurityGroupId 'sg-0123456789abcdef0' -Confirm:$false
                $null = New-FmsWafPolicy -Name big-waf -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -Confirm:$false
                """).ShouldSucceed();
            Rows = 4 * (Accounts + 2);
        }

        public SandboxHost Sandbox { get; }

        /// <summary>Policy × account rows of the full report (four policies over the members, the management and the administrator account).</summary>
        public int Rows { get; }

        public void Dispose() => Sandbox.Dispose();
    }

    /// <summary>
    /// Ctrl+C: PowerShell.Stop() while Get-FmsComplianceReport streams rows over 1,000 accounts ends the command within
    /// one second of Stop(), and leaves no work behind: once Stop() returned, no request reaches the sandbox except those
    /// the session itself sends afterwards. Runs alone: the one-second bound is a correctness bound, measured without
    /// other tests competing for the two cores.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class StopTests : IClassFixture<LargeOrganization>
    {
        private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(1);
        private readonly LargeOrganization _organization;
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public StopTests(LargeOrganization organization, Xunit.Abstractions.ITestOutputHelper output)
        {
            _organization = organization;
            _output = output;
        }

        [Theory]
        [InlineData("Get-FmsComplianceReport", 100)]
        [InlineData("Get-FmsComplianceReport -IncludeViolationDetail", 20)]
        [InlineData("Get-FmsComplianceStatus", 100)]
        public void Stop_while_rows_stream_ends_the_command_within_a_second_and_leaves_nothing_running(string command, int rowsBeforeStop)
        {
            using var session = new PowerShellSession();
            session.Set("sandbox", _organization.Sandbox);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();

            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript(command);
            var output = new PSDataCollection<PSObject>();
            var rows = 0;
            using var streaming = new ManualResetEventSlim();
            output.DataAdded += (sender, e) =>
            {
                if (Interlocked.Increment(ref rows) >= rowsBeforeStop) streaming.Set();
            };
            var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
            Assert.True(streaming.Wait(TimeSpan.FromSeconds(60)), $"{command} wrote {rows} rows in 60 s.");

            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), $"{command} did not end within 30 s of Stop().");
            watch.Stop();

            _output.WriteLine($"{command}: {rows} rows, ended {watch.Elapsed.TotalMilliseconds:0} ms after Stop().");
            Assert.True(watch.Elapsed < StopBound, $"{command} ended {watch.Elapsed.TotalMilliseconds:0} ms after Stop().");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
            Assert.True(output.Count < _organization.Rows, $"{command} finished ({output.Count} rows) before Stop() could interrupt it.");
            Assert.All(output, o => Assert.IsType<FmsComplianceStatus>(o.BaseObject));

            NothingIsLeftRunning(session);
        }

        [Fact]
        public void Stop_while_a_report_is_aggregated_ends_the_command_within_a_second_and_leaves_nothing_running()
        {
            using var session = new PowerShellSession();
            session.Set("sandbox", _organization.Sandbox);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            var log = _organization.Sandbox.RequestLog;

            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript("Get-FmsComplianceReport -AsReport");
            var mark = log.TotalCount;
            var invocation = ps.BeginInvoke();
            // -AsReport writes nothing until the end: stop once the report is well under way (a hundred of its calls answered).
            var deadline = Stopwatch.StartNew();
            while (log.TotalCount - mark < 100 && !invocation.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(60))
                invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(5));
            Assert.False(invocation.IsCompleted, "The report finished before Stop() could interrupt it.");

            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "The report did not end within 30 s of Stop().");
            watch.Stop();

            _output.WriteLine($"-AsReport: {log.TotalCount - mark} calls answered, ended {watch.Elapsed.TotalMilliseconds:0} ms after Stop().");
            Assert.True(watch.Elapsed < StopBound, $"The report ended {watch.Elapsed.TotalMilliseconds:0} ms after Stop().");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            NothingIsLeftRunning(session);
        }

        [Fact]
        public void Select_Object_First_ends_the_report_early_and_leaves_nothing_running()
        {
            using var session = new PowerShellSession();
            session.Set("sandbox", _organization.Sandbox);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            var rows = session.Run("Get-FmsComplianceReport | Select-Object -First 5").ShouldSucceed().OutputOf<FmsComplianceStatus>().ToList();
            Assert.Equal(5, rows.Count);
            NothingIsLeftRunning(session);
        }

        /// <summary>
        /// Nothing the stopped command started is still calling the sandbox: a first synchronous round trip lets the sandbox
        /// finish answering what was sent before Stop() returned; across a second one, the sandbox answers exactly that one
        /// request. A report still running behind the session's back (16 calls in flight at a time) would add its own.
        /// </summary>
        private void NothingIsLeftRunning(PowerShellSession session)
        {
            const string roundTrip = "$null = Invoke-RestMethod ($sandbox.Endpoint + '/_sandbox/health')";
            var log = _organization.Sandbox.RequestLog;
            session.Run(roundTrip).ShouldSucceed();
            var mark = log.TotalCount;
            session.Run(roundTrip).ShouldSucceed();
            var entries = log.Entries;
            var since = entries.Skip(entries.Count - (int)(log.TotalCount - mark)).ToList();
            Assert.Equal(new[] { "sandbox GET /_sandbox/health" }, since.Select(e => e.Service + " " + e.Operation));
            // The runspace is usable again at once.
            Assert.Equal("big-dns|big-nacl|big-sg|big-waf", CmdletCaseRunner.Text(session.Run("(Get-FmsPolicy | Sort-Object Name).Name").ShouldSucceed().Output));
        }
    }

    /// <summary>
    /// Ctrl+C while a command waits (Watch-FmsCompliance between readings, Invoke-FmsRemediation -Wait between polls of
    /// FMS's convergence, minutes apart): the command ends within one second of Stop(), not at the end of its wait.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class StopWhileWaitingTests
    {
        [Theory]
        [InlineData("Watch-FmsCompliance -PolicyName demo-dns-firewall -Interval 300", "Baseline taken")]
        [InlineData("Get-FmsPolicy -Name demo-waf-baseline | Invoke-FmsRemediation -Wait -Force", "Waiting for Firewall Manager remediation")]
        public void Stop_while_the_command_waits_ends_it_within_a_second(string command, string waiting)
        {
            using var env = new SandboxRunspace();
            CmdletCaseRunner.Evaluate(env, "Set-FmsPolicy -PolicyId (Get-FmsPolicy -Name demo-waf-baseline).PolicyId -RemediationEnabled:$false -Confirm:$false");
            using var ps = PowerShell.Create();
            ps.Runspace = env.Session.Runspace;
            ps.AddScript("$VerbosePreference = 'Continue'; " + command);
            using var started = new ManualResetEventSlim();
            ps.Streams.Verbose.DataAdded += (sender, e) =>
            {
                if (((PSDataCollection<VerboseRecord>)sender!)[e.Index].Message.StartsWith(waiting, StringComparison.Ordinal)) started.Set();
            };
            ps.Streams.Progress.DataAdded += (sender, e) =>
            {
                if (((PSDataCollection<ProgressRecord>)sender!)[e.Index].Activity == waiting) started.Set();
            };
            var invocation = ps.BeginInvoke();
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)), $"{command} did not reach its wait in 60 s.");

            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), $"{command} did not end within 30 s of Stop().");
            watch.Stop();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{command} ended {watch.Elapsed.TotalMilliseconds:0} ms after Stop().");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
    }
}
