using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using FmsTools.Engine.History;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Watch-FmsCompliance end to end in both directions, with its real parameters: the test changes the demo organization's
    /// resources through the sandbox's admin API (/_sandbox/resources), as an account's engineers would outside Firewall
    /// Manager, and the watch must report exactly the transitions those changes cause. The sandbox clock stands still, so no
    /// remediation interferes. While polling, each change is made from the watch's own streams (the "Baseline taken" verbose
    /// line, the transitions it writes), which PowerShell delivers on the pipeline thread: the change is in place before the
    /// watch's next reading, whatever the timing.
    /// </summary>
    public sealed class ComplianceWatchSandboxTests : IClassFixture<SandboxSessionFixture>
    {
        private const string Region = "us-east-1";
        private const string ProdData = DemoOrganization.ProdData;
        private const string Waf = DemoOrganization.WafPolicyName;
        private const string Shield = DemoOrganization.ShieldPolicyName;
        private const string SgBaseline = DemoOrganization.SecurityGroupCommonPolicyName;
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
        private readonly SandboxSessionFixture _fixture;
        private readonly SandboxAdminClient _admin;

        public ComplianceWatchSandboxTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            // Each test changes the organization: it starts from the untouched demo.
            _fixture.Renew();
            _admin = new SandboxAdminClient(_fixture.Sandbox);
        }

        private static string Line(FmsComplianceChange c) => $"{c.Transition} {c.PolicyName} {c.Region} {c.AccountId} {c.ResourceId} {c.Reason}".TrimEnd();

        private static string[] Lines(IEnumerable<FmsComplianceChange> changes) => changes.Select(Line).ToArray();

        private static string[] Lines(PowerShellResult result) => Lines(result.OutputOf<FmsComplianceChange>());

        private string[] Once(string path, string policies = "")
            => Lines(_fixture.Succeed($"Watch-FmsCompliance {policies} -Once -SnapshotPath '{path}'"));

        /// <summary>prod-data's us-east-1 load balancer: the demo has it behind demo-waf-baseline's FMS web ACL (compliant).</summary>
        private (string Arn, string WebAclArn) ProdDataLoadBalancer()
        {
            var alb = Assert.Single(_admin.Resources(ProdData, Region, AlbType));
            var webAcl = SandboxAdminClient.Text(alb, "webAclArn");
            Assert.StartsWith("arn:aws:wafv2:us-east-1:" + ProdData + ":regional/webacl/", webAcl);
            return (SandboxAdminClient.Text(alb, "arn"), webAcl);
        }

        /// <summary>A prod-data instance in us-east-1 and its primary interface's groups, one of which is demo-sg-baseline's replica.</summary>
        private (string InstanceId, string[] Groups, string Replica) ProdDataInstance()
        {
            var replica = Assert.Single(_admin.Resources(ProdData, Region, "AWS::EC2::SecurityGroup")
                .Where(g => SandboxAdminClient.Text(g, "fmsPolicyId") == DemoOrganization.PolicyId(SgBaseline, Region)).Select(g => SandboxAdminClient.Text(g, "id")));
            var interfaces = _admin.Resources(ProdData, Region, "AWS::EC2::NetworkInterface").ToDictionary(e => SandboxAdminClient.Text(e, "id"));
            var instance = _admin.Resources(ProdData, Region, "AWS::EC2::Instance").OrderBy(i => SandboxAdminClient.Text(i, "id"), StringComparer.Ordinal).First();
            var groups = SandboxAdminClient.Strings(interfaces[SandboxAdminClient.Strings(instance, "networkInterfaceIds")[0]], "securityGroupIds");
            Assert.Contains(replica, groups);
            return (SandboxAdminClient.Text(instance, "id"), groups, replica);
        }

        private string SnapshotPath() => Path.Combine(_fixture.NewFolder(), "snapshot.json");

        private string[] BrokeWaf(string alb) => new[]
        {
            $"AccountNonCompliant {Waf} {Region} {ProdData}",
            $"ResourceNonCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
        };

        private string[] FixedWaf(string alb) => new[]
        {
            $"AccountCompliant {Waf} {Region} {ProdData}",
            $"ResourceCompliant {Waf} {Region} {ProdData} {alb} RESOURCE_MISSING_WEB_ACL",
        };

        [Fact]
        public void Once_reports_the_account_and_load_balancer_a_web_acl_disassociation_broke_and_the_reassociation_fixed()
        {
            var path = SnapshotPath();
            var (alb, webAcl) = ProdDataLoadBalancer();

            // Every policy of the region: the change must show up under demo-waf-baseline and nowhere else.
            Assert.Empty(Once(path));

            Assert.Equal("", SandboxAdminClient.Text(_admin.SetWebAcl(alb, null), "webAclArn"));
            var broke = _fixture.Succeed($"Watch-FmsCompliance -Once -SnapshotPath '{path}'").OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(BrokeWaf(alb), Lines(broke));
            Assert.Equal(("Compliant", "NonCompliant"), (broke[0].PreviousStatus, broke[0].Status));
            Assert.Equal((AlbType, DemoOrganization.PolicyId(Waf, Region)), (broke[1].ResourceType, broke[1].PolicyId));

            _admin.SetWebAcl(alb, webAcl);
            var fixedAgain = _fixture.Succeed($"Watch-FmsCompliance -Once -SnapshotPath '{path}'").OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(FixedWaf(alb), Lines(fixedAgain));
            Assert.Equal(("NonCompliant", "Compliant"), (fixedAgain[0].PreviousStatus, fixedAgain[0].Status));

            Assert.Empty(Once(path));
        }

        [Fact]
        public void Once_reports_a_new_unprotected_load_balancer_under_each_policy_it_violates_and_its_deletion()
        {
            var path = SnapshotPath();
            Assert.Empty(Once(path));

            var arn = SandboxAdminClient.Text(_admin.AddLoadBalancer(ProdData, Region, "checkout-alb"), "arn");
            Assert.StartsWith($"arn:aws:elasticloadbalancing:{Region}:{ProdData}:loadbalancer/app/checkout-alb/", arn);
            // prod-data is in the Production OU: demo-waf-baseline (until now compliant there) wants a web ACL on it, and
            // demo-shield-advanced (already non-compliant there: its other resources are unprotected) a Shield protection.
            var appeared = _fixture.Succeed($"Watch-FmsCompliance -Once -SnapshotPath '{path}'").OutputOf<FmsComplianceChange>().ToList();
            Assert.Equal(new[]
            {
                $"ResourceNonCompliant {Shield} {Region} {ProdData} {arn} RESOURCE_MISSING_SHIELD_PROTECTION",
                $"AccountNonCompliant {Waf} {Region} {ProdData}",
                $"ResourceNonCompliant {Waf} {Region} {ProdData} {arn} RESOURCE_MISSING_WEB_ACL",
            }, Lines(appeared));
            Assert.Equal(("NonCompliant", "NonCompliant"), (appeared[0].PreviousStatus, appeared[0].Status));

            Assert.Equal(arn, SandboxAdminClient.Text(_admin.Delete(arn), "arn"));
            Assert.Equal(new[]
            {
                $"ResourceCompliant {Shield} {Region} {ProdData} {arn} RESOURCE_MISSING_SHIELD_PROTECTION",
                $"AccountCompliant {Waf} {Region} {ProdData}",
                $"ResourceCompliant {Waf} {Region} {ProdData} {arn} RESOURCE_MISSING_WEB_ACL",
            }, Once(path));
        }

        [Fact]
        public void Once_reports_a_vpc_a_tag_brought_into_a_policy_and_its_removal()
        {
            var path = SnapshotPath();
            const string policy = DemoOrganization.NetworkFirewallPolicyName;
            // prod-web is compliant with demo-network-firewall in us-east-1 (prod-data has a route violation since the demo got one there).
            const string account = DemoOrganization.ProdWeb;
            var vpc = SandboxAdminClient.Text(_admin.Send(HttpMethod.Post, "resources", new { type = "AWS::EC2::VPC", accountId = account, region = Region, name = "watch-vpc", cidrBlock = "10.98.0.0/16" }), "id");
            Assert.StartsWith("vpc-", vpc);
            Assert.Empty(Once(path, policy));

            // demo-network-firewall wants a firewall in every production VPC tagged network-inspection=required.
            var tagged = _admin.Send(HttpMethod.Post, "resources/tags", new { resource = vpc, tags = new Dictionary<string, string> { ["network-inspection"] = "required" } });
            Assert.Equal("required", tagged.GetProperty("tags").GetProperty("network-inspection").GetString());
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {policy} {Region} {account}",
                $"ResourceNonCompliant {policy} {Region} {account} {vpc} MISSING_FIREWALL",
            }, Once(path, policy));

            _admin.Send(HttpMethod.Post, "resources/tags", new { resource = vpc, removeKeys = new[] { "network-inspection" } });
            Assert.Equal(new[]
            {
                $"AccountCompliant {policy} {Region} {account}",
                $"ResourceCompliant {policy} {Region} {account} {vpc} MISSING_FIREWALL",
            }, Once(path, policy));
        }

        [Fact]
        public void Polling_reports_each_change_in_the_reading_after_it()
        {
            var (alb, _) = ProdDataLoadBalancer();
            var (instance, groups, replica) = ProdDataInstance();
            using var watch = new LiveInvocation(_fixture.Env.Session,
                $"$VerbosePreference = 'Continue'; Watch-FmsCompliance -PolicyName {Waf}, {SgBaseline} -Interval 1 -Count 4");
            // Before reading 1 an instance loses the policy's group, before reading 2 it gets it back, before reading 3 the
            // load balancer loses its web ACL; reading 4 has nothing new. Each reading's transitions are two objects.
            watch.OnVerbose(line =>
            {
                if (line.StartsWith("Baseline taken", StringComparison.Ordinal)) _admin.SetSecurityGroups(instance, groups.Where(g => g != replica));
            });
            watch.OnOutput((written, _) =>
            {
                if (written == 2) _admin.SetSecurityGroups(instance, groups);
                if (written == 4) _admin.SetWebAcl(alb, null);
            });
            var result = watch.Start().Finish(Bound).ShouldSucceed();

            var readings = result.OutputOf<FmsComplianceChange>().GroupBy(c => c.Time).ToList();
            Assert.Equal(new[]
            {
                $"AccountNonCompliant {SgBaseline} {Region} {ProdData}",
                $"ResourceNonCompliant {SgBaseline} {Region} {ProdData} {instance} RESOURCE_MISSING_SECURITY_GROUP",
            }, Lines(readings[0]));
            Assert.Equal(new[]
            {
                $"AccountCompliant {SgBaseline} {Region} {ProdData}",
                $"ResourceCompliant {SgBaseline} {Region} {ProdData} {instance} RESOURCE_MISSING_SECURITY_GROUP",
            }, Lines(readings[1]));
            Assert.Equal(BrokeWaf(alb), Lines(readings[2]));
            // Reading 4 saw no change: nothing more was written.
            Assert.Equal(3, readings.Count);
            Assert.Equal(6, result.Output.Count);
            // Each reading was compared with the one before it, taken an -Interval earlier.
            Assert.Equal(readings[0].Key, readings[1].First().PreviousTime);
            Assert.All(readings.SelectMany(r => r), c => Assert.True(c.Time - c.PreviousTime >= TimeSpan.FromSeconds(1), $"{c.Time:O} - {c.PreviousTime:O}"));
            Assert.All(readings.SelectMany(r => r), c => Assert.Equal(DateTimeKind.Utc, c.Time.Kind));
        }

        [Fact]
        public void Ctrl_C_ends_polling_cleanly_with_the_changes_seen_so_far_and_the_next_watch_resumes_from_the_snapshot_at_once()
        {
            var (alb, webAcl) = ProdDataLoadBalancer();
            var path = SnapshotPath();
            // A baseline saved by an earlier run: the watch compares its first reading with it at once, then waits five minutes.
            Assert.Empty(Once(path, Waf));
            _admin.SetWebAcl(alb, null);
            using var firstReadingWritten = new ManualResetEventSlim();
            using (var watch = new LiveInvocation(_fixture.Env.Session, $"Watch-FmsCompliance -PolicyName {Waf} -Interval 300 -SnapshotPath '{path}'"))
            {
                watch.OnOutput((written, _) =>
                {
                    if (written == 2) firstReadingWritten.Set();
                });
                watch.Start();
                Assert.True(firstReadingWritten.Wait(Bound), "The first reading wrote no transitions.");
                // The user presses Ctrl+C while the watch waits for its second reading.
                watch.Stop();
                var result = watch.Finish(Bound);
                Assert.IsType<PipelineStoppedException>(result.Terminating);
                Assert.Empty(result.Errors);
                Assert.Equal(BrokeWaf(alb), Lines(result));
            }
            var row = ComplianceSnapshot.Load(path)!.Rows.Single(r => r.AccountId == ProdData);
            Assert.Equal("NonCompliant", row.Status);
            Assert.Equal(new[] { alb }, row.Violations.Keys);

            // The next watch resumes from the reading saved before Ctrl+C: -Count 1 ends long before an -Interval.
            _admin.SetWebAcl(alb, webAcl);
            using var resumed = new LiveInvocation(_fixture.Env.Session, $"Watch-FmsCompliance -PolicyName {Waf} -Interval 300 -Count 1 -SnapshotPath '{path}'");
            Assert.Equal(FixedWaf(alb), Lines(resumed.Start().Finish(Bound).ShouldSucceed()));
        }

        [Fact]
        public void Ctrl_C_during_a_reading_ends_the_watch_cleanly_with_the_changes_already_written()
        {
            var (alb, webAcl) = ProdDataLoadBalancer();
            var path = SnapshotPath();
            // The second reading's ListComplianceStatus is held ten seconds at the sandbox: Ctrl+C comes while it is in flight.
            var held = new FaultRule { Operation = "ListComplianceStatus", Kind = FaultKind.Latency, LatencyMs = 10_000, Count = 1 };
            using var firstReadingWritten = new ManualResetEventSlim();
            using var watch = new LiveInvocation(_fixture.Env.Session,
                $"$VerbosePreference = 'Continue'; Watch-FmsCompliance -PolicyName {Waf} -Interval 1 -SnapshotPath '{path}'");
            watch.OnVerbose(line =>
            {
                if (line.StartsWith("Baseline taken", StringComparison.Ordinal)) _admin.SetWebAcl(alb, null);
            });
            watch.OnOutput((written, _) =>
            {
                if (written != 2) return;
                // Reading 2 would see the account fixed again, were it not cut short.
                _admin.SetWebAcl(alb, webAcl);
                _fixture.Sandbox.Faults.Add(held);
                firstReadingWritten.Set();
            });
            watch.Start();
            Assert.True(firstReadingWritten.Wait(Bound), "The first reading wrote no transitions.");
            // The sandbox takes the rule off its table when the held request arrives.
            var deadline = DateTime.UtcNow + Bound;
            while (_fixture.Sandbox.Faults.Rules.Contains(held) && DateTime.UtcNow < deadline && !watch.IsCompleted) Thread.Yield();
            Assert.DoesNotContain(held, _fixture.Sandbox.Faults.Rules);

            watch.Stop();
            var result = watch.Finish(Bound);
            Assert.IsType<PipelineStoppedException>(result.Terminating);
            Assert.Empty(result.Errors);
            // Reading 1 was written; reading 2 was cut short and neither written nor saved.
            Assert.Equal(BrokeWaf(alb), Lines(result));
            Assert.Equal("NonCompliant", ComplianceSnapshot.Load(path)!.Rows.Single(r => r.AccountId == ProdData).Status);
        }

        [Fact]
        public void A_failed_reading_is_reported_and_skipped_and_the_next_one_is_compared_with_the_last_good_one()
        {
            var (alb, _) = ProdDataLoadBalancer();
            using var watch = new LiveInvocation(_fixture.Env.Session, $"$VerbosePreference = 'Continue'; Watch-FmsCompliance -PolicyName {Waf} -Interval 1 -Count 2");
            watch.OnVerbose(line =>
            {
                if (!line.StartsWith("Baseline taken", StringComparison.Ordinal)) return;
                // The account breaks, but Firewall Manager fails the reading that would see it.
                _admin.SetWebAcl(alb, null);
                _fixture.Sandbox.Faults.Add(new FaultRule { Operation = "ListComplianceStatus", Kind = FaultKind.InternalErrorException, Count = 1 });
            });
            var result = watch.Start().Finish(Bound);

            result.ShouldReportOne("InternalErrorException");
            Assert.Equal(BrokeWaf(alb), Lines(result));
        }

        [Fact]
        public void Admin_api_refuses_changes_that_make_no_sense_and_changes_nothing()
        {
            var (alb, _) = ProdDataLoadBalancer();
            var version = JsonSerializer.Serialize(_admin.Resources(ProdData, Region, AlbType));
            var vpc = SandboxAdminClient.Text(_admin.Resources(ProdData, Region, "AWS::EC2::VPC").First(), "id");

            string Error(JsonElement e) => SandboxAdminClient.Text(e, "error");
            Assert.Contains("No web ACL", Error(_admin.Send(HttpMethod.Post, "resources/webacl", new { resource = alb, webAclArn = "arn:aws:wafv2:us-east-1:" + ProdData + ":regional/webacl/none/00000000-0000-4000-8000-000000000000" }, 400)));
            Assert.Contains("No resource", Error(_admin.Send(HttpMethod.Post, "resources/tags", new { resource = "vpc-0doesnotexist0000", tags = new { a = "b" } }, 400)));
            Assert.Contains("still used by", Error(_admin.Send(HttpMethod.Delete, "resources?resource=" + vpc, null, 400)));
            Assert.Contains("No account", Error(_admin.Send(HttpMethod.Post, "resources", new { type = AlbType, accountId = "999999999999", region = Region }, 400)));
            Assert.Contains("creates", Error(_admin.Send(HttpMethod.Post, "resources", new { type = "AWS::EC2::Instance", accountId = ProdData, region = Region }, 400)));
            Assert.Equal(version, JsonSerializer.Serialize(_admin.Resources(ProdData, Region, AlbType)));
        }
    }
}
