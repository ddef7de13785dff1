using FmsTools.Engine.Configuration;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// What the cmdlets over a configuration folder share (Export-FmsConfiguration, and Compare- and Sync-FmsConfiguration
    /// through FmsConfigurationCmdlet): the folder, several Regions, the kinds of object, and the Region the calls of the
    /// moment go to (each Region taking part in turn).
    /// </summary>
    public abstract class FmsConfigurationFolderCmdlet : FmsConnectedCmdlet
    {
        /// <summary>The configuration folder.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string? Path { get; set; }

        /// <summary>Regions to take part (several allowed). Replaces the connection parameter -Region of the other cmdlets.</summary>
        [ValidateFmsId(IdentifierKind.Region)]
        [Parameter]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsRegionCompleter))]
        public new string[]? Region { get => Regions; set => Regions = value; }

        /// <summary>Only these kinds of object; every kind when omitted.</summary>
        [Parameter]
        public ConfigurationKind[]? Kind { get; set; }

        /// <summary>The Region the calls of the moment go to (null: -Region's first, else the connection's).</summary>
        protected string? CurrentRegion { get; set; }

        protected override string? InputRegion => CurrentRegion;

        /// <summary>-Kind without repeats, or every kind when omitted.</summary>
        protected List<ConfigurationKind> Kinds()
            => (Kind == null || Kind.Length == 0 ? (ConfigurationKind[])Enum.GetValues(typeof(ConfigurationKind)) : Kind).Distinct().ToList();

        /// <summary>Runs <paramref name="action"/> with the cmdlet's connection in <paramref name="region"/>.</summary>
        protected T InRegion<T>(string? region, Func<T> action)
        {
            var previous = CurrentRegion;
            CurrentRegion = region;
            try
            {
                return action();
            }
            finally
            {
                CurrentRegion = previous;
            }
        }
    }
}
