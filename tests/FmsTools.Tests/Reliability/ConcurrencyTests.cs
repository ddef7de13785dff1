using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// Two sessions edit one object at the same moment, each from the version (update token) it read: the writes race on
    /// two threads released together. Exactly one wins, the other gets ConcurrentModification naming both versions, and
    /// the object ends as the winner wrote it.
    /// </summary>
    public sealed class ConcurrencyTests : IDisposable
    {
        private static readonly int Rounds = Heavy.Pick(6, 40);
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox(configure: o => o.Quotas.CustomAppsLists = 20);
        private readonly ITestOutputHelper _output;

        public ConcurrencyTests(ITestOutputHelper output) { _output = output; }

        public void Dispose() => _sandbox.Dispose();

        /// <summary>Runs both edits on their own threads, released by one barrier; returns (run, value written) per side.</summary>
        private List<(CmdletRun Run, string Value)> Race(Func<string, FmsCmdlet> edit, string[] values)
        {
            using var barrier = new Barrier(values.Length);
            var tasks = values.Select(value => Task.Factory.StartNew(() =>
            {
                var cmdlet = _sandbox.Connect(edit(value));
                var host = new Infrastructure.RecordingCommandHost(); // created on the thread that runs the pipeline
                barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                return (_sandbox.Run(cmdlet, host), value);
            }, TaskCreationOptions.LongRunning)).ToArray();
            Assert.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), "The racing edits did not finish within a minute.");
            return tasks.Select(t => t.Result).ToList();
        }

        private static string Winner(List<(CmdletRun Run, string Value)> results, out FmsConflictException conflict)
        {
            var winners = results.Where(r => r.Run.AllErrors.Count == 0).ToList();
            var losers = results.Where(r => r.Run.AllErrors.Count > 0).ToList();
            Assert.True(winners.Count == 1, $"{winners.Count} of {results.Count} racing edits succeeded: "
                                            + string.Join("; ", results.SelectMany(r => r.Run.AllErrors)));
            var error = Assert.Single(Assert.Single(losers).Run.AllErrors);
            Assert.Equal("ConcurrentModification", error.ErrorId);
            Assert.Equal(FmsErrorCategory.ResourceBusy, error.Category);
            conflict = Assert.IsType<FmsConflictException>(error.Exception);
            Assert.NotNull(conflict.YourToken);
            Assert.NotNull(conflict.CurrentToken);
            Assert.NotEqual(conflict.YourToken, conflict.CurrentToken);
            // The message names both versions, so the user can tell what would have been overwritten.
            Assert.Contains(conflict.YourToken!, error.Message);
            Assert.Contains(conflict.CurrentToken!, error.Message);
            return winners[0].Value;
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsPolicy_one_wins_the_other_gets_a_conflict_and_nothing_is_lost()
        {
            var policyId = _sandbox.RunClean(new GetFmsPolicy()).Output.OfType<FmsPolicy>().First().PolicyId!;
            for (var round = 0; round < Rounds; round++)
            {
                var read = _sandbox.RunClean(new GetFmsPolicy { PolicyId = new[] { policyId } }).Output.OfType<FmsPolicy>().Single();
                var results = Race(value =>
                {
                    var mine = read.Clone();
                    mine.Description = value;
                    return new SetFmsPolicy { InputObject = mine };
                }, new[] { $"session A round {round}", $"session B round {round}" });
                var winner = Winner(results, out var conflict);
                var final = _sandbox.RunClean(new GetFmsPolicy { PolicyId = new[] { policyId } }).Output.OfType<FmsPolicy>().Single();
                Assert.Equal(winner, final.Description);
                Assert.Equal(read.UpdateToken, conflict.YourToken);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
                Assert.Equal(winner, Assert.IsType<FmsPolicy>(conflict.CurrentVersion).Description);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsAppsList_one_wins_and_the_list_is_the_winners()
        {
            var created = _sandbox.RunClean(new SetFmsAppsList { Name = "race-apps", App = new[] { new FmsApp("https", "tcp", 443) }, PassThruFlag = true })
                .Output.OfType<FmsAppsList>().Single();
            for (var round = 0; round < Rounds; round++)
            {
                var read = _sandbox.RunClean(new GetFmsAppsList { ListId = created.ListId }).Output.OfType<FmsAppsList>().Single();
                var results = Race(value => new SetFmsAppsList
                {
                    InputObject = new FmsAppsList { ListId = read.ListId, Name = read.Name, UpdateToken = read.UpdateToken, Apps = new List<FmsApp> { new FmsApp(value, "tcp", 8000 + round) } },
                }, new[] { "a" + round, "b" + round });
                var winner = Winner(results, out var conflict);
                var final = _sandbox.RunClean(new GetFmsAppsList { ListId = created.ListId }).Output.OfType<FmsAppsList>().Single();
                Assert.Equal(winner, Assert.Single(final.Apps).Name);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsProtocolsList_one_wins_and_the_list_is_the_winners()
        {
            var created = _sandbox.RunClean(new SetFmsProtocolsList { Name = "race-protocols", Protocol = new[] { "tcp" }, PassThruFlag = true })
                .Output.OfType<FmsProtocolsList>().Single();
            for (var round = 0; round < Rounds; round++)
            {
                var read = _sandbox.RunClean(new GetFmsProtocolsList { ListId = created.ListId }).Output.OfType<FmsProtocolsList>().Single();
                var results = Race(value => new SetFmsProtocolsList
                {
                    InputObject = new FmsProtocolsList { ListId = read.ListId, Name = read.Name, UpdateToken = read.UpdateToken, Protocols = new List<string> { value } },
                }, new[] { "udp", "icmp" });
                var winner = Winner(results, out var conflict);
                var final = _sandbox.RunClean(new GetFmsProtocolsList { ListId = created.ListId }).Output.OfType<FmsProtocolsList>().Single();
                Assert.Equal(winner, Assert.Single(final.Protocols));
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsResourceSet_one_wins_and_the_set_is_the_winners()
        {
            var created = _sandbox.RunClean(new SetFmsResourceSet { Name = "race-set", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .Output.OfType<FmsResourceSet>().Single();
            for (var round = 0; round < Rounds; round++)
            {
                var read = _sandbox.RunClean(new GetFmsResourceSet { Id = created.Id }).Output.OfType<FmsResourceSet>().Single();
                var results = Race(value => new SetFmsResourceSet
                {
                    InputObject = new FmsResourceSet { Id = read.Id, Name = read.Name, UpdateToken = read.UpdateToken, ResourceTypes = read.ResourceTypes.ToList(), Description = value },
                }, new[] { "owner A " + round, "owner B " + round });
                var winner = Winner(results, out var conflict);
                var final = _sandbox.RunClean(new GetFmsResourceSet { Id = created.Id }).Output.OfType<FmsResourceSet>().Single();
                Assert.Equal(winner, final.Description);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }
    }
}
