using System;
using System.Diagnostics;
using System.Linq;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public class ScaleTests
    {
        /// <summary>The sandbox must hold 10,000 accounts × 50 resources (plus 50 policies) in 512 MB; the world gets at most
        /// 60% of that budget.</summary>
        private const long WorldBudgetFor500kResources = 512L * 1024 * 1024 * 60 / 100;

        private readonly ITestOutputHelper output;

        public ScaleTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        private long MeasureWorld(int accounts, int resourcesPerAccount, out World world)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            world = World.Generate(accounts, resourcesPerAccount, 42);
            world.FindById("warm-the-index");
            var after = GC.GetTotalMemory(true);
            var bytes = after - before;
            output.WriteLine(accounts + " x " + resourcesPerAccount + ": " + world.AllResources().Count() + " resources, " + (bytes / 1024 / 1024) + " MB");
            return bytes;
        }

        [Fact]
        public void World_OneThousandAccountsTimesFifty_FitsTheProportionalMemoryBudget()
        {
            var bytes = MeasureWorld(1000, 50, out var world);
            // One tenth of the 10,000-account world must fit in one tenth of the budget.
            Assert.InRange(bytes, 1, WorldBudgetFor500kResources / 10);
            GC.KeepAlive(world);
        }

        [Fact] // about 10 s and 150 MB; runs alone (RunsAlone collection)
        public void World_TenThousandAccountsTimesFifty_FitsTheMemoryBudget()
        {
            var bytes = MeasureWorld(10000, 50, out var world);
            Assert.InRange(bytes, 1, WorldBudgetFor500kResources);
            GC.KeepAlive(world);
        }

        [Fact]
        public void Evaluation_OneThousandAccountsTwentyPolicies_IsFastAndCached()
        {
            var world = World.Generate(1000, 20, 3);
            var policies = ScalePolicies.Twenty(world, "us-east-1");
            var evaluator = new PolicyEvaluator();
            var watch = Stopwatch.StartNew();
            var violations = policies.Sum(p => evaluator.Evaluate(world, p, "us-east-1", DemoOrganization.ReferenceTime).AllViolations.Count());
            var cold = watch.Elapsed;
            watch.Restart();
            foreach (var policy in policies) evaluator.Evaluate(world, policy, "us-east-1", DemoOrganization.ReferenceTime);
            var warm = watch.Elapsed;
            output.WriteLine("cold " + cold.TotalMilliseconds + " ms, warm " + warm.TotalMilliseconds + " ms, " + violations + " violations");
            Assert.True(violations > 0);
            Assert.True(cold < TimeSpan.FromSeconds(20), "cold evaluation took " + cold);
            Assert.True(warm < TimeSpan.FromSeconds(2), "cached evaluation took " + warm);
        }
    }
}
