using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Engine.Administration;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Cmdlets;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Long operations report Write-Progress (steps, a percentage when the total is known, one Completed record at
    /// the end, all on the pipeline thread); -Verbose names every AWS call without secrets.
    /// </summary>
    public sealed class ProgressAndVerboseTests : IClassFixture<SandboxCmdletFixture>, IDisposable
    {
        private readonly SandboxCmdletFixture _sandbox;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fms-progress-" + Guid.NewGuid().ToString("N"));

        public ProgressAndVerboseTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        /// <summary>The records of one activity: processing records, then exactly one Completed record, last.</summary>
        private static List<FmsProgress> AssertActivity(RecordingCommandHost host, int activityId)
        {
            var records = host.Progress.Where(p => p.ActivityId == activityId).ToList();
            Assert.True(records.Count >= 2, $"expected progress and a Completed record for activity {activityId}, got {records.Count} record(s)");
            Assert.True(records.Last().Completed, "the last progress record must be Completed");
            Assert.Single(records, r => r.Completed);
            var percents = records.Where(r => !r.Completed && r.PercentComplete >= 0).Select(r => r.PercentComplete).ToList();
            Assert.Equal(percents.OrderBy(p => p), percents);
            return records.Where(r => !r.Completed).ToList();
        }

        [Fact]
        public void Get_FmsPolicy_Detailed_reports_a_step_for_every_policy_it_reads()
        {
            var host = _sandbox.Run(new GetFmsPolicy { DetailedFlag = true });
            var policies = host.OutputOf<FmsPolicy>().ToList();
            Assert.True(policies.Count >= 3);

            var records = AssertActivity(host, ProgressActivity.ReadPolicies);
            var steps = records.Where(r => r.StatusDescription.EndsWith(" policies", StringComparison.Ordinal) && r.CurrentOperation != null).ToList();
            Assert.Equal(policies.Select(p => p.Name), steps.Select(s => s.CurrentOperation));
            Assert.Equal($"{policies.Count} policies", steps.Last().StatusDescription);
        }

        [Fact]
        public void Get_FmsPolicy_by_id_reports_a_percentage()
        {
            var ids = _sandbox.Run(new GetFmsPolicy()).OutputOf<FmsPolicy>().Take(2).Select(p => p.PolicyId!).ToArray();
            var host = _sandbox.Run(new GetFmsPolicy { PolicyId = ids });

            var records = AssertActivity(host, ProgressActivity.ReadPolicies);
            Assert.Equal(new[] { 50, 100 }, records.Select(r => r.PercentComplete));
            Assert.Equal("2 of 2 policies", records.Last().StatusDescription);
        }

        [Fact]
        public void Export_FmsPolicy_reports_each_file_and_completes_when_the_pipeline_ends()
        {
            var summaries = _sandbox.Run(new GetFmsPolicy()).OutputOf<FmsPolicy>().ToList();
            var host = CmdletRunner.RunPipeline(_sandbox.Connect(new ExportFmsPolicy { Path = _folder }), summaries, (c, p) => c.InputObject = p);

            var written = host.OutputOf<PolicyFileInfo>().Select(f => f.FullName).ToList();
            Assert.Equal(summaries.Count, written.Count);
            var records = AssertActivity(host, ProgressActivity.ExportPolicies);
            Assert.Equal(written, records.Select(r => r.CurrentOperation));
        }

        [Fact]
        public void Sync_FmsPolicy_reports_its_phases_and_a_step_per_planned_action()
        {
            using var sandbox = new FmsTools.Tests.PolicyCmdlets.PolicySandbox();
            var deployed = sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).OutputOf<FmsPolicy>().ToList();
            CmdletRunner.RunPipeline(sandbox.Connect(new ExportFmsPolicy { Path = _folder }), deployed, (c, p) => c.InputObject = p);

            var host = sandbox.RunClean(new SyncFmsPolicy { Path = new[] { _folder } }, new RecordingCommandHost { WhatIf = true });
            var results = host.OutputOf<PolicySyncResult>().ToList();
            Assert.Equal(deployed.Count, results.Count);

            var records = AssertActivity(host, ProgressActivity.SyncPolicies);
            Assert.Contains(records, r => r.StatusDescription.Contains("reading the deployed policies"));
            var steps = records.Where(r => r.PercentComplete >= 0).ToList();
            Assert.Equal(results.Count, steps.Count);
            Assert.Equal(100, steps.Last().PercentComplete);
        }

        [Fact]
        public void Sync_FmsPolicy_completes_its_progress_even_when_it_aborts()
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllText(Path.Combine(_folder, "broken.fmspolicy.json"), "{ not json");
            var host = new RecordingCommandHost();
            Assert.Throws<TerminatingErrorException>(() => _sandbox.Run(new SyncFmsPolicy { Path = new[] { _folder } }, host));
            var records = host.Progress.Where(p => p.ActivityId == ProgressActivity.SyncPolicies).ToList();
            Assert.True(records.Last().Completed);
        }

        [Fact]
        public void Add_FmsResourceSetResource_reports_every_resource_of_the_batch()
        {
            var set = _sandbox.Run(new SetFmsResourceSet { Name = "progress-vpcs", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .OutputOf<FmsResourceSet>().Single();
            var arns = Enumerable.Range(1, 5).Select(i => $"arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcde{i:x2}").ToArray();
            var host = _sandbox.Run(new AddFmsResourceSetResource { ResourceSetId = set.Id, Uri = arns });

            Assert.Equal(5, host.OutputOf<FmsResourceSetChange>().Count() + host.Errors.Count);
            var records = AssertActivity(host, ProgressActivity.ResourceSetResources);
            Assert.Equal(arns.OrderBy(a => a), records.Select(r => r.CurrentOperation!).OrderBy(a => a));
            Assert.Equal(100, records.Last().PercentComplete);
        }

        [Fact]
        public void Start_FmsSandbox_reports_while_it_generates_the_organization()
        {
            var host = CmdletRunner.Run(new StartFmsSandbox { AccountCount = 40 });
            var sandbox = host.OutputOf<SandboxHost>().Single();
            try
            {
                var records = AssertActivity(host, ProgressActivity.StartSandbox);
                Assert.Contains(records, r => r.StatusDescription.Contains("Generating 40 accounts"));
            }
            finally
            {
                SandboxSessions.Stop(sandbox);
            }
        }

        [Fact]
        public void Every_AWS_call_is_one_verbose_line_with_operation_account_region_request_id_and_retries_and_no_secrets()
        {
            _sandbox.Host.Faults.Add(new FaultRule { Operation = "ListPolicies", Kind = FaultKind.Throttling, Count = 1 });
            var host = _sandbox.Run(new GetFmsPolicy());
            Assert.NotEmpty(host.OutputOf<FmsPolicy>());

            var line = Assert.Single(host.Verbose, v => v.Contains("ListPolicies"));
            Assert.Matches(@"^AWS \S*ListPolicies account \S+ region us-east-1 at http://127\.0\.0\.1:\d+/?: HTTP 200 in \d+ ms, request id [0-9a-f-]{8,}, 1 retry$", line);
            foreach (var text in host.Verbose.Concat(host.Debug).Concat(host.Warnings))
            {
                Assert.DoesNotContain(_sandbox.Host.SecretAccessKey, text);
                Assert.DoesNotContain(_sandbox.Host.ManagementSecretAccessKey, text);
            }
        }

        [Fact]
        public void Scans_on_parallel_threads_like_thread_jobs_keep_their_output_progress_and_verbose_lines_apart()
        {
            // Start-ThreadJob runs each job on its own thread and runspace in this process: nothing may be thread-affine
            // or shared between the two commands' streams.
            // Each host is made on its job's thread: that thread is its pipeline thread.
            var hosts = new RecordingCommandHost[2];
            var threads = Enumerable.Range(0, hosts.Length).Select(i => new System.Threading.Thread(() =>
            {
                hosts[i] = new RecordingCommandHost();
                _sandbox.Run(new GetFmsPolicy { DetailedFlag = true }, hosts[i]);
            })).ToList();
            threads.ForEach(t => t.Start());
            Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a scan did not finish"));

            var expected = _sandbox.Run(new GetFmsPolicy()).OutputOf<FmsPolicy>().Select(p => p.PolicyId).OrderBy(i => i).ToList();
            foreach (var host in hosts)
            {
                Assert.Equal(expected, host.OutputOf<FmsPolicy>().Select(p => p.PolicyId).OrderBy(i => i));
                Assert.Single(host.Verbose, v => v.Contains("ListPolicies"));
                Assert.Equal(expected.Count, host.Verbose.Count(v => v.Contains(".GetPolicy ")));
                AssertActivity(host, ProgressActivity.ReadPolicies);
            }
        }

        [Fact]
        public void Calls_in_member_accounts_name_the_account_on_their_verbose_line()
        {
            var line = CallReporterLine(accountId: "123456789012");
            Assert.Contains("account 123456789012", line);
            Assert.Contains("region eu-west-1", line);
            Assert.EndsWith(", 2 retries", line);
        }

        private static string CallReporterLine(string accountId)
            => FmsTools.Engine.Connection.CallReporterRelay.Describe(new FmsTools.Aws.Runtime.AwsCallRecord(
                "FMS", "GetComplianceDetail", "eu-west-1", accountId, "0f6e2d1c-aaaa-bbbb-cccc-0123456789ab", 3, 200, TimeSpan.FromMilliseconds(42), null));
    }
}
