namespace FmsTools.Tests.Contract
{
    /// <summary>The declared producer → consumer pipelines of the module. Add a row with each new pair.</summary>
    public static class PipelineTable
    {
        public static readonly (string Producer, string Consumer)[] Pairs =
        {
        };
    }
}
