using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Configuration;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Compares a configuration folder with the live Firewall Manager configuration of its Regions, object by object and
    /// field by field, by meaning: policies as Compare-FmsPolicy compares them (what the service fills in is ignored),
    /// resource sets by name on both sides, lists whose order means nothing as sets. Writes one
    /// FmsConfigurationDifference per differing field, per object only in the folder (Added) or only live (Removed);
    /// nothing when the folder describes the live configuration. Reads only.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "FmsConfiguration")]
    [OutputType(typeof(FmsConfigurationDifference))]
    public sealed class CompareFmsConfiguration : FmsConfigurationCmdlet
    {
        protected override void EndCore()
        {
            var state = ReadState("compared");
            var kinds = state.Kinds.Where(k => k != ConfigurationKind.AdminAccount || state.AdminsRead).ToList();
            var desired = state.Desired.Where(i => kinds.Contains(i.KindValue)).ToList();
            var differences = ConfigurationComparer.Compare(desired, state.Live);
            WriteVerbose($"{desired.Count} object(s) in the folder, {state.Live.Count} live in {string.Join(", ", state.Regions)}; {differences.Count} difference(s).");
            foreach (var difference in differences) WriteObject(difference);
        }
    }
}
