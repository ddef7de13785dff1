using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Long operations report Write-Progress (steps, a percentage when the total is known, one Completed record at
    /// the end); -Verbose names every AWS call without secrets. In a real runspace, which takes progress and messages
    /// from the pipeline thread only.
    /// </summary>
    public sealed class ProgressAndVerboseTests : IClassFixture<DemoRunspace>
    {
        private readonly SandboxRunspace _env;

        public ProgressAndVerboseTests(DemoRunspace fixture) { _env = fixture.Env; }

        /// <summary>The records of one activity: processing records, then exactly one Completed record, last.</summary>
        private static List<ProgressRecord> AssertActivity(PowerShellResult result, int activityId)
        {
            var records = result.Progress.Where(p => p.ActivityId == activityId).ToList();
            Assert.True(records.Count >= 2, $"expected progress and a Completed record for activity {activityId}, got {records.Count} record(s)");
            Assert.True(records.Last().RecordType == ProgressRecordType.Completed, "the last progress record must be Completed");
            Assert.Single(records, r => r.RecordType == ProgressRecordType.Completed);
            var processing = records.Where(r => r.RecordType != ProgressRecordType.Completed).ToList();
            var percents = processing.Where(r => r.PercentComplete >= 0).Select(r => r.PercentComplete).ToList();
            Assert.Equal(percents.OrderBy(p => p), percents);
            return processing;
        }

        [Fact]
        public void Get_FmsPolicy_Detailed_reports_a_step_for_every_policy_it_reads()
        {
            var result = _env.Run("Get-FmsPolicy -Detailed").ShouldSucceed();
            var policies = result.OutputOf<FmsPolicy>().ToList();
            Assert.True(policies.Count >= 3);

            var records = AssertActivity(result, ProgressActivity.ReadPolicies);
            var steps = records.Where(r => r.StatusDescription.EndsWith(" policies", StringComparison.Ordinal) && r.CurrentOperation != null).ToList();
            Assert.Equal(policies.Select(p => p.Name), steps.Select(s => s.CurrentOperation));
            Assert.Equal($"{policies.Count} policies", steps.Last().StatusDescription);
        }

        [Fact]
        public void Get_FmsPolicy_by_id_reports_a_percentage()
        {
            _env.Run("$ids = (Get-FmsPolicy | Select-Object -First 2).PolicyId").ShouldSucceed();
            var result = _env.Run("Get-FmsPolicy -PolicyId $ids").ShouldSucceed();

            var records = AssertActivity(result, ProgressActivity.ReadPolicies);
            Assert.Equal(new[] { 50, 100 }, records.Select(r => r.PercentComplete));
            Assert.Equal("2 of 2 policies", records.Last().StatusDescription);
        }

        [Fact]
        public void Export_FmsPolicy_reports_each_file_and_completes_when_the_pipeline_ends()
        {
            var summaries = _env.Run("Get-FmsPolicy").ShouldSucceed().OutputOf<FmsPolicy>().ToList();
            var result = _env.Run("Get-FmsPolicy | Export-FmsPolicy -Path (Join-Path $dir export)").ShouldSucceed();

            var written = result.OutputOf<PolicyFileInfo>().Select(f => f.FullName).ToList();
            Assert.Equal(summaries.Count, written.Count);
            var records = AssertActivity(result, ProgressActivity.ExportPolicies);
            Assert.Equal(written, records.Select(r => r.CurrentOperation));
        }

        [Fact]
        public void Sync_FmsPolicy_reports_its_phases_and_a_step_per_planned_action()
        {
            var exported = _env.Run("Get-FmsPolicy -Detailed | Export-FmsPolicy -Path (Join-Path $dir sync)").ShouldSucceed().OutputOf<PolicyFileInfo>().Count();
            var result = _env.Run("Sync-FmsPolicy -Path (Join-Path $dir sync) -WhatIf").ShouldSucceed();
            var results = result.OutputOf<PolicySyncResult>().ToList();
            Assert.Equal(exported, results.Count);

            var records = AssertActivity(result, ProgressActivity.SyncPolicies);
            Assert.Contains(records, r => r.StatusDescription.Contains("reading the deployed policies"));
            var steps = records.Where(r => r.PercentComplete >= 0).ToList();
            Assert.Equal(results.Count, steps.Count);
            Assert.Equal(100, steps.Last().PercentComplete);
        }

        [Fact]
        public void Sync_FmsPolicy_completes_its_progress_even_when_it_aborts()
        {
            var result = _env.Run("$broken = New-Item -ItemType Directory (Join-Path $dir broken) -Force; "
                                  + "Set-Content (Join-Path $broken broken.fmspolicy.json) '{ not json'; Sync-FmsPolicy -Path $broken");
            Assert.NotNull(result.Terminating);
            var records = result.Progress.Where(p => p.ActivityId == ProgressActivity.SyncPolicies).ToList();
            Assert.NotEmpty(records);
            Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
        }

        [Fact]
        public void Add_FmsResourceSetResource_reports_every_resource_of_the_batch()
        {
            var arns = Enumerable.Range(1, 5).Select(i => $"arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcde{i:x2}").ToArray();
            var result = _env.Run("$set = Set-FmsResourceSet -Name progress-vpcs -ResourceType AWS::EC2::VPC -PassThru; "
                                  + "$set | Add-FmsResourceSetResource -Uri " + string.Join(", ", arns));

            Assert.Equal(5, result.OutputOf<FmsResourceSetChange>().Count() + result.Errors.Count);
            var records = AssertActivity(result, ProgressActivity.ResourceSetResources);
            Assert.Equal(arns.OrderBy(a => a), records.Select(r => r.CurrentOperation).OrderBy(a => a));
            Assert.Equal(100, records.Last().PercentComplete);
        }

        [Fact]
        public void Start_FmsSandbox_reports_while_it_generates_the_organization()
        {
            var result = _env.Run("$started = Start-FmsSandbox -AccountCount 40; $started");
            try
            {
                result.ShouldSucceed();
                Assert.Single(result.OutputOf<SandboxHost>());
                var records = AssertActivity(result, ProgressActivity.StartSandbox);
                Assert.Contains(records, r => r.StatusDescription.Contains("Generating 40 accounts"));
            }
            finally
            {
                _env.Run("$started | Stop-FmsSandbox -Confirm:$false").ShouldSucceed();
            }
        }

        [Fact]
        public void Every_AWS_call_is_one_verbose_line_with_operation_account_region_request_id_and_retries_and_no_secrets()
        {
            _env.Sandbox.Faults.Add(new FaultRule { Operation = "ListPolicies", Kind = FaultKind.Throttling, Count = 1 });
            // Connection parameters on the call itself: the secret key passed on the command line is never echoed either.
            var result = _env.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; "
                                  + "$call = @{ EndpointUrl = $sandbox.Endpoint; AccessKey = $sandbox.AccessKeyId; SecretKey = $sandbox.SecretAccessKey; Region = $sandbox.Region }; "
                                  + "Get-FmsPolicy @call; Get-FmsAdminAccount @call").ShouldSucceed();
            Assert.NotEmpty(result.OutputOf<FmsPolicy>());

            var line = Assert.Single(result.Verbose, v => v.Contains("ListPolicies"));
            Assert.Matches(@"^AWS \S*ListPolicies account \S+ region us-east-1 at http://127\.0\.0\.1:\d+/?: HTTP 200 in \d+ ms, request id [0-9a-f-]{8,}, 1 retry$", line);
            Assert.Matches(@"^AWS \S*GetAdminAccount account \S+ region us-east-1 at http://127\.0\.0\.1:\d+/?: HTTP 200 in \d+ ms, request id [0-9a-f-]{8,}$",
                Assert.Single(result.Verbose, v => v.Contains("GetAdminAccount")));
            foreach (var text in result.Verbose.Concat(result.Debug).Concat(result.Warnings))
            {
                Assert.DoesNotContain(_env.Sandbox.SecretAccessKey, text);
                Assert.DoesNotContain(_env.Sandbox.ManagementSecretAccessKey, text);
            }
        }

        [Fact]
        public async Task Scans_in_runspaces_on_parallel_threads_like_thread_jobs_keep_their_output_progress_and_verbose_lines_apart()
        {
            // Start-ThreadJob runs each job in a runspace of its own on its own thread in this process: nothing may be
            // thread-affine or shared between the two commands' streams.
            var sessions = Enumerable.Range(0, 2).Select(_ => new PowerShellSession()).ToList();
            try
            {
                foreach (var session in sessions)
                {
                    session.Set("sandbox", _env.Sandbox);
                    session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
                }
                var scans = await Task.WhenAll(sessions.Select(s => Task.Run(() => s.Run("$VerbosePreference = 'Continue'; Get-FmsPolicy -Detailed"))))
                    .WaitAsync(TimeSpan.FromSeconds(60));

                var expected = _env.Run("Get-FmsPolicy").ShouldSucceed().OutputOf<FmsPolicy>().Select(p => p.PolicyId).OrderBy(i => i).ToList();
                foreach (var scan in scans)
                {
                    var result = scan.ShouldSucceed();
                    Assert.Equal(expected, result.OutputOf<FmsPolicy>().Select(p => p.PolicyId).OrderBy(i => i));
                    Assert.Single(result.Verbose, v => v.Contains("ListPolicies"));
                    Assert.Equal(expected.Count, result.Verbose.Count(v => v.Contains(".GetPolicy ")));
                    AssertActivity(result, ProgressActivity.ReadPolicies);
                }
            }
            finally
            {
                sessions.ForEach(s => s.Dispose());
            }
        }

        [Fact]
        public void Calls_in_member_accounts_name_the_account_on_their_verbose_line()
        {
            var line = FmsTools.Engine.Connection.CallReporterRelay.Describe(new FmsTools.Aws.Runtime.AwsCallRecord(
                "FMS", "GetComplianceDetail", "eu-west-1", "123456789012", "0f6e2d1c-aaaa-bbbb-cccc-0123456789ab", 3, 200, TimeSpan.FromMilliseconds(42), null));
            Assert.Contains("account 123456789012", line);
            Assert.Contains("region eu-west-1", line);
            Assert.EndsWith(", 2 retries", line);
        }
    }
}
