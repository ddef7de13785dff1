namespace FmsTools.Engine.Connection
{
    /// <summary>
    /// The AWS regions FmsTools knows by name (for -Region completion and the policy validator's Region.Unknown
    /// warning). Static on purpose: it needs no call, and a region missing here still works: AWS adds regions
    /// faster than a module release, so an unknown region that has the model's form is a warning, never an error.
    /// </summary>
    public static class AwsRegionNames
    {
        public static IReadOnlyList<KeyValuePair<string, string>> All { get; } = new[]
        {
            Region("us-east-1", "US East (N. Virginia)"),
            Region("us-east-2", "US East (Ohio)"),
            Region("us-west-1", "US West (N. California)"),
            Region("us-west-2", "US West (Oregon)"),
            Region("af-south-1", "Africa (Cape Town)"),
            Region("ap-east-1", "Asia Pacific (Hong Kong)"),
            Region("ap-east-2", "Asia Pacific (Taipei)"),
            Region("ap-south-1", "Asia Pacific (Mumbai)"),
            Region("ap-south-2", "Asia Pacific (Hyderabad)"),
            Region("ap-southeast-1", "Asia Pacific (Singapore)"),
            Region("ap-southeast-2", "Asia Pacific (Sydney)"),
            Region("ap-southeast-3", "Asia Pacific (Jakarta)"),
            Region("ap-southeast-4", "Asia Pacific (Melbourne)"),
            Region("ap-southeast-5", "Asia Pacific (Malaysia)"),
            Region("ap-southeast-7", "Asia Pacific (Thailand)"),
            Region("ap-northeast-1", "Asia Pacific (Tokyo)"),
            Region("ap-northeast-2", "Asia Pacific (Seoul)"),
            Region("ap-northeast-3", "Asia Pacific (Osaka)"),
            Region("ca-central-1", "Canada (Central)"),
            Region("ca-west-1", "Canada West (Calgary)"),
            Region("eu-central-1", "Europe (Frankfurt)"),
            Region("eu-central-2", "Europe (Zurich)"),
            Region("eu-west-1", "Europe (Ireland)"),
            Region("eu-west-2", "Europe (London)"),
            Region("eu-west-3", "Europe (Paris)"),
            Region("eu-south-1", "Europe (Milan)"),
            Region("eu-south-2", "Europe (Spain)"),
            Region("eu-north-1", "Europe (Stockholm)"),
            Region("il-central-1", "Israel (Tel Aviv)"),
            Region("me-south-1", "Middle East (Bahrain)"),
            Region("me-central-1", "Middle East (UAE)"),
            Region("mx-central-1", "Mexico (Central)"),
            Region("sa-east-1", "South America (Sao Paulo)"),
            Region("us-gov-east-1", "AWS GovCloud (US-East)"),
            Region("us-gov-west-1", "AWS GovCloud (US-West)"),
            Region("cn-north-1", "China (Beijing)"),
            Region("cn-northwest-1", "China (Ningxia)"),
        };

        private static KeyValuePair<string, string> Region(string code, string name) => new KeyValuePair<string, string>(code, name);

        /// <summary>True when the region is in <see cref="All"/> (ordinal).</summary>
        public static bool IsKnown(string? region) => region != null && All.Any(r => string.Equals(r.Key, region, StringComparison.Ordinal));
    }
}
