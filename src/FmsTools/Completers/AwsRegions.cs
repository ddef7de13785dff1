namespace FmsTools.Completers
{
    /// <summary>
    /// The AWS regions offered by -Region completion (the engine's list, shared with the policy validator). Static on
    /// purpose: completing a region must never need a network call, and a region missing here can still be typed.
    /// </summary>
    public static class AwsRegions
    {
        public static IReadOnlyList<KeyValuePair<string, string>> All => FmsTools.Engine.Connection.AwsRegionNames.All;
    }
}
