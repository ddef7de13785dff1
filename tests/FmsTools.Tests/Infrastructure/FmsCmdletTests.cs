using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// The mechanics every FmsTools cmdlet shares (FmsCmdlet and its pipeline pump), in a real runspace where PowerShell
    /// enforces its rules (only the pipeline thread may write; Select-Object -First and Stop() end a pipeline): engine work
    /// runs on the thread pool while the pipeline thread writes what it produces, in order and as it comes, with a bounded
    /// queue; a consumer that stops, or Ctrl+C, cancels the work and the command waits for it to end; what the work throws
    /// becomes the right ErrorRecord. Driven through small cmdlets of this test assembly (imported into the runspace as a
    /// module of their own; the module ships nothing for tests) that use only what every FmsTools cmdlet uses: StreamOutput,
    /// Await, the reporter the engine writes progress and messages to, and the connection a command resolves on first use.
    /// </summary>
    public sealed class FmsCmdletTests : IClassFixture<PumpTestSession>
    {
        private readonly PowerShellSession _session;
        private readonly PumpProbe _probe = new PumpProbe();

        public FmsCmdletTests(PumpTestSession session)
        {
            _session = session.Session;
            _session.Set("probe", _probe);
        }

        [Fact]
        public void Streamed_items_are_written_in_order_with_their_progress_and_verbose_lines()
        {
            // PowerShell refuses a write from any thread but the pipeline thread: every item, record and line got through.
            var result = _session.Run("$VerbosePreference = 'Continue'; Test-PumpStream -Count 2000 -Probe $probe").ShouldSucceed();
            Assert.Equal(Enumerable.Range(0, 2000), result.OutputOf<int>());
            Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"item {i}"), result.Verbose);
            Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"{i} of 2000"), result.Progress.Select(p => p.StatusDescription));
            Assert.NotEqual(_probe.PipelineThread, _probe.WorkerThread);
        }

        [Fact]
        public void Items_are_written_before_the_sequence_ends()
        {
            // The producer waits after the first item until the next command in the pipeline has received it: if the pump
            // buffered the sequence, the item would never arrive and the producer would give up with an error.
            var result = _session.Run("Test-PumpStream -Count 3 -Probe $probe -WaitAfterFirst | ForEach-Object { if ($_ -eq 0) { $null = $probe.Gate.Release() }; $_ }");
            result.ShouldSucceed();
            Assert.Equal(new[] { 0, 1, 2 }, result.OutputOf<int>());
        }

        [Fact]
        public void A_consumer_that_stops_the_pipeline_cancels_the_producer_which_ends_before_the_command_does()
        {
            var result = _session.Run("Test-PumpStream -Count 100000 -Probe $probe -CleanupMilliseconds 300 | Select-Object -First 5").ShouldSucceed();
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, result.OutputOf<int>());
            // The bounded queue means the producer cannot have run far ahead of the consumer.
            Assert.True(_probe.Produced < 5 + 600, $"producer ran ahead: {_probe.Produced}");
            // And the command returns only once its engine work has ended (its cleanup included): nothing keeps running behind it.
            Assert.True(_probe.ProducerEnded, "the producer was still running when the command returned");
            // The runspace goes on as usual.
            Assert.Equal(new[] { 0, 1 }, _session.Run("Test-PumpStream -Count 2 -Probe $probe").ShouldSucceed().OutputOf<int>());
        }

        [Fact]
        public void Work_on_the_thread_pool_reaches_the_host_through_the_pipeline_thread()
        {
            // Resolving the connection on first use, inside the work, reads the session's Connect-Fms defaults and writes a
            // Verbose line; the work also warns. PowerShell would refuse either from the worker thread.
            _session.Run("$null = Connect-Fms -EndpointUrl http://127.0.0.1:9 -AccessKey AKIAPUMPTEST0000001 -SecretKey pump-secret -Region eu-west-3 -SkipValidation")
                .ShouldSucceed();
            var result = _session.Run("$VerbosePreference = 'Continue'; Test-PumpWorker -Probe $probe").ShouldSucceed();
            Assert.Equal(new[] { "eu-west-3" }, result.OutputOf<string>());
            Assert.Equal(new[] { "a warning from the worker" }, result.Warnings);
            Assert.Contains(result.Verbose, v => v.StartsWith("Connection: ", StringComparison.Ordinal) && v.Contains("http://127.0.0.1:9"));
            Assert.NotEqual(_probe.PipelineThread, _probe.WorkerThread);
        }

        public static TheoryData<string, string, ErrorCategory, string> Failures => new TheoryData<string, string, ErrorCategory, string>
        {
            // The engine's terminating error, raised on the thread pool, keeps its id, category and message.
            { "Engine", "PolicyValidationFailed", ErrorCategory.InvalidData, "Settings.x: rule" },
            // A service error: the AWS error code, its category and the request id.
            { "Service", "ResourceNotFoundException", ErrorCategory.ObjectNotFound, "No policy p-1 (request id req-123)" },
        };

        [Theory]
        [MemberData(nameof(Failures))]
        public void What_the_work_throws_stops_the_command_with_the_right_error_record(string kind, string errorId, ErrorCategory category, string message)
        {
            var result = _session.Run($"Test-PumpFailure -Kind {kind} -Probe $probe; 'not reached'");
            Assert.NotNull(result.Terminating);
            Assert.Empty(result.Output);
            Assert.Equal(errorId + "," + typeof(TestPumpFailureCommand).FullName, result.Error.FullyQualifiedErrorId);
            Assert.Equal(category, result.Error.CategoryInfo.Category);
            Assert.Equal(message, result.Error.Message());
            Assert.NotEqual(_probe.PipelineThread, _probe.WorkerThread);
        }

        [Fact]
        public async Task Stop_cancels_the_call_in_flight_and_the_command_ends_quietly()
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _session.Runspace;
            ps.AddScript("Test-PumpBlock -Probe $probe");
            var invocation = ps.BeginInvoke();
            await _probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            ps.Stop();
            Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the command did not end after Stop()");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.True(_probe.ObservedCancellation, "the call in flight was not cancelled");
            Assert.Empty(ps.Streams.Error);
        }

        [Theory]
        [InlineData("ThrottlingException", FmsErrorCategory.ResourceBusy)]
        [InlineData("InvalidInputException", FmsErrorCategory.InvalidArgument)]
        [InlineData("LimitExceededException", FmsErrorCategory.LimitsExceeded)]
        [InlineData("AccessDeniedException", FmsErrorCategory.PermissionDenied)]
        [InlineData("InternalErrorException", FmsErrorCategory.ResourceUnavailable)]
        [InlineData("InvalidTypeException", FmsErrorCategory.InvalidType)]
        public void Aws_error_codes_map_to_powershell_categories(string code, FmsErrorCategory expected)
        {
            var e = new AwsServiceException(code, "m", System.Net.HttpStatusCode.BadRequest, null);
            Assert.Equal(expected, ErrorMapper.CategoryOf(e));
        }

        [Fact]
        public void Our_error_categories_have_the_names_and_values_of_powershell_categories()
        {
            foreach (FmsErrorCategory c in Enum.GetValues(typeof(FmsErrorCategory)))
            {
                Assert.True(Enum.TryParse(c.ToString(), out ErrorCategory mapped), $"{c} is not a PowerShell ErrorCategory");
                Assert.Equal((int)c, (int)mapped);
            }
        }
    }

    /// <summary>A runspace with FmsTools and this assembly's test cmdlets imported, shared by the tests of a class.</summary>
    public sealed class PumpTestSession : IDisposable
    {
        public PumpTestSession()
        {
            Session = new PowerShellSession();
            Session.Set("testCmdlets", typeof(TestPumpStreamCommand).Assembly);
            Session.Run("Import-Module -Assembly $testCmdlets -WarningAction Ignore").ShouldSucceed();
        }

        public PowerShellSession Session { get; }

        public void Dispose() => Session.Dispose();
    }

    /// <summary>What a test cmdlet's work did, for the test that ran it (handed to the cmdlet as -Probe).</summary>
    public sealed class PumpProbe
    {
        private int _produced;

        public int Produced => Volatile.Read(ref _produced);
        public volatile bool ObservedCancellation;
        public volatile bool ProducerEnded;
        public volatile int PipelineThread;
        public volatile int WorkerThread;

        /// <summary>Opened by the test's pipeline once it has received the first item.</summary>
        public SemaphoreSlim Gate { get; } = new SemaphoreSlim(0);

        /// <summary>Set once the work is in flight.</summary>
        public TaskCompletionSource<bool> Started { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        internal void Count() => Interlocked.Increment(ref _produced);
    }

    /// <summary>Streams 0..Count-1 from the thread pool, with a progress record and a verbose line per item.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PumpStream")]
    public sealed class TestPumpStreamCommand : FmsCmdlet
    {
        [Parameter(Mandatory = true)]
        public int Count { get; set; }

        [Parameter(Mandatory = true)]
        public PumpProbe Probe { get; set; } = null!;

        /// <summary>After the first item, wait (30 s at most) until the test's pipeline has received it.</summary>
        [Parameter]
        public SwitchParameter WaitAfterFirst { get; set; }

        /// <summary>Work the producer still does after it is cancelled (closing connections, say) before it ends.</summary>
        [Parameter]
        public int CleanupMilliseconds { get; set; }

        protected override void ProcessCore()
        {
            Probe.PipelineThread = Environment.CurrentManagedThreadId;
            StreamOutput((reporter, ct) => Produce(reporter, ct));
        }

        private async IAsyncEnumerable<int> Produce(IOperationReporter reporter, [EnumeratorCancellation] CancellationToken ct)
        {
            try
            {
                for (var i = 0; i < Count; i++)
                {
                    try
                    {
                        await Task.Yield();
                        ct.ThrowIfCancellationRequested();
                    }
                    catch (OperationCanceledException)
                    {
                        Probe.ObservedCancellation = true;
                        throw;
                    }
                    Probe.WorkerThread = Environment.CurrentManagedThreadId;
                    reporter.Progress(new FmsProgress(1, "Counting", $"{i} of {Count}") { PercentComplete = i * 100 / Count });
                    reporter.Verbose($"item {i}");
                    Probe.Count();
                    yield return i;
                    if (i == 0 && WaitAfterFirst && !await Probe.Gate.WaitAsync(TimeSpan.FromSeconds(30), ct))
                        throw new InvalidOperationException("The first item did not reach the pipeline before the sequence went on.");
                }
            }
            finally
            {
                if (CleanupMilliseconds > 0) await Task.Delay(CleanupMilliseconds).ConfigureAwait(false);
                Probe.ProducerEnded = true;
            }
        }
    }

    /// <summary>Resolves its connection inside work on the thread pool, warns from there, and writes the connection's Region.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PumpWorker")]
    public sealed class TestPumpWorkerCommand : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true)]
        public PumpProbe Probe { get; set; } = null!;

        protected override void ProcessCore()
        {
            Probe.PipelineThread = Environment.CurrentManagedThreadId;
            WriteObject(Await(async (reporter, ct) =>
            {
                await Task.Yield();
                Probe.WorkerThread = Environment.CurrentManagedThreadId;
                reporter.Warning("a warning from the worker");
                return Session.Region;
            }));
        }
    }

    /// <summary>Work on the thread pool that fails: with the engine's terminating error, or with an AWS service error.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PumpFailure")]
    public sealed class TestPumpFailureCommand : FmsCmdlet
    {
        [Parameter(Mandatory = true)]
        [ValidateSet("Engine", "Service")]
        public string Kind { get; set; } = "";

        [Parameter(Mandatory = true)]
        public PumpProbe Probe { get; set; } = null!;

        protected override void ProcessCore()
        {
            Probe.PipelineThread = Environment.CurrentManagedThreadId;
            WriteObject(Await<int>(async (reporter, ct) =>
            {
                await Task.Yield();
                Probe.WorkerThread = Environment.CurrentManagedThreadId;
                throw Kind == "Engine"
                    ? new FmsTerminatingException(new FmsError("PolicyValidationFailed", FmsErrorCategory.InvalidData, "Settings.x: rule"))
                    : new AwsServiceException("ResourceNotFoundException", "No policy p-1", System.Net.HttpStatusCode.BadRequest, "req-123", "GetPolicy");
            }));
        }
    }

    /// <summary>An engine call that never answers until it is cancelled.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PumpBlock")]
    public sealed class TestPumpBlockCommand : FmsCmdlet
    {
        [Parameter(Mandatory = true)]
        public PumpProbe Probe { get; set; } = null!;

        protected override void ProcessCore() => Await(async (reporter, ct) =>
        {
            Probe.Started.SetResult(true);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Probe.ObservedCancellation = true;
                throw;
            }
        });
    }
}
