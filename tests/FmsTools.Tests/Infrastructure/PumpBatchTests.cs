using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// The pipeline pump hands the pipeline thread everything queued at once (a batch) while that thread was busy, in a real
    /// runspace where PowerShell decides what reaches the next command: items, warnings and their order survive batching,
    /// an item is written as soon as the pipeline thread is free (never held back for a batch to fill), the producer never
    /// gets more than the pump's capacity ahead of what was written, and a stop while a full batch waits ends the command
    /// without writing that batch.
    /// </summary>
    public sealed class PumpBatchTests : IClassFixture<PumpTestSession>
    {
        private readonly PowerShellSession _session;
        private readonly PumpBatchProbe _probe = new PumpBatchProbe();

        public PumpBatchTests(PumpTestSession session)
        {
            _session = session.Session;
            _session.Set("batchProbe", _probe);
        }

        // The next command receives each item (and holds the pipeline thread on the item the probe names).
        private const string Receive = "ForEach-Object { if ($_ -is [int]) { $batchProbe.Receive($_) }; $_ }";

        [Fact]
        public async Task Batches_written_after_a_busy_pipeline_thread_keep_items_and_warnings_in_order_within_the_bound()
        {
            // The next command holds the pipeline thread on item 0 until the producer has filled the queue: the queued
            // items (and the warnings between them) then go out as a batch.
            _probe.HoldAt = 0;
            var release = Task.Run(async () =>
            {
                await _probe.QueueFull.Task.WaitAsync(TimeSpan.FromSeconds(30));
                _probe.Hold.Set();
            });
            var result = _session.Run($"Test-PumpBatch -Count 3000 -WarnEvery 100 -Probe $batchProbe 3>&1 | {Receive}").ShouldSucceed();
            await release;

            var expected = Enumerable.Range(0, 3000).SelectMany(i => i % 100 == 0 ? new[] { "warning: before " + i, i.ToString() } : new[] { i.ToString() });
            Assert.Equal(expected, result.Output.Select(o => o.BaseObject is WarningRecord w ? "warning: " + w.Message : o.BaseObject.ToString()));
            Assert.True(_probe.MaxAhead <= PipelinePump.Capacity, $"the producer got {_probe.MaxAhead} items ahead of the pipeline (bound {PipelinePump.Capacity})");
            Assert.True(_probe.ProducerEnded);
        }

        [Fact]
        public void An_item_is_written_without_waiting_for_more_even_at_the_end_of_a_burst()
        {
            // The producer stops after items 0, 9 and 10 until the next command has received them: a pump that waited for a
            // batch to fill (or for more items) would hold each of them back and the producer would fail after 30 s.
            _probe.WaitAt = new[] { 0, 9, 10 };
            var result = _session.Run($"Test-PumpBatch -Count 12 -Probe $batchProbe | {Receive}").ShouldSucceed();
            Assert.Equal(Enumerable.Range(0, 12), result.OutputOf<int>());
        }

        [Fact]
        public async Task Stop_while_a_full_batch_is_queued_ends_the_command_without_writing_it()
        {
            _probe.HoldAt = 0;
            using var ps = PowerShell.Create();
            ps.Runspace = _session.Runspace;
            ps.AddScript($"Test-PumpBatch -Count 100000 -Probe $batchProbe | {Receive}");
            var invocation = ps.BeginInvoke();
            // The pipeline thread is held on item 0 while the queue behind it fills, then the command is stopped.
            await _probe.QueueFull.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var stop = Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);
            await _probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
            _probe.Hold.Set();

            Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the command did not end after Stop()");
            await stop.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Equal(1, _probe.Written);
            Assert.True(_probe.ProducerEnded, "the producer was still running when the command returned");
            Assert.True(_probe.Produced <= PipelinePump.Capacity + 1, $"producer ran ahead: {_probe.Produced}");
            Assert.Empty(ps.Streams.Error);
        }
    }

    /// <summary>What Test-PumpBatch produced and what the next command received, for the test that ran them.</summary>
    public sealed class PumpBatchProbe
    {
        private int _produced;
        private int _posted;
        private int _written;
        private int _maxAhead;

        public int Produced => Volatile.Read(ref _produced);
        public int Written => Volatile.Read(ref _written);

        /// <summary>The most items produced and not yet received by the next command at any time.</summary>
        public int MaxAhead => Volatile.Read(ref _maxAhead);

        public volatile bool ProducerEnded;

        /// <summary>Items after which the producer waits until the next command has received them.</summary>
        public int[] WaitAt { get; set; } = new int[0];

        /// <summary>The item on which the next command holds the pipeline thread until <see cref="Hold"/> is set.</summary>
        public int HoldAt { get; set; } = -1;

        public ManualResetEventSlim Hold { get; } = new ManualResetEventSlim(false);

        /// <summary>Set when the producer has handed the pump one item or warning more than it can hold.</summary>
        public TaskCompletionSource<bool> QueueFull { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the producer's work is cancelled.</summary>
        public TaskCompletionSource<bool> Cancelled { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        internal SemaphoreSlim Received { get; } = new SemaphoreSlim(0);

        /// <summary>Called by the next command, on the pipeline thread, for each item it receives.</summary>
        public void Receive(int item)
        {
            Interlocked.Increment(ref _written);
            if (WaitAt.Contains(item)) Received.Release();
            if (item == HoldAt && !Hold.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("The test never released the pipeline thread.");
        }

        /// <summary>Called by the producer before it hands the pump an item (or, with <paramref name="item"/> false, a warning).</summary>
        internal void Produce(bool item = true)
        {
            if (Interlocked.Increment(ref _posted) == PipelinePump.Capacity + 1) QueueFull.TrySetResult(true);
            if (!item) return;
            var ahead = Interlocked.Increment(ref _produced) - Written;
            int max;
            while (ahead > (max = MaxAhead) && Interlocked.CompareExchange(ref _maxAhead, ahead, max) != max) { }
        }
    }

    /// <summary>Streams 0..Count-1 from the thread pool as fast as the pump takes them, with a warning before every WarnEvery-th item.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PumpBatch")]
    public sealed class TestPumpBatchCommand : FmsCmdlet
    {
        [Parameter(Mandatory = true)]
        public int Count { get; set; }

        [Parameter(Mandatory = true)]
        public PumpBatchProbe Probe { get; set; } = null!;

        [Parameter]
        public int WarnEvery { get; set; }

        protected override void ProcessCore() => StreamOutput((reporter, ct) => Produce(reporter, ct));

        private async IAsyncEnumerable<int> Produce(IOperationReporter reporter, [EnumeratorCancellation] CancellationToken ct)
        {
            using var registration = ct.Register(() => Probe.Cancelled.TrySetResult(true));
            try
            {
                await Task.Yield();
                for (var i = 0; i < Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (WarnEvery > 0 && i % WarnEvery == 0)
                    {
                        Probe.Produce(item: false);
                        reporter.Warning("before " + i);
                    }
                    Probe.Produce();
                    yield return i;
                    if (Probe.WaitAt.Contains(i) && !await Probe.Received.WaitAsync(TimeSpan.FromSeconds(30), ct))
                        throw new InvalidOperationException($"Item {i} did not reach the next command before the producer went on.");
                }
            }
            finally
            {
                Probe.ProducerEnded = true;
            }
        }
    }
}
