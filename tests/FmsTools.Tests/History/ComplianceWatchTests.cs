using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.History;
using FmsTools.Sandbox.World;
using FmsTools.Tests.ComplianceCmdlets;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>Watch-FmsCompliance against the demo organization, whose clock only moves when the test (or the watch's wait) moves it.</summary>
    public class ComplianceWatchTests
    {
        private const string Region = ComplianceSandbox.UsEast1;
        private static readonly string Policy = DemoOrganization.DnsFirewallPolicyName;

        private static HashSet<string> ExpectedResourceKeys()
            => new HashSet<string>(DemoOrganization.ExpectedViolations(Policy, Region).Select(v => $"{v.AccountId}|{v.ResourceId}|{v.ViolationReason}"));

        private static HashSet<string> ExpectedAccounts()
            => new HashSet<string>(DemoOrganization.ExpectedViolations(Policy, Region).Select(v => v.AccountId));

        private static void AssertConvergedTransitions(IReadOnlyList<FmsComplianceChange> changes)
        {
            Assert.NotEmpty(ExpectedResourceKeys());
            Assert.All(changes, c => Assert.Equal(Policy, c.PolicyName));
            Assert.DoesNotContain(changes, c => c.TransitionValue == ComplianceTransition.AccountNonCompliant || c.TransitionValue == ComplianceTransition.ResourceNonCompliant);
            var resources = changes.Where(c => c.TransitionValue == ComplianceTransition.ResourceCompliant).Select(c => $"{c.AccountId}|{c.ResourceId}|{c.Reason}").ToList();
            Assert.Equal(ExpectedResourceKeys().OrderBy(k => k, StringComparer.Ordinal), resources.OrderBy(k => k, StringComparer.Ordinal));
            var accounts = changes.Where(c => c.TransitionValue == ComplianceTransition.AccountCompliant).ToList();
            Assert.Equal(ExpectedAccounts().OrderBy(a => a, StringComparer.Ordinal), accounts.Select(c => c.AccountId).OrderBy(a => a, StringComparer.Ordinal));
            Assert.All(accounts, c => Assert.Equal("NonCompliant", c.PreviousStatus));
            Assert.All(accounts, c => Assert.Equal("Compliant", c.Status));
        }

        [Fact]
        public void Polling_reports_each_account_and_resource_that_became_compliant_once()
        {
            using var sandbox = new ComplianceSandbox();
            var start = sandbox.Host.Clock.UtcNow;
            var result = sandbox.RunClean(new WatchFmsCompliance { PolicyName = new[] { Policy }, Interval = 300, Count = 2, Clock = sandbox.SandboxDrivenClock() });
            var changes = result.OutputOf<FmsComplianceChange>().ToList();
            // The first wait (5 sandbox minutes) lets remediation converge; the second reading sees no further change.
            AssertConvergedTransitions(changes);
            // The sandbox clock also runs in real time; the watch's waits added the two intervals on top.
            Assert.All(changes, c => Assert.True(c.Time - c.PreviousTime >= TimeSpan.FromMinutes(5)));
            Assert.All(changes, c => Assert.True(c.PreviousTime >= start && c.Time >= start.AddMinutes(5)));
            Assert.True(sandbox.Host.Clock.UtcNow >= start.AddMinutes(10));
        }

        [Fact]
        public void Without_Count_it_watches_until_stopped()
        {
            using var sandbox = new ComplianceSandbox();
            var driven = sandbox.SandboxDrivenClock();
            var waits = 0;
            var watch = new WatchFmsCompliance { PolicyName = new[] { Policy }, Interval = 300 };
            // The third wait plays the user's Ctrl+C; a watch that ignored it would reach the guard and fail.
            watch.Clock = new FmsTools.Engine.Compliance.EngineClock(() => driven.Elapsed, () => driven.UtcNow, async (delay, ct) =>
            {
                // The throttle paces calls with the same clock; only the watch's own waits count.
                if (delay != TimeSpan.FromSeconds(300))
                {
                    await driven.Delay(delay, ct);
                    return;
                }
                waits++;
                if (waits > 5) throw new InvalidOperationException("The watch did not stop.");
                if (waits == 3) watch.InvokeStop();
                ct.ThrowIfCancellationRequested();
                await driven.Delay(delay, ct);
            });
            var result = sandbox.Run(watch);
            Assert.Empty(result.Errors);
            Assert.Equal(3, waits);
            AssertConvergedTransitions(result.OutputOf<FmsComplianceChange>().ToList());
        }

        [Fact]
        public void Once_takes_a_baseline_then_reports_transitions_since_the_saved_snapshot()
        {
            using var sandbox = new ComplianceSandbox();
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "compliance.json");

            var first = sandbox.RunClean(new WatchFmsCompliance { PolicyName = new[] { Policy }, OnceFlag = true, SnapshotPath = path });
            Assert.Empty(first.Output);
            Assert.True(File.Exists(path));

            sandbox.Host.Clock.Advance(TimeSpan.FromMinutes(5));
            var second = sandbox.RunClean(new WatchFmsCompliance { PolicyName = new[] { Policy }, OnceFlag = true, SnapshotPath = path });
            AssertConvergedTransitions(second.OutputOf<FmsComplianceChange>().ToList());

            var third = sandbox.RunClean(new WatchFmsCompliance { PolicyName = new[] { Policy }, OnceFlag = true, SnapshotPath = path });
            Assert.Empty(third.Output);

            File.WriteAllText(path, "{\"schema\": \"something-else\"}");
            var broken = Assert.Throws<TerminatingErrorException>(() => sandbox.Run(new WatchFmsCompliance { PolicyName = new[] { Policy }, OnceFlag = true, SnapshotPath = path })).Error;
            Assert.Equal("SnapshotInvalid", broken.ErrorId);
        }

        [Fact]
        public void Compare_reports_accounts_and_resources_that_became_non_compliant()
        {
            var t0 = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
            var compliant = new ComplianceSnapshot { TakenAt = t0 };
            compliant.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = "Compliant" });
            compliant.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "222222222222", Status = "NonCompliant",
                Violations = { ["alb-1"] = new ComplianceSnapshotViolation { ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL" } } });

            var worse = new ComplianceSnapshot { TakenAt = t0.AddMinutes(5) };
            worse.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = "NonCompliant",
                Violations = { ["alb-9"] = new ComplianceSnapshotViolation { ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL" } } });
            worse.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "222222222222", Status = "NonCompliant",
                Violations =
                {
                    ["alb-1"] = new ComplianceSnapshotViolation { ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL" },
                    ["alb-2"] = new ComplianceSnapshotViolation { ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", Reason = "RESOURCE_MISSING_WEB_ACL" },
                } });

            // Through the file format, as -Once does between runs.
            var file = Path.Combine(ComplianceSandbox.TempDirectory(), "s.json");
            compliant.Save(file);
            var changes = ComplianceSnapshot.Compare(ComplianceSnapshot.Load(file)!, worse);
            Assert.Equal(new[] { "AccountNonCompliant 111111111111 ", "ResourceNonCompliant 111111111111 alb-9", "ResourceNonCompliant 222222222222 alb-2" },
                changes.Select(c => $"{c.Transition} {c.AccountId} {c.ResourceId}"));

            var back = ComplianceSnapshot.Compare(worse, compliant);
            Assert.Equal(new[] { "AccountCompliant 111111111111 ", "ResourceCompliant 111111111111 alb-9", "ResourceCompliant 222222222222 alb-2" },
                back.Select(c => $"{c.Transition} {c.AccountId} {c.ResourceId}"));
            Assert.Empty(ComplianceSnapshot.Compare(worse, worse));
        }
    }
}
