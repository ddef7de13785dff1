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
using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    public class FmsCmdletTests
    {
        /// <summary>A cmdlet whose engine work is a stream produced on the thread pool, with progress.</summary>
        private sealed class StreamingCmdlet : FmsCmdlet
        {
            public int Count { get; set; }
            public SemaphoreSlim? GateAfterFirst { get; set; }
            public int Produced;
            public bool ProducerObservedCancellation;
            public volatile bool ProducerEnded;

            /// <summary>Work the producer still does after it is cancelled (closing connections, say) before it ends.</summary>
            public TimeSpan CleanupTime { get; set; }

            protected override void ProcessCore()
                => StreamOutput((reporter, ct) => Produce(reporter, ct));

            private async IAsyncEnumerable<int> Produce(IOperationReporter reporter, [EnumeratorCancellation] CancellationToken ct)
            {
                try
                {
                    await foreach (var i in Numbers(reporter, ct).ConfigureAwait(false)) yield return i;
                }
                finally
                {
                    if (CleanupTime > TimeSpan.Zero) await Task.Delay(CleanupTime).ConfigureAwait(false);
                    ProducerEnded = true;
                }
            }

            private async IAsyncEnumerable<int> Numbers(IOperationReporter reporter, [EnumeratorCancellation] CancellationToken ct)
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
                        ProducerObservedCancellation = true;
                        throw;
                    }
                    reporter.Progress(new FmsProgress(1, "Counting", $"{i} of {Count}") { PercentComplete = i * 100 / Count });
                    reporter.Verbose($"item {i}");
                    Interlocked.Increment(ref Produced);
                    yield return i;
                    if (i == 0 && GateAfterFirst != null) await GateAfterFirst.WaitAsync(ct);
                }
            }
        }

        /// <summary>Work that reaches the host from the thread pool, as resolving a connection on first use does.</summary>
        private sealed class HostFromWorkerCmdlet : FmsCmdlet
        {
            public bool TerminateFromWorker { get; set; }

            protected override void ProcessCore() => CommandHost.WriteObject(Await(async (r, ct) =>
            {
                await Task.Yield();
                CommandHost.WriteDebug("resolving the connection");
                CommandHost.WriteWarning("a warning from the worker");
                var value = CommandHost.GetVariable("global:Defaults");
                var allowed = CommandHost.ShouldProcess("policy p-1", "Delete");
                if (TerminateFromWorker) CommandHost.ThrowTerminatingError(new FmsError("FromWorker", FmsErrorCategory.InvalidOperation, "stopped"));
                return (value, allowed);
            }));
        }

        private sealed class FailingCmdlet : FmsCmdlet
        {
            public Exception ToThrow { get; set; } = new Exception();
            protected override void ProcessCore() => Await<int>((r, ct) => Task.FromException<int>(ToThrow));
        }

        private sealed class BlockingCmdlet : FmsCmdlet
        {
            public TaskCompletionSource<bool> Started { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            public bool Cancelled;

            protected override void ProcessCore() => Await(async (r, ct) =>
            {
                Started.SetResult(true);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    Cancelled = true;
                    throw;
                }
            });
        }

        [Fact]
        public void Stream_writes_every_item_in_order_from_the_pipeline_thread()
        {
            var host = CmdletRunner.Run(new StreamingCmdlet { Count = 2000 });
            Assert.Equal(Enumerable.Range(0, 2000).Cast<object?>(), host.Output);
            Assert.Equal(2000, host.Progress.Count);
            Assert.Equal(2000, host.Verbose.Count);
        }

        [Fact]
        public void Work_on_the_thread_pool_reaches_the_host_through_the_pipeline_thread()
        {
            // The recording host throws, as PowerShell does, when any call comes from another thread.
            var host = new RecordingCommandHost { WhatIf = true };
            host.SetVariable("global:Defaults", "session defaults");
            CmdletRunner.Run(new HostFromWorkerCmdlet(), host);

            Assert.Equal(new[] { "resolving the connection" }, host.Debug);
            Assert.Equal(new[] { "a warning from the worker" }, host.Warnings);
            Assert.Equal(new[] { ("policy p-1", "Delete") }, host.ShouldProcessCalls);
            var (value, allowed) = ((object?, bool))Assert.Single(host.Output)!;
            Assert.Equal("session defaults", value);
            Assert.False(allowed);
        }

        [Fact]
        public void A_terminating_error_raised_by_work_on_the_thread_pool_stops_the_command_on_the_pipeline_thread()
        {
            var ex = Assert.Throws<TerminatingErrorException>(() => CmdletRunner.Run(new HostFromWorkerCmdlet { TerminateFromWorker = true }));
            Assert.Equal("FromWorker", ex.Error.ErrorId);
        }

        [Fact]
        public void Items_are_written_before_the_sequence_ends()
        {
            // The producer waits after the first item until the test has seen it written: if the pump buffered
            // the whole sequence, the gate would never open and the run would not finish.
            var gate = new SemaphoreSlim(0);
            var cmdlet = new StreamingCmdlet { Count = 3, GateAfterFirst = gate };
            var host = new RecordingCommandHost { OnWriteObject = o => { if ((int)o! == 0) gate.Release(); } };
            CmdletRunner.Run(cmdlet, host);
            Assert.Equal(new object?[] { 0, 1, 2 }, host.Output);
        }

        [Fact]
        public void A_consumer_that_stops_the_pipeline_cancels_the_producer()
        {
            var cmdlet = new StreamingCmdlet { Count = 100000, CleanupTime = TimeSpan.FromMilliseconds(300) };
            var host = new RecordingCommandHost { OnWriteObject = o => { if ((int)o! == 5) throw new PipelineStopRequestedException(); } };
            Assert.Throws<PipelineStopRequestedException>(() => CmdletRunner.Run(cmdlet, host));
            // The bounded queue means the producer cannot have run far ahead of the consumer.
            Assert.True(cmdlet.Produced < 5 + 600, $"producer ran ahead: {cmdlet.Produced}");
            // And the command returns only once its engine work has ended: nothing keeps running behind it.
            Assert.True(cmdlet.ProducerEnded, "the producer was still running when the command returned");
        }

        [Fact]
        public async Task StopProcessing_cancels_the_in_flight_call_and_ends_quietly()
        {
            var cmdlet = new BlockingCmdlet();
            var host = new RecordingCommandHost();
            cmdlet.CommandHost = host;
            cmdlet.InvokeBegin();
            var stopper = Task.Run(async () =>
            {
                await cmdlet.Started.Task;
                cmdlet.InvokeStop();
            });
            cmdlet.InvokeProcess();
            await stopper.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(cmdlet.Cancelled);
            Assert.Empty(host.Errors);
        }

        [Fact]
        public void A_service_error_becomes_a_terminating_error_with_the_aws_code_and_request_id()
        {
            var error = new AwsServiceException("ResourceNotFoundException", "No policy p-1", System.Net.HttpStatusCode.BadRequest, "req-123", "GetPolicy");
            var ex = Assert.Throws<TerminatingErrorException>(() => CmdletRunner.Run(new FailingCmdlet { ToThrow = error }));
            Assert.Equal("ResourceNotFoundException", ex.Error.ErrorId);
            Assert.Equal(FmsErrorCategory.ObjectNotFound, ex.Error.Category);
            Assert.Contains("req-123", ex.Error.Message);
        }

        [Fact]
        public void An_engine_terminating_error_keeps_its_id_and_category()
        {
            var fms = new FmsError("PolicyValidationFailed", FmsErrorCategory.InvalidData, "Settings.x: rule");
            var ex = Assert.Throws<TerminatingErrorException>(() => CmdletRunner.Run(new FailingCmdlet { ToThrow = new FmsTerminatingException(fms) }));
            Assert.Same(fms, ex.Error);
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
}
