using Xunit;

namespace FmsTools.Tests.Infrastructure
{
    /// <summary>
    /// Tests that measure retained memory with GC.GetTotalMemory, which counts the whole process: they run in this
    /// collection, which xunit runs by itself after the parallel ones, so other tests' allocations are not counted.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class MemoryMeasurement
    {
        public const string Name = "Memory measurement (runs alone)";
    }
}
