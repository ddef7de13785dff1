using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Host;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// Two sessions (two runspaces connected to one sandbox) edit one object at the same moment, each from the version
    /// (update token) it read: the writes race on two threads released together. Exactly one wins, the other gets
    /// ConcurrentModification naming both versions, and the object ends as the winner wrote it.
    /// </summary>
    public sealed class ConcurrencyTests : IDisposable
    {
        private static readonly int Rounds = Heavy.Pick(6, 40);
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox(configure: o => o.Quotas.CustomAppsLists = 20);
        private readonly PowerShellSession[] _sides;
        private readonly ITestOutputHelper _output;

        public ConcurrencyTests(ITestOutputHelper output)
        {
            _output = output;
            _sides = new[] { _sandbox.NewSession(), _sandbox.NewSession() };
        }

        public void Dispose() => _sandbox.Dispose();

        /// <summary>
        /// Each side gets <c>$mine</c> (its edit of what it read) and runs <paramref name="script"/> on its own thread; the
        /// threads are released by one barrier. Returns (result, value written) per side.
        /// </summary>
        private List<(PowerShellResult Run, string Value)> Race(Func<string, object> edit, string script, string[] values)
        {
            using var barrier = new Barrier(values.Length);
            var tasks = values.Select((value, i) => Task.Factory.StartNew(() =>
            {
                _sides[i].Set("mine", edit(value));
                barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                return (_sides[i].Run(script), value);
            }, TaskCreationOptions.LongRunning)).ToArray();
            Assert.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), "The racing edits did not finish within a minute.");
            return tasks.Select(t => t.Result).ToList();
        }

        private static string Winner(List<(PowerShellResult Run, string Value)> results, out FmsConflictException conflict)
        {
            var winners = results.Where(r => r.Run.AllErrors().Count == 0).ToList();
            var losers = results.Where(r => r.Run.AllErrors().Count > 0).ToList();
            Assert.True(winners.Count == 1, $"{winners.Count} of {results.Count} racing edits succeeded: "
                                            + string.Join("; ", results.SelectMany(r => r.Run.AllErrors()).Select(PowerShellResult.Describe)));
            var loser = Assert.Single(losers).Run;
            // A conflict is one item's failure, not the end of the session's script.
            Assert.Null(loser.Terminating);
            var error = Assert.Single(loser.Errors);
            Assert.Equal("ConcurrentModification", error.ErrorId());
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            conflict = Assert.IsType<FmsConflictException>(error.Exception);
            Assert.NotNull(conflict.YourToken);
            Assert.NotNull(conflict.CurrentToken);
            Assert.NotEqual(conflict.YourToken, conflict.CurrentToken);
            // The message names both versions, so the user can tell what would have been overwritten.
            Assert.Contains(conflict.YourToken!, error.Message());
            Assert.Contains(conflict.CurrentToken!, error.Message());
            return winners[0].Value;
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsPolicy_one_wins_the_other_gets_a_conflict_and_nothing_is_lost()
        {
            var policyId = _sandbox.Read<FmsPolicy>("Get-FmsPolicy").First().PolicyId!;
            _sandbox.Set("policyId", policyId);
            for (var round = 0; round < Rounds; round++)
            {
                var read = Assert.Single(_sandbox.Read<FmsPolicy>("Get-FmsPolicy -PolicyId $policyId"));
                var results = Race(value =>
                {
                    var mine = read.Clone();
                    mine.Description = value;
                    return mine;
                }, "$mine | Set-FmsPolicy", new[] { $"session A round {round}", $"session B round {round}" });
                var winner = Winner(results, out var conflict);
                var final = Assert.Single(_sandbox.Read<FmsPolicy>("Get-FmsPolicy -PolicyId $policyId"));
                Assert.Equal(winner, final.Description);
                Assert.Equal(read.UpdateToken, conflict.YourToken);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
                Assert.Equal(winner, Assert.IsType<FmsPolicy>(conflict.CurrentVersion).Description);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsAppsList_one_wins_and_the_list_is_the_winners()
        {
            var created = Assert.Single(_sandbox.Read<FmsAppsList>("$created = Set-FmsAppsList -Name race-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru; $created"));
            for (var round = 0; round < Rounds; round++)
            {
                var read = Assert.Single(_sandbox.Read<FmsAppsList>("Get-FmsAppsList -ListId $created.ListId"));
                var results = Race(value => new FmsAppsList { ListId = read.ListId, Name = read.Name, UpdateToken = read.UpdateToken, Apps = new List<FmsApp> { new FmsApp(value, "tcp", 8000 + round) } },
                    "Set-FmsAppsList -InputObject $mine", new[] { "a" + round, "b" + round });
                var winner = Winner(results, out var conflict);
                var final = Assert.Single(_sandbox.Read<FmsAppsList>("Get-FmsAppsList -ListId $created.ListId"));
                Assert.Equal(winner, Assert.Single(final.Apps).Name);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsProtocolsList_one_wins_and_the_list_is_the_winners()
        {
            var created = Assert.Single(_sandbox.Read<FmsProtocolsList>("$created = Set-FmsProtocolsList -Name race-protocols -Protocol tcp -PassThru; $created"));
            for (var round = 0; round < Rounds; round++)
            {
                var read = Assert.Single(_sandbox.Read<FmsProtocolsList>("Get-FmsProtocolsList -ListId $created.ListId"));
                var results = Race(value => new FmsProtocolsList { ListId = read.ListId, Name = read.Name, UpdateToken = read.UpdateToken, Protocols = new List<string> { value } },
                    "Set-FmsProtocolsList -InputObject $mine", new[] { "udp", "icmp" });
                var winner = Winner(results, out var conflict);
                var final = Assert.Single(_sandbox.Read<FmsProtocolsList>("Get-FmsProtocolsList -ListId $created.ListId"));
                Assert.Equal(winner, Assert.Single(final.Protocols));
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }

        [Fact]
        public void Two_sessions_racing_Set_FmsResourceSet_one_wins_and_the_set_is_the_winners()
        {
            var created = Assert.Single(_sandbox.Read<FmsResourceSet>("$created = Set-FmsResourceSet -Name race-set -ResourceType AWS::EC2::VPC -PassThru; $created"));
            for (var round = 0; round < Rounds; round++)
            {
                var read = Assert.Single(_sandbox.Read<FmsResourceSet>("Get-FmsResourceSet -Id $created.Id"));
                var results = Race(value => new FmsResourceSet { Id = read.Id, Name = read.Name, UpdateToken = read.UpdateToken, ResourceTypes = read.ResourceTypes.ToList(), Description = value },
                    "Set-FmsResourceSet -InputObject $mine", new[] { "owner A " + round, "owner B " + round });
                var winner = Winner(results, out var conflict);
                var final = Assert.Single(_sandbox.Read<FmsResourceSet>("Get-FmsResourceSet -Id $created.Id"));
                Assert.Equal(winner, final.Description);
                Assert.Equal(final.UpdateToken, conflict.CurrentToken);
            }
        }
    }
}
