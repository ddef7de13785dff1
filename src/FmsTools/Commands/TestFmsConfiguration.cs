using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Validates a configuration folder without changing anything, for a pull request's CI: every file parses, every
    /// object passes the checks its Set-/New- cmdlet runs before a call, names are unique, and every reference by name
    /// resolves (a policy's resource sets are in the folder, in its Region). -Online also runs Test-FmsPolicy -Online's
    /// account checks (capacity, rule names, policy quota) for each policy in its Region. Writes one finding per problem,
    /// naming file, object and field; -Quiet writes a single $true (no errors) or $false instead.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FmsConfiguration")]
    [OutputType(typeof(FmsConfigurationFinding), typeof(bool))]
    public sealed class TestFmsConfiguration : FmsConnectedCmdlet
    {
        private string? _checkingRegion;

        /// <summary>The configuration folder.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        public string? Path { get; set; }

        /// <summary>Also run the checks that read the account (reads only, nothing is changed).</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>Write a single $true (no errors; warnings allowed) or $false instead of the findings.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override string? InputRegion => _checkingRegion;

        protected override void ProcessCore()
        {
            var folder = ResolvePath(Path!);
            var read = ConfigurationFolder.Read(folder);
            var findings = read.Findings.Concat(ConfigurationValidator.Validate(read.Items)).ToList();
            if (Online.IsPresent)
            {
                var broken = new HashSet<string>(findings.Where(f => f.Severity == "Error").Select(f => f.File));
                var caches = new Dictionary<string, OnlineValidationCache>();
                foreach (var item in read.Items.Where(i => i.Policy != null && !broken.Contains(i.File)))
                {
                    _checkingRegion = item.Region;
                    var session = Session;
                    if (!caches.TryGetValue(session.Region, out var cache)) caches[session.Region] = cache = new OnlineValidationCache();
                    var service = new PolicyService(session.Fms, session.Wafv2, session.Region);
                    var policy = item.Policy!;
                    TryItem(item.File, () =>
                    {
                        // The offline checks already ran (with the resource sets by name); only what the account adds is new.
                        var offline = PolicyService.ValidateOffline(policy, session.Region).Select(f => f.Field + "|" + f.Rule).ToList();
                        var online = Await((r, ct) => service.ValidateOnlineAsync(policy, r, cache, null, ct));
                        foreach (var f in online.Where(f => !offline.Contains(f.Field + "|" + f.Rule) && !f.Field.StartsWith("Scope.ResourceSetIds", System.StringComparison.Ordinal)))
                            findings.Add(new FmsConfigurationFinding
                            {
                                SeverityValue = f.SeverityValue == PolicyFindingSeverity.Error ? ConfigurationFindingSeverity.Error : ConfigurationFindingSeverity.Warning,
                                File = item.File, Kind = item.Kind, Object = item.Name, Field = FilePath(f.Field), Rule = f.Rule, Message = f.Message,
                            });
                    });
                }
                _checkingRegion = null;
            }
            WriteVerbose($"{read.Items.Count} object(s) read from '{folder}'; {findings.Count} finding(s).");
            if (Quiet.IsPresent)
            {
                WriteObject(findings.All(f => f.Severity != "Error"));
                return;
            }
            foreach (var finding in findings) WriteObject(finding);
        }

        private static string FilePath(string field) =>
            string.Join(".", field.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s.Substring(1)));
    }
}
