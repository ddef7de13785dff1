using System;
using System.IO;
using System.Linq;
using FmsTools.Engine.History;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// What Watch-FmsCompliance reports between two readings, on the engine type it uses (ComplianceSnapshot): transitions in
    /// both directions, through the snapshot file -Once keeps between runs, and accounts briefly Unknown.
    /// </summary>
    public class ComplianceSnapshotTests
    {
        private const string AlbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private static readonly DateTime T0 = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);

        private static ComplianceSnapshotViolation WebAcl() => new ComplianceSnapshotViolation { ResourceType = AlbType, Reason = "RESOURCE_MISSING_WEB_ACL" };

        [Fact]
        public void Compare_reports_accounts_and_resources_that_became_non_compliant_and_compliant_again()
        {
            var compliant = new ComplianceSnapshot { TakenAt = T0 };
            compliant.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = "Compliant" });
            compliant.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "222222222222", Status = "NonCompliant",
                Violations = { ["alb-1"] = WebAcl() } });

            var worse = new ComplianceSnapshot { TakenAt = T0.AddMinutes(5) };
            worse.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = "NonCompliant",
                Violations = { ["alb-9"] = WebAcl() } });
            worse.Rows.Add(new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "222222222222", Status = "NonCompliant",
                Violations = { ["alb-1"] = WebAcl(), ["alb-2"] = WebAcl() } });

            // Through the file format, as -Once does between runs.
            var file = Path.Combine(Path.GetTempPath(), "fmstools-snapshot-tests", Guid.NewGuid().ToString("N"), "s.json");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                compliant.Save(file);
                var changes = ComplianceSnapshot.Compare(ComplianceSnapshot.Load(file)!, worse);
                Assert.Equal(new[] { "AccountNonCompliant 111111111111 ", "ResourceNonCompliant 111111111111 alb-9", "ResourceNonCompliant 222222222222 alb-2" },
                    changes.Select(c => $"{c.Transition} {c.AccountId} {c.ResourceId}"));
                Assert.All(changes, c => Assert.Equal((T0, T0.AddMinutes(5)), (c.PreviousTime, c.Time)));
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            }

            var back = ComplianceSnapshot.Compare(worse, compliant);
            Assert.Equal(new[] { "AccountCompliant 111111111111 ", "ResourceCompliant 111111111111 alb-9", "ResourceCompliant 222222222222 alb-2" },
                back.Select(c => $"{c.Transition} {c.AccountId} {c.ResourceId}"));
            Assert.Empty(ComplianceSnapshot.Compare(worse, worse));
        }

        [Fact]
        public void An_account_briefly_unknown_is_no_transition_and_keeps_its_last_known_standing()
        {
            ComplianceSnapshot Reading(int minutes, string status, params string[] violations)
            {
                var snapshot = new ComplianceSnapshot { TakenAt = T0.AddMinutes(minutes) };
                var row = new ComplianceSnapshotRow { PolicyId = "p1", PolicyName = "web", Region = "us-east-1", AccountId = "111111111111", Status = status };
                foreach (var v in violations) row.Violations[v] = WebAcl();
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
