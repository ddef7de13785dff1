using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Commands;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Sandbox.World;
using FmsTools.Tests.ComplianceCmdlets;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Watch-FmsCompliance end to end in both directions: the test changes the demo organization's resources through the
    /// sandbox's admin API (/_sandbox/resources), as an account's engineers would outside Firewall Manager, and the watch
    /// must report exactly the transitions those changes cause. The sandbox clock stands still (or moves by less than
    /// the remediation delay), so no remediation interferes: every transition is one the test made.
    /// </summary>
    public class ComplianceWatchSandboxTests
    {
        private const string Region = ComplianceSandbox.UsEast1;
        private const string ProdData = DemoOrganization.ProdData;
        private const string Waf = DemoOrganization.WafPolicyName;
        private const string Shield = DemoOrganization.ShieldPolicyName;
        private const string SgBaseline = DemoOrganization.SecurityGroupCommonPolicyName;
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";

        private static string Line(FmsComplianceChange c) => $"{c.Transition} {c.PolicyName} {c.Region} {c.AccountId} {c.ResourceId} {c.Reason}".TrimEnd();

        private static string[] Lines(IEnumerable<FmsComplianceChange> changes) => changes.Select(Line).ToArray();

        /// <summary>prod-data's us-east-1 load balancer: the demo has it behind demo-waf-baseline's FMS web ACL (compliant).</summary>
        private static (string Arn, string WebAclArn) ProdDataLoadBalancer(SandboxAdminClient admin)
        {
            var alb = Assert.Single(admin.Resources(ProdData, Region, AlbType));
            var webAcl = SandboxAdminClient.Text(alb, "webAclArn");
            Assert.StartsWith("arn:aws:wafv2:us-east-1:" + ProdData + ":regional/webacl/", webAcl);
            return (SandboxAdminClient.Text(alb, "arn"), webAcl);
        }

        /// <summary>A prod-data instance in us-east-1 and its primary interface's groups, one of which is demo-sg-baseline's replica.</summary>
        private static (string InstanceId, string[] Groups, string Replica) ProdDataInstance(SandboxAdminClient admin)
        {
            var replicas = admin.Resources(ProdData, Region, "AWS::EC2::SecurityGroup")
                .Where(g => SandboxAdminClient.Text(g, "fmsPolicyId") == ComplianceSandbox.PolicyId(SgBaseline)).Select(g => SandboxAdminClient.Text(g, "id")).ToList();
            var replica = Assert.Single(replicas);
            var interfaces = admin.Resources(ProdData, Region, "AWS::EC2::NetworkInterface").ToDictionary(e => SandboxAdminClient.Text(e, "id"));
            var instance = admin.Resources(ProdData, Region, "AWS::EC2::Instance").OrderBy(i => SandboxAdminClient.Text(i, "id"), StringComparer.Ordinal).First();
            var primary = interfaces[SandboxAdminClient.Strings(instance, "networkInterfaceIds")[0]];
            var groups = SandboxAdminClient.Strings(primary, "securityGroupIds");
            Assert.Contains(replica, groups);
            return (SandboxAdminClient.Text(instance, "id"), groups, replica);
        }

        private static WatchFmsCompliance Once(string path, params string[] policies)
            => new WatchFmsCompliance { PolicyName = policies.Length == 0 ? null : policies, OnceFlag = true, SnapshotPath = path };

        [Fact]
        public void Once_reports_the_account_and_load_balancer_a_web_acl_disassociation_broke_and_the_reassociation_fixed()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "snapshot.json");
            var (alb, webAcl) = ProdDataLoadBalancer(admin);

            // Every policy of the region: the change must show up under demo-waf-baseline and nowhere else.
            Assert.Empty(sandbox.RunClean(Once(path)).Output);

            Assert.Equal("", SandboxAdminClient.Text(admin.SetWebAcl(alb, null), "webAclArn"));
            var broke = sandbox.RunClean(Once(path)).OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(broke));
            Assert.Equal(("Compliant", "NonCompliant"), (broke[0].PreviousStatus, broke[0].Status));
            Assert.Equal((AlbType, ComplianceSandbox.PolicyId(Waf)), (broke[1].ResourceType, broke[1].PolicyId));

            admin.SetWebAcl(alb, webAcl);
            var fixedAgain = sandbox.RunClean(Once(path)).OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(new[]
            {
                $"AccountCompliant {Waf} {Region} {ProdData}",
                $"ResourceCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(fixedAgain));
            Assert.Equal(("NonCompliant", "Compliant"), (fixedAgain[0].PreviousStatus, fixedAgain[0].Status));

            Assert.Empty(sandbox.RunClean(Once(path)).Output);
        }

        [Fact]
        public void Once_reports_a_new_unprotected_load_balancer_under_each_policy_it_violates_and_its_deletion()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "snapshot.json");
            Assert.Empty(sandbox.RunClean(Once(path)).Output);

            var added = admin.AddLoadBalancer(ProdData, Region, "checkout-alb");
            var arn = SandboxAdminClient.Text(added, "arn");
            Assert.StartsWith($"arn:aws:elasticloadbalancing:{Region}:{ProdData}:loadbalancer/app/checkout-alb/", arn);
            // prod-data is in the Production OU: demo-waf-baseline (until now compliant there) wants a web ACL on it, and
            // demo-shield-advanced (already non-compliant there: its other resources are unprotected) a Shield protection.
            var appeared = sandbox.RunClean(Once(path)).OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(new[]
            {
                $"ResourceNonCompliant {Shield} {Region} {ProdData} {arn} RESOURCE_MISSING_SHIELD_PROTECTION",
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {arn} RESOURCE_MISSING_WEB_ACL",
            }, Lines(appeared));
            Assert.Equal(("NonCompliant", "NonCompliant"), (appeared[0].PreviousStatus, appeared[0].Status));

            Assert.Equal(arn, SandboxAdminClient.Text(admin.Delete(arn), "arn"));
            var gone = sandbox.RunClean(Once(path)).OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(new[]
            {
                $"ResourceCompliant {Shield} {Region} {ProdData} {arn} RESOURCE_MISSING_SHIELD_PROTECTION",
                $"AccountCompliant {Waf} {Region} {ProdData}",
                $"ResourceCompliant {Waf} {Region} {ProdData} {arn} RESOURCE_MISSING_WEB_ACL",
            }, Lines(gone));
        }

        [Fact]
        public void Once_reports_a_vpc_a_tag_brought_into_a_policy_and_its_removal()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "snapshot.json");
            var policy = DemoOrganization.NetworkFirewallPolicyName;
            var vpc = SandboxAdminClient.Text(admin.Resources(ProdData, Region, "AWS::EC2::VPC").First(), "id");
            Assert.Empty(sandbox.RunClean(Once(path, policy)).Output);

            // demo-network-firewall wants a firewall in every production VPC tagged network-inspection=required.
            var tagged = admin.Send(HttpMethod.Post, "resources/tags", new { resource = vpc, tags = new Dictionary<string, string> { ["network-inspection"] = "required" } });
            Assert.Equal("required", tagged.GetProperty("tags").GetProperty("network-inspection").GetString());
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {policy} {Region} {ProdData}",
                $"ResourceNonCompliant {policy} {Region} {ProdData} {vpc} MISSING_FIREWALL",
            }, Lines(sandbox.RunClean(Once(path, policy)).OutputOf<FmsComplianceChange>()));

            admin.Send(HttpMethod.Post, "resources/tags", new { resource = vpc, removeKeys = new[] { "network-inspection" } });
            Assert.Equal(new[]
            {
                $"AccountCompliant {policy} {Region} {ProdData}",
                $"ResourceCompliant {policy} {Region} {ProdData} {vpc} MISSING_FIREWALL",
            }, Lines(sandbox.RunClean(Once(path, policy)).OutputOf<FmsComplianceChange>()));
        }

        [Fact]
        public void Polling_reports_each_change_in_the_reading_after_it()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var (alb, _) = ProdDataLoadBalancer(admin);
            var (instance, groups, replica) = ProdDataInstance(admin);
            var start = sandbox.Host.Clock.UtcNow;
            var waits = new List<int>();
            // Before each reading the test changes the accounts, then moves the sandbox clock by the interval: 10 seconds,
            // far below the remediation delay, so the readings are apart in time and remediation never runs.
            var watch = new WatchFmsCompliance { PolicyName = new[] { Waf, SgBaseline }, Interval = 10, Count = 4 };
            // Readings are stamped with the sandbox's time; pacing of calls stays as in production.
            watch.Clock = new EngineClock(() => EngineClock.System.Elapsed, () => sandbox.Host.Clock.UtcNow, EngineClock.System.Delay);
            watch.WaitBeforeReading = (reading, ct) =>
            {
                waits.Add(reading);
                if (reading == 1) admin.SetSecurityGroups(instance, groups.Where(g => g != replica));
                if (reading == 2) admin.SetSecurityGroups(instance, groups);
                if (reading == 3) admin.SetWebAcl(alb, null);
                sandbox.Host.Clock.Advance(TimeSpan.FromSeconds(10));
                return Task.CompletedTask;
            };
            var changes = sandbox.RunClean(watch).OutputOf<FmsComplianceChange>().ToList();

            Assert.Equal(new[] { 1, 2, 3, 4 }, waits);
            string[] At(int reading) => Lines(changes.Where(c => c.Time == start.AddSeconds(10 * reading)));
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {SgBaseline} {Region} {ProdData}",
                $"ResourceNonCompliant {SgBaseline} {Region} {ProdData} {instance} RESOURCE_MISSING_SECURITY_GROUP",
            }, At(1));
            Assert.Equal(new[]
            {
                $"AccountCompliant {SgBaseline} {Region} {ProdData}",
                $"ResourceCompliant {SgBaseline} {Region} {ProdData} {instance} RESOURCE_MISSING_SECURITY_GROUP",
            }, At(2));
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, At(3));
            Assert.Empty(At(4));
            Assert.Equal(6, changes.Count);
            Assert.All(changes, c => Assert.Equal(c.Time.AddSeconds(-10), c.PreviousTime));
        }

        [Fact]
        public void Ctrl_C_ends_polling_cleanly_with_the_changes_seen_so_far_and_the_next_watch_resumes_from_the_snapshot_at_once()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var (alb, webAcl) = ProdDataLoadBalancer(admin);
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "snapshot.json");
            var waits = 0;
            var watch = new WatchFmsCompliance { PolicyName = new[] { Waf }, Interval = 300, SnapshotPath = path };
            watch.WaitBeforeReading = async (reading, ct) =>
            {
                waits++;
                if (reading == 1)
                {
                    admin.SetWebAcl(alb, null);
                    return;
                }
                // The user presses Ctrl+C while the watch waits for its second reading; a watch that ignored it would wait forever.
                watch.InvokeStop();
                await Task.Delay(Timeout.Infinite, ct);
            };
            var host = sandbox.Run(watch);

            Assert.Empty(host.Errors);
            Assert.Equal(2, waits);
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(host.OutputOf<FmsComplianceChange>()));
            var saved = ComplianceSnapshot.Load(path)!;
            var row = saved.Rows.Single(r => r.AccountId == ProdData);
            Assert.Equal("NonCompliant", row.Status);
            Assert.Equal(new[] { alb }, row.Violations.Keys);

            // The next watch compares its first reading with the saved one straight away, without waiting an interval.
            admin.SetWebAcl(alb, webAcl);
            var resumed = new WatchFmsCompliance { PolicyName = new[] { Waf }, Interval = 300, Count = 1, SnapshotPath = path };
            resumed.WaitBeforeReading = (reading, ct) => throw new InvalidOperationException("The first reading after a saved snapshot must not wait.");
            Assert.Equal(new[]
            {
                $"AccountCompliant {Waf} {Region} {ProdData}",
                $"ResourceCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(sandbox.RunClean(resumed).OutputOf<FmsComplianceChange>()));
        }

        [Fact]
        public void Ctrl_C_during_a_reading_ends_the_watch_cleanly_with_the_changes_already_written()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var (alb, webAcl) = ProdDataLoadBalancer(admin);
            var path = Path.Combine(ComplianceSandbox.TempDirectory(), "snapshot.json");
            var stopInReading = 0;
            var watch = new WatchFmsCompliance { PolicyName = new[] { Waf }, Interval = 300, SnapshotPath = path };
            // The command paces every call on its clock: the first call of the second reading is where the user presses Ctrl+C.
            var real = EngineClock.System;
            watch.Clock = new EngineClock(() =>
            {
                if (Interlocked.Exchange(ref stopInReading, 0) == 1) watch.InvokeStop();
                return real.Elapsed;
            }, () => real.UtcNow, real.Delay);
            watch.WaitBeforeReading = (reading, ct) =>
            {
                if (reading == 1) admin.SetWebAcl(alb, null);
                if (reading == 2)
                {
                    admin.SetWebAcl(alb, webAcl);
                    Interlocked.Exchange(ref stopInReading, 1);
                }
                if (reading > 2) throw new InvalidOperationException("The watch did not stop.");
                return Task.CompletedTask;
            };
            var host = sandbox.Run(watch);

            Assert.Empty(host.Errors);
            Assert.Equal(0, stopInReading);
            // Reading 1 was written; reading 2 was cut short and neither written nor saved.
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(host.OutputOf<FmsComplianceChange>()));
            Assert.Equal("NonCompliant", ComplianceSnapshot.Load(path)!.Rows.Single(r => r.AccountId == ProdData).Status);
        }

        [Fact]
        public void A_failed_reading_is_reported_and_skipped_and_the_next_one_is_compared_with_the_last_good_one()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var (alb, _) = ProdDataLoadBalancer(admin);
            var watch = new WatchFmsCompliance { PolicyName = new[] { Waf }, Interval = 300, Count = 2 };
            watch.WaitBeforeReading = (reading, ct) =>
            {
                if (reading == 1)
                {
                    // The account breaks, but Firewall Manager fails the reading that would see it.
                    admin.SetWebAcl(alb, null);
                    sandbox.Host.Faults.Add(new FmsTools.Sandbox.FaultRule { Operation = "ListComplianceStatus", Kind = FmsTools.Sandbox.FaultKind.InternalErrorException, Count = 1 });
                }
                return Task.CompletedTask;
            };
            var host = sandbox.Run(watch);

            var error = Assert.Single(host.Errors);
            Assert.Equal("InternalErrorException", error.ErrorId);
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
            }, Lines(host.OutputOf<FmsComplianceChange>()));
        }

        [Fact]
        public void Admin_api_refuses_changes_that_make_no_sense_and_changes_nothing()
        {
            using var sandbox = new ComplianceSandbox();
            var admin = new SandboxAdminClient(sandbox.Host);
            var (alb, _) = ProdDataLoadBalancer(admin);
            var version = JsonSerializer.Serialize(admin.Resources(ProdData, Region, AlbType));
            var vpc = SandboxAdminClient.Text(admin.Resources(ProdData, Region, "AWS::EC2::VPC").First(), "id");

            string Error(JsonElement e) => SandboxAdminClient.Text(e, "error");
            Assert.Contains("No web ACL", Error(admin.Send(HttpMethod.Post, "resources/webacl", new { resource = alb, webAclArn = "arn:aws:wafv2:us-east-1:" + ProdData + ":regional/webacl/none/00000000-0000-4000-8000-000000000000" }, 400)));
            Assert.Contains("No resource", Error(admin.Send(HttpMethod.Post, "resources/tags", new { resource = "vpc-0doesnotexist0000", tags = new { a = "b" } }, 400)));
            Assert.Contains("still used by", Error(admin.Send(HttpMethod.Delete, "resources?resource=" + vpc, null, 400)));
            Assert.Contains("No account", Error(admin.Send(HttpMethod.Post, "resources", new { type = AlbType, accountId = "999999999999", region = Region }, 400)));
            Assert.Contains("creates", Error(admin.Send(HttpMethod.Post, "resources", new { type = "AWS::EC2::Instance", accountId = ProdData, region = Region }, 400)));
            Assert.Equal(version, JsonSerializer.Serialize(admin.Resources(ProdData, Region, AlbType)));
        }

        [Fact]
        public void An_account_briefly_unknown_is_no_transition_and_keeps_its_last_known_standing()
        {
            var t0 = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
            ComplianceSnapshot Reading(int minutes, string status, params string[] violations)
            {
                var snapshot = new ComplianceSnapshot { TakenAt = t0.AddMinutes(minutes) };
                var row = new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = status };
                foreach (var v in violations) row.Violations[v] = new ComplianceSnapshotViolation { ResourceType = AlbType, Reason = "RESOURCE_MISSING_WEB_ACL" };
                snapshot.Rows.Add(row);
                return snapshot;
            }

            var nonCompliant = Reading(0, "NonCompliant", "alb-1");
            // FMS re-evaluates after a policy change: the account is Unknown for a while and its violators are not read.
            var unknown = Reading(5, "Unknown");
            Assert.Empty(ComplianceSnapshot.Compare(nonCompliant, unknown));
            var baseline = unknown.KeepKnownFrom(nonCompliant);
            Assert.Equal(unknown.TakenAt, baseline.TakenAt);
            Assert.Equal("NonCompliant", baseline.Rows.Single().Status);
            Assert.Equal(new[] { "alb-1" }, baseline.Rows.Single().Violations.Keys);

            // Evaluated again with one more violator: only the new one is a transition.
            var again = Reading(10, "NonCompliant", "alb-1", "alb-2");
            Assert.Equal(new[] { "ResourceNonCompliant alb-2" }, ComplianceSnapshot.Compare(baseline, again).Select(c => $"{c.Transition} {c.ResourceId}"));

            // Unknown from the start stays unreported until FMS has a result; a known row is never replaced.
            Assert.Empty(ComplianceSnapshot.Compare(Reading(0, "Unknown"), Reading(5, "Unknown")));
            Assert.Equal("Compliant", Reading(5, "Compliant").KeepKnownFrom(nonCompliant).Rows.Single().Status);
        }
    }
}
