using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// Tests that observe process-wide state run in this collection, which xunit runs by itself after the parallel
    /// ones: memory measured with GC.GetTotalMemory (it counts every thread's allocations) and the count of running
    /// sandboxes in SandboxSessions (other tests start and stop sandboxes).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class RunsAlone
    {
        public const string Name = "Process-wide state (runs alone)";
    }
}
