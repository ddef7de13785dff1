using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Reads a configuration folder (Export-FmsConfiguration's layout) into typed objects, without calling AWS. Every
    /// finding of the offline checks (Test-FmsConfiguration) is reported: an error as a non-terminating error naming the
    /// file, object and field (its object is not written), a warning as a warning; the other objects are still written.
    /// </summary>
    [Cmdlet(VerbsData.Import, "FmsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FmsConfigurationItem))]
    public sealed class ImportFmsConfiguration : FmsCmdlet
    {
        /// <summary>The configuration folder.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        public string? Path { get; set; }

        /// <summary>Only objects of these kinds (references to other kinds are still checked).</summary>
        [Parameter]
        public ConfigurationKind[]? Kind { get; set; }

        protected override void ProcessCore()
        {
            var folder = ResolvePath(Path!);
            var read = ConfigurationFolder.Read(folder);
            var findings = read.Findings.Concat(ConfigurationValidator.Validate(read.Items)).ToList();
            foreach (var finding in findings)
            {
                if (finding.Severity == nameof(ConfigurationFindingSeverity.Warning)) WriteWarning(finding.ToString());
                else WriteFmsError(ToError(finding, folder));
            }
            var broken = findings.Where(f => f.Severity == nameof(ConfigurationFindingSeverity.Error)).Select(f => f.File).ToList();
            foreach (var item in ConfigurationFolder.Ordered(read.Items))
            {
                if (broken.Contains(item.File)) continue;
                if (Kind != null && Kind.Length > 0 && !Kind.Contains(ParseKind(item.Kind))) continue;
                // Reading changes nothing; ShouldProcess only lets -WhatIf show which files would be read (as Import-FmsPolicy).
                if (!ShouldProcess(item.File, $"Read {item.Kind} '{item.Name}'")) continue;
                WriteObject(item);
            }
        }

        private static ConfigurationKind ParseKind(string kind) => (ConfigurationKind)System.Enum.Parse(typeof(ConfigurationKind), kind);

        internal static FmsError ToError(FmsConfigurationFinding finding, string folder)
            => new FmsError("ConfigurationInvalid", FmsErrorCategory.InvalidData, finding.ToString(),
                finding.File.Length == 0 ? folder : ConfigurationLayout.FullPath(folder, finding.File));
    }
}
