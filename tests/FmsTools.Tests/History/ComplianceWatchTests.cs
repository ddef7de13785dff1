using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using FmsTools.Engine.History;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Watch-FmsCompliance against the demo organization, whose clock only moves when the test moves it: five sandbox minutes
    /// after the baseline, Firewall Manager's remediation has made every account of demo-dns-firewall compliant, and the watch
    /// must report each account and resource that changed side once.
    /// </summary>
    public sealed class ComplianceWatchTests : IClassFixture<SandboxSessionFixture>
    {
        private const string Region = "us-east-1";
        private static readonly string Policy = DemoOrganization.DnsFirewallPolicyName;
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
        private readonly SandboxSessionFixture _fixture;

        public ComplianceWatchTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            // Remediation converges once per sandbox: each test starts from the unconverged demo.
            _fixture.Renew();
        }

        private static List<string> Sorted(IEnumerable<string> keys) => keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        private static void AssertConvergedTransitions(IReadOnlyList<FmsComplianceChange> changes)
        {
            var violations = DemoOrganization.ExpectedViolations(Policy, Region);
            Assert.NotEmpty(violations);
            Assert.All(changes, c => Assert.Equal(Policy, c.PolicyName));
            Assert.DoesNotContain(changes, c => c.TransitionValue == ComplianceTransition.AccountNonCompliant || c.TransitionValue == ComplianceTransition.ResourceNonCompliant);
            Assert.Equal(Sorted(violations.Select(v => $"{v.AccountId}|{v.ResourceId}|{v.ViolationReason}")),
                Sorted(changes.Where(c => c.TransitionValue == ComplianceTransition.ResourceCompliant).Select(c => $"{c.AccountId}|{c.ResourceId}|{c.Reason}")));
            var accounts = changes.Where(c => c.TransitionValue == ComplianceTransition.AccountCompliant).ToList();
            Assert.Equal(Sorted(violations.Select(v => v.AccountId).Distinct()), Sorted(accounts.Select(c => c.AccountId)));
            Assert.All(accounts, c => Assert.Equal(("NonCompliant", "Compliant"), (c.PreviousStatus, c.Status)));
        }

        /// <summary>Transitions the converged demo reports: one per account and one per resource that was violating.</summary>
        private static int ConvergedCount()
        {
            var violations = DemoOrganization.ExpectedViolations(Policy, Region);
            return violations.Count + violations.Select(v => v.AccountId).Distinct().Count();
        }

        /// <summary>A watch whose baseline, once taken, is followed by five sandbox minutes: remediation converges before reading 1.</summary>
        private LiveInvocation Watch(string parameters)
        {
            var watch = new LiveInvocation(_fixture.Env.Session, $"$VerbosePreference = 'Continue'; Watch-FmsCompliance -PolicyName {Policy} {parameters}");
            watch.OnVerbose(line =>
            {
                if (line.StartsWith("Baseline taken", StringComparison.Ordinal)) _fixture.Sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
            });
            return watch;
        }

        [Fact]
        public void Polling_reports_each_account_and_resource_that_became_compliant_once()
        {
            using var watch = Watch("-Interval 1 -Count 2");
            var result = watch.Start().Finish(Bound).ShouldSucceed();
            var changes = result.OutputOf<FmsComplianceChange>().ToList();
            // Reading 1 sees remediation converged; reading 2 sees no further change.
            AssertConvergedTransitions(changes);
            Assert.Single(changes.Select(c => c.Time).Distinct());
            Assert.All(changes, c => Assert.True(c.Time - c.PreviousTime >= TimeSpan.FromSeconds(1), $"{c.Time:O} - {c.PreviousTime:O}"));
            Assert.Contains(result.Verbose, v => v.StartsWith("Baseline taken", StringComparison.Ordinal));
        }

        [Fact]
        public void Without_Count_it_watches_until_stopped()
        {
            var converged = ConvergedCount();
            var firstWritten = 0;
            using var secondReading = new ManualResetEventSlim();
            using var watch = Watch("-Interval 1");
            watch.OnOutput((written, _) => Volatile.Write(ref firstWritten, written));
            // A reading reads ListComplianceStatus; one after every transition of reading 1 was written is reading 2 or later.
            watch.OnVerbose(line =>
            {
                if (Volatile.Read(ref firstWritten) == converged && line.StartsWith("AWS FMS.ListComplianceStatus ", StringComparison.Ordinal)) secondReading.Set();
            });
            watch.Start();
            Assert.True(secondReading.Wait(Bound), $"No second reading within {Bound.TotalSeconds} s ({firstWritten} transitions written).");
            Assert.False(watch.IsCompleted, "The watch without -Count ended by itself.");

            watch.Stop();
            var result = watch.Finish(Bound);
            Assert.IsType<PipelineStoppedException>(result.Terminating);
            Assert.Empty(result.Errors);
            AssertConvergedTransitions(result.OutputOf<FmsComplianceChange>().ToList());
        }

        [Fact]
        public void Once_takes_a_baseline_then_reports_transitions_since_the_saved_snapshot()
        {
            var path = Path.Combine(_fixture.NewFolder(), "compliance.json");
            _fixture.Set("snapshot", path);
            var once = $"Watch-FmsCompliance -PolicyName {Policy} -Once -SnapshotPath $snapshot";

            Assert.Empty(_fixture.Succeed(once).Output);
            Assert.True(File.Exists(path));

            _fixture.Succeed("$null = $sandbox.Clock.Advance([timespan]::FromMinutes(5))");
            AssertConvergedTransitions(_fixture.Succeed(once).OutputOf<FmsComplianceChange>().ToList());
            Assert.Empty(_fixture.Succeed(once).Output);

            File.WriteAllText(path, "{\"schema\": \"something-else\"}");
            var broken = _fixture.Run(once).ShouldStopWith("SnapshotInvalid");
            Assert.Equal(ErrorCategory.InvalidData, broken.CategoryInfo.Category);
            Assert.Contains(path, broken.Message());
        }
    }
}
