using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// What PowerShell itself knows about one exported cmdlet (Get-Command in a runspace with the module imported): its
    /// parameter sets, whether it supports ShouldProcess and at which ConfirmImpact, whether it offers -Force, and the
    /// types it declares with [OutputType]. The host tests derive what they expect from these facts, so a new cmdlet or
    /// parameter set is noticed.
    /// </summary>
    public sealed class CmdletFacts
    {
        private CmdletFacts(CmdletInfo info)
        {
            Name = info.Name;
            ParameterSets = info.ParameterSets.Select(s => s.Name).ToList();
            var attribute = (CmdletAttribute)info.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), true).Single();
            SupportsShouldProcess = attribute.SupportsShouldProcess;
            ConfirmImpact = attribute.ConfirmImpact;
            HasForce = info.Parameters.ContainsKey("Force");
            OutputTypes = info.OutputType.Select(t => t.Type ?? throw new InvalidOperationException($"{info.Name} declares an output type PowerShell cannot resolve: {t.Name}")).ToList();
        }

        public string Name { get; }
        public IReadOnlyList<string> ParameterSets { get; }
        public bool SupportsShouldProcess { get; }
        public ConfirmImpact ConfirmImpact { get; }
        public bool HasForce { get; }
        public IReadOnlyList<Type> OutputTypes { get; }

        public override string ToString() => Name;

        /// <summary>Every cmdlet the module exports, by name (case-insensitive).</summary>
        public static IReadOnlyDictionary<string, CmdletFacts> All => Cache.Value;

        public static CmdletFacts Of(string cmdlet)
            => All.TryGetValue(cmdlet, out var facts) ? facts : throw new InvalidOperationException($"The module exports no cmdlet '{cmdlet}'.");

        private static readonly Lazy<IReadOnlyDictionary<string, CmdletFacts>> Cache = new Lazy<IReadOnlyDictionary<string, CmdletFacts>>(Read);

        private static IReadOnlyDictionary<string, CmdletFacts> Read()
        {
            using var session = new PowerShellSession();
            var cmdlets = session.Run("Get-Command -Module FmsTools -CommandType Cmdlet").ShouldSucceed().OutputOf<CmdletInfo>().ToList();
            if (cmdlets.Count == 0) throw new InvalidOperationException("Get-Command found no FmsTools cmdlets in the runspace.");
            return cmdlets.Select(c => new CmdletFacts(c)).ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        }
    }
}
